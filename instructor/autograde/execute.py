"""nbgrader's ``Execute`` preprocessor, hardened for a class's hostile submissions.

Stock nbgrader, for one submission:

* gives a test cell that never ran FULL marks (no error output) when the kernel died before it,
  and aborts that student's grading with a ``DeadKernelError``;
* waits a full cell timeout per remaining cell when a loop ignores the interrupt;
* keeps every byte a cell prints (50 MB of output becomes a 50 MB notebook).

Here a dead kernel (``os._exit``, a crash, a kill) scores every later cell 0 and is reported; a
kernel that ignores the timeout's interrupt is stopped; a cell's output is cut at
:attr:`GuardedExecute.max_output_bytes`. Every such event is appended to :data:`EVENTS`, which the
grading worker turns into flags. The kernel is started with the seal (:mod:`instructor.autograde.seal`).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

__all__ = ["EVENTS", "Event", "GuardedExecute", "SEAL_LINE"]

SEAL_LINE = "__import__('instructor.autograde.seal').autograde.seal.install()"


@dataclass(frozen=True)
class Event:
    """Something that happened while a submission ran."""

    kind: str  #: "timeout", "kernel-died", "kernel-stopped", "huge-output"
    cell: str  #: the cell's grade_id, or "cell <n>"
    detail: str = ""


#: events of the notebook being graded in this process; the worker clears it per submission
EVENTS: list[Event] = []


def _cell_name(cell: NotebookNode, index: int) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _size(content: dict) -> int:
    """Roughly how many bytes an output message carries (its text and data), without encoding it."""
    size = len(content.get("text", "")) if isinstance(content.get("text"), str) else 0
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    return size


class GuardedExecute(Execute):
    """nbgrader's Execute with a dead-kernel policy, a stubborn-loop stop and an output cap."""

    max_output_bytes = Integer(1024 * 1024, help="bytes of output kept per cell; the rest is dropped").tag(config=True)
    interrupt_grace = Integer(5, help="seconds a timed-out cell gets to stop after the interrupt").tag(config=True)

    warm_kernels = Bool(True, help="fork kernels from a warm zygote (instructor.autograde.zygote)").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.warm_kernels:
            from instructor.autograde.zygote import WarmKernelManager

            self.kernel_manager_class = WarmKernelManager
        # the seal goes in before the first cell; history in memory, as nbgrader does for Python
        self.extra_arguments = [*self.extra_arguments, "--HistoryManager.hist_file=:memory:",
                                f"--IPKernelApp.exec_lines={json.dumps([SEAL_LINE])}"]
        self._stopped: str | None = None
        self._output_bytes: dict[int, int] = {}
        self._running_msg: str | None = None

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        # the kernel's own start-up chatter is not the instructor's business
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        self._stopped = None
        self._output_bytes = {}
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if self._stopped is not None:
            if cell.cell_type == "code":
                # never leave a test cell without output: nbgrader would score it as passed
                cell.outputs = [_error("KernelStopped", self._stopped)]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            name = _cell_name(cell, index)
            EVENTS.append(Event("kernel-died", name))
            self._stopped = f"the kernel died while running {name}; this cell did not run"
            cell.outputs = [*cell.get("outputs", []), _error("DeadKernelError", f"the kernel died while running {name}")]
            return cell, resources
        except CellTimeoutError as error:  # no output after the interrupt: the kernel was stopped
            self._stop_after_timeout(_cell_name(cell, index))
            cell.outputs = [*cell.get("outputs", []), _error("CellTimeoutError", str(error).splitlines()[0])]
            return cell, resources

    async def _async_poll_for_reply(self, msg_id: str, cell: NotebookNode, *args: Any, **kwargs: Any) -> Any:
        self._running_msg = msg_id
        return await super()._async_poll_for_reply(msg_id, cell, *args, **kwargs)

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        index = self.nb.cells.index(cell) if cell is not None and cell in self.nb.cells else -1
        name = _cell_name(cell, index) if cell is not None else "a cell"
        reply = await super()._async_handle_timeout(timeout, cell)  # interrupts the kernel
        if await self._reply_after_interrupt():
            EVENTS.append(Event("timeout", name, f"ran longer than {timeout} s and was interrupted"))
        else:
            EVENTS.append(Event("kernel-stopped", name, f"ran longer than {timeout} s and ignored the interrupt"))
            self._stop_after_timeout(name)
            await self._kill_kernel()
        return reply

    def _stop_after_timeout(self, name: str) -> None:
        self._stopped = f"the kernel was stopped after {name} ran out of time; this cell did not run"

    async def _reply_after_interrupt(self) -> bool:
        """Did the interrupted cell answer within the grace period?"""
        import asyncio
        from queue import Empty

        deadline = asyncio.get_running_loop().time() + self.interrupt_grace
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=remaining)
            except (Empty, asyncio.TimeoutError):
                return False
            if msg.get("parent_header", {}).get("msg_id") == self._running_msg:
                return True
        return False

    async def _kill_kernel(self) -> None:
        try:
            await self.km._async_kill_kernel()
        except Exception:  # noqa: BLE001 - already gone is as good as killed
            pass

    def output(self, outs: list, msg: dict, display_id: Any, cell_index: int) -> Any:
        size = _size(msg.get("content", {}))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes or msg.get("msg_type") == "error":
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:
            name = _cell_name(self.nb.cells[cell_index], cell_index)
            EVENTS.append(Event("huge-output", name, f"printed more than {self.max_output_bytes // 1024} KiB"))
            outs.append(NotebookNode(output_type="stream", name="stdout",
                                     text=f"\n... output cut by the autograder after {self.max_output_bytes // 1024} KiB ...\n"))
        return None
