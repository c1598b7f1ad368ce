"""``course check``: run a learner's notebook headless and report every exercise like nbgrader.

nbgrader's own ``validate`` always exits 0; this exits 1 when any check fails, so a learner (or a
script) can rely on it. The notebook runs through nbgrader's own ``Execute`` preprocessor (same
kernel options, same error recorded for a timeout) and every graded cell is scored by nbgrader's
``determine_grade``, so a cell scores here exactly as it will when the instructor autogrades it.
Where nbgrader would not grade at all (the kernel died, a cell's value exceeds its points), the
cell fails here with the reason instead of a traceback.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["CellResult", "KernelDied", "check_notebook", "execute", "format_report", "score"]

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
    died = execute(nb, Path(path).parent, timeout)
    return score(nb, died, timeout)


@dataclass
class KernelDied:
    """The kernel died: at which cell, and the last thing it wrote, if anything."""

    cell_index: int | None
    said: str = ""


def execute(nb: nbformat.NotebookNode, folder: Path, timeout: int) -> KernelDied | None:
    """Run ``nb`` in place as nbgrader's autograde does; say so if the kernel died."""
    from nbclient.exceptions import DeadKernelError
    from nbclient.util import run_sync
    from nbgrader.preprocessors import Execute

    class _Execute(Execute):
        """nbgrader's Execute, noting the running cell and keeping the kernel's own log aside."""

        running: int | None = None
        kernel_log: Any = None

        def preprocess_cell(self, cell, resources, index):
            self.running = index
            return super().preprocess_cell(cell, resources, index)

        async def async_start_new_kernel(self, **kwargs: Any) -> None:
            # the kernel's start-up warnings are not the learner's business; kept for a crash
            kwargs.setdefault("stdout", self.kernel_log)
            kwargs.setdefault("stderr", self.kernel_log)
            await super().async_start_new_kernel(**kwargs)

        start_new_kernel = run_sync(async_start_new_kernel)

    with tempfile.TemporaryFile("w+") as kernel_log:
        executor = _Execute(timeout=timeout, shutdown_kernel="immediate", log=_QUIET)
        executor.kernel_log = kernel_log
        try:
            executor.preprocess(nb, {"metadata": {"path": str(folder)}})
        except DeadKernelError:
            kernel_log.seek(0)
            said = [line for line in kernel_log.read().splitlines()
                    if line.strip() and not line.startswith("[IPKernelApp]")]
            return KernelDied(executor.running, said[-1] if said else "")
    return None


def score(nb: nbformat.NotebookNode, died: KernelDied | None = None, timeout: int = 30) -> list[CellResult]:
    """Score every graded cell of an executed notebook with nbgrader's ``determine_grade``."""
    from nbgrader.utils import compute_checksum, determine_grade, is_grade, is_solution

    results = []
    for index, cell in enumerate(nb.cells):
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
        if died and died.cell_index is not None and index >= died.cell_index:
            results.append(CellResult(grade_id, 0.0, max_points, _died(nb, died, index)))
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


def _died(nb: nbformat.NotebookNode, died: KernelDied, index: int) -> str:
    said = f" The kernel's last words: {died.said}" if died.said else ""
    if index == died.cell_index:
        return ("the kernel died while running this cell (a crash, os._exit, or out of memory); "
                "nbgrader cannot grade this notebook." + said)
    where = nb.cells[died.cell_index].get("metadata", {}).get("nbgrader", {}).get("grade_id") \
        or nb.cells[died.cell_index].get("id") or f"number {died.cell_index + 1}"
    return f"not run: the kernel died while running cell {where} above." + said


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
