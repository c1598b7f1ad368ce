"""FIFO checks judge the design and the cloud's behaviour at the exercise's stated thresholds."""

import json

from graders import fifo as check
from tests.graders.test_sqs import dlq_answer, lesson
from tests.graders.wrong_answers import wrong_function


def design(rule):
    """An answer to fifo-4 whose design for a rate is ``rule(rate) -> (batching, high_throughput)``."""
    def design_fifo_queue(sqs, name, messages_per_second):
        batching, high = rule(messages_per_second)
        attributes = {"FifoQueue": "true"}
        if high:
            attributes.update(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
        sqs.create_queue(QueueName=name, Attributes=attributes)
        return {"batching": batching, "high_throughput": high}
    return design_fifo_queue


def test_fifo4_exact_thresholds_belong_to_the_simpler_design(cloud):
    """'Up to 300' and 'up to 3,000' include the figure: >= instead of > fails at exactly 300 and 3,000."""
    at_least = design(lambda rate: (rate >= 300, rate >= 3000))
    for rate in (200, 2500, 5000):
        check.throughput_design(cloud, at_least, messages_per_second=rate)
    assert "Requirement: fifo-4/simplest-design" in lesson(
        lambda: check.throughput_design(cloud, at_least, messages_per_second=300))
    assert "Requirement: fifo-4/simplest-design" in lesson(
        lambda: check.throughput_design(cloud, at_least, messages_per_second=3000))
    right = design(lambda rate: (rate > 300, rate > 3000))
    for rate in (300, 301, 3000, 3001):
        check.throughput_design(cloud, right, messages_per_second=rate)


def test_fifo4_high_throughput_without_batching_is_not_the_simplest_design(cloud):
    """From 301 to 3,000 messages/s batching carries the load: high-throughput mode alone is not simplest."""
    high_only = design(lambda rate: (False, rate > 300))
    check.throughput_design(cloud, high_only, messages_per_second=5000)  # above 3,000 batching is optional
    text = lesson(lambda: check.throughput_design(cloud, high_only, messages_per_second=2500))
    assert "Requirement: fifo-4/batching-when-needed" in text
    both = design(lambda rate: (rate > 300, rate > 300))
    assert "Requirement: fifo-4/simplest-design" in lesson(
        lambda: check.throughput_design(cloud, both, messages_per_second=2500))


def test_fifo4_messages_name_no_hidden_rate(cloud):
    always_batching = design(lambda rate: (True, False))
    text = lesson(lambda: check.throughput_design(cloud, always_batching, messages_per_second=200))
    assert "200" not in text and "fifo-4/simplest-design" in text


def test_fifo4_no_queue_is_named_not_a_grader_error(cloud):
    text = lesson(lambda: check.throughput_design(cloud, lambda sqs, name, rate: {"batching": True,
                                                                                  "high_throughput": True}))
    assert "Requirement: fifo-4/queue-exists" in text


def test_fifo5_an_arn_is_not_a_queue_url(cloud):
    """The DLQ's ARN ends in .fifo too: the check asks the cloud, not the suffix."""
    add_fifo_dlq = dlq_answer("dead.fifo", {"FifoQueue": "true"}, returns="QueueArn")
    assert "Requirement: fifo-5/returns-dlq-url" in lesson(lambda: check.fifo_dead_letter_queue(cloud, add_fifo_dlq))


def test_fifo5_a_standard_dlq_names_the_fifo_requirement(cloud):
    add_fifo_dlq = dlq_answer("dead")
    assert "Requirement: fifo-5/dlq-is-fifo" in lesson(lambda: check.fifo_dead_letter_queue(cloud, add_fifo_dlq))


def test_fifo1_a_queue_named_fifo_without_the_attribute_is_a_fifo_lesson(cloud):
    def create_fifo_queue(sqs, name):
        return sqs.create_queue(QueueName=name + ".fifo", Attributes={"ContentBasedDeduplication": "true"})["QueueUrl"]

    assert "Requirement: fifo-1/fifo-queue" in lesson(lambda: check.fifo_queue(cloud, create_fifo_queue))


def test_fifo2_a_python_repr_is_not_json(cloud):
    def send_order_events(sqs, queue_url, events):
        for event in events:
            sqs.send_message(QueueUrl=queue_url, MessageBody=str(event), MessageGroupId=event["order_id"])

    assert "Requirement: fifo-2/events-as-json" in lesson(lambda: check.message_groups(cloud, send_order_events))


def test_fifo3_one_group_for_every_payment_is_caught(cloud):
    def send_payment(sqs, queue_url, payment):
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(payment), MessageGroupId="payments",
                         MessageDeduplicationId=payment["payment_id"])

    assert "Requirement: fifo-3/group-per-payment" in lesson(lambda: check.idempotent_producer(cloud, send_payment))


def test_fifo6_a_batch_mixing_groups_loses_no_group(cloud):
    """A FIFO batch can hold several groups: a handler that handles only the first group's records loses B."""
    make_fifo_handler = wrong_function("02_sqs_fifo", "first-group-only", "make_fifo_handler")
    assert "Requirement: fifo-6/every-group-in-order" in lesson(
        lambda: check.fifo_lambda_failures(cloud, make_fifo_handler))


def test_fifo6_raising_retries_the_whole_batch(cloud):
    make_fifo_handler = wrong_function("02_sqs_fifo", "raises", "make_fifo_handler")
    assert "Requirement: fifo-6/processed-once" in lesson(lambda: check.fifo_lambda_failures(cloud, make_fifo_handler))


def test_fifo5_waits_for_the_visibility_timeout_the_answer_gives_the_source(cloud):
    """An answer that also lengthens the source's visibility timeout is right: the poison message still
    moves after maxReceiveCount receives, only later - the check's consumer waits as long."""
    attach = dlq_answer("dead.fifo", {"FifoQueue": "true"})

    def add_fifo_dlq(sqs, source_url, n):
        sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"VisibilityTimeout": "180"})
        return attach(sqs, source_url, n)

    check.fifo_dead_letter_queue(cloud, add_fifo_dlq)


def test_fifo5_a_dlq_with_a_redrive_policy_of_its_own_loses_the_poison_message(cloud):
    add_fifo_dlq = wrong_function("02_sqs_fifo", "redrive-policy-back-to-source", "add_fifo_dlq")
    text = lesson(lambda: check.fifo_dead_letter_queue(cloud, add_fifo_dlq))
    assert "Requirement: fifo-5/poison-in-dlq" in text and "RedrivePolicy of its own" in text


def test_fifo1_a_delayed_message_is_counted_too(cloud):
    """A queue-level delay is allowed on a FIFO queue: the deduplicated message is delayed, not missing."""
    def create_fifo_queue(sqs, name):
        return sqs.create_queue(QueueName=name + ".fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true", "DelaySeconds": "30"})["QueueUrl"]

    check.fifo_queue(cloud, create_fifo_queue)


def test_fifo3_a_producer_that_remembers_what_it_sent_blocks_a_later_send(cloud):
    send_payment = wrong_function("02_sqs_fifo", "producer-remembers-sent", "send_payment")
    assert "Requirement: fifo-3/accepted-after-window" in lesson(lambda: check.idempotent_producer(cloud, send_payment))
