"""SQS checks turn a learner's mistakes into lessons, never grader tracebacks."""

import pytest

from graders import sqs as check
from graders.check import CheckFailed


def lesson(call):
    with pytest.raises(CheckFailed) as failed:
        call()
    return str(failed.value)


def test_not_a_function(cloud):
    """A variable where a function belongs: say which cell to run."""
    assert "expected a function" in lesson(lambda: check.first_queue(cloud, "hello"))


def test_unanswered_stub(cloud):
    def create_first_queue(sqs):
        raise NotImplementedError()

    assert "not answered yet" in lesson(lambda: check.first_queue(cloud, create_first_queue))


def test_wrong_return_type(cloud):
    def create_first_queue(sqs):
        sqs.create_queue(QueueName="hello")
        return 42

    assert "not the URL" in lesson(lambda: check.first_queue(cloud, create_first_queue))


def test_aws_error_from_the_answer_is_shown_as_aws_said_it(cloud):
    def configure_for_lambda(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(timeout * 10_000)})

    text = lesson(lambda: check.visibility_for_lambda(cloud, configure_for_lambda))
    assert "AWS refused: InvalidAttributeValue" in text


def test_a_queue_deleted_under_the_check_says_to_rerun_from_the_top(cloud):
    def add_dead_letter_queue(sqs, source_url, n):
        sqs.delete_queue(QueueUrl=source_url)  # out-of-order / destructive cell
        return source_url

    text = lesson(lambda: check.dead_letter_queue(cloud, add_dead_letter_queue))
    assert "run the notebook from the top" in text or "not the URL of an existing queue" in text


def test_checks_return_none_on_success(cloud):
    """nbgrader reads a numeric last value as points: a passing check must return None."""
    def create_first_queue(sqs):
        return sqs.create_queue(QueueName="hello")["QueueUrl"]

    assert check.first_queue(cloud, create_first_queue) is None


def test_hidden_variants_are_checked_too(cloud):
    """An answer hard-coded for the visible case fails the hidden one."""
    def configure_for_lambda(sqs, url, timeout):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "180"})

    check.visibility_for_lambda(cloud, configure_for_lambda, function_timeout=30)
    assert "shorter than the 900 s" in lesson(lambda: check.visibility_for_lambda(cloud, configure_for_lambda, function_timeout=900))
