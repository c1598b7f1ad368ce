"""The shape every check shares: pass quietly with a line of praise, or fail with a lesson.

nbgrader scores a graded cell by its outputs (docs/architecture.md, "How nbgrader scores a graded
cell"): an error output gives 0, *any* stderr gives 0, a numeric last value is read as points and
any other last value gives full marks. So a check here

* raises :class:`CheckFailed` (an ``AssertionError``) on failure, with a message that says what
  was wrong, why it matters on AWS and what to try next - never the expected answer - and, on its
  last line, the id of the requirement it judged (``Requirement: sqs-3/visibility-at-least-6x``);
* returns ``None`` on success and prints its praise to stdout;
* never writes to stderr, never warns.

Checks do not call this module directly: they go through their :class:`graders.exercise.Exercise`
(``ex.fail``, ``ex.call_learner``, ``ex.passed``), which names the exercise and its requirements.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graders.exercise import Exercise

__all__ = ["REQUIREMENT_PREFIX", "CheckFailed", "SharedDict", "aws_error_code", "aws_error_message",
           "call_learner", "checked", "quiet"]

#: How the last line of a failure's message starts; an instructor report finds the requirement there.
REQUIREMENT_PREFIX = "Requirement: "


class CheckFailed(AssertionError):
    """A check failed; the message teaches. Shown in a notebook without a traceback."""

    #: course.ipython shows a ``concise`` exception as its message alone.
    concise = True

    def __init__(self, exercise: str, requirement: str, problem: str, why: str = "", hint: str = "") -> None:
        #: the exercise id, e.g. ``"sqs-3"``
        self.exercise = exercise
        #: the requirement id, ``<exercise>/<slug>``, e.g. ``"sqs-3/visibility-at-least-6x"``
        self.requirement = requirement
        #: what was wrong
        self.problem = problem
        #: why it matters on AWS (may be empty)
        self.why = why
        #: what to try next (may be empty)
        self.hint = hint
        lines = [f"[{exercise}] {problem}"]
        if why:
            lines.append(f"Why it matters: {why}")
        if hint:
            lines.append(f"Hint: {hint}")
        lines.append(f"{REQUIREMENT_PREFIX}{requirement}")
        super().__init__("\n".join(lines))

    def retold(self, problem: str, why: str = "", hint: str = "") -> CheckFailed:
        """The same failure (exercise and requirement) told with another lesson, e.g. in a fault's context."""
        return CheckFailed(self.exercise, self.requirement, problem, why, hint)


class SharedDict(dict):
    """A dict that the learner's code fills in (e.g. a store a handler writes to), seen by the check.

    In one kernel it is just a dict. When ``course grade`` runs the learner's code in another process
    (docs/architecture.md, "Grading in two processes"), a plain dict crosses as a copy; a
    ``SharedDict`` crosses by reference: the learner's code reads and writes this very dict.
    """


def call_learner(exercise: Exercise, function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's answer function for ``exercise`` and turn the usual mistakes into lessons.

    * not a function (a cell above was not run, or the name was reused) -> says which to define;
    * the release stub (``raise NotImplementedError()``) -> "you have not answered yet";
    * an AWS error (botocore ``ClientError``) -> AWS's code and message, and that it came from
      the answer, not from the grader.

    Under ``course grade`` ``function`` is a :class:`~instructor.autograde.trusted.LearnerFunction`:
    the call runs in the learner's kernel, with plain data (docs/architecture.md, "Grading in two
    processes").
    """
    name = getattr(function, "__name__", None) or repr(function)
    if not callable(function):
        exercise.fail(
            "answer-is-function",
            f"expected a function here, got {type(function).__name__} {function!r}.",
            hint="run the answer cell above (it defines the function), then this cell again.",
        )
    try:
        with quiet():
            return function(*args, **kwargs)
    except NotImplementedError:
        exercise.fail(
            "answer-implemented",
            f"`{name}` is not answered yet: it still raises NotImplementedError.",
            hint=f"replace `raise NotImplementedError()` in `{name}` with your code and run that cell.",
        )
    except CheckFailed:
        raise
    except Exception as exc:
        code = aws_error_code(exc)
        if code:
            exercise.fail(
                "answer-accepted-by-aws",
                f"`{name}` called AWS and AWS refused: {code}: {aws_error_message(exc)}",
                hint="read AWS's message: it names the parameter or value it rejected.",
            )
        exercise.fail(
            "answer-runs",
            f"`{name}` raised {type(exc).__name__}: {exc}",
            hint="run your function on its own in a cell to see the full traceback.",
        )


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence warnings and logging while a check runs: stderr would make nbgrader score 0."""
    previous = logging.root.manager.disable
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        try:
            yield
        finally:
            logging.disable(previous)


def checked(exercise: Exercise, check: Callable[..., None]) -> Callable[..., None]:
    """``check`` run for ``exercise``: called as ``check(exercise, *args)``, returning None.

    Unexpected grader errors become a clear message, not a traceback.
    """

    def run(*args: Any, **kwargs: Any) -> None:
        try:
            with quiet():
                check(exercise, *args, **kwargs)
        except CheckFailed:
            raise
        except Exception as exc:
            code = aws_error_code(exc)
            if code in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                exercise.fail(
                    "resources-exist",
                    "the queue this check looks at does not exist (any more).",
                    why="the mocked cloud lives in this kernel: after a kernel restart, or if "
                    "a cell deleted the queue, it is gone.",
                    hint="run the notebook from the top (Run > Run All Above), then this cell.",
                )
            if code:
                exercise.fail("check-runs", f"AWS refused a call: {code}: {aws_error_message(exc)}")
            exercise.fail("check-runs", f"the check could not run: {type(exc).__name__}: {exc}",
                          hint="did a cell above fail? Run the notebook from the top, then this cell.")
        return None

    run.__name__ = check.__name__
    run.__qualname__ = check.__qualname__
    run.__doc__ = check.__doc__
    run.__wrapped__ = check  # type: ignore[attr-defined]
    return run


def aws_error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ``ClientError`` (None for any other exception)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None


def aws_error_message(exc: BaseException) -> str:
    """AWS's message of a botocore ``ClientError`` (the exception's text for any other)."""
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Message", str(exc))
