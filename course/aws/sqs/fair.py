"""SQS fair queues: a ``MessageGroupId`` on a *standard* queue names a tenant (moto has no notion).

Since 2025 a standard queue accepts ``MessageGroupId``. It does not make the queue FIFO - no
ordering, no per-group locking - it marks the tenant, and SQS limits the *noisy-neighbour* effect:
when one tenant holds more than 10% of the queue's in-flight messages and at least 30 of its own,
ReceiveMessage returns the other (quiet) tenants' messages first whenever there are some, so their
dwell time stays low while the noisy tenant's backlog waits. Noisy messages are not dropped or
throttled, and a message without a group id counts as a tenant of its own. A tenant stops being
noisy when its backlog is empty or it has sent nothing for 5 minutes.

moto accepts and stores the group id on a standard queue and returns messages in arrival order, so
a flood from one tenant delays everyone behind it. Here a receive on a standard queue that holds
group ids first moves the visible messages of noisy tenants behind the others (a standard queue's
order is best-effort, so this is a legal order too).

Sources: Amazon SQS Developer Guide, "Amazon SQS fair queues", "How Amazon SQS fair queues work",
"Amazon SQS message quotas" (Message group ID).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from course.aws.limits import SQS_FAIR_QUEUE
from course.sandbox import Sandbox

__all__ = ["install", "noisy_tenants"]


def noisy_tenants(queue: Any, now: float, last_sent: dict[str, float] | None = None) -> set[str]:
    """The group ids of a standard queue's noisy neighbours at ``now`` (unix seconds)."""
    in_flight = Counter(m.group_id for m in queue._messages
                        if not m.visible and not m.delayed and m.group_id)
    total = sum(1 for m in queue._messages if not m.visible and not m.delayed)
    backlog = {m.group_id for m in queue._messages if m.visible and m.group_id}
    quiet_after = SQS_FAIR_QUEUE["quiet_after_seconds"]
    return {
        tenant for tenant, count in in_flight.items()
        if count >= SQS_FAIR_QUEUE["noisy_min_in_flight"]
        and count > SQS_FAIR_QUEUE["noisy_share_of_in_flight"] * total
        and tenant in backlog
        and now - (last_sent or {}).get(tenant, now) < quiet_after
    }


def install(sandbox: Sandbox) -> None:
    """Serve quiet tenants first on standard queues whose messages carry a MessageGroupId."""
    from moto.core.utils import unix_time
    from moto.sqs.models import Queue, SQSBackend

    last_sent: dict[tuple[str, str], float] = sandbox.registry.state("sqs.fair.last_sent", dict)

    def add_message(queue: Any, message: Any) -> None:
        if not queue.fifo_queue and message.group_id:
            last_sent[queue.queue_arn, message.group_id] = unix_time()
        original_add(queue, message)

    def receive_message(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        queue = backend.get_queue(queue_name)
        if not queue.fifo_queue:
            _serve_quiet_first(queue)
        return original_receive(backend, queue_name, *args, **kwargs)

    def _serve_quiet_first(queue: Any) -> None:
        with queue._messages_lock:
            if not any(m.group_id for m in queue._messages):
                return  # no tenants named: an ordinary standard queue
            sent = {group: at for (arn, group), at in last_sent.items() if arn == queue.queue_arn}
            noisy = noisy_tenants(queue, unix_time(), sent)
            if noisy:  # stable: each tenant's messages keep their order
                queue._messages.sort(key=lambda m: m.visible and m.group_id in noisy)

    original_add = sandbox.registry.patch(Queue, "add_message", add_message)
    original_receive = sandbox.registry.patch(SQSBackend, "receive_message", receive_message)
