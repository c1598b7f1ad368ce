"""May this service use that role to call that action? A role's trust and permission policies.

On AWS a service that writes to a target without a resource policy (EventBridge to a Kinesis
stream or a Firehose stream) assumes the IAM role named in the target: the role's *trust policy*
must let the service assume it, and one of its *permission policies* must allow the action on
the resource. moto stores roles and policies but checks neither.

Source: EventBridge User Guide, "Using identity-based policies (IAM policies) for Amazon
EventBridge"; IAM User Guide, "Roles terms and concepts" (trust policy, permissions policy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.aws.iam.policies import Decision, Request, evaluate

__all__ = ["may_assume", "may_call", "role_decision"]


def _role(role_arn: str) -> tuple[Any, str]:
    """moto's role for ``role_arn``, or ``None`` with the reason."""
    from moto.iam.models import iam_backends

    parts = role_arn.split(":")
    if len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None, f"{role_arn} is not an IAM role ARN"
    try:
        return iam_backends[parts[4]]["aws"].get_role_by_arn(role_arn), ""
    except Exception:  # moto raises its own NoSuchEntity
        return None, f"the role {role_arn} does not exist"


def may_assume(role_arn: str, *, service: str, context: Mapping[str, str] | None = None) -> Decision:
    """Whether the role exists and its trust policy lets ``service`` assume it."""
    role, missing = _role(role_arn)
    if role is None:
        return Decision(False, missing)
    trust = evaluate(role.assume_role_policy_document, Request("sts:AssumeRole", role_arn, service=service,
                                                              context=dict(context or {})))
    if not trust.allowed:
        return Decision(False, f"the role's trust policy does not let {service} assume it: {trust.reason}")
    return trust


def may_call(role_arn: str, *, action: str, resource: str, context: Mapping[str, str] | None = None) -> Decision:
    """Whether one of the role's permission policies allows ``action`` on ``resource`` and none denies it."""
    role, missing = _role(role_arn)
    if role is None:
        return Decision(False, missing)
    documents = list(role.policies.values()) + [
        version.document for policy in role.managed_policies.values()
        for version in policy.versions if version.is_default]
    request = Request(action, resource, principal_arn=role_arn, context=dict(context or {}))
    decisions = [evaluate(document, request, resource_policy=False) for document in documents]
    denied = [d for d in decisions if d.explicit_deny]
    if denied:
        return Decision(False, f"a permission policy of the role denies {action}: {denied[0].reason}",
                        explicit_deny=True)
    if any(d.allowed for d in decisions):
        return Decision(True, f"the role may call {action} on {resource}")
    return Decision(False, f"no permission policy of the role allows {action} on {resource}")


def role_decision(role_arn: str, *, service: str, action: str, resource: str,
                  context: Mapping[str, str] | None = None) -> Decision:
    """Whether ``service`` may assume ``role_arn`` and then call ``action`` on ``resource``."""
    assumed = may_assume(role_arn, service=service, context=context)
    return may_call(role_arn, action=action, resource=resource, context=context) if assumed.allowed else assumed
