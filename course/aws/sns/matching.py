"""Does a message match a filter policy? Attribute scope and body (payload) scope, as AWS does it."""

from __future__ import annotations

import fnmatch
import ipaddress
import json
from typing import Any

from course.aws.sns.policy import expand

__all__ = ["matches", "attribute_values", "body_values"]

_MISSING = object()


def matches(policy: dict, scope: str, message_attributes: dict[str, Any] | None, body: str) -> bool:
    """True when the message (its attributes, or its JSON body) matches the policy."""
    if scope == "MessageBody":
        values = body_values(body)
        if values is None:
            return False  # a body that is not a JSON object matches no payload-based policy
    else:
        values = attribute_values(message_attributes or {})
    return any(
        all(_key_matches(values.get(".".join(path), _MISSING), rules) for path, rules in alternative.items())
        for alternative in expand(policy, nested=scope == "MessageBody")
    )


def attribute_values(attributes: dict[str, Any]) -> dict[str, Any]:
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


def body_values(body: str) -> dict[str, list[Any]] | None:
    """Dotted path -> leaf values of a JSON object body (arrays flattened); None if not an object."""
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    values: dict[str, list[Any]] = {}
    _flatten(payload, "", values)
    return values


def _flatten(node: Any, path: str, values: dict[str, list[Any]]) -> None:
    if isinstance(node, dict):
        for key, child in node.items():
            _flatten(child, f"{path}.{key}" if path else key, values)
    elif isinstance(node, list):
        values.setdefault(path, [])
        for child in node:  # arrays (of arrays, of objects) are flattened: any element may match
            _flatten(child, path, values)
    else:
        values.setdefault(path, []).append(node)


def _key_matches(values: Any, rules: list[Any]) -> bool:
    present = values is not _MISSING
    leaves = values if present else []
    return any(_rule_matches(rule, present, leaves) for rule in rules)


def _rule_matches(rule: Any, present: bool, leaves: list[Any]) -> bool:
    if not isinstance(rule, dict):
        return any(_equal(rule, leaf) for leaf in leaves)
    (operator, value), = rule.items()
    if operator == "exists":
        return (present and bool(leaves)) == value
    if operator == "anything-but":
        return any(_anything_but(value, leaf) for leaf in leaves)
    return any(_operator(operator, value, leaf) for leaf in leaves)


def _equal(rule: Any, leaf: Any) -> bool:
    if rule is None or leaf is None:
        return rule is None and leaf is None
    if isinstance(rule, bool) or isinstance(leaf, bool):
        return isinstance(rule, bool) and isinstance(leaf, bool) and rule == leaf
    if isinstance(rule, (int, float)):
        return isinstance(leaf, (int, float)) and float(rule) == float(leaf)
    return isinstance(leaf, str) and rule == leaf


def _anything_but(value: Any, leaf: Any) -> bool:
    if isinstance(value, dict):
        return isinstance(leaf, str) and not leaf.startswith(value["prefix"])
    excluded = value if isinstance(value, list) else [value]
    return leaf is not None and not any(_equal(rule, leaf) for rule in excluded)


def _operator(operator: str, value: Any, leaf: Any) -> bool:
    if operator == "numeric":
        return _is_number(leaf) and _numeric(value, float(leaf))
    if not isinstance(leaf, str):
        return False
    if operator == "prefix":
        return leaf.startswith(value)
    if operator == "suffix":
        return leaf.endswith(value)
    if operator == "equals-ignore-case":
        return leaf.lower() == value.lower()
    if operator == "wildcard":
        return fnmatch.fnmatchcase(leaf, value.replace("[", "[[]"))
    if operator == "cidr":
        try:
            return ipaddress.ip_address(leaf) in ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric(conditions: list[Any], number: float) -> bool:
    checks = {"=": number.__eq__, ">": number.__gt__, ">=": number.__ge__, "<": number.__lt__, "<=": number.__le__}
    return all(checks[op](float(bound)) for op, bound in zip(conditions[::2], conditions[1::2]))
