"""`course check` reports like nbgrader and exits non-zero when anything fails."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def course(*args):
    return subprocess.run([sys.executable, "-m", "course.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.nbgrader
def test_check_passes_the_solution():
    done = course("check", "solutions/00_start_here/00_start_here.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS start-1 (1/1)" in done.stdout and "score: 1/1" in done.stdout


@pytest.mark.nbgrader
def test_check_fails_the_release_with_the_lesson_not_a_traceback():
    done = course("check", "notebooks/00_start_here/00_start_here.ipynb")
    assert done.returncode == 1
    assert "FAIL start-1 (0/1)" in done.stdout and "not answered yet" in done.stdout
    assert "Traceback" not in done.stdout


def test_check_missing_file_is_bad_input(capsys):
    assert main(["check", "no/such/notebook.ipynb"]) == 2
    assert "no notebook at" in capsys.readouterr().err


def test_check_broken_json_is_bad_input(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    assert main(["check", str(broken)]) == 2
    assert "not a valid notebook" in capsys.readouterr().err


def test_release_rejects_an_unknown_assignment(capsys):
    assert main(["release", "99_nope"]) == 2
    assert "no source notebook for 99_nope" in capsys.readouterr().err


def test_commands_are_listed():
    help_text = build_parser().format_help()
    for command in ("lab", "check", "release"):
        assert command in help_text
