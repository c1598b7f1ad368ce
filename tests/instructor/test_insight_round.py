"""``course grade`` then ``course insight`` on a small class whose answers are known.

Six submissions of 01_sqs_queues (9 exercises, 14 points): two solutions, one alternative correct
answer, one blank release, two plausible wrong answers (tests/notebooks/answers/01_sqs_queues.py:
every exercise wrong), and one corrupt notebook that cannot be graded. So every exercise is passed
by 3 of 6 graded students and failed by the blank and the two wrong ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from instructor.insight import build
from tests.instructor.conftest import hand_in, make_course
from tests.notebooks.conftest import load_answers, submission

pytestmark = pytest.mark.nbgrader

A = "01_sqs_queues"
KINDS = {"s1-solution": "solution", "s2-solution": "solution", "s3-alternative": "alternative",
         "s4-blank": "blank", "s5-wrong": "wrong", "s6-wrong": "wrong"}
POINTS = {"sqs-1": 1, "sqs-2": 2, "sqs-3": 2, "sqs-4": 2, "sqs-5": 1, "sqs-6": 2, "sqs-7": 1, "sqs-8": 1, "sqs-9": 2}


def _course(*args: str, root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run([sys.executable, "-m", "instructor.cli", *args], cwd=root, capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("insight-class")
    source, release = make_course(root, A)
    answers = load_answers(A)
    for student, kind in KINDS.items():
        hand_in(root, student, submission(release, source, answers, kind), assignment=A)
    hand_in(root, "s7-corrupt", "{ not json", assignment=A)
    run = _course("grade", A, "--jobs", "2", "--timeout", "5", root=root)
    assert (root / "grades" / f"{A}.csv").exists(), run.stdout + run.stderr
    return root, run


def test_course_grade_ends_with_the_report_and_writes_record_and_page(graded):
    """Is the report printed after the grades table, with the side table and the page written?"""
    root, run = graded
    assert "What the class got wrong in 01_sqs_queues" in run.stdout, run.stdout + run.stderr
    assert "6 students graded, 1 not graded" in run.stdout
    assert (root / "grades" / f"{A}-failures.csv").exists()
    assert (root / "grades" / f"{A}-insight.html").exists()


def test_the_counts_match_the_known_answers(graded):
    """Every exercise: passed by 3 of 6; its failures are the blank and the two wrong answers."""
    root, _ = graded
    insight = build.load(root, A).insight
    assert [e.grade_id for e in insight.exercises] == list(POINTS)
    for exercise in insight.exercises:
        assert (exercise.passed, exercise.students) == (3, 6), exercise
        assert exercise.points == {0.0: 3, float(POINTS[exercise.grade_id]): 3}
        assert sum(c.students for c in exercise.failures) == 3
        assert all(c.requirement.startswith(exercise.grade_id + "/") and c.of == 6 for c in exercise.failures)
        # the two wrong answers share a requirement (the blank one may be labelled apart)
        assert exercise.failures[0].students >= 2
    assert insight.scores == {"s1-solution": 14, "s2-solution": 14, "s3-alternative": 14, "s4-blank": 0,
                              "s5-wrong": 0, "s6-wrong": 0}
    assert dict(insight.histogram) == {**{p: 0 for p in range(15)}, 0: 3, 14: 3}
    assert insight.not_graded == ["s7-corrupt"] and insight.flags == {"invalid-json": ["s7-corrupt"]}


def test_the_wrong_answers_lesson_is_the_example_shown(graded):
    """The commonest problem line of sqs-3 is the wrong answer's, not the blank's 'not answered yet'."""
    root, _ = graded
    sqs3 = next(e for e in build.load(root, A).insight.exercises if e.grade_id == "sqs-3")
    assert "not answered yet" not in sqs3.failures[0].lesson
    assert "not answered yet" in " ".join(c.lesson for c in sqs3.failures) or len(sqs3.failures) == 1


def test_insight_all_and_anonymise_from_the_command_line(graded):
    root, _ = graded
    every = _course("insight", "--all", root=root)
    assert every.returncode == 0, every.stderr
    assert "SQS standard queues" in every.stdout and "course quiz --topic sqs" in every.stdout
    hidden = _course("insight", A, "--anonymise", root=root)
    assert hidden.returncode == 0, hidden.stderr
    page = (root / "grades" / f"{A}-insight-anonymised.html").read_text()
    table = (root / "grades" / f"{A}-failures-anonymised.csv").read_text()
    assert not any(student in text for student in [*KINDS, "s7-corrupt"] for text in (page, table, hidden.stdout))


def test_the_notebook_widget_reads_the_course(graded):
    """instructor.insight.widget(id, root): the table and the two charts of the graded class."""
    import instructor.insight

    root, _ = graded
    heading, table, charts = instructor.insight.widget(A, root).children
    assert "6 graded" in heading.value and "sqs-3/" in table.value and len(charts.children) == 2


def test_an_assignment_not_graded_yet_says_so(graded):
    root, _ = graded
    run = _course("insight", "02_sqs_fifo", root=root)
    assert run.returncode == 1 and "has not been graded" in run.stderr and "course grade 02_sqs_fifo" in run.stderr
