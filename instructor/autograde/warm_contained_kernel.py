"""Warm contained kernels: one bubblewrap sandbox per grading process, a kernel forked in it per submission.

A contained kernel (:mod:`instructor.autograde.contained_kernel`) starts a new Python in a new
sandbox for each submission and imports ipykernel, boto3 and ``course`` again: about 2.3 s before
its first cell runs. Here each grading process starts ONE sandbox, once, running the learner
zygote (:mod:`instructor.autograde.learner_zygote`), which has those imports done and forks one
kernel per submission::

    manager = warm_contained_manager(limits=Limits(), channel="/tmp/x/learner.sock", channel_env="COURSE_CHANNEL",
                                     env={"PYTHONPATH": "/opt/course"})
    NotebookClient(nb, kernel_manager_class=manager, resources={"metadata": {"path": folder}}).execute()

It takes the parameters of :func:`~instructor.autograde.contained_kernel.contained_manager`, and
each protection of a contained kernel holds (``tests/instructor/test_contain.py`` runs its attacks
against both). What sharing a sandbox adds, and how it is kept from one student to the next:

* **One kernel at a time per sandbox.** Starting a kernel ends the previous one: before each fork
  the zygote kills every process of the sandbox but bwrap's init and itself (daemonised and
  setsid'ed ones too) and empties every writable place (the scratch, ``/tmp``, ``/dev/shm``:
  tmpfs; the root is read-only), so nothing the last kernel left (an IPython startup file in
  ``IPYTHONDIR``, a ``sitecustomize.py``, a process) reaches the next. It does the same when a
  kernel shuts down or is killed. A grading process grades one submission at a time, so this is no
  limit there; two kernels at once need two grading processes.
* **The zygote is non-dumpable**: a kernel (same uid) cannot ptrace it or read or write its
  memory. A kernel that kills it (or stops it) costs a restart: the next kernel's start finds the
  sandbox dead (or the zygote silent) and starts a new one.
* **Per-kernel files** live in a host folder of this process (mode 0700) that appears inside at
  :data:`KERNELS`, one subfolder per kernel, created before the kernel and removed after it by this
  process, which also removes anything else found there: the connection file, the ZMQ ipc sockets,
  the notebook folder's data files (copied into the scratch by the forked child), and the channel.
* **The channel.** A sandbox's binds are fixed when it starts, so the caller's socket cannot be
  bound in later. Contract: ``channel`` is the host path of the trusted process's Unix socket,
  listening before the kernel starts, on the same filesystem as the sandbox's folder (both made
  by :func:`~instructor.autograde.contain.socket_folder`): it is hard-linked into the kernel's subfolder as
  ``learner.sock`` (a Unix socket is reached through any link to it), and ``channel_env`` names its
  path inside. In root mode the socket is given to the sandbox's uid.
* **Limits** are the rlimits of :class:`~instructor.autograde.contain.Limits`, set in the forked
  child before it becomes the kernel (the zygote runs under the same ones). In root mode the whole
  sandbox runs as one uid of its own, so ``RLIMIT_NPROC`` counts the zygote and the one kernel.
* **Environment**: the kernel gets :func:`~instructor.autograde.contain.environment` of the
  caller's ``env`` (``PYTHONPATH`` included: the kernel's ``sys.path`` starts with it) and the
  channel's variable. The zygote imports with the ``PYTHONPATH`` of the first manager; a manager
  with another ``PYTHONPATH`` (or other limits) gets a new sandbox.
* **When the grading process ends** the sandbox dies with it (``--die-with-parent``; note that
  Linux ties this to the thread that started the sandbox, here the one that started the first
  kernel) and, on a normal exit, its host folder is removed.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any


from instructor.autograde import contain, learner_zygote
from instructor.autograde.contain import Limits
from instructor.autograde.contained_kernel import ContainedKernelManager, ContainedProvisioner, contained_manager
from instructor.autograde.zygote import _ForkedKernel

__all__ = ["KERNELS", "LearnerSandbox", "WarmContainedKernelManager", "WarmContainedProvisioner", "learner_sandbox",
           "stop", "warm_contained_manager"]

KERNELS = "/run/course/kernels"  #: where the per-kernel folders appear inside the sandbox

#: seconds the zygote may take to answer: importing at its start, a reset, a fork
REPLY_TIMEOUT = 60


class ZygoteGone(RuntimeError):
    """The sandbox's zygote died, stopped answering or could not reset the sandbox."""


class LearnerSandbox:
    """One bubblewrap sandbox running the learner zygote, seen from the grading process."""

    def __init__(self, limits: Limits, python_path: str) -> None:
        self.limits = limits
        self.python_path = python_path
        self.owner = os.getpid()
        self.private = contain.socket_folder("course-warm-")  # mode 0700; bwrap.log
        self.kernels = self.private / "kernels"
        self.kernels.mkdir(mode=0o700)
        self.zygote_pid: int | None = None
        source = Path(learner_zygote.__file__).read_text(encoding="utf-8")
        try:
            # -P: the zygote's working directory (later the scratch) is never on its sys.path
            self.sandbox = contain.launch([sys.executable, "-P", "-c", source], private=self.private, limits=limits,
                                          env={"PYTHONPATH": python_path}, binds={str(self.kernels): KERNELS},
                                          pipes=True)
        except BaseException:
            learner_zygote.remove_tree(str(self.private))
            raise
        self.uid = self.sandbox.uid
        self._buffer = b""

    def alive(self) -> bool:
        """Whether the sandbox (and so its zygote) still runs."""
        return self.sandbox.process.poll() is None

    def request(self, message: dict) -> dict:
        """Send one request to the zygote and return its reply; ``ZygoteGone`` (sandbox closed) if none comes."""
        if self.zygote_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.zygote_pid, signal.SIGCONT)  # a kernel may have stopped it
        try:
            self.sandbox.process.stdin.write((json.dumps(message) + "\n").encode())
            self.sandbox.process.stdin.flush()
            line = self._read_line(REPLY_TIMEOUT)
        except (OSError, ValueError, ZygoteGone) as error:
            self.close()
            raise ZygoteGone(f"the learner zygote did not answer: {error}") from error
        reply = json.loads(line)
        if "error" in reply:
            self.close()
            raise ZygoteGone(reply["error"])
        if self.zygote_pid is None:
            self.zygote_pid = self._find_zygote()
        return reply

    def _read_line(self, timeout: float) -> bytes:
        fd = self.sandbox.process.stdout.fileno()
        while b"\n" not in self._buffer:
            if not select.select([fd], [], [], timeout)[0]:
                raise ZygoteGone(f"no reply in {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise ZygoteGone("it has exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _find_zygote(self) -> int | None:
        """The zygote's host pid: the child of the sandbox's init."""
        return next(iter(_children(self.sandbox.init_pid)), None) if self.sandbox.init_pid else None

    def spawn(self, request: dict) -> int:
        """Fork a kernel (after the zygote's reset); returns its host pid."""
        nspid = self.request({"op": "spawn", **request})["pid"]
        for pid in _children(self.zygote_pid) if self.zygote_pid else []:
            if _namespace_pid(pid) == nspid:
                return pid
        raise RuntimeError("the contained kernel ended as it started")

    def reset(self) -> None:
        """End every process of the sandbox but the zygote and empty its writable places."""
        self.request({"op": "reset"})

    def new_kernel_folder(self) -> Path:
        """A fresh folder for the next kernel, after removing whatever earlier kernels left in the shared one."""
        for entry in os.listdir(self.kernels):
            learner_zygote.remove_tree(str(self.kernels / entry))
        folder = self.kernels / uuid.uuid4().hex[:12]
        folder.mkdir(mode=0o700)
        (folder / "ipc").mkdir(mode=0o700)
        (folder / "data").mkdir(mode=0o700)
        return folder

    def give(self, folder: Path) -> None:
        """In root mode, hand ``folder``'s tree to the sandbox's uid (links are not followed)."""
        if self.uid is None:
            return
        for parent, dirs, files in os.walk(folder):
            os.chown(parent, self.uid, self.uid, follow_symlinks=False)
            for name in dirs + files:
                os.chown(os.path.join(parent, name), self.uid, self.uid, follow_symlinks=False)

    def close(self) -> None:
        """Kill the sandbox, wait until none of its processes is left, remove its host folder."""
        with contextlib.suppress(OSError, ValueError):
            self.sandbox.process.stdin.close()
        try:
            self.sandbox.close()
        finally:
            with contextlib.suppress(FileNotFoundError):
                learner_zygote.remove_tree(str(self.private))


def _children(pid: int) -> list[int]:
    """Host pids of ``pid``'s children."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, StopIteration, ValueError):
                status = Path(f"/proc/{entry}/status").read_text()
                if int(next(line for line in status.splitlines() if line.startswith("PPid:")).split()[1]) == pid:
                    found.append(int(entry))
    return found


def _namespace_pid(pid: int) -> int | None:
    """The pid a process has in its innermost PID namespace."""
    with contextlib.suppress(OSError, StopIteration):
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("NSpid:")).split()[-1])
    return None


_sandbox: LearnerSandbox | None = None


def learner_sandbox(limits: Limits, python_path: str) -> LearnerSandbox:
    """This process's sandbox, started (again) if it has none, it died, or its settings differ."""
    global _sandbox
    current = _sandbox
    if current is not None and current.owner == os.getpid():
        if current.alive() and current.limits == limits and current.python_path == python_path:
            return current
        current.close()
    # a sandbox inherited from the process this one was forked from stays that process's
    _sandbox = LearnerSandbox(limits, python_path)
    return _sandbox


def stop() -> None:
    """Stop this process's sandbox, if it started one."""
    global _sandbox
    if _sandbox is not None and _sandbox.owner == os.getpid():
        _sandbox.close()
    _sandbox = None


atexit.register(stop)


class WarmContainedProvisioner(ContainedProvisioner):
    """Launches the kernel by asking the sandbox's zygote for a fork."""

    sandbox: LearnerSandbox | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        km = self.parent
        folder: Path = km.private
        inside = f"{KERNELS}/{folder.name}"
        info = json.loads(Path(km.connection_file).read_text())
        info["ip"] = inside + info["ip"][len(str(folder)):]
        (folder / "inside.json").write_text(json.dumps(info))
        cwd = kwargs.get("cwd")
        if cwd:
            _copy_data(Path(cwd), folder / "data", km.limits.scratch // 2)
        env = contain.environment(km.kernel_env, None)
        if km.channel is not None:
            os.link(km.channel, folder / "learner.sock")  # a hard link: the same socket
            env[km.channel_env] = f"{inside}/learner.sock"
            if self.sandbox.uid is not None:
                os.chown(km.channel, self.sandbox.uid, self.sandbox.uid)
        self.sandbox.give(folder)
        argv = ["-f", f"{inside}/inside.json", *_after_connection_file(cmd)]
        pid = self.sandbox.spawn({"argv": argv, "cwd": contain.SCRATCH, "env": env, "rlimits": km.limits.rlimits(),
                                  "data": f"{inside}/data"})
        self.process = _ForkedKernel(pid)
        self.pid = self.pgid = pid  # the kernel leads its own session
        self.cwd = contain.SCRATCH
        return self.connection_info

    def end_sandbox(self) -> None:
        """End the kernel and all it started, and wipe what it wrote; the sandbox stays for the next kernel."""
        if self.sandbox is not None and self.sandbox.alive():
            with contextlib.suppress(ZygoteGone):  # then the sandbox is gone, and all in it
                self.sandbox.reset()


def _after_connection_file(cmd: list[str]) -> list[str]:
    """The extra arguments nbclient/nbgrader appended after the kernelspec's ``-f {connection_file}``."""
    return cmd[cmd.index("-f") + 2:] if "-f" in cmd else []


def _copy_data(data: Path, dest: Path, budget: int) -> None:
    """Copy the notebook folder's data files (:func:`contain.data_files`: no .ipynb, no links) to ``dest``."""
    for relative, fd in contain.data_files(data, budget):
        if fd is None:
            (dest / relative).mkdir(mode=0o700)
            continue
        with os.fdopen(fd, "rb") as source, open(dest / relative, "xb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)


class WarmContainedKernelManager(ContainedKernelManager):
    """A contained kernel forked in this process's learner sandbox (module docstring).

    Configure it through :func:`warm_contained_manager`; its settings are :class:`ContainedKernelManager`'s
    (the ``PYTHONPATH`` of ``kernel_env`` is also the sandbox zygote's).
    """

    provisioner_class = WarmContainedProvisioner

    def make_private(self) -> None:
        """The kernel's folder in this process's sandbox (seen inside at ``KERNELS/<its name>``)."""
        sandbox = learner_sandbox(self.limits, self.kernel_env.get("PYTHONPATH", contain.COURSE_PATH))
        self.private = sandbox.new_kernel_folder()
        self.connection_file = str(self.private / "kernel.json")
        self._sandbox = sandbox

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        result = await super()._async_pre_start_kernel(**kw)
        self.provisioner.sandbox = self._sandbox
        return result

    def remove_private(self) -> None:
        """Remove the kernel's folder (connection files, ipc sockets, data, the channel's link)."""
        if self.private is not None:
            with contextlib.suppress(FileNotFoundError):
                learner_zygote.remove_tree(str(self.private))
            self.private = None


def warm_contained_manager(*, limits: Limits = Limits(), channel: str | Path | None = None,
                           channel_env: str = "COURSE_CHANNEL",
                           env: Mapping[str, str] | None = None) -> type[ContainedKernelManager]:
    """A :class:`WarmContainedKernelManager` class with these settings, for ``kernel_manager_class``."""
    return contained_manager(limits=limits, channel=channel, channel_env=channel_env, env=env,
                             kind=WarmContainedKernelManager)
