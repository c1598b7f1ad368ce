"""``course grade``: autograde a whole class in parallel, flag what cannot be trusted, merge shards.

1. Read every submission (:mod:`~instructor.autograde.intake`) and repair what a learner may not
   change (:mod:`~instructor.autograde.repair`); what cannot be graded is flagged, not scored.
2. Grade the rest with nbgrader's own ``autograde`` in ``jobs`` processes, each into a private part
   (:mod:`~instructor.autograde.worker`), and merge the parts into the gradebook
   (:mod:`~instructor.autograde.merge`).
3. Write ``grades/<assignment>.csv`` and print the summary (:mod:`~instructor.autograde.report`).

With ``shard=(K, N)`` only every N-th student (the K-th of each N, by name) is graded, into
``shards/<assignment>/<K>-of-<N>/``; :func:`merge_shards` later brings all shards into the course.

Nothing is lost to one student: a failure while grading or merging a student flags that student and
the run goes on. The run folder (a temporary folder) is gone when :func:`grade_class` returns or
raises, KeyboardInterrupt included: the grading processes still running are stopped first.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from instructor import nbgrader_api
from instructor.autograde import merge, worker, zygote
from instructor.autograde.intake import Flag, IntakeLimits, find_submissions
from instructor.autograde.repair import repair
from instructor.autograde.report import Progress, Row, read_csv, write_csv
from instructor.autograde.staging import stage_submission

__all__ = ["UNCONTAINED_VARIABLE", "NotContained", "Result", "grade_class", "merge_shards", "shard_folder", "write_feedback"]


#: set to "1", the same as ``course grade --uncontained`` (for a machine that is itself the container)
UNCONTAINED_VARIABLE = "COURSE_GRADE_UNCONTAINED"


class NotContained(RuntimeError):
    """This machine cannot contain a learner's kernel; ``course grade`` will not grade uncontained unasked."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"this machine cannot contain the submissions' kernels: {reason}. Grade where bubblewrap "
                         "and user namespaces work (docs/instructor.md, 'Containing a learner's kernel'), or pass "
                         "--uncontained to grade without OS containment (only for submissions you trust)")
        self.reason = reason


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
    _temp_inside(run / "tmp" / str(os.getpid()))
    if not (job.part / "gradebook.db").exists():
        merge.copy_gradebook(run / "gradebook.db", job.part / "gradebook.db")
    return worker.grade(job)


def _temp_inside(folder: Path) -> None:
    """This grading process's temporary files (kernel connection files among them) and those of the
    kernels it starts go into the run folder, so they go with it however the run ends."""
    if tempfile.tempdir != str(folder):
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(folder)
        os.environ["TMPDIR"] = str(folder)


def grade_class(root: Path, assignment: str, jobs: int | None = None, timeout: int | None = None,
                shard: tuple[int, int] | None = None, students: list[str] | None = None,
                csv_path: Path | None = None, progress: Progress | None = None, contained: bool = True) -> Result:
    """Autograde every submission of ``assignment`` in the course at ``root``; see the module docs.

    ``contained=False`` grades without OS containment of the learners' kernels (see
    docs/instructor.md, "What the grader trusts"); with it, a machine that cannot contain is refused
    (:class:`NotContained`) before anything is graded.
    """
    started = time.perf_counter()
    contained = contained and os.environ.get(UNCONTAINED_VARIABLE) != "1"
    if contained:
        from instructor.autograde.contain import probe

        reason = probe()
        if reason is not None:
            raise NotContained(reason)
    root = Path(root).resolve()
    # nbgrader made fast for the whole run (the grading processes forked in it keep that), warm
    # kernels for every grading process (the zygote imports while the class is read), and a run
    # folder for the grading processes' private gradebooks and the staged submissions (entered before the
    # zygote, so left after it: its kernels, which write into the run folder, end before the folder goes)
    with nbgrader_api.patched(), _run_folder() as run, zygote.shared():
        api = _course(root)
        _ensure_assignment(api, assignment)
        coursedir = api.coursedir
        timeout = timeout or int(api.config.Execute.get("timeout", 30))
        limits = IntakeLimits(config=api.config)
        release = nbformat.read(Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
                                / f"{assignment}.ipynb", as_version=4)
        submitted = Path(coursedir.root) / coursedir.submitted_directory
        found = [s for s in find_submissions(submitted, assignment, _roster(api), limits)
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
        (run / "staged").mkdir()
        pending = []
        for number, submission in enumerate(found):
            row = rows[submission.student]
            if submission.gradable:
                # the grading processes see a copy without links or special files, never the folder itself
                staged = run / "staged" / str(number)
                row.flags += stage_submission(submission.folder, staged, limits)
            if not submission.gradable or any(flag.fatal for flag in row.flags):
                progress.step(row)
                continue
            notebook, repairs = repair(submission.notebook, release)
            row.flags += repairs
            pending.append(worker.Job(root, root / coursedir.source_directory, run, assignment, submission.student,
                                      nbformat.writes(notebook), staged, timeout, row.flags, contained))

        def bring_in(outcome: worker.Outcome) -> worker.Outcome:
            # while the others are still being graded: the part's gradebook holds this student for good
            if outcome.score is None:
                return outcome
            merged = merge.merge_grades(f"sqlite:///{outcome.part / 'gradebook.db'}", target_url,
                                        coursedir.course_id, assignment, [outcome.student],
                                        [outcome.student] if outcome.flags else [])
            failed = merged.failed.get(outcome.student)
            if failed is None and outcome.student not in merged.students:
                failed = "the part's gradebook has no submission of this student"
            failed = failed or merge.move_autograded(outcome.part, target_root, assignment, [outcome.student],
                                                     coursedir.autograded_directory).get(outcome.student)
            if failed is None:
                return outcome
            return _merge_failed(outcome, failed)

        _run_pool(pending, jobs or os.cpu_count() or 1, rows, progress, bring_in)
    write_csv(rows.values(), csv_path)
    return Result(list(rows.values()), csv_path, time.perf_counter() - started)


def _merge_failed(outcome: worker.Outcome, why: str) -> worker.Outcome:
    """A student graded in a part whose grade could not be brought into the course: not graded, and why."""
    flag = Flag("merge-failed", f"graded {outcome.score:g}/{outcome.max_score:g}, but bringing the grade into "
                                f"the course failed ({why}): grade this student again")
    return worker.Outcome(outcome.student, None, None, [*outcome.flags, flag], outcome.part)


@contextlib.contextmanager
def _run_folder() -> Iterator[Path]:
    """A temporary folder for one run, removed however the run ends.

    The grading processes that write into it are stopped before it is removed (see :func:`_run_pool`);
    a file that still cannot be removed is an error, not something left behind quietly.
    """
    # short: the kernels' ZMQ sockets and the trusted processes' sockets live below it, and a Unix
    # socket's path may not be longer than 107 bytes (06_capstone_order_pipeline in it was too long)
    folder = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, onerror=_make_writable_and_retry)


def _make_writable_and_retry(function: Callable, path: str, _info: object) -> None:
    """A learner's code may leave a read-only folder behind: make its parent writable and try again."""
    os.chmod(os.path.dirname(path), 0o700)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=_make_writable_and_retry)
    else:
        function(path)


def _run_pool(jobs: list[worker.Job], processes: int, rows: dict[str, Row], progress: Progress,
              done: Callable[[worker.Outcome], worker.Outcome]) -> None:
    """Grade ``jobs`` in ``processes`` processes; a process that dies costs only its submission a flag.

    ``done`` brings each outcome into the course and returns what to record; if it raises, that
    student is flagged ``merge-failed`` and the others go on.
    """
    context = multiprocessing.get_context("fork")
    attempt = list(jobs)
    for retry in (False, True):
        broken: list[worker.Job] = []
        workers = 1 if retry else max(1, min(processes, len(attempt)))
        with _stopped_on_exit(concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)) as pool:
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
                try:
                    outcome = done(outcome)
                except Exception as error:  # noqa: BLE001 - one student's merge failing is that student's flag
                    outcome = _merge_failed(outcome, f"{type(error).__name__}: {error}")
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


@contextlib.contextmanager
def _stopped_on_exit(pool: concurrent.futures.ProcessPoolExecutor) -> Iterator[concurrent.futures.ProcessPoolExecutor]:
    """The pool, shut down when the block ends; if it ends by an exception (Ctrl-C too), its processes are
    stopped at once, by their own ids, instead of grading the rest of the class first."""
    try:
        yield pool
    except BaseException:
        processes = list((pool._processes or {}).values())  # noqa: SLF001 - the executor names no other way
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        raise
    else:
        pool.shutdown(wait=True)


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
    warnings = []
    for shard in shards:
        try:
            shard_rows = read_csv(shard / "grades.csv")
        except (OSError, ValueError) as error:
            warnings.append(f"shard {shard.name} was not merged: its grades.csv cannot be read ({error})")
            continue
        graded = [r.student for r in shard_rows if r.score is not None]
        merged = merge.merge_grades(f"sqlite:///{shard / 'gradebook.db'}", coursedir.db_url, coursedir.course_id,
                                    assignment, graded, [r.student for r in shard_rows if r.flags and r.score is not None])
        failed = dict(merged.failed)
        failed.update({student: "the shard's gradebook has no submission of this student"
                       for student in graded if student not in merged.students and student not in failed})
        moved = merge.move_autograded(shard, root, assignment, merged.students, coursedir.autograded_directory)
        failed.update(moved)
        for row in shard_rows:
            if row.student in failed:
                row.flags.append(Flag("merge-failed", f"graded {row.score:g}/{row.max_score:g} in shard {shard.name}, "
                                      f"but bringing the grade into the course failed ({failed[row.student]}): "
                                      "grade this student again"))
                row.score = row.max_score = None
        rows.update({r.student: r for r in shard_rows})
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
    """nbgrader's HTML feedback for ``students``: the graded notebook's HTML only, no hidden-test source.

    The course config's feedback steps (:mod:`instructor.autograde.feedback`) take the hidden tests
    out of the notebook and its outputs; each feedback folder is then left holding the HTML alone,
    whatever nbgrader copied beside it. Returns the students whose feedback nbgrader could not write.
    """
    from instructor.autograde.feedback import notebook_html_only

    api = _course(Path(root).resolve())
    coursedir = api.coursedir
    html_only = notebook_html_only(Path(coursedir.root) / coursedir.autograded_directory,
                                   Path(coursedir.root) / coursedir.feedback_directory)
    failed = []
    for student in students:
        if not api.generate_feedback(assignment, student, force=True).get("success"):
            failed.append(student)
            continue
        html_only(notebooks=[coursedir.format_path(coursedir.autograded_directory, student, assignment)
                             + f"/{assignment}.ipynb"])
    return failed
