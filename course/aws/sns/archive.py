"""FIFO topic message archiving and replay, on the course clock (moto 5 has neither).

On AWS a FIFO topic with an ``ArchivePolicy`` (``{"MessageRetentionPeriod": "<days>"}``, 1 to 365
days) keeps a copy of every message it delivers. A subscriber sets a ``ReplayPolicy`` on its
subscription (``{"PointType": "Timestamp", "StartingPoint": ..., "EndingPoint": ...}``, with
``Subscribe`` or ``SetSubscriptionAttributes``) and SNS redelivers the archived messages published
in that window to that subscription only - same body and ``MessageId``, original ``Timestamp``, a
``Replayed`` flag, through the subscription's filter policy. Without an ``EndingPoint`` the
subscription goes on receiving new messages; with one it is *paused* after the replay until a new
ReplayPolicy without an ending point resumes it. ``GetTopicAttributes`` reports
``BeginningArchiveTime``, the earliest point a replay can start from.

moto stores neither attribute: it accepts ``ArchivePolicy`` (on any topic) and forgets it, and
refuses ``ReplayPolicy``. Here the archive lives in the sandbox's state; messages older than the
retention period are gone as soon as the course clock passes it.

Sources: Amazon SNS Developer Guide, "Amazon SNS message archiving and replay for FIFO topics",
"Amazon SNS message archiving for FIFO topic owners", "Amazon SNS message replay for FIFO topic
subscribers"; SNS API Reference, Subscribe (ReplayPolicy, ReplayStatus) and GetTopicAttributes
(BeginningArchiveTime).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from course.aws.limits import SNS_ARCHIVE_RETENTION_DAYS, within
from course.aws.sns import signing
from course.sandbox import Sandbox

__all__ = ["archived", "install"]

_STATE = "sns.archive"
_DAY = 86_400


@dataclass
class _Message:
    message_id: str
    published_at: float  #: unix seconds on the course clock
    message: str
    subject: str | None
    attributes: dict[str, Any] | None
    group_id: str | None
    deduplication_id: str | None
    structure: str | None


@dataclass
class _Archive:
    retention_days: int
    since: float  #: when the policy was set: nothing older can be replayed
    messages: list[_Message] = field(default_factory=list)

    def expire(self, now: float) -> None:
        cutoff = now - self.retention_days * _DAY
        self.messages = [m for m in self.messages if m.published_at >= cutoff]

    def beginning(self, now: float) -> float:
        return max(self.since, now - self.retention_days * _DAY)


@dataclass
class _Tables:
    archives: dict[str, _Archive] = field(default_factory=dict)  #: topic ARN -> archive
    paused: set[str] = field(default_factory=set)  #: subscription ARNs paused after a bounded replay
    #: (publish time, replayed?) of the delivery under way, so every copy carries the same Timestamp
    delivering: list[tuple[float, bool]] = field(default_factory=list)


def archived(cloud: Sandbox, topic_arn: str) -> int:
    """How many messages the topic's archive holds now (for lessons and checks)."""
    from moto.core.utils import unix_time

    archive = cloud.registry.state(_STATE, _Tables).archives.get(topic_arn)
    if archive is None:
        return 0
    archive.expire(unix_time())
    return len(archive.messages)


def _invalid(message: str) -> Exception:
    from moto.sns.exceptions import SNSInvalidParameter

    return SNSInvalidParameter(f"Invalid parameter: {message}")


def _retention_days(policy: Any) -> int | None:
    """The retention of an ArchivePolicy, or None for ``{}`` (archiving switched off)."""
    try:
        parsed = json.loads(policy) if isinstance(policy, str) else dict(policy or {})
    except (TypeError, ValueError):
        raise _invalid("ArchivePolicy: not valid JSON") from None
    if not parsed:
        return None
    if set(parsed) != {"MessageRetentionPeriod"}:
        raise _invalid("ArchivePolicy: the only key is MessageRetentionPeriod")
    low, high = SNS_ARCHIVE_RETENTION_DAYS
    days = within(parsed["MessageRetentionPeriod"], (low, high))
    if days is None:
        raise _invalid(f"ArchivePolicy: MessageRetentionPeriod must be {low} to {high} days")
    return days


def _timestamp(value: Any, name: str) -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc).timestamp()
    except ValueError:
        raise _invalid(f"ReplayPolicy: {name} must be an ISO 8601 timestamp") from None


def _replay_window(policy: Any) -> tuple[float, float | None]:
    try:
        parsed = json.loads(policy) if isinstance(policy, str) else dict(policy)
    except (TypeError, ValueError):
        raise _invalid("ReplayPolicy: not valid JSON") from None
    if parsed.get("PointType") != "Timestamp":
        raise _invalid("ReplayPolicy: PointType must be Timestamp")
    if "StartingPoint" not in parsed:
        raise _invalid("ReplayPolicy: StartingPoint is required")
    start = _timestamp(parsed["StartingPoint"], "StartingPoint")
    end = _timestamp(parsed["EndingPoint"], "EndingPoint") if parsed.get("EndingPoint") else None
    if end is not None and end < start:
        raise _invalid("ReplayPolicy: EndingPoint is before StartingPoint")
    return start, end


def install(sandbox: Sandbox) -> None:
    """Archive FIFO topics' messages and replay them per subscription. Installed before
    :mod:`course.aws.sns.fifo`, so a deduplicated message is never archived."""
    from moto.core.utils import unix_time
    from moto.sns.models import SNSBackend, Subscription, Topic
    from moto.sns.responses import SNSResponse

    tables = sandbox.registry.state(_STATE, _Tables)

    def set_policy(topic: Any, value: Any) -> None:
        if not topic.fifo_topic:
            raise _invalid("ArchivePolicy: message archiving is only available for FIFO topics")
        days = _retention_days(value)
        if days is None:
            tables.archives.pop(topic.arn, None)
            return
        archive = tables.archives.get(topic.arn)
        if archive is None:
            tables.archives[topic.arn] = _Archive(days, unix_time())
        else:
            archive.retention_days = days

    def create_topic(backend: Any, name: str, attributes: dict[str, str] | None = None,
                     tags: dict[str, str] | None = None) -> Any:
        attributes = dict(attributes or {})
        policy = attributes.pop("ArchivePolicy", None)
        topic = original_create(backend, name, attributes, tags)
        if policy is not None:
            set_policy(topic, policy)
            topic.archive_policy = policy
        return topic

    def set_topic_attribute(backend: Any, topic_arn: str, attribute_name: str, attribute_value: str) -> None:
        if attribute_name == "archive_policy":  # moto's responses pass the name underscored
            set_policy(backend.get_topic(topic_arn), attribute_value)
        original_set_topic(backend, topic_arn, attribute_name, attribute_value)

    def get_topic_attributes(response: Any) -> Any:
        result = original_get_attributes(response)
        topic_arn = response._get_param("TopicArn")
        archive = tables.archives.get(topic_arn)
        if archive is not None:
            now = unix_time()
            result.result["Attributes"]["ArchivePolicy"] = json.dumps(
                {"MessageRetentionPeriod": str(archive.retention_days)})
            result.result["Attributes"]["BeginningArchiveTime"] = datetime.fromtimestamp(
                archive.beginning(now), timezone.utc).isoformat().replace("+00:00", "Z")
        return result

    def publish(topic: Any, message: str, subject: str | None = None, message_attributes: Any = None,
                group_id: str | None = None, deduplication_id: str | None = None,
                message_structure: str | None = None) -> str:
        archive = tables.archives.get(topic.arn)
        if archive is None:
            return original_publish(topic, message, subject, message_attributes, group_id,
                                    deduplication_id, message_structure)
        now = unix_time()
        tables.delivering.append((now, False))
        try:
            message_id = original_publish(topic, message, subject, message_attributes, group_id,
                                          deduplication_id, message_structure)
        finally:
            tables.delivering.pop()
        archive.expire(now)
        archive.messages.append(_Message(message_id, now, message, subject, message_attributes, group_id,
                                         deduplication_id, message_structure))
        return message_id

    def subscription_publish(subscription: Any, *args: Any, **kwargs: Any) -> None:
        if subscription.arn in tables.paused:
            return  # a replay with an EndingPoint paused this subscription
        original_subscription_publish(subscription, *args, **kwargs)

    def set_subscription_attributes(backend: Any, arn: str, name: str, value: Any) -> None:
        if name != "ReplayPolicy":
            original_set_subscription(backend, arn, name, value)
            return
        subscription = backend.subscriptions.get(arn)
        if subscription is None:
            from moto.sns.exceptions import SNSNotFoundError

            raise SNSNotFoundError(f"Subscription with arn {arn} not found")
        archive = tables.archives.get(subscription.topic.arn)
        if archive is None:
            raise _invalid("ReplayPolicy: the topic is not a FIFO topic with an ArchivePolicy")
        start, end = _replay_window(value)
        replay(subscription, archive, start, end)
        subscription.attributes["ReplayPolicy"] = value if isinstance(value, str) else json.dumps(value)
        subscription.attributes["ReplayStatus"] = "Completed"

    def replay(subscription: Any, archive: _Archive, start: float, end: float | None) -> None:
        archive.expire(unix_time())
        tables.paused.discard(subscription.arn)
        for n, item in enumerate(m for m in archive.messages
                                 if m.published_at >= start and (end is None or m.published_at <= end)):
            tables.delivering.append((item.published_at, True))
            try:
                # a FIFO queue would drop a copy with the original deduplication id inside its own
                # 5-minute window; AWS redelivers replayed messages, so the copy gets its own id
                dedup = f"{item.deduplication_id or item.message_id}-replay-{n}"[:128]
                original_subscription_publish(subscription, item.message, item.message_id, subject=item.subject,
                                              message_attributes=item.attributes, group_id=item.group_id,
                                              deduplication_id=dedup, message_structure=item.structure)
            finally:
                tables.delivering.pop()
        if end is not None:
            tables.paused.add(subscription.arn)

    def get_post_data(subscription: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        data = original_post_data(subscription, *args, **kwargs)
        if tables.delivering:  # a replay keeps the original Timestamp (and MessageId), flagged Replayed
            published_at, replayed = tables.delivering[-1]
            data["Timestamp"] = datetime.fromtimestamp(published_at, timezone.utc).isoformat(
                timespec="milliseconds").replace("+00:00", "Z")
            if replayed:
                data["Replayed"] = True
            data["Signature"] = signing.signature(data)  # the Timestamp is signed: a subscriber verifies it
        return data

    original_create = sandbox.registry.patch(SNSBackend, "create_topic", create_topic)
    original_set_topic = sandbox.registry.patch(SNSBackend, "set_topic_attribute", set_topic_attribute)
    original_get_attributes = sandbox.registry.patch(SNSResponse, "get_topic_attributes", get_topic_attributes)
    original_publish = sandbox.registry.patch(Topic, "publish", publish)
    original_subscription_publish = sandbox.registry.patch(Subscription, "publish", subscription_publish)
    original_set_subscription = sandbox.registry.patch(SNSBackend, "set_subscription_attributes",
                                                       set_subscription_attributes)
    original_post_data = sandbox.registry.patch(Subscription, "get_post_data", get_post_data)
