"""EventBridge's target quota, enforced in the sandbox (an AWS-behaviour module).

AWS: "Each rule can have up to five (5) targets associated with it at one time" (EventBridge API
Reference, *PutTargets*; the same text ships in botocore's service model, see
:func:`documented_limit`). moto 5.2 accepts any number of targets
on a rule, so an exam trap ("a sixth target on the rule") would silently work in the course.
"""

from __future__ import annotations

from typing import Any

from course.aws.limits import EVENTS_MAX_TARGETS_PER_RULE
from course.sandbox import Sandbox

__all__ = ["install", "documented_limit"]


def documented_limit() -> str:
    """AWS's own text for PutTargets, from botocore's service model (it states the limit)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("events")
    return model.operation_model("PutTargets").documentation


def install(sandbox: Sandbox) -> None:
    """Reject a PutTargets call that would give a rule more than 5 targets. Safe to call twice."""
    from moto.core.exceptions import JsonRESTError
    from moto.events.models import Rule


    class LimitExceededException(JsonRESTError):
        code = 400

        def __init__(self, message: str) -> None:
            super().__init__("LimitExceededException", message)

    original = Rule.put_targets

    def put_targets(rule: Any, targets: list[dict[str, Any]]) -> None:
        ids = {t["Id"] for t in rule.targets} | {t["Id"] for t in targets}
        if len(ids) > EVENTS_MAX_TARGETS_PER_RULE:
            raise LimitExceededException(
                f"The requested resource exceeds the maximum number allowed: rule {rule.name} would have "
                f"{len(ids)} targets; a rule can have at most {EVENTS_MAX_TARGETS_PER_RULE}.")
        original(rule, targets)

    sandbox.registry.patch(Rule, "put_targets", put_targets)

