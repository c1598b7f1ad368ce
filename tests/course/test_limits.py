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
