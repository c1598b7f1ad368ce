"""``course progress``: the learner's progress in the terminal.

    course progress                         # saved notebooks in notebooks/, quiz history
    course progress --notebooks ~/my-copy   # another folder with <id>/<id>.ipynb inside
    course progress --run 01_sqs_queues     # re-run that module headless through `course check`

By default nothing runs: a check's status is read from the cell's saved outputs (see
:mod:`course.progress`). ``--run`` executes the module's notebook in a fresh kernel, as
``course check`` does, without writing to it. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import IO, Any

from course import progress as model

__all__ = ["register", "run", "format_progress", "module_from_check"]

WIDTH = 96
_MARK = {model.PASSED: "\u2714", model.FAILED: "\u2718", model.NOT_RUN: "\u00b7"}


def register(subparsers: Any) -> None:
    """Add the ``progress`` subcommand to the ``course`` command's subparsers."""
    parser = subparsers.add_parser(
        "progress", help="which exercises pass in your saved notebooks, quiz scores, what to do next",
        description="Read your saved notebooks (each check cell's last saved output) and your quiz history, "
                    "and say what to do next. Nothing is run unless you ask with --run; nothing leaves "
                    "this machine.")
    parser.add_argument("--notebooks", metavar="FOLDER",
                        help="folder with your notebooks as <id>/<id>.ipynb (default: notebooks/ of the course)")
    parser.add_argument("--run", dest="rerun", metavar="MODULE", action="append", default=[],
                        help="re-run this module's notebook headless through `course check` instead of "
                             "reading its saved outputs (repeatable; 'all' for every module)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per cell with --run (default 30)")
    parser.set_defaults(run=run)


def module_from_check(module: model.Module, path: Path, results: list[Any]) -> model.ModuleProgress:
    """A module's progress from ``course check``'s results (``instructor.check.CellResult``)."""
    exercises = []
    for result in results:
        if result.manual:
            continue
        if result.passed:
            exercises.append(model.Exercise(result.grade_id, model.PASSED))
            continue
        message = result.message
        requirement = ""
        lines = message.rstrip().splitlines()
        if lines and lines[-1].startswith("Requirement: "):
            requirement = lines[-1].removeprefix("Requirement: ").strip()
            message = "\n".join(lines[:-1])
        status = model.NOT_RUN if message.startswith("not run") else model.FAILED
        exercises.append(model.Exercise(result.grade_id, status, message, requirement))
    return model.ModuleProgress(module, path, tuple(exercises), source="run")


def _rerun(ids: list[str], folder: Path, timeout: int, out: IO[str]) -> dict[str, model.ModuleProgress] | str:
    from instructor.check import check_notebook

    known = {module.id: module for module in model.MODULES}
    wanted = list(known) if "all" in ids else ids
    unknown = [i for i in wanted if i not in known]
    if unknown:
        return f"no module {', '.join(unknown)}; modules: {', '.join(known)}"
    replaced = {}
    for module_id in wanted:
        path = model.notebook_path(folder, module_id)
        if not path.is_file():
            continue  # reported as "no notebook yet" like any other missing notebook
        print(f"running {module_id} ...", file=out, flush=True)
        replaced[module_id] = module_from_check(known[module_id], path,
                                                check_notebook(path.resolve(), timeout=timeout))
    return replaced


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def format_progress(report: model.Progress) -> str:
    """The report as plain text: a block per module, quiz scores by topic, the next step."""
    lines = [f"Your progress - saved notebooks in {report.notebooks}", ""]
    for item in report.modules:
        module = item.module
        head = f"{module.id[:2]} {module.title} (~{module.minutes} min)"
        if item.problem:
            lines.append(f"{head}: {item.problem}")
            continue
        if not item.exercises:
            lines.append(f"{head}: no checks")
            continue
        counts = f"{item.passed}/{len(item.exercises)} passed"
        if item.failed:
            counts += f", {item.failed} failed"
        if item.not_run:
            counts += f", {item.not_run} not run"
        if item.source == "run":
            counts += " (just re-run)"
        lines.append(f"{head}: {counts}")
        lines.append("   " + "  ".join(f"{_MARK[e.status]} {e.id}" for e in item.exercises))
        for exercise in item.exercises:
            if exercise.status == model.FAILED:
                lines += _wrap(f"{_MARK[model.FAILED]} {exercise.id}: {exercise.summary}", "   ")
                if exercise.requirement:
                    lines.append(f"     Requirement: {exercise.requirement}")
    lines += ["", "Quiz (every saved run: quiz widget, course quiz, practice exam)"]
    for score in report.quiz.values():
        result = f"{score.right}/{score.asked} ({score.right / score.asked:.0%})" if score.asked else "not practised"
        weak = "  <- weak" if score.weak else ""
        lines.append(f"   {score.title:<24} {result}{weak}")
    if report.exam is not None:
        lines.append(f"   last practice exam: {report.exam.right}/{report.exam.asked} ({report.exam.rate:.0%})")
    lines += ["", f"Next: {report.next_step}", "",
              "A pass is the visible check as last saved; graded with nbgrader, hidden tests also try edge "
              "cases. `course progress --run <module>` re-runs one."]
    return "\n".join(lines)


def run(args: argparse.Namespace, *, stdout: IO[str] | None = None) -> int:
    """Print the progress report; 2 for an unknown module in ``--run``, else 0."""
    out = stdout or sys.stdout
    folder = model.notebooks_folder(args.notebooks)
    replaced: dict[str, model.ModuleProgress] = {}
    # `args.run` is the subcommand's entry point (cli.main calls it), hence `rerun`
    if args.rerun:
        outcome = _rerun(args.rerun, folder, args.timeout, out)
        if isinstance(outcome, str):
            print(f"course progress: {outcome}", file=sys.stderr)
            return 2
        replaced = outcome
    print(format_progress(model.collect(folder, replaced=replaced)), file=out)
    return 0
