"""The trusted process of one graded notebook: the cloud, the clock, the checks and the hidden tests.

Under ``course grade`` a notebook is graded by two processes (docs/architecture.md, "Grading in
two processes"). This one, forked from the warm zygote, holds everything a submission must not
reach: it runs the notebook's setup cells (so ``cloud`` is a real sandbox and ``check`` the real
checks) and its test cells, with their hidden tests; the learner's kernel runs every other cell.
They meet on one Unix socket (:mod:`course.remote.wire`):

* the learner's AWS calls and clock ticks arrive as requests and are made here, on this cloud;
* a test cell's names that the setup did not define (the learner's answer functions and values)
  are looked up in the learner's kernel: data arrives as data, a function as a
  :class:`LearnerFunction` that calls the learner back with plain data.

The parent (the grading worker) talks to this process on a second socket that the learner's
kernel cannot see: a ``run`` command per setup or test cell, answered with what the cell printed
and how it failed, as text only (never a traceback: a traceback would show the hidden tests).
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import io
import itertools
import os
import re
import selectors
import socket
from typing import Any

from course.remote.values import Unsendable, decode, encode
from course.remote.wire import Channel, ChannelClosed, ProtocolError, RemoteError, rebuilt

__all__ = ["LearnerFunction", "LearnerGone", "Trusted", "main"]

#: what one test cell may print (the checks print one line of praise each)
MAX_OUTPUT = 256 * 1024
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
#: the options a learner's SqsEventSourceMapping may be made with in the grader
_MAPPING_OPTIONS = {"batch_size", "batching_window", "function_timeout", "processing_seconds",
                    "report_batch_item_failures", "concurrency", "function_name"}


def _allowed_methods(target: Any) -> tuple[str, ...]:
    """What the learner's code may call on an object the grader handed it, by the object's kind."""
    from course.aws.lambdas import Context, SqsEventSourceMapping
    from graders.check import SharedDict

    if isinstance(target, Context):  # a handler's context
        return ("spend", "get_remaining_time_in_millis")
    if isinstance(target, SqsEventSourceMapping):  # a poller the learner made
        return ("run", "poll_once", "invocations", "deliveries", "duplicates")
    if isinstance(target, SharedDict):  # a dict a check lets the learner's code fill in
        return ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__", "keys")
    return ()


class LearnerGone(BaseException):
    """The learner's kernel hung up, broke the protocol or was interrupted: the cell cannot go on.

    A ``BaseException``, so a check's ``except Exception`` does not turn it into a lesson.
    """


class LearnerError(Exception):
    """Base of the exceptions the learner's code raised, rebuilt here by name (never as objects)."""


class LearnerObject:
    """A value of the learner's that is not data (an object of a class the learner wrote)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object>"


class LearnerFunction:
    """A function of the learner's: calling it calls it in the learner's kernel, with plain data."""

    def __init__(self, trusted: Trusted, handle: int, name: str) -> None:
        self._trusted, self._handle = trusted, handle
        self.__name__ = self.__qualname__ = name if _NAME.match(name) else "function"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        trusted = self._trusted
        reply = trusted.ask("call", fn=self._handle, args=trusted.encode(list(args)), kwargs=trusted.encode(kwargs))
        return trusted.decode(reply)

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class LearnerNames(dict):
    """A test cell's local names: the cell's own, then (through the globals) the setup's, then the learner's.

    ``exec`` looks a name up here first; a name the setup cells or Python's builtins define is left
    to them (a learner cannot shadow ``check``, ``cloud`` or ``print``).
    """

    def __init__(self, trusted: Trusted) -> None:
        super().__init__()
        self._trusted = trusted

    def __missing__(self, name: str) -> Any:
        if name in self._trusted.names or hasattr(builtins, name):
            raise KeyError(name)
        value = self._trusted.lookup(name)
        self[name] = value
        return value


class Trusted:
    """The trusted side: the setup's names, the learner's channel and the handles given out."""

    def __init__(self, learner: socket.socket | None = None) -> None:
        self.names: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.learner: Channel | None = None
        self._handles: dict[int, Any] = {}
        self._numbers = itertools.count(1)
        self._clients: dict[tuple[str, str], Any] = {}
        if learner is not None:
            self.attach(learner)

    # -- the learner's end -----------------------------------------------------------------------------
    def attach(self, sock: socket.socket) -> None:
        self.learner = Channel(sock, {
            "hello": self._hello, "aws": self._aws, "advance": self._advance, "now": self._now,
            "offset": self._offset, "call": self._call_back, "method": self._method,
            "register_function": self._register_function, "mapping": self._mapping,
            "failed_deliveries": self._failed_deliveries,
        })
        self.learner.describe = _describe  # type: ignore[method-assign]

    def ask(self, op: str, **fields: Any) -> Any:
        """A request to the learner's kernel; its failures come back as the learner's exceptions."""
        if self.learner is None:
            raise LearnerGone("the learner's kernel never connected (did its setup cell run?)")
        try:
            return self.learner.request(op, **fields)
        except RemoteError as error:
            raise self._rebuilt(error) from None
        except (ChannelClosed, ProtocolError) as error:
            raise LearnerGone(f"the learner's kernel stopped answering: {error}") from None

    def lookup(self, name: str) -> Any:
        try:
            return self.decode(self.ask("lookup", name=name))
        except NameError:
            raise KeyError(name) from None

    def encode(self, value: Any) -> Any:
        return encode(value, self._tag)

    def decode(self, data: Any) -> Any:
        try:
            return decode(data, self._untag)
        except (Unsendable, ValueError, TypeError, KeyError) as error:
            raise LearnerGone(f"the learner's kernel sent a value that is not data: {error}") from None

    def _tag(self, value: Any) -> dict | None:
        from botocore.client import BaseClient
        from botocore.response import StreamingBody

        from course.aws.lambdas import Context, Invocation
        from course.sandbox import Sandbox

        if isinstance(value, LearnerFunction):
            return {"$learner": value._handle}
        if isinstance(value, Sandbox):
            return {"$cloud": 1}
        if isinstance(value, Invocation):
            return {"$invocation": encode(dataclasses.asdict(value))}
        if isinstance(value, StreamingBody):
            return {"$stream": encode(value.read())}
        from graders.check import SharedDict

        number = next(self._numbers)
        if isinstance(value, SharedDict):
            self._handles[number] = value
            return {"$shared": number}
        if isinstance(value, BaseClient):
            self._handles[number] = value
            return {"$client": number, "service": value.meta.service_model.service_name,
                    "region": value.meta.region_name}
        if isinstance(value, Context):
            self._handles[number] = value
            return {"$context": number, "function_name": value.function_name,
                    "aws_request_id": value.aws_request_id, "timeout_seconds": value.timeout_seconds}
        if callable(value):
            self._handles[number] = value
            return {"$fn": number, "name": str(getattr(value, "__name__", "callback"))}
        return None

    def _untag(self, tag: str, data: dict) -> Any:
        if tag == "$fn":
            return LearnerFunction(self, int(data["$fn"]), str(data.get("name", "function"))[:100])
        if tag == "$trusted":
            return self._handles[int(data["$trusted"])]
        if tag == "$cloud":
            return self.names.get("cloud")
        if tag == "$client":  # a client the learner made: the same service in this cloud
            number = int(data["$client"])
            if number in self._handles:
                return self._handles[number]
            return self._client(str(data["service"]), str(data["region"]))
        if tag == "$opaque":
            return _opaque(str(data["$opaque"]))()
        raise Unsendable(f"unknown tag {tag[:40]!r}")

    def _rebuilt(self, error: RemoteError) -> BaseException:
        if error.kind == "KeyboardInterrupt":
            return LearnerGone("the learner's code was interrupted (it ran out of time)")
        if isinstance(error.detail.get("response"), dict):
            from botocore.exceptions import ClientError

            response = error.detail["response"]
            return ClientError(response, str(error.detail.get("operation", ""))[:100])
        found = rebuilt(error, builtins)
        if found is not None:
            return found
        name = error.kind if _NAME.match(error.kind) else "LearnerError"
        return type(name, (LearnerError,), {})(str(error))

    # -- what the learner's kernel may ask -----------------------------------------------------------
    def _cloud(self) -> Any:
        cloud = self.names.get("cloud")
        if cloud is None:
            raise RuntimeError("the grader's setup cell did not start a cloud")
        return cloud

    def _hello(self, _: dict) -> dict:
        cloud = self._cloud()
        return {"region": cloud.region, "account_id": cloud.account_id}

    def _client(self, service: str, region: str) -> Any:
        if (service, region) in self._clients:
            return self._clients[(service, region)]
        import boto3

        if service not in boto3.session.Session().get_available_services():
            raise ValueError(f"no such AWS service: {service[:40]!r}")
        if not _REGION.match(region):
            raise ValueError(f"no such region: {region[:40]!r}")
        self._clients[(service, region)] = self._cloud().client(service, region_name=region)
        return self._clients[(service, region)]

    def _aws(self, message: dict) -> Any:
        from botocore import xform_name

        number = int(message.get("client") or 0)
        client = self._handles.get(number) if number else None
        if client is None or not hasattr(client, "meta"):
            client = self._client(str(message["service"]), str(message["region"]))
        operation = str(message["operation"])
        if operation not in client.meta.service_model.operation_names:
            raise ValueError(f"{client.meta.service_model.service_name} has no operation {operation[:60]!r}")
        params = decode(message.get("params", {}))
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise ValueError("the parameters of an AWS call are a dict of names")
        return self.encode(getattr(client, xform_name(operation))(**params))

    def _advance(self, message: dict) -> None:
        self._cloud().advance(float(message["seconds"]))

    def _now(self, _: dict) -> Any:
        return encode(self._cloud().now())

    def _offset(self, _: dict) -> float:
        return float(self._cloud().clock.offset)

    def _call_back(self, message: dict) -> Any:
        function = self._handles.get(int(message["fn"]))
        if function is None or not callable(function) or hasattr(function, "meta"):
            raise ValueError("no such function")
        args = self.decode(message.get("args", []))
        kwargs = self.decode(message.get("kwargs", {}))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ValueError("a call's arguments are a list and a dict")
        return self.encode(function(*args, **kwargs))

    def _method(self, message: dict) -> Any:
        """A method of an object the grader handed out, if its kind allows it (:func:`_allowed_methods`)."""
        target = self._handles.get(int(message["handle"]))
        name = str(message["method"])
        if name not in _allowed_methods(target):
            raise ValueError(f"no such method: {name[:60]!r}")
        args = self.decode(message.get("args", []))
        if not isinstance(args, list):
            raise ValueError("a method's arguments are a list")
        if name == "keys":  # a SharedDict's keys, as a list: a view would not cross
            return self.encode(list(target))
        found = getattr(target, name)
        return self.encode(found(*args) if callable(found) else found)

    def _mapping(self, message: dict) -> int:
        from course.aws.lambdas import SqsEventSourceMapping

        handler = self.decode(message["handler"])
        options = self.decode(message.get("options", {}))
        if not callable(handler) or not isinstance(options, dict) or not set(options) <= _MAPPING_OPTIONS:
            raise TypeError(f"SqsEventSourceMapping takes a handler and the options {sorted(_MAPPING_OPTIONS)}")
        mapping = SqsEventSourceMapping(self._cloud(), str(message["queue_url"]), handler, **options)
        number = next(self._numbers)
        self._handles[number] = mapping
        return number

    def _failed_deliveries(self, _: dict) -> Any:
        from course.aws.events.permissions import failed_deliveries

        return encode([dataclasses.asdict(record) for record in failed_deliveries(self._cloud())])

    def _register_function(self, message: dict) -> str:
        from course.aws.lambdas import register_function

        handler = self.decode(message["handler"])
        if not callable(handler):
            raise TypeError("a Lambda handler must be a function")
        return register_function(self._cloud(), str(message["name"])[:64], handler).arn

    # -- what the parent asks ------------------------------------------------------------------------
    def run(self, source: str, cell: int | None, name: str) -> dict:
        """Run a setup (``cell`` None) or test cell; what it printed and how it failed, as text."""
        out, err = io.StringIO(), io.StringIO()
        error = None
        code_locals = None if cell is None else LearnerNames(self)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = compile(source, f"<{name}>", "exec")
                exec(code, self.names, code_locals)  # noqa: S102 - the instructor's own cell
        except LearnerGone as gone:
            error = {"ename": "LearnerKernelError", "evalue": str(gone)}
        except BaseException as failure:  # noqa: BLE001 - reported as the cell's error, as text
            error = {"ename": type(failure).__name__, "evalue": str(failure)}
        finally:
            if cell is not None and self.learner is not None:
                with contextlib.suppress(ChannelClosed, ProtocolError):
                    self.learner.notify("done", cell=cell)
        return {"stdout": out.getvalue()[:MAX_OUTPUT], "stderr": err.getvalue()[:MAX_OUTPUT],
                "error": error and {k: v[:MAX_OUTPUT] for k, v in error.items()}}


_opaque_types: dict[str, type] = {}


def _opaque(name: str) -> type:
    name = name if _NAME.match(name) else "object"
    if name not in _opaque_types:
        _opaque_types[name] = type(name, (LearnerObject,), {})
    return _opaque_types[name]


def _describe(error: BaseException) -> dict:
    # what the learner's kernel is told when its request failed here: the type and message only
    described = {"type": type(error).__name__, "message": str(error)[:10_000]}
    response = getattr(error, "response", None)
    if isinstance(response, dict) and "Error" in response:
        described["response"] = encode(response)
        described["operation"] = str(getattr(error, "operation_name", ""))
    return described


def main(folder: str) -> None:
    """Serve one notebook: listen on ``folder``/parent.sock and ``folder``/learner.sock; never returns."""
    # the learner's socket first: once the parent can connect, both exist
    learner_listener = _listen(os.path.join(folder, "learner.sock"))
    parent_listener = _listen(os.path.join(folder, "parent.sock"))
    parent_sock, _ = parent_listener.accept()
    parent_listener.close()
    parent = Channel(parent_sock)
    trusted = Trusted()
    selector = selectors.DefaultSelector()
    selector.register(parent_sock, selectors.EVENT_READ, "parent")
    selector.register(learner_listener, selectors.EVENT_READ, "listener")
    while True:
        for key, _ in selector.select():
            if key.data == "listener":  # the learner's kernel connects once; nobody else may
                sock, _ = learner_listener.accept()
                selector.unregister(learner_listener)
                learner_listener.close()
                trusted.attach(sock)
                selector.register(sock, selectors.EVENT_READ, "learner")
            elif key.data == "learner":
                try:
                    message = trusted.learner.receive()  # type: ignore[union-attr]
                    if "op" in message and "id" in message:
                        trusted.learner.answer(message)  # type: ignore[union-attr]
                except (ChannelClosed, ProtocolError):
                    selector.unregister(key.fileobj)
                    trusted.learner = None
            else:
                try:
                    command = parent.receive()
                except ChannelClosed:
                    os._exit(0)  # the grading worker is gone: so is this notebook's grading
                if command.get("op") == "stop":
                    os._exit(0)
                reply = trusted.run(str(command.get("source", "")), command.get("cell"), str(command.get("name", "")))
                parent.send({"re": command.get("id"), "ok": reply})


def _listen(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(1)
    return sock
