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
from graders.exercise import Exercise
from graders.instrument import CallRecorder, fail_batch_entries
from graders.resources import POINTER_CLASS, QUEUE_URL_REQUIREMENTS, queue_url_or_fail, receive_all, resolve_pointer
from graders.resources import fresh_name as _fresh_name
from graders.resources import queue_attributes as _attributes

MiB = 1024 * 1024
DAY = 86_400

__all__ = ["POINTER_CLASS", "VISIBILITY_REQUIREMENTS", "batch_delete", "batch_send", "dead_letter_queue",
           "first_queue", "idempotent_consumer", "judge_visibility", "large_payloads", "long_polling",
           "message_timer", "queue_with_retention", "resolve_pointer", "visibility_for_lambda"]

#: What :func:`judge_visibility` judges; 07_exam_traps reuses it under its own exercise.
VISIBILITY_REQUIREMENTS = {
    "visibility-at-least-timeout": "the visibility timeout is at least the function timeout",
    "visibility-at-least-6x": "the visibility timeout is at least six times the function timeout",
    "no-duplicates-when-slow": "a message processed slowly by Lambda is not processed twice",
}

# -- the exercises ---------------------------------------------------------------------------
START_1 = Exercise("start-1", "Your first queue", {
    **QUEUE_URL_REQUIREMENTS,
    "standard-queue": "the queue is a standard queue, not FIFO",
    "idempotent": "calling the function again returns the same queue URL",
    "delivers-messages": "a message sent to the queue can be received",
})
SQS_1 = Exercise("sqs-1", "A queue with a retention period", {
    **QUEUE_URL_REQUIREMENTS,
    "standard-queue": "the queue is a standard queue, not FIFO",
    "retention-period": "MessageRetentionPeriod is the asked number of days, in seconds",
    "keeps-until-retention": "a message stays until the retention period ends",
    "drops-after-retention": "a message is gone once the retention period has ended",
})
SQS_2 = Exercise("sqs-2", "An idempotent consumer", {
    "returns-handler": "make_consumer returns a handler function",
    "consumer-runs": "the consumer runs under the event source mapping without crashing it",
    "handler-parses-records": "the handler reads each record's JSON body",
    "every-order-charged": "every order is charged",
    "charged-once": "no order is charged twice, despite redeliveries and producer retries",
})
SQS_3 = Exercise("sqs-3", "Visibility timeout for a Lambda consumer", VISIBILITY_REQUIREMENTS)
SQS_4 = Exercise("sqs-4", "A dead-letter queue", {
    "returns-dlq-url": "the function returns the URL of an existing queue, the DLQ",
    "redrive-policy": "the source queue has a RedrivePolicy",
    "targets-returned-dlq": "the redrive policy's deadLetterTargetArn is the returned DLQ's ARN",
    "max-receive-count": "maxReceiveCount is the asked number of receives",
    "dlq-same-type": "the DLQ is of the same type (standard or FIFO) as its source",
    "dlq-retention-longer": "the DLQ keeps messages longer than its source queue",
    "poison-reaches-dlq": "a message that always fails arrives in the DLQ",
    "retries-before-dlq": "the failing message is tried maxReceiveCount times before it moves",
})
SQS_5 = Exercise("sqs-5", "Long polling", {
    "long-polling-on": "the queue's ReceiveMessageWaitTimeSeconds is above 0",
    "empty-receives-empty": "an empty queue returns no message",
    "idle-receive-budget": "an idle consumer stays within the budget of empty receives",
    "message-received": "a waiting message is received once long polling is on",
})
SQS_6 = Exercise("sqs-6", "Sending in batches", {
    "uses-batch-send": "messages are sent with SendMessageBatch, never SendMessage",
    "retries-failed-entries": "entries a batch reports as Failed are sent again",
    "all-messages-arrive": "every message arrives",
    "sent-once": "no message is sent twice",
    "full-batches": "batches are filled (up to 10 entries)",
})
SQS_7 = Exercise("sqs-7", "Draining with batch deletes", {
    "returns-bodies": "drain returns a list of bodies",
    "returns-every-body": "drain returns the body of every message in the queue",
    "deletes-received": "every received message is deleted",
    "uses-batch-delete": "messages are deleted with DeleteMessageBatch, never DeleteMessage",
})
SQS_8 = Exercise("sqs-8", "A message timer", {
    "no-queue-delay": "the queue's DelaySeconds is left at 0",
    "reminder-hidden": "the reminder cannot be received at once",
    "reminder-sent": "the reminder is sent",
    "reminder-hidden-for-delay": "the reminder stays hidden for its whole delay",
    "reminder-appears-after-delay": "the reminder appears once its delay has ended",
})
SQS_9 = Exercise("sqs-9", "Large payloads through S3", {
    "one-message-per-document": "each document is sent as exactly one message",
    "small-inline": "a document that fits is sent inline, unchanged",
    "large-through-s3": "a larger document is sent as an S3 pointer that resolves to it",
})


def _count_visible(sqs: Any, url: str) -> int:
    return int(_attributes(sqs, url)["ApproximateNumberOfMessages"])


# -- 00_start_here ---------------------------------------------------------------------------
@START_1.check
def first_queue(ex: Exercise, cloud: Sandbox, create_first_queue: Callable[[Any], str]) -> None:
    """``create_first_queue(sqs)`` creates a standard queue named ``hello`` and returns its URL."""
    sqs = cloud.client("sqs")
    returned = ex.call_learner(create_first_queue, sqs)
    url = queue_url_or_fail(ex, sqs, returned, "hello")
    if _attributes(sqs, url).get("FifoQueue") == "true":
        ex.fail("standard-queue", "`hello` is a FIFO queue; this exercise asks for a standard queue.")
    again = ex.call_learner(create_first_queue, sqs)
    if again != url:
        ex.fail("idempotent", "calling your function a second time gave a different answer.",
                why="a setup cell is often re-run; create_queue with the same name and attributes "
                "is idempotent on AWS and returns the same URL.")
    sqs.send_message(QueueUrl=url, MessageBody="hello, SQS")
    if not sqs.receive_message(QueueUrl=url).get("Messages"):
        ex.fail("delivers-messages", "a message sent to your queue could not be received.")
    ex.passed("your first queue works: it takes and returns messages.")


# -- 01_sqs_queues ---------------------------------------------------------------------------
@SQS_1.check
def queue_with_retention(ex: Exercise, cloud: Sandbox, create_queue: Callable[..., str], *, name: str = "orders",
                         retention_days: int = 7) -> None:
    """``create_queue(sqs, name, retention_days)`` makes a standard queue keeping messages that long."""
    sqs = cloud.client("sqs")
    name = f"{name}-{uuid.uuid4().hex[:6]}"
    returned = ex.call_learner(create_queue, sqs, name, retention_days)
    url = queue_url_or_fail(ex, sqs, returned, name)
    attributes = _attributes(sqs, url)
    if attributes.get("FifoQueue") == "true":
        ex.fail("standard-queue", "the queue is FIFO; this exercise asks for a standard queue.")
    retention = int(attributes["MessageRetentionPeriod"])
    wanted = retention_days * DAY
    if retention != wanted:
        ex.fail("retention-period",
                f"the queue keeps messages for {retention} s ({retention / DAY:.3g} days), but it must "
                f"keep them for {retention_days} days.",
                why="SQS deletes a message that has been in the queue longer than the retention "
                "period, whether or not anyone read it. MessageRetentionPeriod is in seconds "
                "(60 s to 14 days, default 4 days).",
                hint="convert days to seconds; attribute values are strings.")
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    cloud.advance(wanted - 60)
    if not receive_all(sqs, url):
        ex.fail("keeps-until-retention", "a message disappeared before the retention period ended.")
    cloud.advance(120)
    if receive_all(sqs, url):
        ex.fail("drops-after-retention", "a message was still there after the retention period.")
    ex.passed(f"`{name.rsplit('-', 1)[0]}` keeps messages for {retention_days} days, then drops them.")


@SQS_2.check
def idempotent_consumer(ex: Exercise, cloud: Sandbox,
                        make_consumer: Callable[[Callable[[str, float], None]], Any]) -> None:
    """The handler from ``make_consumer(charge)`` charges each order once despite redeliveries."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("payments"), Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    orders = [{"order_id": f"o-{i}", "amount": 10.0 * i} for i in range(1, 6)]
    for order in orders:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(order))
    # the producer's retry after a timeout: the same order again, as a new message
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(orders[2]))

    charges: Counter[str] = Counter()

    def charge(order_id: str, amount: float) -> None:
        charges[order_id] += 1

    handler = ex.call_learner(make_consumer, charge)
    if not callable(handler):
        ex.fail("returns-handler", f"make_consumer returned {type(handler).__name__}, not a handler function.",
                hint="return the inner `handler(event, context)` function.")
    mapping = SqsEventSourceMapping(cloud, url, handler, batch_size=1, function_timeout=30,
                                    processing_seconds=25, concurrency=8)
    try:
        mapping.run(180)
    except Exception as exc:  # noqa: BLE001 - the learner's handler is arbitrary code
        ex.fail("consumer-runs", f"the consumer crashed: {type(exc).__name__}: {exc}")
    errors = [inv.error for inv in mapping.invocations if inv.outcome == "error"]
    if errors and not charges:
        ex.fail("handler-parses-records", f"your handler raised on every message, e.g. {errors[0]}",
                hint="each record's JSON body is in record['body']; parse it with json.loads.")
    missing = [o["order_id"] for o in orders if charges[o["order_id"]] == 0]
    if missing:
        ex.fail("every-order-charged", f"orders {missing} were never charged.",
                hint="every record in event['Records'] must be processed, not only the first.")
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


@SQS_3.check
def visibility_for_lambda(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None], *,
                          function_timeout: int = 30) -> None:
    """``configure_for_lambda(sqs, url, function_timeout)`` sets a visibility timeout >= 6x it."""
    judge_visibility(ex, cloud, configure_for_lambda, function_timeout)


def judge_visibility(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None],
                     function_timeout: int) -> None:
    """The 6x rule for a Lambda event source, judged for ``ex`` (which declares :data:`VISIBILITY_REQUIREMENTS`)."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("lambda-source"))["QueueUrl"]
    ex.call_learner(configure_for_lambda, sqs, url, function_timeout)
    visibility = int(_attributes(sqs, url)["VisibilityTimeout"])
    rule = 6 * function_timeout
    if visibility < function_timeout:
        ex.fail("visibility-at-least-timeout",
                f"the visibility timeout is {visibility} s, shorter than the {function_timeout} s the "
                "function may run.",
                why="the message reappears while the function still works on it; a second "
                "invocation processes it again - duplicates.",
                hint="AWS's guidance for a Lambda event source: at least six times the function timeout.")
    if visibility < rule:
        ex.fail("visibility-at-least-6x",
                f"the visibility timeout is {visibility} s: longer than the {function_timeout} s "
                f"function timeout, but not six times it.",
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
    ex.passed(f"visibility timeout {visibility} s >= 6 x {function_timeout} s: no duplicates under slow processing.")


@SQS_4.check
def dead_letter_queue(ex: Exercise, cloud: Sandbox, add_dead_letter_queue: Callable[[Any, str, int], str], *,
                      fifo: bool = False, max_receive_count: int = 3) -> None:
    """``add_dead_letter_queue(sqs, source_url, n)`` gives the source a DLQ after ``n`` receives."""
    sqs = cloud.client("sqs")
    attributes = {"FifoQueue": "true"} if fifo else {}
    source = sqs.create_queue(QueueName=_fresh_name("work", fifo), Attributes=attributes)["QueueUrl"]
    dlq_url = ex.call_learner(add_dead_letter_queue, sqs, source, max_receive_count)
    if not isinstance(dlq_url, str):
        ex.fail("returns-dlq-url", f"your function returned {dlq_url!r}; it must return the DLQ's URL.")
    try:
        dlq_attributes = _attributes(sqs, dlq_url)
    except Exception:  # noqa: BLE001 - any failure means the URL is not a queue
        ex.fail("returns-dlq-url", f"{dlq_url!r} is not the URL of an existing queue.")
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
    if int(policy.get("maxReceiveCount", 0)) != max_receive_count:
        ex.fail("max-receive-count", f"maxReceiveCount is {policy.get('maxReceiveCount')}, but the exercise asks "
                f"to give up after {max_receive_count} receives.")
    if (dlq_attributes.get("FifoQueue") == "true") != fifo:
        ex.fail("dlq-same-type", "the dead-letter queue is not the same type as its source queue.",
                why="AWS requires it: a FIFO queue's DLQ must be FIFO and a standard queue's DLQ "
                "must be standard (moto accepts a standard queue with a FIFO DLQ; AWS does not).",
                hint="a FIFO queue's name ends in .fifo and it is created with FifoQueue='true'.")
    source_retention = int(source_attributes["MessageRetentionPeriod"])
    dlq_retention = int(dlq_attributes["MessageRetentionPeriod"])
    if dlq_retention <= source_retention:
        ex.fail("dlq-retention-longer",
                f"the DLQ keeps messages for {dlq_retention / DAY:.3g} days, no longer than the source "
                f"queue's {source_retention / DAY:.3g} days.",
                why="a standard queue's message keeps its original enqueue time when it moves to the "
                "DLQ, so it expires there as soon as the DLQ's retention counts from that time: a "
                "message that took days to fail could vanish before anyone looks at it.",
                hint="give the DLQ a longer MessageRetentionPeriod than the source (up to 14 days).")
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
        ex.fail("poison-reaches-dlq", "a message that failed every time did not arrive in the DLQ.")
    if len(mapping.invocations) != max_receive_count:
        ex.fail("retries-before-dlq", f"the failing message was processed {len(mapping.invocations)} times, "
                f"not {max_receive_count}.")
    ex.passed(f"a poison message was tried {max_receive_count} times, then moved to the DLQ.")


@SQS_5.check
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
        ex.fail("message-received", "after long polling was enabled, a waiting message could not be received.")
    ex.passed(f"long polling ({wait} s): {calls} receives in {idle_seconds // 60} idle minutes.")


@SQS_6.check
def batch_send(ex: Exercise, cloud: Sandbox, send_in_batches: Callable[[Any, str, list[str]], None], *,
               count: int = 25, failures: int = 2) -> None:
    """``send_in_batches(sqs, url, bodies)`` uses SendMessageBatch and retries failed entries."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("batch"))["QueueUrl"]
    bodies = [f"event-{i:03d}" for i in range(count)]
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    injected = fail_batch_entries(learner_sqs, "SendMessageBatch", failures)
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
    if lost and injected:
        ex.fail("retries-failed-entries", f"{len(lost)} of {count} messages never arrived: {lost[:5]}.",
                why="SendMessageBatch answers HTTP 200 even when some entries fail: the failures are "
                "listed in the response's 'Failed' key, and the caller must retry them (entries with "
                "SenderFault false are transient).",
                hint="after each batch call, collect response.get('Failed', []) and send those entries again.")
    if lost:
        ex.fail("all-messages-arrive", f"{len(lost)} of {count} messages never arrived: {lost[:5]}.")
    extra = {b: n for b, n in got.items() if n > 1}
    if extra:
        ex.fail("sent-once", f"some messages were sent more than once: {sorted(extra)[:5]}.",
                hint="retry only the entries listed in 'Failed', not the whole batch.")
    minimum = -(-count // 10)
    if batches > minimum + 2:
        ex.fail("full-batches",
                f"{batches} batch calls for {count} messages; {minimum} full batches plus a retry would do.",
                hint="fill each batch with up to 10 entries.")
    ex.passed(f"{count} messages in {batches} batch calls, {len(injected)} transient failures retried.")


@SQS_7.check
def batch_delete(ex: Exercise, cloud: Sandbox, drain: Callable[[Any, str], list[str]], *, count: int = 23) -> None:
    """``drain(sqs, url)`` receives every message, deletes them in batches, returns the bodies."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("drain"))["QueueUrl"]
    bodies = [f"job-{i:03d}" for i in range(count)]
    for start in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": b}
                                                      for i, b in enumerate(bodies[start:start + 10])])
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    returned = ex.call_learner(drain, learner_sqs, url)
    if not isinstance(returned, (list, tuple)):
        ex.fail("returns-bodies", f"drain returned {type(returned).__name__}; it must return the list of bodies.")
    if sorted(returned) != sorted(bodies):
        missing = sorted(set(bodies) - set(returned))
        ex.fail("returns-every-body", f"drain returned {len(returned)} bodies for {count} messages"
                + (f"; missing e.g. {missing[:3]}" if missing else "") + ".",
                hint="one receive returns at most 10 messages: keep receiving until a receive comes back empty.")
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
    ex.passed(f"{count} messages drained with {recorder.calls['DeleteMessageBatch']} batch deletes.")


@SQS_8.check
def message_timer(ex: Exercise, cloud: Sandbox, send_reminder: Callable[[Any, str, str, int], None], *,
                  delay_seconds: int = 120) -> None:
    """``send_reminder(sqs, url, body, delay)`` delays one message without delaying the queue."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("reminders"))["QueueUrl"]
    ex.call_learner(send_reminder, sqs, url, "call the customer", delay_seconds)
    queue_delay = int(_attributes(sqs, url)["DelaySeconds"])
    sqs.send_message(QueueUrl=url, MessageBody="urgent")
    if queue_delay:
        ex.fail("no-queue-delay",
                f"you set the queue's DelaySeconds to {queue_delay}: now every message on it is delayed.",
                why="a delay queue (the DelaySeconds attribute) postpones every message; a message "
                "timer (DelaySeconds on SendMessage) postpones only that one.",
                hint="pass DelaySeconds to send_message and leave the queue's attributes alone.")
    visible = [m["Body"] for m in receive_all(sqs, url)]
    if "call the customer" in visible:
        ex.fail("reminder-hidden", "the reminder could be received at once; it must stay hidden for its delay.",
                hint="send_message takes DelaySeconds (0 to 900 s).")
    if not visible:
        ex.fail("reminder-sent", "the reminder was never sent.")
    cloud.advance(delay_seconds - 1)
    if any(m["Body"] == "call the customer" for m in receive_all(sqs, url)):
        ex.fail("reminder-hidden-for-delay", f"the reminder appeared before its {delay_seconds} s delay ended.")
    cloud.advance(2)
    if not any(m["Body"] == "call the customer" for m in receive_all(sqs, url)):
        ex.fail("reminder-appears-after-delay", f"the reminder did not appear once its {delay_seconds} s delay ended.")
    ex.passed(f"the reminder stayed hidden for {delay_seconds} s; other messages were not delayed.")


@SQS_9.check
def large_payloads(ex: Exercise, cloud: Sandbox, send_document: Callable[[Any, Any, str, str, str], None], *,
                   large_size: int = 3 * MiB // 2) -> None:
    """``send_document(sqs, s3, url, bucket, document)``: inline if it fits, S3 pointer if not."""
    sqs, s3 = cloud.client("sqs"), cloud.client("s3")
    url = sqs.create_queue(QueueName=_fresh_name("documents"))["QueueUrl"]
    bucket = _fresh_name("payloads")
    s3.create_bucket(Bucket=bucket)
    small = json.dumps({"invoice": "inv-1", "lines": ["x" * 100]})
    large = json.dumps({"invoice": "inv-2", "scan": "y" * large_size})
    ex.call_learner(send_document, sqs, s3, url, bucket, small)
    ex.call_learner(send_document, sqs, s3, url, bucket, large)
    messages = receive_all(sqs, url)
    if len(messages) != 2:
        ex.fail("one-message-per-document", f"{len(messages)} messages arrived for 2 documents.")
    payloads = sorted((resolve_pointer(s3, m["Body"]) for m in messages), key=len)
    if payloads[0] != small:
        ex.fail("small-inline", "the small document did not arrive unchanged in the message body.",
                hint="a document that fits in a message (up to 1 MiB) is sent as the body itself.")
    if payloads[1] != large:
        ex.fail("large-through-s3", "the large document could not be read back through its S3 pointer.",
                why="SQS messages are at most 1 MiB (since August 2025; 256 KiB before). Larger "
                "payloads go to S3 and the message carries a pointer - the pattern of the SQS "
                "Extended Client Library.",
                hint=f'the body must be json.dumps(["{POINTER_CLASS}", {{"s3BucketName": bucket, "s3Key": key}}]).')
    ex.passed("small documents travel inline; large ones through S3 with a pointer.")
