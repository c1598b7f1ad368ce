"""Grading one class as shards (as on several machines of a hub) and merging them gives the same
gradebook and grades CSV as grading it in one run."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from instructor.nbgrader_api import api_for
from instructor.autograde.pipeline import grade_class, merge_shards
from instructor.autograde.report import Progress, read_csv
from tests.instructor.conftest import class_of, hand_in

pytestmark = pytest.mark.nbgrader  # grades or runs real notebooks and kernels: the slow suite

ASSIGNMENT = "00_start_here"


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    kinds = ("solution", "blank", "wrong", "alternative", "solution")
    root = class_of(tmp_path_factory.mktemp("sharded-class"), ASSIGNMENT,
                    {f"s{number}-{kind}": kind for number, kind in enumerate(kinds)})
    hand_in(root, "s5-corrupt", "{ not a notebook", assignment=ASSIGNMENT)
    return root


def _scores(root):
    api = api_for(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        return {(s.student.id, s.score, s.max_score, s.notebooks[0].flagged)
                for s in gradebook.assignment_submissions(ASSIGNMENT)}


def _quiet():
    return Progress(0, stream=open("/dev/null", "w"))  # noqa: SIM115


def test_shards_then_merge_equal_one_run(small_class, tmp_path):
    whole = tmp_path / "whole"
    shutil.copytree(small_class, whole)
    one_run = grade_class(whole, ASSIGNMENT, jobs=2, progress=_quiet())

    sharded = tmp_path / "sharded"
    shutil.copytree(small_class, sharded)
    graded = [grade_class(sharded, ASSIGNMENT, jobs=1, shard=(k, 3), progress=_quiet()) for k in (1, 2, 3)]
    assert sorted(r.student for g in graded for r in g.rows) == sorted(r.student for r in one_run.rows)
    assert not (sharded / "grades" / f"{ASSIGNMENT}.csv").exists()  # nothing in the course until the merge
    assert _scores(sharded) == set()

    merged = merge_shards(sharded, ASSIGNMENT)
    assert merged.warnings == []
    assert _scores(sharded) == _scores(whole)
    as_text = lambda rows: sorted((r.student, r.status, r.score, r.max_score, [str(f) for f in r.flags]) for r in rows)
    assert as_text(read_csv(merged.csv)) == as_text(read_csv(one_run.csv))
    for row in merged.rows:
        if row.score is not None:
            assert (sharded / "autograded" / row.student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()


def test_each_shard_has_its_own_gradebook_and_csv(small_class, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_class, root)
    result = grade_class(root, ASSIGNMENT, jobs=1, shard=(2, 2), progress=_quiet())
    folder = root / "shards" / ASSIGNMENT / "2-of-2"
    assert result.csv == folder / "grades.csv" and (folder / "gradebook.db").exists()
    # every second student, by name: s1, s3, s5
    assert sorted(r.student for r in result.rows) == ["s1-blank", "s3-alternative", "s5-corrupt"]


def test_merge_with_a_missing_shard_warns_and_exits_1(small_class, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_class, root)
    grade_class(root, ASSIGNMENT, jobs=1, shard=(1, 2), progress=_quiet())
    run = subprocess.run([sys.executable, "-m", "instructor.cli", "grade", ASSIGNMENT, "--merge"], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert "shard(s) 2 of 2 are missing" in run.stderr
    assert "s0-solution" in run.stdout  # what was graded is merged all the same


def test_merge_without_shards_is_a_clear_error(small_class, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_class, root)
    run = subprocess.run([sys.executable, "-m", "instructor.cli", "grade", ASSIGNMENT, "--merge"], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no graded shards" in run.stderr


@pytest.mark.parametrize("shard", ["0/2", "3/2", "two/4"])
def test_bad_shard_is_refused(shard):
    run = subprocess.run([sys.executable, "-m", "instructor.cli", "grade", ASSIGNMENT, "--shard", shard],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "--shard" in run.stderr
