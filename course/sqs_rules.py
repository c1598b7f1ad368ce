"""SQS rules that AWS enforces and moto 5 does not, enforced in the sandbox.

moto accepts out-of-range queue attributes (a 20-day retention, a 13-hour visibility timeout) and
a FIFO dead-letter queue for a standard queue. AWS rejects both, and a course that let them pass
would teach the learner something that fails on the real service. The ranges below are AWS's, as
stated in the SQS API reference (SetQueueAttributes), which botocore ships as the service model's
documentation: see :func:`documented_ranges`.
"""

from __future__ import annotations

import json
from typing import Any

from course.patching import Patches

__all__ = ["ATTRIBUTE_RANGES", "MAX_RECEIVE_COUNT_RANGE", "install", "uninstall", "documented_ranges"]

#: (minimum, maximum) per integer attribute. Source: Amazon SQS API Reference, SetQueueAttributes.
ATTRIBUTE_RANGES: dict[str, tuple[int, int]] = {
    "DelaySeconds": (0, 900),  # 0 s to 15 minutes
    "MaximumMessageSize": (1_024, 1_048_576),  # 1 KiB to 1 MiB
    "MessageRetentionPeriod": (60, 1_209_600),  # 1 minute to 14 days
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43_200),  # 0 s to 12 hours
}
#: Source: Amazon SQS Developer Guide, "Using dead-letter queues" (maxReceiveCount 1 to 1,000).
MAX_RECEIVE_COUNT_RANGE = (1, 1_000)

_patches = Patches()


def documented_ranges() -> str:
    """AWS's own text for SetQueueAttributes' ``Attributes``, from botocore's service model."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("sqs")
    return model.operation_model("SetQueueAttributes").input_shape.members["Attributes"].documentation


def install() -> None:
    """Validate every queue's attributes the way AWS does. Safe to call twice."""
    from moto.sqs.models import Queue

    if _patches.active:
        return
    original = Queue._set_attributes

    def _set_attributes(queue: Any, attributes: dict[str, Any], now: float | None = None) -> None:
        _validate(queue, attributes)
        original(queue, attributes, now)

    _patches.apply(Queue, "_set_attributes", _set_attributes)


def uninstall() -> None:
    _patches.restore()


def _validate(queue: Any, attributes: dict[str, Any]) -> None:
    from moto.sqs.exceptions import InvalidAttributeValue, SQSException

    for name, (low, high) in ATTRIBUTE_RANGES.items():
        if name not in attributes or attributes[name] is None:
            continue
        try:
            value = int(attributes[name])
        except (TypeError, ValueError):
            raise InvalidAttributeValue(name) from None
        if not low <= value <= high:
            raise InvalidAttributeValue(name)

    policy = attributes.get("RedrivePolicy")
    if not policy:
        return
    try:
        policy = json.loads(policy) if isinstance(policy, str) else dict(policy)
    except (TypeError, ValueError):
        return  # moto reports malformed JSON itself
    if not policy:
        return
    try:
        count = int(policy.get("maxReceiveCount"))
    except (TypeError, ValueError):
        count = None
    if count is not None and not MAX_RECEIVE_COUNT_RANGE[0] <= count <= MAX_RECEIVE_COUNT_RANGE[1]:
        raise SQSException(
            "InvalidParameterValue",
            f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
            "maxReceiveCount: must be between 1 and 1000.",
        )
    source_is_fifo = _as_bool(attributes.get("FifoQueue", getattr(queue, "fifo_queue", False)))
    target = _queue_by_arn(queue, policy.get("deadLetterTargetArn"))
    if target is not None and bool(target.fifo_queue) != source_is_fifo:
        kind, other = ("FIFO", "standard") if source_is_fifo else ("standard", "FIFO")
        raise SQSException(
            "InvalidParameterCombination",
            f"Value {json.dumps(policy)} for parameter RedrivePolicy is invalid. Reason: a "
            f"{kind} queue cannot use a {other} dead-letter queue: the dead-letter queue must be "
            "the same type as its source queue.",
        )


def _queue_by_arn(queue: Any, arn: str | None) -> Any:
    from moto.sqs.models import sqs_backends

    if not arn:
        return None
    backend = sqs_backends[queue.account_id][queue.region]
    return next((q for q in backend.queues.values() if q.queue_arn == arn), None)


def _as_bool(value: Any) -> bool:
    return str(value).lower() == "true"
