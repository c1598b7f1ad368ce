"""A jupyter_client kernel manager whose kernels run contained by the OS (:mod:`instructor.autograde.contain`).

Usable wherever nbclient or nbgrader's ``Execute`` takes a ``kernel_manager_class``::

    manager = contained_manager(limits=Limits(), channel="/run/x/learner.sock", channel_env="COURSE_CHANNEL")
    NotebookClient(nb, kernel_manager_class=manager, resources={"metadata": {"path": folder}}).execute()

What differs from a stock kernel:

* The kernel talks to us over ZMQ **ipc** (Unix sockets) in a private folder (mode 0700) of its own,
  never TCP: a port on the host's loopback would be reachable from every other kernel, and the
  kernel's own network namespace has no route to the host's loopback anyway.
* It is always ``python -m ipykernel_launcher`` of this venv: the notebook's kernelspec (which a
  submission can edit) only names it.
* Interrupts are messages on the control channel (``interrupt_mode = "message"``): the kernel sits
  behind bwrap in its own session and PID namespace, where our SIGINT would not reach it; ipykernel
  answers the message by signalling itself.
* Shutdown or kill ends every process of the sandbox before it returns, and removes the private
  folder, however the kernel ended.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type, default

from instructor.autograde import contain
from instructor.autograde.contain import Limits
from instructor.autograde.zygote import WarmKernelClient, lingerless_context

__all__ = ["ContainedKernelManager", "ContainedProvisioner", "contained_manager"]


class ContainedProvisioner(LocalProvisioner):
    """Launches the kernel command inside bwrap instead of with ``Popen``."""

    sandbox: contain.Sandbox | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        km = self.parent
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", km.connection_file, *_after_connection_file(cmd)]
        cwd = kwargs.get("cwd")
        self.sandbox = contain.launch(argv, private=km.private, data=Path(cwd) if cwd else None, limits=km.limits,
                                      channel=km.channel, channel_env=km.channel_env if km.channel else None,
                                      env=km.kernel_env, writable=(str(km.private / "ipc"),))
        self.process = self.sandbox.process
        self.pid = self.pgid = self.process.pid  # bwrap leads its own session (start_new_session)
        self.cwd = contain.SCRATCH
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        """jupyter_client's cleanup, then: nothing of the kernel left running, its private folder gone."""
        await super().cleanup(restart)
        if not restart:
            try:
                self.end_sandbox()
            finally:
                self.parent.remove_private()

    def end_sandbox(self) -> None:
        """End every process of the kernel's sandbox."""
        if self.sandbox is not None:
            self.sandbox.close()


def _after_connection_file(cmd: list[str]) -> list[str]:
    """The extra arguments nbclient/nbgrader appended after the kernelspec's ``-f {connection_file}``."""
    return cmd[cmd.index("-f") + 2:] if "-f" in cmd else []


class ContainedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel runs in a bubblewrap sandbox (see the module's docstring).

    Configure it through :func:`contained_manager`, or by subclassing and setting these attributes.
    """

    @default("context")
    def _context_default(self) -> Any:
        return lingerless_context(self)

    #: resource limits of the kernel
    limits: Limits = Limits()
    #: the host path of the Unix socket bound at ``contain.CHANNEL`` inside (None: no channel)
    channel: str | None = None
    #: the environment variable that tells the kernel where the channel is
    channel_env: str = "COURSE_CHANNEL"
    #: environment variables passed to the kernel (nothing else of ours is)
    kernel_env: Mapping[str, str] = {}

    client_class = DottedObjectName("instructor.autograde.zygote.WarmKernelClient")
    client_factory = Type(klass=WarmKernelClient)

    private: Path | None = None

    #: the provisioner that starts the kernel (a subclass may start it another way)
    provisioner_class: type[LocalProvisioner] = ContainedProvisioner

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        reason = contain.probe()
        if reason is not None:
            raise RuntimeError(f"cannot contain the kernel: {reason}")
        self.remove_private()
        self.make_private()
        self.transport = "ipc"
        self.ip = str(self.private / "ipc" / "kernel")
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = self.provisioner_class(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                      parent=self)
        self.kernel_spec.interrupt_mode = "message"
        try:
            return await super()._async_pre_start_kernel(**kw)
        except BaseException:
            self.remove_private()
            raise

    def make_private(self) -> None:
        """Make the kernel's private folder (mode 0700) with its ``ipc`` folder; set the connection file."""
        self.private = contain.socket_folder("course-kernel-")
        (self.private / "ipc").mkdir(mode=0o700)
        self.connection_file = str(self.private / "ipc" / "kernel.json")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        except BaseException:
            self.remove_private()
            raise

    def remove_private(self) -> None:
        """Remove the kernel's private folder (connection file, ipc sockets, bwrap's log)."""
        if self.private is not None:
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(self.private)
            self.private = None


def contained_manager(*, limits: Limits = Limits(), channel: str | Path | None = None,
                      channel_env: str = "COURSE_CHANNEL", env: Mapping[str, str] | None = None,
                      kind: type[ContainedKernelManager] = ContainedKernelManager) -> type[ContainedKernelManager]:
    """A ``kind`` of contained kernel manager class with these settings, for ``kernel_manager_class``."""
    return type(f"Configured{kind.__name__}", (kind,),
                {"limits": limits, "channel": None if channel is None else str(channel), "channel_env": channel_env,
                 "kernel_env": dict(env or {}), "__module__": kind.__module__})
