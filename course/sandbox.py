"""The sandbox: one call starts the mocked cloud for a notebook.

>>> import course
>>> cloud = course.start()          # idempotent: re-running the setup cell changes nothing
>>> sqs = cloud.client("sqs")
>>> cloud.advance(60)               # a minute passes for every mocked service, instantly

By default the cloud is moto, in this process, with fake credentials, the course clock, the
network guard and the AWS rules moto lacks (:mod:`course.sqs_rules`). A real endpoint is used only
when the learner asks for it by name: ``course.start(endpoint_url=...)`` for LocalStack or a moto
server, ``course.start(real_aws=True)`` for an AWS account.
"""

from __future__ import annotations

import importlib
import inspect
import os
import socket
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from course.clock import Clock
from course.errors import SandboxNotStartedError
from course.guard import NetworkGuard
from course.ipython import install_error_display

__all__ = ["Sandbox", "start", "current", "stop", "REGION", "ACCOUNT_ID"]

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
#: Modules that make moto behave as AWS does where a lesson depends on it (or just faster, with
#: the same behaviour). Each has ``install()`` and ``uninstall()``; they are installed in this
#: order and removed in reverse.
AWS_BEHAVIOUR_MODULES = (
    "course.sqs_rules",
    "course.fifo_rules",
    "course.sns_filter.install",
    "course.sns_fifo",
    "course.event_patterns.install",
    "course.event_limits",
    "course.kinesis.routing",
    "course.kinesis.firehose",
    "course.moto_speedups",
)
_current: Sandbox | None = None


class Sandbox:
    """A running mocked cloud: clients, the course clock and the network guard."""

    def __init__(self, backend: str = "moto", endpoint_url: str | None = None) -> None:
        self.backend = backend
        self.endpoint_url = endpoint_url
        self.region = REGION
        self.account_id = ACCOUNT_ID
        self.clock = Clock()
        self.guard: NetworkGuard | None = None
        self._mock: Any = None
        self._server: Any = None
        self._saved_env: dict[str, str | None] = {}

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
        return _current is self

    def __repr__(self) -> str:
        where = self.endpoint_url or "in this kernel"
        return f"<Sandbox {self.backend} {where}, region {self.region}, clock +{self.clock.offset:g}s>"

    # -- lifecycle -----------------------------------------------------------------------------
    def _start(self) -> None:
        if self.backend == "real_aws":
            return  # the learner asked for their own account: no mock, no guard, no fake keys
        self._set_env(_FAKE_CREDENTIALS)
        self.guard = NetworkGuard()
        if self.endpoint_url:
            self.guard.allow(urlsplit(self.endpoint_url).hostname or "")
        self.guard.install()
        if self.backend in ("moto", "moto_server"):
            from moto import mock_aws

            self._mock = mock_aws()
            self._mock.start()
            self.clock.install()
            for name in AWS_BEHAVIOUR_MODULES:
                install = importlib.import_module(name).install
                # a module that reacts to the course clock is given the sandbox
                install(self) if "sandbox" in inspect.signature(install).parameters else install()
        if self.backend == "moto_server":
            from moto.server import ThreadedMotoServer

            port = _free_port()
            self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            self._server.start()
            self.endpoint_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        """Stop the mocked cloud and undo every patch; its state is gone."""
        global _current
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._mock is not None:
            for name in reversed(AWS_BEHAVIOUR_MODULES):
                importlib.import_module(name).uninstall()
        self.clock.uninstall()
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        if self.guard is not None:
            self.guard.uninstall()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        if _current is self:
            _current = None

    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value


def start(
    *,
    endpoint_url: str | None = None,
    moto_server: bool = False,
    real_aws: bool = False,
) -> Sandbox:
    """Start the course's mocked cloud (once per kernel) and return it.

    Calling it again returns the same running sandbox, with its queues and clock intact, so a
    setup cell can be re-run safely. The keyword arguments choose another backend explicitly:

    * ``moto_server=True`` - moto as a local HTTP server on 127.0.0.1, for several processes;
    * ``endpoint_url="http://127.0.0.1:4566"`` - an endpoint you run (LocalStack, moto server);
      the network guard allows that host and nothing else;
    * ``real_aws=True`` - your own AWS account: no mock and no guard. It costs money.
    """
    global _current
    if real_aws:
        backend = "real_aws"
    elif endpoint_url:
        backend = "endpoint"
    elif moto_server:
        backend = "moto_server"
    else:
        backend = "moto"
    if _current is not None:
        if _current.backend == backend and (endpoint_url is None or endpoint_url == _current.endpoint_url):
            return _current
        _current.stop()
    sandbox = Sandbox(backend, endpoint_url)
    sandbox._start()
    _current = sandbox
    install_error_display()
    return sandbox


def current() -> Sandbox:
    """The running sandbox; a clear error if the setup cell has not run in this kernel."""
    if _current is None:
        raise SandboxNotStartedError()
    return _current


def stop() -> None:
    """Stop the running sandbox, if any."""
    if _current is not None:
        _current.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
