"""How errors look in a notebook: lessons instead of grader tracebacks, hints instead of puzzles.

IPython allows one custom exception handler per shell, so the course installs a single one (from
``course.start()``) covering:

* exceptions marked ``concise`` (a failed check, :class:`graders.check.CheckFailed`): shown as their
  message alone - the learner needs the lesson, not a stack of grader internals;
* ``NameError``: the usual traceback plus a hint, because in a notebook it nearly always means a
  cell above was not run (or the kernel restarted and the mocked cloud with it).

The cell still ends in an ``error`` output, so nbgrader scores it as failed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install_error_display"]

NAME_ERROR_HINT = (
    "Hint: a name from a cell above is missing. Run the cells above this one "
    "(Run > Run All Above). After a kernel restart everything defined earlier is gone, "
    "including the mocked cloud: run the notebook from the top."
)


def install_error_display(shell: Any = None) -> bool:
    """Install the course's error display in the running IPython shell; False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with Jupyter
            return False
        shell = get_ipython()
    if shell is None:
        return False
    # Only these two types: a broader tuple would also catch SyntaxError before IPython's own
    # (better) display of it.
    shell.set_custom_exc((AssertionError, NameError), _show)
    return True


def _show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> list[str]:
    if getattr(value, "concise", False):
        lines = ["\x1b[1;31mCheck failed\x1b[0m " + str(value)]
    else:
        lines = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        if issubclass(etype, NameError):
            lines = [*lines, "\x1b[1;33m" + NAME_ERROR_HINT + "\x1b[0m"]
    # IPython only *computes* a custom traceback; publishing it (the kernel's `error` output,
    # which nbgrader scores) is the handler's job.
    shell._showtraceback(etype, value, lines)
    return lines
