"""Checks for 06_capstone_order_pipeline: structure, normal load, injected faults, service choice.

The pipeline (seed 004): ``place_order`` → SNS topic → SQS billing and shipping queues (each with a
DLQ) → Lambda-style consumers → billing emits ``OrderBilled`` to an EventBridge bus → a rule sends it
to a Kinesis stream (analytics) and a Firehose delivery stream → S3 (archive); an EventBridge archive
keeps every event, so nothing unmatched is lost.

The fault harness (:class:`Harness`) drives the learner's pipeline with the course's consumers and
injects one fault at a time; each ``check_*`` names the fault it found mishandled and why.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from course.aws.iam import role_decision
from course.aws.lambdas import SqsEventSourceMapping
from course.sandbox import Sandbox
from graders.check import CheckFailed
from graders.exercise import Exercise
from graders.resources import queue_attributes, sns_message, stream_records
from graders.sns import POLICY_WHY, policy_problem

FUNCTION_TIMEOUT = 30  #: the consumers' Lambda function timeout, seconds
KEYS = ("topic_arn", "billing_queue_url", "shipping_queue_url", "bus_name", "stream_name",
        "delivery_stream_name", "bucket")

#: Judged by :func:`_built`, for every capstone check that builds the pipeline.
PIPELINE_REQUIREMENTS = {
    "returns-pipeline": "build_pipeline returns a dict with every key of the pipeline",
    "target-roles": "the stream and Firehose targets name a role EventBridge may assume to write to them",
}
TARGET_ROLE_WHY = ("EventBridge writes to a Kinesis stream or a Firehose stream with the IAM role named in the "
                   "target (RoleArn): the role's trust policy must let events.amazonaws.com assume it, and its "
                   "permission policy must allow kinesis:PutRecord / firehose:PutRecord on the stream. PutTargets "
                   "refuses such a target without a role; a role EventBridge cannot use means lost events.")
#: Judged by :func:`_no_loss_no_double`, under normal load and under each fault.
DELIVERY_REQUIREMENTS = {
    "every-order-charged": "every order is charged",
    "charged-once": "no order is charged twice",
    "every-order-shipped": "every order reaches the shipping queue",
    "billed-event-delivered": "an OrderBilled event reaches the Kinesis stream and the S3 archive for every order",
    "billed-once": "no order is billed twice in the stream or the archive",
}

CAP_1 = Exercise("cap-1", "The pipeline's structure", {
    **PIPELINE_REQUIREMENTS,
    "queue-subscribed": "the billing and shipping queues are subscribed to the topic",
    "queue-policy": "each queue's access policy lets exactly the topic send",
    "queue-has-dlq": "each queue has a dead-letter queue",
    "visibility-6x": "each queue's visibility timeout is at least 6x its consumer's function timeout",
    "rule-targets": "a rule on the bus sends to the Kinesis stream and to the Firehose delivery stream",
})
CAP_2 = Exercise("cap-2", "Normal load", {**PIPELINE_REQUIREMENTS, **DELIVERY_REQUIREMENTS})
CAP_3 = Exercise("cap-3", "Injected faults", {
    **PIPELINE_REQUIREMENTS,
    **DELIVERY_REQUIREMENTS,
    "pipeline-survives": "the pipeline keeps running under the fault",
    "poison-in-dlq": "a malformed message ends in the billing DLQ",
})
CAP_4 = Exercise("cap-4", "Nothing lost", {
    **PIPELINE_REQUIREMENTS,
    "has-archive": "the bus has an archive",
    "archive-keeps-unmatched": "the archive keeps an event no rule matches",
})
CAP_5 = Exercise("cap-5", "Choosing the service", {
    "returns-mapping": "choose_services returns a dict: scenario -> service",
    "services-chosen": "each scenario is matched to the service the pattern table gives",
})


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

    def charge(self, order_id: str, amount: float) -> None:
        if order_id in self.fail_once:
            self.fail_once.discard(order_id)
            raise ConnectionError(f"payment service timed out for {order_id}")
        self.charges[order_id] += 1

    def publish(self, order: dict | str) -> None:
        body = order if isinstance(order, str) else json.dumps(order)
        self.cloud.client("sns").publish(TopicArn=self.pipeline["topic_arn"], Message=body)

    def run(self, seconds: float = 900) -> None:
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
    return [{"order_id": f"{prefix}-{i}", "amount": 10 + i, "region": "EU" if i % 2 else "US"} for i in range(n)]


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
    return pipeline


# -- the graded parts ----------------------------------------------------------------------------
@CAP_1.check
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
    ex.passed("topic, queues with policies and DLQs, bus rule to Kinesis and Firehose with a role: all wired.")


@CAP_2.check
def normal_load(ex: Exercise, cloud: Sandbox,
                build_pipeline: Callable, make_billing_handler: Callable, *, count: int = 12) -> None:
    """Every order is charged once, shipped, and reaches Kinesis and S3."""
    harness = Harness(ex, cloud, _built(ex, cloud, build_pipeline), make_billing_handler)
    for order in orders(count):
        harness.publish(order)
    harness.run()
    expected = {o["order_id"] for o in orders(count)}
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


@CAP_3.check
def faults(ex: Exercise, cloud: Sandbox,
           build_pipeline: Callable, make_billing_handler: Callable, *, fault: str = "crash") -> None:
    """One injected fault: ``crash``, ``poison``, ``slow`` or ``duplicate``."""
    harness = Harness(ex, cloud, _built(ex, cloud, build_pipeline), make_billing_handler)
    batch = orders(6, prefix=fault)
    expected = {o["order_id"] for o in batch}
    if fault == "crash":
        harness.fail_once = {batch[2]["order_id"]}
    elif fault == "slow":
        harness.processing_seconds = FUNCTION_TIMEOUT * 0.9
    for order in batch:
        harness.publish(order)
    if fault == "duplicate":
        harness.publish(batch[1])  # the API retried after a timeout
    if fault == "poison":
        harness.publish("{this is not an order")
    try:
        harness.run(1500)  # long enough for maxReceiveCount retries with a 180 s visibility timeout
    except CheckFailed:
        raise  # the answer itself failed (not a function, not answered, raised): its own lesson
    except Exception as error:  # noqa: BLE001 - a consumer that dies on a poison message
        ex.fail("pipeline-survives", f"[{fault}] the pipeline crashed: {type(error).__name__}: {error}")
    lessons = {
        "crash": "a consumer crashed once (payment service timeout): the message must reappear after the "
                 "visibility timeout and be processed then - so the handler must not swallow the error.",
        "poison": "a malformed message must end in the billing DLQ after maxReceiveCount, not block or loop.",
        "slow": "billing took 27 s of a 30 s timeout: the visibility timeout must outlast it, and the "
                "handler must stay idempotent.",
        "duplicate": "the API published the same order twice: charge it once.",
    }
    try:
        _no_loss_no_double(ex, harness, expected)
    except CheckFailed as failure:  # the same requirement, told as this fault's lesson
        raise failure.retold(f"under the fault '{fault}': {failure.problem}", why=lessons[fault]) from None
    if fault == "poison":
        dead = harness.dead_letters(harness.pipeline["billing_queue_url"])
        if not any("this is not an order" in body for body in dead):
            ex.fail("poison-in-dlq", f"fault 'poison' was mishandled: {lessons['poison']}",
                    hint="let the handler raise on a message it cannot parse; the DLQ takes it after maxReceiveCount.")
    ex.passed(f"fault '{fault}' handled: nothing lost, nothing charged twice.")


@CAP_4.check
def nothing_lost(ex: Exercise, cloud: Sandbox, build_pipeline: Callable) -> None:
    """An event no rule matches is still kept (an archive on the bus)."""
    pipeline = _built(ex, cloud, build_pipeline)
    events = cloud.client("events")
    bus_arn = events.describe_event_bus(Name=pipeline["bus_name"])["Arn"]
    archives = [a for a in events.list_archives(EventSourceArn=bus_arn)["Archives"]]
    if not archives:
        ex.fail("has-archive", "the bus has no archive: an event that matches no rule is dropped without a trace.",
                why="EventBridge delivers only to matching rules; an archive (or a catch-all rule) keeps every event "
                "so it can be inspected and replayed after a fix.",
                hint="events.create_archive(ArchiveName=..., EventSourceArn=<bus ARN>).")
    events.put_events(Entries=[{"EventBusName": pipeline["bus_name"], "Source": "com.shop.returns",
                                "DetailType": "ReturnOpened", "Detail": json.dumps({"order_id": "o-x"})}])
    detail = events.describe_archive(ArchiveName=archives[0]["ArchiveName"])
    if detail.get("EventCount", 0) < 1:
        ex.fail("archive-keeps-unmatched",
                "the archive did not keep an unmatched event: give it no event pattern (keep everything).")
    ex.passed("unmatched events are archived, ready to replay.")


SCENARIOS = {
    "resize every uploaded image once, with retries": "SQS",
    "an order event must reach billing, shipping and analytics independently": "SNS+SQS",
    "route events by any field, including SaaS partner events": "EventBridge",
    "ordered clickstream read by three independent consumers, replayable for 7 days": "Kinesis",
    "load streaming logs into S3 and OpenSearch with no consumer code": "Firehose",
}
WHY = {
    "SQS": "one consumer group working through jobs: point-to-point with retries and a DLQ",
    "SNS+SQS": "fan-out: each service gets its own durable queue",
    "EventBridge": "content-based routing on any field, AWS and SaaS sources",
    "Kinesis": "an ordered, replayable stream read by several consumers independently",
    "Firehose": "managed delivery to S3, Redshift, OpenSearch, Splunk - no code, near-real-time",
}


@CAP_5.check
def service_choice(ex: Exercise, cloud: Sandbox, choose_services: Callable[[list[str]], dict]) -> None:
    """``choose_services(scenarios)`` maps each scenario to SQS, SNS+SQS, EventBridge, Kinesis or Firehose."""
    answer = ex.call_learner(choose_services, list(SCENARIOS))
    if not isinstance(answer, dict):
        ex.fail("returns-mapping", "return a dict: scenario -> service.")
    wrong = []
    for scenario, best in SCENARIOS.items():
        chosen = str(answer.get(scenario, "")).replace(" ", "")
        if chosen != best:
            what = f"{chosen} is for {WHY[chosen]}" if chosen in WHY else f"{chosen!r} is not one of {', '.join(WHY)}"
            wrong.append(f"{scenario!r}: {what} - not what this scenario needs")
    if wrong:
        ex.fail("services-chosen",
                f"{len(wrong)} of {len(SCENARIOS)} choices differ from the pattern table:\n  - " + "\n  - ".join(wrong))
    ex.passed("every scenario matched to the service the pattern table gives.")
