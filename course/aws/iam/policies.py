"""IAM policy evaluation for the sandbox: does this policy let that principal do that action?

moto stores queue, topic and role policies but does not evaluate them when one AWS service calls
another (EventBridge delivering to a queue, assuming a role to write to a stream). The sandbox
evaluates them here, with the part of AWS's logic that service-to-service delivery uses:

* an explicit ``Deny`` wins over any ``Allow``; no matching ``Allow`` is an implicit deny;
* ``Principal`` ``"*"`` and ``{"AWS": "*"}`` match every principal, service principals included
  (the SQS console writes ``{"AWS": "*"}`` with an ``aws:SourceArn`` condition);
* ``Action``/``NotAction`` and ``Resource``/``NotResource`` with ``*`` and ``?`` wildcards, actions
  case-insensitively;
* conditions ``StringEquals``, ``StringNotEquals``, ``StringLike``, ``StringNotLike``,
  ``ArnEquals``, ``ArnLike``, ``ArnNotEquals``, ``ArnNotLike`` (each also ``...IfExists``), on
  ``aws:SourceArn``, ``aws:SourceAccount`` and any other key the caller supplies; condition keys are
  case-insensitive, values of one key are OR-ed, keys and operators are AND-ed.

Source: IAM User Guide, "Policy evaluation logic", "IAM JSON policy elements: Principal",
"Condition operators"; Amazon SQS Developer Guide, "Basic examples of Amazon SQS policies".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Decision", "Request", "evaluate"]


@dataclass(frozen=True)
class Request:
    """One call to authorise: who (a service or an ARN), which action, on what, in what context."""

    action: str
    resource: str
    service: str | None = None  #: a service principal, e.g. "events.amazonaws.com"
    principal_arn: str | None = None  #: an IAM principal (account, role or user ARN)
    context: Mapping[str, str] = field(default_factory=dict)  #: condition keys, e.g. aws:SourceArn


@dataclass(frozen=True)
class Decision:
    """The outcome and, for a refusal, the reason in one sentence."""

    allowed: bool
    reason: str
    explicit_deny: bool = False  #: a Deny statement decided it (an identity policy's Deny wins over the others)


def evaluate(policy: str | Mapping[str, Any] | None, request: Request, *, resource_policy: bool = True) -> Decision:
    """Evaluate one policy document (JSON text or parsed) for ``request``.

    ``resource_policy=False`` evaluates an identity policy (attached to a role): it has no
    ``Principal`` element, the role is the principal.
    """
    statements = _statements(policy)
    if not statements:
        return Decision(False, "there is no policy, so nothing is allowed")
    allowing = None
    for statement in statements:
        if not _applies(statement, request, resource_policy):
            continue
        if statement.get("Effect") == "Deny":
            return Decision(False, f"statement {statement.get('Sid') or '(no Sid)'} denies it explicitly",
                            explicit_deny=True)
        if statement.get("Effect") == "Allow":
            allowing = statement
    if allowing is not None:
        return Decision(True, f"statement {allowing.get('Sid') or '(no Sid)'} allows it")
    who = request.service or request.principal_arn or "the caller"
    return Decision(False, f"no statement allows {who} to call {request.action} on {request.resource}"
                    + _condition_hint(statements, request))


def _statements(policy: str | Mapping[str, Any] | None) -> list[dict]:
    if not policy:
        return []
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return []
    statements = policy.get("Statement", []) if isinstance(policy, Mapping) else []
    return [s for s in ([statements] if isinstance(statements, Mapping) else statements) if isinstance(s, Mapping)]


def _applies(statement: Mapping[str, Any], request: Request, resource_policy: bool) -> bool:
    if resource_policy and not _principal_matches(statement, request):
        return False
    if not _listed(statement, "Action", "NotAction", request.action, case_sensitive=False):
        return False
    if not _listed(statement, "Resource", "NotResource", request.resource, case_sensitive=True):
        return False
    return _conditions_hold(statement.get("Condition") or {}, request.context)


def _principal_matches(statement: Mapping[str, Any], request: Request) -> bool:
    principal = statement.get("Principal")
    if principal is None:
        return False
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    aws = _as_list(principal.get("AWS"))
    if "*" in aws:
        return True
    if request.service and request.service in _as_list(principal.get("Service")):
        return True
    if request.principal_arn:
        account = request.principal_arn.split(":")[4] if request.principal_arn.count(":") >= 5 else ""
        return any(p in (request.principal_arn, account, f"arn:aws:iam::{account}:root") for p in aws)
    return False


def _listed(statement: Mapping[str, Any], key: str, negated: str, value: str, *, case_sensitive: bool) -> bool:
    if key in statement:
        return any(_wildcard(p, value, case_sensitive) for p in _as_list(statement[key]))
    if negated in statement:
        return not any(_wildcard(p, value, case_sensitive) for p in _as_list(statement[negated]))
    return key == "Resource"  # a resource policy may leave out Resource: it means this resource


def _wildcard(pattern: str, value: str, case_sensitive: bool) -> bool:
    """IAM's wildcards: ``*`` any run of characters, ``?`` one character; nothing else is special."""
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


_OPERATORS = {
    "StringEquals": lambda pattern, value: pattern == value,
    "StringLike": lambda pattern, value: _wildcard(pattern, value, True),
    "ArnEquals": lambda pattern, value: pattern == value,
    "ArnLike": lambda pattern, value: _wildcard(pattern, value, True),
}
_NEGATED = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike",
            "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}


def _conditions_hold(conditions: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    values = {key.lower(): value for key, value in context.items()}
    for operator, tests in conditions.items():
        if_exists = operator.endswith("IfExists")
        name = operator.removesuffix("IfExists")
        negate = name in _NEGATED
        compare = _OPERATORS.get(_NEGATED.get(name, name))
        if compare is None or not isinstance(tests, Mapping):
            return False  # an operator the sandbox does not model never grants access
        for key, patterns in tests.items():
            value = values.get(key.lower())
            if value is None:
                if if_exists or negate:
                    continue
                return False
            hit = any(compare(str(p), value) for p in _as_list(patterns))
            if hit == negate:
                return False
    return True


def _condition_hint(statements: list[dict], request: Request) -> str:
    """Say so when a statement would allow the call but for its condition (the usual mistake)."""
    for statement in statements:
        if statement.get("Effect") == "Allow" and statement.get("Condition") and _applies(
                {k: v for k, v in statement.items() if k != "Condition"}, request, True):
            return f" (a statement would, but its Condition does not hold for {dict(request.context)})"
    return ""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
