"""The nbgrader round trip, shared by every module: release, submit, grade a class, read the grades.

For each assignment in ``solutions/`` a temporary course is built once per test module: nbgrader
generates the release from ``solutions/<id>``, a class of students submits, and ONE parallel
``course grade`` run (nbgrader's own autograde, several submissions at a time) grades them all:

* ``solution``: the release with every answer cell holding the source notebook's solution;
* ``blank``: the release unedited;
* ``wrong--<k>`` and ``alternative--<k>``: the solution with the k-th plausible wrong answer / the k-th
  correct answer written differently (``tests/notebooks/answers/<id>.py``) in every answer cell that
  has one. Each check judges only its own answer cell (the ``alone`` students prove it), so one
  submission grades one variant of every cell: a class of ~20 instead of ~60 per module. An answer
  cell that other checks also call (a ``needs``, or a graded cell fed by two answer cells) is varied in
  submissions of its own, ``<kind>--<answer>--<name>``, so a wrong build never hides another cell's
  verdict;
* ``alone--<check>``: the release with only the answer cells that graded cell needs (the cells whose
  spec lists it in ``check``, plus its ``needs``): graded alone, it must score as in order.

Answers files are plain Python, loaded by path (names start with digits)::

    ANSWERS = {
        "sqs-1-answer": {                    # grade_id of the answer (solution) cell
            "check": "sqs-1",                # grade_id of the graded cell(s) it feeds (str or list)
            "needs": ["other-answer"],       # optional: answer cells its checks also call
            "wrong": [{                      # plausible mistakes, one requirement each
                "name": "days-not-seconds",  # readable, unique within the answer cell
                "requirement": "sqs-1/retention-matches",   # the requirement the check must name
                "message": "must keep them for 7 days",     # text the check's output must contain
                "code": "...",
            }],
            "alternative": [{"name": "attributes-after-create", "code": "..."}],
        },
    }

    #: requirements no plausible wrong answer reaches (defence in depth), each with the reason
    SAFETY_NETS = {"sqs-3/no-duplicates-when-slow": "visibility-at-least-6x is judged first, so ..."}

Every requirement of a graded cell is broken by a wrong answer or named in ``SAFETY_NETS``.

The first format (``"wrong": "...code..."``, ``"message"``, ``"alternative": "...code..."``) is read
as one wrong and one alternative answer.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import is_grade, is_solution

from instructor.authoring import set_source
from instructor.nbgrader_api import api_for
from instructor.paths import assignment_ids

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "answers"
MODULES = assignment_ids(ROOT)
#: grading processes: the machine's cores, so the suite stays fast on CI's two
JOBS = max(2, os.cpu_count() or 2)


@dataclass(frozen=True)
class Variant:
    """One answer cell's plausible wrong answer or alternative correct answer."""

    kind: str  #: "wrong" or "alternative"
    answer_id: str
    name: str
    code: str
    checks: tuple[str, ...]
    message: str = ""
    requirement: str = ""



def batches(answers: dict) -> dict[str, list[Variant]]:
    """student -> the variants their notebook carries (at most one per answer cell)."""
    needed = {cell for spec in answers.values() for cell in spec.get("needs", [])}
    # cells that feed a graded cell another answer cell also feeds judge each other: vary them alone
    feeders: dict[str, set[str]] = {}
    for answer_id, spec in answers.items():
        for check in checks_of(spec):
            feeders.setdefault(check, set()).add(answer_id)
    needed |= {cell for cells in feeders.values() if len(cells) > 1 for cell in cells}
    students: dict[str, list[Variant]] = {}
    for kind in ("wrong", "alternative"):
        per_cell: dict[str, list[Variant]] = {}
        for variant in variants(answers, kind):
            if variant.answer_id in needed:
                students[f"{kind}--{variant.answer_id}--{variant.name}"] = [variant]
            else:
                per_cell.setdefault(variant.answer_id, []).append(variant)
        for k in range(max((len(found) for found in per_cell.values()), default=0)):
            students[f"{kind}--{k + 1}"] = [found[k] for found in per_cell.values() if k < len(found)]
    return students


def load_answers(assignment_id: str) -> dict | None:
    """The module's answers file, or None if it has none yet."""
    path = ANSWERS / f"{assignment_id}.py"
    return runpy.run_path(str(path))["ANSWERS"] if path.exists() else None


def load_safety_nets(assignment_id: str) -> dict[str, str]:
    """The answers file's ``SAFETY_NETS``: ``{"<check>/<slug>": why no plausible wrong answer reaches it}``."""
    path = ANSWERS / f"{assignment_id}.py"
    return runpy.run_path(str(path)).get("SAFETY_NETS", {}) if path.exists() else {}


def checks_of(spec: dict) -> tuple[str, ...]:
    return (spec["check"],) if isinstance(spec["check"], str) else tuple(spec["check"])


def variants(answers: dict | None, kind: str | None = None) -> list[Variant]:
    """Every wrong and alternative answer of the file (both formats), in file order."""
    found = []
    for answer_id, spec in (answers or {}).items():
        for which in ("wrong", "alternative"):
            entries = spec.get(which, [])
            if isinstance(entries, str):  # the first format: one of each
                entries = [{"name": which, "code": entries, "message": spec.get("message", "")}]
            for entry in entries:
                found.append(Variant(which, answer_id, entry["name"], entry["code"], checks_of(spec),
                                     entry.get("message", ""), entry.get("requirement", "")))
    return [v for v in found if kind is None or v.kind == kind]


def solution_source(cell: nbformat.NotebookNode) -> str:
    """An answer cell's solution as a learner would type it (the nbgrader markers removed)."""
    return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


@dataclass
class RoundTrip:
    """What nbgrader made of one module's class."""

    assignment_id: str
    root: Path
    answers: dict | None  #: None when the module has no answers file yet
    source: nbformat.NotebookNode
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    log: str = ""
    #: which student's notebook carries each wrong or alternative answer
    student_of: dict[Variant, str] = field(default_factory=dict)

    def graded(self, student: str) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / self.assignment_id / f"{self.assignment_id}.ipynb"
        return nbformat.read(path, as_version=4)

    def cells(self, student: str) -> dict[str, nbformat.NotebookNode]:
        return {c.metadata.get("nbgrader", {}).get("grade_id", c.get("id")): c for c in self.graded(student).cells}

    def require_answers(self) -> dict:
        """The answers file's ANSWERS; skips the test (saying why) when there is none."""
        if self.answers is None:
            pytest.skip(f"no answers file: write tests/notebooks/answers/{self.assignment_id}.py")
        return self.answers

    def total(self, student: str) -> float:
        return sum(score for score, _ in self.scores[student].values())

    def max_total(self) -> float:
        return sum(maximum for _, maximum in self.scores["solution"].values())

    def graded_cells(self) -> list[str]:
        return [c.metadata["nbgrader"]["grade_id"] for c in self.source.cells if is_grade(c)]


def _all_grades(root: Path, assignment_id: str) -> dict[str, dict[str, tuple[float, float]]]:
    from nbgrader.api import Gradebook

    coursedir = api_for(root).coursedir
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        assignment = gradebook.find_assignment(assignment_id)
        return {submission.student_id: {grade.name: (grade.score, grade.max_score)
                                        for grade in submission.notebooks[0].grades}
                for submission in assignment.submissions}


def isolated(source: nbformat.NotebookNode, answers: dict) -> dict[str, list[str]]:
    """graded cell -> the answer cells it needs when graded alone."""
    needs: dict[str, set[str]] = {}
    for answer_id, spec in answers.items():
        for check in checks_of(spec):
            needs.setdefault(check, set()).update([answer_id, *spec.get("needs", [])])
    return {check: sorted(cells) for check, cells in needs.items()
            if check in {c.metadata["nbgrader"]["grade_id"] for c in source.cells if is_grade(c)}}


def class_of(release: nbformat.NotebookNode, source: nbformat.NotebookNode,
             answers: dict | None) -> dict[str, nbformat.NotebookNode]:
    """Every student of the round trip and the notebook they hand in."""
    students = {"solution": submission(release, source, answers, "solution"), "blank": nbformat.from_dict(release)}
    if answers is None:
        return students
    solved = students["solution"]
    for student, carried in batches(answers).items():
        notebook = nbformat.from_dict(solved)
        for variant in carried:
            set_source(notebook, variant.answer_id, variant.code)
        students[student] = notebook
    solutions = {c.metadata["nbgrader"]["grade_id"]: solution_source(c) for c in source.cells
                 if is_solution(c) and c.cell_type == "code"}
    for check, cells in isolated(source, answers).items():
        notebook = nbformat.from_dict(release)
        for answer_id in cells:
            set_source(notebook, answer_id, solutions[answer_id])
        students[f"alone--{check}"] = notebook
    return students


@pytest.fixture(scope="module", params=MODULES)
def round_trip(request, tmp_path_factory) -> RoundTrip:
    assignment_id = request.param
    root = tmp_path_factory.mktemp(assignment_id)
    # the course's own config; api_for roots it (and its gradebook) in the temp course
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment_id, root / "solutions" / assignment_id)
    result = api_for(root).generate_assignment(assignment_id)
    assert result["success"], result.get("error") or result.get("log")

    answers = load_answers(assignment_id)
    source = nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    release = nbformat.read(root / "notebooks" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    trip = RoundTrip(assignment_id, root, answers, source)
    trip.student_of = {v: student for student, carried in batches(answers or {}).items() for v in carried}
    students = class_of(release, source, answers)
    for student, notebook in students.items():
        folder = root / "submitted" / student / assignment_id
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{assignment_id}.ipynb")

    # one parallel `course grade` run grades the whole class with nbgrader's autograde
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    run = subprocess.run([sys.executable, "-m", "instructor.cli", "grade", assignment_id, "--jobs", str(JOBS)],
                         cwd=root, capture_output=True, text=True, env=env, timeout=1800)
    trip.log = run.stdout + run.stderr
    trip.scores = _all_grades(root, assignment_id)
    missing = sorted(set(students) - set(trip.scores))
    assert not missing, f"not graded: {missing}\n{trip.log[-3000:]}"
    return trip


def submission(release: nbformat.NotebookNode, source: nbformat.NotebookNode, answers: dict | None,
               student: str) -> nbformat.NotebookNode:
    """The release notebook as ``student`` hands it in: ``blank``, ``solution``, or (first answers
    format only) ``wrong`` / ``alternative`` with every answer cell replaced."""
    notebook = nbformat.from_dict(release)
    if student == "blank":
        return notebook
    if student == "solution":
        for cell in source.cells:
            if is_solution(cell) and cell.cell_type == "code":
                set_source(notebook, cell.metadata["nbgrader"]["grade_id"], solution_source(cell))
        return notebook
    chosen = {}
    for variant in variants(answers, student):
        chosen.setdefault(variant.answer_id, variant.code)
    solved = submission(release, source, answers, "solution")
    for answer_id, code in chosen.items():
        set_source(solved, answer_id, code)
    return solved


def output_text(cell: nbformat.NotebookNode) -> str:
    """Everything a cell showed: streams, results and errors."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        else:
            parts.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)
