"""Grading in two processes: the learner kernel's end of the socket to the grader.

Self-study never uses this package: ``course.start()`` runs the cloud in the notebook's own kernel.
Under ``course grade`` the grader starts the learner's kernel with :data:`SOCKET_VARIABLE` naming a
Unix socket; ``course.start()`` then connects there and returns a
:class:`~course.remote.cloud.RemoteCloud`, and each graded test cell runs in the grader while this
kernel runs :func:`serve` in its place, answering the grader's calls of the learner's functions.
docs/architecture.md ("Grading in two processes") has the whole picture.
"""

from __future__ import annotations

import os
import socket

from course.remote.cloud import RemoteCloud

__all__ = ["SOCKET_VARIABLE", "RemoteCloud", "connect", "grader_socket", "serve"]

#: the environment variable that names the grader's socket in a graded learner kernel
SOCKET_VARIABLE = "COURSE_GRADER_SOCKET"

_cloud: RemoteCloud | None = None


def grader_socket() -> str | None:
    """The grader's socket when this kernel is being graded, else None."""
    return os.environ.get(SOCKET_VARIABLE) or None


def connect() -> RemoteCloud:
    """The grader's cloud (connected once per kernel)."""
    global _cloud
    if _cloud is None:
        path = grader_socket()
        if path is None:
            raise RuntimeError(f"{SOCKET_VARIABLE} is not set: this kernel is not being graded")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        _cloud = RemoteCloud(sock)
    return _cloud


def serve(cell: int) -> None:
    """Stand in for graded cell ``cell``: answer the grader's calls until it says the cell is done."""
    connect().channel.serve_until(lambda message: message.get("op") == "done" and message.get("cell") == cell)
