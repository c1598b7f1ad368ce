"""``course check``: run a learner's notebook headless and report every exercise like nbgrader.

nbgrader's own ``validate`` always exits 0; this exits 1 when any check fails, so a learner (or a
script) can rely on it. The notebook runs through nbgrader's own ``Execute`` preprocessor with the
policy ``course grade`` applies to a dead, stopped or timed-out kernel (:mod:`instructor.scoring`),
and every graded cell is scored by nbgrader's ``determine_grade``, so a cell scores here exactly as
it will when the instructor autogrades it. Where nbgrader would not grade at all (a cell's value
exceeds its points), the cell fails here with the reason instead of a traceback.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from instructor.scoring import Event

__all__ = ["CellResult", "check_notebook", "execute", "format_report", "score"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_QUIET = logging.getLogger("instructor.check")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


@dataclass
class CellResult:
    """One graded cell after execution."""

    grade_id: str
    points: float
    max_points: float
    message: str = ""  #: the check's lesson, or why the cell scored less than full marks
    manual: bool = False  #: graded by hand by the instructor: not scored here

    @property
    def passed(self) -> bool:
        return self.manual or self.points >= self.max_points


def check_notebook(path: Path, timeout: int = 30) -> list[CellResult]:
    """Execute the notebook at ``path`` in a fresh kernel (cwd: its folder) and score it."""
    nb = nbformat.read(str(path), as_version=4)
    execute(nb, Path(path).parent, timeout)
    return score(nb, timeout)


def execute(nb: nbformat.NotebookNode, folder: Path, timeout: int) -> list[Event]:
    """Run ``nb`` in place as ``course grade`` does (:mod:`instructor.scoring`); returns what happened.

    A kernel that died or was stopped leaves a reason in the output of the cell it happened in and
    of every later code cell, the kernel's last words included.
    """
    from instructor.scoring import PolicyExecute

    with tempfile.TemporaryFile("w+") as kernel_output:
        executor = PolicyExecute(timeout=timeout, shutdown_kernel="immediate", log=_QUIET)
        executor.kernel_output = kernel_output
        executor.preprocess(nb, {"metadata": {"path": str(folder)}})
    return executor.events


def score(nb: nbformat.NotebookNode, timeout: int = 30) -> list[CellResult]:
    """Score every graded cell of an executed notebook with nbgrader's ``determine_grade``.

    A cell the kernel did not live to run carries the reason in its output, so it is read here like
    any other failure.
    """
    from nbgrader.utils import compute_checksum, determine_grade, is_grade, is_solution

    results = []
    for cell in nb.cells:
        if not is_grade(cell):
            continue
        meta = cell.metadata["nbgrader"]
        grade_id, max_points = meta.get("grade_id", cell.get("id", "?")), float(meta.get("points") or 0)
        if is_solution(cell) or cell.cell_type != "code":
            results.append(CellResult(grade_id, 0.0, max_points, "graded by hand by the instructor", manual=True))
            continue
        if "checksum" in meta and compute_checksum(cell) != meta["checksum"]:
            results.append(CellResult(grade_id, 0.0, max_points,
                                      "this check cell was edited. nbgrader grades the original check, "
                                      "so this result would mean nothing: undo the edit (or copy the "
                                      "cell back from a fresh copy of the notebook)."))
            continue
        if cell.get("execution_count") is None and not cell.get("outputs"):
            results.append(CellResult(grade_id, 0.0, max_points, "not run: the cell is empty."))
            continue
        try:
            points, max_points = determine_grade(cell)
        except ValueError:
            results.append(CellResult(grade_id, 0.0, max_points,
                                      f"the cell's last value, {_result_text(cell)}, is more than its "
                                      f"{max_points:g} points: nbgrader cannot grade this notebook at all. "
                                      "A check must end in a call that returns None."))
            continue
        points = points or 0.0
        results.append(CellResult(grade_id, points, max_points,
                                  _message(cell, timeout) if points < max_points else ""))
    return results


def _message(cell: nbformat.NotebookNode, timeout: int) -> str:
    """Why a graded cell scored less than full marks, in the learner's terms."""
    outputs = cell.get("outputs", [])
    for output in outputs:
        if output.output_type == "error" and output.get("ename") == "CellTimeoutError":
            return (f"timed out: the cell was still running after {timeout} s "
                    "(an endless loop, or a wait for something that never comes).")
    for output in outputs:
        if output.output_type == "error":
            if output.get("ename") == "CheckFailed" or len(output.get("traceback", [])) <= 1:
                return output.get("evalue", "")
            return f"{output.ename}: {output.evalue}"
        if output.output_type == "stream" and output.name == "stderr":
            text = _ANSI.sub("", output.text).strip().splitlines()
            return "the cell wrote to stderr (nbgrader scores that 0): " + (text[-1] if text else "")
        if output.output_type == "execute_result":
            return (f"the cell's last value, {_result_text(cell)}, is read by nbgrader as the points "
                    "earned. A check must end in a call that returns None.")
    return "the cell did not earn its points"


def _result_text(cell: nbformat.NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.output_type == "execute_result":
            return str(output.get("data", {}).get("text/plain", "?"))
    return "?"


def format_report(results: list[CellResult]) -> str:
    """One PASS/FAIL line per exercise (with the lesson indented under a FAIL) and a total."""
    lines = []
    for result in results:
        if result.manual:
            lines.append(f"HAND {result.grade_id} (?/{result.max_points:g}) - {result.message}")
            continue
        status = "PASS" if result.passed else "FAIL"
        lines.append(f"{status} {result.grade_id} ({result.points:g}/{result.max_points:g})")
        for text in _ANSI.sub("", result.message).splitlines():
            lines.append(f"     {text}")
    auto = [r for r in results if not r.manual]
    total = sum(r.points for r in auto)
    possible = sum(r.max_points for r in auto)
    passed = sum(r.passed for r in auto)
    lines.append(f"score: {total:g}/{possible:g} - {passed} of {len(auto)} checks passed")
    return "\n".join(lines)
