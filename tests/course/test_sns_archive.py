"""FIFO topic message archiving and replay, on the course clock (course.aws.sns.archive)."""

import json
from datetime import timedelta

import pytest

from course.aws.sns.archive import archived

DAY = 86_400


@pytest.fixture
def sns(cloud):
    return cloud.client("sns")


@pytest.fixture
def archive_topic(sns):
    """A FIFO topic that archives for 7 days."""
    return sns.create_topic(Name="orders.fifo", Attributes={
        "FifoTopic": "true", "ContentBasedDeduplication": "true",
        "ArchivePolicy": json.dumps({"MessageRetentionPeriod": "7"})})["TopicArn"]


@pytest.fixture
def subscribed(sns, make_queue, arn_of, archive_topic):
    """(subscription ARN, queue URL) of a standard queue subscribed to the archiving topic."""
    url = make_queue("ledger")
    return sns.subscribe(TopicArn=archive_topic, Protocol="sqs", Endpoint=arn_of(url))["SubscriptionArn"], url


def drain(sqs, url):
    """Every envelope in the queue, deleted as read."""
    envelopes = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            envelopes.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return envelopes


def replay(sns, subscription, start, end=None):
    policy = {"PointType": "Timestamp", "StartingPoint": start.isoformat()}
    if end is not None:
        policy["EndingPoint"] = end.isoformat()
    sns.set_subscription_attributes(SubscriptionArn=subscription, AttributeName="ReplayPolicy",
                                    AttributeValue=json.dumps(policy))


def publish(sns, topic, cloud, bodies, every=60):
    for body in bodies:
        sns.publish(TopicArn=topic, Message=body, MessageGroupId="orders")
        cloud.advance(every)


def test_the_topic_reports_its_archive_policy_and_beginning_archive_time(sns, archive_topic):
    attributes = sns.get_topic_attributes(TopicArn=archive_topic)["Attributes"]
    assert json.loads(attributes["ArchivePolicy"]) == {"MessageRetentionPeriod": "7"}
    assert attributes["BeginningArchiveTime"].endswith("Z")


@pytest.mark.parametrize("days", ["0", "366", "seven"])
def test_a_retention_outside_1_to_365_days_is_refused(sns, archive_topic, days, error_code):
    assert error_code(lambda: sns.set_topic_attributes(
        TopicArn=archive_topic, AttributeName="ArchivePolicy",
        AttributeValue=json.dumps({"MessageRetentionPeriod": days}))) == "InvalidParameter"


def test_a_standard_topic_cannot_archive(sns, error_code):
    assert error_code(lambda: sns.create_topic(Name="plain", Attributes={
        "ArchivePolicy": json.dumps({"MessageRetentionPeriod": "7"})})) == "InvalidParameter"


def test_replay_redelivers_the_window_with_the_original_id_and_timestamp(cloud, sns, sqs, archive_topic, subscribed):
    """Does a ReplayPolicy redeliver archived messages, flagged Replayed, ids and times unchanged?"""
    subscription, url = subscribed
    start = cloud.now()
    publish(sns, archive_topic, cloud, ["order 1", "order 2", "order 3"])
    originals = drain(sqs, url)
    cloud.advance(3600)
    replay(sns, subscription, start)
    replayed = drain(sqs, url)
    assert [e["Message"] for e in replayed] == ["order 1", "order 2", "order 3"]
    assert [e["MessageId"] for e in replayed] == [e["MessageId"] for e in originals]
    assert [e["Timestamp"] for e in replayed] == [e["Timestamp"] for e in originals]
    assert all(e["Replayed"] is True for e in replayed) and "Replayed" not in originals[0]
    assert sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]["ReplayStatus"] == "Completed"


def test_replay_goes_to_that_subscription_only(cloud, sns, sqs, make_queue, arn_of, archive_topic, subscribed):
    subscription, url = subscribed
    other = make_queue("analytics")
    sns.subscribe(TopicArn=archive_topic, Protocol="sqs", Endpoint=arn_of(other))
    start = cloud.now()
    publish(sns, archive_topic, cloud, ["order 1"])
    drain(sqs, url), drain(sqs, other)
    replay(sns, subscription, start)
    assert len(drain(sqs, url)) == 1 and drain(sqs, other) == []


def test_a_duplicate_the_topic_dropped_is_not_archived(cloud, sns, archive_topic):
    publish(sns, archive_topic, cloud, ["same", "same"], every=1)
    assert archived(cloud, archive_topic) == 1


def test_an_ending_point_replays_the_window_then_pauses_the_subscription(cloud, sns, sqs, archive_topic, subscribed):
    """With an EndingPoint the subscription receives nothing new until a replay without one."""
    subscription, url = subscribed
    start = cloud.now()
    publish(sns, archive_topic, cloud, ["order 1", "order 2", "order 3"])
    drain(sqs, url)
    replay(sns, subscription, start, end=start + timedelta(seconds=90))
    assert [e["Message"] for e in drain(sqs, url)] == ["order 1", "order 2"]
    resume_from = cloud.now()
    publish(sns, archive_topic, cloud, ["while paused"])
    assert drain(sqs, url) == []
    replay(sns, subscription, resume_from)  # resume: catch up, then receive new messages again
    assert [e["Message"] for e in drain(sqs, url)] == ["while paused"]
    publish(sns, archive_topic, cloud, ["live again"])
    assert [e["Message"] for e in drain(sqs, url)] == ["live again"]


def test_messages_older_than_the_retention_are_gone(cloud, sns, sqs, archive_topic, subscribed):
    """Retention runs on the course clock: after 7 days the archive is empty."""
    subscription, url = subscribed
    start = cloud.now()
    publish(sns, archive_topic, cloud, ["order 1"])
    drain(sqs, url)
    cloud.advance(6 * DAY)
    assert archived(cloud, archive_topic) == 1
    cloud.advance(DAY + 60)
    assert archived(cloud, archive_topic) == 0
    replay(sns, subscription, start)
    assert drain(sqs, url) == []


def test_a_replay_policy_needs_an_archiving_fifo_topic_and_a_timestamp(cloud, sns, make_queue, arn_of, subscribed, error_code):
    subscription, _ = subscribed
    plain = sns.create_topic(Name="plain")["TopicArn"]
    other = sns.subscribe(TopicArn=plain, Protocol="sqs", Endpoint=arn_of(make_queue("q")))["SubscriptionArn"]
    assert error_code(lambda: replay(sns, other, cloud.now())) == "InvalidParameter"
    bad = json.dumps({"PointType": "SequenceNumber", "StartingPoint": "1"})
    assert error_code(lambda: sns.set_subscription_attributes(
        SubscriptionArn=subscription, AttributeName="ReplayPolicy", AttributeValue=bad)) == "InvalidParameter"


def test_a_replay_policy_can_be_given_at_subscribe(cloud, sns, sqs, make_queue, arn_of, archive_topic):
    start = cloud.now()
    publish(sns, archive_topic, cloud, ["order 1", "order 2"])
    url = make_queue("late-joiner")
    policy = json.dumps({"PointType": "Timestamp", "StartingPoint": start.isoformat()})
    sns.subscribe(TopicArn=archive_topic, Protocol="sqs", Endpoint=arn_of(url), Attributes={"ReplayPolicy": policy})
    assert [e["Message"] for e in drain(sqs, url)] == ["order 1", "order 2"]
