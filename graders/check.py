"""The shape every check shares: pass quietly with a line of praise, or fail with a lesson.

nbgrader scores a graded cell by its outputs (DESIGN.md, "How nbgrader scores a graded cell"): an
error output gives 0, *any* stderr gives 0, a numeric last value is read as points and any other
last value gives full marks. So a check here

* raises :class:`CheckFailed` (an ``AssertionError``) on failure, with a message that says what
  was wrong, why it matters on AWS and what to try next - never the expected answer;
* returns ``None`` on success and prints its praise to stdout;
* never writes to stderr, never warns.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

__all__ = ["CheckFailed", "call_learner", "fail", "passed", "quiet"]


class CheckFailed(AssertionError):
    """A check failed; the message teaches. Shown in a notebook without a traceback."""

    #: course.ipython shows a ``concise`` exception as its message alone.
    concise = True

    def __init__(self, exercise: str, problem: str, why: str = "", hint: str = "") -> None:
        self.exercise = exercise
        self.problem = problem
        self.why = why
        self.hint = hint
        lines = [f"[{exercise}] {problem}"]
        if why:
            lines.append(f"Why it matters: {why}")
        if hint:
            lines.append(f"Hint: {hint}")
        super().__init__("\n".join(lines))


def fail(exercise: str, problem: str, why: str = "", hint: str = "") -> NoReturn:
    """Fail the check for ``exercise`` with a teaching message."""
    raise CheckFailed(exercise, problem, why, hint)


def passed(exercise: str, message: str) -> None:
    """Report success on stdout (nbgrader ignores stdout when scoring)."""
    print(f"\u2714 [{exercise}] {message}")


def call_learner(exercise: str, function: Any, *args: Any, _reseal: Any = sys.audit, **kwargs: Any) -> Any:
    """Call the learner's answer function and turn the usual mistakes into lessons.

    * not a function (a cell above was not run, or the name was reused) -> says which to define;
    * the release stub (``raise NotImplementedError()``) -> "you have not answered yet";
    * an AWS error (botocore ``ClientError``) -> AWS's code and message, and that it came from
      the answer, not from the grader.

    Under ``course grade`` the grader is re-sealed when the learner's function returns, so a function
    that patches ``graders`` while it runs cannot change the verdict (``_reseal`` is bound when the
    check starts, out of the learner's reach).
    """
    name = getattr(function, "__name__", None) or repr(function)
    if not callable(function):
        fail(
            exercise,
            f"expected a function here, got {type(function).__name__} {function!r}.",
            hint="run the answer cell above (it defines the function), then this cell again.",
        )
    try:
        try:
            with quiet():
                return function(*args, **kwargs)
        finally:
            _reseal("course.autograde.reseal")  # instructor.autograde.seal.RESEAL_EVENT
    except NotImplementedError:
        fail(
            exercise,
            f"`{name}` is not answered yet: it still raises NotImplementedError.",
            hint=f"replace `raise NotImplementedError()` in `{name}` with your code and run that cell.",
        )
    except CheckFailed:
        raise
    except Exception as exc:
        code = _aws_error_code(exc)
        if code:
            fail(
                exercise,
                f"`{name}` called AWS and AWS refused: {code}: {_aws_error_message(exc)}",
                hint="read AWS's message: it names the parameter or value it rejected.",
            )
        fail(
            exercise,
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


def checked(exercise: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a check so unexpected grader errors become a clear message, not a traceback."""

    def decorate(check: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                with quiet():
                    check(*args, **kwargs)
            except CheckFailed:
                raise
            except Exception as exc:
                code = _aws_error_code(exc)
                if code in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                    fail(
                        exercise,
                        "the queue this check looks at does not exist (any more).",
                        why="the mocked cloud lives in this kernel: after a kernel restart, or if "
                        "a cell deleted the queue, it is gone.",
                        hint="run the notebook from the top (Run > Run All Above), then this cell.",
                    )
                if code:
                    fail(exercise, f"AWS refused a call: {code}: {_aws_error_message(exc)}")
                fail(exercise, f"the check could not run: {type(exc).__name__}: {exc}",
                     hint="did a cell above fail? Run the notebook from the top, then this cell.")
            return None

        run.__name__ = check.__name__
        run.__qualname__ = check.__qualname__
        run.__doc__ = check.__doc__
        run.__wrapped__ = check  # type: ignore[attr-defined]
        return run

    return decorate


def _aws_error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None


def _aws_error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Message", str(exc))
