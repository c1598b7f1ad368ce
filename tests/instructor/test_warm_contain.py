"""Warm contained kernels (instructor.autograde.warm_contained_kernel): what sharing one sandbox adds.

Kernels of one grading process are forked, one at a time, by the learner zygote of one sandbox.
Each test here is an attack of one student on the next (or on the zygote), with the protection that
stops it. The protections every contained kernel has are in test_contain.py, run against both kinds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from nbclient.exceptions import DeadKernelError

from instructor.autograde import contain, warm_contained_kernel
from tests.instructor.test_contain import Kernel, _alive

REASON = contain.probe()
pytestmark = [pytest.mark.nbgrader,  # starts real kernels: the slow suite
              pytest.mark.skipif(REASON is not None, reason=f"CONTAINMENT NOT AVAILABLE HERE: {REASON}")]

PLANT = """
    import os, subprocess, sys
    startup = '/tmp/.ipython/profile_default/startup'
    os.makedirs(startup, exist_ok=True)
    with open(startup + '/x.py', 'w') as f:
        f.write('PLANTED = "by the last student"\\n')
    for folder in ('/scratch', '/tmp', '/dev/shm'):
        for name in ('sitecustomize.py', 'usercustomize.py', 'json_helpers.py'):
            with open(f'{folder}/{name}', 'w') as f:
                f.write('import builtins; builtins.PLANTED = "by the last student"\\n')
    with open('/scratch/answers.txt', 'w') as f:
        f.write('the last student')
    os.mkdir('/tmp/locked'); open('/tmp/locked/x', 'w').close(); os.chmod('/tmp/locked', 0)
    subprocess.Popen(['sleep', '600'])
    subprocess.Popen(['sleep', '601'], start_new_session=True)
    if os.fork() == 0:  # a daemon: double fork, new session, the grandchild orphaned to init
        os.setsid()
        if os.fork() == 0:
            os.execv('/bin/sleep', ['sleep', '602'])
        os._exit(0)
    os.wait()
    print(len([p for p in os.listdir('/proc') if p.isdigit()]))
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "orders.csv").write_text("o-1,2\n")
    (tmp_path / "notebook.ipynb").write_text("{}")
    return tmp_path


@contextlib.contextmanager
def warm(folder: Path, **settings) -> Iterator[Kernel]:
    """A warm contained kernel for the block, shut down after it however the block ends."""
    kernel = Kernel(folder, "warm", **settings)
    try:
        yield kernel
    finally:
        kernel.close()


def test_nothing_the_last_kernel_left_reaches_the_next(folder):
    with warm(folder) as first:
        assert int(first.run(PLANT)) >= 6  # init, zygote, the kernel and its three sleeps: the attack is in place
        assert first.run("print('x.py' in os.listdir('/tmp/.ipython/profile_default/startup'))") == "True"
        init = first.init_pid
    with warm(folder) as second:
        assert second.init_pid == init  # the same sandbox: the zygote forked the next kernel
        assert second.run("import os; print(len([p for p in os.listdir('/proc') if p.isdigit()]))") == "3"  # init, zygote, it
        assert second.run("print('PLANTED' in globals(), hasattr(__import__('builtins'), 'PLANTED'))") \
            == "False False"
        assert second.attempt("import json_helpers") == "ModuleNotFoundError"
        assert second.run("print('x.py' in os.listdir('/tmp/.ipython/profile_default/startup'))") == "False"
        assert second.run("print(sorted(os.listdir('/scratch')), os.listdir('/dev/shm'))") == "['orders.csv'] []"
        # (a checkout under /tmp is bound in: the folder that leads to its venv is the sandbox's, not a kernel's)
        assert second.run("import sys; print(sorted(n for n in os.listdir('/tmp') if n != '.ipython' "
                          "and not sys.prefix.startswith(f'/tmp/{n}/')))") == "[]"


def test_processes_of_the_last_kernel_are_gone_once_it_shut_down(folder):
    k = Kernel(folder, "warm")
    k.run(PLANT)
    kernel_pid = k.km.provisioner.pid
    left = {pid for pid in os.listdir("/proc") if pid.isdigit() and _namespace_of(int(pid)) == _namespace_of(kernel_pid)}
    zygote = k.sandbox.zygote_pid
    k.close()
    assert not [pid for pid in left if _alive(int(pid)) and int(pid) != zygote and int(pid) != k.init_pid]
    assert _alive(zygote)


def _namespace_of(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def test_a_kernel_can_neither_read_nor_trace_the_zygote(folder):
    with warm(folder) as k:
        assert k.attempt("os.kill(os.getppid(), 0)") == "ok"  # the zygote is its parent, and there
        assert k.attempt("open('/proc/self/mem', 'rb').close()") == "ok"  # the way in works on a dumpable process
        assert k.attempt("open(f'/proc/{os.getppid()}/mem', 'rb').read(1)") == f"PermissionError {errno.EACCES}"
        assert k.attempt("open(f'/proc/{os.getppid()}/environ', 'rb').read()") == f"PermissionError {errno.EACCES}"
        assert k.run(textwrap.dedent("""
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            print(libc.ptrace(16, os.getppid(), 0, 0), ctypes.get_errno())  # PTRACE_ATTACH
        """)) == f"-1 {errno.EPERM}"
        assert k.attempt("os.listdir(f'/proc/{os.getppid()}/fd')") == f"PermissionError {errno.EACCES}"


def test_a_kernel_that_kills_the_zygote_only_costs_a_restart(folder):
    with warm(folder) as k:
        init = k.init_pid
        kernel_pid = k.km.provisioner.pid
        with contextlib.suppress(DeadKernelError):  # the reply may leave before the sandbox ends
            k.cell("import os, signal; os.kill(os.getppid(), signal.SIGKILL)")
        contain._wait_exit(init, 10)  # the sandbox ends with its zygote, and the kernel with it
        assert not _alive(kernel_pid)
    with warm(folder) as after:
        assert after.init_pid != init
        assert after.run("import os; print(sorted(os.listdir('.')))") == "['orders.csv']"


def test_a_kernel_that_stops_the_zygote_does_not_stop_the_next_start(folder):
    with warm(folder) as k:
        init = k.init_pid
        k.run("import os, signal; os.kill(os.getppid(), signal.SIGSTOP); print('stopped')")
    with warm(folder) as after:
        assert after.init_pid == init  # woken up (SIGCONT), not replaced
        assert after.run("print('next student')") == "next student"


def test_the_caller_sets_the_kernels_python_path_and_environment(folder):
    with warm(folder, env={"PYTHONPATH": f"{contain.COURSE_PATH}:/opt/extra", "COURSE_ROLE": "learner"}) as k:
        assert k.run("import os, sys; print(sys.path[:2], os.environ['PYTHONPATH'], os.environ['COURSE_ROLE'])") \
            == f"['{contain.COURSE_PATH}', '/opt/extra'] {contain.COURSE_PATH}:/opt/extra learner"
        assert k.run("import course; print(course.__file__)") == f"{contain.COURSE_PATH}/course/__init__.py"


def test_the_kernels_rlimits_are_set_in_the_fork(folder):
    limits = contain.Limits(open_files=100, file_size=1024 * 1024)
    with warm(folder, limits=limits) as k:
        assert k.run("import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE), "
                     "resource.getrlimit(resource.RLIMIT_FSIZE))") == "(100, 100) (1048576, 1048576)"
        assert k.attempt("open('big', 'wb').write(bytes(2 * 1024 * 1024))") == f"OSError {errno.EFBIG}"


def test_the_sandbox_is_started_once_per_grading_process(folder):
    with warm(folder) as first:
        pass
    with warm(folder) as second:
        assert second.init_pid == first.init_pid
        assert warm_contained_kernel.learner_sandbox(second.km.limits, contain.COURSE_PATH) is second.sandbox
