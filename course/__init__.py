"""Event-driven AWS messaging, hands-on: the learner runtime.

Notebooks start with ``cloud = course.start()`` (or ``%load_ext course``); see
:mod:`course.session`. The layers and where each kind of change goes are in
``docs/architecture.md``.
"""

from course.sandbox import CourseError, NetworkBlockedError, Sandbox, SandboxNotStartedError
from course.session import current, start, stop

__all__ = [
    "CourseError",
    "NetworkBlockedError",
    "Sandbox",
    "SandboxNotStartedError",
    "current",
    "start",
    "stop",
]
__version__ = "0.1.0"


def load_ipython_extension(ipython):  # pragma: no cover - thin IPython hook
    """``%load_ext course`` starts the sandbox and binds it to ``cloud`` in the notebook."""
    ipython.push({"cloud": start()})
