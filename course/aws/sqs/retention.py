"""Message retention as AWS applies it (moto 5 differs).

AWS deletes a message once it has been in its queue for the queue's ``MessageRetentionPeriod``,
whether anyone read it or not. moto only looks at a message's age when a receive reaches it: until
then an expired message is still counted in ``ApproximateNumberOfMessages``, and the receive that
reaches it marks it received (it counts as in flight, its receive count grows, and a redrive policy
can move it to the dead-letter queue) and stops there, returning nothing though newer messages
wait. The sandbox deletes expired messages before each receive and each read of a queue's
attributes, so every API call sees the queue as AWS would.

Where a message's time counts from (SQS Developer Guide, "Setting-up dead-letter queue
retention"): a message moved to a standard queue's DLQ keeps its original enqueue time, so it may
expire soon after the move; in a FIFO queue's DLQ the enqueue time resets at the move.
"""

from __future__ import annotations

from typing import Any

from course.sandbox import Sandbox

__all__ = ["expires_at", "install"]

#: the sandbox's table (queue ARN, message id) -> when SQS moved the message into that FIFO DLQ
_MOVED_AT = "sqs.retention.fifo-dlq-moves"


def expires_at(sandbox: Sandbox, queue: Any, message: Any) -> float:
    """When ``message`` (moto's, in moto's ``queue``) expires, in Unix seconds: the queue's retention
    after its send, or after its move into a FIFO DLQ."""
    moved_at: dict[tuple[str, str], float] = sandbox.registry.state(_MOVED_AT, dict)
    enqueued = moved_at.get((queue.queue_arn, message.id), (message.sent_timestamp or 0) / 1000)
    return enqueued + int(queue.message_retention_period)


def install(sandbox: Sandbox) -> None:
    from moto.core.utils import unix_time
    from moto.sqs.models import Queue, SQSBackend

    moved_at: dict[tuple[str, str], float] = sandbox.registry.state(_MOVED_AT, dict)

    def expired(queue: Any, message: Any, now: float) -> bool:
        return expires_at(sandbox, queue, message) <= now

    def expire(queue: Any | None) -> None:
        if queue is None:
            return  # moto's own call reports the missing queue
        now = unix_time()
        with queue._messages_lock:
            for message in [m for m in queue._messages if expired(queue, m, now)]:
                queue._messages.remove(message)
                queue.pending_messages.discard(message)
                moved_at.pop((queue.queue_arn, message.id), None)

    def add_message(queue: Any, message: Any) -> None:
        # a message arriving with receives behind it is one SQS moved here from its source queue
        if queue.fifo_queue and getattr(message, "approximate_receive_count", 0) > 0:
            moved_at[(queue.queue_arn, message.id)] = unix_time()
        original_add(queue, message)

    def receive_message(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        expire(backend.queues.get(queue_name))
        return original_receive(backend, queue_name, *args, **kwargs)

    def get_queue_attributes(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        expire(backend.queues.get(queue_name))
        return original_attributes(backend, queue_name, *args, **kwargs)

    def is_message_valid_based_on_retention_period(backend: Any, queue_name: str, message: Any) -> bool:
        # a message that expires during a long poll; reads one attribute, not the queue's full
        # attribute dictionary as moto does for every message (O(n^2) for a receive of n)
        return not expired(backend.get_queue(queue_name), message, unix_time())

    original_add = sandbox.registry.patch(Queue, "add_message", add_message)
    original_receive = sandbox.registry.patch(SQSBackend, "receive_message", receive_message)
    original_attributes = sandbox.registry.patch(SQSBackend, "get_queue_attributes", get_queue_attributes)
    sandbox.registry.patch(SQSBackend, "is_message_valid_based_on_retention_period",
                           is_message_valid_based_on_retention_period)
