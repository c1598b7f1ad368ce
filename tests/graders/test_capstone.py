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
    for cell in ("cap-1-answer", "cap-2-answer", "cap-5-answer"):
        exec(cells[cell], namespace)
    return namespace


def changed(solution, change):
    """The solution's ``build_pipeline``, then ``change(cloud, pipeline)``: a learner's variation of it."""
    def build_pipeline(cloud_):
        pipeline = solution["build_pipeline"](cloud_)
        change(cloud_, pipeline)
        return pipeline
    return build_pipeline


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
    def short_visibility(cloud_, pipeline):
        cloud_.client("sqs").set_queue_attributes(QueueUrl=pipeline["billing_queue_url"], Attributes={"VisibilityTimeout": "20"})

    text = lesson(lambda: check.faults(cloud, changed(solution, short_visibility), forgetful, fault="slow"))
    assert "fault 'slow'" in text and "more than once" in text


def test_poison_is_detected_without_a_dlq(cloud, solution):
    def no_dlq(cloud_, pipeline):
        cloud_.client("sqs").set_queue_attributes(QueueUrl=pipeline["billing_queue_url"], Attributes={"RedrivePolicy": ""})

    assert "fault 'poison'" in lesson(lambda: check.faults(cloud, changed(solution, no_dlq), solution["make_billing_handler"], fault="poison"))


def test_unmatched_event_is_detected_without_an_archive(cloud, solution):
    def no_archive(cloud_, pipeline):
        events = cloud_.client("events")
        for archive in events.list_archives()["Archives"]:
            events.delete_archive(ArchiveName=archive["ArchiveName"])

    assert "no archive" in lesson(lambda: check.nothing_lost(cloud, changed(solution, no_archive)))


# -- the examples ----------------------------------------------------------------------------
def _requirement(call):
    with pytest.raises(CheckFailed) as failed:
        call()
    return failed.value.requirement, str(failed.value)


def _with_redrive(solution, max_receive_count, visibility):
    """The solution's pipeline with the billing queue's maxReceiveCount and visibility timeout changed."""
    def build(cloud_, pipeline):
        sqs = cloud_.client("sqs")
        url = pipeline["billing_queue_url"]
        policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
                            ["Attributes"]["RedrivePolicy"])
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(visibility), "RedrivePolicy": json.dumps(
            {**policy, "maxReceiveCount": max_receive_count})})
    return changed(solution, build)


@pytest.mark.parametrize(("max_receive_count", "visibility"), [(10, 180), (3, 600), (5, 720)])
def test_cap3_poison_run_time_follows_the_design(cloud, solution, max_receive_count, visibility):
    """maxReceiveCount 10 (the console's default) with 180 s, 3 with 600 s, and 5 x 720 s = exactly the stated
    hour: each reaches the DLQ in time, so each passes (a fixed 1,500 s run failed the first two)."""
    build = _with_redrive(solution, max_receive_count, visibility)
    assert check.faults(cloud, build, solution["make_billing_handler"], fault="poison") is None


def test_cap3_poison_slower_than_the_stated_hour_fails_with_the_designs_numbers(cloud, solution):
    requirement, text = _requirement(lambda: check.faults(cloud, _with_redrive(solution, 20, 200),
                                                          solution["make_billing_handler"], fault="poison"))
    assert requirement == "cap-3/poison-in-dlq"
    assert "maxReceiveCount 20 and a 200 s visibility timeout" in text and "3600" not in text


def test_cap3_crash_with_max_receive_count_one_loses_the_order(cloud, solution):
    requirement, text = _requirement(lambda: check.faults(cloud, _with_redrive(solution, 1, 180),
                                                          solution["make_billing_handler"], fault="crash"))
    assert requirement == "cap-3/every-order-charged" and "maxReceiveCount is 1" in text


def test_cap3_a_handler_that_skips_poison_loses_it(cloud, solution):
    def skipping(charge, events, bus):
        inner = solution["make_billing_handler"](charge, events, bus)

        def handler(event, context):
            try:
                inner(event, context)
            except ValueError:  # the bug under test: an unreadable message is dropped
                return None
        return handler

    requirement, text = _requirement(lambda: check.faults(cloud, solution["build_pipeline"], skipping, fault="poison"))
    assert requirement == "cap-3/poison-in-dlq" and "returned normally" in text


def test_cap4_judges_the_event_it_sent_not_earlier_ones(cloud, solution):
    """An archive filtered to OrderBilled fails even when earlier checks already filled it with OrderBilled events."""
    def filtered_archive(cloud_, pipeline):
        events = cloud_.client("events")
        bus_arn = events.describe_event_bus(Name=pipeline["bus_name"])["Arn"]
        for archive in events.list_archives(EventSourceArn=bus_arn)["Archives"]:
            events.delete_archive(ArchiveName=archive["ArchiveName"])
        events.create_archive(ArchiveName="billed-only", EventSourceArn=bus_arn,
                              EventPattern=json.dumps({"detail-type": ["OrderBilled"]}))

    check.normal_load(cloud, changed(solution, filtered_archive), solution["make_billing_handler"], count=2)  # OrderBilled events archived
    requirement, _ = _requirement(lambda: check.nothing_lost(cloud, changed(solution, filtered_archive)))
    assert requirement == "cap-4/archive-keeps-unmatched"


def test_cap4_passes_graded_alone(cloud, solution):
    assert check.nothing_lost(cloud, solution["build_pipeline"]) is None


def test_cap1_kinesis_target_without_partition_key_fails(cloud, solution):
    """'Partitioned by order': without KinesisParameters EventBridge keys each record by its event id."""
    def unkeyed(cloud_, pipeline):
        events = cloud_.client("events")
        for rule in events.list_rules(EventBusName=pipeline["bus_name"])["Rules"]:
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=pipeline["bus_name"])["Targets"]
            events.put_targets(Rule=rule["Name"], EventBusName=pipeline["bus_name"],
                               Targets=[{k: v for k, v in t.items() if k != "KinesisParameters"} for t in targets])

    requirement, text = _requirement(lambda: check.structure(cloud, changed(solution, unkeyed)))
    assert requirement == "cap-1/stream-keyed-by-order" and "different partition keys" in text


def _queue_arn_as_url(cloud_, pipeline):
    sqs = cloud_.client("sqs")
    pipeline["billing_queue_url"] = sqs.get_queue_attributes(
        QueueUrl=pipeline["billing_queue_url"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _bucket_never_created(cloud_, pipeline):
    cloud_.client("s3").delete_bucket(Bucket=pipeline["bucket"])  # as if build_pipeline never created it


def _firehose_to_a_missing_bucket(cloud_, pipeline):
    s3 = cloud_.client("s3")
    s3.create_bucket(Bucket="not-the-archive")
    s3.delete_bucket(Bucket=pipeline["bucket"])  # the bucket Firehose writes to was never created
    pipeline["bucket"] = "not-the-archive"


@pytest.mark.parametrize(("change", "told"), [
    (_queue_arn_as_url, "not the URL of an SQS queue"),
    (_bucket_never_created, "not the name of an S3 bucket"),
    (_firehose_to_a_missing_bucket, "the delivery stream writes to the bucket 'order-archive'"),
])
def test_a_returned_name_of_no_pipeline_resource_is_told_as_returns_pipeline(cloud, solution, change, told):
    """A queue's ARN for its URL, a bucket never created, or another than the one Firehose writes to: said where the
    value is returned, not later as "the queue does not exist any more" (cap-1), a check that cannot run (cap-2) or a crash
    of the pipeline under a fault (cap-3)."""
    build = changed(solution, change)
    for exercise, call in (("cap-1", lambda: check.structure(cloud, build)),
                           ("cap-2", lambda: check.normal_load(cloud, build, solution["make_billing_handler"], count=2)),
                           ("cap-3", lambda: check.faults(cloud, build, solution["make_billing_handler"], fault="crash"))):
        requirement, text = _requirement(call)
        assert requirement == f"{exercise}/returns-pipeline" and told in text


def test_cap1_solution_passes(cloud, solution):
    assert check.structure(cloud, solution["build_pipeline"]) is None


def test_cap1_accepts_a_console_style_queue_policy(cloud, solution):
    def console_policy(cloud_, pipeline):
        sqs = cloud_.client("sqs")
        for key in ("billing_queue_url", "shipping_queue_url"):
            arn = sqs.get_queue_attributes(QueueUrl=pipeline[key], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sqs.set_queue_attributes(QueueUrl=pipeline[key], Attributes={"Policy": json.dumps({"Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SQS:SendMessage", "Resource": arn,
                "Condition": {"ArnLike": {"aws:SourceArn": pipeline["topic_arn"]}}}]})})

    assert check.structure(cloud, changed(solution, console_policy)) is None


# -- cap-5: the fraud screen ----------------------------------------------------------------------------
def _screen(*, scope="MessageBody", op=">", raw="true", policy=True):
    def add_fraud_screen(sns, sqs, topic_arn):
        url = sqs.create_queue(QueueName="fraud")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if policy:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Statement": [{
                "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]})})
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={
            "RawMessageDelivery": raw, "FilterPolicyScope": scope,
            "FilterPolicy": json.dumps({"amount": [{"numeric": [op, 100]}]})})
        return url
    return add_fraud_screen


def test_cap5_fraud_screen(cloud):
    assert check.fraud_screen(cloud, _screen()) is None


@pytest.mark.parametrize(("kwargs", "requirement"), [
    ({"scope": "MessageAttributes"}, "cap-5/large-orders-arrive"),
    ({"op": ">="}, "cap-5/small-orders-filtered"),
    ({"raw": "false"}, "cap-5/order-is-body"),
    ({"policy": False}, "cap-5/queue-policy"),
])
def test_cap5_fraud_screen_mistakes(cloud, kwargs, requirement):
    assert _requirement(lambda: check.fraud_screen(cloud, _screen(**kwargs)))[0] == requirement


def test_cap5_exact_threshold_is_not_sent_to_fraud(cloud):
    """100 itself is not 'above 100': the boundary order must be filtered out."""
    requirement, text = _requirement(lambda: check.fraud_screen(cloud, _screen(op=">=")))
    assert requirement == "cap-5/small-orders-filtered" and "order of 100 " in text
