"""Find every student's submission of an assignment and read it, saying what is wrong with it.

A submission lives where nbgrader expects it: ``submitted/<student>/<assignment>/<assignment>.ipynb``.
Whatever stops a notebook from being graded (no file, a file under another name, broken JSON,
JSON that is not a notebook, a link instead of a file, a file too large) becomes a :class:`Flag`
with the reason, so the instructor's table never shows a silent 0.0.

Everything in the folder was written by the student, so nothing here follows a link: a notebook
that is a symbolic link (say to ``solutions/``) is flagged, never read through, and a notebook
larger than :attr:`IntakeLimits.max_notebook_bytes` is flagged from its size alone, before a byte
of it is read, so the grading process never holds it.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets import Integer
from traitlets.config import Configurable

from instructor.autograde.flags import Flag

__all__ = ["Flag", "IntakeLimits", "Submission", "find_submissions", "read_submission"]

MiB = 1024 * 1024


class IntakeLimits(Configurable):
    """How much of a submission ``course grade`` takes in; set in ``nbgrader_config.py`` as ``c.IntakeLimits.*``."""

    max_notebook_bytes = Integer(
        20 * MiB, help="a notebook larger than this is flagged too-large and not read (a course notebook with "
                       "its outputs is well under 1 MiB; parsing JSON takes about ten times its size in memory)",
    ).tag(config=True)
    max_folder_bytes = Integer(
        100 * MiB, help="a submission folder holding more than this (notebook included) is flagged too-large "
                        "and not graded",
    ).tag(config=True)
    max_files = Integer(
        1000, help="a submission folder with more files and folders than this is flagged too-large and not graded",
    ).tag(config=True)


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


def find_submissions(submitted: Path, assignment: str, roster: list[str] = (),
                     limits: IntakeLimits | None = None) -> list[Submission]:
    """Every student with a ``submitted/<student>/<assignment>`` folder, plus roster students without one."""
    students = sorted({p.parent.name for p in submitted.glob(f"*/{assignment}")
                       if p.is_dir() or p.is_symlink()} | set(roster))
    return [read_submission(submitted / student / assignment, student, assignment, limits) for student in students]


def _regular(path: Path) -> bool:
    """A regular file itself, not through a link."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def read_submission(folder: Path, student: str, assignment: str, limits: IntakeLimits | None = None) -> Submission:
    """Read one student's notebook, flagging a missing file, a wrong name, a link, its size or broken contents."""
    limits = limits or IntakeLimits()
    submission = Submission(student, assignment, folder)
    expected = folder / f"{assignment}.ipynb"
    for place in (folder.parent, folder):
        if place.is_symlink():
            submission.flags.append(Flag("linked-file", f"the submission folder {place.name}/ is a link "
                                         f"(to {os.readlink(place)}): not followed, not graded"))
            return submission
    if not folder.is_dir():
        submission.flags.append(Flag("missing-submission", f"nothing submitted (no folder {folder.name}/)", fatal=True))
        return submission
    if expected.is_symlink():
        submission.flags.append(Flag("linked-file", f"'{expected.name}' is a link (to {os.readlink(expected)}), "
                                     "not a notebook: not followed, not graded"))
        return submission
    if _regular(expected):
        path = expected
    else:
        others = sorted(p for p in folder.glob("*.ipynb") if _regular(p))
        if not others:
            submission.flags.append(Flag("missing-file", f"no notebook in the submission (expected {expected.name})",
                                         fatal=True))
            return submission
        path = _best_guess(others, assignment, limits.max_notebook_bytes)
        submission.flags.append(Flag("wrong-file-name", f"notebook named '{path.name}', expected "
                                     f"'{expected.name}': graded under the right name"))
    submission.path = path
    try:
        raw = _read_capped(path, limits.max_notebook_bytes)
    except _TooLarge as error:
        submission.flags.append(Flag("too-large", f"'{path.name}' holds {error.size / MiB:.1f} MiB, more than "
                                     f"the {limits.max_notebook_bytes / MiB:g} MiB a notebook may (IntakeLimits."
                                     "max_notebook_bytes): not read, not graded"))
        return submission
    except OSError as error:
        submission.flags.append(Flag("linked-file", f"'{path.name}' could not be opened as a plain file "
                                     f"({error.strerror or error}): not graded"))
        return submission
    try:
        text = raw.decode("utf-8")
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


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read_capped(path: Path, cap: int) -> bytes:
    """The bytes of regular file ``path``, never through a link, never more than ``cap`` of them.

    The size is read from the open file itself, so the file checked is the file read.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path.name}")
        if info.st_size > cap:
            raise _TooLarge(info.st_size)
        data = handle.read(cap + 1)
        if len(data) > cap:  # grew while being read
            raise _TooLarge(len(data))
        return data


def _best_guess(candidates: list[Path], assignment: str, cap: int) -> Path:
    """Of several notebooks under the wrong names, the one that looks most like the assignment."""

    def likeness(path: Path) -> tuple[int, int]:
        try:
            cells = json.loads(_read_capped(path, cap)).get("cells", [])
            graded = sum(1 for cell in cells if isinstance(cell, dict)
                         and "nbgrader" in cell.get("metadata", {}))
        except (ValueError, UnicodeDecodeError, AttributeError, OSError, _TooLarge):
            graded = -1
        return graded, int(assignment in path.name)

    return max(candidates, key=likeness)
