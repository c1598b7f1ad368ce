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
from tests.instructor.attacks import CRAFTED_GRADE_ID, Attack, attacks, exam_attacks, fill
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


def skip_unless_contained() -> None:
    """The hostile classes attack containment: where the machine cannot contain, they are skipped."""
    from instructor.autograde.contain import probe

    reason = probe()
    if reason is not None:
        pytest.skip(f"HOSTILE CLASS SKIPPED: this machine cannot contain a grading kernel: {reason}")


def class_of(root: Path, assignment: str, kinds: dict[str, str]) -> Path:
    """A course at ``root`` where each student of ``kinds`` handed in that kind of submission
    (``solution``, ``blank``, ``wrong``, ``alternative``: see ``tests/notebooks/conftest.submission``)."""
    source, release = make_course(root, assignment)
    answers = load_answers(assignment)
    for student, kind in kinds.items():
        hand_in(root, student, submission(release, source, answers, kind), assignment=assignment)
    return root


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
    add("zz-blank", blank, "the release, unanswered (graded after the attackers in the re-run)")
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
    kinds.update(hand_in_corpus(root, source, release, answers, add))
    from nbgrader.api import Gradebook

    api = api_for(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        gradebook.add_student("ghost")  # on the roster, never handed anything in
    kinds["ghost"] = "on the roster, no submission"
    return kinds


def attacked(release: nbformat.NotebookNode, source: nbformat.NotebookNode, answers: dict, attack: Attack,
             root: Path) -> nbformat.NotebookNode:
    """The attack's base notebook with its code in its answer cell, aimed at the course at ``root``."""
    base = submission(release, source, answers, attack.base)
    code = fill(attack.code, str(root), str(ROOT))
    if attack.where == "before":
        code = code.rstrip("\n") + "\n\n" + cell(base, attack.cell).source
    return with_answer(base, attack.cell, code)


def hand_in_corpus(root: Path, source, release, answers, add) -> dict[str, str]:
    """Every attack of ``tests/instructor/attacks.py`` on 01_sqs_queues, and those that are files, not code;
    returns {student: group} of those handed in without ``add``."""
    for attack in attacks():
        add(attack.student, attacked(release, source, answers, attack, root), f"group {attack.group}")
    solution = submission(release, source, answers, "solution")
    solution_file = root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    # 7. the notebook itself a link to the solution; data files beside the notebook that link to the gradebook
    folder = root / "submitted" / "g7-linked-notebook" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").symlink_to(solution_file)
    linked = root / "submitted" / "g7-linked-data" / ASSIGNMENT  # handed in by add() above
    (linked / "gradebook.db").symlink_to(root / "gradebook.db")
    (linked / "answers.json").symlink_to(solution_file)
    # 10. a 200 MB notebook (sparse: 200 MB on paper, nothing on disk); a crafted grade_id
    huge = root / "submitted" / "g10-huge-notebook" / ASSIGNMENT
    huge.mkdir(parents=True)
    with (huge / f"{ASSIGNMENT}.ipynb").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    crafted = nbformat.from_dict(json.loads(json.dumps(solution)))
    extra = nbformat.v4.new_code_cell("print('extra credit')")
    extra.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": False, "points": 1,
                                  "grade_id": CRAFTED_GRADE_ID, "schema_version": 3}
    crafted.cells.append(extra)
    add("g10-grade-id", crafted, "group 10")
    return {"g7-linked-notebook": "group 7", "g10-huge-notebook": "group 10"}


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
    assignment: str = ASSIGNMENT
    before: dict[str, bytes | None] | None = None  #: files the corpus attacks, as they were before the run

    def graded_notebook(self, student: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "autograded" / student / self.assignment / f"{self.assignment}.ipynb",
                             as_version=4)

    def score(self, student: str) -> float | None:
        value = self.rows[student]["score"]
        return float(value) if value else None

    def flags(self, student: str) -> str:
        return self.rows[student]["flags"]

    def cell_grades(self, student: str) -> dict[str, float]:
        """{grade_id: score} of ``student``'s graded cells in the course gradebook."""
        return cell_grades(self.root, self.assignment, student)


def cell_grades(root: Path, assignment: str, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    api = api_for(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        notebook = gradebook.find_submission(assignment, student).notebooks[0]
        return {grade.name: float(grade.score) for grade in notebook.grades}


def run_grade(root: Path, assignment: str, *options: str, network: bool = False) -> str:
    """``course grade`` as the instructor runs it, in ``root``; returns what it printed."""
    command = [sys.executable, "-m", "instructor.cli", "grade", assignment, "--timeout", str(TIMEOUT), *options]
    if network:
        command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    run = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=2400)
    return run.stdout + run.stderr


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    import csv

    with path.open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def attacked_files(root: Path) -> dict[str, bytes | None]:
    """What group 1 writes to and group 2 destroys: the config, the graders, the venv's .pth files, the
    gradebook's presence and every submitted file; None for a file that does not exist."""
    import graders.sqs

    files = [root / "nbgrader_config.py", Path(graders.sqs.__file__), ROOT / "graders" / "sqs.py",
             root / "PWNED-config", root / "PWNED-pth"]
    files += sorted(p for p in (root / "submitted").rglob("*") if p.is_file() and not p.is_symlink()
                    and p.stat().st_size < 50_000_000)
    found: dict[str, bytes | None] = {str(p): p.read_bytes() if p.exists() else None for p in files}
    import site

    for folder in site.getsitepackages():
        found[f"{folder}/*.pth"] = "\n".join(sorted(p.name for p in Path(folder).glob("*.pth"))).encode()
    return found


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> GradedClass:
    """The hostile class of 01_sqs_queues, honest students and every attack, graded in ONE run."""
    skip_unless_contained()
    root = tmp_path_factory.mktemp("hostile-class")
    network = netns_available()
    kinds = hostile_class(root, network)
    before = attacked_files(root)
    output = run_grade(root, ASSIGNMENT, "--jobs", "2", "--feedback", network=network)
    rows = read_rows(root / "grades" / f"{ASSIGNMENT}.csv")
    return GradedClass(root, kinds, rows, network, output, before=before)


HONEST = ("correct", "alternative", "blank", "wrong")


@pytest.fixture(scope="session")
def honest_class(tmp_path_factory) -> dict[str, GradedClass]:
    """The honest students alone, graded without any attacker beside them: {assignment: class}."""
    graded = {}
    for assignment in (ASSIGNMENT, EXAM):
        root = tmp_path_factory.mktemp(f"honest-{assignment}")
        source, release = make_course(root, assignment)
        answers = load_answers(assignment)
        kinds = {}
        for kind in HONEST:
            hand_in(root, kind, submission(release, source, answers,
                                           "solution" if kind == "correct" else kind), assignment=assignment)
            kinds[kind] = kind
        output = run_grade(root, assignment, "--jobs", "2")
        graded[assignment] = GradedClass(root, kinds, read_rows(root / "grades" / f"{assignment}.csv"), False,
                                         output, assignment)
    return graded


EXAM = "07_exam_traps"


@pytest.fixture(scope="session")
def exam_class(tmp_path_factory) -> GradedClass:
    """07_exam_traps: the honest students and the attacks on its answer key (group 9), in one run."""
    skip_unless_contained()
    root = tmp_path_factory.mktemp("hostile-exam")
    source, release = make_course(root, EXAM)
    answers = load_answers(EXAM)
    kinds = {}
    for kind in HONEST:
        hand_in(root, kind, submission(release, source, answers, "solution" if kind == "correct" else kind),
                assignment=EXAM)
        kinds[kind] = kind
    for attack in exam_attacks():
        hand_in(root, attack.student, attacked(release, source, answers, attack, root), assignment=EXAM)
        kinds[attack.student] = f"group {attack.group}"
    output = run_grade(root, EXAM, "--jobs", "2", "--feedback")
    return GradedClass(root, kinds, read_rows(root / "grades" / f"{EXAM}.csv"), False, output, EXAM)


#: graded again after the class, one at a time in one grading process, in this (name) order: the
#: writers and destroyers first, then an honest solution and a blank that must be graded as ever
REGRADED = ("correct", "g1-config", "g1-graders", "g1-pth", "g2-gradebook", "g2-kill", "g2-rename", "zz-blank")


@pytest.fixture(scope="session")
def regraded(graded_class) -> GradedClass:
    """The second run: the writers and destroyers graded again with ``--jobs 1``, into a CSV of its own."""
    root = graded_class.root
    csv_path = root / "grades" / "rerun.csv"
    options = ["--jobs", "1", "--csv", str(csv_path)]
    for student in REGRADED:
        options += ["--student", student]
    output = run_grade(root, ASSIGNMENT, *options)
    return GradedClass(root, graded_class.kinds, read_rows(csv_path), False, output, before=graded_class.before)
