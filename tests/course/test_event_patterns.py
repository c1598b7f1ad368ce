"""EventBridge event patterns: every operator matches, misses and is rejected as the user guide says."""

import pytest

from course.aws.filtering.eventbridge import PatternError, explain, matches, validate

EVENT = {
    "version": "0", "id": "e-1", "detail-type": "OrderPlaced", "source": "com.shop.orders",
    "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-west-1",
    "resources": ["arn:aws:ec2:eu-west-1:123456789012:instance/i-1"],
    "detail": {
        "amount": 750, "currency": "EUR", "region": "EU", "express": True, "coupon": None, "note": "",
        "ip": "10.0.0.42", "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}],
        "tags": ["gift", "priority"], "customer": {"tier": "Gold", "email": "ana@example.com"},
    },
}

MATCH = [
    ({"source": ["com.shop.orders"]}, "exact string"),
    ({"detail": {"amount": [750]}}, "exact number"),
    ({"detail": {"express": [True]}}, "boolean"),
    ({"detail": {"coupon": [None]}}, "null matches JSON null"),
    ({"detail": {"note": [""]}}, "empty string"),
    ({"source": [{"prefix": "com.shop"}]}, "prefix"),
    ({"source": [{"prefix": {"equals-ignore-case": "COM.SHOP"}}]}, "prefix ignoring case"),
    ({"detail": {"customer": {"email": [{"suffix": "@example.com"}]}}}, "suffix"),
    ({"detail": {"customer": {"tier": [{"equals-ignore-case": "gold"}]}}}, "equals-ignore-case"),
    ({"detail": {"customer": {"email": [{"wildcard": "ana@*.com"}]}}}, "wildcard"),
    ({"detail": {"amount": [{"numeric": [">", 500, "<=", 1000]}]}}, "numeric range"),
    ({"detail": {"amount": [{"numeric": ["=", 750]}]}}, "numeric equals"),
    ({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}, "cidr"),
    ({"detail": {"currency": [{"exists": True}]}}, "exists"),
    ({"detail": {"refund": [{"exists": False}]}}, "exists false on a missing field"),
    ({"detail": {"currency": [{"anything-but": "USD"}]}}, "anything-but string"),
    ({"detail": {"currency": [{"anything-but": ["USD", "GBP"]}]}}, "anything-but list"),
    ({"detail": {"amount": [{"anything-but": [100, 200]}]}}, "anything-but numbers"),
    ({"detail": {"currency": [{"anything-but": {"prefix": "US"}}]}}, "anything-but prefix"),
    ({"detail": {"customer": {"email": [{"anything-but": {"suffix": "@corp.com"}}]}}}, "anything-but suffix"),
    ({"detail": {"customer": {"tier": [{"anything-but": {"equals-ignore-case": ["silver", "bronze"]}}]}}}, "anything-but ignore case"),
    ({"detail": {"tags": ["priority"]}}, "array field: any element"),
    ({"detail": {"items": {"sku": ["B-7"]}}}, "array of objects"),
    ({"resources": [{"prefix": "arn:aws:ec2"}]}, "resources array"),
    ({"$or": [{"detail-type": ["Refund"]}, {"detail": {"amount": [{"numeric": [">", 500]}]}}]}, "$or"),
    ({"detail": {"$or": [{"region": ["US"]}, {"currency": ["EUR"]}]}}, "nested $or"),
    ({"source": ["other", "com.shop.orders"]}, "values in a list are ORed"),
    ({}, "empty pattern"),
]

MISS = [
    ({"source": ["com.shop.ORDERS"]}, "exact is case-sensitive"),
    ({"detail": {"amount": ["750"]}}, "a string does not match a number"),
    ({"detail": {"missing": [None]}}, "null does not match a missing field"),
    ({"detail": {"coupon": [""]}}, "empty string does not match null"),
    ({"source": [{"prefix": "shop"}]}, "prefix"),
    ({"detail": {"amount": [{"numeric": [">", 750]}]}}, "numeric strict"),
    ({"detail": {"currency": [{"numeric": [">", 0]}]}}, "numeric on a string"),
    ({"detail": {"ip": [{"cidr": "10.0.1.0/24"}]}}, "cidr outside"),
    ({"detail": {"currency": [{"exists": False}]}}, "exists false on a present field"),
    ({"detail": {"refund": [{"exists": True}]}}, "exists on a missing field"),
    ({"detail": {"customer": [{"exists": True}]}}, "exists matches leaves only"),
    ({"detail": {"currency": [{"anything-but": "EUR"}]}}, "anything-but the value"),
    ({"detail": {"missing": [{"anything-but": "x"}]}}, "anything-but needs the field"),
    ({"detail": {"customer": {"email": [{"wildcard": "bob@*"}]}}}, "wildcard"),
    ({"source": ["com.shop.orders"], "detail-type": ["Refund"]}, "fields are ANDed"),
    ({"$or": [{"detail-type": ["Refund"]}, {"source": ["x"]}]}, "$or with no matching branch"),
]

INVALID = [
    ([], "not an object"),
    ({"source": "com.shop.orders"}, "leaf not in an array"),
    ({"source": []}, "empty array"),
    ({"detail": {"amount": [{"numeric": [">", 10, "<"]}]}}, "numeric with 3 elements"),
    ({"detail": {"amount": [{"numeric": ["<", 100, ">", 10]}]}}, "numeric range in the wrong order"),
    ({"detail": {"amount": [{"numeric": [">", 100, "<", 10]}]}}, "numeric bottom above top"),
    ({"detail": {"amount": [{"numeric": [">", "10"]}]}}, "numeric value as a string"),
    ({"detail": {"amount": [{"numeric": ["~", 10]}]}}, "numeric unknown operator"),
    ({"detail": {"amount": [{"numeric": ["<", 6e9]}]}}, "numeric out of range"),
    ({"detail": {"ip": [{"cidr": "10.0.0.0"}]}}, "cidr without a mask"),
    ({"detail": {"ip": [{"cidr": "10.0.0.300/24"}]}}, "cidr not an address"),
    ({"detail": {"email": [{"wildcard": "a**b"}]}}, "consecutive wildcards"),
    ({"detail": {"email": [{"wildcard": 5}]}}, "wildcard not a string"),
    ({"source": [{"prefix": 5}]}, "prefix not a string"),
    ({"source": [{"suffix": ["a"]}]}, "suffix list"),
    ({"source": [{"equals-ignore-case": None}]}, "equals-ignore-case null"),
    ({"source": [{"exists": "yes"}]}, "exists not a boolean"),
    ({"source": [{"anything-but": []}]}, "anything-but empty list"),
    ({"source": [{"anything-but": ["a", 1]}]}, "anything-but mixed types"),
    ({"source": [{"anything-but": {"exists": False}}]}, "anything-but exists"),
    ({"source": [{"anything-but": {"anything-but": "x"}}]}, "nested anything-but"),
    ({"source": [{"prefix": "a", "suffix": "b"}]}, "two operators in one expression"),
    ({"source": [{"contains": "a"}]}, "unknown operator"),
    ({"source": [["a"]]}, "nested array"),
    ({"$or": [{"source": ["a"]}]}, "$or with one branch"),
]


@pytest.mark.parametrize(("pattern", "what"), MATCH, ids=[w for _, w in MATCH])
def test_matches(pattern, what):
    validate(pattern)
    assert matches(pattern, EVENT)


@pytest.mark.parametrize(("pattern", "what"), MISS, ids=[w for _, w in MISS])
def test_does_not_match(pattern, what):
    validate(pattern)
    assert not matches(pattern, EVENT)


@pytest.mark.parametrize(("pattern", "what"), INVALID, ids=[w for _, w in INVALID])
def test_rejected(pattern, what):
    with pytest.raises(PatternError):
        validate(pattern)


def test_explain_names_the_deciding_field():
    verdict = explain({"source": ["com.shop.orders"], "detail": {"amount": [{"numeric": [">", 1000]}]}}, EVENT)
    assert not verdict.matched and verdict.field == "detail.amount" and "750" in verdict.reason
    verdict = explain({"detail": {"currency": ["EUR"]}}, EVENT)
    assert verdict.matched and verdict.field == "detail.currency"
