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
from graders.check import call_learner, checked, fail, passed
from graders.instrument import CallRecorder, fail_batch_entries
from graders.resources import fresh_name as _fresh_name
from graders.resources import queue_attributes as _attributes

MiB = 1024 * 1024
DAY = 86_400


# -- helpers the checks share --------------------------------------------------------------
def _queue_url_or_fail(exercise: str, sqs: Any, returned: Any, name: str) -> str:
    """The URL the learner returned, checked against the queue that should exist."""
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        fail(exercise, f"there is no queue named {name!r} after your function ran.",
             hint="create it with sqs.create_queue(QueueName=...).")
    if returned != url:
        if returned == name:
            fail(exercise, f"your function returned the queue *name* {returned!r}, not its URL.",
                 why="every SQS data call (SendMessage, ReceiveMessage, ...) takes the QueueUrl.",
                 hint="create_queue's response has it: response['QueueUrl'].")
        fail(exercise, f"your function returned {returned!r}, which is not the URL of queue {name!r}.",
             hint="return the 'QueueUrl' from create_queue's response.")
    return url


def _receive_all(sqs: Any, url: str) -> list[dict]:
    """Every message visible now (short polls until an empty answer; nothing deleted).

    What it receives stays hidden for 60 s of course time - long enough that real time passing
    during the loop cannot make a message reappear and be counted twice.
    """
    seen: dict[str, dict] = {}
    for _ in range(1000):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                  MessageAttributeNames=["All"]).get("Messages", [])
        if not got:
            break
        for message in got:
            seen.setdefault(message["MessageId"], message)
    return list(seen.values())


def _count_visible(sqs: Any, url: str) -> int:
    return int(_attributes(sqs, url)["ApproximateNumberOfMessages"])


# -- 00_start_here ---------------------------------------------------------------------------
@checked("start-1")
def first_queue(cloud: Sandbox, create_first_queue: Callable[[Any], str]) -> None:
    """``create_first_queue(sqs)`` creates a standard queue named ``hello`` and returns its URL."""
    sqs = cloud.client("sqs")
    returned = call_learner("start-1", create_first_queue, sqs)
    url = _queue_url_or_fail("start-1", sqs, returned, "hello")
    if _attributes(sqs, url).get("FifoQueue") == "true":
        fail("start-1", "`hello` is a FIFO queue; this exercise asks for a standard queue.")
    again = call_learner("start-1", create_first_queue, sqs)
    if again != url:
        fail("start-1", "calling your function a second time gave a different answer.",
             why="a setup cell is often re-run; create_queue with the same name and attributes "
             "is idempotent on AWS and returns the same URL.")
    sqs.send_message(QueueUrl=url, MessageBody="hello, SQS")
    if not sqs.receive_message(QueueUrl=url).get("Messages"):
        fail("start-1", "a message sent to your queue could not be received.")
    passed("start-1", "your first queue works: it takes and returns messages.")


# -- 01_sqs_queues ---------------------------------------------------------------------------
@checked("sqs-1")
def queue_with_retention(cloud: Sandbox, create_queue: Callable[..., str], *, name: str = "orders",
                         retention_days: int = 7) -> None:
    """``create_queue(sqs, name, retention_days)`` makes a standard queue keeping messages that long."""
    sqs = cloud.client("sqs")
    name = f"{name}-{uuid.uuid4().hex[:6]}"
    returned = call_learner("sqs-1", create_queue, sqs, name, retention_days)
    url = _queue_url_or_fail("sqs-1", sqs, returned, name)
    attributes = _attributes(sqs, url)
    if attributes.get("FifoQueue") == "true":
        fail("sqs-1", "the queue is FIFO; this exercise asks for a standard queue.")
    retention = int(attributes["MessageRetentionPeriod"])
    wanted = retention_days * DAY
    if retention != wanted:
        fail("sqs-1",
             f"the queue keeps messages for {retention} s ({retention / DAY:.3g} days), but it must "
             f"keep them for {retention_days} days.",
             why="SQS deletes a message that has been in the queue longer than the retention "
             "period, whether or not anyone read it. MessageRetentionPeriod is in seconds "
             "(60 s to 14 days, default 4 days).",
             hint="convert days to seconds; attribute values are strings.")
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    cloud.advance(wanted - 60)
    if not _receive_all(sqs, url):
        fail("sqs-1", "a message disappeared before the retention period ended.")
    cloud.advance(120)
    if _receive_all(sqs, url):
        fail("sqs-1", "a message was still there after the retention period.")
    passed("sqs-1", f"`{name.rsplit('-', 1)[0]}` keeps messages for {retention_days} days, then drops them.")


@checked("sqs-2")
def idempotent_consumer(cloud: Sandbox, make_consumer: Callable[[Callable[[str, float], None]], Any]) -> None:
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

    handler = call_learner("sqs-2", make_consumer, charge)
    if not callable(handler):
        fail("sqs-2", f"make_consumer returned {type(handler).__name__}, not a handler function.",
             hint="return the inner `handler(event, context)` function.")
    mapping = SqsEventSourceMapping(cloud, url, handler, batch_size=1, function_timeout=30,
                                    processing_seconds=25, concurrency=8)
    try:
        mapping.run(180)
    except Exception as exc:  # noqa: BLE001 - the learner's handler is arbitrary code
        fail("sqs-2", f"the consumer crashed: {type(exc).__name__}: {exc}")
    errors = [inv.error for inv in mapping.invocations if inv.outcome == "error"]
    if errors and not charges:
        fail("sqs-2", f"your handler raised on every message, e.g. {errors[0]}",
             hint="each record's JSON body is in record['body']; parse it with json.loads.")
    missing = [o["order_id"] for o in orders if charges[o["order_id"]] == 0]
    if missing:
        fail("sqs-2", f"orders {missing} were never charged.",
             hint="every record in event['Records'] must be processed, not only the first.")
    doubled = {order: n for order, n in charges.items() if n > 1}
    if doubled:
        detail = ", ".join(f"{order} {n} times" for order, n in sorted(doubled.items()))
        fail("sqs-2", f"customers were charged more than once: {detail}.",
             why="a standard queue delivers at least once: a slow consumer's message reappears "
             "when its visibility timeout ends and a second consumer gets it, and a producer's "
             "retry arrives as a new message with a new MessageId. Only a consumer that "
             "remembers what it already did is safe.",
             hint="remember the order ids you have charged, and skip an order you have seen. "
             "A MessageId is not enough: the producer's retry has a new one.")
    passed("sqs-2", f"{len(mapping.invocations)} deliveries of {len(orders)} orders (redeliveries and a "
           "producer retry included): each order charged exactly once.")


@checked("sqs-3")
def visibility_for_lambda(cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None], *,
                          function_timeout: int = 30) -> None:
    """``configure_for_lambda(sqs, url, function_timeout)`` sets a visibility timeout >= 6x it."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("lambda-source"))["QueueUrl"]
    call_learner("sqs-3", configure_for_lambda, sqs, url, function_timeout)
    visibility = int(_attributes(sqs, url)["VisibilityTimeout"])
    rule = 6 * function_timeout
    if visibility < function_timeout:
        fail("sqs-3",
             f"the visibility timeout is {visibility} s, shorter than the {function_timeout} s the "
             "function may run.",
             why="the message reappears while the function still works on it; a second "
             "invocation processes it again - duplicates.",
             hint="AWS's guidance for a Lambda event source: at least six times the function timeout.")
    if visibility < rule:
        fail("sqs-3",
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
        fail("sqs-3", "a slow message was processed twice.")
    passed("sqs-3", f"visibility timeout {visibility} s >= 6 x {function_timeout} s: no duplicates under slow processing.")


@checked("sqs-4")
def dead_letter_queue(cloud: Sandbox, add_dead_letter_queue: Callable[[Any, str, int], str], *,
                      fifo: bool = False, max_receive_count: int = 3) -> None:
    """``add_dead_letter_queue(sqs, source_url, n)`` gives the source a DLQ after ``n`` receives."""
    sqs = cloud.client("sqs")
    attributes = {"FifoQueue": "true"} if fifo else {}
    source = sqs.create_queue(QueueName=_fresh_name("work", fifo), Attributes=attributes)["QueueUrl"]
    dlq_url = call_learner("sqs-4", add_dead_letter_queue, sqs, source, max_receive_count)
    if not isinstance(dlq_url, str):
        fail("sqs-4", f"your function returned {dlq_url!r}; it must return the DLQ's URL.")
    try:
        dlq_attributes = _attributes(sqs, dlq_url)
    except Exception:  # noqa: BLE001 - any failure means the URL is not a queue
        fail("sqs-4", f"{dlq_url!r} is not the URL of an existing queue.")
    source_attributes = _attributes(sqs, source)
    policy_text = source_attributes.get("RedrivePolicy")
    if not policy_text:
        fail("sqs-4", "the source queue has no RedrivePolicy.",
             why="without one, a message that always fails is retried until its retention ends, "
             "wasting consumer time and hiding the failure.",
             hint="set the source queue's RedrivePolicy attribute to a JSON string with "
             "deadLetterTargetArn and maxReceiveCount.")
    policy = json.loads(policy_text)
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        fail("sqs-4", "the redrive policy points at a different queue than the one you returned.",
             hint="deadLetterTargetArn takes the DLQ's ARN (get_queue_attributes 'QueueArn'), not its URL.")
    if int(policy.get("maxReceiveCount", 0)) != max_receive_count:
        fail("sqs-4", f"maxReceiveCount is {policy.get('maxReceiveCount')}, but the exercise asks "
             f"to give up after {max_receive_count} receives.")
    if (dlq_attributes.get("FifoQueue") == "true") != fifo:
        fail("sqs-4", "the dead-letter queue is not the same type as its source queue.",
             why="AWS requires it: a FIFO queue's DLQ must be FIFO and a standard queue's DLQ "
             "must be standard (moto accepts a standard queue with a FIFO DLQ; AWS does not).",
             hint="a FIFO queue's name ends in .fifo and it is created with FifoQueue='true'.")
    source_retention = int(source_attributes["MessageRetentionPeriod"])
    dlq_retention = int(dlq_attributes["MessageRetentionPeriod"])
    if dlq_retention <= source_retention:
        fail("sqs-4",
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
    landed = [m["Body"] for m in _receive_all(sqs, dlq_url)]
    if landed != ["poison"]:
        fail("sqs-4", "a message that failed every time did not arrive in the DLQ.")
    if len(mapping.invocations) != max_receive_count:
        fail("sqs-4", f"the failing message was processed {len(mapping.invocations)} times, "
             f"not {max_receive_count}.")
    passed("sqs-4", f"a poison message was tried {max_receive_count} times, then moved to the DLQ.")


@checked("sqs-5")
def long_polling(cloud: Sandbox, enable_long_polling: Callable[[Any, str], None], *,
                 idle_seconds: int = 600, max_empty_receives: int = 60) -> None:
    """``enable_long_polling(sqs, url)`` makes an idle consumer's receives wait for messages."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("idle"))["QueueUrl"]
    call_learner("sqs-5", enable_long_polling, sqs, url)
    attributes = _attributes(sqs, url)
    wait = int(attributes.get("ReceiveMessageWaitTimeSeconds", 0))
    if wait == 0:
        changed = {k: attributes[k] for k in ("VisibilityTimeout", "DelaySeconds") if attributes[k] not in ("30", "0")}
        fail("sqs-5",
             "the queue still uses short polling (ReceiveMessageWaitTimeSeconds is 0)"
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
            fail("sqs-5", "an empty queue returned a message.")
        if wait == 0:
            cloud.advance(1)
    if calls > max_empty_receives:
        fail("sqs-5",
             f"an idle consumer made {calls} empty receives in {idle_seconds // 60} minutes "
             f"(wait time {wait} s); the budget is {max_empty_receives}.",
             why="each receive is billed; a longer wait means fewer empty receives.",
             hint="use a longer wait time (the maximum is 20 s).")
    sqs.send_message(QueueUrl=url, MessageBody="arrives")
    if not sqs.receive_message(QueueUrl=url).get("Messages"):
        fail("sqs-5", "after long polling was enabled, a waiting message could not be received.")
    passed("sqs-5", f"long polling ({wait} s): {calls} receives in {idle_seconds // 60} idle minutes.")


@checked("sqs-6")
def batch_send(cloud: Sandbox, send_in_batches: Callable[[Any, str, list[str]], None], *,
               count: int = 25, failures: int = 2) -> None:
    """``send_in_batches(sqs, url, bodies)`` uses SendMessageBatch and retries failed entries."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("batch"))["QueueUrl"]
    bodies = [f"event-{i:03d}" for i in range(count)]
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    injected = fail_batch_entries(learner_sqs, "SendMessageBatch", failures)
    call_learner("sqs-6", send_in_batches, learner_sqs, url, list(bodies))
    singles = recorder.calls["SendMessage"]
    batches = recorder.calls["SendMessageBatch"]
    if singles:
        fail("sqs-6", f"you called SendMessage {singles} times.",
             why="each call is a billed request and a network round trip; SendMessageBatch sends "
             "up to 10 messages in one request.",
             hint="group the bodies in chunks of at most 10 and call send_message_batch.")
    got = Counter(m["Body"] for m in _receive_all(sqs, url))
    lost = [b for b in bodies if got[b] == 0]
    if lost and injected:
        fail("sqs-6", f"{len(lost)} of {count} messages never arrived: {lost[:5]}.",
             why="SendMessageBatch answers HTTP 200 even when some entries fail: the failures are "
             "listed in the response's 'Failed' key, and the caller must retry them (entries with "
             "SenderFault false are transient).",
             hint="after each batch call, collect response.get('Failed', []) and send those entries again.")
    if lost:
        fail("sqs-6", f"{len(lost)} of {count} messages never arrived: {lost[:5]}.")
    extra = {b: n for b, n in got.items() if n > 1}
    if extra:
        fail("sqs-6", f"some messages were sent more than once: {sorted(extra)[:5]}.",
             hint="retry only the entries listed in 'Failed', not the whole batch.")
    minimum = -(-count // 10)
    if batches > minimum + 2:
        fail("sqs-6", f"{batches} batch calls for {count} messages; {minimum} full batches plus a retry would do.",
             hint="fill each batch with up to 10 entries.")
    passed("sqs-6", f"{count} messages in {batches} batch calls, {len(injected)} transient failures retried.")


@checked("sqs-7")
def batch_delete(cloud: Sandbox, drain: Callable[[Any, str], list[str]], *, count: int = 23) -> None:
    """``drain(sqs, url)`` receives every message, deletes them in batches, returns the bodies."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("drain"))["QueueUrl"]
    bodies = [f"job-{i:03d}" for i in range(count)]
    for start in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": b}
                                                      for i, b in enumerate(bodies[start:start + 10])])
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    returned = call_learner("sqs-7", drain, learner_sqs, url)
    if not isinstance(returned, (list, tuple)):
        fail("sqs-7", f"drain returned {type(returned).__name__}; it must return the list of bodies.")
    if sorted(returned) != sorted(bodies):
        missing = sorted(set(bodies) - set(returned))
        fail("sqs-7", f"drain returned {len(returned)} bodies for {count} messages"
             + (f"; missing e.g. {missing[:3]}" if missing else "") + ".",
             hint="one receive returns at most 10 messages: keep receiving until a receive comes back empty.")
    cloud.advance(12 * 3600 + 1)  # any visibility timeout has ended
    left = _count_visible(sqs, url)
    if left:
        fail("sqs-7", f"{left} messages came back after their visibility timeout: they were received but not deleted.",
             why="receiving a message only hides it for the visibility timeout; it stays in the "
             "queue until the consumer deletes it with its receipt handle.",
             hint="delete what you received with delete_message_batch (ReceiptHandle per entry).")
    singles = recorder.calls["DeleteMessage"]
    if singles:
        fail("sqs-7", f"you deleted with {singles} DeleteMessage calls.",
             why="DeleteMessageBatch deletes up to 10 messages per billed request.",
             hint="delete each received batch with one delete_message_batch call.")
    passed("sqs-7", f"{count} messages drained with {recorder.calls['DeleteMessageBatch']} batch deletes.")


@checked("sqs-8")
def message_timer(cloud: Sandbox, send_reminder: Callable[[Any, str, str, int], None], *,
                  delay_seconds: int = 120) -> None:
    """``send_reminder(sqs, url, body, delay)`` delays one message without delaying the queue."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=_fresh_name("reminders"))["QueueUrl"]
    call_learner("sqs-8", send_reminder, sqs, url, "call the customer", delay_seconds)
    queue_delay = int(_attributes(sqs, url)["DelaySeconds"])
    sqs.send_message(QueueUrl=url, MessageBody="urgent")
    if queue_delay:
        fail("sqs-8", f"you set the queue's DelaySeconds to {queue_delay}: now every message on it is delayed.",
             why="a delay queue (the DelaySeconds attribute) postpones every message; a message "
             "timer (DelaySeconds on SendMessage) postpones only that one.",
             hint="pass DelaySeconds to send_message and leave the queue's attributes alone.")
    visible = [m["Body"] for m in _receive_all(sqs, url)]
    if "call the customer" in visible:
        fail("sqs-8", "the reminder could be received at once; it must stay hidden for its delay.",
             hint="send_message takes DelaySeconds (0 to 900 s).")
    if not visible:
        fail("sqs-8", "the reminder was never sent.")
    cloud.advance(delay_seconds - 1)
    if any(m["Body"] == "call the customer" for m in _receive_all(sqs, url)):
        fail("sqs-8", f"the reminder appeared before its {delay_seconds} s delay ended.")
    cloud.advance(2)
    if not any(m["Body"] == "call the customer" for m in _receive_all(sqs, url)):
        fail("sqs-8", f"the reminder did not appear once its {delay_seconds} s delay ended.")
    passed("sqs-8", f"the reminder stayed hidden for {delay_seconds} s; other messages were not delayed.")


POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"


def resolve_pointer(s3: Any, body: str) -> str:
    """The payload a message stands for: the body itself, or the S3 object a pointer names."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, list) and len(data) == 2 and data[0] == POINTER_CLASS:
        pointer = data[1]
        return s3.get_object(Bucket=pointer["s3BucketName"], Key=pointer["s3Key"])["Body"].read().decode()
    return body


@checked("sqs-9")
def large_payloads(cloud: Sandbox, send_document: Callable[[Any, Any, str, str, str], None], *,
                   large_size: int = 3 * MiB // 2) -> None:
    """``send_document(sqs, s3, url, bucket, document)``: inline if it fits, S3 pointer if not."""
    sqs, s3 = cloud.client("sqs"), cloud.client("s3")
    url = sqs.create_queue(QueueName=_fresh_name("documents"))["QueueUrl"]
    bucket = _fresh_name("payloads")
    s3.create_bucket(Bucket=bucket)
    small = json.dumps({"invoice": "inv-1", "lines": ["x" * 100]})
    large = json.dumps({"invoice": "inv-2", "scan": "y" * large_size})
    call_learner("sqs-9", send_document, sqs, s3, url, bucket, small)
    call_learner("sqs-9", send_document, sqs, s3, url, bucket, large)
    messages = _receive_all(sqs, url)
    if len(messages) != 2:
        fail("sqs-9", f"{len(messages)} messages arrived for 2 documents.")
    payloads = sorted((resolve_pointer(s3, m["Body"]) for m in messages), key=len)
    if payloads[0] != small:
        fail("sqs-9", "the small document did not arrive unchanged in the message body.",
             hint="a document that fits in a message (up to 1 MiB) is sent as the body itself.")
    if payloads[1] != large:
        fail("sqs-9", "the large document could not be read back through its S3 pointer.",
             why="SQS messages are at most 1 MiB (since August 2025; 256 KiB before). Larger "
             "payloads go to S3 and the message carries a pointer - the pattern of the SQS "
             "Extended Client Library.",
             hint=f'the body must be json.dumps(["{POINTER_CLASS}", {{"s3BucketName": bucket, "s3Key": key}}]).')
    passed("sqs-9", "small documents travel inline; large ones through S3 with a pointer.")
