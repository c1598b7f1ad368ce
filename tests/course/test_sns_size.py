"""SNS message size in bytes, body plus attributes, against MaximumMessageSize (course.aws.sns.size)."""

import pytest

from course.aws.limits import SNS_MESSAGE_SIZE


@pytest.fixture
def sns(cloud):
    return cloud.client("sns")


@pytest.fixture
def topic(sns):
    return sns.create_topic(Name="notices")["TopicArn"]


def test_the_default_limit_is_256_kib_in_bytes(sns, topic, error_code):
    """256 KiB is counted in UTF-8 bytes: 131,072 "é" fit exactly, one byte more does not."""
    assert SNS_MESSAGE_SIZE["default"] == 262_144
    sns.publish(TopicArn=topic, Message="x" * 262_144)
    sns.publish(TopicArn=topic, Message="é" * 131_072)
    assert error_code(lambda: sns.publish(TopicArn=topic, Message="x" * 262_145)) == "InvalidParameter"
    assert error_code(lambda: sns.publish(TopicArn=topic, Message="é" * 131_073)) == "InvalidParameter"


def test_message_attributes_count_against_the_limit(sns, topic, error_code):
    attributes = {"note": {"DataType": "String", "StringValue": "y" * 100}}
    assert error_code(lambda: sns.publish(TopicArn=topic, Message="x" * 262_100,
                                          MessageAttributes=attributes)) == "InvalidParameter"


def test_a_topic_raised_to_1_mib_accepts_large_messages(sns, topic, error_code):
    sns.set_topic_attributes(TopicArn=topic, AttributeName="MaximumMessageSize", AttributeValue="1048576")
    sns.publish(TopicArn=topic, Message="x" * 1_048_576)
    assert error_code(lambda: sns.publish(TopicArn=topic, Message="x" * 1_048_577)) == "InvalidParameter"


@pytest.mark.parametrize("value", ["1023", "1048577", "big"])
def test_maximum_message_size_outside_1_kib_to_1_mib_is_refused(sns, topic, value, error_code):
    assert error_code(lambda: sns.set_topic_attributes(
        TopicArn=topic, AttributeName="MaximumMessageSize", AttributeValue=value)) == "InvalidParameter"


def test_a_large_message_topic_takes_only_sqs_firehose_or_lambda_subscriptions(sns, topic, error_code):
    sns.set_topic_attributes(TopicArn=topic, AttributeName="MaximumMessageSize", AttributeValue="524288")
    assert error_code(lambda: sns.subscribe(TopicArn=topic, Protocol="email",
                                            Endpoint="ops@example.com")) == "InvalidParameter"
