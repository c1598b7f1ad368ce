"""The sandbox: a mocked cloud for one kernel, and the machinery AWS behaviours plug into.

This is the bottom layer of the course (see ``docs/architecture.md``): it knows no AWS service.
It owns the course clock (:mod:`course.sandbox.clock`), the network guard
(:mod:`course.sandbox.guard`) and a registry of patches, clock listeners and state
(:mod:`course.sandbox.registry`) that every behaviour registers with and that :meth:`Sandbox.stop`
undoes.
"""

from course.sandbox.core import ACCOUNT_ID, GRADER_BACKEND, REGION, Behaviour, Sandbox, in_grader
from course.sandbox.errors import CourseError, NetworkBlockedError, SandboxNotStartedError

__all__ = ["ACCOUNT_ID", "GRADER_BACKEND", "REGION", "Behaviour", "CourseError", "NetworkBlockedError", "Sandbox",
           "SandboxNotStartedError", "in_grader"]
