"""EventBridge patterns in the sandbox give AWS's verdict on every case validated against AWS.

fixtures/event-patterns/ (see its SOURCE.md) holds one JSON file per group: anything-but against
null and numbers, anything-but with lists, dotted keys, wildcards (complexity, ``?`` and escapes),
the rest of the operators. Every case names the documented behaviour it checks. The same engine
serves SNS, so the last tests check that a feature both services have behaves the same in both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.aws.filtering import eventbridge, sns

FIXTURES = Path(__file__).parent / "fixtures" / "event-patterns"
CASES = [case for path in sorted(FIXTURES.glob("*.json")) for case in json.loads(path.read_text())]


def verdict(pattern, event) -> str:
    """The sandbox's verdict, in the fixture's words: "match", "no match" or "invalid"."""
    try:
        eventbridge.validate(pattern)
    except eventbridge.PatternError:
        return "invalid"
    return "match" if eventbridge.matches(pattern, event) else "no match"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_matches_aws(case):
    """Does the sandbox judge the pattern and event as AWS does (match, no match, or rejected)?"""
    assert verdict(case["pattern"], case["event"]) == case["expected"], case["behaviour"]


def test_every_group_has_match_no_match_and_invalid_cases():
    """Is each behaviour the issue names covered from more than one side?"""
    seen = {(path.stem, case["expected"]) for path in FIXTURES.glob("*.json") for case in json.loads(path.read_text())}
    for group in ("anything-but", "anything-but-lists", "wildcard", "other"):
        assert {(group, e) for e in ("match", "no match", "invalid")} <= seen
    assert {("dotted-keys", "match"), ("dotted-keys", "no match"), ("anything-but-null-and-numbers", "match"),
            ("anything-but-null-and-numbers", "invalid")} <= seen
    assert sum(c["aws_validated"] for c in CASES) == 154


def test_rejections_say_what_aws_says():
    """Where AWS's reason is recorded, does the sandbox give the same reason for the main groups?"""
    for case in CASES:
        if case["expected"] == "invalid" and case["name"].startswith(("content_wildcard", "content_anything_prefix_empty")):
            with pytest.raises(eventbridge.PatternError) as raised:
                eventbridge.validate(case["pattern"])
            assert str(raised.value) == case["aws_error"], case["name"]


# -- one engine: a feature both services have behaves the same in both -------------------------
SHARED = [
    ({"code": [{"prefix": "ab"}]}, {"code": "abc"}, "prefix"),
    ({"code": [{"prefix": "b"}]}, {"code": "abc"}, "prefix, no match"),
    ({"code": [{"suffix": "bc"}]}, {"code": "abc"}, "suffix"),
    ({"code": [{"equals-ignore-case": "ABC"}]}, {"code": "abc"}, "equals-ignore-case"),
    ({"code": [{"anything-but": "abc"}]}, {"code": "abd"}, "anything-but"),
    ({"code": [{"anything-but": "abc"}]}, {"code": "abc"}, "anything-but, no match"),
    ({"code": [{"anything-but": "abc"}]}, {"code": None}, "anything-but matches null"),
    ({"code": [{"anything-but": {"prefix": "ab"}}]}, {"code": 12}, "anything-but prefix matches a number"),
    ({"code": [{"anything-but": "abc"}]}, {}, "anything-but needs the field"),
    ({"n": [{"numeric": [">", 10, "<=", 20]}]}, {"n": 20}, "numeric range"),
    ({"n": [{"numeric": ["=", 5]}]}, {"n": "5"}, "numeric does not match a string"),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.7"}, "cidr"),
    ({"code": [{"exists": False}]}, {"other": 1}, "exists false"),
    ({"code": [{"wildcard": "a?c"}]}, {"code": "abc"}, "? is a literal, not a wildcard"),
    ({"code": [{"wildcard": "a*c"}]}, {"code": "abbc"}, "* is a wildcard"),
    ({"a.b": ["x"]}, {"a": {"b": "x"}}, "dotted key in the pattern"),
    ({"a": {"b": ["x"]}}, {"a.b": "x"}, "dotted key in the event"),
    ({"tags": ["x"]}, {"tags": [["y"], ["x"]]}, "arrays of arrays"),
    ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"b": "2"}, "$or"),
]


@pytest.mark.parametrize(("pattern", "event", "what"), SHARED, ids=[w for _, _, w in SHARED])
def test_sns_body_policy_and_eventbridge_pattern_agree(pattern, event, what):
    """Does an SNS body-scope policy give the same verdict as the same EventBridge pattern?"""
    sns.validate(pattern, "MessageBody")
    eventbridge.validate(pattern)
    assert sns.matches(pattern, "MessageBody", None, json.dumps(event)) == eventbridge.matches(pattern, event)


def test_sns_attribute_policy_agrees_on_prefix_and_question_mark():
    """Attribute scope goes through the same operators: prefix matches, ``?`` stays literal."""
    attributes = {"code": {"DataType": "String", "StringValue": "abc"}}
    assert sns.matches({"code": [{"prefix": "ab"}]}, "MessageAttributes", attributes, "")
    assert not sns.matches({"code": [{"wildcard": "a?c"}]}, "MessageAttributes", attributes, "")
    assert eventbridge.matches({"code": [{"prefix": "ab"}]}, {"code": "abc"})


def test_what_only_eventbridge_accepts_is_a_setting():
    """Anything-but suffix and lists of prefixes: EventBridge accepts them, SNS rejects them (AWS-validated
    for SNS: invalid_anything_but_suffix); numbers beyond 1e9: EventBridge only (both guides)."""
    for pattern in ({"k": [{"anything-but": {"suffix": "x"}}]}, {"k": [{"anything-but": {"prefix": ["a", "b"]}}]},
                    {"k": [{"numeric": [">", 2e9]}]}):
        eventbridge.validate(pattern)
        with pytest.raises(sns.FilterPolicyError):
            sns.validate(pattern, "MessageBody")
