"""Put one assignment's report together from the course folder: the record, the grades CSV, the files.

This is the step ``course insight`` and ``course grade`` share: rebuild the record from nbgrader's
autograded notebooks, read the flags from ``grades/<assignment>.csv``, aggregate, and write the
side table and the HTML page (under pseudonyms with ``anonymise``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from instructor.autograde.report import Row, read_csv
from instructor.insight import anonymise, page, record
from instructor.insight.aggregate import AssignmentInsight, TopicInsight, assignment_insight, topic_insight

__all__ = ["Report", "all_records", "class_topics", "graded_assignments", "load", "write"]


@dataclass
class Report:
    """One assignment's record, grades rows and what they add up to."""

    root: Path
    records: list[record.CellResult]
    rows: list[Row]
    insight: AssignmentInsight


def _root(root: Path | None) -> Path:
    if root is not None:
        return Path(root).resolve()
    from instructor.paths import course_root

    return course_root()


def _autograded_folder(root: Path) -> str:
    """nbgrader's autograded folder name from the course config (``autograded`` unless changed)."""
    try:
        from instructor.nbgrader_api import api_for

        return api_for(root).coursedir.autograded_directory
    except Exception:  # noqa: BLE001 - a course folder without a readable config: nbgrader's default
        return "autograded"


def load(root: Path | None, assignment: str, anonymised: bool = False) -> Report:
    """The report of ``assignment``, rebuilt from the autograded notebooks and the grades CSV."""
    root = _root(root)
    records = record.rebuild(root, assignment, _autograded_folder(root))
    grades = root / "grades" / f"{assignment}.csv"
    rows = read_csv(grades) if grades.exists() else []
    if anonymised:
        salt = anonymise.course_salt(root)
        records, rows = anonymise.anonymise_records(records, salt), anonymise.anonymise_rows(rows, salt)
    return Report(root, records, rows, assignment_insight(assignment, records, rows))


def write(report: Report, anonymised: bool = False, top: int = 3,
          topics: list[TopicInsight] | None = None) -> tuple[Path, Path]:
    """Write the side table and the HTML page; returns their paths."""
    assignment = report.insight.assignment
    table = record.records_path(report.root, assignment)
    if anonymised:
        table = table.with_name(f"{assignment}-failures-anonymised.csv")
    record.write_records(report.records, table)
    html = page.write_page(page.page_path(report.root, assignment, anonymised),
                           page.render_page(report.insight, topics, top, anonymised))
    return table, html


def graded_assignments(root: Path | None) -> list[str]:
    """Assignments with at least one autograded notebook, in course order."""
    root = _root(root)
    folder = root / _autograded_folder(root)
    return sorted({p.parent.name for p in folder.glob("*/*/*.ipynb") if p.stem == p.parent.name})


def all_records(root: Path | None) -> list[record.CellResult]:
    """The records of every graded assignment."""
    root = _root(root)
    return [r for assignment in graded_assignments(root) for r in load(root, assignment).records]


def class_topics(root: Path | None, top: int = 3) -> list[TopicInsight]:
    """Across every graded assignment: the quiz topics, weakest first."""
    return topic_insight(all_records(root), top)
