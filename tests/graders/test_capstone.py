"""The capstone's fault harness detects each fault on a deliberately broken pipeline."""

import json
from pathlib import Path

import nbformat
import pytest

from graders import capstone as check
from graders.check import CheckFailed

SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "06_capstone_order_pipeline" / "06_capstone_order_pipeline.ipynb"


@pytest.fixture
def solution(cloud):
    """The solution notebook's setup and answers, run in a namespace."""
    cells = {c.id: c.source for c in nbformat.read(SOURCE, as_version=4).cells}
    namespace: dict = {}
    exec(cells["cap-setup"], namespace)
    for cell in ("cap-1-answer", "cap-2-answer"):
        exec(cells[cell], namespace)
    return namespace


def lesson(call):
    with pytest.raises(CheckFailed) as failed:
        call()
    return str(failed.value)


def swallowing(make_handler):
    """A broken billing handler: it catches every error, so failed messages are deleted."""
    def make(charge, events, bus):
        inner = make_handler(charge, events, bus)

        def handler(event, context):
            try:
                inner(event, context)
            except Exception:  # noqa: BLE001 - the bug under test
                pass
        return handler
    return make


def forgetful(charge, events, bus):
    """A broken billing handler: not idempotent."""
    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(record["body"])
            charge(order["order_id"], order["amount"])
            events.put_events(Entries=[{"EventBusName": bus, "Source": "com.shop.billing", "DetailType": "OrderBilled",
                                        "Detail": json.dumps({"order_id": order["order_id"], "amount": order["amount"]})}])
    return handler


def test_solution_survives_every_fault(cloud, solution):
    for fault in ("crash", "poison", "slow", "duplicate"):
        check.faults(cloud, solution["build_pipeline"], solution["make_billing_handler"], fault=fault)


def test_crash_is_detected_when_the_handler_swallows_errors(cloud, solution):
    text = lesson(lambda: check.faults(cloud, solution["build_pipeline"],
                                       swallowing(solution["make_billing_handler"]), fault="crash"))
    assert "fault 'crash'" in text and "never charged" in text


def test_duplicate_publish_is_detected_without_idempotency(cloud, solution):
    text = lesson(lambda: check.faults(cloud, solution["build_pipeline"], forgetful, fault="duplicate"))
    assert "charged more than once" in text


def test_slow_consumer_is_detected_with_a_short_visibility_timeout(cloud, solution):
    def short_visibility(cloud_):
        pipeline = solution["build_pipeline"](cloud_)
        cloud_.client("sqs").set_queue_attributes(QueueUrl=pipeline["billing_queue_url"], Attributes={"VisibilityTimeout": "20"})
        return pipeline

    text = lesson(lambda: check.faults(cloud, short_visibility, forgetful, fault="slow"))
    assert "fault 'slow'" in text and "more than once" in text


def test_poison_is_detected_without_a_dlq(cloud, solution):
    def no_dlq(cloud_):
        pipeline = solution["build_pipeline"](cloud_)
        cloud_.client("sqs").set_queue_attributes(QueueUrl=pipeline["billing_queue_url"], Attributes={"RedrivePolicy": ""})
        return pipeline

    assert "fault 'poison'" in lesson(lambda: check.faults(cloud, no_dlq, solution["make_billing_handler"], fault="poison"))


def test_unmatched_event_is_detected_without_an_archive(cloud, solution):
    def no_archive(cloud_):
        pipeline = solution["build_pipeline"](cloud_)
        events = cloud_.client("events")
        for archive in events.list_archives()["Archives"]:
            events.delete_archive(ArchiveName=archive["ArchiveName"])
        return pipeline

    assert "no archive" in lesson(lambda: check.nothing_lost(cloud, no_archive))
