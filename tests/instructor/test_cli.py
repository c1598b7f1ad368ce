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


def test_quiz_and_grade_are_commands_of_course():
    """Do the subcommands that live with their feature (quiz in the learner runtime, grade in the
    grading pipeline) come with the same `course` command?"""
    help_text = build_parser().format_help()
    assert "quiz" in help_text and "grade" in help_text
    args = build_parser().parse_args(["quiz", "--n", "3", "--no-save"])
    assert args.command == "quiz" and args.n == 3
    args = build_parser().parse_args(["grade", "01_sqs_queues", "--shard", "1/2"])
    assert args.shard == (1, 2)


def test_lab_as_root_adds_allow_root_and_says_so(monkeypatch, capsys):
    """JupyterLab refuses to run as root without --allow-root: does `course lab` add it, with one line?"""
    import instructor.cli

    calls = []
    monkeypatch.setattr(instructor.cli.subprocess, "call", lambda command, **kw: calls.append(command) or 0)
    monkeypatch.setattr(instructor.cli, "_is_root", lambda: True)
    assert main(["lab", "--no-browser"]) == 0
    assert "--allow-root" in calls[0] and "--no-browser" in calls[0]
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "root" in said[0] and "--allow-root" in said[0]

    monkeypatch.setattr(instructor.cli, "_is_root", lambda: False)
    assert main(["lab"]) == 0
    assert "--allow-root" not in calls[1]
    assert capsys.readouterr().err == ""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.nbgrader  # starts JupyterLab: the slow suite
def test_make_lab_command_serves_jupyterlab_on_loopback(tmp_path):
    """Does the command `make lab` runs (`course lab`) start a JupyterLab that answers HTTP on
    127.0.0.1, whoever runs it (root included)? Stopped by the PID of the process started here."""
    import os
    import shutil
    import signal
    import time
    import urllib.error
    import urllib.request

    version = subprocess.run([sys.executable, "-m", "jupyter", "lab", "--version"], capture_output=True, text=True)
    if version.returncode != 0:
        pytest.skip(f"jupyter lab cannot start here: `jupyter lab --version` failed: {version.stderr.strip()[-200:]}")
    course_command = shutil.which("course", path=str(Path(sys.executable).parent))
    assert course_command, "the venv has no `course` command: run `make setup`"
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    log = (tmp_path / "lab.log").open("w+")
    # a session of its own: the lab (a child of `course lab`) is stopped with it, by this PID's group
    lab = subprocess.Popen([course_command, "lab", "--no-browser", "--ip", "127.0.0.1", "--port", str(port)],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        answered = None
        while answered is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as response:
                    answered = response.status
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                try:
                    lab.wait(timeout=0.25)  # the pause between polls, ending early if the lab exits
                except subprocess.TimeoutExpired:
                    continue
                break
        log.seek(0)
        output = log.read()
        assert lab.poll() is None, f"`course lab` exited with {lab.returncode}:\n{output[-2000:]}"
        assert answered == 200, f"no HTTP answer from the lab on 127.0.0.1:{port} within 90 s:\n{output[-2000:]}"
        if os.geteuid() == 0:
            assert "--allow-root" in output
    finally:
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGTERM)
            try:
                lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
                lab.wait(timeout=30)
        log.close()
