"""The one scoring policy for dead, stopped and timed-out kernels (instructor.scoring)."""

from __future__ import annotations

import tempfile

import pytest
from nbformat import v4
from nbgrader.utils import determine_grade

from instructor import authoring, check, scoring
from instructor.autograde.execute import GuardedExecute

pytestmark = pytest.mark.nbgrader


def _outputs(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id).outputs


def _grade(nb, grade_id):
    return determine_grade(next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id))


def test_course_check_and_course_grade_share_the_policy(monkeypatch, tmp_path):
    """Do `course check` and `course grade` run notebooks through the same policy class?"""
    assert issubclass(GuardedExecute, scoring.PolicyExecute)
    used = []

    class Spy(scoring.PolicyExecute):
        def preprocess(self, nb, resources=None, km=None):
            used.append(type(self))
            return nb, resources

    monkeypatch.setattr(scoring, "PolicyExecute", Spy)
    check.execute(v4.new_notebook(), tmp_path, 1)
    assert used == [Spy]


def test_a_dead_kernel_scores_every_later_cell_zero_with_its_last_words(tmp_path):
    """After os._exit, does every later test cell score 0 with the reason (not full marks, as stock
    nbgrader gives a cell without output), and is the death recorded once, for this run only?"""
    nb = v4.new_notebook(cells=[
        authoring.check("before", "print('fine')", 1),
        authoring.locked_code("crash", "import os\nos.write(2, b'bye from the kernel\\n')\nos._exit(1)"),
        authoring.check("after", "print('never')", 1),
    ])
    with tempfile.TemporaryFile("w+") as kernel_output, scoring.recording() as seen:
        executor = scoring.PolicyExecute(timeout=10, shutdown_kernel="immediate")
        executor.kernel_output = kernel_output
        executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert executor.events == [scoring.Event(scoring.DIED, "crash", "bye from the kernel")]
    assert seen == executor.events
    assert _grade(nb, "before") == (1, 1)
    assert _grade(nb, "after") == (0, 1)
    (stopped,) = _outputs(nb, "after")
    assert stopped.ename == "KernelStopped" and "crash" in stopped.evalue and "bye from the kernel" in stopped.evalue
    assert _outputs(nb, "crash")[-1].ename == "DeadKernelError"
    with scoring.recording() as later:
        pass
    assert later == [], "a recording holds only the runs inside its own block"


def test_a_timeout_scores_the_cell_zero_and_a_stubborn_loop_stops_the_kernel(tmp_path):
    """An interruptible loop costs its own cell only; a loop that swallows the interrupt gets the
    kernel killed after the grace period, and every later cell scores 0 with the reason."""
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"
    nb = v4.new_notebook(cells=[
        authoring.check("loop", "while True:\n    pass", 1),
        authoring.check("still-runs", "print('fine')", 1),
        authoring.check("stubborn", stubborn, 1),
        authoring.check("after", "print('never')", 1),
    ])
    executor = scoring.PolicyExecute(timeout=1, interrupt_grace=1, shutdown_kernel="immediate")
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert [(e.kind, e.cell) for e in executor.events] == [(scoring.TIMEOUT, "loop"), (scoring.STOPPED, "stubborn")]
    assert [_grade(nb, name)[0] for name in ("loop", "still-runs", "stubborn", "after")] == [0, 1, 0, 0]
    (stopped,) = _outputs(nb, "after")
    assert stopped.ename == "KernelStopped" and "stubborn" in stopped.evalue
