"""SNS checks judge queue policies as IAM does: every form AWS accepts passes, a policy that lets
other topics in is too open, and each mistake is named by its requirement."""

import json

import pytest

from graders import sns as check
from graders.check import CheckFailed


def failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as failed:
        call()
    return failed.value


def fan_out_with(statement):
    """A fan_out_orders answer whose queue policies hold ``statement(queue_arn, topic_arn)``."""
    def fan_out_orders(sns, sqs, topic_arn, queue_urls):
        for url in queue_urls:
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sqs.set_queue_attributes(QueueUrl=url, Attributes={
                "Policy": json.dumps({"Version": "2012-10-17", "Statement": [statement(arn, topic_arn)]})})
            sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)

    return fan_out_orders


def test_sns1_console_policy_with_aws_star_principal_passes(cloud):
    """The SQS console's "Subscribe to Amazon SNS topic" policy: Principal {"AWS": "*"} with aws:SourceArn."""
    check.fan_out(cloud, fan_out_with(lambda arn, topic: {
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SQS:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": topic}}}))


def test_sns1_service_principal_without_source_arn_is_too_open(cloud):
    failed = failure(lambda: check.fan_out(cloud, fan_out_with(lambda arn, topic: {
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn})))
    assert failed.requirement == "sns-1/policy-only-this-topic" and "other topics" in str(failed)


def test_sns1_a_wildcard_source_arn_is_too_open(cloud):
    failed = failure(lambda: check.fan_out(cloud, fan_out_with(lambda arn, topic: {
        "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnLike": {"aws:SourceArn": topic.rsplit(":", 1)[0] + ":*"}}})))
    assert failed.requirement == "sns-1/policy-only-this-topic"


def test_sns1_a_policy_for_another_action_is_refused(cloud):
    failed = failure(lambda: check.fan_out(cloud, fan_out_with(lambda arn, topic: {
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:ReceiveMessage",
        "Resource": arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic}}})))
    assert failed.requirement == "sns-1/queue-policy"


def test_policy_problem_keeps_its_signature_for_the_capstone():
    """graders.capstone calls policy_problem(policy_text, queue_arn, topic_arn) -> str | None."""
    queue, topic = "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sns:us-east-1:123456789012:t"
    good = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                                      "Action": "sqs:SendMessage", "Resource": queue,
                                      "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]})
    assert check.policy_problem(good, queue, topic) is None
    assert "no access policy" in check.policy_problem(None, queue, topic)
    any_topic = good.replace('"ArnEquals"', '"ArnLike"').replace(topic, "arn:aws:sns:*")
    assert "other topics" in check.policy_problem(any_topic, queue, topic)
    assert check.POLICY_WHY


def test_sns2_counts_a_test_publish_as_an_extra_message(cloud):
    def enable_raw_delivery(sns, subscription_arn):
        sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RawMessageDelivery",
                                        AttributeValue="true")
        topic = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]["TopicArn"]
        sns.publish(TopicArn=topic, Message="test")

    assert failure(lambda: check.raw_delivery(cloud, enable_raw_delivery)).requirement == "sns-2/one-message"


def test_sns5_queues_returned_in_the_wrong_order_are_named(cloud):
    def create_ordered_fanout(sns, sqs, name):
        topic = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        ledger = sqs.create_queue(QueueName=f"{name}-ledger.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        analytics = sqs.create_queue(QueueName=f"{name}-analytics")["QueueUrl"]
        return topic, analytics, ledger

    assert failure(lambda: check.fifo_fanout(cloud, create_ordered_fanout)).requirement == "sns-5/returns-resources"


def test_sns6_the_endpoint_queue_as_its_own_dlq_fails(cloud):
    """A subscription's DLQ must be a different queue: the endpoint that refused would refuse again."""
    def add_subscription_dlq(sns, sqs, subscription_arn):
        attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
        sns.set_subscription_attributes(SubscriptionArn=subscription_arn, AttributeName="RedrivePolicy",
                                        AttributeValue=json.dumps({"deadLetterTargetArn": attributes["Endpoint"]}))
        return sqs.get_queue_url(QueueName=attributes["Endpoint"].rsplit(":", 1)[-1])["QueueUrl"]

    assert failure(lambda: check.subscription_dlq(cloud, add_subscription_dlq)).requirement == "sns-6/dlq-not-endpoint"


def test_sns6_returning_the_arn_is_not_a_url(cloud):
    def add_subscription_dlq(sns, sqs, subscription_arn):
        url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    assert failure(lambda: check.subscription_dlq(cloud, add_subscription_dlq)).requirement == "sns-6/returns-dlq-url"
