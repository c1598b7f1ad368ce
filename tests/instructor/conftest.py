"""A class of hostile submissions, graded once by ``course grade`` for the tests of this folder.

The class takes 01_sqs_queues (9 exercises, 14 points). Every hostile submission starts from the
correct solution or the blank release and does one bad thing; the tests then read the grades CSV,
the gradebook and the autograded notebooks. The run happens in a network namespace with no route
out (``unshare -n``) when this machine allows it, so the submission that tries to reach the network
can be included safely; elsewhere that one submission is left out, and its test says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from instructor.authoring import set_source
from instructor.nbgrader_api import api_for
from tests.notebooks.conftest import load_answers, submission

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "01_sqs_queues"
TIMEOUT = 5  # seconds per cell: the solution's slowest cell takes well under one


def netns_available() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def make_course(root: Path, assignment: str = ASSIGNMENT) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """A course at ``root`` with ``assignment`` generated; returns (source, release) notebooks."""
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
    result = api_for(root).generate_assignment(assignment, force=True, create=True)
    assert result["success"], result.get("error") or result.get("log")
    source = nbformat.read(root / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(root / "notebooks" / assignment / f"{assignment}.ipynb", as_version=4)
    return source, release


def hand_in(root: Path, student: str, notebook: nbformat.NotebookNode | str, name: str | None = None,
            assignment: str = ASSIGNMENT) -> Path:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{assignment}.ipynb")
    if isinstance(notebook, str):
        path.write_text(notebook, encoding="utf-8")
    else:
        nbformat.write(notebook, path)
    return path


def cell(notebook: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def with_answer(notebook: nbformat.NotebookNode, grade_id: str, code: str) -> nbformat.NotebookNode:
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    set_source(notebook, grade_id, code)
    return notebook


def hostile_class(root: Path, network: bool) -> dict[str, str]:
    """Hand in every kind of submission; returns {student: what they did}."""
    source, release = make_course(root)
    answers = load_answers(ASSIGNMENT)
    solution = submission(release, source, answers, "solution")
    blank = submission(release, source, answers, "blank")
    solution_file = root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    kinds: dict[str, str] = {}

    def add(student: str, notebook, what: str, name: str | None = None) -> None:
        hand_in(root, student, notebook, name)
        kinds[student] = what

    add("correct", solution, "the solution")
    add("alternative", submission(release, source, answers, "alternative"), "correct, written differently")
    add("blank", blank, "the release, unanswered")
    add("wrong", submission(release, source, answers, "wrong"), "plausible wrong answers")
    add("loop", with_answer(solution, "sqs-5-answer", "while True:\n    pass\n"), "an infinite loop")
    add("stubborn", with_answer(solution, "sqs-5-answer", (
        "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n")),
        "an infinite loop that swallows the interrupt")
    add("exits", with_answer(solution, "sqs-5-answer", "import sys\nsys.exit('bye')\n"), "sys.exit()")
    add("os-exit", with_answer(solution, "sqs-5-answer", "import os\nos._exit(3)\n"), "os._exit()")
    add("crash", with_answer(solution, "sqs-5-answer", "import faulthandler\nfaulthandler._sigsegv()\n"),
        "a kernel crash (segfault)")
    deleted = nbformat.from_dict(json.loads(json.dumps(solution)))
    deleted.cells.remove(cell(deleted, "sqs-3"))
    add("deleted-test", deleted, "deleted a test cell")
    edited = nbformat.from_dict(json.loads(json.dumps(blank)))
    cell(edited, "sqs-1").source = "pass  # always passes"
    add("edited-test", edited, "edited a test cell to always pass")
    tampered = nbformat.from_dict(json.loads(json.dumps(solution)))
    cell(tampered, "sqs-1").metadata.nbgrader["schema_version"] = 99
    cell(tampered, "sqs-2").metadata.nbgrader["points"] = 100
    cell(tampered, "sqs-4").metadata.nbgrader["grade_id"] = "sqs-4-mine"
    add("tampered", tampered, "tampered nbgrader metadata (schema_version, points, grade_id)")
    add("corrupt", nbformat.writes(solution)[:500], "corrupt notebook JSON")
    add("renamed", solution, "the solution under the wrong file name", name=f"{ASSIGNMENT} (1).ipynb")
    (root / "submitted" / "no-notebook" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "no-notebook" / ASSIGNMENT / "notes.txt").write_text("forgot to attach it")
    kinds["no-notebook"] = "a submission folder without a notebook"
    add("huge-output", with_answer(solution, "sqs-1-answer", "print('x' * 60_000_000)\n" +
                                   _answer(source, "sqs-1-answer")), "printed 60 MB")
    add("reader", with_answer(blank, "sqs-1-answer", READ_THE_SOLUTION.replace("SOLUTION_FILE", str(solution_file))),
        "read the solution, the gradebook and its own notebook (hidden tests) from disk")
    add("patcher", with_answer(blank, "sqs-1-answer", PATCH_THE_GRADER), "monkeypatched the graders package")
    # answers an honest student could hand in, whose errors used to show hidden tests in feedback
    sqs_1 = _answer(source, "sqs-1-answer")
    add("syntax-error", with_answer(solution, "sqs-1-answer", sqs_1.replace("):", ")", 1)),
        "a syntax error in an answer (its test cell raises NameError)")
    add("misnamed", with_answer(solution, "sqs-3-answer", _answer(source, "sqs-3-answer").replace(
        "def configure_for_lambda", "def configure_for_lamda", 1)), "a misnamed function")
    add("hidden-timeout", with_answer(solution, "sqs-1-answer", sqs_1.replace(
        '"""\n', '"""\n    while retention_days == 14:  # the hidden test\'s argument\n        pass\n', 1)),
        "a timeout on a hidden test's argument")
    add("dumper", with_answer(solution, "sqs-9-answer", DUMP_BESIDE_THE_NOTEBOOK.replace(
        "GRADEBOOK", str(root / "gradebook.db")) + _answer(source, "sqs-9-answer")),
        "wrote the cells run so far (hidden tests) and a link to the gradebook beside the notebook")
    add("huge-error", with_answer(solution, "sqs-1-answer", "raise ValueError('x' * 20_000_000)\n"),
        "raised a 20 MB exception message")
    if network:
        add("network", with_answer(solution, "sqs-1-answer", REACH_OUT + _answer(source, "sqs-1-answer")),
            "tried to reach the network")
    from nbgrader.api import Gradebook

    api = api_for(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        gradebook.add_student("ghost")  # on the roster, never handed anything in
    kinds["ghost"] = "on the roster, no submission"
    return kinds


def _answer(source: nbformat.NotebookNode, grade_id: str) -> str:
    from tests.notebooks.conftest import solution_source

    return solution_source(cell(source, grade_id))


READ_THE_SOLUTION = '''
import json, pathlib, sqlite3, subprocess
refusals = []
def steal(read):
    try:
        return read()
    except Exception as error:
        refusals.append(f"{type(error).__name__}: {error}")
source = steal(lambda: json.loads(pathlib.Path("SOLUTION_FILE").read_text()))
if source:
    for cell in source["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "sqs-1-answer":
            exec("".join(cell["source"]))
steal(lambda: subprocess.run(["cat", "SOLUTION_FILE"], capture_output=True, check=True).stdout)
steal(lambda: pathlib.Path("01_sqs_queues.ipynb").read_text())
steal(lambda: sqlite3.connect("../../../gradebook.db").execute("select source from grade_cells").fetchall())
print("\\n".join(refusals))
'''

PATCH_THE_GRADER = '''
import types
import graders.check, graders.sqs
graders.sqs.queue_with_retention = lambda *args, **kwargs: None
graders.check.fail = lambda *args, **kwargs: None
check = types.SimpleNamespace(**{name: (lambda *args, **kwargs: None) for name in dir(graders.sqs)})

def create_queue_with_retention(sqs, name, retention_days):
    graders.check.fail = lambda *args, **kwargs: None   # and once more, from inside the check
    return "not a queue"
'''

DUMP_BESIDE_THE_NOTEBOOK = '''
import os, pathlib
pathlib.Path("In-dump.txt").write_text("\\n".join(In))
print("\\n".join(In[-6:]))
try:
    os.symlink("GRADEBOOK", "gradebook-copy.db")
except Exception as error:
    print("link:", type(error).__name__)
'''

REACH_OUT = '''
import socket
try:
    socket.create_connection(("192.0.2.1", 80), timeout=1)   # documentation address, in a netns
except Exception as error:
    print("network:", type(error).__name__, error)
'''


@dataclass
class GradedClass:
    root: Path
    kinds: dict[str, str]
    rows: dict[str, dict[str, str]]
    network: bool
    output: str

    def graded_notebook(self, student: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)

    def score(self, student: str) -> float | None:
        value = self.rows[student]["score"]
        return float(value) if value else None


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> GradedClass:
    root = tmp_path_factory.mktemp("hostile-class")
    network = netns_available()
    kinds = hostile_class(root, network)
    command = [sys.executable, "-m", "instructor.cli", "grade", ASSIGNMENT, "--jobs", "2", "--timeout", str(TIMEOUT),
               "--feedback"]
    if network:
        command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    run = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=900)
    import csv

    with (root / "grades" / f"{ASSIGNMENT}.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return GradedClass(root, kinds, rows, network, run.stdout + run.stderr)
