"""``course insight``: what the class got wrong (registered by :mod:`instructor.cli`).

``course insight <id>`` prints the report and writes ``grades/<id>-failures.csv`` and
``grades/<id>-insight.html``; ``--all`` ranks the quiz topics across every graded assignment;
``--anonymise`` does both under pseudonyms for co-instructors. :func:`after_grading` is what
``course grade`` prints at the end of a round.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["after_grading", "register"]


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``insight`` to the ``course`` command."""
    insight = commands.add_parser(
        "insight", help="what the class got wrong: per exercise, per requirement, per topic (instructors)",
        description="Read the autograded notebooks and grades/<assignment>.csv of a graded assignment and report "
                    "pass rates, the most common failed requirements with their lesson, the flags and whom to "
                    "review first; write grades/<assignment>-failures.csv and grades/<assignment>-insight.html.")
    insight.add_argument("assignment", nargs="?", help="assignment id, e.g. 01_sqs_queues")
    insight.add_argument("--all", action="store_true", dest="every",
                         help="across every graded assignment: the quiz topics the class is weakest on")
    insight.add_argument("--anonymise", "--anonymize", action="store_true",
                         help="student ids as salted hashes (salt kept in grades/.insight-salt), for co-instructors")
    insight.add_argument("--top", type=int, default=3, help="failed requirements shown per exercise (%(default)s)")
    insight.set_defaults(run=_insight)


def _insight(args: argparse.Namespace) -> int:
    from instructor.insight import build
    from instructor.insight.text import format_topics
    from instructor.paths import course_root

    if not args.assignment and not args.every:
        print("course insight: give an assignment id, or --all", file=sys.stderr)
        return 2
    try:
        root = course_root()
    except FileNotFoundError as error:
        print(f"course insight: {error}", file=sys.stderr)
        return 2
    if args.every:
        topics = build.class_topics(root, args.top)
        print(format_topics(topics))
        if not args.assignment:
            return 0 if topics else 1
        print()
    return _one(root, args.assignment, args.anonymise, args.top)


def _one(root: Path, assignment: str, anonymise: bool, top: int) -> int:
    from instructor.insight import build
    from instructor.insight.text import format_assignment

    report = build.load(root, assignment, anonymised=anonymise)
    if not report.records and not report.rows:
        print(f"course insight: {assignment} has not been graded (no autograded notebooks, no grades/"
              f"{assignment}.csv): run course grade {assignment}", file=sys.stderr)
        return 1
    print(format_assignment(report.insight, top))
    table, html = build.write(report, anonymised=anonymise, top=top)
    print(f"record: {table}\nreport: {html}")
    return 0


def after_grading(root: Path, assignment: str) -> None:
    """The report at the end of ``course grade``; a problem here never fails the grading round."""
    print()
    try:
        _one(root, assignment, anonymise=False, top=3)
    except Exception as error:  # noqa: BLE001 - the grades are written; the report is a bonus
        print(f"warning: course insight could not build the report: {type(error).__name__}: {error}",
              file=sys.stderr)
