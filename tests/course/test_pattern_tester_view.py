"""The event-pattern tester view: its model and its widget, driven without a browser."""

import json

from course.views.pattern_tester import PatternTester, verdict_of

EVENT = {"source": "com.shop.orders", "detail-type": "OrderPlaced", "detail": {"amount": 750, "region": "EU"}}


def test_match_names_the_field():
    verdict = verdict_of(json.dumps(EVENT), json.dumps({"detail": {"region": ["EU"]}}))
    assert verdict == {"status": "match", "field": "detail.region", "reason": 'detail.region = "EU" matches "EU"'}


def test_no_match_names_the_field_that_failed():
    verdict = verdict_of(json.dumps(EVENT), json.dumps({"source": ["com.shop.orders"], "detail": {"amount": [{"numeric": [">", 1000]}]}}))
    assert verdict["status"] == "no match" and verdict["field"] == "detail.amount"


def test_invalid_inputs_say_why():
    assert "not valid JSON" in verdict_of("{", "{}")["reason"]
    assert "EventBridge rejects" in verdict_of("{}", json.dumps({"source": "x"}))["reason"]


def test_widget_updates_when_the_pattern_is_edited():
    tester = PatternTester(EVENT, {"detail": {"region": ["US"]}})
    box = tester.widget()
    result = tester._widgets["result"]
    assert "NO MATCH" in result.value
    tester._widgets["pattern"].value = json.dumps({"detail": {"region": ["EU"]}})
    assert "MATCH" in result.value and "NO MATCH" not in result.value
    assert result.get_state()["value"] == result.value
    assert len(box.children) == 2
