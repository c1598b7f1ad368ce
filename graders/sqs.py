"""Checks for the SQS modules (00_start_here, 01_sqs_queues).

Each check takes the sandbox (``cloud``) and the learner's answer function, calls the function
against fresh resources, then reads and exercises the mocked cloud: queue attributes, redrive
policies, sending, receiving and advancing the course clock. Hidden tests call the same checks
with other arguments.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import CheckFailed
from graders.exercise import Exercise, declared_in
from graders.instrument import CallRecorder, fail_batch_entries, short_receives
from graders.resources import (POINTER_CLASS, aws_refused, call_add_dlq, dlq_own_redrive, drain_messages,
                               max_receive_count_or_fail, queue_url_or_fail, receive_all, resolve_pointer, s3_pointer)
from graders.resources import fresh_name as _fresh_name
from graders.resources import queue_attributes as _attributes

MiB = 1024 * 1024
DAY = 86_400

__all__ = ["POINTER_CLASS", "batch_delete", "batch_send", "dead_letter_queue",
           "first_queue", "idempotent_consumer", "judge_visibility", "large_payloads", "long_polling",
           "message_timer", "queue_with_retention", "resolve_pointer", "visibility_for_lambda"]

#: This module's exercises, declared in graders/exercises/sqs.toml.
EXERCISES = declared_in("sqs")


def _count_visible(sqs: Any, url: str) -> int:
    return int(_attributes(sqs, url)["ApproximateNumberOfMessages"])


def _count_all(sqs: Any, url: str) -> int:
    """Messages in the queue: visible, in flight and delayed."""
    attributes = _attributes(sqs, url)
    return sum(int(attributes[f"ApproximateNumberOfMessages{kind}"]) for kind in ("", "NotVisible", "Delayed"))


# -- 00_start_here ---------------------------------------------------------------------------
@EXERCISES["start-1"].check
def first_queue(ex: Exercise, cloud: Sandbox, create_first_queue: Callable[[Any], str]) -> None:
    """``create_first_queue(sqs)`` creates a standard queue named ``hello`` and returns its URL."""
    sqs = cloud.client("sqs")
    returned = ex.call_learner(create_first_queue, sqs)
    url = queue_url_or_fail(ex, sqs, returned, "hello")
    sqs.send_message(QueueUrl=url, MessageBody="waiting in the queue")
    again = ex.call_learner(create_first_queue, sqs)
    if again != url or _count_all(sqs, url) == 0:
        ex.fail("idempotent", "calling your function a second time "
                + ("gave a different answer." if again != url else "emptied the queue."),
                why="a setup cell is often re-run; create_queue with the same name and attributes "
                "is idempotent on AWS: it returns the same URL and the queue keeps its messages. "
                "Deleting and re-creating a queue loses every message in it.",
                hint="just call create_queue: it returns the existing queue's URL.")
    sqs.send_message(QueueUrl=url, MessageBody="hello, SQS")
    if not any(m["Body"] == "hello, SQS" for m in receive_all(sqs, url)):
        ex.fail("delivers-messages", "a message sent to your queue could not be received at once.",
                why="a queue attribute such as DelaySeconds hides every new message for a while.",
                hint="create the queue with its default attributes.")
    ex.passed("your first queue works: it takes and returns messages.")


# -- 01_sqs_queues ---------------------------------------------------------------------------
@EXERCISES["sqs-1"].check
def queue_with_retention(ex: Exercise, cloud: Sandbox, create_queue: Callable[..., str], *, name: str = "orders",
                         retention_days: int = 7) -> None:
    """``create_queue(sqs, name, retention_days)`` makes a standard queue keeping messages that long.

    Judged by behaviour, a minute either side of the period: a message sent at once must still be
    there a minute before ``retention_days`` days have passed, and gone a minute after.
    """
    sqs = cloud.client("sqs")
    name = f"{name}-{uuid.uuid4().hex[:6]}"
    returned = ex.call_learner(create_queue, sqs, name, retention_days)
    url = queue_url_or_fail(ex, sqs, returned, name)
    retention = int(_attributes(sqs, url)["MessageRetentionPeriod"])
    yours = f"your queue's MessageRetentionPeriod is {retention} s ({retention / DAY:.3g} days)"
    why = ("SQS deletes a message that has been in the queue longer than the retention period, whether "
           "or not anyone read it. MessageRetentionPeriod is in seconds (60 s to 14 days, default 4 days).")
    wanted = retention_days * DAY
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    cloud.advance(wanted - 60)
    if not receive_all(sqs, url):
        ex.fail("keeps-until-retention", f"a message disappeared before `retention_days` days had passed: {yours}.",
                why=why, hint="convert days to seconds (a day is 86,400 s); attribute values are strings.")
    cloud.advance(120)
    if receive_all(sqs, url):
        ex.fail("drops-after-retention", f"a message was still there after `retention_days` days: {yours}.",
                why=why, hint="use the retention_days argument, converted to seconds.")
    ex.passed("the queue keeps messages for the asked number of days, then drops them.")


def _sqs_record(order: dict, n: int) -> dict:
    """A record as Lambda's SQS event gives it, for calling a handler directly."""
    return {"messageId": f"direct-{n}", "receiptHandle": f"handle-{n}", "body": json.dumps(order),
            "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
            "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:direct"}


@EXERCISES["sqs-2"].check
def idempotent_consumer(ex: Exercise, cloud: Sandbox,
                        make_consumer: Callable[[Callable[[str, float], None]], Any]) -> None:
    """The handler from ``make_consumer(charge)`` charges each order once despite redeliveries.

    Each handler starts fresh (two consumers each charge an order once); batches of several records
    are processed so slowly that they reappear and are delivered again.
    """
    charges: Counter[str] = Counter()

    def charge(order_id: str, amount: float) -> None:
        charges[order_id] += 1

    handler = ex.call_learner(make_consumer, charge)
    if not callable(handler):
        ex.fail("returns-handler", f"make_consumer returned {type(handler).__name__}, not a handler function.",
                hint="return the inner `handler(event, context)` function.")
    # a consumer made earlier handled this order; the new one must not think it already did
    earlier: Counter[str] = Counter()
    first = ex.call_learner(make_consumer, lambda order_id, amount: earlier.update([order_id]))
    probe = {"order_id": f"o-{uuid.uuid4().hex[:6]}", "amount": 5.0}
    try:
        ex.call_learner(first, {"Records": [_sqs_record(probe, 0)]}, None)
        ex.call_learner(handler, {"Records": [_sqs_record(probe, 1)]}, None)
    except CheckFailed as failure:
        if failure.requirement != ex.requirement_id("answer-runs"):
            raise
        ex.fail("handler-parses-records", f"your handler raised on an SQS event: {failure.problem.split(' raised ', 1)[-1]}",
                why="Lambda's SQS event is {'Records': [{'messageId': ..., 'body': '<the message>', ...}, ...]}: "
                "the keys are lower case, unlike boto3's receive_message response.",
                hint="each record's JSON body is in record['body']; parse it with json.loads.")
    if charges[probe["order_id"]] != 1:
        ex.fail("fresh-per-consumer", "an order another consumer had charged was not charged by a new one.",
                why="the record of charged orders belongs to one consumer: kept outside make_consumer, "
                "it is shared by every handler (and by every test you ran before).",
                hint="create the set of charged orders inside make_consumer, before defining handler.")
    charges.clear()

    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("payments"), Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    orders = [{"order_id": f"o-{i}", "amount": 10.0 * i} for i in range(1, 6)]
    for order in orders:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(order))
    # the producer's retry after a timeout: the same order again, as a new message
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(orders[2]))
    # batches of several records, each slower than the visibility timeout: every batch reappears
    mapping = SqsEventSourceMapping(cloud, url, handler, batch_size=10, function_timeout=30,
                                    processing_seconds=4, concurrency=8)
    try:
        mapping.run(180)
    except Exception as exc:  # noqa: BLE001 - the learner's handler is arbitrary code
        ex.fail("consumer-runs", f"the consumer crashed: {type(exc).__name__}: {exc}")
    errors = [inv.error for inv in mapping.invocations if inv.outcome == "error"]
    if errors and not charges:
        ex.fail("handler-parses-records", f"your handler raised on every message, e.g. {errors[0]}",
                hint="each record's JSON body is in record['body'] (lower case); parse it with json.loads.")
    missing = [o["order_id"] for o in orders if charges[o["order_id"]] == 0]
    if missing:
        ex.fail("every-order-charged", f"{len(missing)} of {len(orders)} orders were never charged.",
                why="Lambda hands the handler a batch: event['Records'] may hold several messages.",
                hint="process every record in event['Records'], not only the first.")
    doubled = {order: n for order, n in charges.items() if n > 1}
    if doubled:
        detail = ", ".join(f"{order} {n} times" for order, n in sorted(doubled.items()))
        ex.fail("charged-once", f"customers were charged more than once: {detail}.",
                why="a standard queue delivers at least once: a slow consumer's message reappears "
                "when its visibility timeout ends and a second consumer gets it, and a producer's "
                "retry arrives as a new message with a new MessageId. Only a consumer that "
                "remembers what it already did is safe.",
                hint="remember the order ids you have charged, and skip an order you have seen. "
                "A MessageId is not enough: the producer's retry has a new one.")
    ex.passed(f"{len(mapping.invocations)} deliveries of {len(orders)} orders (redeliveries and a "
              "producer retry included): each order charged exactly once.")


@EXERCISES["sqs-3"].check
def visibility_for_lambda(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None], *,
                          function_timeout: int = 30) -> None:
    """``configure_for_lambda(sqs, url, function_timeout)`` sets a visibility timeout >= 6x it."""
    judge_visibility(ex, cloud, configure_for_lambda, function_timeout)


def judge_visibility(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None],
                     function_timeout: int) -> None:
    """The 6x rule for a Lambda event source, judged for ``ex`` (which includes the ``visibility`` set of sqs.toml).

    Messages name the learner's value, never ``function_timeout`` (a hidden test's argument).
    """
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("lambda-source"))["QueueUrl"]
    ex.call_learner(configure_for_lambda, sqs, url, function_timeout)
    visibility = int(_attributes(sqs, url)["VisibilityTimeout"])
    rule = 6 * function_timeout
    if visibility < function_timeout:
        ex.fail("visibility-at-least-timeout",
                f"the visibility timeout is {visibility} s, shorter than the function's timeout "
                "(function_timeout, in seconds).",
                why="the message reappears while the function still works on it; a second "
                "invocation processes it again - duplicates.",
                hint="AWS's guidance for a Lambda event source: at least six times the function timeout.")
    if visibility < rule:
        ex.fail("visibility-at-least-6x",
                f"the visibility timeout is {visibility} s: at least the function's timeout, but not six "
                "times it.",
                why="Lambda retries throttled or failed batches, and the poller holds a batch while "
                "it waits; AWS recommends at least 6x the function timeout so a message does not "
                "reappear during retries.",
                hint="multiply the function timeout by six (at least).")
    sqs.send_message(QueueUrl=url, MessageBody="slow job")
    mapping = SqsEventSourceMapping(cloud, url, lambda event, context: None, batch_size=1,
                                    function_timeout=function_timeout,
                                    processing_seconds=function_timeout * 0.9, concurrency=5)
    mapping.run(function_timeout * 3)
    if mapping.duplicates:
        ex.fail("no-duplicates-when-slow", "a slow message was processed twice.")
    ex.passed(f"visibility timeout {visibility} s, at least six times the function timeout: "
              "no duplicates under slow processing.")


@EXERCISES["sqs-4"].check
def dead_letter_queue(ex: Exercise, cloud: Sandbox, add_dead_letter_queue: Callable[[Any, str, int], str], *,
                      fifo: bool = False, max_receive_count: int = 3, source_retention_days: int | None = None) -> None:
    """``add_dead_letter_queue(sqs, source_url, n)`` gives the source a DLQ after ``n`` receives.

    ``source_retention_days`` gives the source queue a retention other than the default 4 days, so
    a DLQ retention fixed in the answer is judged against another source.
    """
    sqs = cloud.client("sqs")
    attributes = {"FifoQueue": "true"} if fifo else {}
    if source_retention_days:
        attributes["MessageRetentionPeriod"] = str(source_retention_days * DAY)
    source = sqs.create_queue(QueueName=_fresh_name("work", fifo), Attributes=attributes)["QueueUrl"]
    same_type = dict(why="AWS requires it: a FIFO queue's DLQ must be FIFO and a standard queue's DLQ "
                     "must be standard (moto accepts a standard queue with a FIFO DLQ; AWS does not).",
                     hint="read the source queue's FifoQueue attribute (or its name: a FIFO queue's ends in "
                     ".fifo); a FIFO DLQ is created with FifoQueue='true' and a name ending in .fifo.")
    dlq_url, refused = call_add_dlq(ex, add_dead_letter_queue, sqs, source, max_receive_count)
    if refused:
        ex.fail("dlq-same-type", f"AWS refused the redrive policy: {refused}", **same_type)
    if not isinstance(dlq_url, str):
        ex.fail("returns-dlq-url", f"your function returned {dlq_url!r}; it must return the DLQ's URL.")
    try:
        dlq_attributes = _attributes(sqs, dlq_url)
    except Exception:  # noqa: BLE001 - any failure means the URL is not a queue
        ex.fail("returns-dlq-url", f"{dlq_url!r} is not the URL of an existing queue.",
                hint="return the QueueUrl from create_queue's response (not the queue's ARN or name).")
    source_attributes = _attributes(sqs, source)
    policy_text = source_attributes.get("RedrivePolicy")
    if not policy_text:
        ex.fail("redrive-policy", "the source queue has no RedrivePolicy.",
                why="without one, a message that always fails is retried until its retention ends, "
                "wasting consumer time and hiding the failure.",
                hint="set the source queue's RedrivePolicy attribute to a JSON string with "
                "deadLetterTargetArn and maxReceiveCount.")
    policy = json.loads(policy_text)
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        ex.fail("targets-returned-dlq", "the redrive policy points at a different queue than the one you returned.",
                hint="deadLetterTargetArn takes the DLQ's ARN (get_queue_attributes 'QueueArn'), not its URL.")
    max_receive_count_or_fail(ex, policy, max_receive_count,
                              hint="use the max_receive_count argument; do not fix a number.")
    if (dlq_attributes.get("FifoQueue") == "true") != fifo:
        ex.fail("dlq-same-type", "the dead-letter queue is not the same type as its source queue.", **same_type)
    source_retention = int(source_attributes["MessageRetentionPeriod"])
    dlq_retention = int(dlq_attributes["MessageRetentionPeriod"])
    if dlq_retention <= source_retention:
        ex.fail("dlq-retention-longer",
                f"the DLQ keeps messages for {dlq_retention / DAY:.3g} days, no longer than the source "
                "queue does.",
                why=("AWS advises a DLQ retention longer than its source's; a FIFO DLQ restarts a moved "
                     "message's retention, but a standard DLQ does not, and there a message that took days "
                     "to fail could vanish before anyone looks at it.") if fifo else
                ("a standard queue's message keeps its original enqueue time when it moves to the "
                 "DLQ, so it expires there as soon as the DLQ's retention counts from that time: a "
                 "message that took days to fail could vanish before anyone looks at it."),
                hint="read the source queue's MessageRetentionPeriod and give the DLQ a longer one "
                "(up to 14 days).")
    group = {"MessageGroupId": "g", "MessageDeduplicationId": "poison"} if fifo else {}
    sqs.send_message(QueueUrl=source, MessageBody="poison", **group)

    def always_fails(event: dict, context: Any) -> None:
        raise ValueError("cannot parse this message")

    mapping = SqsEventSourceMapping(cloud, source, always_fails, batch_size=1, function_timeout=5)
    for _ in range(max_receive_count + 2):
        mapping.poll_once()
        cloud.advance(int(source_attributes["VisibilityTimeout"]) + 1)
    landed = [m["Body"] for m in receive_all(sqs, dlq_url)]
    if landed != ["poison"]:
        own_policy, lesson = dlq_own_redrive(dlq_attributes)
        ex.fail("poison-reaches-dlq", f"a message that failed every time did not arrive in the DLQ{own_policy}.",
                **lesson)
    if len(mapping.invocations) != max_receive_count:
        ex.fail("retries-before-dlq", f"the failing message was processed {len(mapping.invocations)} times, "
                "not maxReceiveCount times.")
    ex.passed("a poison message was tried maxReceiveCount times, then moved to the DLQ.")


@EXERCISES["sqs-5"].check
def long_polling(ex: Exercise, cloud: Sandbox, enable_long_polling: Callable[[Any, str], None], *,
                 idle_seconds: int = 600, max_empty_receives: int = 60) -> None:
    """``enable_long_polling(sqs, url)`` makes an idle consumer's receives wait for messages."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("idle"))["QueueUrl"]
    ex.call_learner(enable_long_polling, sqs, url)
    attributes = _attributes(sqs, url)
    wait = int(attributes.get("ReceiveMessageWaitTimeSeconds", 0))
    if wait == 0:
        changed = {k: attributes[k] for k in ("VisibilityTimeout", "DelaySeconds") if attributes[k] not in ("30", "0")}
        ex.fail("long-polling-on", "the queue still uses short polling (ReceiveMessageWaitTimeSeconds is 0)"
                + (f"; you changed {changed} instead" if changed else "") + ".",
                why="with short polling every ReceiveMessage returns at once, usually empty, and every "
                "empty receive is a billed request; a consumer polling in a loop pays for nothing.",
                hint="long polling is the queue attribute ReceiveMessageWaitTimeSeconds (1 to 20 s).")
    # an idle consumer: plain receive_message calls in a loop, the queue's default wait applies
    start = cloud.clock.offset
    calls = 0
    while cloud.clock.offset - start < idle_seconds:
        calls += 1
        if sqs.receive_message(QueueUrl=url).get("Messages"):
            ex.fail("empty-receives-empty", "an empty queue returned a message.")
        if wait == 0:
            cloud.advance(1)
    if calls > max_empty_receives:
        ex.fail("idle-receive-budget", f"an idle consumer made {calls} empty receives in {idle_seconds // 60} minutes "
                f"(wait time {wait} s); the budget is {max_empty_receives}.",
                why="each receive is billed; a longer wait means fewer empty receives.",
                hint="use a longer wait time (the maximum is 20 s).")
    sqs.send_message(QueueUrl=url, MessageBody="arrives")
    if not sqs.receive_message(QueueUrl=url).get("Messages"):
        delay = int(_attributes(sqs, url).get("DelaySeconds", 0))
        ex.fail("message-received", "after long polling was enabled, a waiting message could not be received"
                + (f": your queue's DelaySeconds is {delay}, so it hides every new message that long" if delay
                   else "") + ".",
                why="long polling only makes a receive wait for messages; DelaySeconds makes the queue a delay "
                "queue, which keeps every new message from consumers - however long they wait.",
                hint="long polling is ReceiveMessageWaitTimeSeconds alone; leave the other attributes as they are.")
    ex.passed(f"long polling ({wait} s): {calls} receives in {idle_seconds // 60} idle minutes.")


@EXERCISES["sqs-6"].check
def batch_send(ex: Exercise, cloud: Sandbox, send_in_batches: Callable[[Any, str, list[str]], None], *,
               count: int = 25, failures: int = 2, failing_calls: int = 2) -> None:
    """``send_in_batches(sqs, url, bodies)`` uses SendMessageBatch and retries failed entries.

    The first ``failing_calls`` batch calls report entries as failed - a retry can fail again, as on
    AWS - so an answer must retry until every entry is accepted.
    """
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("batch"))["QueueUrl"]
    bodies = [f"event-{i:03d}" for i in range(count)]
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    injected = fail_batch_entries(learner_sqs, "SendMessageBatch", failures, times=failing_calls)
    ex.call_learner(send_in_batches, learner_sqs, url, list(bodies))
    singles = recorder.calls["SendMessage"]
    batches = recorder.calls["SendMessageBatch"]
    if singles:
        ex.fail("uses-batch-send", f"you called SendMessage {singles} times.",
                why="each call is a billed request and a network round trip; SendMessageBatch sends "
                "up to 10 messages in one request.",
                hint="group the bodies in chunks of at most 10 and call send_message_batch.")
    got = Counter(m["Body"] for m in receive_all(sqs, url))
    lost = [b for b in bodies if got[b] == 0]
    # a lost message no response listed as Failed was never sent (or not as the body given): not a retry's fault
    reported_failed = {failure["Entry"].get("MessageBody") for failure in injected}
    unreported = [b for b in lost if b not in reported_failed]
    if unreported:
        ex.fail("all-messages-arrive", f"{len(unreported)} messages never arrived, e.g. {unreported[:3]}, "
                "though no batch response listed them as Failed.",
                why="only the entries a response lists as Failed need sending again; these were never sent, "
                "or were sent with another body than the one you were given.",
                hint="send every body of the list, unchanged, as a MessageBody - the last batch too, which "
                "is shorter when the number of bodies is not a multiple of 10.")
    if lost:
        ex.fail("retries-failed-entries", f"{len(lost)} messages never arrived, e.g. {lost[:3]}.",
                why="SendMessageBatch answers HTTP 200 even when some entries fail: the failures are "
                "listed in the response's 'Failed' key, and the caller must retry them (entries with "
                "SenderFault false are transient) - a retry can fail again.",
                hint="after each batch call, collect response.get('Failed', []) and send those entries "
                "again, until none fail.")
    extra = {b: n for b, n in got.items() if n > 1}
    if extra:
        ex.fail("sent-once", f"some messages were sent more than once, e.g. {sorted(extra)[:3]}.",
                hint="retry only the entries listed in 'Failed', not the whole batch.")
    if batches > -(-count // 10) + failing_calls:
        ex.fail("full-batches", f"{batches} batch calls: more than full batches of 10 (and the retries) need.",
                why="each call is billed whatever it carries: ten messages cost as much as one.",
                hint="fill each batch with up to 10 entries.")
    ex.passed(f"every message sent once in {batches} batch calls, {len(injected)} transient failures retried.")


@EXERCISES["sqs-7"].check
def batch_delete(ex: Exercise, cloud: Sandbox, drain: Callable[[Any, str], list[str]], *, count: int = 23) -> None:
    """``drain(sqs, url)`` receives every message, deletes them in batches, returns the bodies.

    Two of the learner's receives come back short (fewer messages than asked, more waiting), as
    they can on AWS: only an empty receive means the queue is drained.
    """
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("drain"))["QueueUrl"]
    bodies = [f"job-{i:03d}" for i in range(count)]
    for start in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": b}
                                                      for i, b in enumerate(bodies[start:start + 10])])
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    short_receives(learner_sqs, 3, times=2)
    returned = ex.call_learner(drain, learner_sqs, url)
    if not isinstance(returned, (list, tuple)) or not all(isinstance(b, str) for b in returned):
        shown = type(returned).__name__ if not isinstance(returned, (list, tuple)) else \
            f"a list of {type(next(b for b in returned if not isinstance(b, str))).__name__}"
        ex.fail("returns-bodies", f"drain returned {shown}; it must return the list of bodies (strings).",
                hint="each received message is a dict: its body is message['Body'].")
    if sorted(returned) != sorted(bodies):
        missing = len(set(bodies) - set(returned))
        ex.fail("returns-every-body", f"drain returned {len(returned)} bodies"
                + (f"; {missing} messages of the queue are missing" if missing else ", some of them twice") + ".",
                why="a receive returns at most 10 messages, and AWS may return fewer than you ask for "
                "even when more are waiting.",
                hint="keep receiving until a receive comes back empty - not until one comes back short.")
    cloud.advance(12 * 3600 + 1)  # any visibility timeout has ended
    left = _count_visible(sqs, url)
    if left:
        ex.fail("deletes-received",
                f"{left} messages came back after their visibility timeout: they were received but not deleted.",
                why="receiving a message only hides it for the visibility timeout; it stays in the "
                "queue until the consumer deletes it with its receipt handle.",
                hint="delete what you received with delete_message_batch (ReceiptHandle per entry).")
    singles = recorder.calls["DeleteMessage"]
    if singles:
        ex.fail("uses-batch-delete", f"you deleted with {singles} DeleteMessage calls.",
                why="DeleteMessageBatch deletes up to 10 messages per billed request.",
                hint="delete each received batch with one delete_message_batch call.")
    ex.passed(f"every message drained with {recorder.calls['DeleteMessageBatch']} batch deletes.")


@EXERCISES["sqs-8"].check
def message_timer(ex: Exercise, cloud: Sandbox, send_reminder: Callable[[Any, str, str, int], None], *,
                  delay_seconds: int = 120) -> None:
    """``send_reminder(sqs, url, body, delay)`` delays one message without delaying the queue.

    A queue-level delay set and reset inside the answer is caught too: on AWS every message other
    producers send meanwhile is delayed.
    """
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("reminders"))["QueueUrl"]
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    ex.call_learner(send_reminder, learner_sqs, url, "call the customer", delay_seconds)
    queue_delays = [params["Attributes"]["DelaySeconds"] for operation, params in recorder.params
                    if operation in ("SetQueueAttributes", "CreateQueue")
                    and str((params.get("Attributes") or {}).get("DelaySeconds", "0")) != "0"]
    delay_queue = dict(why="a delay queue (the DelaySeconds attribute) postpones every message sent while it "
                       "is set, by any producer; a message timer (DelaySeconds on SendMessage) postpones "
                       "only that one.",
                       hint="pass DelaySeconds to send_message and leave the queue's attributes alone.")
    if queue_delays:
        ex.fail("no-queue-delay", f"you set the queue's DelaySeconds to {queue_delays[0]}: every message sent "
                "to the queue meanwhile is delayed, even if you reset it afterwards.", **delay_queue)
    if _count_all(sqs, url) == 0:
        ex.fail("reminder-sent", "the reminder never reached the queue your function was given.",
                hint="send it with send_message(QueueUrl=queue_url, ...).")
    sqs.send_message(QueueUrl=url, MessageBody="urgent")
    visible = [m["Body"] for m in receive_all(sqs, url)]
    if "urgent" not in visible:
        ex.fail("no-queue-delay", "a message sent right after your reminder was delayed too.", **delay_queue)
    if "call the customer" in visible:
        ex.fail("reminder-hidden", "the reminder could be received at once; it must stay hidden for its delay.",
                hint="send_message takes DelaySeconds (0 to 900 s).")
    cloud.advance(delay_seconds - 1)
    if any(m["Body"] == "call the customer" for m in receive_all(sqs, url)):
        ex.fail("reminder-hidden-for-delay", "the reminder appeared before its delay (delay_seconds) ended.",
                hint="DelaySeconds is in seconds: pass delay_seconds as it is.")
    cloud.advance(2)
    if not any(m["Body"] == "call the customer" for m in receive_all(sqs, url)):
        ex.fail("reminder-appears-after-delay", "the reminder did not appear once its delay (delay_seconds) ended.",
                hint="DelaySeconds is in seconds: pass delay_seconds as it is.")
    ex.passed("the reminder stayed hidden for its delay; other messages were not delayed.")


def _document(invoice: str, filler: str, size: int) -> str:
    """A JSON document of exactly ``size`` UTF-8 bytes, its text made of ``filler`` (multi-byte allowed)."""
    head, tail = '{"invoice": "' + invoice + '", "text": "', '"}'
    room = size - len((head + tail).encode())
    width = len(filler.encode())
    return head + filler * (room // width) + "x" * (room % width) + tail


@EXERCISES["sqs-9"].check
def large_payloads(ex: Exercise, cloud: Sandbox, send_document: Callable[[Any, Any, str, str, str], None], *,
                   large_size: int = 3 * MiB // 2) -> None:
    """``send_document(sqs, s3, url, bucket, document)``: inline if it fits, S3 pointer if not.

    Documents: a small one; one of exactly 1 MiB of UTF-8 in two-byte characters (fits); a large
    ASCII one; one of fewer than 1 Mi characters but more than 1 MiB of UTF-8 (does not fit).
    """
    sqs, s3 = cloud.client("sqs"), cloud.client("s3")
    url = sqs.create_queue(QueueName=_fresh_name("documents"))["QueueUrl"]
    bucket = _fresh_name("payloads")
    s3.create_bucket(Bucket=bucket)
    documents = [
        json.dumps({"invoice": "inv-1", "lines": ["x" * 100]}),
        _document("inv-2", "\u00e9", MiB),             # exactly 1 MiB: fits
        json.dumps({"invoice": "inv-3", "scan": "y" * large_size}),
        _document("inv-4", "\u00e9\u20ac", 6 * MiB // 5),  # < 1 Mi characters, > 1 MiB of UTF-8
    ]
    for document in documents:
        fits = len(document.encode()) <= MiB
        try:
            ex.call_learner(send_document, sqs, s3, url, bucket, document)
        except CheckFailed as failure:
            if not aws_refused(ex, failure, "Message must be shorter"):
                raise
            if len(document) <= MiB:
                ex.fail("measures-utf8-bytes", f"a document of {len(document):,} characters but "
                        f"{len(document.encode()):,} bytes of UTF-8 was sent inline, and AWS refused it.",
                        why="SQS counts a message's size in UTF-8 bytes: é takes two bytes, € three. "
                        "len(text) counts characters, which is fewer for any non-ASCII text.",
                        hint="measure len(document.encode('utf-8')).")
            ex.fail("large-through-s3", "a document larger than 1 MiB was sent inline, and AWS refused it.",
                    why="SQS messages are at most 1 MiB (since August 2025; 256 KiB before). Larger "
                    "payloads go to S3 and the message carries a pointer - the pattern of the SQS "
                    "Extended Client Library.",
                    hint="upload it with s3.put_object and send the pointer instead.")
        messages = drain_messages(sqs, url)
        if len(messages) != 1:
            ex.fail("one-message-per-document", f"{len(messages)} messages arrived for one document.",
                    why="a consumer must get the whole document from one message; pieces can arrive "
                    "out of order, twice, or not at all.",
                    hint="one send_message per document: inline, or a pointer to S3.")
        body = messages[0]["Body"]
        pointer = s3_pointer(body)
        if fits and body != document:
            ex.fail("small-inline", f"a document of {len(document.encode()):,} bytes of UTF-8 did not arrive "
                    "unchanged in the message body" + (" (you sent an S3 pointer)." if pointer else "."),
                    why="it fits: a message body may be up to 1 MiB (1,048,576 bytes) of UTF-8, that "
                    "size included. Going through S3 costs a request and a read for nothing.",
                    hint="send a document whose UTF-8 encoding is at most 1 MiB as the body itself.")
        if fits:
            continue
        if pointer is None:
            ex.fail("large-through-s3", "a document larger than 1 MiB did not arrive as an S3 pointer.",
                    hint=f'the body must be json.dumps(["{POINTER_CLASS}", {{"s3BucketName": bucket, '
                    '"s3Key": key}]).')
        if pointer.get("s3BucketName") != bucket:
            ex.fail("uses-given-bucket", "the pointer names another bucket than the one your function was given.",
                    why="the consumer's permissions and lifecycle rules are set for that bucket.",
                    hint="upload to the `bucket` argument and name it in the pointer.")
        try:
            payload = resolve_pointer(s3, body)
        except Exception:  # noqa: BLE001 - a pointer to nothing
            payload = None
        if payload != document:
            ex.fail("large-through-s3", "a large document could not be read back, whole, through its S3 pointer.",
                    hint=f'upload the document under the key you name: json.dumps(["{POINTER_CLASS}", '
                    '{"s3BucketName": bucket, "s3Key": key}]).')
    ex.passed("documents up to 1 MiB of UTF-8 travel inline; larger ones through S3 with a pointer.")
