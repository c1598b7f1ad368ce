"""The learner's progress: which exercises pass in their saved notebooks, quiz scores, what next.

>>> from course import progress
>>> report = progress.collect()          # notebooks/<id>/<id>.ipynb under the course root
>>> report.next_step
'Continue 01 · SQS queues: run sqs-4 (then save the notebook)'

Nothing is executed and nothing leaves the machine. A check cell's *saved* outputs say how it
went the last time the learner ran it and saved:

* an ``error`` output (or anything on stderr, which nbgrader scores 0): **failed**;
* the check's success line, ``✔ [<exercise>] ...`` on stdout: **passed**;
* no output: **not run**.

So the report is only as fresh as the last save, and a pass here is the *visible* check only:
nbgrader's hidden tests may still find an edge case. ``course progress --run <id>`` re-runs a
module headless through ``course check`` instead (that lives in ``instructor``; this module is the
runtime's model and imports nothing above it). Quiz scores come from the quiz history
(:mod:`course.quiz.history`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.quiz import history
from course.quiz.bank import TOPICS
from course.quiz.session import PASS_MARK

__all__ = [
    "PASSED", "FAILED", "NOT_RUN", "MODULES", "Module", "Exercise", "ModuleProgress", "TopicScore",
    "ExamResult", "Progress", "GRADING_ENVIRONMENT", "being_graded", "course_root", "notebooks_folder",
    "notebook_path", "read_exercises", "exercise_from_cell", "quiz_scores", "last_exam", "next_step", "collect",
]

PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"

#: Set in a learner kernel that ``course grade`` is grading (``course.remote.SOCKET_VARIABLE``; a
#: test keeps the two equal). A graded kernel has no notebooks folder to read: a progress view does
#: not even try then.
GRADING_ENVIRONMENT = "COURSE_GRADER_SOCKET"

#: How a check reports success (``graders.check``: ``print(f"✔ [{exercise}] {message}")``).
_SUCCESS = re.compile(r"^\s*\u2714 \[[^\]]+\]", re.MULTILINE)
_REQUIREMENT = re.compile(r"^Requirement: (\S+)\s*$", re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Module:
    """One module of the course, as the course map in ``00_start_here`` describes it."""

    id: str
    title: str
    minutes: int  #: about how long a first pass takes, practice quiz included
    topics: tuple[str, ...] = ()  #: quiz topics (``course.quiz.TOPICS``) that practise this module


#: The course in order. ``tests/course/test_progress.py`` keeps it equal to ``solutions/`` and to
#: the course map in ``00_start_here``.
MODULES: tuple[Module, ...] = (
    Module("00_start_here", "Start here", 20),
    Module("01_sqs_queues", "SQS queues", 120, ("sqs",)),
    Module("02_sqs_fifo", "SQS FIFO queues", 75, ("fifo",)),
    Module("03_sns_fanout", "SNS fan-out", 75, ("sns",)),
    Module("04_eventbridge_routing", "EventBridge routing", 75, ("eventbridge",)),
    Module("05_kinesis_streams", "Kinesis Data Streams and Firehose", 90, ("kinesis", "firehose")),
    Module("06_capstone_order_pipeline", "Capstone: the order pipeline", 90, ("choice",)),
    Module("07_exam_traps", "Exam traps and the practice exam", 210),
)


@dataclass(frozen=True)
class Exercise:
    """One graded check cell and how it went."""

    id: str  #: the check cell's nbgrader ``grade_id``, e.g. ``sqs-3``
    status: str  #: :data:`PASSED`, :data:`FAILED` or :data:`NOT_RUN`
    message: str = ""  #: for a failure: the check's lesson (or why the cell failed)
    requirement: str = ""  #: for a failure: ``<exercise>/<slug>``, when the check named one

    @property
    def summary(self) -> str:
        """The first line of the message: what was wrong."""
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


@dataclass(frozen=True)
class ModuleProgress:
    """A module's exercises as read from the learner's notebook (or re-run, see ``source``)."""

    module: Module
    path: Path
    exercises: tuple[Exercise, ...] = ()
    problem: str = ""  #: why the notebook could not be read ("" when it was)
    source: str = "saved"  #: ``"saved"`` (read from the file) or ``"run"`` (re-run by ``course check``)

    def count(self, status: str) -> int:
        """How many exercises have ``status``."""
        return sum(exercise.status == status for exercise in self.exercises)

    @property
    def passed(self) -> int:
        return self.count(PASSED)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def not_run(self) -> int:
        return self.count(NOT_RUN)

    @property
    def complete(self) -> bool:
        """Every exercise's visible check passed (hidden tests may still find something)."""
        return bool(self.exercises) and self.passed == len(self.exercises)


@dataclass(frozen=True)
class TopicScore:
    """Quiz answers on one topic over every saved run (quiz widget, ``course quiz``, practice exam)."""

    topic: str
    title: str
    right: int
    asked: int

    @property
    def rate(self) -> float | None:
        """Share answered right, or None when never asked."""
        return self.right / self.asked if self.asked else None

    @property
    def weak(self) -> bool:
        """Practised, and below the practice exam's pass mark."""
        return self.asked > 0 and self.right / self.asked < PASS_MARK


@dataclass(frozen=True)
class ExamResult:
    """The most recent practice exam in the quiz history."""

    when: str
    right: int
    asked: int

    @property
    def rate(self) -> float:
        return self.right / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Progress:
    """Everything the progress views show."""

    notebooks: Path  #: the folder the learner's notebooks were read from
    modules: tuple[ModuleProgress, ...]
    quiz: dict[str, TopicScore] = field(default_factory=dict)
    exam: ExamResult | None = None
    next_step: str = ""

    def module(self, module_id: str) -> ModuleProgress:
        """The progress of one module by id."""
        return next(m for m in self.modules if m.module.id == module_id)


# -- where things are ----------------------------------------------------------------------------
def being_graded() -> bool:
    """True in a kernel that ``course grade`` is grading (where reading notebooks is refused)."""
    return bool(os.environ.get(GRADING_ENVIRONMENT))


def course_root(start: Path | None = None) -> Path:
    """The course folder (the one holding ``nbgrader_config.py`` and ``notebooks/``).

    Searched from ``start`` (default: the working directory, which in a notebook's kernel is the
    notebook's folder) upwards, else the checkout this package runs from. The runtime may not import
    ``instructor.paths``, hence this small twin of its ``course_root``.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "notebooks").is_dir():
            return folder
    return Path(__file__).resolve().parents[1]


def notebooks_folder(folder: str | os.PathLike[str] | None = None) -> Path:
    """The folder with the learner's notebooks: ``folder`` if given, else ``notebooks/`` of the course."""
    return Path(folder).expanduser().resolve() if folder else course_root() / "notebooks"


def notebook_path(folder: Path, module_id: str) -> Path:
    """Where a module's notebook is: ``<folder>/<id>/<id>.ipynb``."""
    return folder / module_id / f"{module_id}.ipynb"


# -- reading a notebook --------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _is_check(cell: Mapping[str, Any]) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    # a graded *code* cell that is not an answer cell: the check cells (manual grading has no check)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def exercise_from_cell(cell: Mapping[str, Any]) -> Exercise:
    """The status of one check cell from its saved outputs (see the module's docstring)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = str(meta.get("grade_id") or cell.get("id") or "?")
    outputs = cell.get("outputs") or []
    for output in outputs:
        if output.get("output_type") == "error":
            message = _ANSI.sub("", _text(output.get("evalue"))) or _text(output.get("ename"))
            found = _REQUIREMENT.search(message)
            lesson = _REQUIREMENT.sub("", message).strip()
            return Exercise(grade_id, FAILED, lesson, found.group(1) if found else "")
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            said = _ANSI.sub("", _text(output.get("text"))).strip().splitlines()
            return Exercise(grade_id, FAILED, "the cell wrote to stderr, which nbgrader scores 0"
                            + (f": {said[-1]}" if said else ""))
    for output in outputs:
        if output.get("output_type") == "stream" and _SUCCESS.search(_text(output.get("text"))):
            return Exercise(grade_id, PASSED)
    # no verdict saved: never run, run but not saved, or interrupted before the check printed
    return Exercise(grade_id, NOT_RUN)


def read_exercises(path: Path) -> tuple[Exercise, ...]:
    """Every check cell of the notebook at ``path``, in order, with its status.

    Raises ``OSError`` when the file cannot be read and ``ValueError`` when it is not a notebook.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a Jupyter notebook (no list of cells)")
    return tuple(exercise_from_cell(cell) for cell in data["cells"] if isinstance(cell, dict) and _is_check(cell))


def read_module(module: Module, folder: Path) -> ModuleProgress:
    """A module's progress from its saved notebook in ``folder``; a problem instead of a crash."""
    path = notebook_path(folder, module.id)
    if not path.is_file():
        return ModuleProgress(module, path, problem="no notebook yet")
    try:
        return ModuleProgress(module, path, read_exercises(path))
    except (OSError, ValueError) as error:
        return ModuleProgress(module, path, problem=f"could not read the notebook ({error})")


# -- the quiz history ----------------------------------------------------------------------------
def quiz_scores(runs: Sequence[Mapping[str, Any]]) -> dict[str, TopicScore]:
    """Every quiz topic with its score over all saved runs (a topic never asked: 0 of 0)."""
    rates = history.topic_rates(list(runs))
    return {topic: TopicScore(topic, title, *rates.get(topic, (0, 0))) for topic, title in TOPICS.items()}


def last_exam(runs: Sequence[Mapping[str, Any]]) -> ExamResult | None:
    """The most recent practice exam in the history, if any."""
    exams = [run for run in runs if run.get("mode") == "exam"]
    if not exams:
        return None
    answers = exams[-1]["answers"]
    return ExamResult(str(exams[-1].get("when", "")), sum(bool(a.get("correct")) for a in answers), len(answers))


# -- what next -----------------------------------------------------------------------------------
def _label(module: Module) -> str:
    return f"{module.id[:2]} · {module.title}"


def next_step(modules: Iterable[ModuleProgress], quiz: Mapping[str, TopicScore],
              exam: ExamResult | None = None) -> str:
    """The one thing to do next, in course order.

    The first module with a failed check (fix it), else with a check not run yet (carry on there),
    else whose practice quiz was never taken; then the weakest quiz topic below the pass mark; then
    the practice exam.
    """
    for progress in modules:
        module, label = progress.module, _label(progress.module)
        if progress.problem:
            return f"Open {label} (notebooks/{module.id}/{module.id}.ipynb) and work through it"
        failed = [e for e in progress.exercises if e.status == FAILED]
        if failed:
            first = failed[0]
            return f"Fix {first.id} in {label}: {first.summary}" if first.summary else f"Fix {first.id} in {label}"
        waiting = [e for e in progress.exercises if e.status == NOT_RUN]
        if waiting:
            return f"Continue {label}: run {waiting[0].id} (then save the notebook)"
        untried = [t for t in module.topics if t in quiz and not quiz[t].asked]
        if untried:
            return f"Take the practice quiz at the end of {label} (topic {untried[0]!r})"
    weak = sorted((score for score in quiz.values() if score.weak), key=lambda s: s.right / s.asked)
    if weak:
        return (f"Practise {weak[0].title} ({weak[0].right}/{weak[0].asked} right so far): "
                f"course quiz --topic {weak[0].topic}")
    if exam is None or exam.rate < PASS_MARK:
        return "Take the practice exam: the end of 07 · Exam traps, or `course quiz --exam`"
    return "Every check passes and the practice exam is above the pass mark: book the exam"


# -- everything ----------------------------------------------------------------------------------
def collect(notebooks: str | os.PathLike[str] | None = None, *,
            runs: Sequence[Mapping[str, Any]] | None = None, history_path: Path | None = None,
            replaced: Mapping[str, ModuleProgress] | None = None,
            modules: Sequence[Module] = MODULES) -> Progress:
    """The learner's progress: saved notebooks in ``notebooks`` (default: the course's), quiz history.

    ``runs`` (the quiz history's records) defaults to the saved history at ``history_path``
    (default: :func:`course.quiz.history.results_path`). ``replaced`` gives modules whose exercises
    were worked out another way (``course progress --run`` re-runs them) instead of read.
    """
    folder = notebooks_folder(notebooks)
    replaced = replaced or {}
    found = tuple(replaced.get(module.id) or read_module(module, folder) for module in modules)
    runs = list(runs) if runs is not None else history.load_runs(history_path)
    quiz = quiz_scores(runs)
    exam = last_exam(runs)
    return Progress(folder, found, quiz, exam, next_step(found, quiz, exam))
