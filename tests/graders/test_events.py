"""EventBridge checks judge target permissions as AWS does: a role for the stream, a DLQ that
EventBridge may write to - each mistake named by its requirement, with the lesson."""

import json

import pytest

from graders import events as check
from graders.check import CheckFailed


def failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as failed:
        call()
    return failed.value


def targets(role=True, partition=True):
    def add_targets(events, bus_name, rule_name, stream_arn, topic_arn, role_arn):
        stream = {"Id": "audit", "Arn": stream_arn}
        if role:
            stream["RoleArn"] = role_arn if role is True else role
        if partition:
            stream["KinesisParameters"] = {"PartitionKeyPath": "$.detail.order_id"}
        events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[stream, {"Id": "alerts", "Arn": topic_arn}])

    return add_targets


def test_ev4_the_solution_passes(cloud):
    check.fanout_targets(cloud, targets())


def test_ev4_a_stream_target_without_a_role_is_named(cloud):
    failed = failure(lambda: check.fanout_targets(cloud, targets(role=False)))
    assert failed.requirement == "ev-4/stream-role" and "no RoleArn" in str(failed)


def test_ev4_a_role_eventbridge_cannot_assume_is_named(cloud):
    made_up = f"arn:aws:iam::{cloud.account_id}:role/EventBridgeRole"
    failed = failure(lambda: check.fanout_targets(cloud, targets(role=made_up)))
    assert failed.requirement == "ev-4/stream-role" and "FAILED_TO_ASSUME_ROLE" in str(failed)


def test_ev4_random_partition_keys_are_still_caught(cloud):
    failed = failure(lambda: check.fanout_targets(cloud, targets(partition=False)))
    assert failed.requirement == "ev-4/partition-key-order-id"


def delivery(sqs, policy: bool):
    """``configure_delivery`` as a learner writes it, with the notebook's own ``sqs`` client."""

    def configure_delivery(events, bus_name, rule_name, target_arn):
        url = sqs.create_queue(QueueName=rule_name + "-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if policy:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Statement": [{
                "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": arn}]})})
        events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{
            "Id": "billing", "Arn": target_arn, "DeadLetterConfig": {"Arn": arn},
            "RetryPolicy": {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 10}}])

    return configure_delivery


def test_ev6_a_dlq_eventbridge_may_write_to_passes(cloud):
    check.delivery_policy(cloud, delivery(cloud.client("sqs"), policy=True))


def test_ev6_a_dlq_without_a_policy_loses_the_refused_event(cloud):
    failed = failure(lambda: check.delivery_policy(cloud, delivery(cloud.client("sqs"), policy=False)))
    assert failed.requirement == "ev-6/dlq-allows-eventbridge" and "events.amazonaws.com" in str(failed)


def test_ev6_dlq_that_is_the_target_queue_itself_fails(cloud):
    """A DLQ must be another queue: the target that refused the event would refuse it again."""
    def configure_delivery(events, bus_name, rule_name, target_arn):
        events.put_targets(Rule=rule_name, EventBusName=bus_name, Targets=[{
            "Id": "billing", "Arn": target_arn, "DeadLetterConfig": {"Arn": target_arn},
            "RetryPolicy": {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 10}}])

    failed = failure(lambda: check.delivery_policy(cloud, configure_delivery))
    assert failed.requirement == "ev-6/dlq-not-target" and "itself" in str(failed)


def _replay_between(start_of, end_of, times=1):
    """A replay_outage answer replaying [start_of(start, end), end_of(start, end)], ``times`` times."""
    def replay_outage(events, archive_arn, bus_arn, start, end):
        for n in range(times):
            events.start_replay(ReplayName=f"outage-{n}", EventSourceArn=archive_arn, Destination={"Arn": bus_arn},
                                EventStartTime=start_of(start, end), EventEndTime=end_of(start, end))
        return "outage-0"

    return replay_outage


def test_ev5_the_outage_window_passes(cloud):
    check.replay(cloud, _replay_between(lambda start, end: start, lambda start, end: end))


@pytest.mark.parametrize("start_of, end_of, times, told", [
    (lambda start, end: start, lambda start, end: start + (end - start) / 2, 1, "'outage-3'] were lost in the outage"),
    (lambda start, end: start - (end - start), lambda start, end: end, 1, "were not lost"),
    (lambda start, end: start, lambda start, end: end, 2, "came more than once"),
], ids=["too-short", "too-early", "twice"])
def test_ev5_a_wrong_window_is_told_what_it_missed_and_what_it_added(cloud, start_of, end_of, times, told):
    failed = failure(lambda: check.replay(cloud, _replay_between(start_of, end_of, times)))
    assert failed.requirement == "ev-5/replays-outage-window" and told in str(failed), str(failed)
