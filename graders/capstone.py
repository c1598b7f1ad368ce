"""Checks for 06_capstone_order_pipeline: structure, normal load, injected faults, extending the pipeline.

The pipeline: ``place_order`` → SNS topic → SQS billing and shipping queues (each with a
DLQ) → Lambda-style consumers → billing emits ``OrderBilled`` to an EventBridge bus → a rule sends it
to a Kinesis stream (analytics) and a Firehose delivery stream → S3 (archive); an EventBridge archive
keeps every event, so nothing unmatched is lost.

The fault harness (:class:`Harness`) drives the learner's pipeline with the course's consumers and
injects one fault at a time; :func:`faults` names the fault it found mishandled and why. :func:`fraud_screen`
judges an extension of the pipeline on its own topic.

Every bound a fault needs is stated in the notebook (``cap-1-md``, ``cap-3-md``) and named here once:
:data:`FUNCTION_TIMEOUT`, :data:`POISON_DEADLINE`, :data:`SLOW_SECONDS`. A check runs each fault for a
time derived from the learner's own queue settings, so every design within those bounds passes.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from course.aws.iam import role_decision
from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import CheckFailed
from graders.exercise import Exercise, declared_in
from graders.resources import drain_bodies, fresh_name, make_queue, queue_attributes, sns_message, stream_records
from graders.sns import POLICY_WHY, policy_problem

FUNCTION_TIMEOUT = 30  #: the consumers' Lambda function timeout, seconds
#: the stated bound: a message that always fails reaches the billing DLQ within this many seconds
POISON_DEADLINE = 3600
SLOW_SECONDS = 27  #: the slow-consumer fault: seconds billing takes per message (of the 30 s timeout)
SETTLE = 2 * FUNCTION_TIMEOUT + 60  #: after the last retry: time for the last invocations to finish
FRAUD_THRESHOLD = 100  #: cap-5: orders above this amount go to the fraud screen (stated in the task)
KEYS = ("topic_arn", "billing_queue_url", "shipping_queue_url", "bus_name", "stream_name",
        "delivery_stream_name", "bucket")

TARGET_ROLE_WHY = ("EventBridge writes to a Kinesis stream or a Firehose stream with the IAM role named in the "
                   "target (RoleArn): the role's trust policy must let events.amazonaws.com assume it, and its "
                   "permission policy must allow kinesis:PutRecord / firehose:PutRecord on the stream. PutTargets "
                   "refuses such a target without a role; a role EventBridge cannot use means lost events.")

#: This module's exercises, declared in graders/exercises/capstone.toml.
EXERCISES = declared_in("capstone")


# -- the harness ---------------------------------------------------------------------------------
@dataclass
class Harness:
    """Runs orders through a built pipeline with the learner's billing handler, for exercise ``ex``."""

    ex: Exercise
    cloud: Sandbox
    pipeline: dict
    make_billing_handler: Callable
    charges: Counter = field(default_factory=Counter)
    shipped: Counter = field(default_factory=Counter)
    fail_once: set = field(default_factory=set)  #: order ids whose first charge raises (a crash)
    processing_seconds: float = 1.0  #: how long billing takes per message
    billing: SqsEventSourceMapping | None = None  #: the billing consumer of the last run

    def charge(self, order_id: str, amount: float) -> None:
        if order_id in self.fail_once:
            self.fail_once.discard(order_id)
            raise ConnectionError(f"payment service timed out for {order_id}")
        self.charges[order_id] += 1

    def publish(self, order: dict | str) -> None:
        body = order if isinstance(order, str) else json.dumps(order)
        self.cloud.client("sns").publish(TopicArn=self.pipeline["topic_arn"], Message=body)

    def redrive(self) -> tuple[int, int]:
        """The billing queue's ``(maxReceiveCount, visibility timeout)``; maxReceiveCount 0 without a DLQ."""
        attributes = queue_attributes(self.cloud.client("sqs"), self.pipeline["billing_queue_url"])
        policy = json.loads(attributes.get("RedrivePolicy") or "{}")
        return int(policy.get("maxReceiveCount", 0)), int(attributes["VisibilityTimeout"])

    def retry_window(self) -> float:
        """How long this design needs to retry a failing message until the DLQ takes it, capped by the stated
        :data:`POISON_DEADLINE` (a design slower than that fails on its own terms, not on a hidden run time)."""
        receives, visibility = self.redrive()
        return min(max(receives, 1) * visibility, POISON_DEADLINE) + visibility + SETTLE

    def run(self, seconds: float | None = None) -> None:
        """Publishers done: let billing, then shipping, work; then let Firehose flush to S3."""
        seconds = self.retry_window() if seconds is None else seconds
        events = self.cloud.client("events")
        handler = self.ex.call_learner(self.make_billing_handler, self.charge, events, self.pipeline["bus_name"])

        def ship(event: dict, context: Any) -> None:
            for record in event["Records"]:
                self.shipped[_order_of(record["body"]).get("order_id")] += 1

        billing = SqsEventSourceMapping(self.cloud, self.pipeline["billing_queue_url"], handler, batch_size=1,
                                        function_timeout=FUNCTION_TIMEOUT, concurrency=10,  # Lambda scales out
                                        processing_seconds=self.processing_seconds)
        shipping = SqsEventSourceMapping(self.cloud, self.pipeline["shipping_queue_url"], ship, batch_size=5,
                                         function_timeout=FUNCTION_TIMEOUT)
        self.billing = billing
        billing.run(seconds)
        shipping.run(60)
        self.cloud.advance(901)  # Firehose's longest buffer interval: everything reaches S3

    # -- where things ended up --------------------------------------------------------------------
    def billed_in_stream(self) -> Counter:
        kinesis = self.cloud.client("kinesis")
        found: Counter = Counter()
        for records in stream_records(kinesis, self.pipeline["stream_name"]).values():
            for record in records:
                found[_detail(record["Data"]).get("order_id")] += 1
        return found

    def billed_in_s3(self) -> Counter:
        s3 = self.cloud.client("s3")
        found: Counter = Counter()
        for item in s3.list_objects_v2(Bucket=self.pipeline["bucket"]).get("Contents", []):
            for line in s3.get_object(Bucket=self.pipeline["bucket"], Key=item["Key"])["Body"].read().splitlines():
                if line.strip():
                    found[_detail(line).get("order_id")] += 1
        return found

    def dead_letters(self, queue_url: str) -> list[str]:
        sqs = self.cloud.client("sqs")
        policy = json.loads(queue_attributes(sqs, queue_url).get("RedrivePolicy") or "{}")
        dlq_name = policy.get("deadLetterTargetArn", ":").rsplit(":", 1)[-1]
        if not dlq_name:
            return []
        dlq = sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]
        return [m["Body"] for m in sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])]


def _order_of(body: str) -> dict:
    try:
        data = json.loads(sns_message(body))
        return data if isinstance(data, dict) else {}
    except (ValueError, TypeError):
        return {}


def _detail(data: bytes | str) -> dict:
    try:
        event = json.loads(data)
        return event.get("detail", {}) if isinstance(event, dict) else {}
    except ValueError:
        return {}


def orders(n: int, prefix: str = "o") -> list[dict]:
    """``n`` orders whose ids no earlier run used (``<prefix>-<random>-<i>``): a check run twice, or after
    another check, counts only its own orders in the stream and the archive."""
    run = uuid.uuid4().hex[:6]
    return [{"order_id": f"{prefix}-{run}-{i}", "amount": 10 + i, "region": "EU" if i % 2 else "US"}
            for i in range(n)]


def _built(ex: Exercise, cloud: Sandbox, build_pipeline: Callable) -> dict:
    try:
        pipeline = ex.call_learner(build_pipeline, cloud)
    except CheckFailed as failure:
        if "RoleArn is required" not in failure.problem:
            raise
        ex.fail("target-roles", "AWS refused a target of the bus's rule: it has no RoleArn.", why=TARGET_ROLE_WHY,
                hint="create a role for EventBridge (iam.create_role with a trust policy for events.amazonaws.com, "
                "then put_role_policy) and name it in both targets.")
    if not isinstance(pipeline, dict) or set(KEYS) - set(pipeline):
        ex.fail("returns-pipeline",
                f"build_pipeline must return a dict with the keys {', '.join(KEYS)}; got {pipeline!r:.200}.")
    unresolved = _unresolved(cloud, pipeline)
    if unresolved:
        ex.fail("returns-pipeline", unresolved[0], hint=unresolved[1])
    return pipeline


def _queue_exists(cloud: Sandbox, url: str) -> Any:
    return cloud.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])


#: key of the pipeline -> (what its value must name, how to look it up in the cloud)
_RESOURCES: dict[str, tuple[str, Callable[[Sandbox, Any], Any]]] = {
    "topic_arn": ("the ARN of an SNS topic", lambda c, v: c.client("sns").get_topic_attributes(TopicArn=v)),
    "billing_queue_url": ("the URL of an SQS queue", _queue_exists),
    "shipping_queue_url": ("the URL of an SQS queue", _queue_exists),
    "bus_name": ("the name of an EventBridge bus", lambda c, v: c.client("events").describe_event_bus(Name=v)),
    "stream_name": ("the name of a Kinesis stream",
                    lambda c, v: c.client("kinesis").describe_stream_summary(StreamName=v)),
    "delivery_stream_name": ("the name of a Firehose delivery stream",
                             lambda c, v: c.client("firehose").describe_delivery_stream(DeliveryStreamName=v)),
    "bucket": ("the name of an S3 bucket", lambda c, v: c.client("s3").head_bucket(Bucket=v)),
}
_RESOURCE_HINTS = {
    "billing_queue_url": "return the queue's URL (create_queue's response['QueueUrl']), not its ARN or name.",
    "shipping_queue_url": "return the queue's URL (create_queue's response['QueueUrl']), not its ARN or name.",
    "bucket": "create the bucket (s3.create_bucket): Firehose writes into an existing bucket, it does not create one.",
}


def _unresolved(cloud: Sandbox, pipeline: dict) -> tuple[str, str] | None:
    """``(problem, hint)`` when a value of the returned dict names no resource of its kind, or the delivery stream
    writes to another bucket than the one returned; None when every value names the pipeline's resource.

    Without this a queue's ARN returned as its URL, or a bucket never created, surfaces later as a check that
    cannot run ("the queue does not exist any more") or as a crash of the harness.
    """
    found = {}
    for key, (what, look_up) in _RESOURCES.items():
        try:
            found[key] = look_up(cloud, pipeline[key])
        except Exception:  # noqa: BLE001 - whatever it is, it names no such resource
            return (f"build_pipeline returned {key} = {pipeline[key]!r:.120}, which is not {what} that exists.",
                    _RESOURCE_HINTS.get(key, "return the names and ARNs of the resources build_pipeline created."))
    for destination in found["delivery_stream_name"]["DeliveryStreamDescription"].get("Destinations", []):
        s3 = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription") or {}
        target = s3.get("BucketARN", "").rsplit(":", 1)[-1]
        if target and target != pipeline["bucket"]:
            return (f"the delivery stream writes to the bucket {target!r}, not to {pipeline['bucket']!r}, the bucket "
                    "build_pipeline returned.", "the Firehose destination's BucketARN and the returned bucket must "
                    "name the same bucket, one that exists.")
    return None


# -- the graded parts ----------------------------------------------------------------------------
@EXERCISES["cap-1"].check
def structure(ex: Exercise, cloud: Sandbox, build_pipeline: Callable) -> None:
    """The resources exist and are wired the way AWS needs them."""
    pipeline = _built(ex, cloud, build_pipeline)
    sns, sqs, events, firehose = (cloud.client(s) for s in ("sns", "sqs", "events", "firehose"))
    topic = pipeline["topic_arn"]
    endpoints = {s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    for role in ("billing", "shipping"):
        url = pipeline[f"{role}_queue_url"]
        attributes = queue_attributes(sqs, url)
        if attributes["QueueArn"] not in endpoints:
            ex.fail("queue-subscribed", f"the {role} queue is not subscribed to the topic.")
        problem = policy_problem(attributes.get("Policy"), attributes["QueueArn"], topic)
        if problem:
            ex.fail("queue-policy", f"{role} queue: {problem}.", why=POLICY_WHY)
        if not attributes.get("RedrivePolicy"):
            ex.fail("queue-has-dlq", f"the {role} queue has no dead-letter queue.",
                    why="a poison message would be retried until it expires, wasting work and hiding the failure.")
        if int(attributes["VisibilityTimeout"]) < 6 * FUNCTION_TIMEOUT:
            ex.fail("visibility-6x",
                    f"the {role} queue's visibility timeout is {attributes['VisibilityTimeout']} s; its Lambda "
                    f"consumer has a {FUNCTION_TIMEOUT} s timeout.",
                    why="AWS recommends at least 6x the function timeout, or slow messages reappear and run twice.")
    rules = events.list_rules(EventBusName=pipeline["bus_name"])["Rules"]
    targets = {t["Arn"]: (r["Arn"], t) for r in rules
               for t in events.list_targets_by_rule(Rule=r["Name"], EventBusName=pipeline["bus_name"])["Targets"]}
    stream_arn = cloud.client("kinesis").describe_stream(StreamName=pipeline["stream_name"])["StreamDescription"]["StreamARN"]
    firehose_arn = firehose.describe_delivery_stream(DeliveryStreamName=pipeline["delivery_stream_name"])["DeliveryStreamDescription"]["DeliveryStreamARN"]
    for name, arn, action in (("Kinesis stream", stream_arn, "kinesis:PutRecord"),
                              ("Firehose delivery stream", firehose_arn, "firehose:PutRecord")):
        if arn not in targets:
            ex.fail("rule-targets", f"no rule on the bus sends to the {name}.")
        rule_arn, target = targets[arn]
        decision = role_decision(target.get("RoleArn", ""), service="events.amazonaws.com", action=action,
                                 resource=arn, context={"aws:SourceArn": rule_arn, "aws:SourceAccount": cloud.account_id})
        if not decision.allowed:
            ex.fail("target-roles", f"EventBridge could not write to the {name}: {decision.reason}.",
                    why=TARGET_ROLE_WHY)
    _keyed_by_order(ex, cloud, pipeline)
    ex.passed("topic, queues with policies and DLQs, bus rule to Kinesis (keyed by order) and Firehose with a "
              "role: all wired.")


def _keyed_by_order(ex: Exercise, cloud: Sandbox, pipeline: dict) -> None:
    """Put OrderBilled events of two orders (one of them twice) on the bus; read their partition keys."""
    events, kinesis = cloud.client("events"), cloud.client("kinesis")
    probe = orders(2, prefix="probe")
    for order in (probe[0], probe[1], probe[0]):
        events.put_events(Entries=[{"EventBusName": pipeline["bus_name"], "Source": "com.shop.billing",
                                    "DetailType": "OrderBilled", "Detail": json.dumps(order)}])
    keys: dict[str, set[str]] = {o["order_id"]: set() for o in probe}
    for records in stream_records(kinesis, pipeline["stream_name"]).values():
        for record in records:
            order_id = _detail(record["Data"]).get("order_id")
            if order_id in keys:
                keys[order_id].add(record["PartitionKey"])
    first, second = (keys[o["order_id"]] for o in probe)
    why = ("Kinesis keeps order only within a shard, and the partition key picks the shard. Without "
           "KinesisParameters, EventBridge uses each event's id as the key: one order's events scatter over the "
           "shards and a consumer can see them out of order. A constant key puts every order on one hot shard.")
    if not first or not second:
        ex.fail("rule-targets", "an OrderBilled event put on the bus did not reach the Kinesis stream.",
                hint="the rule's pattern must match source com.shop.billing, detail-type OrderBilled.")
    if len(first) > 1:
        ex.fail("stream-keyed-by-order", "two OrderBilled events of the same order were written to the stream "
                "with different partition keys.", why=why,
                hint="give the stream target KinesisParameters with a PartitionKeyPath to the order id in the event.")
    if first == second:
        ex.fail("stream-keyed-by-order", "OrderBilled events of two different orders were written to the stream "
                "with the same partition key.", why=why,
                hint="the PartitionKeyPath must point to the order id in the event's detail.")


@EXERCISES["cap-2"].check
def normal_load(ex: Exercise, cloud: Sandbox,
                build_pipeline: Callable, make_billing_handler: Callable, *, count: int = 12) -> None:
    """Every order is charged once, shipped, and reaches Kinesis and S3."""
    harness = Harness(ex, cloud, _built(ex, cloud, build_pipeline), make_billing_handler)
    batch = orders(count)
    for order in batch:
        harness.publish(order)
    harness.run()
    expected = {o["order_id"] for o in batch}
    _no_loss_no_double(ex, harness, expected)
    ex.passed(f"{count} orders: charged once each, shipped, in the analytics stream and in S3.")


def _no_loss_no_double(ex: Exercise, harness: Harness, expected: set[str]) -> None:
    missing = sorted(expected - set(harness.charges))
    if missing:
        ex.fail("every-order-charged", f"orders never charged: {missing[:5]}.",
                hint="the billing handler must charge every record; the SQS body is the SNS envelope unless "
                "raw delivery is on.")
    doubled = sorted(o for o, n in harness.charges.items() if n > 1)
    if doubled:
        ex.fail("charged-once", f"orders charged more than once: {doubled[:5]}.",
                why="SQS delivers at least once, and producers retry: only an idempotent consumer is safe.",
                hint="remember charged order ids and skip repeats.")
    unshipped = sorted(expected - set(harness.shipped))
    if unshipped and harness.pipeline["billing_queue_url"] == harness.pipeline["shipping_queue_url"]:
        ex.fail("every-order-shipped", f"billing and shipping share one queue, and billing took {unshipped[:5]}.",
                why="a queue gives each message to ONE of its consumers: two services that must both see every "
                "order each need a queue of their own, subscribed to the topic (SNS fans out, SQS does not).",
                hint="create a shipping queue beside the billing queue and subscribe both to the topic.")
    if unshipped:
        ex.fail("every-order-shipped", f"orders that never reached the shipping queue: {unshipped[:5]}.")
    for place, found in (("Kinesis stream", harness.billed_in_stream()), ("S3 archive", harness.billed_in_s3())):
        lost = sorted(expected - set(found))
        if lost:
            ex.fail("billed-event-delivered", f"OrderBilled events missing from the {place}: {lost[:5]}.",
                    hint="after charging, put_events an OrderBilled event (detail with order_id and amount) "
                    "on the bus; its rule must target the stream and the delivery stream.")
        twice = sorted(o for o in expected if found[o] > 1)
        if twice:
            ex.fail("billed-once", f"orders billed twice in the {place}: {twice[:5]}.",
                    hint="emit OrderBilled only when you actually charged.")


#: each fault, what it does and the bound within which the design must cope (as ``cap-3-md`` states them)
FAULT_LESSONS = {
    "crash": "the payment service failed once for one order (a transient error): the message must reappear after "
             "the visibility timeout and be charged then - so the handler must not swallow the error, and "
             "maxReceiveCount must allow at least one retry.",
    "poison": "a malformed message must end in the billing DLQ after maxReceiveCount receives, within the hour "
              "the exercise allows, without blocking the other orders.",
    "slow": f"billing took {SLOW_SECONDS} s of a {FUNCTION_TIMEOUT} s timeout: the visibility timeout must outlast "
            "it, and the handler must stay idempotent.",
    "duplicate": "the API published the same order twice: charge it once, and bill it once.",
}


@EXERCISES["cap-3"].check
def faults(ex: Exercise, cloud: Sandbox,
           build_pipeline: Callable, make_billing_handler: Callable, *, fault: str = "crash") -> None:
    """One injected fault: ``crash``, ``poison``, ``slow`` or ``duplicate``.

    The run lasts as long as the learner's design needs to retry a failing message into the DLQ
    (:meth:`Harness.retry_window`), never longer than the stated :data:`POISON_DEADLINE`.
    """
    harness = Harness(ex, cloud, _built(ex, cloud, build_pipeline), make_billing_handler)
    batch = orders(6, prefix=fault)
    expected = {o["order_id"] for o in batch}
    if fault == "crash":
        harness.fail_once = {batch[2]["order_id"]}
    elif fault == "slow":
        harness.processing_seconds = SLOW_SECONDS
    for order in batch:
        harness.publish(order)
    if fault == "duplicate":
        harness.publish(batch[1])  # the API retried after a timeout
    poison = f"{{this is not an order {uuid.uuid4().hex[:6]}"
    if fault == "poison":
        harness.publish(poison)
    try:
        harness.run()
    except CheckFailed:
        raise  # the answer itself failed (not a function, not answered, raised): its own lesson
    except Exception as error:  # noqa: BLE001 - a consumer that dies on a poison message
        ex.fail("pipeline-survives", f"[{fault}] the pipeline crashed: {type(error).__name__}: {error}")
    try:
        _no_loss_no_double(ex, harness, expected)
    except CheckFailed as failure:  # the same requirement, told as this fault's lesson
        problem = f"under the fault '{fault}': {failure.problem}"
        receives, _ = harness.redrive()
        if fault == "crash" and receives == 1 and failure.requirement.endswith("/every-order-charged"):
            problem += (" The billing queue's maxReceiveCount is 1: the first failure sends the message to the DLQ, "
                        "with no retry.")
        raise failure.retold(problem, why=FAULT_LESSONS[fault], hint=failure.hint) from None
    if fault == "poison":
        _poison_in_dlq(ex, harness, poison)
    ex.passed(f"fault '{fault}' handled: nothing lost, nothing charged twice.")


def _poison_in_dlq(ex: Exercise, harness: Harness, poison: str) -> None:
    dead = harness.dead_letters(harness.pipeline["billing_queue_url"])
    if poison in [sns_message(body) for body in dead]:
        return
    receives, visibility = harness.redrive()
    retried = harness.billing is not None and any(
        poison in [sns_message(body) for body in invocation.bodies] and invocation.outcome == "ok"
        for invocation in harness.billing.invocations)
    if retried:
        ex.fail("poison-in-dlq", "fault 'poison': your handler returned normally for a message it could not read, so "
                "it was deleted - neither charged nor kept anywhere.", why=FAULT_LESSONS["poison"],
                hint="let the handler raise on a message it cannot parse; the DLQ takes it after maxReceiveCount.")
    if receives and receives * visibility > POISON_DEADLINE:
        ex.fail("poison-in-dlq", f"fault 'poison': with maxReceiveCount {receives} and a {visibility} s visibility "
                f"timeout, a message that always fails reaches the DLQ only after {receives * visibility} s - later "
                "than the exercise allows.", why=FAULT_LESSONS["poison"],
                hint="maxReceiveCount x visibility timeout must fit in the stated time.")
    ex.fail("poison-in-dlq", f"fault 'poison' was mishandled: {FAULT_LESSONS['poison']}",
            hint="let the handler raise on a message it cannot parse; the DLQ takes it after maxReceiveCount.")


@EXERCISES["cap-4"].check
def nothing_lost(ex: Exercise, cloud: Sandbox, build_pipeline: Callable) -> None:
    """An event no rule matches is still kept (an archive on the bus).

    Judges the event it puts itself: the archives' counts before and after, not what earlier cells left.
    """
    pipeline = _built(ex, cloud, build_pipeline)
    events = cloud.client("events")
    bus_arn = events.describe_event_bus(Name=pipeline["bus_name"])["Arn"]
    archives = [a["ArchiveName"] for a in events.list_archives(EventSourceArn=bus_arn)["Archives"]]
    if not archives:
        ex.fail("has-archive", "the bus has no archive: an event that matches no rule is dropped without a trace.",
                why="EventBridge delivers only to matching rules; an archive (or a catch-all rule) keeps every event "
                "so it can be inspected and replayed after a fix.",
                hint="events.create_archive(ArchiveName=..., EventSourceArn=<bus ARN>).")

    def counts() -> dict[str, int]:
        return {name: events.describe_archive(ArchiveName=name).get("EventCount", 0) for name in archives}

    before = counts()
    events.put_events(Entries=[{"EventBusName": pipeline["bus_name"], "Source": "com.shop.returns",
                                "DetailType": "ReturnOpened",
                                "Detail": json.dumps({"order_id": f"return-{uuid.uuid4().hex[:6]}"})}])
    after = counts()
    if not any(after[name] > before[name] for name in archives):
        ex.fail("archive-keeps-unmatched",
                "the archive did not keep an event no rule matches (a ReturnOpened event from another source).",
                why="an archive with an event pattern keeps only what matches it: a new kind of event - the one "
                "nobody handles yet - is exactly what it drops.",
                hint="give the archive no event pattern, so it keeps everything.")
    ex.passed("unmatched events are archived, ready to replay.")


# -- 5. extending the pipeline: a fraud screen ----------------------------------------------------
FRAUD_PROBES = [  # (order, should reach the fraud queue): boundaries, decimals, non-ASCII text
    ({"order_id": "f-1", "amount": 250, "customer": "Zoë Ølund"}, True),
    ({"order_id": "f-2", "amount": FRAUD_THRESHOLD, "customer": "Ana"}, False),
    ({"order_id": "f-3", "amount": FRAUD_THRESHOLD + 0.01, "customer": "Bo"}, True),
    ({"order_id": "f-4", "amount": 12.5, "customer": "李雷"}, False),
    ({"order_id": "f-5", "amount": 10_000, "customer": "Cy"}, True),
]


@EXERCISES["cap-5"].check
def fraud_screen(ex: Exercise, cloud: Sandbox, add_fraud_screen: Callable[[Any, Any, str], str]) -> None:
    """``add_fraud_screen(sns, sqs, topic_arn)`` -> the URL of a queue that gets every order above the threshold.

    The check builds its own topic with a billing-like subscriber, publishes orders as ``place_order`` does
    (the order JSON, no message attributes) and judges where each one arrived.
    """
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=fresh_name("orders"))["TopicArn"]
    other_url, other_arn = make_queue(sqs, fresh_name("billing"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=other_arn)
    url = ex.call_learner(add_fraud_screen, cloud.client("sns"), cloud.client("sqs"), topic)
    if not isinstance(url, str):
        ex.fail("returns-queue-url", f"add_fraud_screen returned {type(url).__name__}; return the fraud queue's URL.")
    try:
        attributes = queue_attributes(sqs, url)
    except Exception:  # noqa: BLE001 - whatever was returned, it is not a queue's URL
        ex.fail("returns-queue-url", "add_fraud_screen did not return the URL of an existing queue.",
                hint="create_queue's response has it: response['QueueUrl'].")
    subscriptions = [s for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
                     if s["Endpoint"] == attributes["QueueArn"]]
    if not subscriptions:
        ex.fail("queue-subscribed", "the fraud queue is not subscribed to the topic.",
                why="the screen must see each order when it is placed, before billing: its copy comes from the "
                "orders topic (fan-out), not from the bus, which only hears of an order once it is billed.",
                hint="sns.subscribe(TopicArn=..., Protocol='sqs', Endpoint=<queue ARN>).")
    problem = policy_problem(attributes.get("Policy"), attributes["QueueArn"], topic)
    if problem:
        ex.fail("queue-policy", f"fraud queue: {problem}.", why=POLICY_WHY)
    for order, _ in FRAUD_PROBES:
        sns.publish(TopicArn=topic, Message=json.dumps(order, ensure_ascii=False))
    got = drain_bodies(sqs, url)
    arrived = {}
    for body in got:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not (isinstance(data, dict) and "order_id" in data):
            ex.fail("order-is-body", "a fraud message's body is not the order JSON: "
                    + ("it is the SNS envelope." if isinstance(data, dict) and "Message" in data else "it is not JSON."),
                    why="the fraud team's consumer reads the order from the body; without raw message delivery SNS "
                    "wraps it in its JSON envelope (Type, MessageId, Message, ...).",
                    hint="subscribe with Attributes={'RawMessageDelivery': 'true'}.")
        arrived[data["order_id"]] = data
    filter_why = ("the orders are published as JSON with no message attributes, so a filter policy must look at the "
                  "message body (FilterPolicyScope MessageBody); SNS then drops the other orders before they "
                  "are delivered - the fraud team pays for no message it does not need.")
    for order, wanted in FRAUD_PROBES:
        if wanted and order["order_id"] not in arrived:
            ex.fail("large-orders-arrive", f"an order of {order['amount']} did not reach the fraud queue.",
                    why=filter_why, hint="a numeric filter on amount, above the threshold, in the body's scope.")
        if wanted and arrived[order["order_id"]] != order:
            ex.fail("order-is-body", f"the order of {order['amount']} arrived changed: {arrived[order['order_id']]!r}.")
        if not wanted and order["order_id"] in arrived:
            ex.fail("small-orders-filtered", f"an order of {order['amount']} reached the fraud queue; only orders "
                    "above the threshold may.", why=filter_why,
                    hint="a numeric condition that excludes the threshold itself ('>', not '>=').")
    others = [sns_message(body) for body in drain_bodies(sqs, other_url)]
    if len(others) != len(FRAUD_PROBES):
        ex.fail("others-unchanged", f"the topic's other subscriber received {len(others)} of the "
                f"{len(FRAUD_PROBES)} orders placed.",
                why="a filter policy belongs to one subscription: billing and shipping must still get every order.",
                hint="set the filter policy on the fraud queue's subscription only.")
    ex.passed("orders above the threshold reach the fraud screen as plain JSON; SNS filters the rest, and the "
              "other subscribers still get every order.")
