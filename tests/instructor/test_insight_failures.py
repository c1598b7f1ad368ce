"""The one parser of a failed check's message (instructor/insight/failures.py)."""

from __future__ import annotations

import pytest

from graders.check import CheckFailed
from instructor.insight.failures import requirement_of


def test_a_labelled_message_gives_its_requirement_and_problem_line():
    """Does the Requirement line name the requirement, and the first line (unlabelled) the lesson?"""
    message = ("[sqs-3] the visibility timeout equals the function timeout, not six times it.\n"
               "Why it matters: a message still being processed reappears.\n"
               "Hint: set VisibilityTimeout from function_timeout.\n"
               "Requirement: sqs-3/visibility-below-6x")
    assert requirement_of(message) == (
        "sqs-3/visibility-below-6x", "the visibility timeout equals the function timeout, not six times it.")


def test_only_problem_and_requirement_lines_are_needed():
    assert requirement_of("[fifo-2] no dedup.\nRequirement: fifo-2/content-dedup") == ("fifo-2/content-dedup", "no dedup.")


def test_a_message_from_before_the_contract_falls_back_to_unlabelled():
    """Old checks name no requirement: the exercise id + /unlabelled, so the report works today."""
    old = "[sqs-5] the queue still uses short polling.\nWhy it matters: costs\nHint: set it"
    assert requirement_of(old) == ("sqs-5/unlabelled", "the queue still uses short polling.")


def test_the_checks_message_is_the_one_the_parser_reads():
    """The contract holds both ways: a CheckFailed the checks raise parses to its requirement."""
    failure = CheckFailed("sqs-5", "sqs-5/long-polling", "the queue still uses short polling.", why="costs")
    assert requirement_of(str(failure)) == ("sqs-5/long-polling", "the queue still uses short polling.")


def test_the_requirement_line_is_read_from_the_end_not_from_the_hint():
    message = "[sqs-1] wrong.\nHint: a line saying Requirement: sqs-1/fake\nRequirement: sqs-1/retention-days"
    assert requirement_of(message)[0] == "sqs-1/retention-days"


@pytest.mark.parametrize("evalue", ["", "name 'check' is not defined", "Cell execution timed out",
                                    "sqs-3 no brackets\nRequirement: sqs-3/x"])
def test_anything_else_is_not_a_check_message(evalue):
    assert requirement_of(evalue) is None


def test_surrounding_whitespace_and_windows_line_ends_are_tolerated():
    assert requirement_of("\n  [ev-1] bad pattern.\r\nRequirement: ev-1/prefix-match  \r\n") == (
        "ev-1/prefix-match", "bad pattern.")
