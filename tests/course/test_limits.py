"""The table of AWS figures: each has a source, and botocore's copy of the API reference agrees."""

import botocore.session
import pytest

from course.aws.limits import FIGURES, SQS_ATTRIBUTE_RANGES, SQS_MAX_RECEIVE_COUNT_RANGE


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_names_its_aws_source(name):
    figure = FIGURES[name]
    assert figure.unit and figure.value is not None
    assert any(guide in figure.source for guide in ("Developer Guide", "API Reference", "User Guide")), figure.source


def test_the_sqs_ranges_are_the_ones_in_the_api_reference():
    """SetQueueAttributes' documentation (shipped with botocore) states each range we enforce."""
    text = (botocore.session.get_session().get_service_model("sqs").operation_model("SetQueueAttributes")
            .input_shape.members["Attributes"].documentation)
    stated = {
        "DelaySeconds": "from 0 to 900 (15 minutes)",
        "MaximumMessageSize": "from 1,024 bytes (1 KiB) up to 1,048,576 bytes (1 MiB)",
        "MessageRetentionPeriod": "from 60 (1 minute) to 1,209,600 (14 days)",
        "ReceiveMessageWaitTimeSeconds": "from 0 to 20 (seconds)",
        "VisibilityTimeout": "from 0 to 43,200 (12 hours)",
    }
    assert set(stated) == set(SQS_ATTRIBUTE_RANGES)
    for name, phrase in stated.items():
        assert phrase in text, f"botocore's SetQueueAttributes no longer says {phrase!r} for {name}"
        low, high = SQS_ATTRIBUTE_RANGES[name]
        assert f"{low:,}" in phrase and f"{high:,}" in phrase
    assert SQS_MAX_RECEIVE_COUNT_RANGE == (1, 1_000)


def _doc(service, operation, member=None, output=False):
    import re

    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    shape = model.output_shape if output else model.input_shape
    text = model.documentation if member is None else shape.members[member].documentation
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_the_sns_and_kinesis_figures_are_the_ones_botocore_documents():
    """The figures added for the features AWS added lately, against the installed API reference."""
    from course.aws.limits import (KINESIS_EFO_CONSUMERS_PER_STREAM, KINESIS_PUT_RECORDS_MAX_BYTES,
                                   KINESIS_PUT_RECORDS_MAX_RECORDS, KINESIS_RECORD_SIZE_KIB, SNS_FIFO_TOPIC_THROUGHPUT,
                                   SNS_MESSAGE_SIZE)

    topic = _doc("sns", "SetTopicAttributes", "AttributeName")
    assert "Valid values are 1024 to 1048576 (1 MiB). The default is 262144 (256 KiB)" in topic
    assert SNS_MESSAGE_SIZE == {"default": 262_144, "range": (1_024, 1_048_576)}
    assert "ArchivePolicy" in topic and "ReplayPolicy" in _doc("sns", "Subscribe", "Attributes")
    assert "combined size of the message body and message attributes" in _doc("sns", "Publish", "Message")
    scope = _doc("sns", "CreateTopic", "Attributes")
    assert f"{SNS_FIFO_TOPIC_THROUGHPUT['messages_per_second']} messages per second or " \
           f"{SNS_FIFO_TOPIC_THROUGHPUT['mb_per_second']}MB per second" in scope

    kinesis = botocore.session.get_session().get_service_model("kinesis")
    assert kinesis.shape_for("MaxRecordSizeInKiB").metadata == {"min": KINESIS_RECORD_SIZE_KIB["range"][0],
                                                                "max": KINESIS_RECORD_SIZE_KIB["range"][1]}
    assert kinesis.shape_for("Data").metadata["max"] == 10 * 1_048_576
    assert "up to 1 MiB in size by default" in _doc("kinesis", "GetRecords")
    put_records = _doc("kinesis", "PutRecords")
    assert f"up to {KINESIS_PUT_RECORDS_MAX_RECORDS} records" in put_records
    assert "up to a limit of 10 MiB for the entire request" in put_records
    assert KINESIS_PUT_RECORDS_MAX_BYTES == 10 * 1_048_576
    consumers = _doc("kinesis", "RegisterStreamConsumer")
    assert f"up to {KINESIS_EFO_CONSUMERS_PER_STREAM['on_demand_advantage']} consumers" in consumers
    assert f"up to {KINESIS_EFO_CONSUMERS_PER_STREAM['default']} consumers" in consumers
