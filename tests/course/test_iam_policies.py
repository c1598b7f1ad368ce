"""The sandbox's IAM policy evaluation, on the forms lessons and learners write."""

import json

import pytest

from course.aws.iam import Request, evaluate

QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders"
TOPIC = "arn:aws:sns:us-east-1:123456789012:orders"
SNS = Request("sqs:SendMessage", QUEUE, service="sns.amazonaws.com", context={"aws:SourceArn": TOPIC})


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(**fields):
    return {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE, **fields}


@pytest.mark.parametrize(("document", "allowed"), [
    (policy(allow(Principal={"Service": "sns.amazonaws.com"})), True),
    (policy(allow(Principal={"Service": ["lambda.amazonaws.com", "sns.amazonaws.com"]})), True),
    (policy(allow(Principal="*", Condition={"ArnEquals": {"aws:SourceArn": TOPIC}})), True),
    (policy(allow(Principal={"AWS": "*"}, Condition={"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:orders"}})), True),
    (policy(allow(Principal={"AWS": "*"}, Condition={"ArnEquals": {"AWS:SOURCEARN": TOPIC}})), True),
    (policy(allow(Principal={"Service": "sns.amazonaws.com"}, Action="SQS:*")), True),
    (policy(allow(Principal={"Service": "sns.amazonaws.com"}, Resource="arn:aws:sqs:*:*:*")), True),
    (policy({k: v for k, v in allow(Principal={"Service": "sns.amazonaws.com"}).items() if k != "Resource"}), True),
    (policy(allow(Principal={"Service": "sns.amazonaws.com"},
                  Condition={"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}})), True),
    (None, False),
    (policy(allow(Principal={"Service": "events.amazonaws.com"})), False),
    (policy(allow(Principal={"AWS": "arn:aws:iam::123456789012:root"})), False),
    (policy(allow(Principal="*", Condition={"ArnEquals": {"aws:SourceArn": TOPIC + "-other"}})), False),
    (policy(allow(Principal="*", Action="sqs:ReceiveMessage")), False),
    (policy(allow(Principal="*", Resource=QUEUE + "-dlq")), False),
    (policy(allow(Principal="*"), {"Effect": "Deny", "Principal": "*", "NotAction": "sqs:ReceiveMessage",
                                   "Resource": QUEUE}), False),
    (policy(allow(Principal="*", Condition={"NumericLessThan": {"aws:EpochTime": "1"}})), False),
], ids=lambda value: "" if not isinstance(value, bool) else str(value))
def test_sns_sending_to_a_queue(document, allowed):
    assert evaluate(document, SNS).allowed is allowed


def test_a_refusal_says_when_only_the_condition_failed():
    document = policy(allow(Principal={"Service": "sns.amazonaws.com"},
                            Condition={"ArnEquals": {"aws:SourceArn": TOPIC + "-other"}}))
    assert "Condition does not hold" in evaluate(document, SNS).reason


def test_identity_policies_have_no_principal():
    document = policy({"Effect": "Allow", "Action": "kinesis:Put*", "Resource": "*"})
    request = Request("kinesis:PutRecord", "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                      principal_arn="arn:aws:iam::123456789012:role/r")
    assert evaluate(document, request, resource_policy=False).allowed
