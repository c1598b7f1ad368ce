"""An exercise, declared once: its id, its title and the requirements its checks judge.

Each check module's exercises are declared in a data file, ``graders/exercises/<module>.toml``::

    [exercises.sqs-3]
    title = "Visibility timeout for a Lambda consumer"
    include = ["visibility"]          # a requirement set of this file; "resources.queue-url": of another

    [exercises.sqs-3.requirements]
    no-duplicates-when-slow = "a message processed slowly by Lambda is not processed twice"

    [sets.visibility]                 # requirements one shared helper judges, for every exercise using it
    visibility-at-least-6x = "the visibility timeout is at least six times the function timeout"

The module loads them once and injects each into its named check::

    EXERCISES = declared_in("sqs")

    @EXERCISES["sqs-3"].check
    def visibility_for_lambda(ex: Exercise, cloud: Sandbox, configure_for_lambda: Callable) -> None:
        ex.call_learner(configure_for_lambda, sqs, url, 30)
        if visibility < 180:
            ex.fail("visibility-at-least-6x", "the visibility timeout is ...", why=..., hint=...)
        ex.passed("visibility timeout ...")

The notebook calls ``check.visibility_for_lambda(cloud, configure_for_lambda)``: the exercise is
bound by the decorator. A check reused by another notebook is run with that notebook's exercise,
so its lesson carries the other label and requirement ids.

A failure names the requirement it judged with a stable id, ``<exercise>/<slug>``: the last line of
the message (``Requirement: sqs-3/visibility-at-least-6x``) lets an instructor count failures per
requirement from nbgrader's saved outputs. Slugs are fixed words, never argument values, so a hidden
test's values cannot leak through them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, NoReturn

from graders.check import CheckFailed, call_learner, checked

__all__ = ["COMMON_REQUIREMENTS", "DECLARATIONS", "Exercise", "UndeclaredRequirement", "declared_in", "every_declared"]

#: Requirements every exercise has: judged by :func:`graders.check.call_learner` and
#: :func:`graders.check.checked` for any answer.
COMMON_REQUIREMENTS: Mapping[str, str] = MappingProxyType({
    "answer-is-function": "the name the test cell passes is a function (its answer cell was run)",
    "answer-implemented": "the answer no longer raises the release stub's NotImplementedError",
    "answer-accepted-by-aws": "every AWS call the answer makes is accepted",
    "answer-runs": "the answer runs without raising",
    "resources-exist": "the resources the check reads still exist (the notebook ran from the top)",
    "check-runs": "the check itself could run to the end",
})

_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


class UndeclaredRequirement(LookupError):
    """A check judged a requirement its exercise does not declare (a grader bug, not a learner's)."""


@dataclass(frozen=True, slots=True)
class Exercise:
    """One graded exercise: ``id`` (``sqs-3``), ``title``, and ``requirements`` (slug -> one line).

    Frozen and without an instance ``__dict__``: a learner's code cannot shadow ``fail`` or
    ``passed`` on the object a check holds.
    """

    id: str
    title: str
    requirements: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"exercise id {self.id!r}: lowercase words joined by '-', e.g. 'sqs-3'")
        own = dict(self.requirements)
        for slug in own:
            if not _ID.fullmatch(slug):
                raise ValueError(f"{self.id}: requirement {slug!r}: lowercase words joined by '-'")
        clash = sorted(own.keys() & COMMON_REQUIREMENTS.keys())
        if clash:
            raise ValueError(f"{self.id}: {clash} are common to every exercise; declare only its own")
        object.__setattr__(self, "requirements", MappingProxyType({**own, **COMMON_REQUIREMENTS}))

    def requirement_id(self, slug: str) -> str:
        """The stable id ``<exercise>/<slug>``; raises :class:`UndeclaredRequirement` for an unknown slug."""
        if slug not in self.requirements:
            raise UndeclaredRequirement(f"{self.id} declares no requirement {slug!r}")
        return f"{self.id}/{slug}"

    def fail(self, requirement: str, problem: str, *, why: str = "", hint: str = "") -> NoReturn:
        """Fail this exercise's check on ``requirement`` (a declared slug) with a teaching message."""
        raise CheckFailed(self.id, self.requirement_id(requirement), problem, why, hint)

    def passed(self, message: str) -> None:
        """Report success on stdout (nbgrader ignores stdout when scoring)."""
        print(f"\u2714 [{self.id}] {message}")

    def call_learner(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the learner's ``function``; its usual mistakes fail this exercise with a lesson."""
        return call_learner(self, function, *args, **kwargs)

    def check(self, function: Callable[..., None]) -> Callable[..., None]:
        """Decorate ``function(ex, *args)`` into the notebook's check ``function(*args)`` for this exercise."""
        return checked(self, function)


#: The folder of the declarations, one ``<module>.toml`` per check module (shipped as package data).
DECLARATIONS = resources.files("graders") / "exercises"


def _read(folder: Any, module: str) -> dict[str, Any]:
    with (folder / f"{module}.toml").open("rb") as file:
        return tomllib.load(file)


def _requirement_set(folder: Any, module: str, name: str) -> dict[str, str]:
    """The set ``name`` (``set`` in ``module``'s file, or ``other.set`` in ``other``'s)."""
    owner, _, set_name = name.rpartition(".")
    sets = _read(folder, owner or module).get("sets", {})
    if set_name not in sets:
        raise ValueError(f"{module}.toml includes {name!r}, a requirement set no declaration file has")
    return sets[set_name]


@cache
def declared_in(module: str, folder: Any = DECLARATIONS) -> Mapping[str, Exercise]:
    """The exercises ``<folder>/<module>.toml`` declares, by id, in the file's order.

    An exercise's requirements are the sets it includes, in order, then its own.
    """
    exercises = {}
    for exercise_id, declaration in _read(folder, module).get("exercises", {}).items():
        requirements: dict[str, str] = {}
        for name in declaration.get("include", ()):
            requirements.update(_requirement_set(folder, module, name))
        requirements.update(declaration.get("requirements", {}))
        exercises[exercise_id] = Exercise(exercise_id, declaration["title"], requirements)
    return MappingProxyType(exercises)


def every_declared(folder: Any = DECLARATIONS) -> Mapping[str, Exercise]:
    """Every exercise of every declaration file, by id; an id declared in two files is refused."""
    found: dict[str, Exercise] = {}
    for path in sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml")):
        for exercise_id, exercise in declared_in(path.removesuffix(".toml"), folder).items():
            if exercise_id in found:
                raise ValueError(f"exercise {exercise_id!r} is declared twice (again in {path})")
            found[exercise_id] = exercise
    return MappingProxyType(found)
