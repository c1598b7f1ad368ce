"""Every moto attribute the sandbox replaces still exists, with the parameters the course expects.

The AWS behaviours (``course.aws``) and the course clock replace private methods of moto's models.
A moto release that renames one, or changes its parameters, would make a behaviour silently stop
applying or fail deep inside a notebook. This test starts a sandbox, records the original of every
attribute patched through the sandbox's registry or the clock, and compares each with the table
below. On a mismatch it names the package, the installed version and the attribute: read that
moto method's new source, adapt the behaviour in ``course/aws/<service>/``, then update the table.
A new patch without a row here fails too, so the table stays complete.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any

import pytest

import course
from course.sandbox.clock import Clock
from course.sandbox.registry import Registry

#: (owner, attribute) -> the original's parameter names, as measured on moto 5.2.5
EXPECTED: dict[tuple[str, str], tuple[str, ...] | None] = {
    # course.aws.sqs
    ("moto.sqs.models.Queue", "_set_attributes"): ("self", "attributes", "now"),
    ("moto.sqs.models.Queue", "add_message"): ("self", "message"),
    ("moto.sqs.models.SQSBackend", "_validate_message"): (
        "self", "queue", "message_body", "delay_seconds", "deduplication_id", "group_id", "validate_group_id"),
    ("moto.sqs.models.SQSBackend", "send_message"): (
        "self", "queue_name", "message_body", "message_attributes", "delay_seconds", "deduplication_id",
        "group_id", "system_attributes", "validate_group_id"),
    ("moto.sqs.models.SQSBackend", "receive_message"): (
        "self", "queue_name", "count", "wait_seconds_timeout", "visibility_timeout", "message_attribute_names"),
    # course.aws.sqs.fair: Queue.add_message and SQSBackend.receive_message, rows above
    # course.aws.sqs.retention: those two as well, and
    ("moto.sqs.models.SQSBackend", "get_queue_attributes"): ("self", "queue_name", "attribute_names"),
    ("moto.sqs.models.SQSBackend", "is_message_valid_based_on_retention_period"): ("self", "queue_name", "message"),
    # course.aws.sns
    ("moto.sns.models", "FilterPolicyMatcher"): ("filter_policy", "filter_policy_scope"),
    ("moto.sns.models", "MAXIMUM_MESSAGE_LENGTH"): None,  # an int: moto's fixed character limit
    ("moto.sns.models.SNSBackend", "create_topic"): ("self", "name", "attributes", "tags"),
    ("moto.sns.models.SNSBackend", "set_topic_attribute"): ("self", "topic_arn", "attribute_name", "attribute_value"),
    ("moto.sns.models.SNSBackend", "subscribe"): ("self", "topic_arn", "endpoint", "protocol"),
    ("moto.sns.models.SNSBackend", "publish"): (
        "self", "message", "arn", "phone_number", "subject", "message_attributes", "group_id", "deduplication_id",
        "message_structure"),
    ("moto.sns.responses.SNSResponse", "get_topic_attributes"): ("self",),
    ("moto.sns.models.Subscription", "publish"): (
        "self", "message", "message_id", "subject", "message_attributes", "group_id", "deduplication_id",
        "message_structure"),
    ("moto.sns.models.Subscription", "get_post_data"): ("self", "message", "message_id", "subject",
                                                        "message_attributes"),
    ("moto.sns.models.SNSBackend", "_validate_filter_policy"): ("self", "value", "scope"),
    ("moto.sns.models.SNSBackend", "set_subscription_attributes"): ("self", "arn", "name", "value"),
    ("moto.sns.models.Topic", "publish"): (
        "self", "message", "subject", "message_attributes", "group_id", "deduplication_id", "message_structure"),
    # course.aws.events
    ("moto.events.models.EventPatternParser", "parse"): ("self",),
    ("moto.events.models.EventPattern", "matches_event"): ("self", "event"),
    ("moto.events.models.Rule", "send_to_targets"): ("self", "original_event", "transform_input"),
    ("moto.events.models.Rule", "put_targets"): ("self", "targets"),
    ("moto.events.models.EventsBackend", "test_event_pattern"): ("self",),  # a stub in moto
    ("moto.events.responses.EventsHandler", "test_event_pattern"): ("self",),
    ("moto.events.models.Replay", "replay_events"): ("self", "archive"),
    # course.aws.kinesis, course.aws.firehose
    ("moto.kinesis.models.Stream", "get_shard_for_key"): ("self", "partition_key", "explicit_hash_key"),
    ("moto.kinesis.models.Stream", "to_json_summary"): ("self",),
    ("moto.kinesis.responses.KinesisResponse", "create_stream"): ("self",),
    ("moto.kinesis.models.KinesisBackend", "put_record"): (
        "self", "stream_arn", "stream_name", "partition_key", "explicit_hash_key", "data"),
    ("moto.kinesis.models.KinesisBackend", "put_records"): ("self", "stream_arn", "stream_name", "records"),
    ("moto.kinesis.models.KinesisBackend", "register_stream_consumer"): ("self", "stream_arn", "consumer_name"),
    ("moto.firehose.models.FirehoseBackend", "put_s3_records"): (
        "self", "delivery_stream_name", "version_id", "s3_destination", "records"),
    # course.aws.speedups
    ("moto.core.responses", "camelcase_to_underscores"): ("argument",),
    ("moto.sqs.models", "camelcase_to_underscores"): ("argument",),
    ("moto.core.responses", "method_names_from_class"): ("clazz",),
    ("moto.sqs.models", "generate_receipt_handle"): (),
    # course.sandbox.clock
    ("moto.core.utils", "utcnow"): (),
    ("moto.core.utils", "unix_time"): ("dt",),
    ("moto.core.utils", "unix_time_millis"): ("dt",),
    ("moto.sqs.models.Queue", "wait_for_messages"): ("self", "timeout"),
    ("moto.firehose.models", "time"): None,  # time.time, a builtin without a signature
}


def _label(owner: Any) -> str:
    if isinstance(owner, type):
        return f"{owner.__module__}.{owner.__qualname__}"
    return owner.__name__


def _parameters(value: Any) -> tuple[str, ...] | None:
    try:
        return tuple(inspect.signature(value).parameters)
    except (TypeError, ValueError):
        return None


@pytest.fixture
def originals(monkeypatch) -> dict[tuple[str, str], Any]:
    """Start a sandbox and return the first original of every attribute it patched."""
    found: dict[tuple[str, str], Any] = {}
    registry_patch, clock_patch = Registry.patch, Clock._patch

    def record(owner: Any, name: str) -> None:
        found.setdefault((_label(owner), name), getattr(owner, name))

    def via_registry(self: Registry, owner: Any, name: str, value: Any) -> Any:
        record(owner, name)
        return registry_patch(self, owner, name, value)

    def via_clock(self: Clock, owner: Any, name: str, value: Any) -> None:
        record(owner, name)
        clock_patch(self, owner, name, value)

    monkeypatch.setattr(Registry, "patch", via_registry)
    monkeypatch.setattr(Clock, "_patch", via_clock)
    course.stop()
    course.start()
    yield found
    course.stop()


def test_moto_is_the_tested_version_range():
    major, minor = (int(part) for part in version("moto").split(".")[:2])
    assert (major, minor) == (5, 2), (
        f"moto {version('moto')} is installed; the sandbox's patches are tested on 5.2 (pyproject.toml pins it)")


def test_every_patched_moto_attribute_has_the_expected_signature(originals):
    moto = version("moto")
    problems = []
    for (owner, name), original in originals.items():
        if name in ("utcnow", "unix_time", "unix_time_millis") and owner != "moto.core.utils":
            continue  # the clock finds these by identity with moto.core.utils' own
        if (owner, name) not in EXPECTED:
            problems.append(f"{owner}.{name} is patched but has no row in EXPECTED: add it, with its parameters")
            continue
        got = _parameters(original)
        if got != EXPECTED[owner, name]:
            problems.append(f"moto {moto}: {owner}.{name} takes {got}, the course expects {EXPECTED[owner, name]}")
    missing = sorted(set(EXPECTED) - set(originals))
    problems += [f"moto {moto}: {owner}.{name} is in EXPECTED but no longer patched (or gone)"
                 for owner, name in missing]
    assert problems == []
