"""EventBridge allows at most 5 targets per rule, as on AWS (course.aws.events.limits)."""

import json

import pytest
from botocore.exceptions import ClientError

from course.aws.events.limits import documented_limit
from course.aws.limits import EVENTS_MAX_TARGETS_PER_RULE


@pytest.fixture
def events(cloud):
    client = cloud.client("events")
    client.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    return client


def targets(cloud, count, prefix="t"):
    sqs = cloud.client("sqs")
    out = []
    for i in range(count):
        url = sqs.create_queue(QueueName=f"{prefix}{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        out.append({"Id": f"{prefix}{i}", "Arn": arn})
    return out


def test_the_limit_is_the_one_aws_documents():
    """Does botocore's copy of the API reference state the 5-target limit we enforce?"""
    assert EVENTS_MAX_TARGETS_PER_RULE == 5
    assert "up to five (5) targets" in documented_limit()


def test_five_targets_are_accepted(cloud, events):
    events.put_targets(Rule="orders", Targets=targets(cloud, 5))
    assert len(events.list_targets_by_rule(Rule="orders")["Targets"]) == 5


def test_a_sixth_target_in_one_call_is_refused(cloud, events):
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="orders", Targets=targets(cloud, 6))
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"
    assert events.list_targets_by_rule(Rule="orders")["Targets"] == []


def test_a_sixth_target_in_a_later_call_is_refused(cloud, events):
    events.put_targets(Rule="orders", Targets=targets(cloud, 5))
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="orders", Targets=targets(cloud, 1, prefix="extra"))
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"


def test_updating_an_existing_target_is_not_a_new_one(cloud, events):
    """PutTargets with an Id the rule already has replaces that target: still 5."""
    five = targets(cloud, 5)
    events.put_targets(Rule="orders", Targets=five)
    events.put_targets(Rule="orders", Targets=[dict(five[0], Input='{"changed": true}')])
    assert len(events.list_targets_by_rule(Rule="orders")["Targets"]) == 5


def test_after_removing_a_target_another_fits(cloud, events):
    events.put_targets(Rule="orders", Targets=targets(cloud, 5))
    events.remove_targets(Rule="orders", Ids=["t0"])
    events.put_targets(Rule="orders", Targets=targets(cloud, 1, prefix="new"))
    assert len(events.list_targets_by_rule(Rule="orders")["Targets"]) == 5
