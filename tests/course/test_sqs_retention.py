"""course.aws.sqs.retention: a message is deleted when its retention ends, read or not, and a
dead-letter queue counts that time as AWS does (from the original send for a standard queue, from
the move for a FIFO queue)."""

import json

import pytest

DAY = 86_400


def _counts(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"])


def _bodies(sqs, url):
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]


def test_an_expired_message_is_no_longer_counted_before_anyone_receives(cloud, sqs, make_queue):
    url = make_queue("counted", MessageRetentionPeriod=120)
    sqs.send_message(QueueUrl=url, MessageBody="old")
    assert _counts(sqs, url) == (1, 0)
    cloud.advance(121)
    assert _counts(sqs, url) == (0, 0)


def test_a_receive_after_an_expiry_returns_the_messages_still_kept(cloud, sqs, make_queue):
    """moto stops at the expired message and returns nothing; AWS returns the newer one."""
    url = make_queue("newer", MessageRetentionPeriod=120)
    sqs.send_message(QueueUrl=url, MessageBody="old")
    cloud.advance(100)
    sqs.send_message(QueueUrl=url, MessageBody="new")
    cloud.advance(30)
    assert _bodies(sqs, url) == ["new"]


def test_a_message_is_kept_until_the_last_second_of_its_retention(cloud, sqs, make_queue):
    url = make_queue("kept", MessageRetentionPeriod=120)
    sqs.send_message(QueueUrl=url, MessageBody="m")
    cloud.advance(119)
    assert _bodies(sqs, url) == ["m"]


def test_an_expired_message_is_never_moved_to_the_dlq(cloud, sqs, with_dlq):
    source, dlq = with_dlq("expires", 1, MessageRetentionPeriod=120, VisibilityTimeout=30)
    sqs.send_message(QueueUrl=source, MessageBody="m")
    assert _bodies(sqs, source) == ["m"]  # received once: the next receive would move it
    cloud.advance(121)
    assert _bodies(sqs, source) == []
    assert _bodies(sqs, dlq) == [] and _counts(sqs, dlq) == (0, 0)


def _fail_for_three_days(cloud, sqs, make_queue, arn_of, fifo):
    """A message that fails for 3 days in a source keeping 4 days, then moves to a 4-day DLQ."""
    group = {"MessageGroupId": "g", "MessageDeduplicationId": "d"} if fifo else {}
    dlq = make_queue("dlq", fifo=fifo, MessageRetentionPeriod=4 * DAY)
    policy = json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": 1})
    source = make_queue("source", fifo=fifo, MessageRetentionPeriod=4 * DAY, VisibilityTimeout=30,
                        RedrivePolicy=policy)
    sqs.send_message(QueueUrl=source, MessageBody="poison", **group)
    assert _bodies(sqs, source) == ["poison"]
    cloud.advance(3 * DAY)
    assert _bodies(sqs, source) == []  # this receive moves it
    assert _counts(sqs, dlq) == (1, 0)
    return dlq


def test_a_standard_dlq_counts_retention_from_the_original_send(cloud, sqs, make_queue, arn_of):
    dlq = _fail_for_three_days(cloud, sqs, make_queue, arn_of, fifo=False)
    cloud.advance(DAY - 60)
    assert _counts(sqs, dlq) == (1, 0)
    cloud.advance(120)  # 4 days after it was sent: gone, a day after the move
    assert _counts(sqs, dlq) == (0, 0)


def test_a_fifo_dlq_counts_retention_from_the_move(cloud, sqs, make_queue, arn_of):
    dlq = _fail_for_three_days(cloud, sqs, make_queue, arn_of, fifo=True)
    cloud.advance(DAY + 60)  # past the original send's 4 days
    assert _counts(sqs, dlq) == (1, 0)
    cloud.advance(3 * DAY)  # 4 days after the move
    assert _counts(sqs, dlq) == (0, 0)


@pytest.mark.parametrize("fifo", [False, True])
def test_a_message_sent_to_a_fifo_or_standard_queue_expires_from_its_send(cloud, sqs, make_queue, fifo):
    url = make_queue("plain", fifo=fifo, MessageRetentionPeriod=120)
    group = {"MessageGroupId": "g", "MessageDeduplicationId": "d"} if fifo else {}
    sqs.send_message(QueueUrl=url, MessageBody="m", **group)
    cloud.advance(121)
    assert _counts(sqs, url) == (0, 0)
