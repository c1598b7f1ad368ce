"""SNS filter policies in the sandbox give AWS's outcome on every case validated against AWS.

The 68 cases in fixtures/sns-filter-policies/ (see its SOURCE.md) come from tests that were run
against real AWS: deliveries, accepted-only policies, and policies AWS rejects. Plain moto 5.2.5
gets 49 of them right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

CASES = sorted((Path(__file__).parent / "fixtures" / "sns-filter-policies").glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def subscribe(cloud, case):
    """A topic and an SQS subscription with the case's policy; returns (sns, topic, queue URL)."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name="cases")["TopicArn"]
    url = sqs.create_queue(QueueName="cases")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"FilterPolicyScope": case["scope"]}
    if case["filter_policy"] is not None:
        attributes["FilterPolicy"] = json.dumps(case["filter_policy"])
    if case.get("via") == "set_subscription_attributes":
        sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicyScope",
                                        AttributeValue=case["scope"])
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps(case["filter_policy"]))
    else:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attributes)
    return sns, topic, url, sqs


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_matches_aws(cloud, path):
    case = load(path)
    if case.get("invalid"):
        with pytest.raises(ClientError) as raised:
            subscribe(cloud, case)
        assert raised.value.response["Error"]["Code"] == case["error_code"]
        return
    sns, topic, url, sqs = subscribe(cloud, case)
    for message in case["messages"]:
        sns.publish(TopicArn=topic, Message=message["body"], MessageAttributes=message["attributes"])
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        delivered = [json.loads(m["Body"])["Message"] for m in got]
        assert delivered == ([message["body"]] if message["delivered"] else []), message
