"""Filter-policy structure: validation as AWS does it, ``$or`` expansion and complexity."""

from __future__ import annotations

import ipaddress
from math import prod
from typing import Any

__all__ = ["FilterPolicyError", "SCOPES", "MAX_KEYS", "MAX_COMBINATIONS", "validate", "expand", "complexity"]

SCOPES = ("MessageAttributes", "MessageBody")
#: SNS Developer Guide, "Filter policy constraints": at most 5 keys and 150 value combinations.
MAX_KEYS = 5
MAX_COMBINATIONS = 150
_STRING_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard")
_RANGE_LOW, _RANGE_HIGH = (">", ">="), ("<", "<=")

Alternative = dict[tuple[str, ...], list[Any]]


class FilterPolicyError(ValueError):
    """A policy AWS rejects (``InvalidParameter``); the message says what is wrong."""


def validate(policy: Any, scope: str = "MessageAttributes") -> None:
    """Raise :class:`FilterPolicyError` for any policy AWS would reject."""
    if scope not in SCOPES:
        raise FilterPolicyError(f"FilterPolicyScope: Invalid value [{scope}]. Please use either MessageBody or MessageAttributes")
    if not isinstance(policy, dict):
        raise FilterPolicyError("FilterPolicy: filter policy must be a JSON object")
    alternatives = expand(policy, nested=scope == "MessageBody")
    for alternative in alternatives:
        if len({path[0] for path in alternative}) > MAX_KEYS:
            raise FilterPolicyError(f"FilterPolicy: Filter policy can not have more than {MAX_KEYS} keys")
        for path, rules in alternative.items():
            _validate_rules(".".join(path), rules)
    if complexity(alternatives) > MAX_COMBINATIONS:
        raise FilterPolicyError(f"FilterPolicy: Filter policy is too complex (more than {MAX_COMBINATIONS} combinations)")


def expand(policy: dict, *, nested: bool = True, prefix: tuple[str, ...] = ()) -> list[Alternative]:
    """The policy as a list of alternatives (one per ``$or`` branch): path -> list of rules.

    A message matches the policy when it matches every path of at least one alternative.
    """
    alternatives: list[Alternative] = [{}]
    for key, value in policy.items():
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise FilterPolicyError('FilterPolicy: "$or" must be an array of at least two objects')
            branches = [b for sub in value for b in expand(sub, nested=nested, prefix=prefix)]
        elif isinstance(value, dict):
            if not nested:
                raise FilterPolicyError("FilterPolicy: Filter policy scope MessageAttributes does not support nested filter policy")
            branches = expand(value, nested=nested, prefix=(*prefix, key))
        elif isinstance(value, list):
            branches = [{(*prefix, key): value}]
        else:
            raise FilterPolicyError(f'FilterPolicy: "{key}" must be an object or an array')
        alternatives = [{**a, **b} for a in alternatives for b in branches]
    return alternatives


def complexity(alternatives: list[Alternative]) -> int:
    """AWS's count of combinations: per alternative, the product of (number of values x key depth)."""
    return sum(prod(len(rules) * len(path) for path, rules in alternative.items()) for alternative in alternatives)


def _validate_rules(key: str, rules: list[Any]) -> None:
    if not rules:
        raise FilterPolicyError(f'FilterPolicy: Empty arrays are not allowed for "{key}"')
    for rule in rules:
        if isinstance(rule, list):
            raise FilterPolicyError(f'FilterPolicy: Match value for "{key}" must be a string, number, true, false, null or an object')
        if isinstance(rule, dict):
            _validate_operator(key, rule)


def _validate_operator(key: str, rule: dict) -> None:
    if len(rule) != 1:
        raise FilterPolicyError(f'FilterPolicy: Only one key allowed in match expression for "{key}"')
    (operator, value), = rule.items()
    if operator in _STRING_OPERATORS:
        if not isinstance(value, str):
            raise FilterPolicyError(f"FilterPolicy: {operator} match pattern must be a string")
    elif operator == "exists":
        if not isinstance(value, bool):
            raise FilterPolicyError("FilterPolicy: exists match pattern must be either true or false.")
    elif operator == "numeric":
        _validate_numeric(value)
    elif operator == "anything-but":
        _validate_anything_but(value)
    elif operator == "cidr":
        if not isinstance(value, str):
            raise FilterPolicyError("FilterPolicy: Malformed CIDR, one '/' required")
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise FilterPolicyError(f"FilterPolicy: Malformed CIDR {value!r}") from None
    else:
        raise FilterPolicyError(f"FilterPolicy: Unrecognized match type {operator}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _validate_numeric(value: Any) -> None:
    if not isinstance(value, list) or len(value) not in (2, 4):
        raise FilterPolicyError("FilterPolicy: Value of numeric must be an array of 2 or 4 elements")
    operator, number = value[0], value[1]
    if operator not in ("=", *_RANGE_LOW, *_RANGE_HIGH) or not _is_number(number):
        raise FilterPolicyError("FilterPolicy: Unrecognized numeric range operator or value")
    if len(value) == 4:
        upper_operator, upper = value[2], value[3]
        if operator not in _RANGE_LOW or upper_operator not in _RANGE_HIGH or not _is_number(upper):
            raise FilterPolicyError("FilterPolicy: Bad numeric range operator")
        if not number < upper:
            raise FilterPolicyError("FilterPolicy: Bottom must be less than top")


def _validate_anything_but(value: Any) -> None:
    if isinstance(value, str) or _is_number(value):
        return
    if isinstance(value, list) and value and all(isinstance(v, str) or _is_number(v) for v in value):
        return
    if isinstance(value, dict) and list(value) == ["prefix"] and isinstance(value["prefix"], str):
        return
    raise FilterPolicyError("FilterPolicy: Value of anything-but must be an array or single string/number value, or a prefix")
