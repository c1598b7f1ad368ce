"""Fresh resources a check creates for itself, so it never collides with the notebook's state."""

from __future__ import annotations

import uuid
from typing import Any

__all__ = ["fresh_name", "make_queue", "drain_bodies", "queue_attributes"]


def fresh_name(prefix: str, fifo: bool = False) -> str:
    """A resource name no learner cell uses (``check-<prefix>-<random>``)."""
    name = f"check-{prefix}-{uuid.uuid4().hex[:8]}"
    return name + ".fifo" if fifo else name


def queue_attributes(sqs: Any, url: str) -> dict[str, str]:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def make_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    """Create a queue; return ``(url, arn)``."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, queue_attributes(sqs, url)["QueueArn"]


def drain_bodies(sqs: Any, url: str) -> list[str]:
    """Receive and delete every message now in the queue; return their raw bodies in order."""
    bodies: list[str] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in got]
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
    return bodies
