"""``course grade``: the instructor's command (registered by :mod:`instructor.cli`)."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

__all__ = ["register"]


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N, e.g. 2/4, got {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"K must be between 1 and N, got {text!r}")
    return index, count


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``grade`` to the ``course`` command."""
    grade = commands.add_parser(
        "grade", help="autograde every submission of an assignment in parallel (instructors)",
        description="Autograde submitted/<student>/<assignment>/ with nbgrader, in parallel, into the course "
                    "gradebook; write grades/<assignment>.csv where every student has a score or a flag saying why not.")
    grade.add_argument("assignment", help="assignment id, e.g. 01_sqs_queues")
    grade.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                       help="processes grading at once (default: the number of cores, %(default)s here)")
    grade.add_argument("--timeout", type=int, help="seconds per cell (default: Execute.timeout of nbgrader_config.py)")
    grade.add_argument("--shard", type=_shard, metavar="K/N",
                       help="grade only the K-th of N shards of the class, into shards/<assignment>/K-of-N/")
    grade.add_argument("--merge", action="store_true",
                       help="merge every graded shard of the assignment into the course gradebook")
    grade.add_argument("--student", action="append", dest="students", metavar="ID",
                       help="grade only this student (repeatable)")
    grade.add_argument("--feedback", action="store_true",
                       help="also write each graded student's feedback (feedback/, hidden tests left out)")
    grade.add_argument("--uncontained", action="store_true",
                       help="grade without OS containment of the learners' kernels (bubblewrap): only for "
                            "submissions you trust, or inside a container of their own (one shard per pod)")
    grade.add_argument("--csv", type=Path, help="where to write the grades CSV (default: grades/<assignment>.csv)")
    grade.set_defaults(run=_grade)


def _grade(args: argparse.Namespace) -> int:
    from instructor.paths import course_root
    from instructor.autograde.pipeline import grade_class, merge_shards, write_feedback
    from instructor.autograde.report import summary

    # nbgrader 0.9.6's gradebook makes SQLAlchemy warn on every submission; harmless, and noise here
    warnings.filterwarnings("ignore", message="Object of type")
    root = course_root()
    if args.merge and args.shard:
        print("course grade: --merge and --shard do not go together", file=sys.stderr)
        return 2
    if not (root / "nbgrader_config.py").exists():
        print(f"course grade: no nbgrader_config.py in {root}: run from the course root", file=sys.stderr)
        return 2
    try:
        if args.merge:
            result = merge_shards(root, args.assignment, args.csv)
        else:
            result = grade_class(root, args.assignment, jobs=max(1, args.jobs), timeout=args.timeout,
                                 shard=args.shard, students=args.students, csv_path=args.csv,
                                 contained=not args.uncontained)
    except (FileNotFoundError, RuntimeError) as error:
        print(f"course grade: {error}", file=sys.stderr)
        return 2
    print(summary(result.rows, result.seconds))
    if args.feedback and not args.shard:
        failed = write_feedback(root, args.assignment, [r.student for r in result.rows if r.score is not None])
        for student in failed:
            print(f"warning: nbgrader could not write feedback for {student}", file=sys.stderr)
        print(f"feedback: {root / 'feedback'}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"grades: {result.csv}")
    if not args.shard and not args.csv:  # the report reads grades/<assignment>.csv
        from instructor.insight.cli import after_grading

        after_grading(root, args.assignment)
    return 1 if result.warnings else 0
