"""The steps before grading, on their own: reading submissions and repairing what learners may not change."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from instructor.autograde.intake import Flag, read_submission
from instructor.autograde.repair import repair
from instructor.autograde.report import Row, read_csv, summary, write_csv

ROOT = Path(__file__).resolve().parents[2]
RELEASE = nbformat.read(ROOT / "notebooks" / "01_sqs_queues" / "01_sqs_queues.ipynb", as_version=4)


def graded(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def ids(notebook):
    return [c.metadata.get("nbgrader", {}).get("grade_id") or c.get("id") for c in notebook.cells]


def test_the_release_itself_needs_no_repair():
    repaired, flags = repair(RELEASE, RELEASE)
    assert flags == [] and repaired == RELEASE


def test_answers_are_kept():
    notebook = copy.deepcopy(RELEASE)
    graded(notebook, "sqs-1-answer").source = "def create_queue_with_retention(*a):\n    return 'mine'"
    repaired, flags = repair(notebook, RELEASE)
    assert flags == [] and "return 'mine'" in graded(repaired, "sqs-1-answer").source


def test_tampered_metadata_is_restored():
    notebook = copy.deepcopy(RELEASE)
    graded(notebook, "sqs-1").metadata.nbgrader["schema_version"] = 99
    graded(notebook, "sqs-2").metadata.nbgrader["points"] = 100
    graded(notebook, "sqs-4").metadata.nbgrader["grade_id"] = "mine"
    repaired, flags = repair(notebook, RELEASE)
    assert [f.kind for f in flags] == ["tampered-metadata"]
    assert "'sqs-1', 'sqs-2', 'sqs-4'" in flags[0].reason
    assert repaired.cells == RELEASE.cells


def test_deleted_cells_go_back_where_they_were():
    notebook = copy.deepcopy(RELEASE)
    notebook.cells = [c for c in notebook.cells
                      if c.metadata.get("nbgrader", {}).get("grade_id") not in ("sqs-3", "sqs-9")]
    repaired, flags = repair(notebook, RELEASE)
    assert [f.kind for f in flags] == ["deleted-cell"] and "'sqs-3', 'sqs-9'" in flags[0].reason
    assert ids(repaired) == ids(RELEASE)
    nbformat.validate(repaired)


def test_edited_test_cell_is_restored():
    notebook = copy.deepcopy(RELEASE)
    graded(notebook, "sqs-1").source = "pass"
    repaired, flags = repair(notebook, RELEASE)
    assert [f.kind for f in flags] == ["edited-test-cell"]
    assert graded(repaired, "sqs-1").source == graded(RELEASE, "sqs-1").source


def test_made_up_and_duplicated_graded_cells_lose_their_claim():
    notebook = copy.deepcopy(RELEASE)
    extra = copy.deepcopy(graded(notebook, "sqs-1"))
    extra["id"] = "copy-of-sqs-1"
    made_up = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": True, "grade_id": "bonus",
                                                                          "points": 50, "schema_version": 3}})
    notebook.cells += [extra, made_up]
    repaired, flags = repair(notebook, RELEASE)
    assert [f.kind for f in flags] == ["unknown-graded-cell", "unknown-graded-cell"]
    assert sum(1 for c in repaired.cells if c.metadata.get("nbgrader")) == \
        sum(1 for c in RELEASE.cells if c.metadata.get("nbgrader"))


def _folder(tmp_path, files):
    folder = tmp_path / "alice" / "01_sqs_queues"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_a_good_submission_reads_without_flags(tmp_path):
    folder = _folder(tmp_path, {"01_sqs_queues.ipynb": nbformat.writes(RELEASE)})
    submission = read_submission(folder, "alice", "01_sqs_queues")
    assert submission.gradable and submission.flags == []


@pytest.mark.parametrize("files, kind", [
    ({}, "missing-file"),
    ({"notes.txt": "hi"}, "missing-file"),
    ({"01_sqs_queues.ipynb": "{ broken"}, "invalid-json"),
    ({"01_sqs_queues.ipynb": "[1, 2]"}, "not-a-notebook"),
    ({"01_sqs_queues.ipynb": '{"cells": [], "nbformat": 99}'}, "not-a-notebook"),
])
def test_ungradable_submissions_say_why(tmp_path, files, kind):
    submission = read_submission(_folder(tmp_path, files), "alice", "01_sqs_queues")
    assert not submission.gradable and [f.kind for f in submission.flags] == [kind]


def test_the_likeliest_misnamed_notebook_is_graded(tmp_path):
    folder = _folder(tmp_path, {"Untitled.ipynb": nbformat.writes(nbformat.v4.new_notebook()),
                                "01_sqs_queues (copy).ipynb": nbformat.writes(RELEASE)})
    submission = read_submission(folder, "alice", "01_sqs_queues")
    assert submission.gradable and submission.path.name == "01_sqs_queues (copy).ipynb"
    assert [f.kind for f in submission.flags] == ["wrong-file-name"]


def test_no_folder_at_all(tmp_path):
    submission = read_submission(tmp_path / "nobody" / "01_sqs_queues", "nobody", "01_sqs_queues")
    assert [f.kind for f in submission.flags] == ["missing-submission"]


def test_csv_keeps_not_graded_apart_from_zero(tmp_path):
    rows = [Row("a", "x", 0.0, 14.0), Row("b", "x", None, None, [Flag("invalid-json", "broken", fatal=True)]),
            Row("c", "x", 7.0, 14.0, [Flag("timeout", "cell 'q' ran long")])]
    path = write_csv(rows, tmp_path / "grades.csv")
    text = path.read_text()
    assert "a,x,graded,0,14," in text and "b,x,not graded,,,invalid-json: broken" in text
    back = read_csv(path)
    assert [(r.student, r.status, r.score) for r in back] == [("a", "graded", 0.0), ("b", "not graded", None),
                                                               ("c", "flagged", 7.0)]
    assert "3 submissions: 1 graded, 1 graded with flags, 1 not graded, mean 25%" in summary(back)
