"""The sandbox rejects what AWS rejects and moto accepts (course.aws.sqs.rules)."""

import json

import pytest
from botocore.exceptions import ClientError

from course.aws.limits import SQS_ATTRIBUTE_RANGES as ATTRIBUTE_RANGES
from course.aws.sqs.rules import documented_ranges

OUT_OF_RANGE = [
    ("VisibilityTimeout", 43201), ("VisibilityTimeout", -1),
    ("MessageRetentionPeriod", 59), ("MessageRetentionPeriod", 1209601),
    ("DelaySeconds", 901), ("ReceiveMessageWaitTimeSeconds", 21), ("MaximumMessageSize", 1023),
    ("MaximumMessageSize", 1048577),
]


def error_code(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_out_of_range_attribute_is_rejected_on_create(sqs, name, value):
    assert error_code(lambda: sqs.create_queue(QueueName="q", Attributes={name: str(value)})) == "InvalidAttributeValue"


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_out_of_range_attribute_is_rejected_on_set(sqs, make_queue, name, value):
    url = make_queue("q")
    assert error_code(lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={name: str(value)})) == "InvalidAttributeValue"


@pytest.mark.parametrize("name", sorted(ATTRIBUTE_RANGES))
def test_boundary_values_are_accepted(sqs, make_queue, name):
    low, high = ATTRIBUTE_RANGES[name]
    url = make_queue("edges")
    for value in (low, high):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={name: str(value)})
        assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[name])["Attributes"][name] == str(value)


@pytest.mark.parametrize("source_fifo", [False, True])
def test_dead_letter_queue_must_match_the_source_type(sqs, make_queue, arn_of, source_fifo):
    """Standard→FIFO and FIFO→standard DLQs are both rejected (moto only rejects one)."""
    dlq = make_queue("dlq", fifo=not source_fifo)
    policy = json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": 3})
    source = make_queue("source", fifo=source_fifo)
    code = error_code(lambda: sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": policy}))
    assert code == "InvalidParameterCombination"


@pytest.mark.parametrize("count", [0, 1001])
def test_max_receive_count_range(sqs, make_queue, arn_of, count):
    dlq = make_queue("dlq")
    policy = json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": count})
    assert error_code(lambda: make_queue("source", RedrivePolicy=policy)) == "InvalidParameterValue"


def test_matching_dead_letter_queue_is_accepted(make_queue, arn_of):
    for fifo in (False, True):
        dlq = make_queue(f"ok-dlq-{fifo}", fifo=fifo)
        make_queue(f"ok-{fifo}", fifo=fifo,
                   RedrivePolicy=json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": 1000}))


def test_ranges_match_aws_documentation_shipped_with_botocore():
    """Our bounds are AWS's: the API reference text botocore ships states the same numbers."""
    text = documented_ranges().replace(",", "")
    for expected in ("900", "1209600", "43200", "20", "1024", "1048576", "60"):
        assert expected in text, expected


def test_a_standard_queue_cannot_be_named_like_a_fifo_queue(sqs):
    """`orders.fifo` without FifoQueue=true: moto makes a standard queue, AWS rejects the name."""
    assert error_code(lambda: sqs.create_queue(QueueName="orders.fifo")) == "InvalidParameterValue"
    url = sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url.endswith("/orders.fifo")


MiB = 1_048_576


def test_message_size_counts_utf8_bytes_not_characters(sqs, make_queue):
    """600,000 'é' are 1,200,000 bytes: over 1 MiB although fewer characters (moto counted characters)."""
    url = make_queue("sizes")
    sqs.send_message(QueueUrl=url, MessageBody="x" * MiB)  # exactly 1 MiB is allowed
    assert error_code(lambda: sqs.send_message(QueueUrl=url, MessageBody="x" * (MiB + 1))) == "InvalidParameterValue"
    assert error_code(lambda: sqs.send_message(QueueUrl=url, MessageBody="é" * 600_000)) == "InvalidParameterValue"
    assert error_code(lambda: sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "small", "MessageBody": "ok"}, {"Id": "big", "MessageBody": "é" * 600_000}])) == "InvalidParameterValue"
    assert int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
               ["ApproximateNumberOfMessages"]) == 1, "a batch with an oversized entry sent nothing"


def test_message_attributes_count_toward_the_size(sqs, make_queue):
    """Name, type and value of each attribute count, as AWS documents."""
    from course.aws.sqs.rules import message_size

    attributes = {"tenant": {"DataType": "String", "StringValue": "acme"}}
    assert message_size("body", attributes) == 4 + len("tenant") + len("String") + len("acme")
    url = make_queue("attrs")
    room = MiB - (message_size("", attributes))
    sqs.send_message(QueueUrl=url, MessageBody="x" * room, MessageAttributes=attributes)
    assert error_code(lambda: sqs.send_message(QueueUrl=url, MessageBody="x" * (room + 1),
                                               MessageAttributes=attributes)) == "InvalidParameterValue"


def test_a_smaller_maximum_message_size_applies(sqs, make_queue):
    url = make_queue("small-limit", MaximumMessageSize=1024)
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
    assert error_code(lambda: sqs.send_message(QueueUrl=url, MessageBody="é" * 513)) == "InvalidParameterValue"
