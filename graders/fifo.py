"""Checks for 02_sqs_fifo: ordering per message group, deduplication, throughput, FIFO DLQs, Lambda."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import CheckFailed
from graders.exercise import Exercise, declared_in
from graders.resources import (aws_refused, call_add_dlq, dlq_own_redrive, drain_messages, fresh_name,
                               max_receive_count_or_fail, queue_url_or_fail)
from graders.resources import queue_attributes as _attributes

DEDUP_WINDOW = 300

#: This module's exercises, declared in graders/exercises/fifo.toml.
EXERCISES = declared_in("fifo")


def _fifo_queue(sqs: Any, prefix: str, **attributes: str) -> str:
    name = fresh_name(prefix, fifo=True)
    return sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", **attributes})["QueueUrl"]


def _drain(sqs: Any, url: str) -> list[dict]:
    """Receive and delete until the queue is empty, each message with its MessageGroupId."""
    return drain_messages(sqs, url, rounds=200, MessageSystemAttributeNames=["MessageGroupId"])


def _count(sqs: Any, url: str) -> int:
    """Messages in the queue: visible, in flight and delayed (a FIFO queue may have a queue-level delay)."""
    attributes = _attributes(sqs, url)
    return sum(int(attributes[f"ApproximateNumberOfMessages{kind}"]) for kind in ("", "NotVisible", "Delayed"))


@EXERCISES["fifo-1"].check
def fifo_queue(ex: Exercise, cloud: Sandbox,
               create_fifo_queue: Callable[[Any, str], str], *, name: str = "payments") -> None:
    """``create_fifo_queue(sqs, name)``: a FIFO queue ``<name>.fifo`` with content-based deduplication."""
    sqs = cloud.client("sqs")
    name = fresh_name(name)
    try:
        returned = ex.call_learner(create_fifo_queue, sqs, name)
    except CheckFailed as failure:
        if reason := aws_refused(ex, failure, ".fifo"):
            ex.fail("fifo-queue", f"AWS refused the queue: {reason}",
                    why="a FIFO queue is created with the attribute FifoQueue='true', and only a FIFO queue's "
                    "name ends in .fifo.",
                    hint="create_queue(QueueName=name + '.fifo', Attributes={'FifoQueue': 'true', ...}).")
        raise
    url = queue_url_or_fail(ex, sqs, returned, f"{name}.fifo")
    attributes = _attributes(sqs, url)
    if attributes.get("FifoQueue") != "true":
        ex.fail("fifo-queue", "the queue is not a FIFO queue.", hint="create it with the attribute FifoQueue='true'.")
    if attributes.get("ContentBasedDeduplication") != "true":
        ex.fail("content-based-dedup", "content-based deduplication is off.",
                why="without it every SendMessage must carry a MessageDeduplicationId, or AWS rejects it; "
                "with it, SQS uses a SHA-256 hash of the body as the id.",
                hint="set ContentBasedDeduplication='true'.")
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody='{"payment": 1}', MessageGroupId="g")
    if _count(sqs, url) != 1:
        ex.fail("drops-identical-sends", "three identical sends produced more than one message.")
    ex.passed(f"`{name}.fifo` is FIFO and drops identical bodies sent within 5 minutes.")


ORDERS = {"o-1": ["created", "paid", "shipped"], "o-2": ["created", "cancelled"], "o-3": ["created", "paid"]}


@EXERCISES["fifo-2"].check
def message_groups(ex: Exercise, cloud: Sandbox, send_order_events: Callable[[Any, str, list[dict]], None], *,
                   orders: dict[str, list[str]] | None = None) -> None:
    """``send_order_events(sqs, url, events)``: each order in order, different orders in parallel."""
    orders = orders or ORDERS
    sqs = cloud.client("sqs")
    url = _fifo_queue(sqs, "orders", ContentBasedDeduplication="true")
    events = []
    longest = max(len(steps) for steps in orders.values())
    for step in range(longest):  # interleaved, as they would arrive from a busy shop
        for order_id, steps in orders.items():
            if step < len(steps):
                events.append({"order_id": order_id, "event": steps[step]})
    ex.call_learner(send_order_events, sqs, url, [dict(e) for e in events])
    groups_by_order: dict[str, set[str]] = defaultdict(set)
    received = _drain(sqs, url)
    bodies = [_json(m["Body"]) for m in received]
    if not all(isinstance(b, dict) and {"order_id", "event"} <= set(b) for b in bodies):
        ex.fail("events-as-json", "a message body is not the event as JSON.",
                why="the consumer parses each body with json.loads; str(event) is Python's repr, not JSON.",
                hint="MessageBody=json.dumps(event).")
    if len(received) != len(events):
        ex.fail("one-message-per-event", f"{len(received)} messages arrived for {len(events)} events.",
                why="a FIFO queue drops a message whose deduplication id it saw in the last 5 minutes: an "
                "id shared by several events (the order id) keeps only the first of them.",
                hint="send one message per event; the queue's content-based deduplication gives each "
                "distinct body its own id.")
    sequence: dict[str, list[str]] = defaultdict(list)
    for message, body in zip(received, bodies):
        groups_by_order[body["order_id"]].add(message["Attributes"]["MessageGroupId"])
        sequence[body["order_id"]].append(body["event"])
    split = [o for o, groups in groups_by_order.items() if len(groups) > 1]
    if split:
        ex.fail("group-per-order", "events of one order were sent in different message groups, so their "
                "order is not guaranteed.",
                why="SQS FIFO keeps order only within a message group.",
                hint="use the order id as the MessageGroupId.")
    all_groups = set().union(*groups_by_order.values())
    if len(all_groups) < len(orders):
        ex.fail("groups-in-parallel", f"{len(all_groups)} message group(s) for more orders: orders sharing a "
                "group are processed one at a time.",
                why="a message group is delivered strictly in order, one in-flight batch at a time; "
                "unrelated orders in one group wait for each other - no parallelism.",
                hint="one group per order: MessageGroupId = the order id.")
    wrong_order = [o for o, steps in orders.items() if sequence[o] != steps]
    if wrong_order:
        ex.fail("order-kept", "an order's events arrived in another order than they happened.",
                why="a FIFO queue delivers a group in the order its messages were sent: sending in "
                "another order (sorted, reversed) is what the consumer sees.",
                hint="send the events in the order of the list you were given.")
    ex.passed("one group per order: each order in order, orders in parallel.")


def _json(text: str) -> Any:
    """``text`` parsed as JSON, or None if it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None


@EXERCISES["fifo-3"].check
def idempotent_producer(ex: Exercise, cloud: Sandbox, send_payment: Callable[[Any, str, dict], None]) -> None:
    """``send_payment(sqs, url, payment)``: retries of one payment are dropped for 5 minutes."""
    sqs = cloud.client("sqs")
    url = _fifo_queue(sqs, "payments")
    payment = {"payment_id": "pay-1", "amount": 25}
    for _ in range(3):  # the producer's retries after timeouts
        ex.call_learner(send_payment, sqs, url, dict(payment))
    twin = {"payment_id": "pay-2", "amount": 25}  # another customer, same amount
    ex.call_learner(send_payment, sqs, url, dict(twin))
    received = _drain(sqs, url)
    bodies = [_json(m["Body"]) for m in received]
    if not all(isinstance(b, dict) and b.get("payment_id") in ("pay-1", "pay-2") for b in bodies):
        ex.fail("payment-as-json", "a message body is not the payment as JSON.",
                why="the consumer parses each body with json.loads; str(payment) is Python's repr, not JSON.",
                hint="MessageBody=json.dumps(payment).")
    groups = defaultdict(set)
    for message, body in zip(received, bodies):
        groups[body["payment_id"]].add(message["Attributes"]["MessageGroupId"])
    if len(set().union(*groups.values())) < len(groups):
        ex.fail("group-per-payment", "different payments share a message group.",
                why="a group is delivered one message at a time, in order: unrelated payments in one "
                "group wait for each other.",
                hint="MessageGroupId: the payment's payment_id.")
    ids = Counter(b["payment_id"] for b in bodies)
    if ids["pay-1"] > 1:
        ex.fail("retries-dropped", f"payment pay-1 was delivered {ids['pay-1']} times after 3 retries.",
                why="a FIFO queue drops a message whose MessageDeduplicationId it has seen in the last 5 "
                "minutes - but only if a retry carries the *same* id. A random id per send defeats it.",
                hint="derive the deduplication id from the payment itself (its payment_id).")
    if ids["pay-2"] != 1 or ids["pay-1"] != 1:
        ex.fail("distinct-payments-arrive", f"delivered {dict(ids)}; each distinct payment must arrive exactly once.",
                why="two payments with the same body are still two payments: deduplicate on the "
                "business id, not on the content.")
    cloud.advance(60)  # the original was consumed and deleted; a late retry inside the window
    ex.call_learner(send_payment, sqs, url, dict(payment))
    if _count(sqs, url):
        ex.fail("late-retry-dropped", "a retry 1 minute after the original (already deleted) was delivered again.")
    cloud.advance(DEDUP_WINDOW)
    ex.call_learner(send_payment, sqs, url, dict(payment))
    if _count(sqs, url) != 1:
        ex.fail("accepted-after-window", "after the 5-minute window the same payment id should be accepted again.",
                why="SQS drops a repeated deduplication id for 5 minutes, no longer: a send after that is a new "
                "message. Deduplication is the queue's job - a producer that keeps its own record of what it "
                "sent never sends that payment again, and forgets the record when it restarts.",
                hint="send on every call; a MessageDeduplicationId derived from the payment does the rest.")
    ex.passed("retries are dropped for 5 minutes by deduplication id; distinct payments all arrive.")


def _required(rate: int) -> str:
    """The simplest design for ``rate`` messages/s; the thresholds belong to the lower design."""
    if rate <= 300:
        return "plain"
    if rate <= 3000:
        return "batching"
    return "high_throughput"


@EXERCISES["fifo-4"].check
def throughput_design(ex: Exercise, cloud: Sandbox, design_fifo_queue: Callable[[Any, str, int], dict], *,
                      messages_per_second: int = 5000) -> None:
    """``design_fifo_queue(sqs, name, rate)`` creates a FIFO queue sized for ``rate`` and says how.

    Messages name the range the rate falls in (stated in the exercise), never the rate itself.
    """
    sqs = cloud.client("sqs")
    name = fresh_name("rate", fifo=True)
    design = ex.call_learner(design_fifo_queue, sqs, name, messages_per_second)
    if not isinstance(design, dict) or not {"batching", "high_throughput"} <= set(design):
        ex.fail("returns-design", f"design_fifo_queue returned {type(design).__name__}; it must return "
                "{'batching': bool, 'high_throughput': bool}.")
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        ex.fail("queue-exists", "there is no queue with the name your function was given.",
                hint="create it: sqs.create_queue(QueueName=name, Attributes={'FifoQueue': 'true', ...}).")
    attributes = _attributes(sqs, url)
    high = attributes.get("DeduplicationScope") == "messageGroup" and \
        attributes.get("FifoThroughputLimit") == "perMessageGroupId"
    need = _required(messages_per_second)
    if bool(design["high_throughput"]) != high:
        ex.fail("design-matches-queue", "your design and the queue disagree about high-throughput mode.",
                hint="high-throughput mode is two attributes together: DeduplicationScope='messageGroup' and "
                "FifoThroughputLimit='perMessageGroupId'.")
    if need == "high_throughput" and not high:
        ex.fail("high-throughput-when-needed",
                "a rate above 3,000 messages/s is more than a FIFO queue takes without high-throughput mode.",
                why="a FIFO queue does 300 API calls per second per action; batches of 10 make that 3,000 "
                "messages/s. Beyond that you need high-throughput mode (or a standard queue if order "
                "does not matter).",
                hint="enable high-throughput mode (two attributes).")
    if need == "batching" and not design["batching"]:
        ex.fail("batching-when-needed",
                "a rate from 301 to 3,000 messages/s needs batching: 300 calls/s x 10 messages per batch.",
                why="without batching a FIFO queue takes 300 sends per second; high-throughput mode alone "
                "is not the simplest design for that load.",
                hint="batching (up to 10 messages per SendMessageBatch call) is enough up to 3,000 messages/s.")
    if need != "high_throughput" and high:
        ex.fail("simplest-design", "high-throughput mode for a rate of at most 3,000 messages/s: batching "
                "alone carries it.",
                why="keep the design as simple as the load allows: high-throughput mode changes how "
                "deduplication works (per message group) for throughput you do not need.",
                hint="the thresholds belong to the simpler design: 3,000 messages/s exactly is batching.")
    if need == "plain" and design["batching"]:
        ex.fail("simplest-design", "batching for a rate of at most 300 messages/s: single sends carry it.",
                why="keep the design as simple as the load allows; batching adds latency and failure handling.",
                hint="the thresholds belong to the simpler design: 300 messages/s exactly needs no batching.")
    ex.passed(f"{need.replace('_', '-')} FIFO design for the asked rate.")


@EXERCISES["fifo-5"].check
def fifo_dead_letter_queue(ex: Exercise, cloud: Sandbox, add_fifo_dlq: Callable[[Any, str, int], str], *,
                           max_receive_count: int = 2) -> None:
    """``add_fifo_dlq(sqs, source_url, n)``: a FIFO DLQ that unblocks the poisoned group."""
    sqs = cloud.client("sqs")
    source = _fifo_queue(sqs, "orders", VisibilityTimeout="30", ContentBasedDeduplication="true")
    fifo_dlq = dict(why="a FIFO queue's dead-letter queue must be FIFO too: AWS refuses a standard one.",
                    hint="create the DLQ with FifoQueue='true' and a name ending in .fifo.")
    dlq_url, refused = call_add_dlq(ex, add_fifo_dlq, sqs, source, max_receive_count)
    if refused:
        ex.fail("dlq-is-fifo", f"AWS refused the redrive policy: {refused}", **fifo_dlq)
    try:
        dlq = _attributes(sqs, dlq_url)
    except Exception:  # noqa: BLE001 - anything but a queue URL
        ex.fail("returns-dlq-url", f"add_fifo_dlq returned {dlq_url!r}, not the URL of an existing queue.",
                hint="return the QueueUrl from create_queue's response (not the ARN or the name).")
    if dlq.get("FifoQueue") != "true":
        ex.fail("dlq-is-fifo", "the queue you returned is a standard queue.", **fifo_dlq)
    source_attributes = _attributes(sqs, source)
    policy = json.loads(source_attributes.get("RedrivePolicy") or "{}")
    if policy.get("deadLetterTargetArn") != dlq["QueueArn"]:
        ex.fail("targets-returned-dlq", "the source queue's redrive policy does not target the queue you returned.",
                hint="set RedrivePolicy on the source queue, with the DLQ's ARN as deadLetterTargetArn.")
    max_receive_count_or_fail(ex, policy, max_receive_count, hint="use the argument; do not fix a number.")
    for body in ("poison", "next-in-group"):
        sqs.send_message(QueueUrl=source, MessageBody=body, MessageGroupId="A")
    sqs.send_message(QueueUrl=source, MessageBody="other-group", MessageGroupId="B")
    seen = []
    for _ in range(max_receive_count + 3):
        # a careful FIFO consumer: one message at a time, so it never works past a failure
        while got := sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=1).get("Messages", []):
            seen.append(got[0]["Body"])
            if got[0]["Body"] != "poison":  # it handles everything but the poison message
                sqs.delete_message(QueueUrl=source, ReceiptHandle=got[0]["ReceiptHandle"])
        cloud.advance(int(source_attributes["VisibilityTimeout"]) + 1)  # the answer may have changed it
    if "next-in-group" not in seen:
        ex.fail("poison-unblocks-group", "the poison message kept blocking the rest of its message group.")
    if seen.index("next-in-group") < max(i for i, b in enumerate(seen) if b == "poison"):
        ex.fail("order-kept-in-group", "a message overtook the poison message in its group.")
    held = [m["Body"] for m in sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get("Messages", [])]
    if held != ["poison"]:
        own_policy, lesson = dlq_own_redrive(dlq)
        ex.fail("poison-in-dlq", f"the DLQ holds {held}, not the poison message{own_policy}.", **lesson)
    ex.passed("the poison message blocked group A until it moved to the FIFO DLQ; group B never waited.")


@EXERCISES["fifo-6"].check
def fifo_lambda_failures(ex: Exercise, cloud: Sandbox,
                         make_fifo_handler: Callable[[Callable[[dict], None]], Any]) -> None:
    """The handler reports a failed record and the rest of its group, keeping order per group."""
    sqs = cloud.client("sqs")
    url = _fifo_queue(sqs, "fifo-lambda", VisibilityTimeout="30", ContentBasedDeduplication="true")
    # interleaved groups: a batch holds records of both, and a failure in A comes before B's rest
    for step in ("a1", "b1", "a2", "b2", "a3"):
        sqs.send_message(QueueUrl=url, MessageBody=step, MessageGroupId=step[0].upper())
    processed: list[str] = []
    failures_left = {"a2": 1}

    def process(record: dict) -> None:
        body = record["body"]
        if failures_left.get(body):
            failures_left[body] -= 1
            raise RuntimeError(f"{body}: payment service timed out")
        processed.append(body)

    handler = ex.call_learner(make_fifo_handler, process)
    mapping = SqsEventSourceMapping(cloud, url, handler, batch_size=10, report_batch_item_failures=True,
                                    concurrency=1, function_timeout=10)
    mapping.run(120)
    if processed and Counter(processed).most_common(1)[0][1] > 1:
        ex.fail("processed-once", f"a record was processed twice: {processed}.",
                why="Lambda retries every record the handler reports as failed - and, if the handler "
                "raises or returns an invalid report, the whole batch.",
                hint="report as failed only the records you did not process, and return the report "
                "instead of raising.")
    a_order = [b for b in processed if b.startswith("a")]
    if a_order != ["a1", "a2", "a3"]:
        ex.fail("order-kept-after-failure", f"group A was processed as {a_order}; it must be a1, a2, a3.",
                why="when a FIFO record fails, Lambda deletes every record not reported as failed. If a3 "
                "is not reported, it is processed and deleted before a2's retry: order broken. AWS "
                "requires a FIFO handler to stop at the first failure and report that record and every "
                "later one of the batch.",
                hint="after the first failure, add the remaining records to batchItemFailures too.")
    if [b for b in processed if b.startswith("b")] != ["b1", "b2"]:
        ex.fail("every-group-in-order", f"group B was processed as {[b for b in processed if b.startswith('b')]}; "
                "it must be b1, b2.",
                why="a batch from a FIFO queue can hold several message groups; a record neither processed "
                "nor reported as failed is deleted with the batch - lost.",
                hint="call process(record) for every record, or report it in batchItemFailures.")
    ex.passed("a failure held back the rest of the batch; every group stayed in order.")
