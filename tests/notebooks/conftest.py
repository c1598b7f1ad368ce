"""The nbgrader round trip, shared by every module: release, submit, autograde, read the grades.

For each assignment with an answers file ``tests/notebooks/answers/<id>.py`` a temporary course is
built once per test module: nbgrader generates the release from ``solutions/<id>``, four students
submit (``solution``, ``blank`` = the release unedited, ``wrong``, ``alternative``) and nbgrader
autogrades them. Tests then read the gradebook and the autograded notebooks.
"""

from __future__ import annotations

import runpy
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from course.authoring import set_source
from course.nbgrader_api import api_for

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "answers"
MODULES = sorted(p.stem for p in ANSWERS.glob("*.py"))
STUDENTS = ("solution", "blank", "wrong", "alternative")


def load_answers(assignment_id: str) -> dict:
    return runpy.run_path(str(ANSWERS / f"{assignment_id}.py"))["ANSWERS"]


def solution_source(cell: nbformat.NotebookNode) -> str:
    """An answer cell's solution as a learner would type it (the nbgrader markers removed)."""
    return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


@dataclass
class RoundTrip:
    """What nbgrader made of one module's four submissions."""

    assignment_id: str
    root: Path
    answers: dict
    source: nbformat.NotebookNode
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    graded: dict[str, nbformat.NotebookNode] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)

    def cells(self, student: str) -> dict[str, nbformat.NotebookNode]:
        return {c.metadata.get("nbgrader", {}).get("grade_id", c.get("id")): c for c in self.graded[student].cells}

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
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment_id, root / "solutions" / assignment_id)
    api = api_for(root)
    result = api.generate_assignment(assignment_id)
    assert result["success"], result.get("error") or result.get("log")

    answers = load_answers(assignment_id)
    source = nbformat.read(root / "solutions" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    source_cells = {c.get("id"): c for c in source.cells}
    release = nbformat.read(root / "notebooks" / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    trip = RoundTrip(assignment_id, root, answers, source)
    for student in STUDENTS:
        submission = nbformat.from_dict(release)
        if student != "blank":
            for answer_id, spec in answers.items():
                code = solution_source(source_cells[answer_id]) if student == "solution" else spec[student]
                set_source(submission, answer_id, code)
        folder = root / "submitted" / student / assignment_id
        folder.mkdir(parents=True)
        nbformat.write(submission, folder / f"{assignment_id}.ipynb")
        result = api.autograde(assignment_id, student)
        trip.logs[student] = result.get("log", "") + (result.get("error") or "")
        assert result["success"], trip.logs[student]
        trip.scores[student] = _grades(api, assignment_id, student)
        trip.graded[student] = nbformat.read(
            root / "autograded" / student / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    return trip


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
