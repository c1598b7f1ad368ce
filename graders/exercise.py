"""An exercise, declared once: its id, its title and the requirements its checks judge.

Each check module declares its exercises at the top, e.g.::

    SQS_3 = Exercise("sqs-3", "Visibility timeout for a Lambda consumer", {
        "visibility-at-least-timeout": "the visibility timeout is at least the function timeout",
        "visibility-at-least-6x": "the visibility timeout is at least 6x the function timeout",
    })

and injects it into its named checks::

    @SQS_3.check
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NoReturn

from graders.check import CheckFailed, call_learner, checked

__all__ = ["COMMON_REQUIREMENTS", "Exercise", "UndeclaredRequirement"]

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
