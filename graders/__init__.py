"""Grading for the course: named checks that read and exercise the mocked cloud.

Test cells in the notebooks are one to three lines, e.g.::

    from graders import sqs as check
    check.visibility_for_lambda(cloud, configure_for_lambda)

Each check module declares its exercises once (:class:`graders.exercise.Exercise`: an id, a title
and the requirements its checks judge). A check raises :class:`graders.check.CheckFailed` (an
``AssertionError``) with a teaching message that ends with the requirement it judged, or prints its
praise and returns ``None``.
"""

from graders.check import CheckFailed
from graders.exercise import Exercise

__all__ = ["CheckFailed", "Exercise"]
