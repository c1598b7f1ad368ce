"""A contained learner kernel (instructor.autograde.contain): each protection, with the attack it stops.

Each attack runs against both kinds of contained kernel: ``contained`` (a sandbox of its own per
kernel, instructor.autograde.contained_kernel) and ``warm`` (forked by the learner zygote of the
grading process's one sandbox, instructor.autograde.warm_contained_kernel). Every attack runs as code in a real contained kernel through nbclient, the way grading runs it,
and prints how it ended; each test first shows that the attack's target is real on the host (the
file exists, the server answers), then that from inside the kernel it fails. When this machine
cannot contain (no bubblewrap, user namespaces off), every test here is skipped with the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import textwrap
import threading
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from instructor.autograde import contain
from instructor.autograde.contain import Limits
from instructor.autograde.contained_kernel import contained_manager
from instructor.autograde.warm_contained_kernel import KERNELS, warm_contained_manager

ROOT = Path(__file__).resolve().parents[2]
CHANNEL_ENV = "LEARNER_CHANNEL"
MANAGERS = {"contained": contained_manager, "warm": warm_contained_manager}
KINDS = list(MANAGERS)

REASON = contain.probe()
pytestmark = [pytest.mark.nbgrader,  # starts real kernels: the slow suite
              pytest.mark.skipif(REASON is not None, reason=f"CONTAINMENT NOT AVAILABLE HERE: {REASON}")]


class Kernel:
    """One contained kernel driven by nbclient, cell by cell."""

    def __init__(self, folder: Path, kind: str = "contained", **settings) -> None:
        self.kind = kind
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(self.nb, kernel_manager_class=MANAGERS[kind](**settings), timeout=30,
                                     shutdown_kernel="immediate", allow_errors=True, interrupt_on_timeout=True,
                                     resources={"metadata": {"path": str(folder)}})
        self.client.km = self.client.create_kernel_manager()
        self.client.start_new_kernel()
        self.client.start_new_kernel_client()
        self.km = self.client.km
        self.sandbox = self.km.provisioner.sandbox
        self.private = self.km.private

    @property
    def init_pid(self) -> int:
        """The host pid of the sandbox's init (its pid 1)."""
        return self.sandbox.init_pid if self.kind == "contained" else self.sandbox.sandbox.init_pid

    @property
    def kernel_folders(self) -> str:
        """Where, inside, the kernels' folders of ipc sockets are."""
        return str(self.private.parent) if self.kind == "contained" else KERNELS

    @property
    def channel_inside(self) -> str:
        return contain.CHANNEL if self.kind == "contained" else f"{KERNELS}/{self.private.name}/learner.sock"

    def cell(self, code: str, timeout: int | None = None) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell(textwrap.dedent(code))
        self.nb.cells.append(cell)
        if timeout is not None:
            self.client.timeout, saved = timeout, self.client.timeout
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        finally:
            if timeout is not None:
                self.client.timeout = saved
        return cell

    def run(self, code: str) -> str:
        """What ``code`` printed; an exception the cell raised fails the test."""
        cell = self.cell(code)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{errors[0].ename}: {errors[0].evalue}"
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").strip()

    def attempt(self, statement: str) -> str:
        """``ok``, or the name (and errno) of the exception that ``statement`` raised inside."""
        body = textwrap.indent(textwrap.dedent(statement).strip(), "    ")
        return self.run(f"import os\ntry:\n{body}\n    print('ok')\nexcept BaseException as error:\n"
                        "    print(type(error).__name__, getattr(error, 'errno', None) or '')")

    def close(self) -> None:
        self.client._cleanup_kernel()


def refused(outcome: str) -> bool:
    return outcome != "ok"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder as grading sees it: a gradebook, two students' submissions, one with data."""
    root = tmp_path_factory.mktemp("course")
    (root / "gradebook.db").write_text("every grade of every student")
    for student in ("alice", "bob"):
        folder = root / "submitted" / student / "01_sqs_queues"
        folder.mkdir(parents=True)
        (folder / "01_sqs_queues.ipynb").write_text("{}")
        (folder / "orders.csv").write_text(f"{student},1\n")
    alice = root / "submitted" / "alice" / "01_sqs_queues"
    (alice / "grades.db").symlink_to(root / "gradebook.db")  # a "data file" that links to the gradebook
    (alice / "data").mkdir()
    (alice / "data" / "more.csv").write_text("x\n")
    return root


def _serve_channel(path: Path):
    """A Unix socket served on the host side: answers each line with ``echo: <line>``."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"echo: " + conn.recv(1024))

    threading.Thread(target=serve, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def channels(tmp_path_factory):
    """One channel socket per kind of kernel (in root mode each is given to its kernel's uid)."""
    paths = {kind: tmp_path_factory.mktemp(f"channel-{kind}") / "learner.sock" for kind in KINDS}
    servers = [_serve_channel(path) for path in paths.values()]
    yield paths
    for server in servers:
        server.close()


def _alice(course: Path, channels: dict, kind: str) -> Kernel:
    return Kernel(course / "submitted" / "alice" / "01_sqs_queues", kind, channel=channels[kind],
                  channel_env=CHANNEL_ENV, env={"COURSE_ROLE": "learner"})


@pytest.fixture(scope="module")
def contained_kernel(course, channels):
    k = _alice(course, channels, "contained")
    yield k
    k.close()


@pytest.fixture(params=KINDS)
def kernel(request, course, channels):
    """Alice's kernel: the contained one lives for the module; a warm one per test (they start in half a second,
    and a grading process's sandbox runs one kernel at a time)."""
    if request.param == "contained":
        yield request.getfixturevalue("contained_kernel")
        return
    k = _alice(course, channels, "warm")
    yield k
    k.close()


@pytest.fixture(scope="module")
def other(course):
    """Bob's kernel, running at the same time as Alice's (in another sandbox: a warm one would be in another
    grading process)."""
    k = Kernel(course / "submitted" / "bob" / "01_sqs_queues")
    yield k
    k.close()


# --- what the kernel sees ------------------------------------------------------------------------

def test_the_gradebook_is_not_there_by_absolute_path(kernel, course):
    gradebook = course / "gradebook.db"
    assert gradebook.exists()
    assert kernel.attempt(f"open({str(gradebook)!r}).read()") == f"FileNotFoundError {errno.ENOENT}"


@pytest.mark.parametrize("target", ["graders/sqs.py", "solutions/01_sqs_queues/01_sqs_queues.ipynb",
                                    "nbgrader_config.py", ".git", "instructor/autograde/trusted.py"])
def test_the_course_root_is_not_there(kernel, target):
    path = ROOT / target
    assert path.exists()
    assert kernel.attempt(f"os.stat({str(path)!r})") == f"FileNotFoundError {errno.ENOENT}"
    assert kernel.attempt(f"os.stat('/proc/self/root' + {str(path)!r})") == f"FileNotFoundError {errno.ENOENT}"


def test_the_parent_process_cwd_leads_nowhere(kernel, course):
    """``/proc/<ppid>/cwd`` was a way into the grader's folder: the grader's pid does not exist inside."""
    assert Path(f"/proc/{os.getpid()}/cwd").exists()
    assert refused(kernel.attempt(f"open('/proc/{os.getpid()}/cwd/gradebook.db').read()"))
    assert refused(kernel.attempt(f"open('/proc/{os.getpid()}/cwd/' + {str(ROOT / 'graders/sqs.py')!r}).read()"))
    # the kernel's own parent is the sandbox's init, whose folder is the scratch's
    assert refused(kernel.attempt(f"open(f'/proc/{{os.getppid()}}/cwd/../' + {str(course / 'gradebook.db')!r}).read()"))


def test_a_symlink_to_the_gradebook_is_not_copied_and_a_new_one_leads_nowhere(kernel, course):
    assert kernel.run("import os; print(sorted(os.listdir('.')))") == "['data', 'orders.csv']"
    assert kernel.run("print(open('data/more.csv').read().strip(), open('orders.csv').read().strip())") == "x alice,1"
    assert kernel.attempt(f"os.symlink({str(course / 'gradebook.db')!r}, 'book'); open('book').read()") \
        == f"FileNotFoundError {errno.ENOENT}"


def test_no_other_submission_and_no_other_kernel_files(kernel, other, course):
    bob = course / "submitted" / "bob" / "01_sqs_queues" / "orders.csv"
    assert kernel.attempt(f"open({str(bob)!r}).read()") == f"FileNotFoundError {errno.ENOENT}"
    assert other.private.exists() and any(other.private.glob("ipc/kernel.json"))
    assert kernel.attempt(f"os.listdir({str(other.private)!r})") == f"FileNotFoundError {errno.ENOENT}"
    assert kernel.attempt(f"os.listdir({str(other.private / 'ipc')!r})") == f"FileNotFoundError {errno.ENOENT}"
    # its own folder holds its own sockets only; the host's Jupyter runtime folder is not there
    prefix = "course-kernel-" if kernel.kind == "contained" else ""  # a contained kernel's /tmp is the host's path
    kernels = f"print([n for n in os.listdir({kernel.kernel_folders!r}) if n.startswith({prefix!r})])"
    assert kernel.run(kernels) == f"[{kernel.private.name!r}]"
    runtime = Path.home() / ".local/share/jupyter/runtime"
    assert refused(kernel.attempt(f"os.listdir({str(runtime)!r})"))


def test_graders_instructor_and_the_question_bank_are_not_importable(kernel):
    assert kernel.run("import course; print(course.__file__)") == f"{contain.COURSE_PATH}/course/__init__.py"
    assert kernel.attempt("import graders") == "ModuleNotFoundError"
    assert kernel.attempt("import instructor") == "ModuleNotFoundError"
    assert kernel.attempt("import graders.questions") == "ModuleNotFoundError"
    questions = Path(__import__("course").__file__).parent / "quiz" / "questions"
    assert any(questions.glob("*.toml"))
    assert kernel.run("import course.quiz.bank as bank; print(sorted(bank.QUESTIONS_DIR.iterdir()))") == "[]"
    assert kernel.attempt(f"open({str(questions / 'sqs.toml')!r}).read()") == f"FileNotFoundError {errno.ENOENT}"


def test_a_clean_environment(kernel, monkeypatch):
    assert "PYTEST_CURRENT_TEST" in os.environ  # the grader's own environment, which must not leak
    env = kernel.run("import os, json; print(json.dumps(dict(os.environ)))")
    values = __import__("json").loads(env)
    assert values["HOME"] == contain.SCRATCH and values["COURSE_ROLE"] == "learner"
    assert values[CHANNEL_ENV] == kernel.channel_inside
    assert "PYTEST_CURRENT_TEST" not in values
    assert set(values) <= set(contain.environment({"COURSE_ROLE": "x"}, CHANNEL_ENV)) | {
        "JPY_PARENT_PID", "PYDEVD_USE_FRAME_EVAL", "MPLBACKEND", "CLICOLOR", "FORCE_COLOR", "PAGER", "GIT_PAGER",
        "TERM", "COLUMNS", "LINES", "CLICOLOR_FORCE", "PWD"}  # what ipykernel and bwrap set


# --- what the kernel may write -------------------------------------------------------------------

def test_no_write_to_the_course_config_the_venv_or_the_course_root(kernel):
    config = ROOT / "nbgrader_config.py"
    before = config.read_bytes()
    assert refused(kernel.attempt(f"open({str(config)!r}, 'a').write('\\nc.ClearHiddenTests.enabled = False\\n')"))
    assert config.read_bytes() == before
    pth = Path(sysconfig.get_paths()["purelib"]) / "zz_learner.pth"
    assert kernel.attempt(f"open({str(pth)!r}, 'w').write('import os')") == f"OSError {errno.EROFS}"
    assert not pth.exists()
    planted = ROOT / "planted.py"
    assert refused(kernel.attempt(f"open({str(planted)!r}, 'w').write('x')"))
    assert not planted.exists()


def test_the_only_writable_places_are_the_scratch_and_tmp(kernel):
    writable = kernel.run("""
        import os
        found = []
        for top in ('/', '/usr', '/opt', '/proc/sys', '/dev', '/tmp', os.path.dirname(os.__file__)):
            for folder in [top] + [os.path.join(top, d) for d in sorted(os.listdir(top))]:
                if os.path.isdir(folder) and not os.path.islink(folder):
                    try:
                        open(os.path.join(folder, '.probe'), 'w').close()
                        os.remove(os.path.join(folder, '.probe'))
                        found.append(folder)
                    except OSError:
                        pass
        print('\\n'.join(sorted(set(found))))
    """).split()
    allowed = (contain.SCRATCH, "/tmp", "/dev/shm")
    assert {contain.SCRATCH, "/tmp", "/dev/shm"} <= set(writable)
    assert [f for f in writable if not any(f == a or f.startswith(a + "/") for a in allowed)] == []


# --- processes and the network -------------------------------------------------------------------

def test_the_grader_process_cannot_be_signalled(kernel):
    assert kernel.attempt(f"os.kill({os.getpid()}, 0)") == f"ProcessLookupError {errno.ESRCH}"
    kernel.attempt("os.kill(1, 9)")  # the sandbox's init: refused or ignored, never obeyed
    expected = {"contained": "2", "warm": "3"}[kernel.kind]  # init, (the zygote,) itself
    assert kernel.run("print(len([p for p in os.listdir('/proc') if p.isdigit()]))") == expected
    assert kernel.run("print('alive')") == "alive"


def test_no_network_not_even_the_hosts_loopback(kernel):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()  # reachable from the host
        assert kernel.attempt(f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5)") \
            == f"ConnectionRefusedError {errno.ECONNREFUSED}"
        assert kernel.run("import socket; print([name for _, name in socket.if_nameindex()])") == "['lo']"
    finally:
        server.close()


def test_the_callers_channel_socket_is_usable_inside(kernel):
    assert kernel.run(f"""
        import os, socket
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(os.environ[{CHANNEL_ENV!r}])
        s.sendall(b'hello')
        print(s.recv(100).decode())
    """) == "echo: hello"


# --- limits --------------------------------------------------------------------------------------

def test_a_4_gib_allocation_fails(kernel):
    assert kernel.attempt("block = bytearray(4 * 1024 ** 3)") == "MemoryError"
    assert kernel.run("print('alive')") == "alive"


def test_a_2_gib_file_stops_at_the_file_size_limit(kernel):
    assert kernel.attempt("""
        with open('big', 'wb') as f:
            for _ in range(128):
                f.write(bytes(16 * 1024 ** 2))
    """) == f"OSError {errno.EFBIG}"
    assert int(kernel.run("print(os.path.getsize('big')); os.remove('big')")) <= Limits().file_size


@pytest.mark.parametrize("kind", KINDS)
def test_a_fork_bomb_stops_at_the_process_limit(course, kind):
    k = Kernel(course / "submitted" / "bob" / "01_sqs_queues", kind, limits=Limits(processes=32))
    try:
        out = k.run("""
            import os
            read, write = os.pipe()
            children = 0
            try:
                while children < 10_000:
                    if os.fork() == 0:
                        os.close(write)
                        os.read(read, 1)  # each child waits for the pipe to close, using no CPU
                        os._exit(0)
                    children += 1
            except OSError as error:
                print(type(error).__name__, children)
            os.close(write)
            for _ in range(children):
                os.wait()
        """)
        name, children = out.split()
        assert name == "BlockingIOError" and int(children) < 32  # the kernel's threads count too
        assert k.run("print('alive')") == "alive"
        assert subprocess.run(["true"]).returncode == 0  # the host still starts processes
    finally:
        k.close()


def test_an_endless_loop_is_interrupted(kernel):
    cell = kernel.cell("while True:\n    pass", timeout=2)
    assert [o.ename for o in cell.outputs if o.output_type == "error"] == ["KeyboardInterrupt"]
    assert kernel.run("print('next cell')") == "next cell"


# --- nothing left behind -------------------------------------------------------------------------

def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        children = {child for child, parent in parents.items() if parent == current}
        todo += list(children - found)
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("ending", ["shutdown", "kill", "the kernel exits"])
def test_after_the_kernel_ends_no_process_and_no_folder_remain(course, ending, kind):
    k = Kernel(course / "submitted" / "bob" / "01_sqs_queues", kind)
    # a child that would outlive the kernel, and one in a session of its own
    k.run("import subprocess; subprocess.Popen(['sleep', '600']); subprocess.Popen(['sleep', '601'], "
          "start_new_session=True)")
    sandbox, private = k.sandbox, k.private
    if kind == "contained":
        inside = _descendants(sandbox.process.pid)
        assert len(inside) >= 4 and private.exists()  # sandbox init, kernel, sleeps
    else:  # the sandbox's init and zygote stay, for the next kernel
        kernel_pid = k.km.provisioner.pid
        inside = {kernel_pid} | _descendants(kernel_pid)
        assert len(inside) >= 3 and private.exists()  # kernel, sleeps
    if ending == "shutdown":
        run_sync(k.km.shutdown_kernel)(now=False)
    elif ending == "kill":
        run_sync(k.km.shutdown_kernel)(now=True)
    else:
        with pytest.raises(DeadKernelError):
            k.cell("import os; os._exit(1)")
    k.close()
    if kind == "contained":
        inside |= {sandbox.process.pid}
    assert not [pid for pid in inside if _alive(pid)]
    assert not private.exists()
    if sandbox.uid is not None:
        assert list(contain.processes(sandbox.uid)) == ([] if kind == "contained" else [sandbox.zygote_pid])


@pytest.mark.parametrize("kind", KINDS)
def test_when_the_grading_process_is_killed_its_kernel_dies_too(course, kind):
    """bwrap --die-with-parent: a grader killed with SIGKILL leaves no kernel (and no sandbox) running."""
    grader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.instructor.test_contain import Kernel
        k = Kernel(__import__('pathlib').Path({str(course / 'submitted' / 'bob' / '01_sqs_queues')!r}), {kind!r})
        print(k.init_pid, k.private if {kind!r} == "contained" else k.sandbox.private, flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    init_pid, private = grader.stdout.readline().split()
    init_pid = int(init_pid)
    assert _alive(init_pid)
    inside = _descendants(init_pid)
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    contain._wait_exit(init_pid, 10)
    assert not [pid for pid in inside | {init_pid} if _alive(pid)]
    shutil.rmtree(private)  # the one thing a SIGKILLed grader leaves: its kernels' folder of sockets


@pytest.mark.parametrize("kind", KINDS)
def test_nbgrader_execute_runs_a_notebook_in_a_contained_kernel(course, kind):
    """nbgrader's own Execute preprocessor takes the manager as its ``kernel_manager_class``."""
    from nbgrader.preprocessors import Execute

    code = "import os\nprint(os.getcwd(), sorted(os.listdir()))"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    execute = Execute(kernel_manager_class=MANAGERS[kind](), timeout=30)
    execute.preprocess(nb, {"metadata": {"path": str(course / "submitted" / "bob" / "01_sqs_queues")}})
    assert nb.cells[0].outputs[0].text.strip() == f"{contain.SCRATCH} ['orders.csv']"
