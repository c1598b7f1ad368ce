"""Warm kernels: a fork server that starts each grading kernel with the course already imported.

Every submission gets a kernel process of its own (a submission that patches, crashes or exits must
not touch the next one). What makes a fresh kernel slow is not the process, it is Python importing
IPython, ipykernel, boto3 and moto again: about a second of CPU per submission, on a machine with
two cores. The zygote imports all of that once; each kernel is then an ``os.fork()`` of it, which
starts in milliseconds with the imports already done and shares their memory.

* :class:`Zygote` runs ``python -m instructor.autograde.zygote`` (a clean interpreter, no threads)
  and asks it for kernels over a pipe.
* :class:`ForkedProvisioner` is a jupyter_client provisioner that launches the kernel command by
  asking the zygote instead of ``Popen``; :class:`WarmKernelManager` uses it. Signals (interrupt,
  kill) go to the kernel's own process group as usual.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
import zmq
import zmq.asyncio
from traitlets import DottedObjectName, Type, default

__all__ = ["ForkedProvisioner", "lingerless_context", "WarmKernelClient", "WarmKernelManager", "Zygote", "shared", "stop", "zygote"]

#: what a grading kernel (and the trusted process) imports anyway (ipykernel; the notebooks' setup cells; the checks)
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "ipykernel.zmqshell", "ipykernel.comm",
           "IPython", "IPython.core.completer", "IPython.extensions", "pdb", "pydoc", "sqlite3", "tornado.ioloop",
           "faulthandler", "boto3", "botocore.session", "moto",
           "moto.core.models", "moto.sqs.models", "moto.sns.models", "moto.events.models", "moto.kinesis.models",
           "moto.firehose.models", "moto.s3.models", "course", "course.sandbox.core", "graders",
           "instructor.autograde.trusted")

#: one cheap call per service the course uses: loads its botocore model and moto backend
WARM_CALLS = (("sqs", "list_queues"), ("sns", "list_topics"), ("events", "list_rules"),
              ("kinesis", "list_streams"), ("firehose", "list_delivery_streams"), ("s3", "list_buckets"))


class Zygote:
    """The fork server, seen from the grading process."""

    def __init__(self) -> None:
        # one zygote may serve several grading processes forked after it started: one request at a time
        self.lock: Any = threading.Lock()
        self.process = subprocess.Popen([sys.executable, "-m", "instructor.autograde.zygote"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, argv: list[str], cwd: str, env: dict[str, str]) -> int:
        """Start a kernel with ipykernel arguments ``argv``; returns its pid."""
        with self.lock:
            self.process.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("the kernel zygote has stopped")
        return int(json.loads(reply)["pid"])

    def spawn_trusted(self, folder: str) -> int:
        """Start the trusted process of one notebook (:mod:`instructor.autograde.trusted`) in ``folder``."""
        with self.lock:
            self.process.stdin.write(json.dumps({"trusted": folder}) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("the kernel zygote has stopped")
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        if self.alive():
            self.process.stdin.close()
            self.process.wait(timeout=5)


_zygote: Zygote | None = None


def zygote() -> Zygote:
    """This process's zygote (or the one shared by its parent), started (again) if needed."""
    global _zygote
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote()
    return _zygote


@contextlib.contextmanager
def shared() -> Iterator[Zygote]:
    """A zygote started here for the grading processes forked from this one to share; stopped after."""
    import multiprocessing

    zygote().lock = multiprocessing.get_context("fork").Lock()
    try:
        yield zygote()
    finally:
        stop()


def stop() -> None:
    """Stop this process's zygote (its kernels end with it)."""
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None


class _ForkedKernel:
    """The ``Popen``-like handle jupyter_client expects, for a kernel that is the zygote's child."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
                    state = stat.read().rsplit(")", 1)[1].split()[0]
                if state in ("Z", "X"):
                    self.returncode = -1
            except (FileNotFoundError, ProcessLookupError, IndexError):
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)  # the grader waiting on a process, not a notebook sleeping
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """Launch the kernel by forking the warm zygote instead of starting a new Python."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if "-f" not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = zygote().spawn(cmd[cmd.index("-f"):], cwd, env)
        self.process = _ForkedKernel(pid)
        self.pid = self.pgid = pid  # the kernel leads its own session and process group
        self.cwd = cwd
        return self.connection_info


class WarmKernelClient(AsyncKernelClient):
    """jupyter_client's client, waiting for a new kernel without its fixed pauses.

    Stock ``wait_for_ready`` ends by draining IOPub until it has been quiet for 0.2 s, and waits
    up to 0.2 s for IOPub after each kernel_info reply: at least 0.2 s idle per kernel, a fifth of
    a warm kernel's whole run. Here the same handshake polls in steps of 10 ms.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=0.05)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # IOPub is connected once the kernel's status for that request arrives
                    await self.iopub_channel.get_msg(timeout=0.05)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:  # drain what the handshake left on IOPub
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the name to the base method


#: every kernel manager's context, kept until the grading process ends (see lingerless_context)
_CONTEXTS: list = []


def lingerless_context(manager: AsyncKernelManager) -> zmq.asyncio.Context:
    """A kernel manager's ZMQ context, never left to the garbage collector.

    jupyter_client destroys the context it made when the kernel is cleaned up. A context the
    garbage collector finds instead (a kernel that was killed, not cleaned up) is destroyed in the
    collector's pass, when the weak references to its sockets are already cleared but the sockets
    not yet closed: ``term()`` then waits for them forever, and the grading process hangs (measured:
    a class of 04 hung in ``Context.__del__``). Kept here, a context is never collected; its sockets
    are, with no linger, so nothing waits for a kernel that is gone.
    """
    manager._created_context = True
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.LINGER, 0)
    _CONTEXTS.append(context)
    return context


class WarmKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the zygote."""

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        return lingerless_context(self)

    client_class = DottedObjectName("instructor.autograde.zygote.WarmKernelClient")
    client_factory = Type(klass=WarmKernelClient)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def _serve() -> None:
    """The zygote: import once, then fork a kernel per request line until stdin closes."""
    import importlib

    replies = os.fdopen(os.dup(1), "w", buffering=1)
    requests = sys.stdin
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing extra only makes that kernel's start slower
            pass
    _import_graders()  # what each notebook's trusted process imports
    _warm_up()
    # the imports' objects are never collected: keep the kernels' garbage collector off them, so it
    # neither spends time on them nor writes to (and so copies) the memory the kernels share
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they end: no zombies
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0 and "trusted" in request:
            _become_trusted(str(request["trusted"]), devnull, (replies.fileno(), 0))
        if pid == 0:
            _become_kernel(request, devnull, (replies.fileno(), 0))
        replies.write(json.dumps({"pid": pid}) + "\n")


def _import_graders() -> None:
    """Import every module of ``graders`` (the checks the trusted processes call)."""
    import importlib
    import pkgutil

    import graders

    for info in pkgutil.walk_packages(graders.__path__, prefix="graders."):
        with contextlib.suppress(Exception):  # an optional module that cannot import grades nothing
            importlib.import_module(info.name)


def _warm_up() -> None:
    """Pay once what each notebook's first AWS calls cost: botocore's models, moto's backends.

    The sandbox is stopped again, which empties moto, so every kernel still starts from an empty
    cloud (tests/instructor/test_zygote.py checks that).
    """
    import course

    try:
        cloud = course.start()
        try:
            for service, call in WARM_CALLS:
                getattr(cloud.client(service), call)()
        finally:
            course.stop()
    except Exception:  # noqa: BLE001 - a cold kernel is slower, not wrong
        pass


def _become_trusted(folder: str, devnull: int, private: tuple[int, ...]) -> None:
    """In the forked child: become the trusted process of one notebook. Never returns."""
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(folder)
        for fd in private:
            os.close(fd)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
        from instructor.autograde.trusted import main

        main(folder)
    finally:
        os._exit(0)


def _become_kernel(request: dict, devnull: int, private: tuple[int, ...]) -> None:
    """In the forked child: turn into an ipykernel with the requested arguments. Never returns."""
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel ends if the zygote does
        for fd in private:
            os.close(fd)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
        sys.argv = [sys.executable, *request["argv"]]
        if sys.path and sys.path[0] in ("", os.getcwd()):
            del sys.path[0]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["argv"])
    finally:
        os._exit(0)


if __name__ == "__main__":
    _serve()
