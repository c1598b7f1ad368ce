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

from course.patching import Patches

__all__ = ["DEDUPLICATION_WINDOW", "install", "uninstall"]

DEDUPLICATION_WINDOW = 300
_patches = Patches()


def install() -> None:
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random
    from moto.sns.models import Topic

    if _patches.active:
        return
    original = Topic.publish

    def publish(topic: Any, message: str, *args: Any, deduplication_id: str | None = None, **kwargs: Any) -> str:
        if not topic.fifo_topic:
            return original(topic, message, *args, deduplication_id=deduplication_id, **kwargs)
        dedup = deduplication_id or hashlib.sha256(message.encode("utf-8")).hexdigest()
        now = unix_time()
        seen = {k: v for k, v in getattr(topic, "_course_dedup", {}).items() if v > now}
        topic._course_dedup = seen
        if dedup in seen:
            return str(mock_random.uuid4())  # accepted, not delivered
        seen[dedup] = now + DEDUPLICATION_WINDOW
        return original(topic, message, *args, deduplication_id=dedup, **kwargs)

    _patches.apply(Topic, "publish", publish)


def uninstall() -> None:
    _patches.restore()
