"""The instructor's view of a grading run: a progress line, a summary table and the grades CSV.

Every submission is a row with either a score or a flag saying why there is none: a submission
that could not be graded has an empty score, never a 0.0 that looks like a real zero.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from instructor.autograde.flags import Flag, decode, encode, printable
from instructor.tables import write_table

__all__ = ["Progress", "Row", "read_csv", "summary", "write_csv"]

COLUMNS = ("student", "assignment", "status", "score", "max_score", "flags")


@dataclass
class Row:
    """One student's result."""

    student: str
    assignment: str
    score: float | None = None
    max_score: float | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.score is None:
            return "not graded"
        return "flagged" if self.flags else "graded"

    def as_csv(self) -> dict[str, str]:
        return {
            "student": self.student, "assignment": self.assignment, "status": self.status,
            "score": "" if self.score is None else f"{self.score:g}",
            "max_score": "" if self.max_score is None else f"{self.max_score:g}",
            "flags": encode(self.flags),
        }


def write_csv(rows: Iterable[Row], path: Path) -> Path:
    """Write the grades CSV (``COLUMNS``), one row per student, sorted by student."""
    return write_table(path, COLUMNS, (row.as_csv() for row in sorted(rows, key=lambda r: r.student)))


def read_csv(path: Path) -> list[Row]:
    """Rows back from a grades CSV, exactly as written (each flag's kind, reason and fatality).

    Raises ``ValueError`` naming the line for a row this module cannot have written.
    """
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            try:
                rows.append(Row(record["student"], record["assignment"],
                                float(record["score"]) if record["score"] else None,
                                float(record["max_score"]) if record["max_score"] else None,
                                decode(record["flags"])))
            except (ValueError, TypeError, KeyError) as error:
                raise ValueError(f"{path}, line {reader.line_num}: {error}") from None
    return rows


def summary(rows: list[Row], seconds: float | None = None) -> str:
    """A plain-text table of every row and a totals line."""
    rows = sorted(rows, key=lambda r: r.student)
    width = max([len("student")] + [len(printable(r.student)) for r in rows])
    lines = [f"{'student':<{width}}  {'score':>11}  {'status':<10}  flags", "-" * (width + 40)]
    for row in rows:
        score = "-" if row.score is None else f"{row.score:g} / {row.max_score:g}"
        flags = "; ".join(f.kind for f in row.flags)  # kinds only: a fixed set, never the submission's words
        lines.append(f"{printable(row.student):<{width}}  {score:>11}  {row.status:<10}  {flags}")
    counts = {status: sum(r.status == status for r in rows) for status in ("graded", "flagged", "not graded")}
    scored = [r.score / r.max_score for r in rows if r.score is not None and r.max_score]
    mean = f", mean {100 * sum(scored) / len(scored):.0f}%" if scored else ""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines.append("-" * (width + 40))
    lines.append(f"{len(rows)} submissions{took}: {counts['graded']} graded, {counts['flagged']} graded with "
                 f"flags, {counts['not graded']} not graded{mean}")
    return "\n".join(lines)


class Progress:
    """A one-line progress bar on a terminal; one line per submission otherwise (logs, CI)."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def step(self, row: Row) -> None:
        self.done += 1
        score = "not graded" if row.score is None else f"{row.score:g}/{row.max_score:g}"
        note = f" [{', '.join(f.kind for f in row.flags)}]" if row.flags else ""
        if self.tty:
            filled = self.width * self.done // max(self.total, 1)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {printable(row.student)}: {score}{note}\x1b[K")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {printable(row.student)}: {score}{note}\n")
        self.stream.flush()
