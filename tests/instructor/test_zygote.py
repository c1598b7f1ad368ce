"""Warm kernels: forked from the zygote, each starts from an empty cloud and ends on its own."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from instructor.autograde import zygote
from instructor.autograde.zygote import WarmKernelManager

pytestmark = pytest.mark.nbgrader  # grades or runs real notebooks and kernels: the slow suite


@pytest.fixture(scope="module", autouse=True)
def warm():
    with zygote.shared():
        yield


def run(*sources: str, tmp_path) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    NotebookClient(notebook, kernel_manager_class=WarmKernelManager, timeout=30, shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return notebook


def text(cell) -> str:
    return "".join(output.get("text", "") for output in cell.outputs)


def test_each_kernel_starts_from_an_empty_cloud(tmp_path):
    setup = "import course\ncloud = course.start()\nsqs = cloud.client('sqs')"
    first = run(setup, "sqs.create_queue(QueueName='left-behind')\nprint(len(sqs.list_queues()['QueueUrls']))",
                tmp_path=tmp_path)
    assert text(first.cells[1]).strip() == "1"
    second = run(setup, "print(sqs.list_queues().get('QueueUrls', []))", tmp_path=tmp_path)
    assert text(second.cells[1]).strip() == "[]"  # not the zygote's warm-up, not the first kernel's queue


def test_kernels_are_separate_processes_in_the_notebook_folder(tmp_path):
    probe = "import os\nprint(os.getpid(), os.getcwd())"
    pids = set()
    for _ in range(2):
        pid, cwd = text(run(probe, tmp_path=tmp_path).cells[0]).split()
        pids.add(pid)
        assert cwd == str(tmp_path)
    assert len(pids) == 2 and str(zygote.zygote().process.pid) not in pids


def test_a_kernel_that_exits_is_seen_as_dead(tmp_path):
    with pytest.raises(DeadKernelError):
        run("import os\nos._exit(3)", "print('never')", tmp_path=tmp_path)
