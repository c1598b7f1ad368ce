"""Does an event (or SNS message) match a pattern, and which field decided?

Both services walk the pattern the same way: every key must match (AND), any rule in a value list
may match (OR), ``$or`` takes any branch, an array in the event matches when one of its elements
does (EventBridge "Arrays in event patterns"; SNS "Key matching" for arrays of objects). Keys are
joined with dots before matching, so ``"a.b"`` and ``{"a": {"b": ...}}`` are the same field, in the
pattern and in the event alike (EventBridge "Event pattern syntax", considerations: "EventBridge
uses the dot (.) as a joining character"; SNS: the AWS-validated body_dot_key cases).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from course.aws.filtering.operators import MISSING, rule_matches

__all__ = ["Verdict", "explain", "matches", "join_dotted_keys"]


@dataclass
class Verdict:
    """Whether an event matched, and which field decided it."""

    matched: bool
    field: str | None = None  #: dotted path of the deciding field (None for an empty pattern)
    reason: str = ""


def matches(pattern: dict, event: Any) -> bool:
    """True when the event matches the pattern (an empty pattern matches everything)."""
    return explain(pattern, event).matched


def explain(pattern: dict, event: Any) -> Verdict:
    """Match, and say which field decided: the first that failed, or the last that matched."""
    if not pattern:
        return Verdict(True, None, "an empty pattern matches every event")
    return _object(_pairs(pattern), join_dotted_keys(event), "")


def join_dotted_keys(node: Any) -> Any:
    """The event with dotted keys made nested: ``{"a.b": 1}`` -> ``{"a": {"b": 1}}``.

    Where two spellings meet (``{"a.b": 1, "a": {"b": 2}}``) the field holds both values, as an
    array would, so a rule matching either matches.
    """
    if isinstance(node, list):
        return [join_dotted_keys(item) for item in node]
    if not isinstance(node, dict):
        return node
    joined: dict[str, Any] = {}
    for key, value in node.items():
        head, *rest = key.split(".")
        for step in reversed(rest):
            value = {step: value}
        _merge(joined, head, join_dotted_keys(value))
    return joined


def _merge(target: dict, key: str, value: Any) -> None:
    if key not in target:
        target[key] = value
    elif isinstance(target[key], dict) and isinstance(value, dict):
        merged = dict(target[key])
        for inner, item in value.items():
            _merge(merged, inner, item)
        target[key] = merged
    else:
        old = target[key] if isinstance(target[key], list) else [target[key]]
        target[key] = old + (value if isinstance(value, list) else [value])


def _pairs(pattern: dict) -> list[tuple[str, Any]]:
    """The pattern as (key, rules) pairs with dotted keys split into nested pairs; a list of pairs
    rather than a dict, because ``"a"`` and ``"a.b"`` may both be named and both must match."""
    pairs: list[tuple[str, Any]] = []
    for key, rules in pattern.items():
        if key == "$or":
            pairs.append((key, [_pairs(branch) for branch in rules]))
            continue
        child = _pairs(rules) if isinstance(rules, dict) else rules
        head, *rest = key.split(".")
        for step in reversed(rest):
            child = [(step, child)]
        pairs.append((head, child))
    return pairs


def _is_object_rule(rules: Any) -> bool:
    return isinstance(rules, list) and bool(rules) and isinstance(rules[0], tuple)


def _object(pairs: list[tuple[str, Any]], node: Any, path: str) -> Verdict:
    last = Verdict(True, path or None, "")
    for key, rules in pairs:
        if key == "$or":
            verdicts = [_object(branch, node, path) for branch in rules]
            hit = next((v for v in verdicts if v.matched), None)
            if hit is None:
                return Verdict(False, verdicts[0].field, "no branch of $or matched: " + verdicts[0].reason)
            last = hit
            continue
        where = f"{path}.{key}" if path else key
        value = node.get(key, MISSING) if isinstance(node, dict) else MISSING
        verdict = _nested(rules, value, where) if _is_object_rule(rules) else _leaf(rules, value, where)
        if not verdict.matched:
            return verdict
        last = verdict
    return last


def _nested(pairs: list[tuple[str, Any]], value: Any, where: str) -> Verdict:
    if isinstance(value, list):  # an array of objects (or of arrays of objects): any element may match
        items = [item for item in _flatten(value) if isinstance(item, dict)]
        verdicts = [_object(pairs, item, where) for item in items]
        return next((v for v in verdicts if v.matched), None) or (
            verdicts[0] if verdicts else Verdict(False, where, f"{where} is not an object"))
    # a missing object matches only if every rule under it accepts absence (exists: false)
    return _object(pairs, value if isinstance(value, dict) else {}, where)


def _leaf(rules: list[Any], value: Any, where: str) -> Verdict:
    present = value is not MISSING
    leaves = [v for v in _flatten(value) if not isinstance(v, dict)] if isinstance(value, list) \
        else ([value] if present and not isinstance(value, dict) else [])
    for rule in rules:
        if rule_matches(rule, present, leaves):
            return Verdict(True, where, f"{where} = {_show(value)} matches {_show(rule)}")
    return Verdict(False, where, f"{where} is {_show(value)}, which matches none of {_show(rules)}")


def _flatten(items: list[Any]) -> list[Any]:
    """Arrays of arrays count as one array (AWS-validated: SNS body_array_of_objects_s3_records)."""
    flat: list[Any] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _show(value: Any) -> str:
    return json.dumps(value) if value is not MISSING else "missing"
