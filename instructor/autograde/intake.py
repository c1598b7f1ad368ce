"""Find every student's submission of an assignment and read it, saying what is wrong with it.

A submission lives where nbgrader expects it: ``submitted/<student>/<assignment>/<assignment>.ipynb``.
Whatever stops a notebook from being graded (no file, a file under another name, broken JSON,
JSON that is not a notebook) becomes a :class:`Flag` with the reason, so the instructor's table
never shows a silent 0.0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["Flag", "Submission", "find_submissions", "read_submission"]


@dataclass(frozen=True)
class Flag:
    """Something an instructor should know about one submission."""

    kind: str  #: short and stable, for filtering: "timeout", "invalid-json", "tampered-metadata", ...
    reason: str  #: one sentence for a human
    fatal: bool = False  #: True when the submission could not be graded at all

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason}"


@dataclass
class Submission:
    """One student's hand-in, as read from disk."""

    student: str
    assignment: str
    folder: Path
    path: Path | None = None  #: the notebook graded, or None when there is none to grade
    notebook: nbformat.NotebookNode | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def gradable(self) -> bool:
        return self.notebook is not None and not any(flag.fatal for flag in self.flags)


def find_submissions(submitted: Path, assignment: str, roster: list[str] = ()) -> list[Submission]:
    """Every student with a ``submitted/<student>/<assignment>`` folder, plus roster students without one."""
    students = sorted({p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()} | set(roster))
    return [read_submission(submitted / student / assignment, student, assignment) for student in students]


def read_submission(folder: Path, student: str, assignment: str) -> Submission:
    """Read one student's notebook, flagging a missing file, a wrong name or broken contents."""
    submission = Submission(student, assignment, folder)
    expected = folder / f"{assignment}.ipynb"
    if not folder.is_dir():
        submission.flags.append(Flag("missing-submission", f"nothing submitted (no folder {folder.name}/)", fatal=True))
        return submission
    if expected.is_file():
        path = expected
    else:
        others = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
        if not others:
            submission.flags.append(Flag("missing-file", f"no notebook in the submission (expected {expected.name})",
                                         fatal=True))
            return submission
        path = _best_guess(others, assignment)
        submission.flags.append(Flag("wrong-file-name", f"notebook named '{path.name}', expected "
                                     f"'{expected.name}': graded under the right name"))
    submission.path = path
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as error:
        submission.flags.append(Flag("invalid-json", f"'{path.name}' is not text ({error.reason})", fatal=True))
        return submission
    except json.JSONDecodeError as error:
        submission.flags.append(Flag("invalid-json", f"'{path.name}' is not valid notebook JSON ({error.msg} at "
                                     f"line {error.lineno}, column {error.colno})", fatal=True))
        return submission
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        submission.flags.append(Flag("not-a-notebook", f"'{path.name}' is JSON but has no list of cells", fatal=True))
        return submission
    try:
        submission.notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises several types for a non-notebook
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        submission.flags.append(Flag("not-a-notebook", f"'{path.name}' is not a Jupyter notebook ({first_line})",
                                     fatal=True))
    return submission


def _best_guess(candidates: list[Path], assignment: str) -> Path:
    """Of several notebooks under the wrong names, the one that looks most like the assignment."""

    def likeness(path: Path) -> tuple[int, int]:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            graded = sum(1 for cell in cells if isinstance(cell, dict)
                         and "nbgrader" in cell.get("metadata", {}))
        except (ValueError, UnicodeDecodeError, AttributeError):
            graded = -1
        return graded, int(assignment in path.name)

    return max(candidates, key=likeness)
