"""Grade students one at a time into a *part*: a private copy of the course gradebook and folders.

A part is what one grading process (or one ``--shard``) writes: ``<part>/gradebook.db`` (a copy of
the course's), ``<part>/submitted/`` (the repaired notebooks) and ``<part>/autograded/``. Grading
itself is nbgrader's ``autograde`` through its API, with :class:`~instructor.autograde.execute.GuardedExecute`
in place of ``Execute``; the results are merged into the course by :mod:`instructor.autograde.merge`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from instructor import scoring
from instructor.autograde.execute import HUGE_OUTPUT
from instructor.autograde.intake import Flag

__all__ = ["Job", "Outcome", "grade"]

# nbgrader's own steps, with GuardedExecute for Execute. CheckCellMetadata (a JSON-schema check
# of every cell, 0.1 s a pass, twice per notebook) is left out of both passes: repair() has just
# rebuilt the graded cells' metadata from the release, so it cannot fail; it changes no grade.
_SANITIZE_STEPS = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
]
_AUTOGRADE_STEPS = [
    "instructor.autograde.split.SplitExecute",
    "instructor.autograde.error_cap.CapErrorOutputs",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
]


@dataclass
class Job:
    """One submission to grade: where it came from, its repaired notebook, where to write."""

    root: Path  #: the course root (its nbgrader_config.py)
    source: Path  #: the course's source folder (solutions/): never readable by the kernel
    part: Path  #: the part this process writes into
    assignment: str
    student: str
    notebook: str  #: the repaired notebook, as JSON text
    folder: Path  #: the student's submitted folder (other files and timestamp.txt are graded too)
    timeout: int
    flags: list[Flag] = field(default_factory=list)
    contained: bool = True  #: the learner's kernel contained by the OS (instructor.autograde.contain)


@dataclass
class Outcome:
    """What grading one submission gave."""

    student: str
    score: float | None
    max_score: float | None
    flags: list[Flag]
    part: Path


# one API per part and timeout, built once per grading process: grade() runs in the pool processes
# of one grade_class() run (see pipeline), which end with that run, and the cache with them
_apis: dict[tuple[Path, int], object] = {}


def _api(job: Job):
    key = (job.part, job.timeout, job.contained)
    if key not in _apis:
        from instructor.nbgrader_api import api_for

        _apis[key] = api_for(job.root, **{
            "CourseDirectory.root": str(job.part),
            "CourseDirectory.db_url": f"sqlite:///{job.part / 'gradebook.db'}",
            "CourseDirectory.source_directory": str(job.source),
            "CourseDirectory.submitted_directory": "submitted",
            "CourseDirectory.autograded_directory": "autograded",
            "Autograde.sanitize_preprocessors": _SANITIZE_STEPS,
            "Autograde.autograde_preprocessors": _AUTOGRADE_STEPS,
            "Execute.timeout": job.timeout,
            "SplitExecute.contained": job.contained,
            "Execute.shutdown_kernel": "immediate",
        })
    return _apis[key]


def grade(job: Job) -> Outcome:
    """Grade ``job`` with nbgrader into its part; never raises for a bad submission."""
    flags = list(job.flags)
    if not (job.part / "gradebook.db").exists():
        raise FileNotFoundError(f"part {job.part} has no gradebook: copy the course's there first")
    target = job.part / "submitted" / job.student / job.assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(job.folder, target, ignore=shutil.ignore_patterns("*.ipynb"))
    (target / f"{job.assignment}.ipynb").write_text(job.notebook, encoding="utf-8")
    with scoring.recording() as events:
        try:
            result = _api(job).autograde(job.assignment, job.student, force=True, create=True)
        except Exception as error:  # noqa: BLE001 - nbgrader's own failure is this student's flag, not the class's
            result = {"success": False, "error": f"{type(error).__name__}: {error}", "log": ""}
    flags += [_flag(event) for event in events]
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "no detail").strip().splitlines()
        flags.append(Flag("autograde-failed", f"nbgrader could not grade it: {detail[-1] if detail else ''}",
                          fatal=True))
        return Outcome(job.student, None, None, flags, job.part)
    score, max_score = _score(job)
    return Outcome(job.student, score, max_score, flags, job.part)


def _flag(event: scoring.Event) -> Flag:
    reasons = {
        scoring.TIMEOUT: f"cell '{event.cell}' {event.detail}; it scored 0, the rest was graded",
        scoring.STOPPED: f"cell '{event.cell}' {event.detail}: the kernel was stopped, later cells scored 0",
        scoring.DIED: f"the kernel died (exit, crash or kill) in cell '{event.cell}': later cells scored 0",
        HUGE_OUTPUT: f"cell '{event.cell}' {event.detail}: the rest of its output was dropped",
    }
    return Flag(event.kind, reasons.get(event.kind, event.detail))


def _score(job: Job) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    api = _api(job)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        submission = gradebook.find_submission(job.assignment, job.student)
        return float(submission.score), float(submission.max_score)
