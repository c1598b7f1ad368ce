"""The socket between a graded notebook's two processes: frames, nested calls and plain values."""

from __future__ import annotations

import datetime as dt
import decimal
import socket
import struct
import threading

import pytest

from course.remote.values import MAX_DEPTH, Unsendable, decode, encode
from course.remote.wire import MAX_FRAME, Channel, ChannelClosed, ProtocolError, RemoteError


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 2.5, "text", [1, "a"], {"a": [1, {"b": None}]}, (1, (2, 3)), {1, 2}, frozenset({"x"}),
    {1: "one", (2, 3): "pair"}, b"\x00\xffbytes", dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc),
    dt.date(2026, 11, 30), decimal.Decimal("1.10"), {"$not-a-tag": 1}, float("inf"),
])
def test_data_round_trips_with_its_type(value):
    back = decode(encode(value))
    assert back == value and type(back) is type(value)


def test_an_object_that_is_not_data_is_refused_without_a_hook():
    class Sneaky:
        def __eq__(self, other):  # the always-equal object a check must never receive
            return True

    with pytest.raises(Unsendable):
        encode(Sneaky())


def test_a_self_referencing_value_is_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(Unsendable):
        encode(loop)


def test_decoding_builds_only_data():
    with pytest.raises(Unsendable):
        decode({"$pickle": "Y29zCnN5c3RlbQ=="})
    deep: object = 1
    for _ in range(MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(Unsendable):
        decode(deep)


def _pair(handlers_a=None, handlers_b=None):
    a, b = socket.socketpair()
    return Channel(a, handlers_a), Channel(b, handlers_b)


def test_a_call_may_call_back_before_it_returns():
    """The grader calls the learner's handler, which calls back into the grader, which answers."""
    grader, learner = _pair()
    grader.handlers["double"] = lambda m: m["x"] * 2
    learner.handlers["handler"] = lambda m: learner.request("double", x=m["x"]) + 1
    thread = threading.Thread(target=learner.serve_until, args=(lambda m: m.get("op") == "done",))
    thread.start()
    assert grader.request("handler", x=20) == 41
    grader.notify("done")
    thread.join(5)
    assert not thread.is_alive()


def test_a_failure_comes_back_as_its_type_and_message_only():
    grader, learner = _pair()
    learner.handlers["boom"] = lambda m: {}["missing"]
    thread = threading.Thread(target=learner.serve_until, args=(lambda m: m.get("op") == "done",))
    thread.start()
    with pytest.raises(RemoteError) as raised:
        grader.request("boom")
    assert raised.value.kind == "KeyError" and "missing" in str(raised.value)
    with pytest.raises(RemoteError, match="no such operation"):
        grader.request("__init__")
    grader.notify("done")
    thread.join(5)


def test_a_frame_over_the_limit_is_refused_before_it_is_read():
    a, b = socket.socketpair()
    a.sendall(struct.pack(">I", MAX_FRAME + 1))
    with pytest.raises(ProtocolError):
        Channel(b).receive()


def test_a_frame_that_is_not_json_is_a_protocol_error():
    a, b = socket.socketpair()
    a.sendall(struct.pack(">I", 3) + b"\x80ab")
    with pytest.raises(ProtocolError):
        Channel(b).receive()


def test_a_peer_that_hangs_up_is_told_apart():
    a, b = socket.socketpair()
    a.close()
    with pytest.raises(ChannelClosed):
        Channel(b).request("anything")


def test_a_notification_read_by_another_thread_still_reaches_the_one_serving():
    """A learner's thread waiting for its reply may read the grader's "done"; the serving thread still gets it."""
    grader, learner = _pair()
    grader.handlers["echo"] = lambda m: m["x"]
    # the grader answers the thread's request, then says the cell is done, before anyone serves
    thread_reply: list = []

    def grader_side():
        message = grader.receive()
        grader.notify("done", cell=1)
        grader.send({"re": message["id"], "ok": message["x"]})

    server = threading.Thread(target=grader_side)
    server.start()
    thread_reply.append(learner.request("echo", x=7))  # reads "done" first, keeps it
    server.join(5)
    assert thread_reply == [7]
    assert learner.serve_until(lambda m: m.get("op") == "done")["cell"] == 1
