"""course.aws.speedups: moto answers the same, faster, and is left as it was when the sandbox stops."""

import string

import moto.core.responses as core_responses
import moto.sqs.models as sqs_models
import pytest

import course


def test_receipt_handles_look_as_before(sqs, make_queue):
    url = make_queue("handles")
    for body in ("a", "b"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    handles = [m["ReceiptHandle"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]]
    assert len(set(handles)) == 2
    for handle in handles:
        assert len(handle) == 185 and set(handle) <= set(string.ascii_lowercase)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=handles[0])  # moto still recognises them


def test_cached_helpers_give_the_same_answers(cloud):
    assert core_responses.camelcase_to_underscores("VisibilityTimeout") == "visibility_timeout"
    assert core_responses.camelcase_to_underscores.cache_info().currsize > 0
    names = core_responses.method_names_from_class(type(cloud))
    assert "client" in names and names == core_responses.method_names_from_class(type(cloud))


def test_patches_are_undone_when_the_sandbox_stops():
    originals = (core_responses.camelcase_to_underscores, core_responses.method_names_from_class,
                 sqs_models.generate_receipt_handle)
    sandbox = course.start()
    try:
        assert core_responses.camelcase_to_underscores is not originals[0]
    finally:
        sandbox.stop()
    assert (core_responses.camelcase_to_underscores, core_responses.method_names_from_class,
            sqs_models.generate_receipt_handle) == originals


@pytest.mark.parametrize("attribute", ["VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds"])
def test_queue_attributes_still_read_back(sqs, make_queue, attribute):
    url = make_queue("attrs", **{attribute: 42 if attribute != "MessageRetentionPeriod" else 600})
    value = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][attribute]
    assert value == ("42" if attribute != "MessageRetentionPeriod" else "600")
