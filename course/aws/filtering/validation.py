"""Is a pattern (EventBridge) or filter policy (SNS) one the service accepts?

One set of rules for both services; the :class:`~course.aws.filtering.dialect.Dialect` switches
on or off what only one of them accepts. Reasons are AWS's own wording where it is known (the
``InvalidEventPatternException`` / ``InvalidParameter`` texts recorded in
tests/course/fixtures/event-patterns and sns-filter-policies).
"""

from __future__ import annotations

import ipaddress
from math import prod
from typing import Any

from course.aws.filtering.dialect import Dialect
from course.aws.filtering.operators import is_number, wildcard_complexity

__all__ = ["validate", "expand", "complexity", "Alternative", "MAX_WILDCARD_COMPLEXITY"]

Alternative = dict[tuple[str, ...], list[Any]]

#: Largest :func:`~course.aws.filtering.operators.wildcard_complexity` accepted. AWS does not
#: publish its limit; the AWS-validated cases bound it: "/Users/*/dir/dir/dir/dir/dir/doc.txt"
#: (8) is accepted, "*:*:*:*:*:event-bus/*" (13) is "too complex".
MAX_WILDCARD_COMPLEXITY = 10
_LOW, _HIGH = (">", ">="), ("<", "<=")


def validate(pattern: Any, dialect: Dialect) -> None:
    """Raise ``dialect.error`` for a pattern the service rejects; return None when it accepts it."""
    if not isinstance(pattern, dict):
        raise dialect.reject("Filter is not an object")
    _validate_object(pattern, dialect)
    if dialect.max_keys is None and dialect.max_combinations is None:
        return
    alternatives = expand(pattern, dialect)
    if dialect.max_keys is not None:
        # SNS Developer Guide, "Filter policy constraints": at most 5 keys (per $or alternative)
        for alternative in alternatives:
            if len({path[0] for path in alternative}) > dialect.max_keys:
                raise dialect.reject(f"Filter policy can not have more than {dialect.max_keys} keys")
    if dialect.max_combinations is not None and complexity(alternatives) > dialect.max_combinations:
        raise dialect.reject("Filter policy is too complex")


def expand(pattern: dict, dialect: Dialect, prefix: tuple[str, ...] = ()) -> list[Alternative]:
    """The pattern as a list of alternatives (one per ``$or`` branch): key path -> list of rules.

    An event matches the pattern when it matches every path of at least one alternative. Paths are
    the keys as written (a dotted key is one step), which is how SNS counts keys and depth.
    """
    alternatives: list[Alternative] = [{}]
    for key, value in pattern.items():
        if key == "$or":
            _check_or(value, dialect)
            branches = [b for sub in value for b in expand(sub, dialect, prefix)]
        elif isinstance(value, dict):
            if not dialect.nested:
                raise dialect.reject("Filter policy scope MessageAttributes does not support nested filter policy")
            branches = expand(value, dialect, (*prefix, key))
        elif isinstance(value, list):
            branches = [{(*prefix, key): value}]
        else:
            raise dialect.reject(f'"{key}" must be an object or an array')
        alternatives = [{**a, **b} for a in alternatives for b in branches]
    return alternatives


def complexity(alternatives: list[Alternative]) -> int:
    """SNS's count of combinations: per alternative, the product of (number of values x key depth),
    summed over alternatives ("Filter policy constraints"; AWS accepts a 150-combination $or policy)."""
    return sum(prod(len(rules) * len(path) for path, rules in alternative.items()) for alternative in alternatives)


# -- structure ---------------------------------------------------------------------------------
def _check_or(value: Any, dialect: Dialect) -> None:
    # "$or" takes an array of at least two objects (EventBridge "Or matching"; SNS "OR operator")
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
        raise dialect.reject('"$or" must be an array of at least two objects')


def _validate_object(node: dict, dialect: Dialect) -> None:
    for key, value in node.items():
        if key == "$or":
            _check_or(value, dialect)
            for branch in value:
                _validate_object(branch, dialect)
        elif isinstance(value, dict):
            if not dialect.nested:
                raise dialect.reject("Filter policy scope MessageAttributes does not support nested filter policy")
            if not value:
                raise dialect.reject(f'"{key}" must not be an empty object')
            _validate_object(value, dialect)
        elif isinstance(value, list):
            if not value:
                raise dialect.reject("Empty arrays are not allowed")
            for rule in value:
                _validate_rule(rule, dialect)
        else:
            raise dialect.reject(f'"{key}" must be an object or an array')


def _validate_rule(rule: Any, dialect: Dialect) -> None:
    if rule is None or isinstance(rule, (str, bool)) or is_number(rule):
        return
    if not isinstance(rule, dict):
        raise dialect.reject("Match value must be String, number, true, false, or null")
    if len(rule) != 1:
        raise dialect.reject("Only one key allowed in match expression")
    (operator, value), = rule.items()
    if operator not in dialect.operators:
        # operator names are case-sensitive: "NUMERIC" and "EXISTS" are rejected (AWS-validated)
        raise dialect.reject(f"Unrecognized match type {operator}")
    _VALIDATORS[operator](operator, value, dialect)


def _string(operator: str, value: Any, dialect: Dialect) -> None:
    if isinstance(value, str):
        return
    if (operator in ("prefix", "suffix") and dialect.affix_ignore_case and isinstance(value, dict)
            and list(value) == ["equals-ignore-case"] and isinstance(value["equals-ignore-case"], str)):
        return  # "Prefix matching while ignoring case" / "Suffix matching while ignoring case"
    raise dialect.reject(f"{operator} match pattern must be a string")


def _exists(operator: str, value: Any, dialect: Dialect) -> None:
    if not isinstance(value, bool):
        raise dialect.reject("exists match pattern must be either true or false.")


def _wildcard(operator: str, value: Any, dialect: Dialect) -> None:
    """EventBridge "Wildcard matching": a string; no two stars in a row; not too complex."""
    if not isinstance(value, str):
        raise dialect.reject("wildcard match pattern must be a string")
    unescaped = value.replace("\\\\", "__").replace("\\*", "__")
    if "**" in unescaped:
        raise dialect.reject(f"Consecutive wildcard characters at pos {unescaped.index('**') + 1}")
    if wildcard_complexity(value) > MAX_WILDCARD_COMPLEXITY:
        raise dialect.reject("Rule is too complex - try using fewer wildcard characters or fewer repeating "
                             "character sequences after a wildcard character")


def _numeric(operator: str, value: Any, dialect: Dialect) -> None:
    """"Numeric matching": [op, n] or [">"/">=", low, "<"/"<=", high] with low < high."""
    if not isinstance(value, list):
        raise dialect.reject("Value of numeric must be an array.")
    if len(value) not in (2, 4):
        raise dialect.reject("Value of numeric must be an array of 2 or 4 elements")
    pairs = list(zip(value[::2], value[1::2]))
    for op, number in pairs:
        if op not in ("=", *_LOW, *_HIGH):
            raise dialect.reject(f"Unrecognized numeric range operator: {op}")
        if not is_number(number):
            raise dialect.reject(f"Value of {'equals' if op == '=' else op} must be numeric")
        if dialect.numeric_limit is not None and abs(number) > dialect.numeric_limit:
            raise dialect.reject(f"Value of numeric must be between -{dialect.numeric_limit:.1E} and "
                                 f"{dialect.numeric_limit:.1E}")
    if len(pairs) == 2:
        (low_op, low), (high_op, high) = pairs
        if low_op not in _LOW:
            raise dialect.reject("Too many elements in numeric expression")
        if high_op not in _HIGH:
            raise dialect.reject(f"Bad numeric range operator: {high_op}")
        if not low < high:
            raise dialect.reject("Bottom must be less than top")


def _cidr(operator: str, value: Any, dialect: Dialect) -> None:
    """"IP address matching": an IPv4 or IPv6 network with one '/' and integer mask bits."""
    if not isinstance(value, str):
        raise dialect.reject("prefix match pattern must be a string")  # AWS's wording for cidr too
    if value.count("/") != 1:
        raise dialect.reject("Malformed CIDR, one '/' required")
    address, mask = value.split("/")
    if not mask.isdigit():
        raise dialect.reject("Malformed CIDR, mask bits must be an integer")
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise dialect.reject(f"Nonstandard IP address: {address}") from None


def _anything_but(operator: str, value: Any, dialect: Dialect) -> None:
    """"Anything-but matching": a string, a number, a list of all strings or all numbers, or one of
    ``dialect.anything_but_operators`` with a string (or, where allowed, a list of strings)."""
    if isinstance(value, str) or is_number(value):
        return
    if isinstance(value, list):
        if any(v is None or isinstance(v, bool) for v in value):
            raise dialect.reject("Inside anything but list, start|null|boolean is not supported.")
        if not value or not (all(isinstance(v, str) for v in value) or all(is_number(v) for v in value)):
            raise dialect.reject("Inside anything-but list, all values must be strings or all numbers, and not empty")
        return
    if not isinstance(value, dict) or len(value) != 1:
        raise dialect.reject("Value of anything-but must be an array or single string/number value.")
    (inner, expected), = value.items()
    if inner not in dialect.anything_but_operators:
        raise dialect.reject(f"Unsupported anything-but pattern: {inner}")
    items = expected if isinstance(expected, list) and dialect.anything_but_lists else [expected]
    if inner in ("prefix", "suffix"):
        if isinstance(expected, dict):
            raise dialect.reject("Value of anything-but must be an array or single string/number value.")
        if not items or not all(isinstance(i, str) for i in items):
            # AWS's wording (both recorded): SNS "prefix match pattern ...", EventBridge "prefix/suffix match pattern ..."
            named = "prefix/suffix" if dialect.anything_but_lists else inner
            raise dialect.reject(f"{named} match pattern must be a string")
        if not all(items):
            raise dialect.reject("Null prefix/suffix not allowed")
    elif inner == "equals-ignore-case":
        if not items or not all(isinstance(i, str) for i in items):
            raise dialect.reject("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
    else:
        if not items:
            raise dialect.reject("wildcard match pattern must be a string")
        for item in items:
            _wildcard(inner, item, dialect)


_VALIDATORS = {
    "prefix": _string, "suffix": _string, "equals-ignore-case": _string, "wildcard": _wildcard,
    "exists": _exists, "numeric": _numeric, "cidr": _cidr, "anything-but": _anything_but,
}
