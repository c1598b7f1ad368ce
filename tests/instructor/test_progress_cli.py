"""``course progress`` in a terminal: saved notebooks by default, ``--run`` through ``course check``."""

from __future__ import annotations

import json

import pytest

from course import progress
from course.quiz import history
from instructor.check import CellResult
from instructor.cli import build_parser, main
from instructor.progress_cli import module_from_check
from tests.course.test_progress import LESSON, SUCCESS, error, graded, notebook, save, stdout


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """Quiz results in a temporary COURSE_HOME, with one run saved."""
    home = tmp_path / "home"
    monkeypatch.setenv("COURSE_HOME", str(home))
    path = history.results_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"when": "2025-01-01T00:00:00+00:00", "mode": "quiz", "answers": [
        {"id": "a", "topic": "sqs", "correct": True}, {"id": "b", "topic": "sqs", "correct": False},
        {"id": "c", "topic": "sns", "correct": False}]}]))
    return home


@pytest.fixture
def folder(tmp_path):
    notebooks = tmp_path / "mine"
    save(notebooks, "00_start_here", notebook(graded("start-1", stdout("\u2714 [start-1] works\n"))))
    save(notebooks, "01_sqs_queues", notebook(graded("sqs-1", stdout(SUCCESS)), graded("sqs-2", error(LESSON)),
                                              graded("sqs-3")))
    return notebooks


def test_progress_is_a_course_subcommand():
    """`course progress` is registered, with --notebooks and --run."""
    args = build_parser().parse_args(["progress", "--notebooks", "x", "--run", "01_sqs_queues"])
    assert args.notebooks == "x" and args.rerun == ["01_sqs_queues"]


def test_progress_prints_modules_lessons_quiz_scores_and_the_next_step(folder, capsys):
    """Counts per module, the failed check's lesson and requirement, quiz by topic, what next."""
    assert main(["progress", "--notebooks", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"saved notebooks in {folder.resolve()}" in out
    assert "00 Start here (~20 min): 1/1 passed" in out
    assert "01 SQS queues (~120 min): 1/3 passed, 1 failed, 1 not run" in out
    assert "   \u2714 sqs-1  \u2718 sqs-2  \u00b7 sqs-3" in out
    assert "\u2718 sqs-2: [sqs-2] the visibility timeout is 30 s, shorter than the work." in out
    assert "Requirement: sqs-2/timeout-covers-work" in out
    assert "02 SQS FIFO queues (~75 min): no notebook yet" in out
    assert "SQS standard queues      1/2 (50%)  <- weak" in out
    assert "Amazon SNS               0/1 (0%)  <- weak" in out
    assert "Kinesis Data Streams     not practised" in out
    assert "Next: Fix sqs-2 in 01 · SQS queues" in out


def test_an_unknown_module_to_run_is_refused(folder, capsys):
    assert main(["progress", "--notebooks", str(folder), "--run", "99_nothing"]) == 2
    assert "no module 99_nothing" in capsys.readouterr().err


def test_check_results_become_exercises():
    """course check's results map to statuses; the Requirement line is split off the lesson."""
    module = progress.MODULES[1]
    result = module_from_check(module, progress.notebook_path(progress.notebooks_folder("x"), module.id), [
        CellResult("sqs-1", 1, 1), CellResult("sqs-2", 0, 1, LESSON),
        CellResult("sqs-3", 0, 1, "not run: the cell is empty."), CellResult("sqs-4", 0, 2, "by hand", manual=True)])
    assert [(e.id, e.status) for e in result.exercises] == [
        ("sqs-1", progress.PASSED), ("sqs-2", progress.FAILED), ("sqs-3", progress.NOT_RUN)]
    assert result.exercises[1].requirement == "sqs-2/timeout-covers-work"
    assert result.source == "run"


@pytest.mark.nbgrader
def test_run_re_executes_a_module_instead_of_reading_its_saved_outputs(folder, capsys):
    """--run runs the notebook in a fresh kernel: a saved failure that now passes shows as passed.

    The notebook on disk is not changed by the run.
    """
    fixed = notebook(graded("sqs-1", error("saved long ago")), graded("sqs-2", error(LESSON)))
    fixed.cells[-2].source = 'print("\\u2714 [sqs-1] fine now")'
    fixed.cells[-1].source = 'raise AssertionError("[sqs-2] still wrong\\nRequirement: sqs-2/still")'
    path = save(folder, "01_sqs_queues", fixed)
    before = path.read_text()
    assert main(["progress", "--notebooks", str(folder), "--run", "01_sqs_queues"]) == 0
    out = capsys.readouterr().out
    assert "01 SQS queues (~120 min): 1/2 passed, 1 failed (just re-run)" in out
    assert "Requirement: sqs-2/still" in out
    assert path.read_text() == before
