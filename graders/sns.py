"""Checks for 03_sns_fanout: fan-out, queue policies, raw delivery, filter policies, FIFO topics, DLQs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from course.sandbox import Sandbox
from graders.exercise import Exercise
from graders.resources import drain_bodies as _bodies
from graders.resources import fresh_name as _name
from graders.resources import make_queue as _queue
from graders.resources import queue_attributes as _attributes
from graders.resources import sns_message

#: What :func:`_route_table` judges, for both routing exercises.
ROUTING_REQUIREMENTS = {
    "events-routed": "every event reaches exactly the queues its filter policies select",
}

SNS_1 = Exercise("sns-1", "Fan-out to queues", {
    "queue-subscribed": "every queue is subscribed to the topic (by its ARN)",
    "queue-policy": "each queue's access policy lets exactly this topic send",
    "one-copy-per-queue": "one publish puts exactly one copy in each queue",
})
SNS_2 = Exercise("sns-2", "Raw message delivery", {
    "raw-delivery": "the queue receives the published message itself, without the SNS envelope",
})
SNS_3 = Exercise("sns-3", "Filter policies on message attributes", ROUTING_REQUIREMENTS)
SNS_4 = Exercise("sns-4", "Filter policies on the message body", ROUTING_REQUIREMENTS)
SNS_5 = Exercise("sns-5", "FIFO fan-out", {
    "returns-resources": "the function returns (topic_arn, fifo_queue_url, standard_queue_url)",
    "fifo-topic": "the topic is a FIFO topic",
    "fifo-queue-in-order": "the FIFO queue receives each message once, in order",
    "standard-queue-delivered": "the standard queue receives every message",
    "queue-policy": "each queue's access policy lets exactly this topic send",
})
SNS_6 = Exercise("sns-6", "A subscription dead-letter queue", {
    "returns-dlq-url": "the function returns the DLQ's URL",
    "subscription-redrive-policy": "the subscription (not the queue) has a RedrivePolicy",
    "targets-returned-dlq": "the redrive policy names the returned DLQ",
    "dlq-standard": "a standard topic's subscription DLQ is a standard queue",
    "dlq-policy": "the DLQ's access policy lets exactly this topic send",
})


def _messages(sqs: Any, url: str) -> list[str]:
    """The published messages that reached the queue (the SNS envelope unwrapped)."""
    return [sns_message(body) for body in _bodies(sqs, url)]


def _subscriptions(sns: Any, topic_arn: str) -> list[dict]:
    return sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]


def _statements(policy_text: str | None) -> list[dict]:
    if not policy_text:
        return []
    statements = json.loads(policy_text).get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _source_arns(statement: dict) -> list[str]:
    arns = []
    for operator, conditions in (statement.get("Condition") or {}).items():
        if operator in ("ArnEquals", "ArnLike", "StringEquals", "StringLike"):
            for key, value in conditions.items():
                if key.lower() == "aws:sourcearn":
                    arns += _as_list(value)
    return arns


def _allows(statement: dict, action: str) -> bool:
    actions = [a.lower() for a in _as_list(statement.get("Action", []))]
    return statement.get("Effect") == "Allow" and any(a in (action.lower(), "sqs:*", "*") for a in actions)


def _sns_principal(statement: dict) -> bool:
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        return "sns.amazonaws.com" in _as_list(principal.get("Service", []))
    return False


def policy_problem(policy_text: str | None, queue_arn: str, topic_arn: str) -> str | None:
    """Why this queue policy does not let exactly this topic send (None when it does)."""
    statements = _statements(policy_text)
    if not statements:
        return "the queue has no access policy, so SNS may not send to it"
    for statement in statements:
        if _allows(statement, "sqs:SendMessage") and statement.get("Principal") in ("*", {"AWS": "*"}) \
                and not _source_arns(statement):
            return "the policy lets anyone send to the queue (Principal '*' without a condition)"
    for statement in statements:
        resources = _as_list(statement.get("Resource", queue_arn))
        if _allows(statement, "sqs:SendMessage") and (_sns_principal(statement) or statement.get("Principal") == "*") \
                and (queue_arn in resources or "*" in resources):
            if topic_arn in _source_arns(statement):
                return None
            return "the policy allows SNS, but not only this topic: add a condition on aws:SourceArn"
    return "no statement allows sns.amazonaws.com to sqs:SendMessage on this queue"


POLICY_WHY = ("an SQS queue only accepts messages its access policy allows. SNS delivers as the "
              "service principal sns.amazonaws.com, and the aws:SourceArn condition limits it to your "
              "topic - without it any topic in any account could write to the queue. (moto does not "
              "enforce queue policies; AWS does, and this check reads the policy document.)")


@SNS_1.check
def fan_out(ex: Exercise, cloud: Sandbox,
            fan_out_orders: Callable[[Any, Any, str, list[str]], None], *, queues: int = 3) -> None:
    """``fan_out_orders(sns, sqs, topic_arn, queue_urls)``: every queue gets one copy, via a tight policy."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("orders"))["TopicArn"]
    names = ["billing", "shipping", "analytics", "inventory", "audit"][:queues]
    made = {name: _queue(sqs, _name(name)) for name in names}
    ex.call_learner(fan_out_orders, sns, sqs, topic, [url for url, _ in made.values()])
    endpoints = [s["Endpoint"] for s in _subscriptions(sns, topic) if s["Protocol"] == "sqs"]
    for name, (url, arn) in made.items():
        if arn not in endpoints:
            ex.fail("queue-subscribed", f"the {name} queue is not subscribed to the topic.",
                    hint="sns.subscribe(TopicArn=..., Protocol='sqs', Endpoint=<queue ARN>) - the ARN, not the URL.")
        problem = policy_problem(_attributes(sqs, url).get("Policy"), arn, topic)
        if problem:
            ex.fail("queue-policy", f"{name} queue: {problem}.", why=POLICY_WHY,
                    hint="set the queue's Policy attribute: Allow, Principal {'Service': 'sns.amazonaws.com'}, "
                    "Action sqs:SendMessage, Resource the queue ARN, Condition ArnEquals aws:SourceArn the topic ARN.")
    sns.publish(TopicArn=topic, Message=json.dumps({"order_id": "o-1", "total": 42}))
    for name, (url, _) in made.items():
        got = _messages(sqs, url)
        if len(got) != 1:
            ex.fail("one-copy-per-queue",
                    f"the {name} queue received {len(got)} copies of one order; each queue must get exactly one.",
                    hint="subscribe each queue once.")
    ex.passed(f"one publish, {len(made)} queues, one copy each - and only this topic may write to them.")


@SNS_2.check
def raw_delivery(ex: Exercise, cloud: Sandbox, enable_raw_delivery: Callable[[Any, str], None]) -> None:
    """``enable_raw_delivery(sns, subscription_arn)``: the queue gets the message itself, no envelope."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("raw"))["TopicArn"]
    url, arn = _queue(sqs, _name("analytics"))
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    ex.call_learner(enable_raw_delivery, sns, subscription)
    order = json.dumps({"order_id": "o-7", "total": 12.5})
    sns.publish(TopicArn=topic, Message=order)
    bodies = _bodies(sqs, url)
    if bodies != [order]:
        envelope = bodies and bodies[0].startswith("{") and '"Type"' in bodies[0]
        ex.fail("raw-delivery", "the queue received the SNS envelope (Type, MessageId, TopicArn, Message, ...), "
                "not the order itself." if envelope else f"the queue received {bodies!r}.",
                why="by default SNS wraps every message in a JSON envelope; with raw message delivery the "
                "subscriber gets exactly what was published (and message attributes as SQS attributes).",
                hint="set the subscription attribute RawMessageDelivery to 'true'.")
    ex.passed("raw message delivery: the analytics queue reads the order as published.")


# -- filter policies -------------------------------------------------------------------------
ORDER_EVENTS = [
    # (description, attributes, expected destinations)
    ("1,500 from the US", {"amount": 1500, "region": "US"}, {"fraud"}),
    ("999.99 from the EU", {"amount": 999.99, "region": "EU"}, {"eu"}),
    ("exactly 1,000 from the EU", {"amount": 1000, "region": "EU"}, {"fraud", "eu"}),
    ("20 from the US", {"amount": 20, "region": "US"}, set()),
    ("no amount, from the EU", {"region": "EU"}, {"eu"}),
    ("25,000 from APAC", {"amount": 25000, "region": "APAC"}, {"fraud"}),
]


def _attributes_of(values: dict) -> dict:
    return {k: ({"DataType": "Number", "StringValue": str(v)} if isinstance(v, (int, float))
                else {"DataType": "String", "StringValue": v}) for k, v in values.items()}


def _route_table(ex: Exercise, cloud: Sandbox, learner: Callable, events: list, scope_body: bool,
                 queue_names: tuple[str, ...]) -> None:
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("orders"))["TopicArn"]
    queues, subscriptions = {}, {}
    for name in queue_names:
        url, arn = _queue(sqs, _name(name))
        queues[name] = url
        subscriptions[name] = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                                            ReturnSubscriptionArn=True)["SubscriptionArn"]
    ex.call_learner(learner, sns, *(subscriptions[n] for n in queue_names))
    for index, (_, payload, _) in enumerate(events):
        if scope_body:
            sns.publish(TopicArn=topic, Message=json.dumps({"n": index, **payload}))
        else:
            sns.publish(TopicArn=topic, Message=json.dumps({"n": index}), MessageAttributes=_attributes_of(payload))
    landed: dict[int, set[str]] = {i: set() for i in range(len(events))}
    for name, url in queues.items():
        for message in _messages(sqs, url):
            landed[json.loads(message)["n"]].add(name)
    astray = [f"{description}: expected {sorted(want) or 'nowhere'}, went to {sorted(landed[i]) or 'nowhere'}"
              for i, (description, _, want) in enumerate(events) if landed[i] != want]
    if astray:
        ex.fail("events-routed", "some events went astray:\n  - " + "\n  - ".join(astray),
                why="a subscription with a filter policy receives only the messages that match it; "
                "a subscription without one receives everything.",
                hint="compare each astray event with your policy: operator (>= vs >), value types "
                "(numbers are not strings), and where the data is (attributes or body: FilterPolicyScope).")


@SNS_3.check
def attribute_routing(ex: Exercise, cloud: Sandbox, set_routing: Callable[[Any, str, str], None], *,
                      events: list | None = None) -> None:
    """``set_routing(sns, fraud_sub, eu_sub)``: amount >= 1000 to fraud, region EU to the EU queue."""
    events = events or ORDER_EVENTS
    _route_table(ex, cloud, set_routing, events, False, ("fraud", "eu"))
    ex.passed(f"{len(events)} orders, each routed by its attributes to exactly the right queues.")


PRIORITY_EVENTS = [
    ("express, 40", {"shipping": {"method": "express"}, "total": 40}, {"priority"}),
    ("standard, 650", {"shipping": {"method": "standard"}, "total": 650}, {"priority"}),
    ("standard, 499", {"shipping": {"method": "standard"}, "total": 499}, set()),
    ("express, 900", {"shipping": {"method": "express"}, "total": 900}, {"priority"}),
    ("no shipping, 500", {"total": 500}, {"priority"}),
    ("pickup, 10", {"shipping": {"method": "pickup"}, "total": 10}, set()),
]


@SNS_4.check
def body_routing(ex: Exercise, cloud: Sandbox, set_priority_routing: Callable[[Any, str], None], *,
                 events: list | None = None) -> None:
    """``set_priority_routing(sns, sub)``: express shipping OR total >= 500, read from the body."""
    events = events or PRIORITY_EVENTS
    _route_table(ex, cloud, set_priority_routing, events, True, ("priority",))
    ex.passed(f"{len(events)} orders, routed by their JSON payload.")


@SNS_5.check
def fifo_fanout(ex: Exercise, cloud: Sandbox, create_ordered_fanout: Callable[[Any, Any, str], tuple]) -> None:
    """``create_ordered_fanout(sns, sqs, name)`` -> (topic, fifo queue, standard queue), in order, no dups."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    name = _name("payments")
    result = ex.call_learner(create_ordered_fanout, sns, sqs, name)
    if not (isinstance(result, tuple) and len(result) == 3):
        ex.fail("returns-resources", f"returned {result!r}; return (topic_arn, fifo_queue_url, standard_queue_url).")
    topic, fifo_url, standard_url = result
    topic_attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    if topic_attributes.get("FifoTopic") != "true":
        ex.fail("fifo-topic", "the topic is not a FIFO topic.",
                why="only a FIFO topic keeps order per message group and deduplicates; a FIFO queue can only "
                "subscribe to a FIFO topic.", hint="name ending in .fifo and FifoTopic='true'.")
    for index in range(4):
        sns.publish(TopicArn=topic, Message=f"step-{index}", MessageGroupId="account-1",
                    MessageDeduplicationId=f"step-{index}")
    sns.publish(TopicArn=topic, Message="step-0", MessageGroupId="account-1", MessageDeduplicationId="step-0")
    ordered, analytics = _messages(sqs, fifo_url), _messages(sqs, standard_url)
    steps = [f"step-{i}" for i in range(4)]
    if ordered != steps:
        ex.fail("fifo-queue-in-order", f"the FIFO queue received {ordered}, not {steps} once each and in order.",
                hint="subscribe the FIFO queue to the FIFO topic (and give it an access policy).")
    if sorted(analytics) != steps:
        ex.fail("standard-queue-delivered", f"the standard queue received {analytics}.",
                why="FIFO topics can deliver to standard queues too (older material says FIFO queues only).",
                hint="subscribe the standard queue to the same FIFO topic.")
    for url in (fifo_url, standard_url):
        problem = policy_problem(_attributes(sqs, url).get("Policy"), _attributes(sqs, url)["QueueArn"], topic)
        if problem:
            ex.fail("queue-policy", f"queue {url.rsplit('/', 1)[-1]}: {problem}.", why=POLICY_WHY)
    ex.passed("FIFO topic: in order per group, duplicates dropped, to a FIFO and a standard queue.")


@SNS_6.check
def subscription_dlq(ex: Exercise, cloud: Sandbox, add_subscription_dlq: Callable[[Any, Any, str], str]) -> None:
    """``add_subscription_dlq(sns, sqs, subscription_arn)``: undeliverable messages land in a DLQ."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("orders"))["TopicArn"]
    url, arn = _queue(sqs, _name("billing"))
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    dlq_url = ex.call_learner(add_subscription_dlq, sns, sqs, subscription)
    if not isinstance(dlq_url, str):
        ex.fail("returns-dlq-url", f"returned {dlq_url!r}; return the DLQ's URL.")
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
    policy = json.loads(attributes.get("RedrivePolicy") or "{}")
    if not policy:
        source_policy = _attributes(sqs, url).get("RedrivePolicy")
        ex.fail("subscription-redrive-policy", "the subscription has no RedrivePolicy"
                + ("; you gave the *queue* a redrive policy instead" if source_policy else "") + ".",
                why="a queue's redrive policy catches messages its consumers fail to process; messages SNS "
                "fails to deliver (the endpoint is gone, or refuses) need the subscription's own DLQ.",
                hint="set_subscription_attributes(AttributeName='RedrivePolicy', "
                "AttributeValue=json.dumps({'deadLetterTargetArn': <DLQ ARN>})).")
    dlq_attributes = _attributes(sqs, dlq_url)
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        ex.fail("targets-returned-dlq",
                "the subscription's redrive policy names a different queue than the one you returned.")
    if dlq_attributes.get("FifoQueue") == "true":
        ex.fail("dlq-standard", "a standard topic's subscription DLQ must be a standard SQS queue.")
    problem = policy_problem(dlq_attributes.get("Policy"), dlq_attributes["QueueArn"], topic)
    if problem:
        ex.fail("dlq-policy", f"DLQ: {problem}.",
                why="SNS itself writes undeliverable messages to the DLQ, so the DLQ's access policy must allow "
                "the topic, like any queue SNS sends to.")
    ex.passed("undeliverable messages of this subscription go to its own DLQ, which lets only the topic write.")
