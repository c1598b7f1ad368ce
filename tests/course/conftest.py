"""Fixtures for the learner runtime: a fresh sandbox per test, and queue factories."""

import json

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sqs(cloud):
    return cloud.client("sqs")


@pytest.fixture
def make_queue(sqs):
    """``make_queue(name, fifo=False, **attributes)`` -> queue URL."""

    def make(name, fifo=False, **attributes):
        attributes = {k: str(v) for k, v in attributes.items()}
        if fifo:
            attributes["FifoQueue"] = "true"
            name += ".fifo"
        return sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]

    return make


@pytest.fixture
def arn_of(sqs):
    return lambda url: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


@pytest.fixture
def with_dlq(make_queue, arn_of):
    """``with_dlq(name, max_receive_count, **source_attributes)`` -> (source URL, DLQ URL)."""

    def make(name, max_receive_count, **attributes):
        dlq = make_queue(f"{name}-dlq")
        policy = json.dumps({"deadLetterTargetArn": arn_of(dlq), "maxReceiveCount": max_receive_count})
        return make_queue(name, RedrivePolicy=policy, **attributes), dlq

    return make


@pytest.fixture
def error_code():
    """``error_code(call)`` -> the AWS error code ``call()`` raises (the test fails if it raises none)."""

    def code(call):
        with pytest.raises(ClientError) as raised:
            call()
        return raised.value.response["Error"]["Code"]

    return code
