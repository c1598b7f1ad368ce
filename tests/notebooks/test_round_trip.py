"""The quality bar of every graded exercise, proven through real nbgrader (docs/architecture.md, "nbgrader").

Each module's class (see conftest.py) is graded in one parallel run; these tests read the grades.
"""

from __future__ import annotations

import html
import re

import pytest
from nbgrader.utils import is_grade, is_solution

from tests.notebooks.conftest import isolated, load_safety_nets, output_text, variants

pytestmark = pytest.mark.nbgrader

#: the floor per exercise (answer cell): plausible mistakes and genuinely different correct answers
MIN_WRONG, MIN_ALTERNATIVE = 4, 3


def test_every_exercise_has_wrong_and_alternative_answers(round_trip):
    """Is every answer cell covered by the answers file, with enough of each kind, and every graded
    cell fed by an answer?"""
    answers = round_trip.require_answers()
    answer_cells = {c.metadata["nbgrader"]["grade_id"] for c in round_trip.source.cells
                    if is_solution(c) and c.cell_type == "code"}
    assert answer_cells == set(answers)
    short = {}
    for answer_id in answers:
        wrong = [v for v in variants(answers, "wrong") if v.answer_id == answer_id]
        alternative = [v for v in variants(answers, "alternative") if v.answer_id == answer_id]
        assert all(v.message for v in wrong), f"{answer_id}: a wrong answer without the message it must show"
        assert len({v.name for v in wrong + alternative}) == len(wrong + alternative), f"{answer_id}: names repeat"
        if len(wrong) < MIN_WRONG or len(alternative) < MIN_ALTERNATIVE:
            short[answer_id] = f"{len(wrong)} wrong, {len(alternative)} alternative"
    assert not short, f"fewer than {MIN_WRONG} wrong or {MIN_ALTERNATIVE} alternative answers: {short}"
    fed = {check for v in variants(answers) for check in v.checks}
    assert fed == set(round_trip.graded_cells())


def test_solution_gets_full_marks(round_trip):
    """Does the source notebook's solution score every point of every graded cell?"""
    short = {cell: score for cell, score in round_trip.scores["solution"].items() if score[0] < score[1]}
    assert not short, {cell: output_text(round_trip.cells("solution")[cell]) for cell in short}


def test_solution_writes_nothing_to_stderr(round_trip):
    """A warning on stderr would make nbgrader score a correct answer 0: no graded cell has one."""
    noisy = {cell.metadata["nbgrader"]["grade_id"]: output_text(cell)
             for cell in round_trip.graded("solution").cells if is_grade(cell)
             and any(o.output_type == "stream" and o.name == "stderr" for o in cell.get("outputs", []))}
    assert not noisy


def test_blank_release_scores_zero_and_runs_to_the_end(round_trip):
    """The unedited release: zero points, and errors only in the checks of unanswered stubs."""
    assert round_trip.total("blank") == 0, round_trip.scores["blank"]
    graded = round_trip.graded("blank")
    errors = {cell.get("id"): output_text(cell) for cell in graded.cells
              if cell.cell_type == "code" and not is_grade(cell)
              and any(o.output_type == "error" for o in cell.get("outputs", []))}
    assert not errors, f"setup, demo or stub cells failed in the release: {errors}"
    unrun = [cell.get("id") for cell in graded.cells if cell.cell_type == "code" and cell.get("execution_count") is None]
    assert not unrun


def test_wrong_answers_lose_points_and_teach(round_trip):
    """Each plausible wrong answer loses points of the exercise it changes, shows its lesson and names
    the requirement it breaks - never a traceback."""
    round_trip.require_answers()
    problems = []
    cells_of: dict[str, dict] = {}
    for variant in variants(round_trip.answers, "wrong"):
        student = round_trip.student_of[variant]
        label = f"{variant.answer_id} / {variant.name} ({student})"
        scores = round_trip.scores[student]
        cells = cells_of.setdefault(student, round_trip.cells(student))
        if all(scores[check][0] >= scores[check][1] for check in variant.checks):
            problems.append(f"{label}: full marks")
            continue
        shown = "\n".join(output_text(cells[check]) for check in variant.checks)
        if variant.message not in shown:
            problems.append(f"{label}: {variant.message!r} not in:\n{shown}")
        if variant.requirement and f"Requirement: {variant.requirement}" not in shown:
            problems.append(f"{label}: does not name {variant.requirement}:\n{shown}")
        if "Traceback" in shown:
            problems.append(f"{label}: the learner sees a traceback")
    assert not problems, "\n\n".join(problems)


def test_alternative_answers_get_full_marks(round_trip):
    """A correct answer written differently from ours scores full marks: behaviour, not text."""
    round_trip.require_answers()
    short = {}
    for variant in variants(round_trip.answers, "alternative"):
        student = round_trip.student_of[variant]
        lost = {check: round_trip.scores[student][check] for check in variant.checks
                if round_trip.scores[student][check][0] < round_trip.scores[student][check][1]}
        if lost:
            cells = round_trip.cells(student)
            short[f"{variant.answer_id} / {variant.name}"] = {check: output_text(cells[check]) for check in lost}
    assert not short


def test_each_exercise_scores_the_same_graded_alone(round_trip):
    """Order independence: an exercise answered alone (every other answer left blank) scores what it
    scores after the cells before it - no check leans on state an earlier cell left."""
    answers = round_trip.require_answers()
    differ = {}
    for check in isolated(round_trip.source, answers):
        alone, in_order = round_trip.scores[f"alone--{check}"][check], round_trip.scores["solution"][check]
        if alone != in_order:
            differ[check] = (alone, in_order, output_text(round_trip.cells(f"alone--{check}")[check]))
    assert not differ


def test_every_requirement_is_broken_by_a_wrong_answer_or_named_a_safety_net(round_trip):
    """A requirement no wrong answer breaks is a gap in the tests, unless the answers file names it in
    SAFETY_NETS with the reason no plausible answer reaches it; a safety net a wrong answer does break
    is named wrongly."""
    from graders.exercise import COMMON_REQUIREMENTS
    from tests.graders.test_exercise import exercises

    answers = round_trip.require_answers()
    nets = load_safety_nets(round_trip.assignment_id)
    declared = {e.id: set(e.requirements) - set(COMMON_REQUIREMENTS) for e in exercises()}
    judged = {f"{check}/{slug}" for check in round_trip.graded_cells() for slug in declared.get(check, ())}
    broken = {v.requirement for v in variants(answers, "wrong") if v.requirement}
    assert sorted(judged - broken - set(nets)) == [], "requirements no wrong answer breaks: add one, or a SAFETY_NETS entry"
    assert sorted(set(nets) & broken) == [], "broken by a wrong answer, so not a safety net"
    assert sorted(set(nets) - judged) == [], "not a requirement of this notebook's graded cells"
    assert all(isinstance(why, str) and why.strip() for why in nets.values())


def test_feedback_never_shows_hidden_tests(round_trip):
    """nbgrader's feedback for a student shows results but not the hidden tests' code."""
    from instructor.nbgrader_api import api_for

    round_trip.require_answers()
    student = round_trip.student_of[variants(round_trip.answers, "wrong")[0]]
    result = api_for(round_trip.root).generate_feedback(round_trip.assignment_id, student)
    assert result["success"], result.get("error")
    page = (round_trip.root / "feedback" / student / round_trip.assignment_id
            / f"{round_trip.assignment_id}.html").read_text()
    # the text a student reads: highlighted code is split into spans, so compare without tags
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "HIDDEN TESTS" not in text
    for cell in round_trip.source.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for line in (line.strip() for line in hidden.splitlines()):
                if len(line) >= 15:
                    assert line not in text, f"hidden test shown in feedback: {line}"
    visible = next(c.source.splitlines()[0] for c in round_trip.source.cells if is_grade(c))
    assert visible.strip() in text, "the comparison is blind: a visible test line is not found either"


def test_course_check_scores_like_the_gradebook(round_trip):
    """`course check` scores an executed notebook cell by cell as nbgrader's gradebook does."""
    from instructor.check import score

    for student in ("solution", "blank", *sorted(set(round_trip.student_of.values()))[:3]):
        ours = {result.grade_id: (result.points, result.max_points) for result in score(round_trip.graded(student))}
        assert ours == round_trip.scores[student], student
