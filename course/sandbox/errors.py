"""Errors the course raises for the learner, each with a message that says what to do next."""

from __future__ import annotations

__all__ = ["CourseError", "NetworkBlockedError", "SandboxNotStartedError"]


class CourseError(Exception):
    """Base class of the course's own errors."""


class NetworkBlockedError(CourseError, ConnectionRefusedError):
    """A connection to a non-loopback address was refused by the course's network guard.

    It is a ``ConnectionRefusedError`` so code that already handles network failures handles it.
    """

    def __init__(self, host: str, via: str) -> None:
        self.host = host
        self.via = via
        super().__init__(
            f"This course runs offline: {via} tried to reach {host!r}, and the course's network "
            "guard refused it before any packet left this machine. Every AWS call here goes to "
            "the mocked cloud that `course.start()` runs in this kernel. If you meant to use a "
            "real endpoint, say so explicitly: `course.start(endpoint_url='http://127.0.0.1:4566')` "
            "for LocalStack or a moto server, or `course.start(real_aws=True)` for your own AWS "
            "account (it costs money and needs credentials)."
        )


class SandboxNotStartedError(CourseError, RuntimeError):
    """A check or helper needed the mocked cloud, but it was not started in this kernel."""

    def __init__(self) -> None:
        super().__init__(
            "The mocked cloud is not running in this kernel. Run the setup cell at the top of "
            "the notebook (`cloud = course.start()`) and then re-run the cells above this one."
        )
