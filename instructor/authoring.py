"""Cell factories for nbgrader notebooks (schema 3 metadata), like nbgrader's own test helpers.

Used by the tests to build submissions (wrong answers, alternative answers, hostile notebooks)
and by authors who script a change across notebooks. The solution notebooks in ``solutions/``
remain the source of truth.
"""

from __future__ import annotations

from nbformat import v4

__all__ = ["markdown", "locked_code", "answer", "check", "set_source"]


def _nbgrader(grade_id: str, *, solution: bool, grade: bool, locked: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return meta


def _locked(cell: v4.NotebookNode, grade_id: str) -> v4.NotebookNode:
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=False, grade=False, locked=True)
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    cell.id = grade_id
    return cell


def markdown(grade_id: str, source: str) -> v4.NotebookNode:
    """A locked lesson cell."""
    return _locked(v4.new_markdown_cell(source.strip("\n")), grade_id)


def locked_code(grade_id: str, source: str) -> v4.NotebookNode:
    """A locked code cell: setup or demo ("just run this")."""
    return _locked(v4.new_code_cell(source.strip("\n")), grade_id)


def answer(grade_id: str, source: str) -> v4.NotebookNode:
    """An answer cell: the solution between ``### BEGIN SOLUTION`` / ``### END SOLUTION``."""
    cell = v4.new_code_cell(source.strip("\n"))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=True, grade=False, locked=False)
    cell.id = grade_id
    return cell


def check(grade_id: str, source: str, points: float) -> v4.NotebookNode:
    """A locked, graded test cell.

    Tagged ``raises-exception`` so that Run All in JupyterLab goes on past a failing check and
    the learner sees every exercise's feedback (nbgrader scores the cell the same way).
    """
    cell = _locked(v4.new_code_cell(source.strip("\n")), grade_id)
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=False, grade=True, locked=True, points=points)
    cell.metadata["tags"] = ["raises-exception"]
    return cell


def set_source(nb: v4.NotebookNode, grade_id: str, source: str) -> None:
    """Replace the source of the cell with ``grade_id`` (a learner's edit, in a test)."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source.strip("\n")
            return
    raise KeyError(f"no cell with grade_id {grade_id!r}")
