"""FIFO deduplication and throughput settings behave as on AWS (course.aws.sqs.fifo)."""

import pytest
from botocore.exceptions import ClientError


def count(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def send(sqs, url, dedup, group="g", body="pay"):
    return sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=dedup)


def test_retry_after_the_original_was_deleted_is_still_dropped(cloud, sqs, make_queue):
    """AWS remembers the id for 5 minutes even after the first message was deleted (moto forgets)."""
    url = make_queue("payments", fifo=True)
    send(sqs, url, "p-1")
    message = sqs.receive_message(QueueUrl=url)["Messages"][0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    cloud.advance(60)
    send(sqs, url, "p-1")
    assert count(sqs, url) == 0
    cloud.advance(241)
    send(sqs, url, "p-1")
    assert count(sqs, url) == 1


def test_content_based_deduplication_uses_the_window(cloud, sqs, make_queue):
    url = make_queue("cbd", fifo=True, ContentBasedDeduplication="true")
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
    assert count(sqs, url) == 1


def test_message_group_scope_deduplicates_per_group(cloud, sqs, make_queue):
    """In high-throughput mode the same id in two groups is two messages."""
    url = make_queue("ht", fifo=True, DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    send(sqs, url, "d", group="a")
    send(sqs, url, "d", group="b")
    send(sqs, url, "d", group="a")
    assert count(sqs, url) == 2


def test_queue_scope_deduplicates_across_groups(cloud, sqs, make_queue):
    url = make_queue("qs", fifo=True)
    send(sqs, url, "d", group="a")
    send(sqs, url, "d", group="b")
    assert count(sqs, url) == 1


def test_dlq_move_is_not_deduplicated(cloud, sqs, make_queue, arn_of):
    import json

    dlq = make_queue("dlq", fifo=True)
    url = make_queue("src", fifo=True, VisibilityTimeout=5,
                     RedrivePolicy=json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": 1}))
    send(sqs, dlq, "x")  # the same id already sent straight to the DLQ
    send(sqs, url, "x")
    sqs.receive_message(QueueUrl=url)
    cloud.advance(6)
    sqs.receive_message(QueueUrl=url)
    assert count(sqs, dlq) == 2


@pytest.mark.parametrize("attributes", [
    {"DeduplicationScope": "group"},
    {"FifoThroughputLimit": "unlimited"},
    {"FifoThroughputLimit": "perMessageGroupId"},  # needs messageGroup scope
])
def test_invalid_throughput_settings_are_rejected(sqs, attributes):
    with pytest.raises(ClientError) as raised:
        sqs.create_queue(QueueName="bad.fifo", Attributes={"FifoQueue": "true", **attributes})
    assert raised.value.response["Error"]["Code"] == "InvalidAttributeValue"


def test_group_order_survives_a_visibility_timeout(cloud, sqs, make_queue):
    """a1..a3 received together and not deleted: after the timeout a1 comes back first (moto: a later one)."""
    url = make_queue("order", fifo=True, VisibilityTimeout=30, ContentBasedDeduplication="true")
    for body in ("a1", "a2", "a3"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="A")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    cloud.advance(31)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert [m["Body"] for m in again] == ["a2"]


def test_a_group_with_a_message_in_flight_is_blocked_and_other_groups_are_not(sqs, make_queue):
    """What module 02 teaches of message groups, held by the sandbox (moto's own locking)."""
    url = make_queue("groups", fifo=True, ContentBasedDeduplication="true")
    for group, body in (("a", "a1"), ("a", "a2"), ("b", "b1")):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    held = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert [m["Body"] for m in held] == ["a1"]
    later = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in later] == ["b1"]  # a2 waits until a1 is deleted or visible again
    sqs.delete_message(QueueUrl=url, ReceiptHandle=held[0]["ReceiptHandle"])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url).get("Messages", [])] == ["a2"]
