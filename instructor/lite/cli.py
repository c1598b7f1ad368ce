"""``course lite``: build the browser-only site of the course."""

from __future__ import annotations

import argparse
from pathlib import Path

from instructor.paths import course_root

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``course lite`` to the ``course`` command."""
    from instructor.lite.site import DEFAULT_CACHE, DEFAULT_OUTPUT

    lite = commands.add_parser("lite", help="build the course as a static JupyterLite site (runs in a browser tab)")
    lite.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"site folder (default: {DEFAULT_OUTPUT})")
    lite.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                      help=f"Pyodide core, build environment and wheels, kept between builds (default: {DEFAULT_CACHE})")
    lite.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from instructor.lite.site import build

    output = build(course_root(), args.output, args.cache)
    print(f"course lite: the site is in {output}; serve that folder with any static web server, e.g.\n"
          f"  python -m http.server --bind 127.0.0.1 --directory {output} 8000   then open http://127.0.0.1:8000/lab/")
    return 0
