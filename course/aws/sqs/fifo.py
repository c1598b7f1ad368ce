"""FIFO deduplication and throughput settings as AWS applies them (moto 5 differs).

* AWS remembers a deduplication id for **5 minutes** from the first send, even after that message
  was received and deleted; moto only compares against messages still in the queue, so a
  producer's retry after a fast consumer deleted the original would be delivered twice.
* With ``DeduplicationScope=messageGroup`` (high-throughput mode) ids are deduplicated per
  message group; moto compares across the whole queue.
* When several messages of a group become visible again after a visibility timeout, AWS
  redelivers them in order; moto releases them from "in flight" one by one while it scans, so it
  skips the first and hands out a later one - order broken. The sandbox releases them together.
* ``DeduplicationScope`` is ``messageGroup`` or ``queue``; ``FifoThroughputLimit`` is ``perQueue``
  or ``perMessageGroupId``, and ``perMessageGroupId`` needs ``messageGroup`` scope.

Source: Amazon SQS Developer Guide, "Exactly-once processing in Amazon SQS" and "High throughput
for FIFO queues in Amazon SQS"; API Reference, SetQueueAttributes.
"""

from __future__ import annotations

from typing import Any

from course.aws.limits import SQS_DEDUPLICATION_WINDOW
from course.sandbox import Sandbox

__all__ = ["install"]


def install(sandbox: Sandbox) -> None:
    from moto.sqs.models import Queue, SQSBackend

    # id -> expiry, per queue ARN: AWS remembers ids after the message is gone (moto does not)
    seen_ids: dict[str, dict[tuple[str | None, str], float]] = sandbox.registry.state("sqs.fifo.dedup", dict)
    original_receive = SQSBackend.receive_message
    original_add = Queue.add_message
    original_set = Queue._set_attributes

    def add_message(queue: Any, message: Any) -> None:
        if not (queue.fifo_queue and message.deduplication_id):
            original_add(queue, message)
            return
        if not _is_redrive(queue, message):
            table = seen_ids.setdefault(queue.queue_arn, {})
            if _seen_recently(table, queue, message):
                return  # accepted by SendMessage, never delivered: that is what dedup means
            _remember(table, queue, message)
        # moto's own, narrower dedup (queue-wide, messages still present) is replaced, not
        # stacked: the original add_message skips it for a queue that is not FIFO, and still does
        # the rest (store, wake long polls, moto's event source mappings). The lock is
        # re-entrant, so no receive sees the queue as standard meanwhile.
        with queue._messages_lock:
            queue.fifo_queue = False
            try:
                original_add(queue, message)
            finally:
                queue.fifo_queue = True

    def _set_attributes(queue: Any, attributes: dict[str, Any], now: float | None = None) -> None:
        _validate(queue, attributes)
        original_set(queue, attributes, now)

    def receive_message(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        queue = backend.get_queue(queue_name)
        if queue.fifo_queue:
            for message in [m for m in queue.pending_messages if m.visible]:
                queue.pending_messages.discard(message)  # timed out: no longer in flight
        return original_receive(backend, queue_name, *args, **kwargs)

    sandbox.registry.patch(Queue, "add_message", add_message)
    sandbox.registry.patch(Queue, "_set_attributes", _set_attributes)
    sandbox.registry.patch(SQSBackend, "receive_message", receive_message)



def _key(queue: Any, message: Any) -> tuple[str | None, str]:
    group = message.group_id if getattr(queue, "deduplication_scope", "queue") == "messageGroup" else None
    return group, message.deduplication_id


def _seen_recently(table: dict, queue: Any, message: Any) -> bool:
    from moto.core.utils import unix_time

    expires = table.get(_key(queue, message))
    return expires is not None and unix_time() < expires


def _remember(table: dict, queue: Any, message: Any) -> None:
    from moto.core.utils import unix_time

    now = unix_time()
    for key in [k for k, expires in table.items() if expires <= now]:
        del table[key]  # forget expired ids so the table stays small
    table[_key(queue, message)] = now + SQS_DEDUPLICATION_WINDOW


def _is_redrive(queue: Any, message: Any) -> bool:
    """A message moved to this DLQ by SQS keeps its id; AWS does not deduplicate that move."""
    return getattr(message, "approximate_receive_count", 0) > 0


def _validate(queue: Any, attributes: dict[str, Any]) -> None:
    from moto.sqs.exceptions import InvalidAttributeValue, SQSException

    scope = attributes.get("DeduplicationScope")
    limit = attributes.get("FifoThroughputLimit")
    if scope is not None and scope not in ("messageGroup", "queue"):
        raise InvalidAttributeValue("DeduplicationScope")
    if limit is not None and limit not in ("perQueue", "perMessageGroupId"):
        raise InvalidAttributeValue("FifoThroughputLimit")
    effective_scope = scope if scope is not None else getattr(queue, "deduplication_scope", "queue")
    if limit == "perMessageGroupId" and effective_scope != "messageGroup":
        raise SQSException(
            "InvalidAttributeValue",
            "FifoThroughputLimit perMessageGroupId requires DeduplicationScope messageGroup "
            "(high-throughput mode sets both).",
        )
