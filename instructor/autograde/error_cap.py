"""A cap on the size of error outputs, the one kind of output the executor keeps whole.

:class:`~instructor.autograde.execute.GuardedExecute` cuts a cell's printed output at 1 MiB but keeps
an error output whole, because the error is what nbgrader scores. A learner's code can raise an
exception whose message is 20 MB (or whose traceback has a million lines): whole, it would go into
the autograded notebook, the gradebook's copy of it, and the student's feedback. This step, run in
the autograde steps right after the executor, keeps an error's name, the head of its message and of
its traceback within :attr:`CapErrorOutputs.max_error_bytes`, and reports the cut as ``huge-output``.
The error itself stays, so the cell still scores 0 as it would have.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor
from nbformat import NotebookNode
from traitlets import Bool, Integer

from instructor.autograde.execute import HUGE_OUTPUT
from instructor.scoring import Event, cell_name, record

__all__ = ["CapErrorOutputs"]

MAX_NAME = 200  #: characters of an exception's name kept (a class name can be made of any length)


def _cut(text: str, limit: int, marker: str) -> str:
    return text if len(text) <= limit else text[:limit] + marker


class CapErrorOutputs(NbGraderPreprocessor):
    """Cut every error output larger than :attr:`max_error_bytes`, and say so."""

    # nbgrader registers autograde's steps without enabling them, and nbconvert's own default is off
    enabled = Bool(True).tag(config=True)

    max_error_bytes = Integer(64 * 1024, help="characters of an error output (name, message and traceback "
                                              "together) kept per error; the rest is dropped").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        """Cap the error outputs of one code cell."""
        if cell.get("cell_type") != "code":
            return cell, resources
        cut = False
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and self._too_large(output):
                self._cap(output)
                cut = True
        if cut:
            record(Event(HUGE_OUTPUT, cell_name(cell, index),
                         f"raised an error of more than {self.max_error_bytes // 1024} KiB"))
        return cell, resources

    def _too_large(self, output: NotebookNode) -> bool:
        traceback = output.get("traceback") or []
        size = len(str(output.get("ename", ""))) + len(str(output.get("evalue", "")))
        return size + sum(len(str(line)) for line in traceback) > self.max_error_bytes

    def _cap(self, output: NotebookNode) -> None:
        marker = f" ... cut by the autograder at {self.max_error_bytes // 1024} KiB"
        half = self.max_error_bytes // 2
        output["ename"] = _cut(str(output.get("ename", "")), MAX_NAME, "...")
        output["evalue"] = _cut(str(output.get("evalue", "")), half, marker)
        kept, budget = [], half
        for line in output.get("traceback") or []:
            line = str(line)
            if len(line) > budget:
                kept.append(line[:budget] + marker)
                break
            kept.append(line)
            budget -= len(line)
        output["traceback"] = kept
