"""07_exam_traps: every check passes a right answer, fails each classic mistake with its lesson,
returns None, and writes nothing to stderr (graders.traps, graders.questions)."""

import json
import uuid

import pytest

from course import quiz
from graders import questions
from graders import traps as check
from graders.check import CheckFailed
from tests.graders.wrong_answers import wrong_function

POINTER = "software.amazon.payloadoffloading.PayloadS3Pointer"


def lesson(call):
    with pytest.raises(CheckFailed) as failed:
        call()
    return str(failed.value)


# -- questions answered in code --------------------------------------------------------------------
def test_bank_questions_exist_and_render(cloud):
    """Each question the notebook asks is in the bank, and ask() shows its stem and every option."""
    for exercise, question_id in questions.BANK_QUESTIONS.items():
        question = quiz.question(question_id)
        shown = check.ask(exercise).data
        assert question.stem in shown and all(option.text in shown for option in question.options)


@pytest.mark.parametrize("answer", [{"C"}, ["c"], "C", ("C",)])
def test_exam_question_accepts_the_usual_shapes(cloud, capsys, answer):
    assert check.exam_question("trap-1", lambda: answer) is None
    assert "[trap-1] right" in capsys.readouterr().out


def test_exam_question_explains_the_wrong_option_without_naming_the_right_one(cloud):
    text = lesson(lambda: check.exam_question("trap-1", lambda: {"B"}))
    question = quiz.question(questions.BANK_QUESTIONS["trap-1"])
    assert question.option("B").why in text
    assert question.option("C").text not in text and question.option("C").why not in text


def test_exam_question_counts_a_choose_two(cloud):
    text = lesson(lambda: check.exam_question("trap-8", lambda: {"B"}))
    assert "asks for 2 options; you chose 1" in text
    assert "is not an option" in lesson(lambda: check.exam_question("trap-8", lambda: {"B", "Z"}))
    assert "not answered yet" in lesson(lambda: check.exam_question("trap-8", _stub))


def _stub():
    raise NotImplementedError()


def test_delay_mechanisms(cloud):
    right = {n: want for n, (_, want) in questions.SITUATIONS.items()}
    assert check.delay_mechanisms(cloud, lambda: {str(n): m.upper() for n, m in right.items()}) is None
    text = lesson(lambda: check.delay_mechanisms(cloud, lambda: {**right, 4: "message timer"}))
    assert "FIFO queues have no per-message timers" in text
    assert "choose from" in lesson(lambda: check.delay_mechanisms(cloud, lambda: {**right, 1: "sleep"}))
    assert "no answer for situation(s) [3]" in lesson(
        lambda: check.delay_mechanisms(cloud, lambda: {n: m for n, m in right.items() if n != 3}))


def test_service_choice(cloud):
    right = {n: want for n, (_, want) in questions.SCENARIOS.items()}
    assert check.service_choice(cloud, lambda: {n: s.lower().replace(" ", "-") for n, s in right.items()}) is None
    text = lesson(lambda: check.service_choice(cloud, lambda: {**right, 4: "Firehose"}))
    assert "4. Firehose is buffered, near-real-time" in text and "1 of 7" in text
    assert "not one of" in lesson(lambda: check.service_choice(cloud, lambda: {**right, 2: "Lambda"}))


# -- 1. visibility timeout (reused from 01) ---------------------------------------------------------
def test_visibility_for_lambda_is_reported_as_trap_2(cloud, capsys):
    def six_times(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(6 * timeout)})

    def same(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(timeout)})

    assert check.visibility_for_lambda(cloud, six_times) is None
    assert "\u2714 [trap-2]" in capsys.readouterr().out
    text = lesson(lambda: check.visibility_for_lambda(cloud, same))
    assert text.startswith("[trap-2]") and "not six times" in text and "sqs-3" not in text


# -- 2. polling ----------------------------------------------------------------------------------
def test_cheap_receive(cloud):
    def long_and_batched(sqs, url):
        return sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20, MaxNumberOfMessages=10).get("Messages", [])

    def short(sqs, url):
        return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])

    def one_at_a_time(sqs, url):
        return sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])

    def whole_response(sqs, url):
        return sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10, MaxNumberOfMessages=10)

    assert check.cheap_receive(cloud, long_and_batched) is None
    assert check.cheap_receive(cloud, whole_response) is None
    assert "about 60 ReceiveMessage calls a minute" in lesson(lambda: check.cheap_receive(cloud, short))
    assert "MaxNumberOfMessages=10" in lesson(lambda: check.cheap_receive(cloud, one_at_a_time))


def test_cheap_receive_bodies_are_not_messages(cloud):
    """A list of bodies is told as the shape mistake it is (returns-messages), not as a check that
    could not run: the consumer needs each message's ReceiptHandle."""
    receive_batch = wrong_function("07_exam_traps", "returns-bodies", "receive_batch")
    text = lesson(lambda: check.cheap_receive(cloud, receive_batch))
    assert "Requirement: trap-3/returns-messages" in text and "a list of str, not of messages" in text


# -- 4. FIFO ---------------------------------------------------------------------------------------
def _fifo(content_based=True, dlq_fifo=True, suffix=True):
    def create_fifo_queue(sqs, name, n):
        dlq_name = f"{name}-dlq" + (".fifo" if dlq_fifo else "")
        dlq = sqs.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"} if dlq_fifo else {})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes = {"FifoQueue": "true", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": n})}
        if content_based:
            attributes["ContentBasedDeduplication"] = "true"
        url = sqs.create_queue(QueueName=name + (".fifo" if suffix else ""), Attributes=attributes)["QueueUrl"]
        return url, dlq

    return create_fifo_queue


def test_fifo_with_dlq(cloud):
    assert check.fifo_with_dlq(cloud, _fifo()) is None
    assert check.fifo_with_dlq(cloud, _fifo(), max_receive_count=1) is None
    assert "content-based deduplication is off" in lesson(lambda: check.fifo_with_dlq(cloud, _fifo(content_based=False)))
    assert "same type as its source" in lesson(lambda: check.fifo_with_dlq(cloud, _fifo(dlq_fifo=False)))
    assert "must end in .fifo" in lesson(lambda: check.fifo_with_dlq(cloud, _fifo(suffix=False)))


def test_a_standard_queue_named_fifo_is_refused_like_on_aws(cloud):
    def looks_fifo(sqs, name, n):
        return sqs.create_queue(QueueName=name + ".fifo")["QueueUrl"], None

    assert "Only a FIFO queue" in lesson(lambda: check.fifo_with_dlq(cloud, looks_fifo))


# -- 5. ordering -----------------------------------------------------------------------------------
def _handler(newest_only):
    def make_handler(store):
        def handler(event, context):
            for record in event["Records"]:
                update = json.loads(record["body"])
                current = store.get(update["order_id"])
                if not newest_only or current is None or update["version"] > current["version"]:
                    store[update["order_id"]] = update

        return handler

    return make_handler


def test_out_of_order(cloud):
    assert check.out_of_order(cloud, _handler(newest_only=True)) is None
    text = lesson(lambda: check.out_of_order(cloud, _handler(newest_only=False)))
    assert "best effort" in text and "ended as 'placed' (version 1)" in text


def test_out_of_order_a_crashed_update_arrives_last(cloud):
    """The redelivery after the crash is what reorders: the crashed update is the last one processed."""
    updates = [("o-1", 1, "placed"), ("o-1", 2, "paid")]
    text = lesson(lambda: check.out_of_order(cloud, _handler(newest_only=False), updates=updates, crash_on=("o-1", 1)))
    assert "o-1 v1, o-1 v2, o-1 v1." in text


# -- 6. size ---------------------------------------------------------------------------------------
def _sender(measure):
    def send_large(sqs, s3, url, bucket, payload):
        if measure(payload) <= 1_048_576:
            sqs.send_message(QueueUrl=url, MessageBody=payload)
            return
        key = str(uuid.uuid4())
        s3.put_object(Bucket=bucket, Key=key, Body=payload.encode("utf-8"))
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps([POINTER, {"s3BucketName": bucket, "s3Key": key}]))

    return send_large


def test_large_messages(cloud):
    assert check.large_messages(cloud, _sender(lambda p: len(p.encode("utf-8")))) is None
    assert "not characters" in lesson(lambda: check.large_messages(cloud, _sender(len)))
    text = lesson(lambda: check.large_messages(cloud, _sender(lambda p: len(p.encode("utf-8")) + 1)))
    assert "exactly 1,048,576 bytes: sent through S3" in text


def test_large_messages_with_a_wrong_pointer(cloud):
    def bare_key(sqs, s3, url, bucket, payload):
        if len(payload.encode()) <= 1_048_576:
            sqs.send_message(QueueUrl=url, MessageBody=payload)
        else:
            s3.put_object(Bucket=bucket, Key="k", Body=payload.encode())
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"bucket": bucket, "key": "k"}))

    assert "could not be read back through an S3 pointer" in lesson(lambda: check.large_messages(cloud, bare_key))


# -- 7. EventBridge: 5 targets per rule ------------------------------------------------------------
PATTERN = json.dumps({"source": ["com.shop.orders"], "detail-type": ["OrderPlaced"]})


def test_many_targets_with_several_rules_or_an_sns_topic(cloud):
    def rules_of_five(events, bus, arns):
        for start in range(0, len(arns), 5):
            events.put_rule(Name=f"r{start}", EventBusName=bus, EventPattern=PATTERN)
            events.put_targets(Rule=f"r{start}", EventBusName=bus,
                               Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(arns[start:start + 5])])

    def through_sns(events, bus, arns):
        sns = cloud.client("sns")
        topic = sns.create_topic(Name=f"fanout-{bus}")["TopicArn"]
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({"Statement": [{
            "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish",
            "Resource": topic}]}))
        for queue_arn in arns:
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        events.put_rule(Name="all", EventBusName=bus, EventPattern=PATTERN)
        events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": "topic", "Arn": topic}])

    assert check.many_targets(cloud, rules_of_five) is None
    assert check.many_targets(cloud, through_sns, teams=11) is None


def test_many_targets_through_a_topic_eventbridge_may_not_publish_to(cloud):
    """A new topic's default policy does not let EventBridge publish: the lesson names the permission."""
    def through_closed_topic(events, bus, arns):
        sns = cloud.client("sns")
        topic = sns.create_topic(Name=f"closed-{bus}")["TopicArn"]
        for queue_arn in arns:
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        events.put_rule(Name="all", EventBusName=bus, EventPattern=PATTERN)
        events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": "topic", "Arn": topic}])

    with pytest.raises(CheckFailed) as failed:
        check.many_targets(cloud, through_closed_topic)
    assert failed.value.requirement == "trap-9/eventbridge-may-deliver"
    assert "events.amazonaws.com" in str(failed.value)


def test_many_targets_mistakes(cloud):
    def one_rule(events, bus, arns):
        events.put_rule(Name="all", EventBusName=bus, EventPattern=PATTERN)
        events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(arns)])

    def overlapping(events, bus, arns):
        for name, chunk in (("a", arns[:5]), ("b", arns[-5:])):
            events.put_rule(Name=name, EventBusName=bus, EventPattern=PATTERN)
            events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(chunk)])

    def every_order_event(events, bus, arns):
        for start in range(0, len(arns), 5):
            events.put_rule(Name=f"r{start}", EventBusName=bus, EventPattern=json.dumps({"source": ["com.shop.orders"]}))
            events.put_targets(Rule=f"r{start}", EventBusName=bus,
                               Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(arns[start:start + 5])])

    text = lesson(lambda: check.many_targets(cloud, one_rule))
    assert "at most 5" in text and "Why it matters" in text
    assert "2 copies" in lesson(lambda: check.many_targets(cloud, overlapping))
    assert "OrderCancelled" in lesson(lambda: check.many_targets(cloud, every_order_event))


# -- 8. Kinesis retention --------------------------------------------------------------------------
@pytest.mark.parametrize(("hours", "lesson_text"), [(None, "default 24 hours"), (365, "counts hours, not days"),
                                                    (168, "168 hours (7 days)")])
def test_year_of_retention_mistakes(cloud, hours, lesson_text):
    def keep(kinesis, stream):
        if hours:
            kinesis.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=hours)

    assert lesson_text in lesson(lambda: check.year_of_retention(cloud, keep))


def test_year_of_retention(cloud):
    def keep(kinesis, stream):
        kinesis.increase_stream_retention_period(StreamName=stream, RetentionPeriodHours=8760)

    assert check.year_of_retention(cloud, keep) is None


def test_checks_write_nothing_to_stderr(cloud, capsys):
    """Any stderr output makes nbgrader score a passing cell 0."""
    check.exam_question("trap-8", lambda: {"B", "C"})
    check.year_of_retention(cloud, lambda k, s: k.increase_stream_retention_period(StreamName=s, RetentionPeriodHours=8760))
    with pytest.raises(CheckFailed):
        check.large_messages(cloud, _sender(len))
    assert capsys.readouterr().err == ""


def test_trap9_pattern_without_source_fails(cloud):
    """An OrderPlaced event from another source must reach no queue: the pattern needs the source filter."""
    def any_source(events, bus, arns):
        for start in range(0, len(arns), 5):
            events.put_rule(Name=f"r{start}", EventBusName=bus, EventPattern=json.dumps({"detail-type": ["OrderPlaced"]}))
            events.put_targets(Rule=f"r{start}", EventBusName=bus,
                               Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(arns[start:start + 5])])

    with pytest.raises(CheckFailed) as failed:
        check.many_targets(cloud, any_source)
    assert failed.value.requirement == "trap-9/only-shop-orders"
    assert "source" in str(failed.value)
