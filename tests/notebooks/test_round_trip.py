"""The quality bar of every graded exercise, proven through real nbgrader (docs/architecture.md, "nbgrader")."""

from __future__ import annotations

import html
import re

import pytest
from nbgrader.utils import is_grade, is_solution

from tests.notebooks.conftest import output_text

pytestmark = pytest.mark.nbgrader


def test_every_exercise_has_a_wrong_and_an_alternative_answer(round_trip):
    """Is every answer cell covered by the answers file, and every graded cell by an answer?"""
    answers = round_trip.require_answers()
    answer_cells = {c.metadata["nbgrader"]["grade_id"] for c in round_trip.source.cells
                    if is_solution(c) and c.cell_type == "code"}
    graded_cells = {c.metadata["nbgrader"]["grade_id"] for c in round_trip.source.cells if is_grade(c)}
    assert answer_cells == set(answers)
    checked = set()
    for spec in answers.values():
        assert spec["wrong"].strip() and spec["alternative"].strip() and spec["message"]
        checked.update([spec["check"]] if isinstance(spec["check"], str) else spec["check"])
    assert checked == graded_cells


def test_solution_gets_full_marks(round_trip):
    """Does the source notebook's solution score every point of every graded cell?"""
    short = {cell: score for cell, score in round_trip.scores["solution"].items() if score[0] < score[1]}
    assert not short, {cell: output_text(round_trip.cells("solution")[cell]) for cell in short}


def test_solution_writes_nothing_to_stderr(round_trip):
    """A warning on stderr would make nbgrader score a correct answer 0: no graded cell has one."""
    noisy = {cell.metadata["nbgrader"]["grade_id"]: output_text(cell)
             for cell in round_trip.graded["solution"].cells if is_grade(cell)
             and any(o.output_type == "stream" and o.name == "stderr" for o in cell.get("outputs", []))}
    assert not noisy


def test_blank_release_scores_zero_and_runs_to_the_end(round_trip):
    """The unedited release: zero points, and errors only in the checks of unanswered stubs."""
    assert round_trip.total("blank") == 0, round_trip.scores["blank"]
    errors = {cell.get("id"): output_text(cell) for cell in round_trip.graded["blank"].cells
              if cell.cell_type == "code" and not is_grade(cell)
              and any(o.output_type == "error" for o in cell.get("outputs", []))}
    assert not errors, f"setup, demo or stub cells failed in the release: {errors}"
    unrun = [cell.get("id") for cell in round_trip.graded["blank"].cells
             if cell.cell_type == "code" and cell.get("execution_count") is None]
    assert not unrun


def test_wrong_answers_lose_points_and_teach(round_trip):
    """Each plausible wrong answer scores less than the maximum and shows its lesson."""
    cells = round_trip.cells("wrong")
    for answer_id, spec in round_trip.require_answers().items():
        checks = [spec["check"]] if isinstance(spec["check"], str) else spec["check"]
        scores = [round_trip.scores["wrong"][check] for check in checks]
        assert any(score < maximum for score, maximum in scores), f"{answer_id}: the wrong answer got full marks"
        shown = "\n".join(output_text(cells[check]) for check in checks)
        assert spec["message"] in shown, f"{answer_id}: the lesson is missing; the check showed:\n{shown}"
        assert "Traceback" not in shown, f"{answer_id}: the learner sees a traceback"


def test_alternative_answers_get_full_marks(round_trip):
    """A correct answer written differently from ours scores full marks: behaviour, not text."""
    round_trip.require_answers()
    short = {cell: score for cell, score in round_trip.scores["alternative"].items() if score[0] < score[1]}
    assert not short, {cell: output_text(round_trip.cells("alternative")[cell]) for cell in short}


def test_feedback_never_shows_hidden_tests(round_trip):
    """nbgrader's feedback for a student shows results but not the hidden tests' code."""
    from instructor.nbgrader_api import api_for

    round_trip.require_answers()
    result = api_for(round_trip.root).generate_feedback(round_trip.assignment_id, "wrong")
    assert result["success"], result.get("error")
    page = (round_trip.root / "feedback" / "wrong" / round_trip.assignment_id
            / f"{round_trip.assignment_id}.html").read_text()
    # the text a student reads: highlighted code is split into spans, so compare without tags
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "HIDDEN TESTS" not in text
    hidden_lines = 0
    for cell in round_trip.source.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for line in (line.strip() for line in hidden.splitlines()):
                if len(line) >= 15:
                    hidden_lines += 1
                    assert line not in text, f"hidden test shown in feedback: {line}"
    visible = next(c.source.splitlines()[0] for c in round_trip.source.cells if is_grade(c))
    assert visible.strip() in text, "the comparison is blind: a visible test line is not found either"


def test_course_check_scores_like_the_gradebook(round_trip):
    """`course check` scores an executed notebook cell by cell as nbgrader's gradebook does."""
    from instructor.check import score

    for student, graded in round_trip.graded.items():
        ours = {result.grade_id: (result.points, result.max_points) for result in score(graded)}
        assert ours == round_trip.scores[student], student
