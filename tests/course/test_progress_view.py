"""The progress widget, read through its state (no browser)."""

from __future__ import annotations

import json
import re

import pytest

from course.quiz import history
from course.views import progress as view
from course.remote import SOCKET_VARIABLE as ENVIRONMENT
from tests.course.test_progress import LESSON, SUCCESS, error, graded, notebook, save, stdout


@pytest.fixture(autouse=True)
def course_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("COURSE_HOME", str(home))
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    return home


@pytest.fixture
def folder(tmp_path):
    notebooks = tmp_path / "notebooks"
    save(notebooks, "01_sqs_queues", notebook(graded("sqs-1", stdout(SUCCESS)), graded("sqs-2", error(LESSON)),
                                              graded("sqs-3")))
    return notebooks


def test_the_widget_shows_each_exercise_status_and_the_next_step(folder):
    """A chip per exercise (passed, failed with its lesson and requirement, not run) and the next step."""
    widget = view.widget(folder)
    state = widget.view.get_state()["value"]
    assert 'class="course-progress"' in state
    assert re.search(r'course-progress-passed"[^>]*>\u2714 sqs-1', state)
    assert re.search(r'course-progress-failed" title="failed: \[sqs-2\] the visibility timeout', state)
    assert "Requirement: sqs-2/timeout-covers-work" in state
    assert re.search(r"course-progress-not-run[^>]*>\u00b7 sqs-3", state)
    assert "<b>Next:</b> Open 00 · Start here" in state  # 00 has no notebook in this folder
    assert "no notebook yet" in state and "Nothing leaves this machine" in state
    assert widget.refresh.get_state()["description"] == "refresh"
    assert "course-progress-view" in widget.box.get_state()["_dom_classes"]


def test_refresh_reads_the_saved_notebooks_and_quiz_history_again(folder, course_home):
    """Save a fixed notebook and a quiz run, press refresh: the view changes."""
    widget = view.widget(folder)
    assert "sqs: not yet" in widget.view.value
    save(folder, "01_sqs_queues", notebook(graded("sqs-1", stdout(SUCCESS)), graded("sqs-2", stdout(SUCCESS)),
                                           graded("sqs-3", stdout(SUCCESS))))
    path = history.results_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"when": "now", "mode": "quiz",
                                 "answers": [{"id": "a", "topic": "sqs", "correct": True}]}]))
    widget.refresh.click()
    assert "course-progress-failed" not in widget.view.value
    assert "sqs: 1/1 (100%)" in widget.view.value
    assert widget.report.module("01_sqs_queues").complete


def test_while_graded_the_widget_reads_nothing(folder, monkeypatch):
    """Under `course grade` the seal refuses (and reports) any notebook read: the view does not try."""
    monkeypatch.setenv(ENVIRONMENT, "{}")
    opened = []
    monkeypatch.setattr(view.model, "collect", lambda *a, **k: opened.append(a))
    widget = view.widget(folder)
    assert opened == [] and widget.report is None
    assert "not read while this notebook is being graded" in widget.view.get_state()["value"]
