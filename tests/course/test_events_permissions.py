"""EventBridge needs permission to reach a target, as on AWS: a role for Kinesis and Firehose
targets, a resource policy for SQS and SNS targets; a refused delivery goes to the target's DLQ."""

import json

import pytest
from botocore.exceptions import ClientError

from course.aws.events.permissions import failed_deliveries
from course.aws.iam import allows, service_may_assume, service_may_send

EVENTS = "events.amazonaws.com"


@pytest.fixture
def events(cloud):
    return cloud.client("events")


@pytest.fixture
def sqs(cloud):
    return cloud.client("sqs")


@pytest.fixture
def queue(sqs):
    """``queue(name, policy=None)`` -> (url, arn); ``policy`` is a function of the queue's ARN."""

    def make(name, policy=None):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if policy:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy(arn)})
        return url, arn

    return make


@pytest.fixture
def rule(events):
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["com.shop"]}))
    return events.describe_rule(Name="orders")["Arn"]


def put(events):
    events.put_events(Entries=[{"Source": "com.shop", "DetailType": "OrderPlaced", "Detail": json.dumps({"id": 1})}])


def bodies(sqs, url):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", [])


def events_may_send(source_arn=None):
    return lambda arn: service_may_send(arn, service=EVENTS, action="sqs:SendMessage", source_arn=source_arn)


def test_a_kinesis_target_without_a_role_is_refused_at_put_targets(cloud, events, rule):
    """AWS: 'RoleArn is required for target arn:aws:kinesis:...' (ValidationException)."""
    cloud.client("kinesis").create_stream(StreamName="audit", ShardCount=1)
    stream = f"arn:aws:kinesis:{cloud.region}:{cloud.account_id}:stream/audit"
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="orders", Targets=[{"Id": "audit", "Arn": stream}])
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert f"RoleArn is required for target {stream}." in raised.value.response["Error"]["Message"]


def test_a_firehose_target_without_a_role_is_refused_too(cloud, events, rule):
    stream = f"arn:aws:firehose:{cloud.region}:{cloud.account_id}:deliverystream/clicks"
    with pytest.raises(ClientError, match="RoleArn is required"):
        events.put_targets(Rule="orders", Targets=[{"Id": "clicks", "Arn": stream}])


def test_a_queue_whose_policy_allows_eventbridge_gets_the_event(events, sqs, queue, rule):
    url, arn = queue("allowed", events_may_send(source_arn=rule))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    put(events)
    assert len(bodies(sqs, url)) == 1


@pytest.mark.parametrize("policy", [
    None,  # no policy at all: only the owner may send
    events_may_send(source_arn="arn:aws:events:us-east-1:123456789012:rule/another-rule"),
    lambda arn: service_may_send(arn, service="sns.amazonaws.com", action="sqs:SendMessage"),
], ids=["no-policy", "another-rule", "another-service"])
def test_a_queue_whose_policy_does_not_allow_this_rule_gets_nothing(cloud, events, sqs, queue, rule, policy):
    url, arn = queue("closed", policy)
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    put(events)
    assert bodies(sqs, url) == []
    [failure] = failed_deliveries(cloud)
    assert failure.error_code == "NO_PERMISSIONS" and not failure.sent_to_dlq


def test_a_console_style_policy_is_accepted(events, sqs, queue, rule):
    """{"AWS": "*"} with an aws:SourceArn condition is what the console writes; IAM treats it as '*'."""
    policy = lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SQS:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}}}]})
    url, arn = queue("console", policy)
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    put(events)
    assert len(bodies(sqs, url)) == 1


def test_an_explicit_deny_wins(events, sqs, queue, rule):
    def policy(arn):
        allow = json.loads(service_may_send(arn, service=EVENTS, action="sqs:SendMessage"))
        allow["Statement"].append({"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": arn})
        return json.dumps(allow)

    url, arn = queue("denied", policy)
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": arn}])
    put(events)
    assert bodies(sqs, url) == []


def test_a_refused_event_lands_in_the_targets_dlq_with_the_reason(events, sqs, queue, rule):
    """Not retried: straight to the DLQ, with RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE."""
    _, target = queue("closed")
    dlq_url, dlq = queue("target-dlq", events_may_send(source_arn=rule))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": target, "DeadLetterConfig": {"Arn": dlq}}])
    put(events)
    [message] = bodies(sqs, dlq_url)
    attributes = {name: value["StringValue"] for name, value in message["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "NO_PERMISSIONS"
    assert attributes["RULE_ARN"] == rule and attributes["TARGET_ARN"] == target
    assert json.loads(message["Body"])["source"] == "com.shop"


def test_a_dlq_that_does_not_allow_eventbridge_loses_the_event(cloud, events, sqs, queue, rule):
    _, target = queue("closed")
    dlq_url, dlq = queue("closed-dlq")
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": target, "DeadLetterConfig": {"Arn": dlq}}])
    put(events)
    assert bodies(sqs, dlq_url) == []
    assert failed_deliveries(cloud)[0].sent_to_dlq is False


def test_a_topic_needs_a_policy_for_eventbridge(cloud, events, rule):
    """An SNS topic's default policy lets only its own account publish, not EventBridge."""
    sns = cloud.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    events.put_targets(Rule="orders", Targets=[{"Id": "t", "Arn": topic}])
    put(events)
    assert failed_deliveries(cloud)[-1].error_code == "NO_PERMISSIONS"
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy",
                             AttributeValue=service_may_send(topic, service=EVENTS, action="sns:Publish",
                                                             source_arn=rule))
    put(events)
    assert len(failed_deliveries(cloud)) == 1


@pytest.fixture
def stream(cloud):
    kinesis = cloud.client("kinesis")
    kinesis.create_stream(StreamName="audit", ShardCount=1)
    return kinesis.describe_stream(StreamName="audit")["StreamDescription"]["StreamARN"]


def records(cloud):
    kinesis = cloud.client("kinesis")
    shard = kinesis.describe_stream(StreamName="audit")["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="audit", ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return kinesis.get_records(ShardIterator=iterator)["Records"]


@pytest.mark.parametrize(("trust", "permission", "code"), [
    (EVENTS, "kinesis:PutRecord", None),
    (EVENTS, "kinesis:Put*", None),
    ("lambda.amazonaws.com", "kinesis:PutRecord", "FAILED_TO_ASSUME_ROLE"),
    (EVENTS, "kinesis:GetRecords", "NO_PERMISSIONS"),
], ids=["allowed", "wildcard-action", "trusts-another-service", "wrong-action"])
def test_a_kinesis_target_writes_only_with_a_role_eventbridge_may_use(cloud, events, rule, stream, trust,
                                                                        permission, code):
    iam = cloud.client("iam")
    role = iam.create_role(RoleName="to-audit", AssumeRolePolicyDocument=service_may_assume(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="to-audit", PolicyName="write", PolicyDocument=allows(permission, stream))
    events.put_targets(Rule="orders", Targets=[{"Id": "audit", "Arn": stream, "RoleArn": role}])
    put(events)
    if code is None:
        assert len(records(cloud)) == 1 and failed_deliveries(cloud) == []
    else:
        assert records(cloud) == [] and failed_deliveries(cloud)[0].error_code == code


def test_a_role_that_does_not_exist_fails_to_be_assumed(cloud, events, rule, stream):
    events.put_targets(Rule="orders", Targets=[{"Id": "audit", "Arn": stream,
                                                "RoleArn": f"arn:aws:iam::{cloud.account_id}:role/nobody"}])
    put(events)
    assert failed_deliveries(cloud)[0].error_code == "FAILED_TO_ASSUME_ROLE"
