"""Grade a notebook in two processes: the learner's cells in their kernel, the tests in a trusted one.

nbgrader runs a notebook's cells, the learner's and the instructor's tests alike, in one kernel, so
a submission can reach everything that grades it (docs/instructor.md, "What the grader trusts").
:class:`SplitExecute` takes the place of nbgrader's ``Execute`` step:

* a :class:`TrustedProcess` (forked from the warm zygote; :mod:`instructor.autograde.trusted`) runs
  the notebook's setup cells and its test cells, with their hidden tests, taken from the
  **gradebook** (the instructor's copy, never the submission's);
* the learner's kernel runs every other cell; in a test cell's place it runs
  ``course.remote.serve(n)``, answering the trusted process's calls of the learner's functions;
  its boto3 clients and clock reach the trusted process's cloud through the same socket
  (:mod:`course.remote`).

The test cell's outputs are then what the learner's code printed while it was called, what the
check printed, and, if the check failed, its exception's name and message: no traceback, so no
line of a hidden test, ever reaches the notebook.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from dataclasses import dataclass
from typing import Any

from nbclient.util import run_sync
from nbformat import NotebookNode
from traitlets import Bool, Float

from course.remote import SOCKET_VARIABLE
from course.remote.wire import Channel, ChannelClosed, ProtocolError
from instructor.autograde.contain import socket_folder
from instructor.autograde.execute import GuardedExecute
from instructor.scoring import Event, cell_name, error_output, record

__all__ = ["GRADER_FAILED", "Role", "SplitExecute", "TrustedProcess", "roles"]

GRADER_FAILED = "grader-error"  #: the event of a trusted process that failed or did not answer
SERVE_LINE = "__import__('course.remote', fromlist=['serve']).serve({cell})"


@dataclass(frozen=True)
class Role:
    """Where a cell runs: ``setup`` (both processes), ``test`` (trusted, served by the learner)."""

    kind: str
    source: str  #: the instructor's source, from the gradebook


def roles(nb: NotebookNode, resources: dict) -> dict[int, Role]:
    """The notebook's setup and test cells by index, with the gradebook's sources.

    A test cell is a grade cell that is not a solution; a setup cell is a locked cell that starts
    the course (``course.start(``). Both are recognised by their ``grade_id`` in the gradebook, so a
    submission that forges metadata gets an ordinary learner cell, not a trusted one.
    """
    from nbgrader.api import Gradebook, MissingEntry

    info = resources.get("nbgrader", {})
    found: dict[int, Role] = {}
    with Gradebook(info["db_url"]) as gradebook:
        try:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        except MissingEntry:
            return found
        solutions = {c.name for c in notebook.solution_cells}
        tests = {c.name for c in notebook.grade_cells} - solutions
        sources = {c.name: c for c in notebook.source_cells}
        for index, cell in enumerate(nb.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            source = sources.get(grade_id)
            if cell.cell_type != "code" or source is None:
                continue
            if grade_id in tests:
                found[index] = Role("test", source.source)
            elif source.locked and grade_id not in solutions and "course.start(" in source.source:
                found[index] = Role("setup", source.source)
    return found


class TrustedProcess:
    """One notebook's trusted process, as the grading worker sees it."""

    def __init__(self, folder: str) -> None:
        from instructor.autograde.zygote import zygote

        self.folder = folder
        self.learner_socket = os.path.join(folder, "learner.sock")
        self.pid = zygote().spawn_trusted(folder)
        self.channel = Channel(self._connect(os.path.join(folder, "parent.sock")))
        self._numbers = iter(range(1, 1 << 30))
        self.failed: str | None = None

    def _connect(self, path: str) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:
            try:
                sock.connect(path)
                return sock
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline or not _alive(self.pid):
                    raise RuntimeError("the trusted process did not start") from None
                time.sleep(0.005)  # the grader waiting for its own process to listen

    def send(self, source: str, cell: int | None, name: str) -> int:
        number = next(self._numbers)
        self.channel.send({"id": number, "op": "run", "source": source, "cell": cell, "name": name})
        return number

    def result(self, number: int, timeout: float) -> dict:
        """The answer to command ``number``; a failure of the process is recorded in :attr:`failed`."""
        self.channel.sock.settimeout(timeout)
        try:
            reply = self.channel.receive()
            if reply.get("re") != number or not isinstance(reply.get("ok"), dict):
                raise ProtocolError("an answer to another command")
            return reply["ok"]
        except (OSError, ChannelClosed, ProtocolError) as error:
            self.failed = f"the grader's trusted process failed or did not answer ({type(error).__name__})"
            self.stop()
            return {"stdout": "", "stderr": "", "error": {"ename": "GraderError", "evalue": self.failed}}

    def stop(self) -> None:
        self.channel.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


class SplitExecute(GuardedExecute):
    """nbgrader's Execute step, with the tests run in a trusted process (see the module docs)."""

    trusted_grace = Float(10.0, help="seconds the trusted process may take to report a test cell after the "
                                     "learner's kernel finished it").tag(config=True)

    contained = Bool(True, help="run the learner's kernel contained by the OS (instructor.autograde.contain); "
                                "False forks it from the zygote, in the grader's reach").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._roles: dict[int, Role] = {}
        self._trusted: TrustedProcess | None = None
        self._served = 0

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        """Run ``nb`` with a trusted process of its own, stopped (and its folder gone) afterwards."""
        self._roles = roles(nb, resources or {})
        self._served = 0
        folder = str(socket_folder("course-trusted-"))
        try:
            self._trusted = TrustedProcess(folder)
            if self.contained:
                self.kernel_manager_class = _contained_manager(self._trusted.learner_socket)
            try:
                return super().preprocess(nb, resources, km=km)
            finally:
                if self._trusted.failed:
                    # after super().preprocess has handed its events to the recording: hand this one in too
                    event = Event(GRADER_FAILED, "the grader", self._trusted.failed)
                    self.events.append(event)
                    record(event)
                self._trusted.stop()
        finally:
            self._trusted = None
            shutil.rmtree(folder, ignore_errors=True)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """The learner's kernel, told where the trusted process's cloud is."""
        assert self._trusted is not None
        if not self.contained:  # a contained kernel gets its whole environment from its manager
            env = dict(kwargs.get("env") or os.environ)
            env[SOCKET_VARIABLE] = self._trusted.learner_socket
            kwargs["env"] = env
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        """Setup cells run in both processes, test cells in the trusted one, the rest in the learner's kernel."""
        role = self._roles.get(index)
        trusted = self._trusted
        if role is None or trusted is None or self._stopped is not None:
            return super().preprocess_cell(cell, resources, index)
        name = cell_name(cell, index)
        if trusted.failed:
            cell.outputs = [error_output("GraderError", trusted.failed)]
            return cell, resources
        if role.kind == "setup":
            report = trusted.result(trusted.send(role.source, None, name), self.timeout or 60)
            if report.get("error"):
                trusted.failed = trusted.failed or (f"the setup cell {name} failed in the grader: "
                                                    f"{report['error']['ename']}: {report['error']['evalue']}")
            return super().preprocess_cell(cell, resources, index)
        self._served += 1
        number = trusted.send(role.source, self._served, name)
        source = cell.source
        cell.source = SERVE_LINE.format(cell=self._served)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = source
        report = trusted.result(number, self.trusted_grace)
        cell.outputs = [*cell.get("outputs", []), *_outputs(report)]
        return cell, resources


def _contained_manager(socket_path: str) -> type:
    """The kernel manager of a contained learner kernel whose channel is the trusted process's socket."""
    from instructor.autograde.contain import COURSE_PATH
    from instructor.autograde.warm_contained_kernel import warm_contained_manager

    # the course package first, then the graders stand-in (course/remote/stub) for the setup cell's import
    python_path = f"{COURSE_PATH}:{COURSE_PATH}/course/remote/stub"
    # warm: forked in this grading process's one sandbox (instructor/autograde/learner_zygote.py)
    return warm_contained_manager(channel=socket_path, channel_env=SOCKET_VARIABLE, env={"PYTHONPATH": python_path})


def _outputs(report: dict) -> list[NotebookNode]:
    """A test cell's outputs from the trusted process's report: text, and the failure as its message only."""
    outputs = [NotebookNode(output_type="stream", name=stream, text=str(report[stream]))
               for stream in ("stdout", "stderr") if report.get(stream)]
    error = report.get("error")
    if error:
        outputs.append(error_output(str(error.get("ename", "Error")), str(error.get("evalue", ""))))
    return outputs
