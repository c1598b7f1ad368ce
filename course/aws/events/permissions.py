"""EventBridge's permission to reach a target, as AWS checks it (moto checks none).

AWS gives EventBridge access to a target in one of two ways (EventBridge User Guide, "Amazon
EventBridge targets" and "Using resource-based policies for Amazon EventBridge"):

* **a resource-based policy on the target** for SQS queues and SNS topics: the queue's or topic's
  policy must let the service principal ``events.amazonaws.com`` call ``sqs:SendMessage`` /
  ``sns:Publish`` (usually only from this rule: ``aws:SourceArn``). A topic's default policy does not;
* **an IAM role named in the target** (``RoleArn``) for Kinesis streams and Firehose streams:
  ``PutTargets`` refuses such a target without one ("RoleArn is required for target ..."), and
  at delivery EventBridge must be able to assume the role (its trust policy) and the role must
  allow ``kinesis:PutRecord`` / ``firehose:PutRecord`` on the stream.

A delivery that fails for want of permission is not retried: EventBridge sends the event straight
to the target's dead-letter queue, if it has one (``DeadLetterConfig``) and that queue's policy
lets EventBridge send, with the message attributes ``RULE_ARN``, ``TARGET_ARN``, ``ERROR_CODE`` and
``ERROR_MESSAGE``; otherwise the event is dropped (EventBridge User Guide, "Using dead-letter
queues to process undelivered events"). Functions registered with the course
(:mod:`course.aws.lambdas`) stand in for Lambda and are always allowed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from course.aws.iam import Decision, Request, evaluate, may_assume, may_call
from course.aws.sqs.rules import queue_by_arn
from course.sandbox import Sandbox, in_grader

__all__ = ["EVENTS_PRINCIPAL", "ROLE_TARGETS", "FailedDelivery", "failed_deliveries", "install", "missing_role",
           "refusal", "send_to_dead_letter_queue"]

EVENTS_PRINCIPAL = "events.amazonaws.com"
#: target service -> the action its role must allow
ROLE_TARGETS = {"kinesis": "kinesis:PutRecord", "firehose": "firehose:PutRecord"}
#: target service -> the action its resource policy must allow
POLICY_TARGETS = {"sqs": "sqs:SendMessage", "sns": "sns:Publish"}
_STATE = "events.failed-deliveries"


@dataclass(frozen=True)
class FailedDelivery:
    """One event EventBridge could not deliver to one target, and what became of it."""

    rule_arn: str
    target_id: str
    target_arn: str
    error_code: str  #: NO_PERMISSIONS, FAILED_TO_ASSUME_ROLE or NO_RESOURCE, as AWS names them
    error_message: str
    sent_to_dlq: bool


def install(sandbox: Sandbox) -> None:
    """Refuse at PutTargets a target that needs a role and names none, as AWS does."""
    from moto.events.exceptions import ValidationException
    from moto.events.models import Rule

    def put_targets(rule: Any, targets: list[dict[str, Any]]) -> None:
        arn = missing_role(targets)
        if arn:
            raise ValidationException(f"RoleArn is required for target {arn}.")
        original(rule, targets)

    original = sandbox.registry.patch(Rule, "put_targets", put_targets)


def missing_role(targets: list[dict[str, Any]]) -> str | None:
    """The ARN of the first target that needs a ``RoleArn`` and has none (PutTargets refuses it)."""
    for target in targets:
        service = target["Arn"].split(":")[2] if target["Arn"].count(":") >= 5 else ""
        if service in ROLE_TARGETS and not target.get("RoleArn"):
            return target["Arn"]
    return None


def refusal(rule: Any, target: dict[str, Any], service: str, account: str, region: str) -> tuple[str, str] | None:
    """``(error_code, message)`` when AWS would refuse EventBridge this delivery, else ``None``."""
    arn = target["Arn"]
    context = {"aws:SourceArn": rule.arn, "aws:SourceAccount": rule.account_id}
    if service in ROLE_TARGETS:
        role = target.get("RoleArn", "")
        assumed = may_assume(role, service=EVENTS_PRINCIPAL, context=context)
        if not assumed.allowed:
            return "FAILED_TO_ASSUME_ROLE", assumed.reason
        permitted = may_call(role, action=ROLE_TARGETS[service], resource=arn, context=context)
        return None if permitted.allowed else ("NO_PERMISSIONS", permitted.reason)
    if service in POLICY_TARGETS:
        policy = _resource_policy(service, arn, account, region)
        if policy is None:
            return "NO_RESOURCE", f"the target {arn} does not exist"
        decision: Decision = evaluate(policy, Request(POLICY_TARGETS[service], arn, service=EVENTS_PRINCIPAL,
                                                      context=context))
        if not decision.allowed:
            return "NO_PERMISSIONS", f"the {_kind(service)} policy of {arn} does not let EventBridge send: {decision.reason}"
    return None


def send_to_dead_letter_queue(cloud: Sandbox, rule: Any, target: dict[str, Any], event: dict, code: str,
                              message: str) -> None:
    """Record the failure; send the event to the target's DLQ when it has one that lets EventBridge send."""
    from moto.sqs.models import sqs_backends

    sent = False
    dlq_arn = (target.get("DeadLetterConfig") or {}).get("Arn")
    if dlq_arn and dlq_arn.count(":") >= 5:
        _, _, _, region, account, queue_name = dlq_arn.split(":", 5)
        policy = _resource_policy("sqs", dlq_arn, account, region)
        context = {"aws:SourceArn": rule.arn, "aws:SourceAccount": rule.account_id}
        if policy is not None and evaluate(policy, Request("sqs:SendMessage", dlq_arn, service=EVENTS_PRINCIPAL,
                                                           context=context)).allowed:
            attributes = {name: {"DataType": "String", "StringValue": value} for name, value in (
                ("RULE_ARN", rule.arn), ("TARGET_ARN", target["Arn"]), ("ERROR_CODE", code),
                ("ERROR_MESSAGE", message[:256]))}
            sqs_backends[account][region].send_message(queue_name, json.dumps(event, default=str),
                                                       message_attributes=attributes)
            sent = True
    cloud.registry.state(_STATE, list).append(
        FailedDelivery(rule.arn, target["Id"], target["Arn"], code, message, sent))


def failed_deliveries(cloud: Sandbox) -> list[FailedDelivery]:
    """Every delivery EventBridge could not make in this sandbox (AWS shows them as the
    ``FailedInvocations`` metric; a lesson or a check can read them here)."""
    if in_grader(cloud):
        return cloud.failed_deliveries()  # type: ignore[attr-defined, no-any-return] - the grader's (course.remote)
    return list(cloud.registry.state(_STATE, list))


def _resource_policy(service: str, arn: str, account: str, region: str) -> str | None:
    """The queue's or topic's policy document ("" when it has none); ``None`` when it does not exist."""
    if service == "sqs":
        queue = queue_by_arn(arn)
        return None if queue is None else (queue.policy or "")
    from moto.sns.models import sns_backends

    topic = sns_backends[account][region].topics.get(arn)
    return None if topic is None else topic.policy


def _kind(service: str) -> str:
    return {"sqs": "queue", "sns": "topic"}[service]
