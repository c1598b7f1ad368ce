"""SQS rules that AWS enforces and moto 5 does not, enforced in the sandbox.

moto accepts out-of-range queue attributes (a 20-day retention, a 13-hour visibility timeout) and
a FIFO dead-letter queue for a standard queue. AWS rejects both, and a course that let them pass
would teach the learner something that fails on the real service. The ranges (:mod:`course.aws.limits`) are AWS's, as
stated in the SQS API reference (SetQueueAttributes), which botocore ships as the service model's
documentation: see :func:`documented_ranges`.

Two more gaps, both exam traps:

* a **standard** queue named ``orders.fifo``: moto creates it (a standard queue that only looks
  FIFO); AWS allows only alphanumerics, hyphens and underscores in a queue name, and the ``.fifo``
  suffix only on a FIFO queue (API Reference, CreateQueue: ``QueueName``);
* the **message size**: AWS counts UTF-8 *bytes* of the body plus every message attribute's name,
  type and value against ``MaximumMessageSize`` (1 MiB by default; Developer Guide, "Amazon SQS
  message quotas" and "Amazon SQS message attributes"); moto counts the body's *characters* only, so
  a body of 600,000 "é" (1.2 MB) or a 1 MiB body plus attributes would pass.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from course.aws.limits import SQS_ATTRIBUTE_RANGES, SQS_MAX_RECEIVE_COUNT_RANGE
from course.sandbox import Sandbox

__all__ = ["install", "documented_ranges", "message_size", "queue_by_arn"]

_STANDARD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def message_size(body: str, attributes: dict[str, Any] | None = None) -> int:
    """Bytes a message counts against ``MaximumMessageSize``: the UTF-8 body plus, for every
    message attribute, its name, data type and value."""
    size = len(body.encode("utf-8"))
    for name, attribute in (attributes or {}).items():
        size += len(name.encode("utf-8"))
        if not isinstance(attribute, dict):
            size += len(str(attribute).encode("utf-8"))
            continue
        size += len(str(attribute.get("DataType", "")).encode("utf-8"))
        if attribute.get("StringValue") is not None:
            size += len(str(attribute["StringValue"]).encode("utf-8"))
        binary = attribute.get("BinaryValue")
        if isinstance(binary, (bytes, bytearray)):
            size += len(binary)
        elif isinstance(binary, str):  # base64 on the wire
            try:
                size += len(base64.b64decode(binary))
            except ValueError:
                size += len(binary.encode("utf-8"))
    return size


def documented_ranges() -> str:
    """AWS's own text for SetQueueAttributes' ``Attributes``, from botocore's service model."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("sqs")
    return model.operation_model("SetQueueAttributes").input_shape.members["Attributes"].documentation


def install(sandbox: Sandbox) -> None:
    """Validate queue names, attributes and message sizes the way AWS does. Safe to call twice."""
    from moto.sqs.models import Queue, SQSBackend

    original = Queue._set_attributes
    original_validate_message = SQSBackend._validate_message
    original_send = SQSBackend.send_message

    def _set_attributes(queue: Any, attributes: dict[str, Any], now: float | None = None) -> None:
        _validate(queue, attributes)
        original(queue, attributes, now)

    def _validate_message(backend: Any, queue: Any, message_body: str, *args: Any, **kwargs: Any) -> None:
        original_validate_message(backend, queue, message_body, *args, **kwargs)
        _check_size(queue, message_body)  # before a batch sends anything

    def send_message(backend: Any, queue_name: str, message_body: str, *args: Any, **kwargs: Any) -> Any:
        attributes = kwargs.get("message_attributes", args[0] if args else None)
        _check_size(backend.get_queue(queue_name), message_body, attributes)
        return original_send(backend, queue_name, message_body, *args, **kwargs)

    sandbox.registry.patch(Queue, "_set_attributes", _set_attributes)
    sandbox.registry.patch(SQSBackend, "_validate_message", _validate_message)
    sandbox.registry.patch(SQSBackend, "send_message", send_message)



def _check_size(queue: Any, body: str, attributes: dict[str, Any] | None = None) -> None:
    from moto.sqs.exceptions import InvalidParameterValue

    limit = int(queue.maximum_message_size)
    if message_size(body, attributes) > limit:
        raise InvalidParameterValue(
            f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes.")


def _validate(queue: Any, attributes: dict[str, Any]) -> None:
    from moto.sqs.exceptions import InvalidAttributeValue, InvalidParameterValue, SQSException

    for name, (low, high) in SQS_ATTRIBUTE_RANGES.items():
        if name not in attributes or attributes[name] is None:
            continue
        try:
            value = int(attributes[name])
        except (TypeError, ValueError):
            raise InvalidAttributeValue(name) from None
        if not low <= value <= high:
            raise InvalidAttributeValue(name)

    source_is_fifo = _as_bool(attributes.get("FifoQueue", getattr(queue, "fifo_queue", False)))
    if not source_is_fifo and not _STANDARD_NAME.match(queue.name):
        raise InvalidParameterValue(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length. "
            "(Only a FIFO queue - created with FifoQueue=true - has a name ending in .fifo.)")

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
    if count is not None and not SQS_MAX_RECEIVE_COUNT_RANGE[0] <= count <= SQS_MAX_RECEIVE_COUNT_RANGE[1]:
        raise SQSException(
            "InvalidParameterValue",
            f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
            "maxReceiveCount: must be between 1 and 1000.",
        )
    target = queue_by_arn(policy.get("deadLetterTargetArn"))
    if target is not None and bool(target.fifo_queue) != source_is_fifo:
        kind, other = ("FIFO", "standard") if source_is_fifo else ("standard", "FIFO")
        raise SQSException(
            "InvalidParameterCombination",
            f"Value {json.dumps(policy)} for parameter RedrivePolicy is invalid. Reason: a "
            f"{kind} queue cannot use a {other} dead-letter queue: the dead-letter queue must be "
            "the same type as its source queue.",
        )


def queue_by_arn(arn: str | None) -> Any:
    """moto's queue with this ARN (its account and region read from the ARN), or ``None``."""
    from moto.sqs.models import sqs_backends

    parts = (arn or "").split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        return None
    return next((q for q in sqs_backends[parts[4]][parts[3]].queues.values() if q.queue_arn == arn), None)


def _as_bool(value: Any) -> bool:
    return str(value).lower() == "true"
