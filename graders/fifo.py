"""Checks for 02_sqs_fifo: ordering per message group, deduplication, throughput, FIFO DLQs, Lambda."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import call_learner, checked, fail, passed
from graders.resources import fresh_name
from graders.resources import queue_attributes as _attributes
from graders.sqs import _queue_url_or_fail

DEDUP_WINDOW = 300


def _fifo_queue(sqs: Any, prefix: str, **attributes: str) -> str:
    name = fresh_name(prefix, fifo=True)
    return sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", **attributes})["QueueUrl"]


def _drain(sqs: Any, url: str, rounds: int = 200) -> list[dict]:
    """Receive and delete until the queue is empty, in the order SQS hands messages out."""
    received: list[dict] = []
    for _ in range(rounds):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                  MessageSystemAttributeNames=["MessageGroupId"]).get("Messages", [])
        if not got:
            break
        received.extend(got)
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
    return received


def _count(sqs: Any, url: str) -> int:
    attributes = _attributes(sqs, url)
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@checked("fifo-1")
def fifo_queue(cloud: Sandbox, create_fifo_queue: Callable[[Any, str], str], *, name: str = "payments") -> None:
    """``create_fifo_queue(sqs, name)``: a FIFO queue ``<name>.fifo`` with content-based deduplication."""
    sqs = cloud.client("sqs")
    name = fresh_name(name)
    returned = call_learner("fifo-1", create_fifo_queue, sqs, name)
    url = _queue_url_or_fail("fifo-1", sqs, returned, f"{name}.fifo")
    attributes = _attributes(sqs, url)
    if attributes.get("FifoQueue") != "true":
        fail("fifo-1", "the queue is not a FIFO queue.", hint="create it with the attribute FifoQueue='true'.")
    if attributes.get("ContentBasedDeduplication") != "true":
        fail("fifo-1", "content-based deduplication is off.",
             why="without it every SendMessage must carry a MessageDeduplicationId, or AWS rejects it; "
             "with it, SQS uses a SHA-256 hash of the body as the id.",
             hint="set ContentBasedDeduplication='true'.")
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody='{"payment": 1}', MessageGroupId="g")
    if _count(sqs, url) != 1:
        fail("fifo-1", "three identical sends produced more than one message.")
    passed("fifo-1", f"`{name}.fifo` is FIFO and drops identical bodies sent within 5 minutes.")


ORDERS = {"o-1": ["created", "paid", "shipped"], "o-2": ["created", "cancelled"], "o-3": ["created", "paid"]}


@checked("fifo-2")
def message_groups(cloud: Sandbox, send_order_events: Callable[[Any, str, list[dict]], None], *,
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
    call_learner("fifo-2", send_order_events, sqs, url, [dict(e) for e in events])
    groups_by_order: dict[str, set[str]] = defaultdict(set)
    received = _drain(sqs, url)
    if len(received) != len(events):
        fail("fifo-2", f"{len(received)} messages arrived for {len(events)} events.",
             hint="send one message per event (the queue deduplicates identical bodies).")
    sequence: dict[str, list[str]] = defaultdict(list)
    for message in received:
        body = json.loads(message["Body"])
        groups_by_order[body["order_id"]].add(message["Attributes"]["MessageGroupId"])
        sequence[body["order_id"]].append(body["event"])
    split = [o for o, groups in groups_by_order.items() if len(groups) > 1]
    if split:
        fail("fifo-2", f"events of order {split[0]} were sent in different message groups, so their "
             "order is not guaranteed.",
             why="SQS FIFO keeps order only within a message group.",
             hint="use the order id as the MessageGroupId.")
    all_groups = set().union(*groups_by_order.values())
    if len(all_groups) < len(orders):
        fail("fifo-2", f"{len(orders)} orders share {len(all_groups)} message group(s): they are "
             "processed one at a time.",
             why="a message group is delivered strictly in order, one in-flight batch at a time; "
             "unrelated orders in one group wait for each other - no parallelism.",
             hint="one group per order: MessageGroupId = the order id.")
    wrong_order = [o for o, steps in orders.items() if sequence[o] != steps]
    if wrong_order:
        fail("fifo-2", f"order {wrong_order[0]}'s events arrived as {sequence[wrong_order[0]]}, "
             f"not {orders[wrong_order[0]]}.", hint="send each order's events in the order they happened.")
    # a group with a message in flight is blocked; others are not
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order_id": "x", "event": "1"}), MessageGroupId="blocked",
                     MessageDeduplicationId="b1")
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order_id": "x", "event": "2"}), MessageGroupId="blocked",
                     MessageDeduplicationId="b2")
    held = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
    if not held or sqs.receive_message(QueueUrl=url).get("Messages"):
        fail("fifo-2", "a message group with a message in flight was not blocked (sandbox problem).")
    passed("fifo-2", f"{len(orders)} orders in {len(all_groups)} groups: each in order, groups in parallel.")


@checked("fifo-3")
def idempotent_producer(cloud: Sandbox, send_payment: Callable[[Any, str, dict], None]) -> None:
    """``send_payment(sqs, url, payment)``: retries of one payment are dropped for 5 minutes."""
    sqs = cloud.client("sqs")
    url = _fifo_queue(sqs, "payments")
    payment = {"payment_id": "pay-1", "amount": 25}
    for _ in range(3):  # the producer's retries after timeouts
        call_learner("fifo-3", send_payment, sqs, url, dict(payment))
    twin = {"payment_id": "pay-2", "amount": 25}  # another customer, same amount
    call_learner("fifo-3", send_payment, sqs, url, dict(twin))
    received = _drain(sqs, url)
    ids = Counter(json.loads(m["Body"])["payment_id"] for m in received)
    if ids["pay-1"] > 1:
        fail("fifo-3", f"payment pay-1 was delivered {ids['pay-1']} times after 3 retries.",
             why="a FIFO queue drops a message whose MessageDeduplicationId it has seen in the last 5 "
             "minutes - but only if a retry carries the *same* id. A random id per send defeats it.",
             hint="derive the deduplication id from the payment itself (its payment_id).")
    if ids["pay-2"] != 1 or ids["pay-1"] != 1:
        fail("fifo-3", f"delivered {dict(ids)}; each distinct payment must arrive exactly once.",
             why="two payments with the same body are still two payments: deduplicate on the "
             "business id, not on the content.")
    cloud.advance(60)  # the original was consumed and deleted; a late retry inside the window
    call_learner("fifo-3", send_payment, sqs, url, dict(payment))
    if _count(sqs, url):
        fail("fifo-3", "a retry 1 minute after the original (already deleted) was delivered again.")
    cloud.advance(DEDUP_WINDOW)
    call_learner("fifo-3", send_payment, sqs, url, dict(payment))
    if _count(sqs, url) != 1:
        fail("fifo-3", "after the 5-minute window the same payment id should be accepted again.")
    passed("fifo-3", "retries are dropped for 5 minutes by deduplication id; distinct payments all arrive.")


def _required(rate: int) -> str:
    if rate <= 300:
        return "plain"
    if rate <= 3000:
        return "batching"
    return "high_throughput"


@checked("fifo-4")
def throughput_design(cloud: Sandbox, design_fifo_queue: Callable[[Any, str, int], dict], *,
                      messages_per_second: int = 5000) -> None:
    """``design_fifo_queue(sqs, name, rate)`` creates a FIFO queue sized for ``rate`` and says how."""
    sqs = cloud.client("sqs")
    name = fresh_name("rate", fifo=True)
    design = call_learner("fifo-4", design_fifo_queue, sqs, name, messages_per_second)
    if not isinstance(design, dict) or not {"batching", "high_throughput"} <= set(design):
        fail("fifo-4", f"design_fifo_queue returned {design!r}; it must return "
             "{'batching': bool, 'high_throughput': bool}.")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attributes = _attributes(sqs, url)
    high = attributes.get("DeduplicationScope") == "messageGroup" and \
        attributes.get("FifoThroughputLimit") == "perMessageGroupId"
    need = _required(messages_per_second)
    if bool(design["high_throughput"]) != high:
        fail("fifo-4", "your design and the queue disagree about high-throughput mode.",
             hint="high-throughput mode is DeduplicationScope='messageGroup' plus "
             "FifoThroughputLimit='perMessageGroupId'.")
    if need == "high_throughput" and not high:
        fail("fifo-4", f"{messages_per_second} messages/s is more than a FIFO queue takes without "
             "high-throughput mode.",
             why="a FIFO queue does 300 API calls per second per action; batches of 10 make that 3,000 "
             "messages/s. Beyond that you need high-throughput mode (or a standard queue if order "
             "does not matter).",
             hint="enable high-throughput mode (two attributes).")
    if need == "batching" and not (design["batching"] or high):
        fail("fifo-4", f"{messages_per_second} messages/s needs batching: 300 calls/s x 10 messages per batch.",
             why="without batching a FIFO queue takes 300 sends per second.")
    if need == "plain" and (high or design["batching"]):
        fail("fifo-4", f"{messages_per_second} messages/s fits in 300 calls/s: no batching or "
             "high-throughput mode is needed.",
             why="keep the design as simple as the load allows; batching adds latency and failure handling.")
    passed("fifo-4", f"{messages_per_second} messages/s: {need.replace('_', '-')} FIFO design.")


@checked("fifo-5")
def fifo_dead_letter_queue(cloud: Sandbox, add_fifo_dlq: Callable[[Any, str, int], str], *,
                           max_receive_count: int = 2) -> None:
    """``add_fifo_dlq(sqs, source_url, n)``: a FIFO DLQ that unblocks the poisoned group."""
    sqs = cloud.client("sqs")
    source = _fifo_queue(sqs, "orders", VisibilityTimeout="30", ContentBasedDeduplication="true")
    dlq_url = call_learner("fifo-5", add_fifo_dlq, sqs, source, max_receive_count)
    if not isinstance(dlq_url, str) or not dlq_url.endswith(".fifo"):
        fail("fifo-5", f"add_fifo_dlq returned {dlq_url!r}; it must return the URL of a FIFO queue.",
             why="a FIFO queue's dead-letter queue must be FIFO too (AWS rejects a standard one).")
    policy = json.loads(_attributes(sqs, source).get("RedrivePolicy") or "{}")
    if int(policy.get("maxReceiveCount", 0)) != max_receive_count:
        fail("fifo-5", f"maxReceiveCount is {policy.get('maxReceiveCount')}, not {max_receive_count}.")
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
        cloud.advance(31)
    if "next-in-group" not in seen:
        fail("fifo-5", "the poison message kept blocking the rest of its message group.")
    if seen.index("next-in-group") < max(i for i, b in enumerate(seen) if b == "poison"):
        fail("fifo-5", f"a message overtook the poison message in its group: {seen}.")
    dlq = [m["Body"] for m in sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get("Messages", [])]
    if dlq != ["poison"]:
        fail("fifo-5", f"the DLQ holds {dlq}, not the poison message.")
    passed("fifo-5", "the poison message blocked group A until it moved to the FIFO DLQ; group B never waited.")


@checked("fifo-6")
def fifo_lambda_failures(cloud: Sandbox, make_fifo_handler: Callable[[Callable[[dict], None]], Any]) -> None:
    """The handler reports a failed record and the rest of its group, keeping order per group."""
    sqs = cloud.client("sqs")
    url = _fifo_queue(sqs, "fifo-lambda", VisibilityTimeout="30", ContentBasedDeduplication="true")
    for group, steps in (("A", ["a1", "a2", "a3"]), ("B", ["b1", "b2"])):
        for step in steps:
            sqs.send_message(QueueUrl=url, MessageBody=step, MessageGroupId=group)
    processed: list[str] = []
    failures_left = {"a2": 1}

    def process(record: dict) -> None:
        body = record["body"]
        if failures_left.get(body):
            failures_left[body] -= 1
            raise RuntimeError(f"{body}: payment service timed out")
        processed.append(body)

    handler = call_learner("fifo-6", make_fifo_handler, process)
    mapping = SqsEventSourceMapping(cloud, url, handler, batch_size=10, report_batch_item_failures=True,
                                    concurrency=1, function_timeout=10)
    mapping.run(120)
    a_order = [b for b in processed if b.startswith("a")]
    if a_order != ["a1", "a2", "a3"]:
        fail("fifo-6", f"group A was processed as {a_order}; it must be a1, a2, a3.",
             why="when a FIFO record fails, Lambda deletes every record not reported as failed. If a3 "
             "is not reported, it is processed and deleted before a2's retry: order broken. AWS "
             "requires a FIFO handler to stop at the first failure and report that record and every "
             "later one of the batch.",
             hint="after the first failure, add the remaining records to batchItemFailures too.")
    if [b for b in processed if b.startswith("b")] != ["b1", "b2"]:
        fail("fifo-6", "group B was not processed in order (or not at all).")
    if Counter(processed).most_common(1)[0][1] > 1:
        fail("fifo-6", f"a record was processed twice: {processed}.",
             hint="report as failed only records you did not process.")
    passed("fifo-6", "a failure held back the rest of the batch; every group stayed in order.")
