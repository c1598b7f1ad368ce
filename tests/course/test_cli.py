"""`course check` reports like nbgrader and exits non-zero when anything fails."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4
from nbgrader.utils import compute_checksum

from instructor import authoring
from instructor.check import check_notebook
from instructor.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def course(*args):
    return subprocess.run([sys.executable, "-m", "instructor.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.nbgrader
def test_check_passes_the_solution():
    """Does the source notebook pass every check, with exit code 0?"""
    done = course("check", "solutions/00_start_here/00_start_here.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS start-1 (1/1)" in done.stdout and "score: 1/1" in done.stdout
    assert done.stderr == "", "the kernel's own start-up warnings leak to the learner's terminal"


@pytest.mark.nbgrader
def test_check_fails_the_release_with_the_lesson_not_a_traceback():
    """Does the unanswered release fail (exit 1) with the check's lesson and no traceback?"""
    done = course("check", "notebooks/00_start_here/00_start_here.ipynb")
    assert done.returncode == 1
    assert "FAIL start-1 (0/1)" in done.stdout and "not answered yet" in done.stdout
    assert "score: 0/1" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_check_missing_file_is_bad_input(capsys):
    assert main(["check", "no/such/notebook.ipynb"]) == 2
    assert "no notebook at" in capsys.readouterr().err


def test_check_broken_json_is_bad_input(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    assert main(["check", str(broken)]) == 2
    assert "not a valid notebook" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["[]", "{}", '{"cells": "none"}'])
def test_check_json_that_is_not_a_notebook_is_bad_input(tmp_path, capsys, text):
    other = tmp_path / "other.ipynb"
    other.write_text(text)
    assert main(["check", str(other)]) == 2
    err = capsys.readouterr().err
    assert "not a Jupyter notebook" in err and "Traceback" not in err


def test_check_a_notebook_without_checks_is_bad_input(tmp_path, capsys):
    plain = tmp_path / "plain.ipynb"
    nbformat.write(v4.new_notebook(cells=[v4.new_code_cell("1 + 1")]), plain)
    assert main(["check", str(plain)]) == 2
    assert "no graded cells" in capsys.readouterr().err


@pytest.mark.nbgrader
def test_check_scores_every_way_nbgrader_does(tmp_path):
    """stderr, a numeric last value, a timeout, a value above the points, an edited check, a dead
    kernel: each scores as nbgrader would, and says why, in one kernel run."""
    edited = authoring.check("edited", "print('the original check')", 1)
    edited.metadata["nbgrader"]["checksum"] = compute_checksum(edited)
    edited.source = "pass  # the learner emptied the check"
    cells = [
        authoring.locked_code("setup", "import sys, time"),
        authoring.check("quiet", "print('fine')", 1),
        authoring.check("stderr", "print('oops', file=sys.stderr)", 2),
        authoring.check("partial", "0.5", 2),
        authoring.check("zero", "0", 1),
        authoring.check("too-many", "5", 1),
        authoring.check("loop", "while True: pass", 1),
        authoring.check("cwd", "import os\nassert os.path.exists('here.txt'), os.getcwd()", 1),
        edited,
        authoring.locked_code("crash", "import os; os._exit(1)"),
        authoring.check("after", "print('never')", 1),
    ]
    path = tmp_path / "hostile.ipynb"
    (tmp_path / "here.txt").write_text("the notebook's folder is the kernel's cwd")
    nbformat.write(v4.new_notebook(cells=cells), path)

    results = {r.grade_id: r for r in check_notebook(path, timeout=2)}

    assert (results["quiet"].points, results["quiet"].passed) == (1, True)
    assert results["stderr"].points == 0 and "stderr" in results["stderr"].message
    assert results["partial"].points == 0.5 and "read by nbgrader as the points" in results["partial"].message
    assert results["zero"].points == 0 and not results["zero"].passed
    assert results["too-many"].points == 0 and "cannot grade" in results["too-many"].message
    assert results["loop"].points == 0 and "timed out" in results["loop"].message
    assert results["cwd"].passed, results["cwd"].message
    assert not results["edited"].passed and "edited" in results["edited"].message
    assert not results["after"].passed and "kernel died" in results["after"].message


def test_release_rejects_an_unknown_assignment(capsys):
    assert main(["release", "99_nope"]) == 2
    assert "no source notebook for 99_nope" in capsys.readouterr().err


def test_lab_runs_jupyter_from_the_course_root(monkeypatch, tmp_path):
    """nbgrader reads nbgrader_config.py from the server's cwd: `course lab` must start there,
    opening the first notebook, even when called from elsewhere."""
    import instructor.cli

    calls = []
    monkeypatch.setattr(instructor.cli.subprocess, "call", lambda command, **kw: calls.append((command, kw)) or 0)
    monkeypatch.chdir(tmp_path)
    assert main(["lab", "--port", "8899"]) == 0
    (command, kw), = calls
    assert Path(kw["cwd"]) == ROOT
    assert command[1:4] == ["-m", "jupyter", "lab"]
    assert "--port=8899" in command and "notebooks/00_start_here/00_start_here.ipynb" in command


def test_commands_are_listed():
    help_text = build_parser().format_help()
    for command in ("lab", "check", "release"):
        assert command in help_text
