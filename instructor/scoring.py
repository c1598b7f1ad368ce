"""The one scoring policy for a kernel that dies, a cell that times out and a kernel that is stopped.

``course check`` (:mod:`instructor.check`) and ``course grade`` (:mod:`instructor.autograde`) both
run notebooks through :class:`PolicyExecute`, so a learner's check and the instructor's grade agree.
Stock nbgrader (its ``Execute`` preprocessor on nbclient) gives a test cell that never ran FULL
marks when the kernel died before it (a cell without an error output passes) and aborts that
student's grading with a ``DeadKernelError``; a loop that swallows the timeout's interrupt costs a
full timeout for every cell after it. Here:

* a cell that runs out of time gets nbgrader's ``CellTimeoutError`` output (0 points); the rest runs;
* a kernel that still does not answer :attr:`PolicyExecute.interrupt_grace` seconds after the
  interrupt is killed;
* a kernel that died (``os._exit``, a crash, a kill) or was killed: the cell that was running gets a
  ``DeadKernelError`` or ``CellTimeoutError`` output, and every later code cell a ``KernelStopped``
  output saying why it did not run, so nbgrader scores each of them 0.

Every such outcome is an :class:`Event` in the executor's :attr:`PolicyExecute.events` (one run's
worth, reset by ``preprocess``). nbgrader builds its preprocessors itself, out of the caller's reach,
so a caller that runs nbgrader reads the events through :func:`recording`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from queue import Empty
from typing import IO, Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

__all__ = ["DIED", "Event", "PolicyExecute", "STOPPED", "TIMEOUT", "cell_name", "error_output", "record", "recording"]

TIMEOUT = "timeout"  #: a cell ran out of time and stopped when interrupted
STOPPED = "kernel-stopped"  #: a cell ran out of time and ignored the interrupt: the kernel was killed
DIED = "kernel-died"  #: the kernel process ended while a cell ran


@dataclass(frozen=True)
class Event:
    """Something that happened while a notebook ran."""

    kind: str  #: :data:`TIMEOUT`, :data:`STOPPED`, :data:`DIED`, or an executor's own kind (e.g. "huge-output")
    cell: str  #: the cell's name (:func:`cell_name`)
    detail: str = ""


def cell_name(cell: NotebookNode, index: int) -> str:
    """How a cell is named to a learner or an instructor: its grade_id, else ``cell <n>`` (from 1)."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output that nbgrader scores 0 and whose one-line traceback is the reason itself."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


# the events list of the caller's run, while a `recording()` block is open in this thread of control
_RECORDING: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar("instructor_scoring_events",
                                                                                default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[Event]]:
    """Collect the events of every notebook a :class:`PolicyExecute` runs inside this block.

    For callers that do not hold the executor: nbgrader's ``autograde`` builds its own. The list
    belongs to this block only; nothing is kept once it ends.
    """
    events: list[Event] = []
    token = _RECORDING.set(events)
    try:
        yield events
    finally:
        _RECORDING.reset(token)


def record(event: Event) -> None:
    """Add ``event`` to the open :func:`recording`, if any: for a step that nbgrader runs after the executor."""
    collected = _RECORDING.get()
    if collected is not None:
        collected.append(event)


class PolicyExecute(Execute):
    """nbgrader's ``Execute`` with the course's policy for dead, stopped and timed-out kernels."""

    interrupt_grace = Integer(5, help="seconds a timed-out cell gets to stop after the interrupt; "
                                      "then the kernel is killed and later cells score 0").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: where the kernel's own stdout and stderr go (its start-up chatter is nobody's business);
        #: a file opened for reading too keeps the last words of a kernel that died
        self.kernel_output: IO[str] | int = subprocess.DEVNULL
        self.events: list[Event] = []
        self._stopped: str | None = None
        self._running_msg: str | None = None

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """nbclient's kernel start, with the kernel's own output sent to :attr:`kernel_output`."""
        kwargs.setdefault("stdout", self.kernel_output)
        kwargs.setdefault("stderr", self.kernel_output)
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        """Run ``nb`` in place; its events replace :attr:`events` (and join an open :func:`recording`)."""
        self.events = []
        self._stopped = None
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            collected = _RECORDING.get()
            if collected is not None:
                collected.extend(self.events)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        """Run one cell, unless the kernel is gone: then the cell scores 0 and says why."""
        if self._stopped is not None:
            if cell.cell_type == "code":
                # never leave a test cell without output: nbgrader would score it as passed
                cell.outputs = [error_output("KernelStopped", self._stopped)]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            name = cell_name(cell, index)
            said = self._last_words()
            self.events.append(Event(DIED, name, said))
            last = f" The kernel's last words: {said}" if said else ""
            self._stopped = f"not run: the kernel died in an earlier cell ({name}).{last}"
            cell.outputs = [*cell.get("outputs", []), error_output(
                "DeadKernelError", "the kernel died while running this cell (a crash, os._exit, or out of "
                                   f"memory): this cell and every later one score 0.{last}")]
            return cell, resources
        except CellTimeoutError as error:  # no output after the interrupt: the kernel was stopped
            self._stop_after_timeout(cell_name(cell, index))
            cell.outputs = [*cell.get("outputs", []), error_output("CellTimeoutError", str(error).splitlines()[0])]
            return cell, resources

    async def _async_poll_for_reply(self, msg_id: str, cell: NotebookNode, *args: Any, **kwargs: Any) -> Any:
        # remembered so that the reply to the interrupted cell can be told from any other message
        self._running_msg = msg_id
        return await super()._async_poll_for_reply(msg_id, cell, *args, **kwargs)

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        index = self.nb.cells.index(cell) if cell is not None and cell in self.nb.cells else -1
        name = cell_name(cell, index) if cell is not None else "a cell"
        reply = await super()._async_handle_timeout(timeout, cell)  # interrupts the kernel
        if await self._reply_after_interrupt():
            self.events.append(Event(TIMEOUT, name, f"ran longer than {timeout} s and was interrupted"))
        else:
            self.events.append(Event(STOPPED, name, f"ran longer than {timeout} s and ignored the interrupt"))
            self._stop_after_timeout(name)
            await self._kill_kernel()
        return reply

    def _stop_after_timeout(self, name: str) -> None:
        self._stopped = f"not run: the kernel was stopped after {name} ran out of time and ignored the interrupt."

    async def _reply_after_interrupt(self) -> bool:
        """Did the interrupted cell answer within the grace period?"""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.interrupt_grace
        while (remaining := deadline - loop.time()) > 0:
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

    def _last_words(self) -> str:
        """The last line a dead kernel wrote, when its output went to a readable file."""
        output = self.kernel_output
        if isinstance(output, int) or not output.readable():
            return ""
        output.flush()
        output.seek(0)
        said = [line for line in output.read().splitlines() if line.strip() and not line.startswith("[IPKernelApp]")]
        return said[-1] if said else ""
