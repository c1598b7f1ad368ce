"""EventBridge event-pattern validation and matching (with the deciding field, for teaching)."""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["PatternError", "Verdict", "validate", "matches", "explain"]

_MISSING = object()
_NUMERIC_LIMIT = 5e9  # EventBridge numeric values are between -5.0e9 and +5.0e9


class PatternError(ValueError):
    """A pattern AWS rejects; the message is the reason AWS gives (InvalidEventPatternException)."""


@dataclass
class Verdict:
    """Whether an event matched, and which field decided it."""

    matched: bool
    field: str | None = None  #: dotted path of the deciding field (None for an empty pattern)
    reason: str = ""


# -- validation -------------------------------------------------------------------------------
def validate(pattern: Any) -> None:
    """Raise :class:`PatternError` for a pattern EventBridge would reject."""
    if not isinstance(pattern, dict):
        raise PatternError("Event pattern must be a JSON object")
    _validate_object(pattern, "")


def _validate_object(node: dict, path: str) -> None:
    for key, value in node.items():
        where = f"{path}.{key}" if path else key
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise PatternError('"$or" must be an array of at least two objects')
            for branch in value:
                _validate_object(branch, path)
        elif isinstance(value, dict):
            if not value:
                raise PatternError(f'"{where}" must not be an empty object')
            _validate_object(value, where)
        elif isinstance(value, list):
            if not value:
                raise PatternError("Empty arrays are not allowed")
            for rule in value:
                _validate_rule(where, rule)
        else:
            raise PatternError(f'"{where}" must be an object or an array')


def _validate_rule(where: str, rule: Any) -> None:
    if isinstance(rule, (str, bool)) or rule is None:
        return
    if isinstance(rule, (int, float)):
        return
    if isinstance(rule, list):
        raise PatternError(f'Match value for "{where}" must be a string, number, true, false, null or an object')
    if not isinstance(rule, dict) or len(rule) != 1:
        raise PatternError(f'Only one key allowed in match expression for "{where}"')
    (operator, value), = rule.items()
    if operator in ("prefix", "suffix"):
        if isinstance(value, dict) and list(value) == ["equals-ignore-case"] and isinstance(value["equals-ignore-case"], str):
            return
        if not isinstance(value, str):
            raise PatternError(f"{operator} match pattern must be a string")
    elif operator == "equals-ignore-case":
        if not isinstance(value, str):
            raise PatternError("equals-ignore-case match pattern must be a string")
    elif operator == "wildcard":
        _validate_wildcard(value)
    elif operator == "exists":
        if not isinstance(value, bool):
            raise PatternError("exists match pattern must be either true or false.")
    elif operator == "numeric":
        _validate_numeric(value)
    elif operator == "cidr":
        _validate_cidr(value)
    elif operator == "anything-but":
        _validate_anything_but(value)
    else:
        raise PatternError(f"Unrecognized match type {operator}")


def _validate_wildcard(value: Any) -> None:
    if not isinstance(value, str):
        raise PatternError("wildcard match pattern must be a string")
    if "**" in value.replace("\\*", ""):
        raise PatternError("Consecutive wildcard characters at pos are not allowed")


def _validate_cidr(value: Any) -> None:
    if not isinstance(value, str) or "/" not in value:
        raise PatternError("Malformed CIDR, one '/' required")
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise PatternError(f"Malformed CIDR {value!r}") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _validate_numeric(value: Any) -> None:
    if not isinstance(value, list) or len(value) not in (2, 4):
        raise PatternError("Value of numeric must be an array of 2 or 4 elements")
    pairs = list(zip(value[::2], value[1::2]))
    for operator, number in pairs:
        if operator not in ("=", "<", "<=", ">", ">="):
            raise PatternError(f"Unrecognized numeric range operator: {operator!r}")
        if not _is_number(number):
            raise PatternError("Value of numeric must be a number")
        if abs(number) > _NUMERIC_LIMIT:
            raise PatternError("Value of numeric must be between -5.0E9 and 5.0E9")
    if len(pairs) == 2:
        (low_op, low), (high_op, high) = pairs
        if low_op not in (">", ">=") or high_op not in ("<", "<="):
            raise PatternError("Bad numeric range operator")
        if not low < high:
            raise PatternError("Bottom must be less than top")


def _validate_anything_but(value: Any) -> None:
    if isinstance(value, str) or _is_number(value):
        return
    if isinstance(value, list):
        if value and (all(isinstance(v, str) for v in value) or all(_is_number(v) for v in value)):
            return
        raise PatternError("Inside anything-but list, all values must be strings or all numbers, and not empty")
    if isinstance(value, dict) and len(value) == 1:
        (operator, inner), = value.items()
        if operator in ("prefix", "suffix") and isinstance(inner, str) and inner:
            return
        if operator in ("equals-ignore-case", "wildcard"):
            items = inner if isinstance(inner, list) else [inner]
            if items and all(isinstance(i, str) for i in items):
                if operator == "wildcard":
                    for item in items:
                        _validate_wildcard(item)
                return
    raise PatternError("Value of anything-but must be an array or single string/number value, or a "
                       "prefix, suffix, equals-ignore-case or wildcard expression")


# -- matching ---------------------------------------------------------------------------------
def matches(pattern: dict, event: dict) -> bool:
    """True when the event matches the pattern (an empty pattern matches everything)."""
    return explain(pattern, event).matched


def explain(pattern: dict, event: dict) -> Verdict:
    """Match, and say which field decided: the first that failed, or the last that matched."""
    if not pattern:
        return Verdict(True, None, "an empty pattern matches every event")
    return _object(pattern, event, "")


def _object(pattern: dict, node: Any, path: str) -> Verdict:
    last = Verdict(True, path or None, "")
    for key, rules in pattern.items():
        if key == "$or":
            verdicts = [_object(branch, node, path) for branch in rules]
            hit = next((v for v in verdicts if v.matched), None)
            if hit is None:
                return Verdict(False, verdicts[0].field, "no branch of $or matched: " + verdicts[0].reason)
            last = hit
            continue
        where = f"{path}.{key}" if path else key
        value = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
        if isinstance(rules, dict):
            if isinstance(value, list):  # an array of objects: any element may match
                verdicts = [_object(rules, item, where) for item in value if isinstance(item, dict)]
                verdict = next((v for v in verdicts if v.matched), None) or (
                    verdicts[0] if verdicts else Verdict(False, where, f"{where} is not an object"))
            else:
                verdict = _object(rules, value if isinstance(value, dict) else {}, where) if value is not _MISSING \
                    else _absent_object(rules, where)
            if not verdict.matched:
                return verdict
            last = verdict
            continue
        verdict = _leaf(rules, value, where)
        if not verdict.matched:
            return verdict
        last = verdict
    return last


def _absent_object(rules: dict, where: str) -> Verdict:
    """A missing object matches only if every rule under it accepts absence (exists: false)."""
    return _object(rules, {}, where)


def _leaf(rules: list, value: Any, where: str) -> Verdict:
    present = value is not _MISSING
    values = value if isinstance(value, list) else ([value] if present else [])
    for rule in rules:
        if _rule(rule, present, values):
            return Verdict(True, where, f"{where} = {_show(value)} matches {_show(rule)}")
    shown = _show(value) if present else "missing"
    return Verdict(False, where, f"{where} is {shown}, which matches none of {_show(rules)}")


def _rule(rule: Any, present: bool, values: list[Any]) -> bool:
    if not isinstance(rule, dict):
        return any(_equal(rule, v) for v in values)
    (operator, expected), = rule.items()
    if operator == "exists":
        leaves = [v for v in values if not isinstance(v, (dict, list))]
        return bool(present and leaves) == expected
    if operator == "anything-but":
        # like every rule on an array field: it matches when some element matches
        if isinstance(expected, dict):
            return any(_anything_but_operator(expected, v) for v in values)
        return any(v is not None and not _any_of(expected, v) for v in values)
    return any(_operator(operator, expected, v) for v in values)


def _any_of(excluded: Any, value: Any) -> bool:
    items = excluded if isinstance(excluded, list) else [excluded]
    return any(_equal(item, value) for item in items)


def _anything_but_operator(expression: dict, value: Any) -> bool:
    (operator, expected), = expression.items()
    if not isinstance(value, str):
        return False
    items = expected if isinstance(expected, list) else [expected]
    return not any(_operator(operator, item, value) for item in items)


def _equal(rule: Any, value: Any) -> bool:
    if rule is None or value is None:
        return rule is None and value is None
    if isinstance(rule, bool) or isinstance(value, bool):
        return isinstance(rule, bool) and isinstance(value, bool) and rule == value
    if _is_number(rule):
        return _is_number(value) and float(rule) == float(value)
    return isinstance(value, str) and rule == value


def _operator(operator: str, expected: Any, value: Any) -> bool:
    if operator == "numeric":
        if not _is_number(value):
            return False
        checks = {"=": value.__eq__, "<": value.__lt__, "<=": value.__le__, ">": value.__gt__, ">=": value.__ge__}
        return all(checks[op](bound) is True for op, bound in zip(expected[::2], expected[1::2]))
    if not isinstance(value, str):
        return False
    if operator in ("prefix", "suffix"):
        ignore_case = isinstance(expected, dict)
        text = expected["equals-ignore-case"] if ignore_case else expected
        subject = value.lower() if ignore_case else value
        text = text.lower() if ignore_case else text
        return subject.startswith(text) if operator == "prefix" else subject.endswith(text)
    if operator == "equals-ignore-case":
        return value.lower() == expected.lower()
    if operator == "wildcard":
        return _wildcard(expected).fullmatch(value) is not None
    if operator == "cidr":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(expected, strict=False)
        except ValueError:
            return False
    return False


def _wildcard(expression: str) -> re.Pattern:
    parts = re.split(r"(?<!\\)\*", expression)
    return re.compile(".*".join(re.escape(part.replace("\\*", "*")) for part in parts), re.S)


def _show(value: Any) -> str:
    return json.dumps(value) if value is not _MISSING else "missing"
