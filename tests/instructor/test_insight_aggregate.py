"""The insight report's numbers, on hand-made records (no nbgrader run)."""

from __future__ import annotations

import nbformat
import pytest

from instructor.autograde.intake import Flag
from instructor.autograde.report import Row
from instructor.insight.aggregate import assignment_insight, histogram, review_order, topic_insight
from instructor.insight.record import CellResult, read_notebook, read_records, write_records
from instructor.insight.text import format_assignment, format_topics
from instructor.insight.topics import topic_of

A = "01_sqs_queues"
VISIBILITY = "sqs-3/visibility-below-6x"
LESSON = "the visibility timeout equals the function timeout, not six times it."


def cell(student, grade_id, points, max_points, requirement="", lesson="", assignment=A):
    return CellResult(student, assignment, grade_id, points, max_points, requirement, lesson)


def same_mistake_class(students: int = 10) -> list[CellResult]:
    """``students`` who pass sqs-1 and all set the visibility timeout to the function's timeout."""
    records = []
    for n in range(students):
        records.append(cell(f"s{n:02d}", "sqs-1", 1, 1))
        records.append(cell(f"s{n:02d}", "sqs-3", 0, 2, VISIBILITY, LESSON))
    return records


def test_a_class_with_the_same_wrong_visibility_timeout_puts_it_on_top():
    """Ten students share one mistake, one has another: that requirement first, 10 of 11, with its lesson."""
    records = same_mistake_class(10) + [cell("z", "sqs-3", 0, 2, "sqs-3/unlabelled", "something else")]
    insight = assignment_insight(A, records)
    sqs3 = next(e for e in insight.exercises if e.grade_id == "sqs-3")
    top = sqs3.failures[0]
    assert (top.requirement, top.students, top.of, top.lesson) == (VISIBILITY, 10, 11, LESSON)
    assert sqs3.failures[1].requirement == "sqs-3/unlabelled" and sqs3.failures[1].students == 1
    assert sqs3.pass_rate == 0 and sqs3.points == {0.0: 11}
    assert f"91% (10/11) {VISIBILITY}: {LESSON}" in format_assignment(insight)


def test_pass_rates_points_and_histogram_are_exact():
    """4 students, 3 points max: totals 3, 2, 1, 0 -> one per bin; sqs-1 passed by 2 of 4."""
    records = [
        cell("a", "sqs-1", 1, 1), cell("a", "sqs-2", 2, 2),
        cell("b", "sqs-1", 0, 1, "sqs-1/retention-days", "kept for 4 hours"), cell("b", "sqs-2", 2, 2),
        cell("c", "sqs-1", 1, 1), cell("c", "sqs-2", 0, 2, "sqs-2/idempotent", "charged twice"),
        cell("d", "sqs-1", 0, 1, "sqs-1/retention-days", "kept for 5 hours"),
        cell("d", "sqs-2", 0, 2, "sqs-2/idempotent", "charged twice"),
    ]
    insight = assignment_insight(A, records)
    assert [e.grade_id for e in insight.exercises] == ["sqs-1", "sqs-2"]
    sqs1, sqs2 = insight.exercises
    assert (sqs1.passed, sqs1.students, sqs1.pass_rate) == (2, 4, 0.5)
    assert (sqs2.passed, sqs2.students, sqs2.points) == (2, 4, {0.0: 2, 2.0: 2})
    assert sqs1.failures[0].students == 2 and sqs1.failures[0].of == 4
    assert insight.scores == {"a": 3, "b": 2, "c": 1, "d": 0}
    assert insight.max_score == 3
    assert insight.histogram == [(0, 1), (1, 1), (2, 1), (3, 1)]
    assert insight.mean == pytest.approx(0.5)


def test_histogram_floors_partial_points_and_keeps_empty_bins():
    assert histogram([0, 7.5, 7, 14, 13.9], 14) == [(p, {0: 1, 7: 2, 13: 1, 14: 1}.get(p, 0)) for p in range(15)]


def test_requirements_are_ordered_by_count_then_id():
    records = [cell(s, "sqs-5", 0, 1, req, "x") for s, req in
               [("a", "sqs-5/b"), ("b", "sqs-5/a"), ("c", "sqs-5/c"), ("d", "sqs-5/c")]]
    assert [c.requirement for c in assignment_insight(A, records).exercises[0].failures] == [
        "sqs-5/c", "sqs-5/a", "sqs-5/b"]


def test_flags_are_counted_and_the_worst_flagged_student_is_reviewed_first():
    rows = [
        Row("ok", A, 14, 14),
        Row("slow", A, 12, 14, [Flag("timeout", "cell sqs-5")]),
        Row("cheat", A, 14, 14, [Flag("tampered-metadata", "sqs-2's points"), Flag("timeout", "x")]),
        Row("edited", A, 3, 14, [Flag("edited-test-cell", "sqs-1")]),
        Row("absent", A, None, None, [Flag("missing-submission", "nothing", fatal=True)]),
    ]
    insight = assignment_insight(A, [], rows)
    assert insight.flags == {"edited-test-cell": ["edited"], "tampered-metadata": ["cheat"],
                             "missing-submission": ["absent"], "timeout": ["cheat", "slow"]}
    assert review_order(rows) == [("cheat", ["tampered-metadata", "timeout"]), ("edited", ["edited-test-cell"]),
                                  ("slow", ["timeout"])]
    assert insight.not_graded == ["absent"]
    text = format_assignment(insight)
    assert "review first in formgrader: cheat (tampered-metadata, timeout), edited" in text
    assert "timeout 2" in text


@pytest.mark.parametrize(("exercise", "topic"), [
    ("sqs-3", "sqs"), ("start-1", "sqs"), ("fifo-2", "fifo"), ("sns-1", "sns"), ("ev-4", "eventbridge"),
    ("kin-2", "kinesis"), ("kin-6", "firehose"), ("cap-5", "sns"), ("trap-5", "fifo"), ("trap-10", "kinesis"),
    ("sqs-3/visibility-below-6x", "sqs"), ("nothing-1", None)])
def test_exercises_map_to_quiz_topics(exercise, topic):
    assert topic_of(exercise) == topic


def test_every_graded_cell_of_the_course_has_a_topic():
    """A new exercise with an unmapped prefix would be left out of course insight --all."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ids = [c["metadata"]["nbgrader"]["grade_id"] for p in root.glob("solutions/*/*.ipynb")
           for c in json.loads(p.read_text())["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert ids and [i for i in ids if topic_of(i) is None] == []


def test_topics_across_assignments_weakest_first():
    records = same_mistake_class(4) + [
        cell(s, "fifo-1", 1, 1, assignment="02_sqs_fifo") for s in ("s00", "s01", "s02")] + [
        cell("s03", "fifo-1", 0, 1, "fifo-1/name", "no .fifo suffix", assignment="02_sqs_fifo")]
    topics = topic_insight(records)
    assert [(t.topic, t.passed, t.attempts) for t in topics] == [("sqs", 4, 8), ("fifo", 3, 4)]
    assert (topics[0].weakest[0].requirement, topics[0].weakest[0].students, topics[0].weakest[0].of) == (
        VISIBILITY, 4, 4)
    text = format_topics(topics)
    assert text.index("course quiz --topic sqs") < text.index("course quiz --topic fifo")


def _graded_cell(grade_id, outputs, points=2):
    code = nbformat.v4.new_code_cell("check.x(cloud)")
    code.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                              "points": points, "schema_version": 3}
    code.outputs = [nbformat.from_dict(o) for o in outputs]
    return code


def test_an_autograded_notebook_gives_one_record_per_graded_cell():
    """Passed, a check's error, a NameError, stderr: each cell's points and why it failed."""
    error = {"output_type": "error", "ename": "CheckFailed", "traceback": [],
             "evalue": f"[sqs-3] {LESSON}\nHint: x\nRequirement: {VISIBILITY}"}
    notebook = nbformat.v4.new_notebook(cells=[
        _graded_cell("sqs-1", [{"output_type": "stream", "name": "stdout", "text": "\u2714 fine"}], 1),
        _graded_cell("sqs-3", [error]),
        _graded_cell("sqs-4", [{"output_type": "error", "ename": "NameError", "evalue": "name 'x' is not defined",
                                "traceback": []}]),
        _graded_cell("sqs-5", [{"output_type": "stream", "name": "stderr", "text": "warning"}], 1),
        nbformat.v4.new_code_cell("print('not graded')"),
    ])
    records = read_notebook(notebook, "ann", A)
    assert [(r.grade_id, r.points, r.max_points, r.requirement) for r in records] == [
        ("sqs-1", 1, 1, ""), ("sqs-3", 0, 2, VISIBILITY), ("sqs-4", 0, 2, "sqs-4/error"), ("sqs-5", 0, 1, "sqs-5/stderr")]
    assert records[1].lesson == LESSON and "Hint" not in records[1].lesson


def test_the_side_table_round_trips(tmp_path):
    records = same_mistake_class(3)
    path = write_records(records, tmp_path / "grades" / "x-failures.csv")
    assert read_records(path) == records


def test_a_requirement_no_check_named_shows_each_wording_with_its_count():
    """Today's unlabelled checks lump 'not answered yet' with the real mistake: show both, counted."""
    records = [cell(s, "sqs-1", 0, 1, "sqs-1/unlabelled", "`f` is not answered yet.") for s in ("a", "b")]
    records += [cell(s, "sqs-1", 0, 1, "sqs-1/unlabelled", "kept for hours, not days.") for s in ("c", "d", "e")]
    records += [cell(s, "sqs-2", 0, 1, "sqs-2/idempotent", w) for s, w in (("a", "o-1 twice"), ("b", "o-2 twice"))]
    insight = assignment_insight(A, records)
    sqs1, sqs2 = insight.exercises
    assert sqs1.failures[0].lessons == (("kept for hours, not days.", 3), ("`f` is not answered yet.", 2))
    text = format_assignment(insight)
    assert "100% (5/5) sqs-1/unlabelled:\n        3x kept for hours, not days.\n        2x `f` is not answered" in text
    # a named requirement shows one example, whatever values its wordings carry
    assert "100% (2/2) sqs-2/idempotent: o-1 twice\n" in text + "\n" and "o-2 twice" not in text
