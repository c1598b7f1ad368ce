"""The checks, as a graded learner's kernel sees them: not here.

While ``course grade`` grades a notebook, the checks run in the grader's trusted process and the
learner's kernel has no ``graders`` package (its answer keys and hidden arguments must not be
readable there). The grader puts this folder on the kernel's ``PYTHONPATH`` so that a setup cell's
``from graders import sqs as check`` still runs. A check called here (a lesson cell showing a
question, ``check.ask(...)``) does nothing: the graded cells that call checks run in the grader.
"""

from __future__ import annotations

from typing import Any


class _Checks:
    """A check module's stand-in."""

    def __init__(self, name: str) -> None:
        self.__name__ = f"graders.{name}"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def check(*args: Any, **kwargs: Any) -> None:
            return None

        return check


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return _Checks(name)
