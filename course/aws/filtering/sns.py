"""SNS subscription filter policies: the engine with SNS's settings, per filter-policy scope.

Attribute scope matches a message's attributes (a flat policy); body scope matches its JSON body
(nested policies allowed). Both: at most 5 keys and 150 combinations.
"""

from __future__ import annotations

import json
from typing import Any

from course.aws.filtering import matching, validation
from course.aws.filtering.dialect import Dialect, FilterError
from course.aws.filtering.validation import Alternative
from course.aws.limits import SNS_FILTER_MAX_COMBINATIONS, SNS_FILTER_MAX_KEYS, SNS_FILTER_NUMERIC_LIMIT

__all__ = ["FilterPolicyError", "SCOPES", "ATTRIBUTES", "BODY", "dialect",
           "validate", "matches", "explain", "expand", "complexity", "attribute_values", "body_values"]

SCOPES = ("MessageAttributes", "MessageBody")


class FilterPolicyError(FilterError):
    """A policy AWS rejects (``InvalidParameter``); the message says what is wrong."""


#: SNS Developer Guide, "String value matching" and "Numeric value matching": anything-but takes a
#: value, a list or one prefix - a suffix there is "Unsupported anything-but pattern: suffix"
#: (AWS-validated); "Filter policy constraints": numbers between -1e9 and 1e9, 5 keys, 150
#: combinations; "Filter policy scope": attribute policies cannot nest.
ATTRIBUTES = Dialect("SNS MessageAttributes", FilterPolicyError, "FilterPolicy: ",
                     anything_but_operators=("prefix",), anything_but_lists=False, affix_ignore_case=False,
                     nested=False, numeric_limit=SNS_FILTER_NUMERIC_LIMIT,
                     max_keys=SNS_FILTER_MAX_KEYS, max_combinations=SNS_FILTER_MAX_COMBINATIONS)
BODY = Dialect("SNS MessageBody", FilterPolicyError, "FilterPolicy: ",
               anything_but_operators=("prefix",), anything_but_lists=False, affix_ignore_case=False,
               nested=True, numeric_limit=SNS_FILTER_NUMERIC_LIMIT,
               max_keys=SNS_FILTER_MAX_KEYS, max_combinations=SNS_FILTER_MAX_COMBINATIONS)


def dialect(scope: str) -> Dialect:
    """The settings for a FilterPolicyScope (``MessageAttributes`` unless ``MessageBody``)."""
    return BODY if scope == "MessageBody" else ATTRIBUTES


def validate(policy: Any, scope: str = "MessageAttributes") -> None:
    """Raise :class:`FilterPolicyError` for any policy AWS would reject."""
    if scope not in SCOPES:
        raise FilterPolicyError(f"FilterPolicyScope: Invalid value [{scope}]. Please use either MessageBody or MessageAttributes")
    if not isinstance(policy, dict):
        raise FilterPolicyError("FilterPolicy: filter policy must be a JSON object")
    validation.validate(policy, dialect(scope))


def matches(policy: dict, scope: str, message_attributes: dict[str, Any] | None, body: str) -> bool:
    """True when the message (its attributes, or its JSON body) matches the policy."""
    return explain(policy, scope, message_attributes, body).matched


def explain(policy: dict, scope: str, message_attributes: dict[str, Any] | None, body: str) -> matching.Verdict:
    """Match, and say which field decided (see :func:`course.aws.filtering.matching.explain`)."""
    if scope == "MessageBody":
        values = body_values(body)
        if values is None:  # a body that is not a JSON object matches no payload-based policy
            return matching.Verdict(False, None, "the message body is not a JSON object")
    else:
        values = attribute_values(message_attributes or {})
    return matching.explain(policy, values)


def expand(policy: dict, *, nested: bool = True) -> list[Alternative]:
    """The policy as a list of alternatives (one per ``$or`` branch): path -> list of rules."""
    return validation.expand(policy, BODY if nested else ATTRIBUTES)


def complexity(alternatives: list[Alternative]) -> int:
    """AWS's count of combinations: per alternative, the product of (number of values x key depth)."""
    return validation.complexity(alternatives)


def attribute_values(attributes: dict[str, Any]) -> dict[str, list[Any]]:
    """Attribute name -> list of values (a String.Array gives its elements; Binary none)."""
    values: dict[str, list[Any]] = {}
    for name, attribute in attributes.items():
        data_type = attribute.get("DataType", attribute.get("Type", "String"))
        raw = attribute.get("StringValue", attribute.get("Value"))
        if data_type.startswith("Number"):
            try:
                values[name] = [float(raw)]
            except (TypeError, ValueError):
                values[name] = []
        elif data_type.startswith("String.Array"):
            try:
                parsed = json.loads(raw)
            except (TypeError, ValueError):
                parsed = None
            values[name] = parsed if isinstance(parsed, list) else []
        elif data_type.startswith("String"):
            values[name] = [raw]
        else:
            values[name] = []  # Binary: present, but nothing to compare
    return values


def body_values(body: str) -> dict[str, Any] | None:
    """The JSON object a body-scope policy is matched against; None if the body is not one."""
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None
