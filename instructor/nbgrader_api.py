"""nbgrader's own API, configured from a course root's ``nbgrader_config.py``.

Used by ``course release``, ``course grade`` and the tests so every notebook goes through nbgrader
itself, in process, instead of paying ~2.6 s of CLI start-up per call. Two of nbgrader's module
functions are replaced to make that fast (:func:`patched`); the replacements are in place only while
an :class:`CourseAPI` call, or a ``with patched():`` block, runs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbgrader.api
from nbgrader.apps import NbGraderAPI

__all__ = ["CourseAPI", "api_for", "patched", "release"]


def _fast_alembic_version(original: Callable[[], str]) -> Callable[[], str]:
    """Answer nbgrader's "which gradebook schema?" question in process, once per block.

    Every time nbgrader creates a gradebook it runs the ``alembic heads`` program to learn the
    newest schema revision: ~2.6 s of start-up for a constant of the installed nbgrader. Reading
    the same revision from nbgrader's own migration scripts with alembic's API takes a
    millisecond. The original is kept as the fallback.
    """

    @functools.lru_cache(maxsize=1)
    def get_alembic_version() -> str:
        try:
            from alembic.script import ScriptDirectory
            from nbgrader.dbutil import ALEMBIC_DIR

            head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
        except Exception:  # noqa: BLE001 - any surprise: ask the program, as nbgrader does
            head = None
        return head or original()

    return get_alembic_version


def _shared_engines(original: Callable[..., Any], engines: dict[tuple, Any]) -> Callable[..., Any]:
    """One SQLAlchemy engine per gradebook (kept in ``engines``), instead of one per ``Gradebook(...)``.

    nbgrader opens the gradebook about ten times per autograded notebook, each time with a new
    engine, so SQLAlchemy compiles every query again (its compiled-statement cache lives on the
    engine). A shared engine keeps the cache (measured: merging one student's grades 39 -> 22 ms of
    CPU, autograding one notebook about 10-20 ms less); ``Gradebook.close`` still returns its
    connections. Keyed by process, so a forked worker never uses its parent's connections.
    """

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        key = (os.getpid(), str(url), args, tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = original(url, *args, **kwargs)
        return engines[key]

    return create_engine


@contextlib.contextmanager
def _venv_on_path() -> Iterator[None]:
    # nbgrader creates a gradebook by running the `alembic` program by name (the fallback above):
    # make sure the one installed beside this Python is found even when the venv is not activated
    bin_dir = str(Path(sys.executable).parent)
    before = os.environ.get("PATH")
    if bin_dir in (before or "").split(os.pathsep):
        yield
        return
    os.environ["PATH"] = bin_dir + os.pathsep + (before or "")
    try:
        yield
    finally:
        now = os.environ.get("PATH", "").split(os.pathsep)
        if bin_dir in now:
            now.remove(bin_dir)
        # whatever else changed PATH meanwhile stays; only the entry added here goes
        if before is None and not any(now):
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = os.pathsep.join(now)


class _Patches:
    """The state of :func:`patched`: how many blocks are open and how to undo the patches."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.stack: contextlib.ExitStack | None = None

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.stack = self._install()
            self.depth += 1

    def exit(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.stack is not None:
                stack, self.stack = self.stack, None
                stack.close()

    @staticmethod
    def _install() -> contextlib.ExitStack:
        stack = contextlib.ExitStack()
        engines: dict[tuple, Any] = {}
        for name, replacement in (("get_alembic_version", _fast_alembic_version(nbgrader.api.get_alembic_version)),
                                  ("create_engine", _shared_engines(nbgrader.api.create_engine, engines))):
            stack.callback(setattr, nbgrader.api, name, getattr(nbgrader.api, name))
            setattr(nbgrader.api, name, replacement)
        stack.callback(_dispose, engines)
        stack.enter_context(_venv_on_path())
        return stack


def _dispose(engines: dict[tuple, Any]) -> None:
    for (pid, *_), engine in engines.items():
        if pid == os.getpid():
            engine.dispose()
    engines.clear()


_PATCHES = _Patches()


@contextlib.contextmanager
def patched() -> Iterator[None]:
    """nbgrader with the course's speed-ups, for the duration of the block. Re-entrant, thread-safe.

    Inside the outermost block, ``nbgrader.api.get_alembic_version`` answers from alembic's API,
    ``nbgrader.api.create_engine`` shares one engine per gradebook, and this venv's ``bin`` is on
    ``PATH``. When it ends, all three are as they were and the shared engines are disposed.

    A process forked inside a block (a ``course grade`` worker) keeps the patches for its whole
    life: it never leaves the block it was forked in, and that is intended (every submission it
    grades reuses the engines).
    """
    _PATCHES.enter()
    try:
        yield
    finally:
        _PATCHES.exit()


def _inside_patches(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        with patched():
            return method(*args, **kwargs)

    return call


class CourseAPI(NbGraderAPI):
    """nbgrader's ``NbGraderAPI``; each of its public methods runs inside :func:`patched`."""


# every public method nbgrader defines on its API: nbgrader's work happens inside one of them
for _name, _member in vars(NbGraderAPI).items():
    if isinstance(_member, types.FunctionType) and not _name.startswith("_"):
        setattr(CourseAPI, _name, _inside_patches(_member))
del _name, _member


def api_for(root: Path, **overrides: Any) -> CourseAPI:
    """A :class:`CourseAPI` for the course at ``root`` (its config file, plus ``overrides``).

    ``overrides`` are ``"Class.trait": value`` pairs, e.g. ``{"Execute.timeout": 10}``.
    """
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    extra = Config()
    for key, value in overrides.items():
        section, trait = key.split(".")
        extra[section][trait] = value
    config.merge(extra)
    coursedir = CourseDirectory(config=config)
    return CourseAPI(coursedir=coursedir, config=config)


def release(root: Path, assignment_id: str) -> Path:
    """Generate ``notebooks/<id>/<id>.ipynb`` from ``solutions/<id>/`` with nbgrader.

    Raises ``RuntimeError`` with nbgrader's log if generation fails.
    """
    result = api_for(root).generate_assignment(assignment_id, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not release {assignment_id}:\n{result.get('error') or result.get('log')}")
    return root / "notebooks" / assignment_id / f"{assignment_id}.ipynb"
