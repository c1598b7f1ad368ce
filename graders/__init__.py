"""Grading for the course: named checks that read and exercise the mocked cloud.

Test cells in the notebooks are one to three lines, e.g.::

    from graders import sqs as check
    check.visibility_timeout(cloud, configure_for_lambda)

A check raises :class:`graders.check.CheckFailed` (an ``AssertionError``) with a teaching message,
or prints its praise and returns ``None``.
"""

from graders.check import CheckFailed, fail, passed

__all__ = ["CheckFailed", "fail", "passed"]

