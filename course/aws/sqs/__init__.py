"""Amazon SQS as AWS has it, where moto 5 differs.

* :mod:`course.aws.sqs.rules` - attribute ranges, queue names, the DLQ type rule, message size in
  UTF-8 bytes with attributes;
* :mod:`course.aws.sqs.fifo` - the 5-minute deduplication window, per-group scope, in-order
  redelivery, high-throughput settings;
* :mod:`course.aws.sqs.fair` - fair queues: a MessageGroupId on a standard queue names a tenant,
  and quiet tenants are served before a noisy neighbour's backlog;
* :mod:`course.aws.sqs.retention` - expired messages are deleted, read or not; a FIFO queue's DLQ
  restarts a moved message's retention, a standard queue's DLQ does not;
* every stored message is announced as :data:`MESSAGE_STORED` (the timeline view listens).
"""

from __future__ import annotations

from typing import Any

from course.aws.sqs import fair, fifo, retention, rules
from course.sandbox import Behaviour, Sandbox

__all__ = ["MESSAGE_STORED", "behaviour"]

#: emitted with ``(queue, message)`` whenever moto stores a message in a queue
MESSAGE_STORED = "sqs.message-stored"


def _announce_stored_messages(sandbox: Sandbox) -> None:
    from moto.sqs.models import Queue

    def add_message(queue: Any, message: Any) -> None:
        stored(queue, message)
        sandbox.registry.emit(MESSAGE_STORED, queue, message)

    stored = sandbox.registry.patch(Queue, "add_message", add_message)


def _install(sandbox: Sandbox) -> None:
    rules.install(sandbox)
    fifo.install(sandbox)
    fair.install(sandbox)
    retention.install(sandbox)
    _announce_stored_messages(sandbox)


behaviour = Behaviour(
    "sqs",
    "attribute ranges, queue names, DLQ type, message size in bytes; FIFO dedup window, scope "
    "and in-order redelivery; fair queues (quiet tenants first); retention as AWS deletes, DLQ moves included",
    _install,
)
