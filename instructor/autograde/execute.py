"""nbgrader's ``Execute`` preprocessor, hardened for a class's hostile submissions.

On top of the course's scoring policy for dead, stopped and timed-out kernels
(:class:`instructor.scoring.PolicyExecute`, shared with ``course check``), a grading kernel:

* is forked from a warm zygote (:mod:`instructor.autograde.zygote`) instead of importing everything;
* keeps at most :attr:`GuardedExecute.max_output_bytes` of each cell's output (otherwise 50 MB of
  output becomes a 50 MB notebook).

Every such event is in the executor's ``events``; the grading worker reads them through
:func:`instructor.scoring.recording` and turns them into flags.
"""

from __future__ import annotations

import json
from typing import Any

from nbformat import NotebookNode
from traitlets import Bool, Integer

from instructor.scoring import Event, PolicyExecute, cell_name

__all__ = ["GuardedExecute", "HUGE_OUTPUT"]
HUGE_OUTPUT = "huge-output"  #: the event of a cell whose output was cut


def _size(content: dict) -> int:
    """Roughly how many bytes an output message carries (its text and data), without encoding it."""
    size = len(content.get("text", "")) if isinstance(content.get("text"), str) else 0
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    return size


class GuardedExecute(PolicyExecute):
    """The course's Execute policy, with warm kernels and an output cap."""

    max_output_bytes = Integer(1024 * 1024, help="bytes of output kept per cell; the rest is dropped").tag(config=True)

    warm_kernels = Bool(True, help="fork kernels from a warm zygote (instructor.autograde.zygote)").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.warm_kernels:
            from instructor.autograde.zygote import WarmKernelManager

            self.kernel_manager_class = WarmKernelManager
        # history in memory, as nbgrader does for Python
        self.extra_arguments = [*self.extra_arguments, "--HistoryManager.hist_file=:memory:"]
        self._output_bytes: dict[int, int] = {}

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        """Run ``nb`` in place under the policy, counting each cell's output afresh."""
        self._output_bytes = {}
        return super().preprocess(nb, resources, km=km)

    def output(self, outs: list, msg: dict, display_id: Any, cell_index: int) -> Any:
        """nbclient's output handling, keeping at most ``max_output_bytes`` per cell."""
        size = _size(msg.get("content", {}))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes or msg.get("msg_type") == "error":
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:
            name = cell_name(self.nb.cells[cell_index], cell_index)
            self.events.append(Event(HUGE_OUTPUT, name, f"printed more than {self.max_output_bytes // 1024} KiB"))
            outs.append(NotebookNode(output_type="stream", name="stdout",
                                     text=f"\n... output cut by the autograder after {self.max_output_bytes // 1024} KiB ...\n"))
        return None
