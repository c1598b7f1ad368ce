"""Merge the grades of a partial gradebook into another: how parallel workers and shards come together.

Each grading worker (and each ``--shard K/N`` run on another machine) grades into its own copy of
the course gradebook, because nbgrader's SQLite gradebook takes one writer at a time. Merging copies,
for the given students, exactly what ``nbgrader autograde`` writes: the student, the submission and
its timestamp, every grade's scores and every comment, the notebooks' flags and late penalties. The
target's other students are untouched; a student already there is overwritten (a regrade).

One student's failure (an unreadable part, a row nbgrader rejects) is that student's alone: it is
rolled back and reported in :attr:`Merged.failed`, and the others are merged all the same. Of an
autograded folder only the graded notebook and nbgrader's ``timestamp.txt`` come into the course,
and only as plain files: whatever the learner's code wrote beside the notebook while it ran stays
in the run folder, so nbgrader's feedback, which copies every file of the autograded folder, never
sends it to a student.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

__all__ = ["Merged", "copy_gradebook", "merge_grades", "move_autograded"]

_STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")
_GRADE_FIELDS = ("auto_score", "manual_score", "extra_credit", "needs_manual_grade")
_COMMENT_FIELDS = ("auto_comment", "manual_comment")
_NOTEBOOK_FIELDS = ("flagged", "late_submission_penalty")


def copy_gradebook(source: Path, target: Path) -> None:
    """A consistent copy of SQLite gradebook ``source`` at ``target`` (SQLite's backup API)."""
    import sqlite3

    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@dataclass
class Merged:
    """What a merge did: the students merged, and why each of the others failed."""

    students: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  #: student -> "ErrorType: message"


def merge_grades(source_url: str, target_url: str, course_id: str, assignment: str,
                 students: Iterable[str], flagged: Iterable[str] = ()) -> Merged:
    """Copy ``students``' submissions of ``assignment`` from gradebook ``source_url`` into ``target_url``.

    Students without a submission in the source are skipped. ``flagged`` students get nbgrader's own
    "flagged" mark on their notebooks, so formgrader shows them for review. A student whose merge
    fails is rolled back and named in :attr:`Merged.failed`; so is every student when a gradebook
    cannot be opened at all.
    """
    flagged = set(flagged)
    students = list(students)
    result = Merged()
    try:
        with Gradebook(source_url, course_id) as source, Gradebook(target_url, course_id) as target:
            for student_id in students:
                try:
                    if _merge_one(source, target, assignment, student_id, student_id in flagged):
                        result.students.append(student_id)
                except Exception as error:  # noqa: BLE001 - one student's failure is that student's flag
                    result.failed[student_id] = f"{type(error).__name__}: {error}"
                    _forget(target, assignment, student_id)
    except Exception as error:  # noqa: BLE001 - an unreadable gradebook fails its students, not the run
        for student_id in students:
            if student_id not in result.students:
                result.failed.setdefault(student_id, f"{type(error).__name__}: {error}")
    return result


def _forget(target: Gradebook, assignment: str, student_id: str) -> None:
    """After a failed merge: no half-copied submission in the target (nbgrader commits as it goes)."""
    target.db.rollback()
    try:
        target.remove_submission(assignment, student_id)
    except Exception:  # noqa: BLE001 - nothing there to remove, or the target itself is broken
        target.db.rollback()


def _merge_one(source: Gradebook, target: Gradebook, assignment: str, student_id: str, flag: bool) -> bool:
    try:
        submission = source.find_submission(assignment, student_id)
    except MissingEntry:
        return False
    student = submission.student
    target.update_or_create_student(student_id, **{f: getattr(student, f) for f in _STUDENT_FIELDS})
    target.update_or_create_submission(assignment, student_id, timestamp=submission.timestamp,
                                       extension=submission.extension)
    for notebook in submission.notebooks:
        copy = target.find_submission_notebook(notebook.name, assignment, student_id)
        for name in _NOTEBOOK_FIELDS:
            setattr(copy, name, getattr(notebook, name))
        if flag:
            copy.flagged = True
        for items, find, fields in ((notebook.grades, target.find_grade, _GRADE_FIELDS),
                                    (notebook.comments, target.find_comment, _COMMENT_FIELDS)):
            for item in items:
                kept = find(item.name, notebook.name, assignment, student_id)
                for name in fields:
                    setattr(kept, name, getattr(item, name))
    target.db.commit()
    return True


def move_autograded(source_root: Path, target_root: Path, assignment: str, students: Iterable[str],
                    autograded: str = "autograded") -> dict[str, str]:
    """Bring each student's graded notebook (and ``timestamp.txt``) into ``target_root``'s autograded folder.

    The student's older autograded folder is replaced. Only plain files are taken, never through a
    link; everything else in the source folder stays behind. Returns the students whose notebook could
    not be brought in, with why.
    """
    failed = {}
    for student in students:
        source = source_root / autograded / student / assignment
        if not source.is_dir() or source.is_symlink():
            continue
        target = target_root / autograded / student / assignment
        try:
            if target.exists() or target.is_symlink():
                shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
            target.mkdir(parents=True)
            _copy_plain_file(source / "timestamp.txt", target / "timestamp.txt")
            if not _copy_plain_file(source / f"{assignment}.ipynb", target / f"{assignment}.ipynb"):
                failed[student] = f"the autograded {assignment}.ipynb is missing or not a plain file"
        except OSError as error:
            failed[student] = f"{type(error).__name__}: {error}"
    return failed


def _copy_plain_file(source: Path, target: Path) -> bool:
    """Copy ``source`` if it is a regular file itself (not a link to one); False when it is not."""
    try:
        descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:  # missing, or a link (ELOOP)
        return False
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        with target.open("xb") as out:
            shutil.copyfileobj(handle, out)
    return True
