"""One value against one rule: the comparison operators, shared by SNS and EventBridge.

Each function answers for a single leaf value (a string, number, boolean or null) of the message
or event; :mod:`~course.aws.filtering.matching` applies them to every element of an array.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Any

__all__ = ["MISSING", "is_number", "equal", "rule_matches", "wildcard_tokens", "wildcard_complexity"]

#: A field the message or event does not have (different from a field whose value is null).
MISSING: Any = object()


def is_number(value: Any) -> bool:
    """True for an int or float that is not a bool (JSON ``true`` is not the number 1)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def equal(rule: Any, value: Any) -> bool:
    """Exact match: same JSON type and value ("Matching event values": strings are case-sensitive,
    null matches only null, a string never matches a number)."""
    if rule is None or value is None:
        return rule is None and value is None
    if isinstance(rule, bool) or isinstance(value, bool):
        return isinstance(rule, bool) and isinstance(value, bool) and rule == value
    if is_number(rule):
        return is_number(value) and float(rule) == float(value)
    return isinstance(value, str) and rule == value


def rule_matches(rule: Any, present: bool, values: list[Any]) -> bool:
    """Does one rule of a value list accept the field? ``values`` are its leaf values (an array's
    elements, or the single value); ``present`` is False when the field is missing."""
    if not isinstance(rule, dict):
        return any(equal(rule, value) for value in values)
    (operator, expected), = rule.items()
    if operator == "exists":
        # "Exists matching" works on leaf nodes only: an object or an empty array does not count
        return (present and bool(values)) == expected
    if operator == "anything-but":
        # AWS-validated (see tests/course/fixtures/event-patterns): a missing field never matches,
        # but null and numbers do - they are "anything but" a string, a prefix, a wildcard...
        return any(_anything_but(expected, value) for value in values)
    return any(_compare(operator, expected, value) for value in values)


def _anything_but(expected: Any, value: Any) -> bool:
    if isinstance(expected, dict):
        (operator, inner), = expected.items()
        items = inner if isinstance(inner, list) else [inner]
        return not any(_compare(operator, item, value) for item in items)
    items = expected if isinstance(expected, list) else [expected]
    return not any(equal(item, value) for item in items)


def _compare(operator: str, expected: Any, value: Any) -> bool:
    """A string or numeric operator against one leaf; a value of the wrong type never matches."""
    if operator == "numeric":
        return is_number(value) and _numeric(expected, float(value))
    if not isinstance(value, str):
        return False
    if operator in ("prefix", "suffix"):
        # "Prefix/suffix matching while ignoring case": {"prefix": {"equals-ignore-case": "EventB"}}
        if isinstance(expected, dict):
            expected, value = expected["equals-ignore-case"].lower(), value.lower()
        return value.startswith(expected) if operator == "prefix" else value.endswith(expected)
    if operator == "equals-ignore-case":
        return value.lower() == expected.lower()
    if operator == "wildcard":
        return _wildcard_regex(expected).fullmatch(value) is not None
    if operator == "cidr":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(expected, strict=False)
        except ValueError:
            return False
    return False


def _numeric(conditions: list[Any], number: float) -> bool:
    checks = {"=": number.__eq__, ">": number.__gt__, ">=": number.__ge__, "<": number.__lt__, "<=": number.__le__}
    return all(checks[op](float(bound)) for op, bound in zip(conditions[::2], conditions[1::2]))


# -- wildcard ----------------------------------------------------------------------------------
_STAR = object()


def wildcard_tokens(expression: str) -> list[Any]:
    """The wildcard expression as characters and stars. Only ``*`` is a wildcard; ``\\*`` is a
    literal star and ``\\\\`` a literal backslash ("Wildcard matching"); ``?`` is an ordinary
    character in both services."""
    tokens: list[Any] = []
    index = 0
    while index < len(expression):
        char = expression[index]
        if char == "\\" and index + 1 < len(expression) and expression[index + 1] in "*\\":
            tokens.append(expression[index + 1])
            index += 2
            continue
        tokens.append(_STAR if char == "*" else char)
        index += 1
    return tokens


@lru_cache(maxsize=256)
def _wildcard_regex(expression: str) -> re.Pattern:
    parts = [".*" if token is _STAR else re.escape(token) for token in wildcard_tokens(expression)]
    return re.compile("".join(parts), re.S)


def wildcard_complexity(expression: str) -> int:
    """The most matcher states one input can keep alive at once in this wildcard expression.

    AWS rejects a wildcard rule whose matcher can be in too many states at once ("Rule is too
    complex - try using fewer wildcard characters or fewer repeating character sequences after a
    wildcard character"); every star and every repeat of the text after a star adds states. This
    runs the expression's automaton over every input class and returns the largest state set.
    """
    tokens = wildcard_tokens(expression)
    end = len(tokens)

    def closure(states: set[int]) -> frozenset[int]:
        todo, seen = list(states), set(states)
        while todo:  # a star may match nothing: being before it is also being after it
            position = todo.pop()
            if position < end and tokens[position] is _STAR and position + 1 not in seen:
                seen.add(position + 1)
                todo.append(position + 1)
        return frozenset(seen)

    alphabet = {token for token in tokens if token is not _STAR} | {None}  # None: any other character
    start = closure({0})
    seen, todo, largest = {start}, [start], len(start)
    while todo:
        states = todo.pop()
        for char in alphabet:
            after = {p if tokens[p] is _STAR else p + 1 for p in states
                     if p < end and (tokens[p] is _STAR or tokens[p] == char)}
            following = closure(after)
            if following and following not in seen:
                seen.add(following)
                todo.append(following)
                largest = max(largest, len(following))
    return largest
