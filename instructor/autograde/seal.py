"""The grading kernel's seal: installed in every autograde kernel before the learner's first cell.

A submission runs in the same Python process as the checks that grade it, so it could try to:

* change the grader: ``graders.sqs.visibility_timeout = lambda *a, **k: None``. The seal keeps a
  snapshot of every ``graders`` and ``course`` module (and of their functions' code and classes)
  and puts it back before every cell runs and whenever a learner function returns to a check;
* read the hidden tests or the solutions from disk (the source notebooks, the gradebook, any
  ``.ipynb`` including the one being graded, the course's git history): refused by an audit hook;
* run a program to do that for it (``subprocess``, ``os.system``): refused;
* reach the network: refused for any address that is not loopback, before DNS.

In-process grading cannot be made proof against every trick (``ctypes`` can write memory), so the
seal aims at the ones a learner can find in a tutorial; the instructor table flags the rest by what
they cause (a timeout, a dead kernel). The seal is configured from ``COURSE_AUTOGRADE_SEAL`` (JSON:
``{"deny": [paths], "allow": [paths], "log": path}``) set by the grading worker, which reads
what was undone or refused back from ``log`` and flags it for the instructor.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import sys
import types
from typing import Any

from course.sandbox.guard import is_loopback
from graders.check import LEARNER_RETURNED  # the audit event a learner's function raises on returning to a check

__all__ = ["ENVIRONMENT", "LEARNER_RETURNED", "import_graders", "install", "snapshot_packages"]

ENVIRONMENT = "COURSE_AUTOGRADE_SEAL"
SEALED_PACKAGES = ("graders", "course")
_LINK_EVENTS = {"os.symlink", "os.link"}
_SPAWN_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                 "os.forkpty", "pty.spawn", "os.startfile"}
_installed = False


class Snapshot:
    """What the sealed packages looked like before the learner's code ran, and how to put it back."""

    def __init__(self, code_only: tuple[str, ...] = ("course",)) -> None:
        # ``graders`` keeps no state: all of it is sealed. ``course`` is the learner's runtime and
        # keeps state (the running sandbox, the guard): only its code is sealed.
        self.code_only = code_only
        self.modules: dict[str, types.ModuleType] = {}
        self.globals: dict[str, dict[str, Any]] = {}
        self.functions: dict[types.FunctionType, tuple] = {}
        self.classes: dict[type, dict[str, Any]] = {}

    def add(self, module: types.ModuleType) -> None:
        """Seal ``module`` as it is now."""
        name = module.__name__
        self.modules[name] = module
        code_only = name.split(".")[0] in self.code_only
        self.globals[name] = {key: value for key, value in vars(module).items() if not code_only or _is_code(value)}
        for value in vars(module).values():
            if isinstance(value, types.FunctionType) and value.__module__ == name:
                self._keep_function(value)
            elif isinstance(value, type) and value.__module__ == name:
                self.classes[value] = dict(vars(value))
                for member in vars(value).values():
                    function = getattr(member, "__func__", member)
                    if isinstance(function, types.FunctionType):
                        self._keep_function(function)

    _modules_seen = 0

    def add_new(self, packages: tuple[str, ...]) -> None:
        """Seal the modules of ``packages`` imported since the last call (by trusted code: see install)."""
        if len(sys.modules) == self._modules_seen:
            return
        self._modules_seen = len(sys.modules)
        for name, module in list(sys.modules.items()):
            if name not in self.modules and name.split(".")[0] in packages and isinstance(module, types.ModuleType) \
                    and not name.startswith("instructor.autograde"):
                self.add(module)

    def _keep_function(self, function: types.FunctionType) -> None:
        self.functions[function] = (function.__code__, function.__defaults__, function.__kwdefaults__)

    def restore(self) -> list[str]:
        """Put every sealed module, function and class back; returns the names that had changed."""
        changed = []
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules['{name}']")
            namespace, original = vars(module), self.globals[name]
            if name.split(".")[0] in self.code_only:
                for key, value in original.items():
                    if namespace.get(key, _MISSING) is not value:
                        changed.append(f"{name}.{key}")
                        namespace[key] = value
            elif namespace.keys() != original.keys() or any(namespace.get(k, _MISSING) is not v
                                                            for k, v in original.items()):
                changed += [f"{name}.{key}" for key in sorted(namespace.keys() | original.keys())
                            if namespace.get(key, _MISSING) is not original.get(key, _MISSING)]
                namespace.clear()
                namespace.update(original)
        for function, (code, defaults, kwdefaults) in self.functions.items():
            if function.__code__ is not code or function.__defaults__ is not defaults \
                    or function.__kwdefaults__ is not kwdefaults:
                changed.append(f"{function.__module__}.{function.__qualname__}")
                function.__code__, function.__defaults__, function.__kwdefaults__ = code, defaults, kwdefaults
        for cls, original in self.classes.items():
            current = vars(cls)
            if len(current) == len(original) and all(current.get(k, _MISSING) is v for k, v in original.items()):
                continue
            for key in current.keys() - original.keys():
                changed.append(f"{cls.__module__}.{cls.__qualname__}.{key}")
                type.__delattr__(cls, key)
            for key, value in original.items():
                if current.get(key, _MISSING) is not value and key not in ("__dict__", "__weakref__"):
                    changed.append(f"{cls.__module__}.{cls.__qualname__}.{key}")
                    type.__setattr__(cls, key, value)
        return changed


_MISSING = object()


def _is_code(value: Any) -> bool:
    return isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type))


class _NotebookNames:
    """The notebook's names for grader objects (``check``, ``cloud``), kept bound to the real thing.

    Test cells call ``check.some_check(cloud, answer)`` through names the locked setup cell bound;
    rebinding ``check`` or ``cloud`` to a stand-in would fool them as surely as patching the module.
    """

    def __init__(self) -> None:
        self.bound: dict[str, Any] = {}

    @staticmethod
    def _sealed(value: Any) -> bool:
        if isinstance(value, types.ModuleType):
            return value.__name__.split(".")[0] in SEALED_PACKAGES
        return type(value).__module__ == "course.sandbox.core"  # the notebook's `cloud`

    def restore(self) -> list[str]:
        """Rebind the notebook's grader names; returns the names that had been rebound."""
        changed: list[str] = []
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:
            return changed
        if shell is None:
            return changed
        namespace = shell.user_ns
        for name, value in self.bound.items():
            if namespace.get(name, _MISSING) is not value and not self._sealed(namespace.get(name)):
                namespace[name] = value
                changed.append(f"the notebook's name `{name}`")
        for name, value in list(namespace.items()):
            if name not in self.bound and not name.startswith("_") and self._sealed(value):
                self.bound[name] = value
        return changed


def import_graders() -> None:
    """Import every module of ``graders`` except this pipeline."""
    import graders

    for info in pkgutil.walk_packages(graders.__path__, prefix="graders."):
        if not info.name.startswith("instructor.autograde"):
            with contextlib.suppress(Exception):  # an optional module that cannot import grades nothing
                importlib.import_module(info.name)


def snapshot_packages(packages: tuple[str, ...] = SEALED_PACKAGES) -> Snapshot:
    """Import all of ``graders`` (except this pipeline) and snapshot it with what it imported of ``course``.

    ``course`` modules imported later (by the notebook's locked setup cell) are sealed before the
    next cell runs. Importing all of ``course`` here would cost a second per kernel (nbformat's
    schema validator) for modules no check uses.
    """
    import_graders()
    snapshot = Snapshot()
    snapshot.add_new(packages)
    return snapshot


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def install(config: dict | None = None) -> None:
    """Seal this (kernel) process. Idempotent; a no-op outside ``course grade`` without ``config``."""
    global _installed
    if _installed:
        return
    if config is None:
        raw = os.environ.get(ENVIRONMENT)
        if not raw:
            return
        config = json.loads(raw)
    # both spellings of each folder: paths are compared as strings, without a syscall per open
    deny = sorted({form(p) for p in config.get("deny", []) for form in (os.path.abspath, os.path.realpath)})
    allow = sorted({form(p) for p in config.get("allow", []) for form in (os.path.abspath, os.path.realpath)})
    snapshot = snapshot_packages()
    abspath, fspath = os.path.abspath, os.fspath
    cell_marks = ("ipykernel_", "<ipython-input")

    def refused_path(path: Any) -> str | None:
        if isinstance(path, int):
            return None
        try:
            name = fspath(path)
            if isinstance(name, bytes):
                name = name.decode(errors="replace")
            full = abspath(name)  # symlinks cannot smuggle a path past this: making links is refused
        except (TypeError, ValueError, OSError):
            return None
        if full.endswith((".ipynb", ".ipynb.bak")) or (_under(full, deny) and not _under(full, allow)):
            return full
        return None

    names = _NotebookNames()
    # opened before the hook exists: the learner's code cannot open it, and writes need no open
    log = open(config["log"], "a", encoding="utf-8", buffering=1) if config.get("log") else None  # noqa: SIM115
    reported: set[str] = set()

    def note(kind: str, detail: str) -> None:
        if log is not None and (kind, detail) not in reported:
            reported.add((kind, detail))
            log.write(json.dumps({"kind": kind, "detail": detail}) + "\n")

    def reseal() -> None:
        snapshot.add_new(SEALED_PACKAGES)
        changed = snapshot.restore() + names.restore()
        if changed:
            note("changed-grader", ", ".join(changed))

    def hook(event: str, args: tuple) -> None:
        if event == "exec":
            code = args[0] if args else None
            # a notebook cell is about to run (IPython compiles cells to files named like these)
            if isinstance(code, types.CodeType) and any(mark in code.co_filename for mark in cell_marks):
                reseal()
        elif event == LEARNER_RETURNED:
            reseal()
        elif event in ("open", "sqlite3.connect", "os.listdir", "os.scandir"):
            refused = refused_path(args[0]) if args else None
            if refused is not None:
                note("read-refused", refused)
                raise PermissionError(f"autograde: reading {refused} is not allowed while grading")
        elif event in _LINK_EVENTS:
            note("read-refused", f"a link to {args[0] if args else '?'}")
            raise PermissionError("autograde: making links is not allowed while grading")
        elif event in _SPAWN_EVENTS:
            note("program-refused", event)
            raise PermissionError(f"autograde: starting programs ({event}) is not allowed while grading")
        elif event in ("socket.connect", "socket.sendto", "socket.bind"):
            address = args[1] if len(args) > 1 else None
            # a Unix socket (a path) is local; an empty host binds this machine's own interfaces
            if isinstance(address, tuple) and address and address[0] != "" and not is_loopback(address[0]):
                note("network-refused", str(address[0]))
                raise PermissionError(f"autograde: network access to {address[0]} is not allowed while grading")
        elif event == "socket.getaddrinfo":
            if args and not is_loopback(args[0]):
                note("network-refused", str(args[0]))
                raise PermissionError(f"autograde: looking up {args[0]!r} is not allowed while grading")

    sys.addaudithook(hook)
    _installed = True
