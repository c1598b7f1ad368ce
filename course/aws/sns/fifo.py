"""FIFO topics deduplicate as AWS does (moto 5 does not).

On AWS a FIFO topic drops a message whose deduplication id (given, or the SHA-256 of the body with
content-based deduplication) it has seen in the last **5 minutes**, and passes the id on to its FIFO
queue subscriptions. moto delivers the duplicate, and with content-based deduplication passes no id,
so the FIFO queue hashes the envelope (which differs every time) and keeps both.

Source: Amazon SNS Developer Guide, "Message deduplication for FIFO topics".
"""

from __future__ import annotations

import hashlib
from typing import Any

from course.aws.limits import SNS_FIFO_DEDUPLICATION_WINDOW
from course.sandbox import Sandbox

__all__ = ["install"]


def install(sandbox: Sandbox) -> None:
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random
    from moto.sns.models import Topic

    # dedup id -> expiry, per topic ARN (the sandbox's, gone when it stops)
    seen_ids: dict[str, dict[str, float]] = sandbox.registry.state("sns.fifo.dedup", dict)
    original = Topic.publish

    def publish(topic: Any, message: str, *args: Any, deduplication_id: str | None = None, **kwargs: Any) -> str:
        if not topic.fifo_topic:
            return original(topic, message, *args, deduplication_id=deduplication_id, **kwargs)
        dedup = deduplication_id or hashlib.sha256(message.encode("utf-8")).hexdigest()
        now = unix_time()
        seen = seen_ids[topic.arn] = {k: v for k, v in seen_ids.get(topic.arn, {}).items() if v > now}
        if dedup in seen:
            return str(mock_random.uuid4())  # accepted, not delivered
        seen[dedup] = now + SNS_FIFO_DEDUPLICATION_WINDOW
        return original(topic, message, *args, deduplication_id=dedup, **kwargs)

    sandbox.registry.patch(Topic, "publish", publish)

