"""Pseudonyms for co-instructors: a student id becomes a salted hash, the same in every report.

The salt is random, made once per course and kept in the course folder at
``grades/.insight-salt`` (``grades/`` is git-ignored, and a graded learner kernel, contained, cannot see
the course folder). One salt per course means a student keeps one pseudonym across assignments and rounds, so a
co-instructor can follow "s-3f9a…" without knowing who it is; the instructor, who has the salt
and the roster, can map a pseudonym back with :func:`pseudonym`. Without the salt, hashing every
plausible id does not recover it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from instructor.autograde.report import Row
from instructor.insight.record import CellResult

__all__ = ["course_salt", "pseudonym", "anonymise_records", "anonymise_rows", "salt_path"]


def salt_path(root: Path) -> Path:
    return Path(root) / "grades" / ".insight-salt"


def course_salt(root: Path) -> bytes:
    """The course's salt, made (readable by its owner only) on first use."""
    path = salt_path(root)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two commands starting at once must not each write a different salt
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def pseudonym(student: str, salt: bytes) -> str:
    """``s-`` and 10 hex digits of HMAC-SHA256(salt, student id)."""
    return "s-" + hmac.new(salt, student.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def anonymise_records(records: Iterable[CellResult], salt: bytes) -> list[CellResult]:
    return [dataclasses.replace(r, student=pseudonym(r.student, salt)) for r in records]


def anonymise_rows(rows: Iterable[Row], salt: bytes) -> list[Row]:
    """Grades CSV rows under pseudonyms; a flag's reason may name a file, so only its kind is kept."""
    from instructor.autograde.intake import Flag

    return [Row(pseudonym(r.student, salt), r.assignment, r.score, r.max_score,
                [Flag(f.kind, "", f.fatal) for f in r.flags]) for r in rows]
