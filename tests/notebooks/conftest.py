"""The nbgrader round trip, shared by every module: release, submit, autograde, read the grades.

For each assignment in ``solutions/`` a temporary course is built once per test module: nbgrader
generates the release from ``solutions/<id>``, students submit and ONE nbgrader autograde run
grades them all:

* ``solution``: the release with every answer cell holding the source notebook's solution;
* ``blank``: the release unedited;
* ``wrong`` and ``alternative``: every answer cell holding the plausible wrong answer / the
  alternative correct answer from ``tests/notebooks/answers/<id>.py`` (only when that file exists;
  the tests that need it skip, with the reason, until it does).

Tests then read the gradebook and the autograded notebooks. Answers files are plain Python,
loaded by path (names start with digits)::

    ANSWERS = {
        "start-1-answer": {              # grade_id of the answer (solution) cell
            "check": "start-1",          # grade_id of the graded cell it feeds (or a list)
            "wrong": "...code...",       # a plausible mistake
            "message": "not its URL",    # text the wrong answer's check output must contain
            "alternative": "...code...", # correct, written differently from the solution
        },
    }
"""

from __future__ import annotations

import runpy
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import is_solution

from instructor.authoring import set_source
from instructor.nbgrader_api import api_for
from instructor.paths import assignment_ids

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "answers"
MODULES = assignment_ids(ROOT)
STUDENTS = ("solution", "blank", "wrong", "alternative")


def load_answers(assignment_id: str) -> dict | None:
    """The module's answers file, or None if it has none yet."""
    path = ANSWERS / f"{assignment_id}.py"
    return runpy.run_path(str(path))["ANSWERS"] if path.exists() else None


def solution_source(cell: nbformat.NotebookNode) -> str:
    """An answer cell's solution as a learner would type it (the nbgrader markers removed)."""
    return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


@dataclass
class RoundTrip:
    """What nbgrader made of one module's four submissions."""

    assignment_id: str
    root: Path
    answers: dict | None  #: None when the module has no answers file yet
    source: nbformat.NotebookNode
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    graded: dict[str, nbformat.NotebookNode] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)

    def cells(self, student: str) -> dict[str, nbformat.NotebookNode]:
        return {c.metadata.get("nbgrader", {}).get("grade_id", c.get("id")): c for c in self.graded[student].cells}

    def require_answers(self) -> dict:
        """The answers file's ANSWERS; skips the test (saying why) when there is none."""
        if self.answers is None:
            pytest.skip(f"no answers file: write tests/notebooks/answers/{self.assignment_id}.py")
        return self.answers

    def total(self, student: str) -> float:
        return sum(score for score, _ in self.scores[student].values())

    def max_total(self) -> float:
        return sum(maximum for _, maximum in self.scores["solution"].values())


def _grades(api, assignment_id: str, student: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student)
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


@pytest.fixture(scope="module", params=MODULES)
def round_trip(request, tmp_path_factory) -> RoundTrip:
    assignment_id = request.param
    root = tmp_path_factory.mktemp(assignment_id)
    # the course's own config; api_for roots it (and its gradebook) in the temp course
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment_id, root / "solutions" / assignment_id)
    # kernels end at once instead of politely (an intermittent +3 s each); scoring is unchanged
    api = api_for(root, **{"Execute.shutdown_kernel": "immediate"})
    result = api.generate_assignment(assignment_id)
    assert result["success"], result.get("error") or result.get("log")

    answers = load_answers(assignment_id)
    source = nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    release = nbformat.read(root / "notebooks" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    trip = RoundTrip(assignment_id, root, answers, source)
    students = STUDENTS if answers is not None else ("solution", "blank")
    for student in students:
        folder = root / "submitted" / student / assignment_id
        folder.mkdir(parents=True)
        nbformat.write(submission(release, source, answers, student), folder / f"{assignment_id}.ipynb")

    result = api.autograde(assignment_id, "*")  # one run grades every submission
    log = result.get("log", "") + (result.get("error") or "")
    assert result["success"], log
    for student in students:
        trip.logs[student] = log
        trip.scores[student] = _grades(api, assignment_id, student)
        trip.graded[student] = nbformat.read(
            root / "autograded" / student / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    return trip


def submission(release: nbformat.NotebookNode, source: nbformat.NotebookNode, answers: dict | None,
               student: str) -> nbformat.NotebookNode:
    """The release notebook as ``student`` hands it in."""
    notebook = nbformat.from_dict(release)
    if student == "blank":
        return notebook
    if student == "solution":
        for cell in source.cells:
            if is_solution(cell) and cell.cell_type == "code":
                set_source(notebook, cell.metadata["nbgrader"]["grade_id"], solution_source(cell))
        return notebook
    for answer_id, spec in answers.items():
        set_source(notebook, answer_id, spec[student])
    return notebook


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
