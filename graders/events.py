"""Checks for 04_eventbridge_routing: rules and patterns, input shaping, targets, replay, retries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from course.aws.events.permissions import failed_deliveries
from course.aws.iam import allows, service_may_assume, service_may_send
from course.sandbox import Sandbox
from graders.check import CheckFailed
from graders.exercise import Exercise, declared_in
from graders.resources import drain_bodies as _drain
from graders.resources import fresh_name as _name
from graders.resources import make_queue
from graders.resources import make_target_queue as _queue
from graders.resources import routed_or_fail
from graders.resources import stream_records

EVENTS_PRINCIPAL = "events.amazonaws.com"

#: This module's exercises, declared in graders/exercises/events.toml.
EXERCISES = declared_in("events")


def _bus_with_rule(events: Any, rule_prefix: str, pattern: dict) -> tuple[str, str]:
    """A fresh bus with one rule matching ``pattern``; returns ``(bus, rule)``."""
    bus, rule = _name("bus"), _name(rule_prefix)
    events.create_event_bus(Name=bus)
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern))
    return bus, rule


def _rule_to_queue(ex: Exercise, events: Any, sqs: Any, answer: Callable[[Any, str, str, str], None],
                   rule: tuple[str, dict], queue_prefix: str) -> tuple[str, str, str, str]:
    """A fresh bus with ``rule`` (prefix, pattern) and a fresh queue, given to ``answer(events, bus, rule, queue_arn)``.

    Returns ``(bus, rule, queue_url, queue_arn)``.
    """
    bus, rule_name = _bus_with_rule(events, *rule)
    url, arn = _queue(sqs, _name(queue_prefix))
    ex.call_learner(answer, events, bus, rule_name, arn)
    return bus, rule_name, url, arn


def _put(events: Any, bus: str, source: str, detail_type: str, detail: dict) -> None:
    response = events.put_events(Entries=[{"EventBusName": bus, "Source": source, "DetailType": detail_type,
                                           "Detail": json.dumps(detail)}])
    if response["FailedEntryCount"]:
        raise AssertionError(f"put_events failed: {response['Entries']}")


ROUTING_EVENTS = [
    # (description, source, detail-type, detail, expected destinations)
    ("a 900 order from the US", "com.shop.orders", "OrderPlaced", {"amount": 900, "region": "US"}, {"approvals"}),
    ("a 500 order from the EU", "com.shop.orders", "OrderPlaced", {"amount": 500, "region": "EU"}, {"eu"}),
    ("a 501 order from the EU", "com.shop.orders", "OrderPlaced", {"amount": 501, "region": "EU"}, {"approvals", "eu"}),
    ("a 900 refund from the US", "com.shop.orders", "OrderRefunded", {"amount": 900, "region": "US"}, set()),
    ("a 900 order from another source", "com.partner.orders", "OrderPlaced", {"amount": 900, "region": "US"}, set()),
    ("an EU refund", "com.shop.orders", "OrderRefunded", {"amount": 20, "region": "EU"}, {"eu"}),
    ("an EU event from another source", "com.shop.returns", "ReturnOpened", {"region": "EU"}, {"eu"}),
]


@EXERCISES["ev-1"].check
def routing(ex: Exercise, cloud: Sandbox,
            route_orders: Callable[[Any, str, str, str], None], *, events_table: list | None = None) -> None:
    """``route_orders(events, bus, approvals_arn, eu_arn)``: big OrderPlaced to approvals, EU to the EU queue."""
    table = events_table or ROUTING_EVENTS
    events, sqs = cloud.client("events"), cloud.client("sqs")
    bus = _name("shop")
    events.create_event_bus(Name=bus)
    queues = {"approvals": _queue(sqs, _name("approvals")), "eu": _queue(sqs, _name("eu"))}
    ex.call_learner(route_orders, events, bus, queues["approvals"][1], queues["eu"][1])
    rules = events.list_rules(EventBusName=bus)["Rules"]
    if not rules:
        ex.fail("rules-exist", f"there are no rules on the bus {bus!r}.",
                hint="put_rule(Name=..., EventBusName=bus, EventPattern=json.dumps(...)), then put_targets.")
    for index, (_, source, detail_type, detail, _) in enumerate(table):
        _put(events, bus, source, detail_type, {"n": index, **detail})
    delivered = {name: [json.loads(body)["detail"]["n"] for body in _drain(sqs, url)]
                 for name, (url, _) in queues.items()}
    routed_or_fail(ex, [(description, want) for description, _, _, _, want in table], delivered,
                   why="a rule delivers an event when every field of its pattern matches (fields are ANDed, "
                   "values in a list are ORed); an event can match several rules and reach each of their targets.",
                   hint="check each astray event against your patterns: source, detail-type, numeric "
                   "operator (> vs >=) and the path under detail.")
    ex.passed(f"{len(table)} events, each routed to exactly the right queues.")


PATTERN_EVENTS = [
    ("com.shop.orders, OrderPlaced, customer id", {"source": "com.shop.orders", "detail-type": "OrderPlaced",
                                                   "detail": {"customer": {"id": "c-1"}}}, True),
    ("com.shop.billing, InvoicePaid, customer id", {"source": "com.shop.billing", "detail-type": "InvoicePaid",
                                                    "detail": {"customer": {"id": "c-2"}}}, True),
    ("a Heartbeat", {"source": "com.shop.orders", "detail-type": "Heartbeat", "detail": {"customer": {"id": "c-1"}}}, False),
    ("no customer id", {"source": "com.shop.orders", "detail-type": "OrderPlaced", "detail": {"customer": {}}}, False),
    ("com.shopify", {"source": "com.shopify.orders", "detail-type": "OrderPlaced", "detail": {"customer": {"id": "c"}}}, False),
    ("aws.ec2", {"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                 "detail": {"customer": {"id": "c"}}}, False),
]


@EXERCISES["ev-2"].check
def pattern(ex: Exercise, cloud: Sandbox,
            customer_events_pattern: Callable[[], dict], *, table: list | None = None) -> None:
    """``customer_events_pattern()`` returns a pattern; it is judged by AWS's TestEventPattern on a table."""
    table = table or PATTERN_EVENTS
    events = cloud.client("events")
    chosen = ex.call_learner(customer_events_pattern)
    if not isinstance(chosen, dict):
        ex.fail("returns-pattern", f"the function returned {type(chosen).__name__}; return the pattern as a dict.")
    base = {"version": "0", "id": "1", "account": cloud.account_id, "time": "2026-01-01T00:00:00Z",
            "region": cloud.region, "resources": []}
    wrong = []
    for description, event, expected in table:
        result = events.test_event_pattern(EventPattern=json.dumps(chosen), Event=json.dumps({**base, **event}))["Result"]
        if result != expected:
            wrong.append(f"{description}: {'matched' if result else 'did not match'}, should "
                         f"{'' if expected else 'not '}match")
    if wrong:
        ex.fail("events-judged", "the pattern judges some events wrongly:\n  - " + "\n  - ".join(wrong),
                hint='use {"prefix": "com.shop."} for the source (with the dot), {"anything-but": ...} for the '
                'detail-type and {"exists": true} for the customer id.')
    ex.passed(f"the pattern is valid and judges all {len(table)} events as intended.")


@EXERCISES["ev-3"].check
def transformer(ex: Exercise, cloud: Sandbox, add_notification_target: Callable[[Any, str, str, str], None]) -> None:
    """The target receives ``{"order": <id>, "total": <amount>, "customer": <email>}``, nothing else."""
    events, sqs = cloud.client("events"), cloud.client("sqs")
    bus, _, url, _ = _rule_to_queue(ex, events, sqs, add_notification_target,
                                    ("notify", {"detail-type": ["OrderPlaced"]}), "notifications")
    detail = {"order_id": "o-42", "amount": 99.5, "customer": {"email": "ana@example.com", "tier": "gold"}}
    _put(events, bus, "com.shop.orders", "OrderPlaced", detail)
    bodies = _drain(sqs, url)
    if len(bodies) != 1:
        ex.fail("one-message",
                f"{len(bodies)} messages reached the queue for one event.", hint="add exactly one target.")
    try:
        got = json.loads(bodies[0])
    except ValueError:
        ex.fail("json-message", f"the queue received {bodies[0]!r}, which is not JSON.")
    want = {"order": "o-42", "total": 99.5, "customer": "ana@example.com"}
    if got != want:
        ex.fail("fields-shaped", f"the queue received {json.dumps(got)[:200]}",
                why="an input transformer picks values out of the event with InputPathsMap and writes them "
                "into InputTemplate; numbers stay numbers when the placeholder is not in quotes.",
                hint='InputPathsMap {"order": "$.detail.order_id", ...} and a template like '
                '{"order": <order>, ...}.')
    ex.passed("the notification service receives only the three fields it needs.")


@EXERCISES["ev-4"].check
def fanout_targets(ex: Exercise, cloud: Sandbox,
                   add_targets: Callable[[Any, str, str, str, str, str], None]) -> None:
    """Audit stream (Kinesis, partition key = order id) and alerts topic (SNS) on one rule."""
    events, sqs, sns, kinesis = (cloud.client(s) for s in ("events", "sqs", "sns", "kinesis"))
    bus, rule = _bus_with_rule(events, "orders", {"source": ["com.shop.orders"]})
    stream = _name("audit")
    kinesis.create_stream(StreamName=stream, ShardCount=2)
    stream_arn = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["StreamARN"]
    topic = sns.create_topic(Name=_name("alerts"))["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=service_may_send(
        topic, service=EVENTS_PRINCIPAL, action="sns:Publish"))
    url, queue_arn = make_queue(sqs, _name("alerts-inbox"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    iam, role = cloud.client("iam"), _name("events-to-audit")
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=service_may_assume(EVENTS_PRINCIPAL))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="write-audit", PolicyDocument=allows("kinesis:PutRecord", stream_arn))
    try:
        ex.call_learner(add_targets, events, bus, rule, stream_arn, topic, role_arn)
    except CheckFailed as failure:
        if "RoleArn is required" not in failure.problem:
            raise
        ex.fail("stream-role", "AWS refused the Kinesis target: it has no RoleArn.",
                why="EventBridge writes to a Kinesis stream with an IAM role you name in the target: a stream "
                "has no resource policy to let EventBridge in, so PutTargets refuses a stream target without one.",
                hint='add "RoleArn": role_arn to the stream\'s target.')
    for order in ("o-1", "o-2", "o-3"):
        _put(events, bus, "com.shop.orders", "OrderPlaced", {"order_id": order})
    records = [record for shard in stream_records(kinesis, stream).values() for record in shard]
    keys = sorted(r["PartitionKey"] for r in records)
    if len(records) != 3:
        refused = [f for f in failed_deliveries(cloud) if f.target_arn == stream_arn]
        if refused:
            ex.fail("stream-role", f"EventBridge could not write to the stream: {refused[0].error_code} - "
                    f"{refused[0].error_message}.",
                    why="EventBridge assumes the target's role to call kinesis:PutRecord: the role must trust "
                    "events.amazonaws.com and allow the call on this stream.",
                    hint="use the role the exercise gives you (role_arn).")
        ex.fail("stream-target", f"the audit stream holds {len(records)} records for 3 events.",
                hint="add the stream's ARN as a target of the rule.")
    if keys != ["o-1", "o-2", "o-3"]:
        ex.fail("partition-key-order-id", "the stream's partition keys are not the order ids.",
                why="without KinesisParameters EventBridge uses the event id, a random key: one order's events "
                "scatter over shards and lose their order.",
                hint='KinesisParameters={"PartitionKeyPath": "$.detail.order_id"}.')
    alerts = _drain(sqs, url)
    if len(alerts) != 3:
        ex.fail("topic-target", f"the alerts topic delivered {len(alerts)} messages for 3 events.",
                hint="add the topic's ARN as a second target.")
    ex.passed("one rule, two targets: ordered audit records per order, and alerts.")


def _replayed_wrong(got: list[str], want: list[str]) -> str:
    """What a replay that received ``got`` (sorted) did wrong, for the lost events ``want``."""
    problems = [f"the fixed consumer received {got or 'nothing'}"]
    if missing := [n for n in want if n not in got]:
        problems.append(f"{missing} were lost in the outage and not replayed")
    if extra := sorted(set(got) - set(want)):
        problems.append(f"{extra} were not lost")
    if twice := sorted({n for n in got if got.count(n) > 1}):
        problems.append(f"{twice} came more than once")
    return "; ".join(problems) + "."


@EXERCISES["ev-5"].check
def replay(ex: Exercise, cloud: Sandbox, replay_outage: Callable[[Any, str, str, Any, Any], str]) -> None:
    """``replay_outage(events, archive_arn, bus_arn, start, end)`` replays exactly the outage window."""
    events, sqs = cloud.client("events"), cloud.client("sqs")
    bus = _name("bus")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    archive_arn = events.create_archive(ArchiveName=_name("all")[:48], EventSourceArn=bus_arn)["ArchiveArn"]
    for n in range(3):  # before the outage
        _put(events, bus, "com.shop.orders", "OrderPlaced", {"n": f"before-{n}"})
        cloud.advance(600)
    start = cloud.now()
    for n in range(4):  # during the outage: the consumer was broken
        _put(events, bus, "com.shop.orders", "OrderPlaced", {"n": f"outage-{n}"})
        cloud.advance(300)
    end = cloud.now()
    cloud.advance(600)
    _put(events, bus, "com.shop.orders", "OrderPlaced", {"n": "after-0"})
    # the fixed consumer
    url, arn = _queue(sqs, _name("fixed"))
    rule = _name("fixed")
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps({"source": ["com.shop.orders"]}))
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    name = ex.call_learner(replay_outage, events, archive_arn, bus_arn, start, end)
    replays = events.list_replays()["Replays"]
    if not any(r["ReplayName"] == name for r in replays):
        ex.fail("returns-replay-name", f"there is no replay named {name!r}; return the name you gave start_replay.")
    got = sorted(json.loads(b)["detail"]["n"] for b in _drain(sqs, url))
    want = [f"outage-{n}" for n in range(4)]
    if got != want:
        ex.fail("replays-outage-window", _replayed_wrong(got, want),
                why="a replay sends the archived events of a time window back to the bus; events outside the "
                "window were processed already, and replaying them makes duplicates.",
                hint="EventStartTime=start, EventEndTime=end, Destination={'Arn': bus_arn}.")
    ex.passed(f"the {len(want)} events of the outage were replayed, and nothing else.")


@EXERCISES["ev-6"].check
def delivery_policy(ex: Exercise, cloud: Sandbox, configure_delivery: Callable[[Any, str, str, str], None]) -> None:
    """Retry for up to 2 hours and 10 attempts, then send to a standard SQS DLQ.

    Then the billing queue refuses EventBridge (its policy is emptied): the next event must reach the DLQ.
    """
    events, sqs = cloud.client("events"), cloud.client("sqs")
    bus, rule, target_url, target_arn = _rule_to_queue(ex, events, sqs, configure_delivery,
                                                       ("billing", {"source": ["com.shop.orders"]}), "billing")
    targets = events.list_targets_by_rule(Rule=rule, EventBusName=bus)["Targets"]
    target = next((t for t in targets if t["Arn"] == target_arn), None)
    if target is None:
        ex.fail("target-exists", "the billing queue is not a target of the rule.")
    retry = target.get("RetryPolicy") or {}
    if (retry.get("MaximumEventAgeInSeconds"), retry.get("MaximumRetryAttempts")) != (7200, 10):
        ex.fail("retry-policy", f"the target's RetryPolicy is {retry or 'missing'}.",
                why="by default EventBridge retries a failing target for up to 24 hours and 185 attempts; "
                "the retry policy shortens that (MaximumEventAgeInSeconds, MaximumRetryAttempts).",
                hint="RetryPolicy={'MaximumEventAgeInSeconds': 2 hours in seconds, 'MaximumRetryAttempts': 10}.")
    dlq_arn = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not dlq_arn:
        ex.fail("has-dlq", "the target has no dead-letter queue: after the retries the event is dropped.",
                hint="DeadLetterConfig={'Arn': <SQS queue ARN>}.")
    if dlq_arn == target_arn:
        ex.fail("dlq-not-target", "the target's dead-letter queue is the billing queue itself.",
                why="an event goes to the DLQ because EventBridge could not deliver it to the target (it is gone, "
                "or refuses): the same queue refuses it again, and the event is lost.",
                hint="create a separate queue for the DLQ.")
    dlq_name = dlq_arn.rsplit(":", 1)[-1]
    if dlq_name.endswith(".fifo"):
        ex.fail("dlq-standard", "the target's DLQ is a FIFO queue.",
                why="an EventBridge target DLQ must be a standard SQS queue.")
    try:
        dlq_url = sqs.get_queue_url(QueueName=dlq_name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        ex.fail("dlq-exists", f"the DLQ {dlq_name!r} does not exist.")
    # the billing team locks its queue by mistake: EventBridge may no longer send, and does not retry
    sqs.set_queue_attributes(QueueUrl=target_url, Attributes={"Policy": ""})
    _put(events, bus, "com.shop.orders", "OrderPlaced", {"order_id": "o-refused"})
    if not any(json.loads(body).get("detail", {}).get("order_id") == "o-refused" for body in _drain(sqs, dlq_url)):
        ex.fail("dlq-allows-eventbridge", "an event the billing queue refused did not reach the DLQ.",
                why="the DLQ is an SQS queue like any target: EventBridge can only send to it if its policy lets "
                "events.amazonaws.com call sqs:SendMessage (best only from this rule, aws:SourceArn). "
                "Without that, the failed event is lost too.",
                hint="set the DLQ's Policy attribute: Principal {'Service': 'events.amazonaws.com'}, "
                "Action sqs:SendMessage, Resource the DLQ's ARN.")
    ex.passed("retries stop after 2 hours or 10 attempts; what still fails lands in a standard SQS DLQ "
              "that EventBridge may write to.")

