"""SNS message size as AWS counts it (moto 5 counts differently).

AWS checks the *combined* size of the message body and its message attributes, in UTF-8 bytes,
against the topic's ``MaximumMessageSize``: 256 KiB (262,144 bytes) by default, settable from
1,024 bytes to 1 MiB. A topic set above 256 KiB takes at most 100 subscriptions, each SQS, Firehose
or Lambda. moto compares the body's *characters* with a fixed 262,144 and ignores the attributes
and the topic attribute: 200,000 "é" (400,000 bytes) pass, a 300 KiB message to a topic raised to
1 MiB is refused.

Sources: SNS API Reference, Publish and SetTopicAttributes (MaximumMessageSize); Amazon SNS
Developer Guide, "Publishing large messages with Amazon SNS".
"""

from __future__ import annotations

from typing import Any

from course.aws.limits import SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS, SNS_MESSAGE_SIZE, within
from course.aws.sqs.rules import message_size
from course.sandbox import Sandbox

__all__ = ["install", "maximum_size", "publish_size"]

_LARGE_TOPIC_PROTOCOLS = ("sqs", "firehose", "lambda")


def publish_size(message: str, attributes: dict[str, Any] | None = None) -> int:
    """Bytes a publish counts against the topic's MaximumMessageSize: the UTF-8 body plus every
    attribute's name, type and value (SNS's ``{"Type", "Value"}`` form or SQS's form)."""
    as_sqs = {name: {"DataType": a.get("Type", a.get("DataType", "")),
                     ("BinaryValue" if str(a.get("Type", "")).startswith("Binary") else "StringValue"):
                     a.get("Value", a.get("StringValue", a.get("BinaryValue")))}
              for name, a in (attributes or {}).items() if isinstance(a, dict)}
    return message_size(message, as_sqs)


def maximum_size(topic: Any) -> int:
    """The topic's MaximumMessageSize in bytes (262,144 unless set)."""
    return int(getattr(topic, "maximum_message_size", None) or SNS_MESSAGE_SIZE["default"])


def _invalid(message: str) -> Exception:
    from moto.sns.exceptions import SNSInvalidParameter

    return SNSInvalidParameter(f"Invalid parameter: {message}")


def _check_setting(backend: Any, topic: Any, value: Any) -> None:
    low, high = SNS_MESSAGE_SIZE["range"]
    size = within(value, (low, high))
    if size is None:
        raise _invalid(f"MaximumMessageSize must be {low} to {high} bytes")
    if size > SNS_MESSAGE_SIZE["default"] and topic is not None:
        subscriptions = backend._get_topic_subscriptions(topic)
        if len(subscriptions) > SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS or any(
                s.protocol not in _LARGE_TOPIC_PROTOCOLS for s in subscriptions):
            raise _invalid("a topic above 256 KiB takes at most 100 subscriptions, each SQS, Firehose or Lambda")


def install(sandbox: Sandbox) -> None:
    """Count publishes in bytes with attributes against the topic's MaximumMessageSize."""
    import moto.sns.models as models

    def create_topic(backend: Any, name: str, attributes: dict[str, str] | None = None,
                     tags: dict[str, str] | None = None) -> Any:
        if attributes and "MaximumMessageSize" in attributes:
            _check_setting(backend, None, attributes["MaximumMessageSize"])
        return original_create(backend, name, attributes, tags)

    def set_topic_attribute(backend: Any, topic_arn: str, attribute_name: str, attribute_value: str) -> None:
        if attribute_name == "maximum_message_size":  # moto's responses pass the name underscored
            _check_setting(backend, backend.get_topic(topic_arn), attribute_value)
        original_set_topic(backend, topic_arn, attribute_name, attribute_value)

    def subscribe(backend: Any, topic_arn: str, endpoint: str, protocol: str) -> Any:
        topic = backend.get_topic(topic_arn)
        if maximum_size(topic) > SNS_MESSAGE_SIZE["default"]:
            if protocol not in _LARGE_TOPIC_PROTOCOLS or (
                    len(backend._get_topic_subscriptions(topic)) >= SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS):
                raise _invalid("a topic above 256 KiB takes at most 100 subscriptions, each SQS, Firehose or Lambda")
        return original_subscribe(backend, topic_arn, endpoint, protocol)

    def publish(backend: Any, message: str, arn: str | None, phone_number: str | None = None,
                subject: str | None = None, message_attributes: dict[str, Any] | None = None,
                *args: Any, **kwargs: Any) -> str:
        if arn and not phone_number and arn in backend.topics:
            limit = maximum_size(backend.topics[arn])
            if publish_size(message, message_attributes) > limit:
                raise models.InvalidParameterValue(
                    f"Invalid parameter: Message too long: the message and its attributes exceed the topic's "
                    f"MaximumMessageSize of {limit} bytes")
        return original_publish(backend, message, arn, phone_number, subject, message_attributes, *args, **kwargs)

    original_create = sandbox.registry.patch(models.SNSBackend, "create_topic", create_topic)
    original_set_topic = sandbox.registry.patch(models.SNSBackend, "set_topic_attribute", set_topic_attribute)
    original_subscribe = sandbox.registry.patch(models.SNSBackend, "subscribe", subscribe)
    original_publish = sandbox.registry.patch(models.SNSBackend, "publish", publish)
    # moto's own character count would refuse what a topic raised to 1 MiB accepts: the check
    # above replaces it, so moto's fixed limit moves to the largest size AWS allows
    sandbox.registry.patch(models, "MAXIMUM_MESSAGE_LENGTH", SNS_MESSAGE_SIZE["range"][1])
