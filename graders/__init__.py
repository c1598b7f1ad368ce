"""Grading for the course: named checks that read and exercise the mocked cloud.

Test cells in the notebooks are one to three lines, e.g.::

    from graders import sqs as check
    check.visibility_timeout(cloud, configure_for_lambda)

A check raises :class:`graders.check.CheckFailed` (an ``AssertionError``) with a teaching message,
or prints its praise and returns ``None``.
"""

from graders.check import CheckFailed, fail, passed

__all__ = ["CheckFailed", "fail", "passed"]


def _show_check_failures_without_traceback() -> None:
    """In IPython, show a failed check as its lesson instead of a traceback.

    The cell still ends in an ``error`` output (so nbgrader scores it 0); only the text shown
    is the check's message rather than a stack of grader internals.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return

    def show(shell, etype, value, tb, tb_offset=None):  # noqa: ARG001 - IPython's signature
        return ["\x1b[1;31mCheck failed\x1b[0m " + str(value)]

    shell.set_custom_exc((CheckFailed,), show)


_show_check_failures_without_traceback()
