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

from course.aws.iam.policies import Decision, Request, evaluate

__all__ = ["role_decision"]


def role_decision(role_arn: str, *, service: str, action: str, resource: str,
                  context: Mapping[str, str] | None = None) -> Decision:
    """Whether ``service`` may assume ``role_arn`` and then call ``action`` on ``resource``."""
    from moto.iam.models import iam_backends

    parts = role_arn.split(":")
    if len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return Decision(False, f"{role_arn} is not an IAM role ARN")
    try:
        role = iam_backends[parts[4]]["aws"].get_role_by_arn(role_arn)
    except Exception:  # moto raises its own NoSuchEntity
        return Decision(False, f"the role {role_arn} does not exist")
    context = dict(context or {})
    trust = evaluate(role.assume_role_policy_document, Request("sts:AssumeRole", role_arn, service=service,
                                                              context=context))
    if not trust.allowed:
        return Decision(False, f"the role's trust policy does not let {service} assume it: {trust.reason}")
    documents = list(role.policies.values()) + [
        version.document for policy in role.managed_policies.values()
        for version in policy.versions if version.is_default]
    request = Request(action, resource, principal_arn=role_arn, context=context)
    decisions = [evaluate(document, request, resource_policy=False) for document in documents]
    denied = [d for d in decisions if not d.allowed and "denies it explicitly" in d.reason]
    if denied:
        return Decision(False, f"a permission policy of the role denies {action}: {denied[0].reason}")
    if any(d.allowed for d in decisions):
        return Decision(True, f"the role may call {action} on {resource}")
    return Decision(False, f"no permission policy of the role allows {action} on {resource}")
