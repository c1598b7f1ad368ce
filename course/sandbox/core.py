"""The sandbox: a mocked cloud for one kernel, with the course clock and the network guard.

The cloud is moto, in this process, with fake credentials, by default. A real endpoint is used only
when the learner asks for it by name (``endpoint_url=...`` for LocalStack or a moto server,
``real_aws=True`` for an AWS account); ``course.start()`` (:mod:`course.session`) chooses.

The sandbox knows no AWS service. It is given an ordered list of :class:`Behaviour` objects
(:data:`course.aws.BEHAVIOURS`), installs each into the running moto, and keeps every patch,
clock listener, piece of state and environment variable they register in its
:class:`~course.sandbox.registry.Registry`; :meth:`Sandbox.stop` undoes all of it.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from course.sandbox.clock import Clock
from course.sandbox.guard import NetworkGuard
from course.sandbox.registry import Registry

__all__ = ["ACCOUNT_ID", "Behaviour", "GRADER_BACKEND", "REGION", "Sandbox", "in_grader"]

REGION = "us-east-1"
#: moto's default account id.
ACCOUNT_ID = "123456789012"
_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


#: the backend of a cloud kept in another process: a graded notebook's ``course.start()``
#: (``course.remote.RemoteCloud``) reaches the grader's cloud over a socket and has no registry
GRADER_BACKEND = "grader"


def in_grader(cloud: Any) -> bool:
    """Is ``cloud`` the grader's, reached from a graded learner kernel (so its state is not here)?"""
    return getattr(type(cloud), "backend", None) == GRADER_BACKEND


@dataclass(frozen=True)
class Behaviour:
    """One service's AWS rules for moto: a name, what it fixes, and how to install it.

    ``install(sandbox)`` registers every patch, listener and table on ``sandbox.registry`` and
    nothing anywhere else, so stopping the sandbox removes it.
    """

    name: str
    fixes: str
    install: Callable[["Sandbox"], None]


class Sandbox:
    """A running mocked cloud: clients, the course clock and the network guard."""

    def __init__(self, backend: str = "moto", endpoint_url: str | None = None,
                 behaviours: Sequence[Behaviour] = ()) -> None:
        self.backend = backend
        self.endpoint_url = endpoint_url
        self.behaviours = tuple(behaviours)
        self.region = REGION
        self.account_id = ACCOUNT_ID
        self.clock = Clock()
        self.registry = Registry(self.clock)
        self.guard: NetworkGuard | None = None
        self._running = False

    # -- the learner's API --------------------------------------------------------------------
    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` bound to this sandbox (region and endpoint set).

        Against moto a refused call is not retried: moto never fails transiently, and botocore's
        retries of a throttling-class code (``LimitExceededException``: a sixth target on an
        EventBridge rule) would sleep for real before the learner sees the error. A ``config``
        passed in wins over this default.
        """
        kwargs.setdefault("region_name", self.region)
        if self.endpoint_url:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        if self.backend in ("moto", "moto_server"):
            once = Config(retries={"total_max_attempts": 1})
            kwargs["config"] = once.merge(kwargs["config"]) if kwargs.get("config") else once
        return boto3.client(service, **kwargs)

    def advance(self, seconds: float) -> None:
        """Move the course clock forward; visibility timeouts, delays, windows expire."""
        self.clock.advance(seconds)

    def now(self) -> Any:
        """The course's current time (aware UTC datetime): pass it to AWS, not ``datetime.now()``."""
        return self.clock.now()

    @property
    def running(self) -> bool:
        return self._running

    def __repr__(self) -> str:
        where = self.endpoint_url or "in this kernel"
        return f"<Sandbox {self.backend} {where}, region {self.region}, clock +{self.clock.offset:g}s>"

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Sandbox:
        """Start the backend; against moto, install the clock and every behaviour in order."""
        self._running = True
        if self.backend == "real_aws":
            return self  # the learner asked for their own account: no mock, no guard, no fake keys
        self.registry.set_env(_FAKE_CREDENTIALS)
        self.guard = NetworkGuard()
        if self.endpoint_url:
            self.guard.allow(urlsplit(self.endpoint_url).hostname or "")
        self.guard.install()
        self.registry.on_undo(self.guard.uninstall)
        self.registry.set_env(self.guard.environment())
        if self.backend in ("moto", "moto_server"):
            from moto import mock_aws

            mock = mock_aws()
            mock.start()
            self.registry.on_undo(mock.stop)
            self.clock.install()
            self.registry.on_undo(self.clock.uninstall)
            for behaviour in self.behaviours:
                behaviour.install(self)
        if self.backend == "moto_server":
            from moto.server import ThreadedMotoServer

            port = _free_port()
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            server.start()
            self.registry.on_undo(server.stop)
            self.endpoint_url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop the mocked cloud and undo everything it changed; its state is gone."""
        self.registry.undo()
        self._running = False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
