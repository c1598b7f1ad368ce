"""``course grade`` vs stock ``nbgrader autograde`` on the same class, side by side in one run.

Builds a class of submissions for one module (default 01_sqs_queues, 24 students): correct,
alternative and wrong answers, blanks, and a few hostile ones. Then, in two copies of that course:

* stock: ``nbgrader autograde <id>`` from the course root, on the honest submissions only (one
  tampered notebook would abort stock nbgrader's whole run);
* ours: ``course grade <id>`` on every submission, hostile ones included.

It checks that every honest submission gets the same score from both, and prints the speed-up.
The machine is noisy: read the ratio, not the seconds. Run:
``.venv/bin/python benchmarks/autograde.py [assignment] [--students N] [--jobs J]``
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.instructor.conftest import PATCH_THE_GRADER, hand_in, make_course, with_answer  # noqa: E402
from tests.notebooks.conftest import load_answers, submission  # noqa: E402

HONEST = ("solution", "alternative", "wrong", "solution", "blank", "wrong", "alternative", "solution")


def build_class(root: Path, assignment: str, students: int) -> list[str]:
    """Hand in ``students`` submissions; returns the honest students' ids."""
    source, release = make_course(root, assignment)
    answers = load_answers(assignment)
    kinds = HONEST if answers else ("solution", "blank")
    honest = []
    hostile = max(2, students // 8)
    for number in range(students - hostile):
        kind = kinds[number % len(kinds)]
        student = f"student{number:02d}-{kind}"
        hand_in(root, student, submission(release, source, answers, kind), assignment=assignment)
        honest.append(student)
    solution = submission(release, source, answers, "solution")
    first_answer = next(c.metadata.nbgrader["grade_id"] for c in release.cells
                        if c.metadata.get("nbgrader", {}).get("solution"))
    hostile_kinds = {
        "tampered": lambda: _tampered(solution),
        "corrupt": lambda: "{ not json",
        "patcher": lambda: with_answer(solution, first_answer, PATCH_THE_GRADER),
    }
    for number in range(hostile):
        name, make = list(hostile_kinds.items())[number % len(hostile_kinds)]
        hand_in(root, f"zz{number:02d}-{name}", make(), assignment=assignment)
    return honest


def _tampered(notebook):
    import copy

    notebook = copy.deepcopy(notebook)
    next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")).metadata.nbgrader[
        "schema_version"] = 99
    return notebook


def stock(root: Path, assignment: str, honest: list[str]) -> tuple[float, dict[str, float]]:
    for folder in (root / "submitted").iterdir():
        if folder.name not in honest:
            shutil.rmtree(folder)
    started = time.perf_counter()
    run = subprocess.run(["nbgrader", "autograde", assignment], cwd=root, capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"stock nbgrader autograde failed:\n{run.stderr[-2000:]}")
    from nbgrader.api import Gradebook

    from instructor.nbgrader_api import api_for

    api = api_for(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        scores = {s.student.id: s.score for s in gradebook.assignment_submissions(assignment)}
    return seconds, scores


def ours(root: Path, assignment: str, jobs: int) -> tuple[float, dict[str, dict[str, str]]]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "instructor.cli", "grade", assignment, "--jobs", str(jobs)], cwd=root,
                         capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"course grade failed:\n{run.stderr[-2000:]}")
    with (root / "grades" / f"{assignment}.csv").open() as handle:
        return seconds, {row["student"]: row for row in csv.DictReader(handle)}


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", nargs="?", default="01_sqs_queues")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as temp:
        built = Path(temp) / "class"
        built.mkdir()
        honest = build_class(built, args.assignment, args.students)
        shutil.copytree(built, Path(temp) / "stock")
        shutil.copytree(built, Path(temp) / "ours")
        stock_seconds, stock_scores = stock(Path(temp) / "stock", args.assignment, honest)
        our_seconds, rows = ours(Path(temp) / "ours", args.assignment, args.jobs)
    differ = [s for s in honest if float(rows[s]["score"] or "nan") != stock_scores.get(s)]
    flagged = sorted(s for s, row in rows.items() if row["flags"])
    print(f"class: {args.students} submissions of {args.assignment} ({len(honest)} honest, "
          f"{args.students - len(honest)} hostile); {os.cpu_count()} cores, course grade --jobs {args.jobs}")
    print(f"stock nbgrader autograde, {len(honest)} honest submissions: {stock_seconds:6.1f} s")
    print(f"course grade, all {args.students} submissions:            {our_seconds:6.1f} s")
    per_stock, per_ours = stock_seconds / len(honest), our_seconds / args.students
    print(f"speed-up per submission: {per_stock / per_ours:.2f}x (whole run: {stock_seconds / our_seconds:.2f}x)")
    print(f"honest grades identical to stock nbgrader: {'yes' if not differ else 'NO: ' + ', '.join(differ)}")
    print(f"flagged by course grade: {', '.join(flagged) or 'none'}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
