"""Checks for 07_exam_traps: one exercise per exam trap, graded on behaviour in the mocked cloud.

Three kinds of check:

* behaviour checks - the learner's function runs against fresh resources, then the check sends,
  receives, advances the course clock and reads the cloud's state;
* reused checks - where an earlier module already grades the same skill, its judgement runs here
  with this module's exercise (e.g. :func:`graders.sqs.judge_visibility` for trap-2), so a fact is
  graded one way everywhere;
* questions answered in code (:mod:`graders.questions`, re-exported here) - an exam question from
  the course's sourced bank, a matching exercise, a service choice.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from course.aws.events.permissions import failed_deliveries
from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import CheckFailed, SharedDict
from graders.exercise import Exercise, declared_in
from graders.instrument import CallRecorder
from graders.questions import (  # noqa: F401 - the notebook's questions, through the same `check`
    ask,
    delay_mechanisms,
    exam_question,
    service_choice,
    show_scenarios,
    show_situations,
)
from graders.resources import (
    POINTER_CLASS,
    drain_bodies,
    fresh_name,
    make_queue,
    make_target_queue,
    max_receive_count_or_fail,
    queue_attributes,
    resolve_pointer,
    s3_pointer,
    sns_message,
)
from graders.sqs import judge_visibility

MiB = 1024 * 1024
HOURS_PER_YEAR = 8_760
#: trap-3's stated bound: an idle consumer's receives per minute (one every 10 s or less often)
IDLE_RECEIVES_PER_MINUTE = 6

#: This module's exercises, declared in graders/exercises/traps.toml.
EXERCISES = declared_in("traps")


# -- shared helpers --------------------------------------------------------------------------
def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# -- 1. visibility timeout ------------------------------------------------------------------------
@EXERCISES["trap-2"].check
def visibility_for_lambda(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable[[Any, str, int], None], *,
                          function_timeout: int = 120) -> None:
    """The 6x rule, judged as in 01 (sqs-3) for this exercise."""
    judge_visibility(ex, cloud, configure_for_lambda, function_timeout)


# -- 2. long polling and batching: what an idle or busy consumer pays ----------------------------
def _messages(ex: Exercise, got: Any) -> list[dict]:
    if got is None:
        return []
    if isinstance(got, dict):  # the whole response is fine too
        got = got.get("Messages", [])
    if not isinstance(got, list):
        ex.fail("returns-messages", f"receive_batch returned {type(got).__name__}; return the list of messages "
                "(response.get('Messages', [])).")
    return got


def _batch(ex: Exercise, got: Any) -> list[dict]:
    """The messages a receive from a busy queue returned: each one as ReceiveMessage gives it, the
    consumer deletes it by its ReceiptHandle."""
    messages = _messages(ex, got)
    odd = next((m for m in messages if not (isinstance(m, dict) and "Body" in m and "ReceiptHandle" in m)), None)
    if odd is not None:
        shown = repr(odd) if len(repr(odd)) <= 60 else repr(odd)[:57] + "..."
        ex.fail("returns-messages", f"receive_batch returned a list of {type(odd).__name__}, not of messages: "
                f"one item is {shown}.",
                why="the consumer needs each message itself - its Body, and the ReceiptHandle it deletes the "
                "message with once done; a body alone cannot be deleted, so it comes back after the "
                "visibility timeout.",
                hint="return the messages of the response as they are: response.get('Messages', []).")
    return messages


@EXERCISES["trap-3"].check
def cheap_receive(ex: Exercise, cloud: Sandbox, receive_batch: Callable[[Any, str], list], *, idle_minutes: int = 10,
                  backlog: int = 25) -> None:
    """``receive_batch(sqs, url)``: one ReceiveMessage that waits (long polling) and takes up to 10."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=fresh_name("orders"))["QueueUrl"]
    learner_sqs = cloud.client("sqs")
    recorder = CallRecorder(learner_sqs)
    budget = idle_minutes * IDLE_RECEIVES_PER_MINUTE
    start = cloud.clock.offset
    while cloud.clock.offset - start < idle_minutes * 60 and recorder.calls["ReceiveMessage"] <= budget:
        before = cloud.clock.offset
        if _messages(ex, ex.call_learner(receive_batch, learner_sqs, url)):
            ex.fail("empty-receives-empty", "an empty queue returned a message.")
        if recorder.calls["ReceiveMessage"] == 0:
            ex.fail("makes-receive-call",
                    "receive_batch made no ReceiveMessage call.", hint="call sqs.receive_message(QueueUrl=...).")
        if cloud.clock.offset == before:
            cloud.advance(1)  # a short poll answers at once: the consumer's loop asks again a second later
    calls = recorder.calls["ReceiveMessage"]
    if calls > budget:
        elapsed = max(cloud.clock.offset - start, 1)
        rate = round(calls * 60 / elapsed)
        ex.fail("long-polling", f"an idle consumer using receive_batch makes about {rate} ReceiveMessage calls a "
                f"minute - every one billed, every one empty; the exercise allows {IDLE_RECEIVES_PER_MINUTE}.",
                why="short polling (WaitTimeSeconds 0, the default) answers at once, usually with nothing; "
                "long polling waits up to 20 s for a message, so an idle consumer makes 3 calls a minute "
                "instead of one per loop.",
                hint="pass WaitTimeSeconds to receive_message: 20, the longest, costs least.")
    sent = [f"order-{i:03d}" for i in range(backlog)]
    for first in range(0, backlog, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": body}
                                                      for i, body in enumerate(sent[first:first + 10])])
    before = recorder.calls["ReceiveMessage"]
    received: list[str] = []
    smallest = 10
    for _ in range(backlog + 2):
        got = _batch(ex, ex.call_learner(receive_batch, learner_sqs, url))
        if not got:
            break
        smallest = min(smallest, len(got))
        received += [m["Body"] for m in got]
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(got)])
        if len(received) >= backlog:
            break
    calls = recorder.calls["ReceiveMessage"] - before
    if sorted(received) != sent:
        ex.fail("returns-every-message", "receive_batch did not return every waiting message.",
                hint="return the messages of the response: response.get('Messages', []).")
    if calls > -(-backlog // 10) + 1:
        ex.fail("batched-receive", f"with messages waiting, a receive returned at most {smallest} message"
                f"{'' if smallest == 1 else 's'} - more calls than needed to take them.",
                why="a receive returns 1 message unless you ask for more; up to 10 per call means a tenth "
                "of the requests (and of the bill) for a busy queue.",
                hint="MaxNumberOfMessages=10.")
    idle = recorder.calls["ReceiveMessage"] - calls
    ex.passed(f"idle: about {round(idle / idle_minutes)} receives a minute; busy: up to 10 messages a receive.")


# -- 4. FIFO: the name, the group id, deduplication, a DLQ of the same type -------------------------
@EXERCISES["trap-5"].check
def fifo_with_dlq(ex: Exercise, cloud: Sandbox,
                  create_fifo_queue: Callable[[Any, str, int], Any], *, name: str = "payments",
                  max_receive_count: int = 3) -> None:
    """``create_fifo_queue(sqs, name, n)`` -> (queue URL, DLQ URL): FIFO, content-based dedup, FIFO DLQ."""
    sqs = cloud.client("sqs")
    name = fresh_name(name)
    result = ex.call_learner(create_fifo_queue, sqs, name, max_receive_count)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        ex.fail("returns-urls", f"create_fifo_queue returned {result!r}; return (queue_url, dlq_url).")
    queue_url, dlq_url = result
    try:
        url = sqs.get_queue_url(QueueName=f"{name}.fifo")["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        ex.fail("fifo-name", "there is no queue named after the `name` you were given with the .fifo suffix.",
                why="a FIFO queue's name must end in .fifo (and it is created with FifoQueue='true').",
                hint="QueueName=name + '.fifo'.")
    if queue_url != url:
        ex.fail("returns-queue-url", "the first URL you returned is not the FIFO queue's URL.")
    attributes = queue_attributes(sqs, url)
    if attributes.get("ContentBasedDeduplication") != "true":
        ex.fail("content-based-dedup", "content-based deduplication is off.",
                why="without it every SendMessage to a FIFO queue must carry a MessageDeduplicationId, or SQS "
                "rejects it; with it, SQS takes a SHA-256 hash of the body as the id.",
                hint="ContentBasedDeduplication='true'.")
    try:
        dlq = queue_attributes(sqs, dlq_url)
    except Exception:  # noqa: BLE001 - whatever was returned, it is not a queue
        ex.fail("returns-dlq-url", f"{dlq_url!r} is not the URL of an existing queue.")
    if dlq.get("FifoQueue") != "true":
        ex.fail("dlq-fifo", "the dead-letter queue is a standard queue.",
                why="a DLQ must be the same type as its source queue: a FIFO queue's DLQ is FIFO.")
    policy = json.loads(attributes.get("RedrivePolicy") or "{}")
    if policy.get("deadLetterTargetArn") != dlq["QueueArn"]:
        ex.fail("redrive-to-dlq", "the queue's RedrivePolicy does not point at the DLQ you returned.",
                hint="RedrivePolicy: json.dumps({'deadLetterTargetArn': <DLQ ARN>, 'maxReceiveCount': n}).")
    max_receive_count_or_fail(ex, policy, max_receive_count, hint="use the argument, not a number of your own.")
    for body, group in (("charge o-1", "acct-1"), ("charge o-1", "acct-1"), ("charge o-2", "acct-1"),
                        ("poison", "acct-9")):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    visibility = int(attributes["VisibilityTimeout"])
    handled: list[str] = []
    for _ in range(max_receive_count + 1):
        while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
            if got[0]["Body"] != "poison":  # the consumer fails only on the poison message
                handled.append(got[0]["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
        cloud.advance(visibility + 1)
    if handled != ["charge o-1", "charge o-2"]:
        ex.fail("dedup-and-order", f"the consumer handled {handled}, not each charge once and in order.")
    if drain_bodies(sqs, dlq_url) != ["poison"]:
        ex.fail("poison-in-dlq", "a message that failed maxReceiveCount times did not reach the DLQ.")
    ex.passed("duplicates dropped, order kept, the poison message in a FIFO DLQ after maxReceiveCount receives.")


# -- 5. standard queues: best-effort order ----------------------------------------------------------
STATUS_UPDATES = [  # (order, version, status) in the order the producer sent them - not the order they happened
    ("o-1", 2, "paid"), ("o-1", 1, "placed"), ("o-2", 1, "placed"), ("o-1", 3, "shipped"),
    ("o-3", 1, "placed"), ("o-2", 2, "cancelled"), ("o-3", 2, "paid"), ("o-3", 3, "shipped"),
    ("o-1", 1, "placed"),  # a producer's retry of an old update
]


def _latest(updates: list[tuple[str, int, str]]) -> dict[str, tuple[int, str]]:
    latest: dict[str, tuple[int, str]] = {}
    for order, version, status in updates:
        if order not in latest or version > latest[order][0]:
            latest[order] = (version, status)
    return latest


@EXERCISES["trap-6"].check
def out_of_order(ex: Exercise, cloud: Sandbox, make_handler: Callable[[dict], Any], *, updates: list | None = None,
                 crash_on: tuple[str, int] = ("o-3", 1)) -> None:
    """``make_handler(store)``: store[order] ends as the newest update, however they arrive."""
    updates = updates or STATUS_UPDATES
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=fresh_name("order-status"), Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    for order, version, status in updates:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order_id": order, "version": version, "status": status}))
    store = SharedDict()  # the learner's handler writes it; the check reads it
    handler = ex.call_learner(make_handler, store)
    if not callable(handler):
        ex.fail("returns-handler", f"make_handler returned {type(handler).__name__}, not a handler function.")
    crashed = []

    def worker(event: dict, context: Any) -> Any:
        for record in event["Records"]:
            update = json.loads(record["body"])
            if (update["order_id"], update["version"]) == crash_on and not crashed:
                crashed.append(record["messageId"])  # the worker dies before it handles this one
                raise RuntimeError("worker crashed")
        return handler(event, context)

    mapping = SqsEventSourceMapping(cloud, url, worker, batch_size=1, concurrency=1, function_timeout=10)
    try:
        mapping.run(120)
    except Exception as exc:  # noqa: BLE001 - the learner's handler is arbitrary code
        ex.fail("consumer-runs", f"the consumer crashed: {type(exc).__name__}: {exc}")
    errors = [inv.error for inv in mapping.invocations if inv.outcome == "error" and inv.error != "RuntimeError: worker crashed"]
    if errors:
        ex.fail("handler-parses-records", f"your handler raised: {errors[0]}",
                hint="each record's JSON body is in record['body']; parse it with json.loads.")
    arrived = [tuple(json.loads(body)[k] for k in ("order_id", "version"))
               for inv in mapping.invocations for body in inv.bodies]
    for order, (version, status) in _latest(updates).items():
        kept = store.get(order)
        if not isinstance(kept, dict) or "status" not in kept:
            ex.fail("stores-newest-update", f"store[{order!r}] is {kept!r}; it must be the newest update (a dict with "
                    "order_id, version and status).")
        if kept.get("status") != status or kept.get("version") != version:
            ex.fail("newest-update-wins",
                    f"order {order} ended as {kept.get('status')!r} (version {kept.get('version')}), although "
                    f"its version {version} arrived too. The updates arrived in this order: "
                    + ", ".join(f"{o} v{v}" for o, v in arrived) + ".",
                    why="a standard queue's ordering is best effort: a retried or redelivered message (here, after "
                    "a crash and its visibility timeout) arrives behind newer ones, and a producer may send out "
                    "of order. A consumer that simply overwrites lets an old update win.",
                    hint="keep an update only if its version is newer than the one stored for that order.")
    ex.passed(f"{len(arrived)} deliveries, out of order and with a redelivery after a crash: every "
              "order kept its newest status.")


# -- 6. message size: 1 MiB in bytes, larger payloads through S3 ---------------------------------
LARGE_CASES = [
    ("a small order", json.dumps({"order_id": "o-1", "lines": ["book"]}), "inline"),
    ("exactly 1,048,576 bytes", "x" * MiB, "inline"),
    ("1,048,577 bytes", "x" * (MiB + 1), "s3"),
    ("600,000 characters of 'é' (1,200,000 bytes)", "é" * 600_000, "s3"),
]


@EXERCISES["trap-7"].check
def large_messages(ex: Exercise, cloud: Sandbox, send_large: Callable[[Any, Any, str, str, str], None], *,
                   cases: list | None = None) -> None:
    """``send_large(sqs, s3, url, bucket, payload)``: inline up to 1 MiB of UTF-8, else an S3 pointer."""
    sqs, s3 = cloud.client("sqs"), cloud.client("s3")
    url = sqs.create_queue(QueueName=fresh_name("documents"))["QueueUrl"]
    bucket = fresh_name("payloads")
    s3.create_bucket(Bucket=bucket)
    for label, payload, where in cases or LARGE_CASES:
        try:
            ex.call_learner(send_large, sqs, s3, url, bucket, payload)
        except CheckFailed as failure:
            if "shorter than" not in failure.problem:
                raise
            ex.fail("size-in-bytes", f"{label}: SQS refused the message as too large.",
                    why="the limit is 1 MiB = 1,048,576 bytes of the UTF-8 encoded message, not characters: "
                    "len(text) counts characters, and 'é' takes 2 bytes, an emoji 4.",
                    hint="measure len(payload.encode('utf-8')).")
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if len(got) != 1:
            ex.fail("one-message-per-payload", f"{label}: {len(got)} messages arrived; send exactly one per payload.")
        body = got[0]["Body"]
        if where == "inline" and s3_pointer(body) is not None:
            ex.fail("inline-when-fits", f"{label}: sent through S3, although it fits in a message.",
                    why="a message may be up to 1,048,576 bytes, that size included; every offload costs an S3 PUT, a "
                    "GET and a delete, and adds latency.",
                    hint="offload only when the UTF-8 size is greater than 1,048,576 (> , not >=).")
        if where == "inline" and body != payload:
            ex.fail("inline-unchanged", f"{label}: the body that arrived is not the payload you were given.")
        if where == "s3" and (s3_pointer(body) is None or resolve_pointer(s3, body) != payload):
            ex.fail("large-through-s3", f"{label}: the payload could not be read back through an S3 pointer.",
                    hint=f'the body must be json.dumps(["{POINTER_CLASS}", '
                    '{"s3BucketName": bucket, "s3Key": key}]).')
    ex.passed("up to 1,048,576 bytes inline, anything larger through S3 - measured in bytes, not characters.")


# -- 7. EventBridge: 5 targets per rule -----------------------------------------------------------
def _event_of(body: str) -> dict:
    """The EventBridge event in a queue message (unwrapped from an SNS envelope if it came that way)."""
    return json.loads(sns_message(body))


@EXERCISES["trap-9"].check
def many_targets(ex: Exercise, cloud: Sandbox,
                 route_to_all: Callable[[Any, str, list[str]], None], *, teams: int = 7) -> None:
    """``route_to_all(events, bus, queue_arns)``: every OrderPlaced event reaches every queue once."""
    events, sqs = cloud.client("events"), cloud.client("sqs")
    bus = fresh_name("shop")
    events.create_event_bus(Name=bus)
    queues = [make_target_queue(sqs, fresh_name(f"team{i}")) for i in range(teams)]
    try:
        ex.call_learner(route_to_all, events, bus, [arn for _, arn in queues])
    except CheckFailed as failure:
        if "LimitExceeded" not in failure.problem:
            raise
        ex.fail("max-5-targets-per-rule",
                failure.problem, why="an EventBridge rule can have at most 5 targets (EventBridge API "
                "Reference, PutTargets); moto accepts more, the course's sandbox - like AWS - does not.",
                hint="more consumers need more rules with the same pattern, or one target that fans out.")
    if not events.list_rules(EventBusName=bus)["Rules"]:
        ex.fail("rule-exists", f"there is no rule on the bus {bus!r}.")
    # n=4: the same detail-type from another source (a partner's system on the same bus)
    for source, detail_type, n in (("com.shop.orders", "OrderPlaced", 1), ("com.shop.orders", "OrderCancelled", 2),
                                   ("com.shop.orders", "OrderPlaced", 3), ("com.partner.orders", "OrderPlaced", 4)):
        events.put_events(Entries=[{"EventBusName": bus, "Source": source, "DetailType": detail_type,
                                    "Detail": json.dumps({"n": n})}])
    refused = failed_deliveries(cloud)
    if refused:
        ex.fail("eventbridge-may-deliver", f"EventBridge could not deliver to {refused[0].target_arn}: "
                f"{refused[0].error_code} - {refused[0].error_message}.",
                why="EventBridge needs permission to reach a target: a topic's or queue's resource policy must let "
                "events.amazonaws.com send (a new topic's default policy does not), and permission errors are "
                "not retried - the event is lost unless the target has a DLQ.",
                hint="sns.set_topic_attributes(TopicArn=..., AttributeName='Policy', AttributeValue=json.dumps(...)) "
                "with a statement for the service principal events.amazonaws.com and sns:Publish.")
    for index, (url, _) in enumerate(queues):
        got = Counter(_event_of(body)["detail"]["n"] for body in drain_bodies(sqs, url))
        if got[2]:
            ex.fail("only-order-placed", f"queue {index + 1} received an OrderCancelled event.",
                    hint="match source com.shop.orders and detail-type OrderPlaced.")
        if got[4]:
            ex.fail("only-shop-orders", f"queue {index + 1} received an OrderPlaced event whose source is not "
                    "com.shop.orders.",
                    why="a detail-type is just a name: any application, partner or AWS service sending to the bus "
                    "can use it. The source says who sent the event; a rule should match both.",
                    hint="add \"source\": [\"com.shop.orders\"] to the event pattern.")
        if got[1] != 1 or got[3] != 1:
            copies = "no copy" if not got[1] else f"{got[1]} copies"
            ex.fail("one-copy-per-queue",
                    f"queue {index + 1} received {copies} of an OrderPlaced event; every queue "
                    "must receive exactly one.",
                    hint="each queue must be the target of exactly one path from the bus.")
    ex.passed("every queue got one copy of every OrderPlaced event, with no rule over 5 targets.")


# -- 8. Kinesis retention ---------------------------------------------------------------------------
@EXERCISES["trap-10"].check
def year_of_retention(ex: Exercise, cloud: Sandbox, keep_for_a_year: Callable[[Any, str], None]) -> None:
    """``keep_for_a_year(kinesis, stream)``: the stream keeps records 365 days."""
    kinesis = cloud.client("kinesis")
    stream = fresh_name("trades")
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    ex.call_learner(keep_for_a_year, kinesis, stream)
    hours = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["RetentionPeriodHours"]
    if hours == 24:
        ex.fail("retention-raised", "the stream still keeps records for the default 24 hours.",
                hint="increase_stream_retention_period(StreamName=..., RetentionPeriodHours=...).")
    if hours == 365:
        ex.fail("retention-in-hours", "365 hours is about 15 days: RetentionPeriodHours counts hours, not days.")
    if hours != HOURS_PER_YEAR:
        ex.fail("retention-one-year",
                f"the stream keeps records for {hours} hours ({hours / 24:.4g} days), not 365 days.",
                why="Kinesis Data Streams keeps records from 24 hours (default) up to 8,760 hours; older "
                "material says 7 days.")
    ex.passed("the stream keeps every record for 365 days (8,760 hours): a year of replay.")


