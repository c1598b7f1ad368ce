"""``course check``: run a learner's notebook headless and report every exercise like nbgrader.

nbgrader's own ``validate`` always exits 0; this exits 1 when any check fails, so a learner (or a
script) can rely on it. Scores come from nbgrader's ``determine_grade``, so a cell scores here
exactly as it will when the instructor autogrades it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = ["CellResult", "check_notebook", "format_report"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CellResult:
    """One graded cell after execution."""

    grade_id: str
    points: float
    max_points: float
    message: str = ""  #: the check's lesson, or why the cell scored less than full marks

    @property
    def passed(self) -> bool:
        return self.points >= self.max_points


def check_notebook(path: Path, timeout: int = 60) -> list[CellResult]:
    """Execute the notebook at ``path`` in a fresh kernel and score its graded cells."""
    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade, is_grade

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, allow_errors=True, interrupt_on_timeout=True, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}}, shutdown_kernel="immediate",
    )
    client.execute()
    results = []
    for cell in nb.cells:
        if not is_grade(cell):
            continue
        points, max_points = determine_grade(cell)
        results.append(CellResult(cell.metadata["nbgrader"]["grade_id"], points or 0.0, max_points,
                                  _message(cell) if (points or 0) < max_points else ""))
    return results


def _message(cell: nbformat.NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            if output.get("ename") == "CheckFailed" or len(output.get("traceback", [])) <= 1:
                return output.get("evalue", "")
            return f"{output.ename}: {output.evalue}"
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stderr":
            text = _ANSI.sub("", output.text).strip().splitlines()
            return "the cell wrote to stderr (nbgrader scores that 0): " + (text[-1] if text else "")
    return "the cell did not earn its points"


def format_report(results: list[CellResult]) -> str:
    """One PASS/FAIL line per exercise (with the lesson indented under a FAIL) and a total."""
    lines = []
    for result in results:
        status = "PASS" if result.passed else "FAIL"
        lines.append(f"{status} {result.grade_id} ({result.points:g}/{result.max_points:g})")
        for text in _ANSI.sub("", result.message).splitlines():
            lines.append(f"     {text}")
    total = sum(r.points for r in results)
    possible = sum(r.max_points for r in results)
    passed = sum(r.passed for r in results)
    lines.append(f"score: {total:g}/{possible:g} - {passed} of {len(results)} checks passed")
    return "\n".join(lines)
