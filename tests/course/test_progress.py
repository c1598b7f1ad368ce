"""The progress model on hand-made notebooks: passed, failed, not run; quiz scores; the next step."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from course import progress
from course.quiz import history
from course.quiz.bank import TOPICS
from instructor.authoring import answer, check, locked_code
from course.remote import SOCKET_VARIABLE as ENVIRONMENT
from instructor.paths import assignment_ids

ROOT = Path(__file__).resolve().parents[2]
SUCCESS = "\u2714 [sqs-1] the queue keeps messages for 4 days.\n"
LESSON = ("[sqs-2] the visibility timeout is 30 s, shorter than the work.\n"
          "Why it matters: the message reappears and is processed twice.\n"
          "Hint: set VisibilityTimeout.\n"
          "Requirement: sqs-2/timeout-covers-work")


def stdout(text: str):
    return v4.new_output("stream", name="stdout", text=text)


def error(message: str, ename: str = "CheckFailed"):
    return v4.new_output("error", ename=ename, evalue=message, traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


def graded(grade_id: str, *outputs) -> v4.NotebookNode:
    cell = check(grade_id, f"check.something(cloud, f)  # {grade_id}", points=1)
    cell.outputs = list(outputs)
    cell.execution_count = 1 if outputs else None
    return cell


def notebook(*cells) -> v4.NotebookNode:
    return v4.new_notebook(cells=[locked_code("setup", "import course"), *cells])


def save(folder: Path, module_id: str, nb: v4.NotebookNode) -> Path:
    path = folder / module_id / f"{module_id}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    """Quiz results go to a temporary COURSE_HOME, never to the real ~/.course."""
    home = tmp_path / "home"
    monkeypatch.setenv("COURSE_HOME", str(home))
    return home


def quiz_run(*answers: tuple[str, bool], mode: str = "quiz") -> dict:
    return {"when": "2025-01-01T00:00:00+00:00", "mode": mode,
            "answers": [{"id": f"q{i}", "topic": topic, "correct": right} for i, (topic, right) in enumerate(answers)]}


def test_a_check_cell_reads_as_passed_failed_or_not_run():
    """Error -> failed (lesson and requirement kept apart); the ✔ line -> passed; nothing -> not run."""
    passed = progress.exercise_from_cell(graded("sqs-1", stdout(SUCCESS)))
    failed = progress.exercise_from_cell(graded("sqs-2", error(LESSON)))
    not_run = progress.exercise_from_cell(graded("sqs-3"))
    assert passed == progress.Exercise("sqs-1", progress.PASSED)
    assert failed.status == progress.FAILED
    assert failed.requirement == "sqs-2/timeout-covers-work"
    assert failed.summary == "[sqs-2] the visibility timeout is 30 s, shorter than the work."
    assert "Requirement:" not in failed.message and "Hint: set VisibilityTimeout." in failed.message
    assert not_run == progress.Exercise("sqs-3", progress.NOT_RUN)


def test_stderr_fails_a_cell_even_after_the_success_line():
    """nbgrader scores any stderr 0, so a check that passed but warned has not passed."""
    cell = graded("sqs-1", stdout(SUCCESS), v4.new_output("stream", name="stderr", text="DeprecationWarning: x\n"))
    result = progress.exercise_from_cell(cell)
    assert result.status == progress.FAILED and "stderr" in result.message and "DeprecationWarning" in result.message


def test_output_without_a_verdict_is_not_run_and_an_error_without_requirement_is_failed():
    """A print and no ✔ line is no verdict; a plain NameError (cell above not run) is a failure."""
    printed = progress.exercise_from_cell(graded("sqs-1", stdout("hello\n")))
    name_error = progress.exercise_from_cell(graded("sqs-2", error("name 'cloud' is not defined", "NameError")))
    assert printed.status == progress.NOT_RUN
    assert name_error.status == progress.FAILED and name_error.requirement == ""
    assert name_error.message == "name 'cloud' is not defined"


def test_read_exercises_keeps_only_check_cells_in_order(tmp_path):
    """Answer cells, demos and markdown are not exercises; check cells come in notebook order."""
    nb = notebook(answer("sqs-1-answer", "def f():\n    ### BEGIN SOLUTION\n    pass\n    ### END SOLUTION"),
                  graded("sqs-1", stdout(SUCCESS)), v4.new_markdown_cell("text"), graded("sqs-2", error(LESSON)),
                  graded("sqs-3"))
    path = save(tmp_path, "01_sqs_queues", nb)
    assert [(e.id, e.status) for e in progress.read_exercises(path)] == [
        ("sqs-1", progress.PASSED), ("sqs-2", progress.FAILED), ("sqs-3", progress.NOT_RUN)]


def test_collect_reports_each_module_and_a_missing_or_broken_notebook(tmp_path):
    """Every module of the course appears; no notebook or broken JSON is a problem, not a crash."""
    save(tmp_path, "00_start_here", notebook(graded("start-1", stdout("\u2714 [start-1] works\n"))))
    save(tmp_path, "01_sqs_queues", notebook(graded("sqs-1", stdout(SUCCESS)), graded("sqs-2", error(LESSON)),
                                             graded("sqs-3")))
    broken = tmp_path / "02_sqs_fifo" / "02_sqs_fifo.ipynb"
    broken.parent.mkdir()
    broken.write_text("{ not json")
    report = progress.collect(tmp_path, runs=[])
    assert [m.module.id for m in report.modules] == [m.id for m in progress.MODULES]
    assert report.module("00_start_here").complete
    sqs = report.module("01_sqs_queues")
    assert (sqs.passed, sqs.failed, sqs.not_run) == (1, 1, 1) and not sqs.complete
    assert "could not read" in report.module("02_sqs_fifo").problem
    assert report.module("03_sns_fanout").problem == "no notebook yet"
    assert report.notebooks == tmp_path.resolve()


def test_quiz_scores_come_from_the_history_file(tmp_path, course_home):
    """Scores by topic over every saved run, read from the quiz history (COURSE_HOME)."""
    path = history.results_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([quiz_run(("sqs", True), ("sqs", False), ("fifo", True)),
                                quiz_run(("sqs", True), ("kinesis", False), mode="exam")]))
    report = progress.collect(tmp_path)
    assert (report.quiz["sqs"].right, report.quiz["sqs"].asked) == (2, 3)
    assert report.quiz["fifo"].rate == 1.0
    assert report.quiz["sns"].asked == 0 and report.quiz["sns"].rate is None
    assert set(report.quiz) == set(TOPICS)
    assert report.exam is not None and (report.exam.right, report.exam.asked) == (1, 2)


def test_next_step_fixes_a_failure_before_going_on(tmp_path):
    """In the first unfinished module, a failed check comes before one not run yet, with what was wrong."""
    save(tmp_path, "00_start_here", notebook(graded("start-1", stdout("\u2714 [start-1] ok\n"))))
    save(tmp_path, "01_sqs_queues", notebook(graded("sqs-1"), graded("sqs-2", error(LESSON))))
    step = progress.collect(tmp_path, runs=[]).next_step
    assert step.startswith("Fix sqs-2 in 01") and "visibility timeout is 30 s" in step


def test_next_step_continues_where_a_check_has_not_run(tmp_path):
    save(tmp_path, "00_start_here", notebook(graded("start-1", stdout("\u2714 [start-1] ok\n")), graded("start-2")))
    assert progress.collect(tmp_path, runs=[]).next_step == \
        "Continue 00 · Start here: run start-2 (then save the notebook)"


def _all_passed(folder: Path) -> None:
    for module in progress.MODULES:
        save(folder, module.id, notebook(graded(f"{module.id[:2]}-1", stdout("\u2714 [x] ok\n"))))


def test_next_step_after_the_checks_is_the_quiz_then_weak_topics_then_the_exam(tmp_path):
    """All checks pass: untried practice quizzes in order, then the weakest topic, then the exam."""
    _all_passed(tmp_path)
    assert "practice quiz at the end of 01" in progress.collect(tmp_path, runs=[]).next_step
    every_topic = quiz_run(*[(topic, True) for topic in TOPICS], ("fifo", False), ("fifo", False))
    step = progress.collect(tmp_path, runs=[every_topic]).next_step
    assert step.startswith("Practise SQS FIFO queues (1/3") and "course quiz --topic fifo" in step
    strong = quiz_run(*[(topic, True) for topic in TOPICS])
    assert "practice exam" in progress.collect(tmp_path, runs=[strong]).next_step
    passed_exam = quiz_run(*[(topic, True) for topic in TOPICS], mode="exam")
    assert "book the exam" in progress.collect(tmp_path, runs=[strong, passed_exam]).next_step


def test_the_default_folder_is_notebooks_under_the_course_root(tmp_path, monkeypatch):
    """From a notebook's folder (a kernel's cwd) the course root is found upwards."""
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "notebooks" / "01_sqs_queues").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "01_sqs_queues")
    assert progress.notebooks_folder() == tmp_path.resolve() / "notebooks"
    assert progress.notebooks_folder(tmp_path / "mine") == (tmp_path / "mine").resolve()


def test_the_module_table_is_the_course():
    """MODULES lists every assignment in solutions/, in order, with real quiz topics."""
    assert [m.id for m in progress.MODULES] == assignment_ids(ROOT)
    assert all(topic in TOPICS for m in progress.MODULES for topic in m.topics)


def test_grading_is_detected_by_the_seals_own_variable(monkeypatch):
    """The runtime names the seal's environment variable itself (it may not import instructor)."""
    assert progress.GRADING_ENVIRONMENT == ENVIRONMENT
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert not progress.being_graded()
    monkeypatch.setenv(ENVIRONMENT, "{}")
    assert progress.being_graded()
