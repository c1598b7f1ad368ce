"""Put AWS's filter-policy rules into moto's SNS: validation on subscribe/set, matching on publish.

Installed by the sandbox (see ``AWS_BEHAVIOUR_MODULES`` in :mod:`course.sandbox.core`).
"""

from __future__ import annotations

from typing import Any

from course.sandbox import Sandbox
from course.aws.filtering.sns import SCOPES, FilterPolicyError, matches, validate

__all__ = ["AwsFilterPolicyMatcher", "install"]



class AwsFilterPolicyMatcher:
    """Stands in for moto's ``FilterPolicyMatcher`` (same constructor and ``matches``)."""

    def __init__(self, filter_policy: dict[str, Any], filter_policy_scope: str | None) -> None:
        self.filter_policy = filter_policy
        self.filter_policy_scope = filter_policy_scope or "MessageAttributes"

    def matches(self, message_attributes: dict[str, Any] | None, message: str) -> bool:
        if not self.filter_policy:
            return True
        return matches(self.filter_policy, self.filter_policy_scope, message_attributes, message)


def _invalid(error: FilterPolicyError) -> Exception:
    from moto.sns.exceptions import SNSInvalidParameter

    return SNSInvalidParameter(f"Invalid parameter: {error}")


def install(sandbox: Sandbox) -> None:
    import moto.sns.models as models

    original_set = models.SNSBackend.set_subscription_attributes

    def _validate_filter_policy(self: Any, value: Any, scope: str | None) -> None:
        try:
            validate(value, scope or "MessageAttributes")
        except FilterPolicyError as error:
            raise _invalid(error) from None

    def set_subscription_attributes(self: Any, arn: str, name: str, value: Any) -> None:
        if name == "FilterPolicyScope" and value not in SCOPES:
            raise _invalid(FilterPolicyError(
                f"FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes"))
        original_set(self, arn, name, value)
        if name == "FilterPolicyScope":
            # the scope may arrive after the policy: re-check the policy and match with the new scope
            subscription = self.subscriptions.get(arn)
            policy = subscription.attributes.get("FilterPolicy") if subscription else None
            if policy:
                original_set(self, arn, "FilterPolicy", policy)

    sandbox.registry.patch(models, "FilterPolicyMatcher", AwsFilterPolicyMatcher)
    sandbox.registry.patch(models.SNSBackend, "_validate_filter_policy", _validate_filter_policy)
    sandbox.registry.patch(models.SNSBackend, "set_subscription_attributes", set_subscription_attributes)


