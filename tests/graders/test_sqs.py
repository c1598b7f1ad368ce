"""SQS checks turn a learner's mistakes into lessons, never grader tracebacks."""

import json

import pytest

from graders import sqs as check
from graders.check import CheckFailed
from tests.graders.wrong_answers import wrong_function


def lesson(call):
    with pytest.raises(CheckFailed) as failed:
        call()
    return str(failed.value)


def dlq_answer(name, attributes=None, *, returns="QueueUrl"):
    """An answer to sqs-4 or fifo-5: creates the queue ``name`` and makes it the source's DLQ (after
    ``n`` receives); returns its ``QueueUrl`` or, wrongly, its ``QueueArn``."""
    def add_dlq(sqs, source_url, n):
        url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sqs.set_queue_attributes(QueueUrl=source_url, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": n})})
        return {"QueueUrl": url, "QueueArn": arn}[returns]
    return add_dlq


def test_not_a_function(cloud):
    """A variable where a function belongs: say which cell to run."""
    assert "expected a function" in lesson(lambda: check.first_queue(cloud, "hello"))


def test_unanswered_stub(cloud):
    def create_first_queue(sqs):
        raise NotImplementedError()

    assert "not answered yet" in lesson(lambda: check.first_queue(cloud, create_first_queue))


def test_wrong_return_type(cloud):
    def create_first_queue(sqs):
        sqs.create_queue(QueueName="hello")
        return 42

    assert "not the URL" in lesson(lambda: check.first_queue(cloud, create_first_queue))


def test_aws_error_from_the_answer_is_shown_as_aws_said_it(cloud):
    def configure_for_lambda(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(timeout * 10_000)})

    text = lesson(lambda: check.visibility_for_lambda(cloud, configure_for_lambda))
    assert "AWS refused: InvalidAttributeValue" in text


def test_a_queue_deleted_under_the_check_says_to_rerun_from_the_top(cloud):
    def add_dead_letter_queue(sqs, source_url, n):
        sqs.delete_queue(QueueUrl=source_url)  # out-of-order / destructive cell
        return source_url

    text = lesson(lambda: check.dead_letter_queue(cloud, add_dead_letter_queue))
    assert "run the notebook from the top" in text or "not the URL of an existing queue" in text


def test_checks_return_none_on_success(cloud):
    """nbgrader reads a numeric last value as points: a passing check must return None."""
    def create_first_queue(sqs):
        return sqs.create_queue(QueueName="hello")["QueueUrl"]

    assert check.first_queue(cloud, create_first_queue) is None


def test_hidden_variants_are_checked_too(cloud):
    """An answer hard-coded for the visible case fails the hidden one."""
    def configure_for_lambda(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "180"})

    check.visibility_for_lambda(cloud, configure_for_lambda, function_timeout=30)
    assert "sqs-3/visibility-at-least-timeout" in lesson(
        lambda: check.visibility_for_lambda(cloud, configure_for_lambda, function_timeout=900))


def test_sqs3_messages_name_no_hidden_value(cloud):
    """The hidden test's function timeout (900 s) never appears in the lesson: 'the function's timeout'."""
    def configure_for_lambda(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "180"})

    text = lesson(lambda: check.visibility_for_lambda(cloud, configure_for_lambda, function_timeout=900))
    assert "900" not in text and "5400" not in text
    assert "shorter than the function's timeout" in text


def test_sqs9_counts_utf8_bytes_not_characters(cloud):
    """len(document) counts characters: a multi-byte document under 1 Mi characters but over 1 MiB of
    UTF-8 is sent inline, AWS refuses it, and the lesson is about bytes."""
    def send_document(sqs, s3, queue_url, bucket, document):
        if len(document) <= 1024 * 1024:
            sqs.send_message(QueueUrl=queue_url, MessageBody=document)
            return
        s3.put_object(Bucket=bucket, Key="doc", Body=document.encode())
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
            [check.POINTER_CLASS, {"s3BucketName": bucket, "s3Key": "doc"}]))

    text = lesson(lambda: check.large_payloads(cloud, send_document))
    assert "Requirement: sqs-9/measures-utf8-bytes" in text and "UTF-8" in text


def test_sqs9_exactly_one_mib_fits_inline(cloud):
    """'At most 1 MiB' includes 1 MiB: a strict < sends the boundary document through S3."""
    def send_document(sqs, s3, queue_url, bucket, document):
        if len(document.encode()) < 1024 * 1024:
            sqs.send_message(QueueUrl=queue_url, MessageBody=document)
            return
        s3.put_object(Bucket=bucket, Key="doc", Body=document.encode())
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
            [check.POINTER_CLASS, {"s3BucketName": bucket, "s3Key": "doc"}]))

    assert "Requirement: sqs-9/small-inline" in lesson(lambda: check.large_payloads(cloud, send_document))


def test_sqs9_pointer_to_another_bucket_fails(cloud):
    """A bucket left by an earlier cell works in the notebook, but is not the bucket the function was given."""
    s3 = cloud.client("s3")
    s3.create_bucket(Bucket="my-notebook-bucket")

    def send_document(sqs, s3, queue_url, bucket, document):
        if len(document.encode()) <= 1024 * 1024:
            sqs.send_message(QueueUrl=queue_url, MessageBody=document)
            return
        s3.put_object(Bucket="my-notebook-bucket", Key="doc", Body=document.encode())
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
            [check.POINTER_CLASS, {"s3BucketName": "my-notebook-bucket", "s3Key": "doc"}]))

    assert "Requirement: sqs-9/uses-given-bucket" in lesson(lambda: check.large_payloads(cloud, send_document))


def test_sqs7_keeps_receiving_after_a_short_receive(cloud):
    """AWS may return fewer messages than asked while more wait: a drain that stops on a short receive fails."""
    def drain(sqs, queue_url):
        bodies = []
        while True:
            got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            bodies += [m["Body"] for m in got]
            if got:
                sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
            if len(got) < 10:
                return bodies

    text = lesson(lambda: check.batch_delete(cloud, drain))
    assert "Requirement: sqs-7/returns-every-body" in text and "fewer than you ask" in text


def test_sqs7_a_list_of_messages_is_not_a_list_of_bodies(cloud):
    drain = wrong_function("01_sqs_queues", "returns-messages", "drain")
    assert "Requirement: sqs-7/returns-bodies" in lesson(lambda: check.batch_delete(cloud, drain))


def test_sqs8_a_queue_delay_reset_afterwards_is_caught(cloud):
    """Setting the queue's DelaySeconds, sending, and resetting it leaves the queue as it was, but every
    other producer's message sent meanwhile was delayed on AWS."""
    def send_reminder(sqs, queue_url, body, delay_seconds):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": str(delay_seconds)})
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": "0"})

    text = lesson(lambda: check.message_timer(cloud, send_reminder))
    assert "Requirement: sqs-8/no-queue-delay" in text and "even if you reset it" in text


def test_sqs8_messages_name_no_hidden_delay(cloud):
    def send_reminder(sqs, queue_url, body, delay_seconds):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=120)

    check.message_timer(cloud, send_reminder)
    text = lesson(lambda: check.message_timer(cloud, send_reminder, delay_seconds=900))
    assert "sqs-8/reminder-hidden-for-delay" in text and "900" not in text


def test_sqs6_a_single_retry_is_not_enough(cloud):
    """A retry can fail again: an answer that retries the failed entries once loses messages."""
    def send_in_batches(sqs, queue_url, bodies):
        for start in range(0, len(bodies), 10):
            entries = [{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies[start:start + 10])]
            failed = {f["Id"] for f in sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])}
            if failed:
                sqs.send_message_batch(QueueUrl=queue_url, Entries=[e for e in entries if e["Id"] in failed])

    assert "Requirement: sqs-6/retries-failed-entries" in lesson(lambda: check.batch_send(cloud, send_in_batches))


def test_sqs2_a_shared_ledger_is_caught(cloud):
    """The record of charged orders kept outside make_consumer is shared by every consumer."""
    make_consumer = wrong_function("01_sqs_queues", "module-level-ledger", "make_consumer")
    assert "Requirement: sqs-2/fresh-per-consumer" in lesson(lambda: check.idempotent_consumer(cloud, make_consumer))


def test_sqs2_every_record_of_a_batch_is_processed(cloud):
    make_consumer = wrong_function("01_sqs_queues", "first-record-only", "make_consumer")
    assert "Requirement: sqs-2/every-order-charged" in lesson(lambda: check.idempotent_consumer(cloud, make_consumer))


def test_sqs1_judges_the_days_by_behaviour_at_a_minute_either_side(cloud):
    def hours(sqs, name, days):
        return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(days * 3600)})["QueueUrl"]

    def longest(sqs, name, days):
        return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": "1209600"})["QueueUrl"]

    assert "sqs-1/keeps-until-retention" in lesson(lambda: check.queue_with_retention(cloud, hours))
    assert "sqs-1/drops-after-retention" in lesson(lambda: check.queue_with_retention(cloud, longest))


def test_sqs4_a_dlq_of_the_other_type_names_the_type_requirement(cloud):
    add_dead_letter_queue = dlq_answer("dlq", {"MessageRetentionPeriod": "1209600"})
    text = lesson(lambda: check.dead_letter_queue(cloud, add_dead_letter_queue, fifo=True, max_receive_count=5))
    assert "Requirement: sqs-4/dlq-same-type" in text and "maxReceiveCount" not in text


def test_start1_re_running_must_keep_the_queue(cloud):
    create_first_queue = wrong_function("00_start_here", "recreate-on-rerun", "create_first_queue")
    assert "Requirement: start-1/idempotent" in lesson(lambda: check.first_queue(cloud, create_first_queue))


def test_sqs6_messages_never_sent_are_not_a_retry_lesson(cloud):
    """Lost messages no response listed as Failed were never sent (here the last, shorter batch): the
    lesson is about sending every body, not about retrying Failed entries."""
    send_in_batches = wrong_function("01_sqs_queues", "drops-last-batch", "send_in_batches")
    assert "Requirement: sqs-6/all-messages-arrive" in lesson(lambda: check.batch_send(cloud, send_in_batches))
    ignores_failed = wrong_function("01_sqs_queues", "ignores-failed", "send_in_batches")
    assert "Requirement: sqs-6/retries-failed-entries" in lesson(lambda: check.batch_send(cloud, ignores_failed))


def test_sqs4_a_dlq_with_a_redrive_policy_of_its_own_loses_the_poison_message(cloud):
    add_dead_letter_queue = wrong_function("01_sqs_queues", "redrive-policy-back-to-source", "add_dead_letter_queue")
    text = lesson(lambda: check.dead_letter_queue(cloud, add_dead_letter_queue))
    assert "Requirement: sqs-4/poison-reaches-dlq" in text and "RedrivePolicy of its own" in text


def test_sqs5_a_delay_queue_hides_the_message_long_polling_waits_for(cloud):
    enable_long_polling = wrong_function("01_sqs_queues", "wait-and-delay", "enable_long_polling")
    text = lesson(lambda: check.long_polling(cloud, enable_long_polling))
    assert "Requirement: sqs-5/message-received" in text and "DelaySeconds is 20" in text
