"""The ``course`` command: ``course lab | check <notebook> | release [id ...] | quiz | grade <id>``."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from instructor.paths import assignment_ids, course_root

__all__ = ["main"]

FIRST_NOTEBOOK = "notebooks/00_start_here/00_start_here.ipynb"


def _lab(args: argparse.Namespace) -> int:
    root = course_root()
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}"]
    if args.port:
        command.append(f"--port={args.port}")
    if args.ip:
        command.append(f"--ip={args.ip}")
    if args.no_browser:
        command.append("--no-browser")
    if _is_root():
        # JupyterLab refuses to start as root without this ("Running as root is not recommended")
        print("course lab: running as root (e.g. in a container): adding --allow-root", file=sys.stderr)
        command.append("--allow-root")
    if (root / FIRST_NOTEBOOK).exists():
        command.append(FIRST_NOTEBOOK)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    # cwd = the course root: nbgrader's Lab extensions read nbgrader_config.py from there
    return subprocess.call(command, cwd=root, env=env)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _check(args: argparse.Namespace) -> int:
    import nbformat

    from instructor.check import check_notebook, format_report

    path = Path(args.notebook)
    if not path.is_file():
        print(f"course check: no notebook at {path}", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        print(f"course check: {path} is not a valid notebook (its JSON is broken: {error})", file=sys.stderr)
        return 2
    try:
        nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises several types for a non-notebook
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"course check: {path} is JSON but not a Jupyter notebook ({reason})", file=sys.stderr)
        return 2
    timeout = args.timeout or _course_timeout()
    results = check_notebook(path.resolve(), timeout=timeout)
    if not results:
        print(f"course check: {path} has no graded cells (no nbgrader checks to run)", file=sys.stderr)
        return 2
    print(format_report(results))
    return 0 if all(r.passed for r in results) else 1


def _course_timeout(default: int = 30) -> int:
    """The per-cell time limit autograde uses (``Execute.timeout`` in the course's nbgrader config)."""
    try:
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root())).load_config()
        return int(config.Execute.timeout) if "timeout" in config.Execute else default
    except Exception:  # noqa: BLE001 - no course around this notebook: nbgrader's default
        return default


def _release(args: argparse.Namespace) -> int:
    from instructor.nbgrader_api import release

    root = course_root()
    ids = args.ids or assignment_ids(root)
    unknown = sorted(set(ids) - set(assignment_ids(root)))
    if unknown:
        print(f"course release: no source notebook for {', '.join(unknown)} in solutions/", file=sys.stderr)
        return 2
    for assignment_id in ids:
        print(f"released {release(root, assignment_id).relative_to(root)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``course`` command's parser, with every subcommand."""
    parser = argparse.ArgumentParser(prog="course", description="Event-driven AWS messaging, hands-on.")
    commands = parser.add_subparsers(dest="command", required=True)

    lab = commands.add_parser("lab", help="open the course in JupyterLab")
    lab.add_argument("--port", type=int, help="port for JupyterLab (default: its own)")
    lab.add_argument("--ip", help="address JupyterLab listens on (default: its own, localhost)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.set_defaults(run=_lab)

    check = commands.add_parser("check", help="run a notebook's checks headless; exit 1 if any fails")
    check.add_argument("notebook", help="path to a .ipynb file")
    check.add_argument("--timeout", type=int, help="seconds per cell (default: the course's autograde limit, 30)")
    check.set_defaults(run=_check)

    release = commands.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    release.add_argument("ids", nargs="*", help="assignment ids (default: all)")
    release.set_defaults(run=_release)

    _register_features(commands)
    return parser


def _register_features(commands: argparse._SubParsersAction) -> None:
    """Subcommands that live with their feature: ``quiz`` (the learner runtime), ``grade`` (the pipeline),
    ``insight`` (the class report), ``progress`` (a learner's progress), ``lite`` (the browser-only site)."""
    from course.quiz.cli import register as register_quiz
    from instructor.autograde.cli import register as register_grade
    from instructor.insight.cli import register as register_insight
    from instructor.lite.cli import register as register_lite
    from instructor.progress_cli import register as register_progress

    register_quiz(commands)
    register_grade(commands)
    register_insight(commands)
    register_progress(commands)
    register_lite(commands)


def main(argv: list[str] | None = None) -> int:
    """Run the ``course`` command with ``argv`` (default: the command line); returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
