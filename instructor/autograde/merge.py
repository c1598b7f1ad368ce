"""Merge the grades of a partial gradebook into another: how parallel workers and shards come together.

Each grading worker (and each ``--shard K/N`` run on another machine) grades into its own copy of
the course gradebook, because nbgrader's SQLite gradebook takes one writer at a time. Merging copies,
for the given students, exactly what ``nbgrader autograde`` writes: the student, the submission and
its timestamp, every grade's scores and every comment, the notebooks' flags and late penalties. The
target's other students are untouched; a student already there is overwritten (a regrade).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

__all__ = ["copy_gradebook", "merge_grades", "move_autograded"]

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


def merge_grades(source_url: str, target_url: str, course_id: str, assignment: str,
                 students: Iterable[str], flagged: Iterable[str] = ()) -> list[str]:
    """Copy ``students``' submissions of ``assignment`` from gradebook ``source_url`` into ``target_url``.

    Returns the students merged (those with a submission in the source). ``flagged`` students get
    nbgrader's own "flagged" mark on their notebooks, so formgrader shows them for review.
    """
    flagged = set(flagged)
    merged = []
    with Gradebook(source_url, course_id) as source, Gradebook(target_url, course_id) as target:
        for student_id in students:
            try:
                submission = source.find_submission(assignment, student_id)
            except MissingEntry:
                continue
            student = submission.student
            target.update_or_create_student(student_id, **{f: getattr(student, f) for f in _STUDENT_FIELDS})
            target.update_or_create_submission(assignment, student_id, timestamp=submission.timestamp,
                                               extension=submission.extension)
            for notebook in submission.notebooks:
                copy = target.find_submission_notebook(notebook.name, assignment, student_id)
                for field in _NOTEBOOK_FIELDS:
                    setattr(copy, field, getattr(notebook, field))
                if student_id in flagged:
                    copy.flagged = True
                for items, find, fields in ((notebook.grades, target.find_grade, _GRADE_FIELDS),
                                            (notebook.comments, target.find_comment, _COMMENT_FIELDS)):
                    for item in items:
                        kept = find(item.name, notebook.name, assignment, student_id)
                        for field in fields:
                            setattr(kept, field, getattr(item, field))
            target.db.commit()
            merged.append(student_id)
    return merged


def move_autograded(source_root: Path, target_root: Path, assignment: str, students: Iterable[str],
                    autograded: str = "autograded") -> None:
    """Move each student's ``autograded/<student>/<assignment>`` folder, replacing an older one."""
    for student in students:
        source = source_root / autograded / student / assignment
        if not source.is_dir():
            continue
        target = target_root / autograded / student / assignment
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(target))
