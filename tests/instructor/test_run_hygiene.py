"""A ``course grade`` run loses nothing to one student and leaves nothing behind: a student whose grade
cannot be merged is flagged and the others are graded; the run folder is gone when the run ends,
normally, by an exception, or by Ctrl-C in the parent (and its grading processes with it)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from instructor.autograde import merge, pipeline
from instructor.autograde.report import Progress, read_csv
from tests.instructor.conftest import class_of

pytestmark = pytest.mark.nbgrader  # grades real notebooks with kernels: the slow suite

A = "00_start_here"


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    return class_of(tmp_path_factory.mktemp("run-hygiene"), A, dict.fromkeys(("ann", "bob", "cat"), "solution"))


@pytest.fixture
def course(small_class, tmp_path, monkeypatch):
    """A fresh copy of the class, with its own empty temp folder for the run to use."""
    root = tmp_path / "course"
    shutil.copytree(small_class, root)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return root, temp


class _Stop(Progress):
    """Progress that raises ``error`` when the first student's result comes in, the others still grading."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(0, stream=open(os.devnull, "w"))  # noqa: SIM115
        self.error = error

    def step(self, row) -> None:
        if row.score is not None:
            raise self.error
        super().step(row)


def _quiet() -> Progress:
    return Progress(0, stream=open(os.devnull, "w"))  # noqa: SIM115


def _course_grade_folders(temp: Path) -> list[str]:
    return [p.name for p in temp.iterdir()]  # the run folder, and anything else the run put there


def test_a_student_whose_merge_fails_is_flagged_and_the_rest_are_graded(course, monkeypatch):
    root, temp = course
    real = merge.merge_grades

    def merge_but_not_bob(source, target, course_id, assignment, students, flagged=()):
        if "bob" in list(students):
            raise RuntimeError("database is locked")
        return real(source, target, course_id, assignment, students, flagged)

    monkeypatch.setattr(merge, "merge_grades", merge_but_not_bob)
    result = pipeline.grade_class(root, A, jobs=2, progress=_quiet())
    rows = {r.student: r for r in read_csv(result.csv)}
    assert rows["ann"].score == rows["cat"].score == rows["ann"].max_score > 0
    assert rows["bob"].score is None and [f.kind for f in rows["bob"].flags] == ["merge-failed"]
    assert "database is locked" in rows["bob"].flags[0].reason and "graded" in rows["bob"].flags[0].reason
    assert _course_grade_folders(temp) == []


def test_an_unreadable_part_gradebook_flags_its_student(course, monkeypatch):
    root, _ = course
    real = merge.merge_grades

    def spoil_cats_part(source, target, course_id, assignment, students, flagged=()):
        students = list(students)
        if students == ["cat"]:
            Path(source.removeprefix("sqlite:///")).write_bytes(b"garbage" * 1000)
        return real(source, target, course_id, assignment, students, flagged)

    monkeypatch.setattr(merge, "merge_grades", spoil_cats_part)
    rows = {r.student: r for r in pipeline.grade_class(root, A, jobs=1, progress=_quiet()).rows}
    assert [f.kind for f in rows["cat"].flags] == ["merge-failed"] and rows["cat"].score is None
    assert rows["ann"].score is not None and rows["bob"].score is not None  # graded before cat's part was spoilt


@pytest.mark.parametrize("error", [RuntimeError("the instructor's disk is full"), KeyboardInterrupt()])
def test_nothing_is_left_in_the_temp_folder_or_running_however_the_run_ends(course, error):
    root, temp = course
    with pytest.raises(type(error)):
        pipeline.grade_class(root, A, jobs=2, progress=_Stop(error))
    assert _course_grade_folders(temp) == []
    assert multiprocessing.active_children() == []


def test_nothing_is_left_in_the_temp_folder_after_a_normal_run(course):
    root, temp = course
    pipeline.grade_class(root, A, jobs=2, progress=_quiet())
    assert _course_grade_folders(temp) == []
    assert multiprocessing.active_children() == []
