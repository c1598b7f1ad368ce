"""What failed, per graded cell of every student: read from nbgrader's autograded notebooks.

The record is a side table, ``grades/<assignment>-failures.csv``, one row per graded cell per
student. It is *derived*: nbgrader's ``autograded/<student>/<assignment>/<assignment>.ipynb`` keep
each check's output, so the table can be rebuilt for any course graded before (``course insight``
always rebuilds it; ``course grade`` writes it at the end of a round). nbgrader's gradebook has no
place for it: its comments belong to the instructor's manual feedback, which students see.

Points are nbgrader's own (:func:`nbgrader.utils.determine_grade`, what ``SaveAutoGrades`` stored);
an adjustment made later in formgrader is not reflected here: the report is about what the checks
saw. Only the requirement id and the problem line are kept, never the traceback.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import nbformat

from instructor.insight.failures import UNLABELLED, requirement_of
from instructor.tables import write_table

__all__ = ["CellResult", "UNNAMED", "autograded_notebooks", "named_by_a_check", "read_notebook", "rebuild",
           "read_records", "records_path", "write_records"]

#: slugs of failures no check named: an old check's message, an error that is not a check's, stderr,
#: partial points. Their wordings differ in kind, so the report shows several, not one.
UNNAMED = (UNLABELLED, "error", "stderr", "partial")

_LESSON_LIMIT = 160  # characters of a message that is not a check's: enough to recognise it


def named_by_a_check(requirement: str) -> bool:
    """True when a check named this requirement (``sqs-3/visibility-below-6x``)."""
    return requirement.rpartition("/")[2] not in UNNAMED


@dataclass(frozen=True)
class CellResult:
    """One graded cell of one student's autograded notebook."""

    student: str
    assignment: str
    grade_id: str  #: the graded cell, e.g. ``sqs-3``
    points: float
    max_points: float
    requirement: str = ""  #: ``<exercise-id>/<slug>`` of what failed; empty when the cell passed
    lesson: str = ""  #: the check's problem line: an example for the instructor, never a key

    @property
    def passed(self) -> bool:
        return self.points >= self.max_points


def records_path(root: Path, assignment: str) -> Path:
    """Where the side table of ``assignment`` lives in the course at ``root``."""
    return Path(root) / "grades" / f"{assignment}-failures.csv"


def autograded_notebooks(root: Path, assignment: str, autograded: str = "autograded") -> dict[str, Path]:
    """``{student: notebook}`` for every student nbgrader has autograded in ``assignment``."""
    base = Path(root) / autograded
    return {path.parent.parent.name: path
            for path in sorted(base.glob(f"*/{assignment}/{assignment}.ipynb")) if path.is_file()}


def read_notebook(notebook: nbformat.NotebookNode, student: str, assignment: str) -> list[CellResult]:
    """Every autograded test cell of one notebook, with what made it fail."""
    from nbgrader.utils import determine_grade, is_grade

    results = []
    for cell in notebook.cells:
        if not is_grade(cell) or cell.cell_type != "code":
            continue
        grade_id = cell.metadata["nbgrader"].get("grade_id", "")
        points, max_points = determine_grade(cell)
        if points is None:  # a manually graded answer: nothing a check saw
            continue
        requirement, lesson = ("", "") if points >= max_points else _why(cell, grade_id)
        results.append(CellResult(student, assignment, grade_id, float(points), float(max_points), requirement, lesson))
    return results


def _why(cell: nbformat.NotebookNode, grade_id: str) -> tuple[str, str]:
    """The requirement a failing cell names, judged by the output nbgrader scored it on."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            found = requirement_of(output.get("evalue", ""))
            if found:
                return found
            # not a check's message: a NameError (a cell above not run), a timeout, a dead kernel
            first = (output.get("evalue") or "").strip().split("\n", 1)[0]
            return f"{grade_id}/error", f"{output.get('ename', 'error')}: {first}"[:_LESSON_LIMIT]
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return f"{grade_id}/stderr", "wrote to stderr, which nbgrader scores 0"
    return f"{grade_id}/partial", "partial points"


def rebuild(root: Path, assignment: str, autograded: str = "autograded") -> list[CellResult]:
    """The record of ``assignment`` from nbgrader's autograded notebooks."""
    results = []
    for student, path in autograded_notebooks(root, assignment, autograded).items():
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable autograded notebook has nothing to report
            continue
        results += read_notebook(notebook, student, assignment)
    return results


_COLUMNS = [f.name for f in fields(CellResult)]


def write_records(records: Iterable[CellResult], path: Path) -> Path:
    """Write the side table, sorted by student then cell order as given."""

    def row(record: CellResult) -> dict:
        return {**asdict(record), "points": f"{record.points:g}", "max_points": f"{record.max_points:g}"}

    return write_table(path, _COLUMNS, (row(record) for record in sorted(records, key=lambda r: r.student)))
    return path


def read_records(path: Path) -> list[CellResult]:
    """The side table back."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [CellResult(row["student"], row["assignment"], row["grade_id"], float(row["points"]),
                           float(row["max_points"]), row["requirement"], row["lesson"])
                for row in csv.DictReader(handle)]
