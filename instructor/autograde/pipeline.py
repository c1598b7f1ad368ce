"""``course grade``: autograde a whole class in parallel, flag what cannot be trusted, merge shards.

1. Read every submission (:mod:`~instructor.autograde.intake`) and repair what a learner may not
   change (:mod:`~instructor.autograde.repair`); what cannot be graded is flagged, not scored.
2. Grade the rest with nbgrader's own ``autograde`` in ``jobs`` processes, each into a private part
   (:mod:`~instructor.autograde.worker`), and merge the parts into the gradebook
   (:mod:`~instructor.autograde.merge`).
3. Write ``grades/<assignment>.csv`` and print the summary (:mod:`~instructor.autograde.report`).

With ``shard=(K, N)`` only every N-th student (the K-th of each N, by name) is graded, into
``shards/<assignment>/<K>-of-<N>/``; :func:`merge_shards` later brings all shards into the course.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from instructor import nbgrader_api
from instructor.autograde import merge, worker, zygote
from instructor.autograde.intake import Flag, find_submissions
from instructor.autograde.repair import repair
from instructor.autograde.report import Progress, Row, read_csv, write_csv

__all__ = ["Result", "grade_class", "merge_shards", "shard_folder", "write_feedback"]


@dataclass
class Result:
    """A finished grading run."""

    rows: list[Row]
    csv: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)


def shard_folder(root: Path, assignment: str, shard: tuple[int, int]) -> Path:
    return root / "shards" / assignment / f"{shard[0]}-of-{shard[1]}"


def _course(root: Path) -> nbgrader_api.CourseAPI:
    return nbgrader_api.api_for(root)


def _ensure_assignment(api, assignment: str) -> None:
    """nbgrader autograde needs the assignment in the gradebook: generate it once if it is not."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {assignment}: {result.get('error') or result.get('log')}")


def _roster(api) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        return [student.id for student in gradebook.students]


def _grade_in_this_process(job: worker.Job) -> worker.Outcome:
    """Pool entry point: each process grades into its own part of the run folder."""
    run = job.part
    job.part = run / f"part-{os.getpid()}"
    if not (job.part / "gradebook.db").exists():
        merge.copy_gradebook(run / "gradebook.db", job.part / "gradebook.db")
    return worker.grade(job)


def grade_class(root: Path, assignment: str, jobs: int | None = None, timeout: int | None = None,
                shard: tuple[int, int] | None = None, students: list[str] | None = None,
                csv_path: Path | None = None, progress: Progress | None = None) -> Result:
    """Autograde every submission of ``assignment`` in the course at ``root``; see the module docs."""
    started = time.perf_counter()
    root = Path(root).resolve()
    # nbgrader made fast for the whole run (the grading processes forked in it keep that), warm
    # kernels for every grading process (the zygote imports while the class is read), and a run
    # folder for the grading processes' private gradebooks
    with nbgrader_api.patched(), zygote.shared(), tempfile.TemporaryDirectory(prefix=f"course-grade-{assignment}-",
                                                      ignore_cleanup_errors=True) as run_folder:
        run = Path(run_folder)
        api = _course(root)
        _ensure_assignment(api, assignment)
        coursedir = api.coursedir
        timeout = timeout or int(api.config.Execute.get("timeout", 30))
        release = nbformat.read(Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
                                / f"{assignment}.ipynb", as_version=4)
        submitted = Path(coursedir.root) / coursedir.submitted_directory
        found = [s for s in find_submissions(submitted, assignment, _roster(api))
                 if students is None or s.student in students]
        if shard is not None:
            index, count = shard
            found = [s for i, s in enumerate(found) if i % count == index - 1]
            target_root = shard_folder(root, assignment, shard)
            if target_root.exists():
                shutil.rmtree(target_root)
            target_db = target_root / "gradebook.db"
            merge.copy_gradebook(Path(coursedir.db_url.removeprefix("sqlite:///")), target_db)
            target_url = f"sqlite:///{target_db}"
            csv_path = csv_path or target_root / "grades.csv"
        else:
            target_root, target_url = root, coursedir.db_url
            csv_path = csv_path or root / "grades" / f"{assignment}.csv"

        rows = {s.student: Row(s.student, assignment, flags=list(s.flags)) for s in found}
        progress = progress or Progress(len(found))
        merge.copy_gradebook(Path(target_url.removeprefix("sqlite:///")), run / "gradebook.db")
        pending = []
        for submission in found:
            if not submission.gradable:
                progress.step(rows[submission.student])
                continue
            notebook, repairs = repair(submission.notebook, release)
            rows[submission.student].flags += repairs
            pending.append(worker.Job(root, root / coursedir.source_directory, run, assignment, submission.student,
                                      nbformat.writes(notebook), submission.folder, timeout,
                                      rows[submission.student].flags))

        def bring_in(outcome: worker.Outcome) -> None:
            # while the others are still being graded: the part's gradebook holds this student for good
            if outcome.score is None:
                return
            merge.merge_grades(f"sqlite:///{outcome.part / 'gradebook.db'}", target_url, coursedir.course_id,
                               assignment, [outcome.student], [outcome.student] if outcome.flags else [])
            merge.move_autograded(outcome.part, target_root, assignment, [outcome.student],
                                  coursedir.autograded_directory)

        _run_pool(pending, jobs or os.cpu_count() or 1, rows, progress, bring_in)
    write_csv(rows.values(), csv_path)
    return Result(list(rows.values()), csv_path, time.perf_counter() - started)


def _run_pool(jobs: list[worker.Job], processes: int, rows: dict[str, Row], progress: Progress,
              done: Callable[[worker.Outcome], None]) -> None:
    """Grade ``jobs`` in ``processes`` processes; a process that dies costs only its submission a flag."""
    context = multiprocessing.get_context("fork")
    attempt = list(jobs)
    for retry in (False, True):
        broken: list[worker.Job] = []
        workers = 1 if retry else max(1, min(processes, len(attempt)))
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(_grade_in_this_process, job): job for job in attempt}
            for future in concurrent.futures.as_completed(futures):
                job = futures[future]
                try:
                    outcome = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as error:  # noqa: BLE001 - a grader bug on one notebook is that notebook's flag
                    outcome = worker.Outcome(job.student, None, None,
                                             [*job.flags, Flag("grader-error", f"{type(error).__name__}: {error}",
                                                               fatal=True)], job.part)
                done(outcome)
                _record(outcome, rows, progress)
        if not broken:
            break
        if retry:
            for job in broken:
                outcome = worker.Outcome(job.student, None, None, [*job.flags, Flag(
                    "grader-crashed", "grading this submission crashed the grading process twice", fatal=True)],
                    job.part)
                _record(outcome, rows, progress)
        attempt = broken


def _record(outcome: worker.Outcome, rows: dict[str, Row], progress: Progress) -> None:
    row = rows[outcome.student]
    row.score, row.max_score, row.flags = outcome.score, outcome.max_score, outcome.flags
    progress.step(row)


def merge_shards(root: Path, assignment: str, csv_path: Path | None = None) -> Result:
    """Merge every ``shards/<assignment>/*`` gradebook into the course and write the combined CSV."""
    with nbgrader_api.patched():  # one engine per gradebook for all the merges
        return _merge_shards(root, assignment, csv_path)


def _merge_shards(root: Path, assignment: str, csv_path: Path | None) -> Result:
    started = time.perf_counter()
    root = Path(root).resolve()
    api = _course(root)
    coursedir = api.coursedir
    shards = sorted(p for p in (root / "shards" / assignment).glob("*-of-*") if (p / "grades.csv").exists())
    if not shards:
        raise FileNotFoundError(f"no graded shards in {root / 'shards' / assignment} (run course grade --shard K/N)")
    counts = {int(p.name.split("-of-")[1]) for p in shards}
    rows: dict[str, Row] = {}
    for shard in shards:
        shard_rows = read_csv(shard / "grades.csv")
        graded = [r.student for r in shard_rows if r.score is not None]
        merge.merge_grades(f"sqlite:///{shard / 'gradebook.db'}", coursedir.db_url, coursedir.course_id, assignment,
                           graded, [r.student for r in shard_rows if r.flags and r.score is not None])
        merge.move_autograded(shard, root, assignment, graded, coursedir.autograded_directory)
        rows.update({r.student: r for r in shard_rows})
    warnings = []
    if len(counts) > 1:
        warnings.append(f"shards of different splits were merged ({', '.join(p.name for p in shards)})")
    for count in counts:
        missing = [k for k in range(1, count + 1) if not (root / "shards" / assignment / f"{k}-of-{count}"
                                                          / "grades.csv").exists()]
        if missing:
            warnings.append(f"shard(s) {', '.join(map(str, missing))} of {count} are missing: their students "
                            f"are not graded yet (course grade {assignment} --shard K/{count})")
    csv_path = write_csv(rows.values(), csv_path or root / "grades" / f"{assignment}.csv")
    return Result(list(rows.values()), csv_path, time.perf_counter() - started, warnings)


def write_feedback(root: Path, assignment: str, students: list[str]) -> list[str]:
    """nbgrader's HTML feedback for ``students`` (the course config leaves hidden tests out of it).

    Returns the students whose feedback nbgrader could not write.
    """
    api = _course(Path(root).resolve())
    return [student for student in students
            if not api.generate_feedback(assignment, student, force=True).get("success")]
