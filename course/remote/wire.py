"""Frames and nested calls over one Unix socket: the only way a graded notebook's two processes meet.

Each message is one frame: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (never
pickle: a frame is data, and decoding it runs no code). Either side may call the other, and a call
may call back before it returns (the grader calls the learner's handler, which calls SQS, which is
served by the grader, ...): :meth:`Channel.request` sends a request and, while it waits for its
reply, serves every request that arrives in between. Replies therefore come back in strict
last-in-first-out order, and one socket is enough.

Messages:

* a request: ``{"id": n, "op": "<name>", ...}``, answered by the peer's handler for ``op``;
* a notification: ``{"op": "<name>", ...}`` without an id, never answered;
* its reply: ``{"re": n, "ok": value}`` or ``{"re": n, "raise": {"type": ..., "message": ...}}``.

Everything read from a peer is bounded (:data:`MAX_FRAME` bytes a frame), so a hostile peer can
make a call fail but cannot make this process hold more than that.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_FRAME", "Channel", "ChannelClosed", "ProtocolError", "RemoteError", "rebuilt"]

#: the largest frame either side accepts (a message is data a check needs, never a file dump)
MAX_FRAME = 64 * 1024 * 1024
_HEADER = struct.Struct(">I")


class ChannelClosed(ConnectionError):
    """The peer hung up (it ended, crashed or was stopped)."""


class ProtocolError(ValueError):
    """The peer sent something that is not a well-formed message."""


class RemoteError(Exception):
    """The peer's handler raised; ``kind`` and ``detail`` are what it reported (plain data)."""

    def __init__(self, kind: str, message: str, detail: dict | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.detail = detail or {}


def rebuilt(error: RemoteError, *namespaces: object) -> Exception | None:
    """The peer's exception as its own type, when one of ``namespaces`` (modules) has an exception
    class of that name; its message is all that crossed. None when no namespace has one, or when the
    type cannot carry a message alone (``UnicodeDecodeError``): the caller then tells it another way.
    """
    kind = next((found for found in (getattr(namespace, error.kind, None) for namespace in namespaces)
                 if isinstance(found, type) and issubclass(found, Exception)), None)
    if kind is None:
        return None
    message = str(error)
    try:
        return kind(message)
    except Exception:  # noqa: BLE001 - its own __init__ takes other arguments (a host, a URL) that did not cross
        made = kind.__new__(kind)
        Exception.__init__(made, message)
        return made if str(made) == message else None


Handler = Callable[[dict], Any]


class Channel:
    """One end of a connected Unix socket that sends requests and serves the peer's."""

    def __init__(self, sock: socket.socket, handlers: dict[str, Handler] | None = None) -> None:
        self.sock = sock
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self._ids = itertools.count(1)
        # the thread that talks on the socket now (see "calls" below)
        self.lock = threading.Lock()
        # notifications another thread read while it waited for its reply (serve_until's "done")
        self._notes: list[dict] = []

    # -- frames ------------------------------------------------------------------------------------
    def send(self, message: dict) -> None:
        data = json.dumps(message, separators=(",", ":"), allow_nan=True).encode("utf-8")
        if len(data) > MAX_FRAME:
            raise ProtocolError(f"a message of {len(data)} bytes is over the {MAX_FRAME}-byte limit")
        try:
            self.sock.sendall(_HEADER.pack(len(data)) + data)
        except OSError as error:
            raise ChannelClosed(str(error)) from None

    def receive(self) -> dict:
        (size,) = _HEADER.unpack(self._exactly(_HEADER.size))
        if size > MAX_FRAME:
            raise ProtocolError(f"the peer announced a {size}-byte message; the limit is {MAX_FRAME}")
        try:
            message = json.loads(self._exactly(size).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ProtocolError(f"the peer sent a frame that is not JSON: {error}") from None
        if not isinstance(message, dict):
            raise ProtocolError("the peer sent a frame that is not a message")
        return message

    def _exactly(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            try:
                chunk = self.sock.recv(min(left, 1 << 20))
            except OSError as error:
                raise ChannelClosed(str(error)) from None
            if not chunk:
                raise ChannelClosed("the peer closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    # -- calls -------------------------------------------------------------------------------------
    # One thread at a time talks on the socket (self.lock), but never while a handler runs: a handler
    # is the learner's code, which may call back from other threads (boto3's S3 uploads run in a
    # thread pool) while this thread waits for them. The peer nests strictly, so whichever thread
    # holds the socket reads exactly the replies and requests that belong to it.
    def request(self, op: str, **fields: Any) -> Any:
        """Ask the peer to do ``op``; serve its requests meanwhile; return its answer or raise RemoteError."""
        with self.lock:
            number = next(self._ids)
            self.send({**fields, "id": number, "op": op})
            while True:
                message = self.receive()
                if "op" in message:
                    if "id" in message:
                        self._answer_holding_lock(message)
                    else:  # a notification needs no answer, but may be another thread's to read
                        self._notes.append(message)
                    continue
                if message.get("re") != number:
                    raise ProtocolError(f"a reply to call {message.get('re')!r} came while call {number} was waiting")
                if "raise" in message:
                    raised = message["raise"] if isinstance(message["raise"], dict) else {}
                    raise RemoteError(str(raised.get("type", "Error"))[:100], str(raised.get("message", ""))[:100_000],
                                      raised)
                return message.get("ok")

    def answer(self, message: dict) -> None:
        """Run the handler of one request from the peer and send its reply (or what it raised)."""
        reply, interrupted = self._reply_to(message)
        with self.lock:
            self.send(reply)
        if interrupted is not None:
            raise interrupted

    def _answer_holding_lock(self, message: dict) -> None:
        self.lock.release()  # the handler may talk from other threads meanwhile
        try:
            reply, interrupted = self._reply_to(message)
        finally:
            self.lock.acquire()
        self.send(reply)
        if interrupted is not None:
            raise interrupted

    def _reply_to(self, message: dict) -> tuple[dict, BaseException | None]:
        """The reply to a request, and what interrupted its handler (KeyboardInterrupt) to raise after it."""
        number = message.get("id")
        handler = self.handlers.get(str(message.get("op")))
        try:
            if handler is None:
                raise ProtocolError(f"no such operation: {str(message.get('op'))[:100]!r}")
            return {"re": number, "ok": handler(message)}, None
        except RemoteError as error:  # a nested call failed on the peer: pass its report back as it was
            return {"re": number, "raise": {**error.detail, "type": error.kind, "message": str(error)}}, None
        except Exception as error:  # noqa: BLE001 - every failure is reported to the peer, then judged there
            return {"re": number, "raise": self.describe(error)}, None
        except BaseException as error:  # told to the peer, then raised here (an interrupt stops this side too)
            return {"re": number, "raise": self.describe(error)}, error

    def notify(self, op: str, **fields: Any) -> None:
        """Tell the peer something that needs no answer (a request without an id)."""
        with self.lock:
            self.send({**fields, "op": op})

    def serve_until(self, done: Callable[[dict], bool]) -> dict:
        """Answer the peer's requests until a message ``done`` accepts arrives; return that message."""
        with self.lock:
            while True:
                message = self._notes.pop(0) if self._notes else self.receive()
                if done(message):
                    return message
                if "op" in message and "id" in message:
                    self._answer_holding_lock(message)

    #: how a failure is told to the peer; a side may add fields (e.g. an AWS error's response)
    @staticmethod
    def describe(error: BaseException) -> dict:
        return {"type": type(error).__name__, "message": str(error)[:100_000]}

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
