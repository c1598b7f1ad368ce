"""Checks for 03_sns_fanout: fan-out, queue policies, raw delivery, filter policies, FIFO topics, DLQs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from course.aws.iam import Request, evaluate
from course.sandbox import Sandbox
from graders.exercise import Exercise, declared_in
from graders.resources import drain_bodies as _bodies
from graders.resources import fresh_name as _name
from graders.resources import make_queue as _queue
from graders.resources import queue_attributes as _attributes
from graders.resources import routed_or_fail
from graders.resources import sns_message

#: This module's exercises, declared in graders/exercises/sns.toml.
EXERCISES = declared_in("sns")


def _messages(sqs: Any, url: str) -> list[str]:
    """The published messages that reached the queue (the SNS envelope unwrapped)."""
    return [sns_message(body) for body in _bodies(sqs, url)]


def _subscriptions(sns: Any, topic_arn: str) -> list[dict]:
    return sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]


#: The principal SNS delivers as (SNS Developer Guide, "Fanout to Amazon SQS queues").
SNS_PRINCIPAL = "sns.amazonaws.com"
#: What :func:`policy_verdict` finds wrong: the topic may not send, or other topics may send too.
REFUSED, TOO_OPEN = "refused", "too-open"


def _sns_request(queue_arn: str, topic_arn: str) -> Request:
    """SNS delivering a message of ``topic_arn`` to the queue, with the context AWS gives it."""
    account = topic_arn.split(":")[4] if topic_arn.count(":") >= 5 else ""
    return Request("sqs:SendMessage", queue_arn, service=SNS_PRINCIPAL,
                   context={"aws:SourceArn": topic_arn, "aws:SourceAccount": account})


def _impostors(topic_arn: str) -> list[str]:
    """Topics that must NOT be let in: another topic of this account, and this name in another account."""
    prefix, _, name = topic_arn.rpartition(":")
    partition_region, _, _ = prefix.rpartition(":")
    return [f"{topic_arn}-other", f"{partition_region}:999999999999:{name}"]


def policy_verdict(policy_text: str | None, queue_arn: str, topic_arn: str) -> tuple[str, str] | None:
    """``(REFUSED | TOO_OPEN, why)`` when this queue policy does not let exactly this topic send, else None.

    Judged by the sandbox's IAM evaluation, so every form IAM accepts passes (``Principal`` ``"*"``,
    ``{"AWS": "*"}`` or the service; ``ArnEquals``/``ArnLike``/``StringEquals`` on ``aws:SourceArn``;
    one statement or several), and a policy that also lets another topic send is too open.
    """
    if not policy_text:
        return REFUSED, "the queue has no access policy, so SNS may not send to it"
    decision = evaluate(policy_text, _sns_request(queue_arn, topic_arn))
    if not decision.allowed:
        return REFUSED, f"the policy does not let this topic send: {decision.reason}"
    for other in _impostors(topic_arn):
        if evaluate(policy_text, _sns_request(queue_arn, other)).allowed:
            return TOO_OPEN, ("the policy lets other topics send to the queue too, not only this one: "
                              "limit it with a condition on aws:SourceArn")
    return None


def policy_problem(policy_text: str | None, queue_arn: str, topic_arn: str) -> str | None:
    """Why this queue policy does not let exactly this topic send (None when it does)."""
    verdict = policy_verdict(policy_text, queue_arn, topic_arn)
    return verdict[1] if verdict else None


POLICY_WHY = ("an SQS queue only accepts messages its access policy allows. SNS delivers as the "
              "service principal sns.amazonaws.com, and the aws:SourceArn condition limits it to your "
              "topic - without it any topic in any account could write to the queue. (moto does not "
              "enforce queue policies; AWS does, and this check evaluates the policy as IAM would.)")


POLICY_HINT = ("set the queue's Policy attribute: Allow, Principal {'Service': 'sns.amazonaws.com'}, Action "
               "sqs:SendMessage, Resource the queue ARN, Condition ArnEquals aws:SourceArn the topic ARN.")


def _queue_policy_verdict(sqs: Any, url: str, topic_arn: str) -> tuple[str, str] | None:
    """:func:`policy_verdict` of the queue at ``url`` for ``topic_arn``."""
    attributes = _attributes(sqs, url)
    return policy_verdict(attributes.get("Policy"), attributes["QueueArn"], topic_arn)


def _judge_queue_policy(ex: Exercise, sqs: Any, url: str, topic_arn: str, label: str) -> None:
    """Fail ``queue-policy`` if the queue's policy refuses the topic, ``policy-only-this-topic`` if it lets others in."""
    verdict = _queue_policy_verdict(sqs, url, topic_arn)
    if verdict and verdict[0] == REFUSED:
        ex.fail("queue-policy", f"{label}: {verdict[1]}.", why=POLICY_WHY, hint=POLICY_HINT)
    if verdict:
        ex.fail("policy-only-this-topic", f"{label}: {verdict[1]}.", why=POLICY_WHY, hint=POLICY_HINT)


@EXERCISES["sns-1"].check
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
        _judge_queue_policy(ex, sqs, url, topic, f"{name} queue")
    sns.publish(TopicArn=topic, Message=json.dumps({"order_id": "o-1", "total": 42}))
    for name, (url, _) in made.items():
        got = _messages(sqs, url)
        if len(got) != 1:
            ex.fail("one-copy-per-queue",
                    f"the {name} queue received {len(got)} copies of one order; each queue must get exactly one.",
                    hint="subscribe each queue once, and publish nothing yourself: the producer does.")
    ex.passed(f"one publish, {len(made)} queues, one copy each - and only this topic may write to them.")


@EXERCISES["sns-2"].check
def raw_delivery(ex: Exercise, cloud: Sandbox, enable_raw_delivery: Callable[[Any, str], None]) -> None:
    """``enable_raw_delivery(sns, subscription_arn)``: the queue gets the message itself, no envelope."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("raw"))["TopicArn"]
    url, arn = _queue(sqs, _name("analytics"))
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    ex.call_learner(enable_raw_delivery, sns, subscription)
    # text of another kind than ASCII: raw delivery passes the bytes through as published
    order = json.dumps({"order_id": "o-7", "total": 12.5, "customer": "Zoë Ōkubo ✓"}, ensure_ascii=False)
    sns.publish(TopicArn=topic, Message=order)
    bodies = _bodies(sqs, url)
    if len(bodies) != 1:
        ex.fail("one-message", f"the queue received {len(bodies)} messages for one publish.",
                why="the producer publishes; an answer that publishes a test message of its own puts extra "
                "messages in the analytics queue.", hint="only change the subscription.")
    if bodies != [order]:
        envelope = bodies and bodies[0].startswith("{") and '"Type"' in bodies[0]
        ex.fail("raw-delivery", "the queue received the SNS envelope (Type, MessageId, TopicArn, Message, ...), "
                "not the order itself." if envelope else "the queue received something else than the published order.",
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
    delivered = {name: [json.loads(message)["n"] for message in _messages(sqs, url)] for name, url in queues.items()}
    routed_or_fail(ex, [(description, want) for description, _, want in events], delivered,
                   why="a subscription with a filter policy receives only the messages that match it; "
                   "a subscription without one receives everything.",
                   hint="compare each astray event with your policy: operator (>= vs >), value types "
                   "(numbers are not strings), and where the data is (attributes or body: FilterPolicyScope).")


@EXERCISES["sns-3"].check
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


@EXERCISES["sns-4"].check
def body_routing(ex: Exercise, cloud: Sandbox, set_priority_routing: Callable[[Any, str], None], *,
                 events: list | None = None) -> None:
    """``set_priority_routing(sns, sub)``: express shipping OR total >= 500, read from the body."""
    events = events or PRIORITY_EVENTS
    _route_table(ex, cloud, set_priority_routing, events, True, ("priority",))
    ex.passed(f"{len(events)} orders, routed by their JSON payload.")


@EXERCISES["sns-5"].check
def fifo_fanout(ex: Exercise, cloud: Sandbox, create_ordered_fanout: Callable[[Any, Any, str], tuple]) -> None:
    """``create_ordered_fanout(sns, sqs, name)`` -> (topic, fifo queue, standard queue), in order, no dups."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    name = _name("payments")
    result = ex.call_learner(create_ordered_fanout, sns, sqs, name)
    if not (isinstance(result, (tuple, list)) and len(result) == 3):
        ex.fail("returns-resources", f"returned {result!r}; return (topic_arn, fifo_queue_url, standard_queue_url).")
    topic, fifo_url, standard_url = result
    urls = sqs.list_queues().get("QueueUrls", [])
    if fifo_url not in urls or standard_url not in urls or not str(topic).startswith("arn:aws:sns:"):
        ex.fail("returns-resources", "return the topic's ARN and the two queues' URLs (not names or ARNs).")
    if _attributes(sqs, fifo_url).get("FifoQueue") != "true" or _attributes(sqs, standard_url).get("FifoQueue") == "true":
        ex.fail("returns-resources", "the queues are returned in the wrong order: the FIFO queue's URL comes "
                "second, the standard queue's third.")
    wanted = {"topic": (topic.rsplit(":", 1)[-1], f"{name}.fifo"),
              "FIFO queue": (fifo_url.rsplit("/", 1)[-1], f"{name}-ledger.fifo"),
              "standard queue": (standard_url.rsplit("/", 1)[-1], f"{name}-analytics")}
    for what, (got_name, want_name) in wanted.items():
        if got_name != want_name:
            ex.fail("names", f"the {what} is named {got_name!r}, not {want_name!r}.",
                    hint="use the names the exercise gives: other teams find the resources by them.")
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
        _judge_queue_policy(ex, sqs, url, topic, f"queue {url.rsplit('/', 1)[-1]}")
    ex.passed("FIFO topic: in order per group, duplicates dropped, to a FIFO and a standard queue.")


@EXERCISES["sns-6"].check
def subscription_dlq(ex: Exercise, cloud: Sandbox, add_subscription_dlq: Callable[[Any, Any, str], str]) -> None:
    """``add_subscription_dlq(sns, sqs, subscription_arn)``: undeliverable messages land in a DLQ."""
    sns, sqs = cloud.client("sns"), cloud.client("sqs")
    topic = sns.create_topic(Name=_name("orders"))["TopicArn"]
    url, arn = _queue(sqs, _name("billing"))
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    dlq_url = ex.call_learner(add_subscription_dlq, sns, sqs, subscription)
    if dlq_url not in sqs.list_queues().get("QueueUrls", []):
        ex.fail("returns-dlq-url", f"returned {dlq_url!r}, which is not the URL of an existing queue; return "
                "the DLQ's URL.", hint="create_queue's response has it: response['QueueUrl'].")
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
    if policy.get("deadLetterTargetArn") == arn:
        ex.fail("dlq-not-endpoint", "the subscription's dead-letter queue is the queue it delivers to.",
                why="a message goes to the DLQ because SNS could not deliver it to the endpoint (the queue is gone, "
                "or refuses): the same queue would refuse it again, and the message is lost.",
                hint="create a separate queue for the DLQ.")
    if policy.get("deadLetterTargetArn") != dlq_attributes["QueueArn"]:
        ex.fail("targets-returned-dlq",
                "the subscription's redrive policy names a different queue than the one you returned.")
    if dlq_attributes.get("FifoQueue") == "true":
        ex.fail("dlq-standard", "a standard topic's subscription DLQ must be a standard SQS queue.")
    verdict = _queue_policy_verdict(sqs, dlq_url, topic)
    why = ("SNS itself writes undeliverable messages to the DLQ, so the DLQ's access policy must allow the topic, "
           "like any queue SNS sends to - and, like any queue, only this topic.")
    if verdict and verdict[0] == REFUSED:
        ex.fail("dlq-policy", f"DLQ: {verdict[1]}.", why=why, hint=POLICY_HINT)
    if verdict:
        ex.fail("dlq-policy-only-this-topic", f"DLQ: {verdict[1]}.", why=why, hint=POLICY_HINT)
    ex.passed("undeliverable messages of this subscription go to its own DLQ, which lets only the topic write.")
