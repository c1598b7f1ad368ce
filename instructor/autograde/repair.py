"""Put back what a submission must not change, against the release notebook, and say what was put back.

nbgrader itself already overwrites the source of locked and test cells, but it trusts the cells'
``nbgrader`` metadata: a tampered ``schema_version`` aborts the whole class's autograde run, an
edited ``grade_id`` or ``points`` changes what is graded, and a deleted test cell silently loses its
points. Here every cell nbgrader grades is matched to the release by ``grade_id`` (or by cell id when
the ``grade_id`` was edited), its metadata restored, a deleted one re-inserted where it belongs, and
each repair reported as a :class:`~instructor.autograde.intake.Flag`. The learner's answers are kept.
"""

from __future__ import annotations

import copy

import nbformat

from instructor.autograde.intake import Flag

__all__ = ["repair"]


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _protected(cell: nbformat.NotebookNode) -> bool:
    """A cell the learner may not change: locked, or a test (graded, not an answer)."""
    meta = cell.metadata.nbgrader
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


def repair(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[Flag]]:
    """A copy of ``notebook`` whose graded cells match ``release``, and a flag per repair."""
    notebook = copy.deepcopy(notebook)
    flags: list[Flag] = []
    expected = {_grade_id(cell): cell for cell in release.cells if _grade_id(cell)}
    by_cell_id = {cell.get("id"): cell for cell in release.cells if _grade_id(cell) and cell.get("id")}
    seen: set[str] = set()
    tampered: list[str] = []
    edited: list[str] = []

    for cell in notebook.cells:
        cell.setdefault("metadata", nbformat.NotebookNode())
        if "nbgrader" not in cell.metadata:
            continue
        grade_id = _grade_id(cell)
        original = expected.get(grade_id) if isinstance(grade_id, str) else None
        if original is None and cell.get("id") in by_cell_id:
            original = by_cell_id[cell.get("id")]  # the grade_id itself was edited
        if original is None or _grade_id(original) in seen:
            # a made-up or duplicated graded cell: keep the code, drop the claim to be graded
            del cell.metadata["nbgrader"]
            flags.append(Flag("unknown-graded-cell", f"a cell claims to be graded as '{grade_id}', which the "
                              "assignment does not have (or has once): graded as an ordinary cell"))
            continue
        seen.add(_grade_id(original))
        if cell.metadata.nbgrader != original.metadata.nbgrader or cell.cell_type != original.cell_type:
            tampered.append(_grade_id(original))
            cell.metadata["nbgrader"] = copy.deepcopy(original.metadata.nbgrader)
            cell.cell_type = original.cell_type
            if cell.cell_type == "code":
                cell.setdefault("outputs", [])
                cell.setdefault("execution_count", None)
        if _protected(original) and cell.source != original.source:
            edited.append(_grade_id(original))
            cell.source = original.source

    if tampered:
        flags.append(Flag("tampered-metadata", "nbgrader metadata changed on " + _names(tampered)
                          + ": restored from the release"))
    if edited:
        flags.append(Flag("edited-test-cell", "the learner edited " + _names(edited)
                          + ": restored from the source and graded"))

    missing = [cell for cell in release.cells if _grade_id(cell) and _grade_id(cell) not in seen]
    for cell in missing:
        _insert_after_predecessor(notebook, release, cell)
    if missing:
        flags.append(Flag("deleted-cell", "the learner deleted " + _names([_grade_id(c) for c in missing])
                          + ": restored from the source and graded"))
    return notebook, flags


def _names(grade_ids: list[str]) -> str:
    return ", ".join(f"'{grade_id}'" for grade_id in grade_ids)


def _insert_after_predecessor(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode,
                              cell: nbformat.NotebookNode) -> None:
    """Insert a copy of release ``cell`` after the nearest earlier release cell the notebook still has."""
    position = release.cells.index(cell)
    present_ids = {c.get("id"): i for i, c in enumerate(notebook.cells)}
    present_grades = {_grade_id(c): i for i, c in enumerate(notebook.cells) if _grade_id(c)}
    index = 0
    for earlier in reversed(release.cells[:position]):
        found = present_grades.get(_grade_id(earlier)) if _grade_id(earlier) else present_ids.get(earlier.get("id"))
        if found is not None:
            index = found + 1
            break
    restored = copy.deepcopy(cell)
    if restored.get("id") in present_ids:
        restored["id"] = f"restored-{_grade_id(cell)}"  # cell ids must stay unique
    notebook.cells.insert(index, restored)
