"""What a student's feedback may hold: the graded notebook's HTML, with no hidden-test source in it.

nbgrader's ``ClearHiddenTests`` removes the hidden tests from the test cells' *source*, but the
outputs still show them: any error in a graded cell (a syntax error in an answer, a misnamed
function, a timeout on a hidden argument) prints a traceback whose context lines are the test
cell's, hidden lines included (nbgrader #1363). So, in the course's feedback steps
(``nbgrader_config.py``'s ``GenerateFeedback.preprocessors``, used by ``nbgrader generate_feedback``
and ``course grade --feedback`` alike):

* :class:`LessonOnlyErrors`: an error output of a graded test cell keeps its exception's name and
  message (a check's lesson), never a traceback, for every student;
* :class:`RedactHiddenTests`: any output line anywhere in the notebook that shows a hidden-test line
  is replaced, whoever printed it (a learner's cell can print ``In``, the cells run so far);
* :func:`notebook_html_only`: a hook that leaves in each feedback folder only the notebooks' HTML,
  not the other files nbgrader copies from the autograded folder (what the learner's code wrote
  beside the notebook while it ran: a dump of ``In``, a copy of the gradebook).
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor
from nbformat import NotebookNode
from traitlets import Bool, Integer, Unicode

__all__ = ["LessonOnlyErrors", "RedactHiddenTests", "notebook_html_only"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_TAG = re.compile(r"<[^>]*>")
REDACTED = "[hidden test line removed from feedback]"


def _test_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


class LessonOnlyErrors(NbGraderPreprocessor):
    """An error output of a graded test cell keeps only ``<name>: <message>``: the lesson, not the code."""

    # nbgrader registers a converter's steps without enabling them, and nbconvert's own default is off
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        """Replace the traceback of each error output of a test cell by its one-line summary."""
        if cell.get("cell_type") == "code" and _test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    name, message = str(output.get("ename", "")), str(output.get("evalue", ""))
                    output["traceback"] = [f"{name}: {message}" if message else name]
        return cell, resources


class RedactHiddenTests(NbGraderPreprocessor):
    """Replace every output line that shows a line of the notebook's hidden tests.

    Must run before ``ClearHiddenTests``, while the test cells still hold their hidden lines.
    """

    enabled = Bool(True).tag(config=True)  # as LessonOnlyErrors: on wherever it is listed

    begin = Unicode("### BEGIN HIDDEN TESTS", help="the line that opens hidden tests").tag(config=True)
    end = Unicode("### END HIDDEN TESTS", help="the line that closes hidden tests").tag(config=True)
    min_length = Integer(8, help="hidden lines shorter than this (a lone bracket) are too common to "
                                 "redact and tell nothing").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        """Redact the outputs of every code cell of ``nb``."""
        self._hidden = sorted({line for cell in nb.cells for line in self._hidden_lines(cell.get("source", ""))})
        if self._hidden:
            for cell in nb.cells:
                if cell.get("cell_type") == "code":
                    cell["outputs"] = [self._redacted(output) for output in cell.get("outputs", [])]
        return nb, resources

    def _hidden_lines(self, source: str) -> list[str]:
        lines, inside = [], False
        for line in source.splitlines():
            if line.strip() == self.begin:
                inside = True
            elif line.strip() == self.end:
                inside = False
            elif inside and len(line.strip()) >= self.min_length:
                lines.append(line.strip())
        return lines

    def _shows_hidden(self, text: str) -> bool:
        plain = _ANSI.sub("", text)
        return any(line in plain for line in self._hidden)

    def _text(self, text: str) -> str:
        return "\n".join(REDACTED if self._shows_hidden(line) else line for line in text.split("\n"))

    def _redacted(self, output: NotebookNode) -> NotebookNode:
        kind = output.get("output_type")
        if kind == "stream":
            output["text"] = self._text(str(output.get("text", "")))
        elif kind == "error":
            output["evalue"] = self._text(str(output.get("evalue", "")))
            output["traceback"] = [self._text(str(line)) for line in output.get("traceback", [])]
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            for mime, value in list(data.items()):
                text = value if isinstance(value, str) else "\n".join(map(str, value)) if isinstance(value, list) \
                    else str(value)
                if mime == "text/plain":
                    data[mime] = self._text(text)
                elif self._shows_hidden(text) or self._shows_hidden(html.unescape(_TAG.sub("\n", text))):
                    del data[mime]  # rich output cannot be redacted line by line: it goes whole
                    data.setdefault("text/plain", REDACTED)
        return output


def notebook_html_only(autograded: Path, feedback: Path) -> Callable[..., None]:
    """A ``GenerateFeedback.post_convert_hook``: each feedback folder keeps only its notebooks' HTML.

    ``autograded`` and ``feedback`` are the course's folders; nbgrader calls the hook with the
    autograded notebooks it just converted.
    """
    autograded, feedback = Path(os.path.abspath(autograded)), Path(os.path.abspath(feedback))

    def hook(notebooks: list[str] = (), **_: Any) -> None:
        for notebook in map(Path, notebooks):
            try:
                folder = feedback / Path(os.path.abspath(notebook)).parent.relative_to(autograded)
            except ValueError:
                continue
            if folder.is_symlink() or not folder.is_dir():
                continue
            keep = {Path(n).stem + ".html" for n in notebooks}
            for entry in folder.iterdir():
                if entry.name in keep and entry.is_file() and not entry.is_symlink():
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()

    return hook
