"""Containing a learner's kernel with the operating system: bubblewrap namespaces and rlimits.

Under ``course grade`` the learner's cells run in a **learner kernel** of their own; this module
decides what that process can see and use. :func:`launch` starts a command inside ``bwrap``
(Debian's ``bubblewrap``) so that it:

* sees a read-only Python (the venv and the base interpreter it was made from), the ``course``
  package read-only at :data:`COURSE_PATH` (first on ``PYTHONPATH``) with its question bank
  emptied, and nothing of the course root: no ``solutions/``, ``graders/``, ``instructor/``,
  gradebook, submissions, other kernels' files, or the instructor's home;
* works in :data:`SCRATCH`, a size-limited tmpfs holding a copy of the notebook folder's data files
  (no ``.ipynb``, no symbolic links), with a private ``/tmp``; the rest of its filesystem is
  read-only;
* has its own PID, IPC, UTS and network namespaces (loopback only: no network at all), a new
  terminal session, and dies with its parent;
* runs under :class:`Limits` (rlimits set inside the sandbox by a tiny Python wrapper just before
  the command is exec'd); wall time is the parent's;
* gets one extra bind, the caller's Unix socket (the cloud and call channel), at :data:`CHANNEL`,
  and a clean environment: the caller's variables and what Python needs, ``HOME`` = the scratch.

Two modes, chosen by who runs the grader:

* **unprivileged** (an instructor's account): ``bwrap --unshare-all`` creates a user namespace; the
  kernel runs as the caller's uid mapped into it, so ``RLIMIT_NPROC`` counts that namespace's
  processes only;
* **root** (CI, a grading pod): the kernel drops to a uid of its own (:func:`kernel_uid`) after the
  rlimits are set, because Linux never applies ``RLIMIT_NPROC`` to root, even inside a user
  namespace: as root a fork bomb would not stop.

Measured facts behind the choices are in ``docs/instructor.md`` ("Containing a learner's kernel").
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["CHANNEL", "COURSE_PATH", "SCRATCH", "Limits", "Sandbox", "data_files", "environment", "hidden_packages",
           "kernel_uid", "launch", "probe", "processes", "socket_folder"]

MiB = 1024 * 1024
GiB = 1024 * MiB

SCRATCH = "/scratch"  #: the kernel's working directory and HOME (a tmpfs of ``Limits.scratch`` bytes)
COURSE_PATH = "/opt/course"  #: the ``course`` package is bound at ``/opt/course/course``; first on PYTHONPATH
CHANNEL = "/run/course/channel.sock"  #: where the caller's Unix socket appears inside

#: sets the rlimits, drops to the kernel's uid (root mode), then becomes the command. It runs
#: inside the sandbox with ``python -I -S`` (no site, no environment), so nothing of the learner's
#: scratch or environment can run before the limits are in place.
WRAPPER = """\
import json, os, resource, sys
spec = json.loads(sys.argv[1])
for name, value in spec["rlimits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
if spec["uid"] is not None:
    os.setgroups([])
    os.setresgid(spec["uid"], spec["uid"], spec["uid"])
    os.setresuid(spec["uid"], spec["uid"], spec["uid"])
os.execv(sys.argv[2], sys.argv[2:])
"""

#: the first uid (and gid) of contained kernels in root mode: far above any account a machine has
UID_BASE = 1 << 30
_uids = itertools.count()


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one contained kernel may use. The rlimits hold for each of its processes."""

    #: address space per process (RLIMIT_AS). A learner kernel with ipykernel, boto3 and ``course``
    #: imported maps about 0.9 GiB (``benchmarks/contained_kernel.py`` prints it); 2 GiB leaves room
    #: for the notebook's work and stops a runaway allocation
    address_space: int = 2 * GiB
    #: processes and threads (RLIMIT_NPROC): the kernel runs about 10 threads
    processes: int = 64
    #: the largest file it may write (RLIMIT_FSIZE)
    file_size: int = 64 * MiB
    #: CPU seconds per process (RLIMIT_CPU), a backstop: the parent's per-cell timeout is the wall time
    cpu_seconds: int = 600
    #: size of each of its writable tmpfs (the scratch folder, ``/tmp``, ``/dev/shm``)
    scratch: int = 256 * MiB
    #: open file descriptors (RLIMIT_NOFILE)
    open_files: int = 256

    def rlimits(self) -> dict[str, int]:
        """The ``resource`` module's names and values; core dumps are always off."""
        return {"RLIMIT_AS": self.address_space, "RLIMIT_NPROC": self.processes, "RLIMIT_FSIZE": self.file_size,
                "RLIMIT_CPU": self.cpu_seconds, "RLIMIT_NOFILE": self.open_files, "RLIMIT_CORE": 0}


def _privileged() -> bool:
    return os.geteuid() == 0


def _namespace_flags() -> list[str]:
    if _privileged():
        # no user namespace: the wrapper needs real CAP_SETUID/CAP_SETGID to drop to the kernel's uid
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-all", "--disable-userns"]


def _sysctl(name: str) -> int | None:
    """A kernel setting under /proc/sys, or None where this kernel has no such setting."""
    try:
        return int(Path("/proc/sys", name).read_text())
    except (OSError, ValueError):
        return None


#: how long the temp folder's path may be for sockets to live below it: a Unix socket's path may not be
#: longer than 107 bytes, and the deepest (a warm kernel's ZMQ socket) is about 55 below its folder
_SOCKET_BASE_LENGTH = 40


def socket_folder(prefix: str) -> Path:
    """A new private folder (mode 0700) for Unix sockets: in the temp folder, or in ``/tmp`` when the
    temp folder's path is too long for a socket below it (a long ``TMPDIR``, a test's ``tmp_path``)."""
    base = tempfile.gettempdir()
    if len(base) > _SOCKET_BASE_LENGTH and os.path.isdir("/tmp"):
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


@functools.cache
def probe() -> str | None:
    """None if this machine can contain a kernel, else the reason it cannot (checked once)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap is not installed: apt-get install bubblewrap"
    if not _privileged():
        if _sysctl("user/max_user_namespaces") == 0:
            return "user namespaces are disabled (/proc/sys/user/max_user_namespaces = 0)"
        if _sysctl("kernel/unprivileged_userns_clone") == 0:
            return "unprivileged user namespaces are disabled (/proc/sys/kernel/unprivileged_userns_clone = 0)"
    true = shutil.which("true") or "/bin/true"
    try:
        result = subprocess.run([bwrap, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                                 *_namespace_flags(), "--die-with-parent", "--new-session", true],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap does not run here: {error}"
    if result.returncode != 0:
        hint = ""
        if _sysctl("kernel/apparmor_restrict_unprivileged_userns") == 1:
            hint = (" (AppArmor restricts unprivileged user namespaces: "
                    "kernel.apparmor_restrict_unprivileged_userns = 1)")
        return f"bubblewrap cannot create namespaces here: {result.stderr.strip() or result.returncode}{hint}"
    return None


def kernel_uid() -> int:
    """A uid (and gid) for one kernel in root mode: distinct for every kernel running at once.

    RLIMIT_NPROC counts the processes of a uid, so kernels sharing one uid would share one budget
    (one learner's fork bomb would stop another's kernel from starting a thread). The uid is built
    from this process's pid (live pids are distinct) and a counter of its kernels.
    """
    return UID_BASE + (os.getpid() % (1 << 22)) * 256 + next(_uids) % 256


def hidden_packages() -> list[Path]:
    """The folders a kernel must not read, wherever the course is installed from.

    ``graders`` and ``instructor`` (the checks, hidden-test helpers, the grading pipeline) and the
    question bank (its ``correct`` fields are the answer key of graded questions). Where they live
    outside the bound trees (an editable install maps them to the course root) they are unseen
    anyway; inside (a ``pip install .`` into the venv) an empty tmpfs covers them.
    """
    import course
    import graders
    import instructor

    return [Path(graders.__file__).parent, Path(instructor.__file__).parent,
            Path(course.__file__).parent / "quiz" / "questions"]


def _python_trees() -> list[Path]:
    """What the interpreter needs: the venv and its base installation (deduplicated, real paths)."""
    trees: list[Path] = []
    for prefix in (sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))):
        path = Path(os.path.realpath(prefix))
        if not any(path == t or t in path.parents for t in trees) and not _under_usr(path):
            trees = [t for t in trees if path not in t.parents] + [path]
    return trees


def _under_usr(path: Path) -> bool:
    return path == Path("/usr") or Path("/usr") in path.parents


class _Args:
    """bwrap's argument list, creating each parent folder once with mode 0755 (bwrap's own is 0700,
    which a kernel with a uid of its own could not walk through)."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self.made: set[str] = {"/"}

    def parents(self, dest: str) -> None:
        for parent in reversed(Path(dest).parents):
            if str(parent) not in self.made:
                self.made.add(str(parent))
                self.argv += ["--perms", "0755", "--dir", str(parent)]

    def add(self, *args: str, dest: str) -> None:
        self.parents(dest)
        self.made.add(dest)
        self.argv += list(args)


def _root_filesystem(args: _Args, limits: Limits) -> None:
    """/usr and the usual links to it, the Python trees, /proc, /dev and the private tmpfs."""
    args.add("--ro-bind", "/usr", "/usr", dest="/usr")
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(name):
            args.add("--symlink", os.readlink(name), name, dest=name)
        elif os.path.isdir(name):
            args.add("--ro-bind", name, name, dest=name)
    args.add("--proc", "/proc", dest="/proc")
    args.add("--dev", "/dev", dest="/dev")
    size = str(limits.scratch)
    args.add("--perms", "1777", "--size", size, "--tmpfs", "/dev/shm", dest="/dev/shm")
    args.add("--perms", "1777", "--size", size, "--tmpfs", "/tmp", dest="/tmp")
    # after the private /tmp: a checkout (and its venv) under /tmp is bound on top of it, not hidden by it
    for tree in _python_trees():
        args.add("--ro-bind", str(tree), str(tree), dest=str(tree))


def _course(args: _Args, read_only: list[str]) -> None:
    """The course package read-only at COURSE_PATH, and empty folders over every hidden package."""
    import course

    package = str(Path(course.__file__).parent)
    inside = f"{COURSE_PATH}/course"
    args.add("--ro-bind", package, inside, dest=inside)
    for hidden in hidden_packages():
        targets = [str(hidden)] if any(t == hidden or t in hidden.parents for t in _python_trees()) else []
        if Path(package) in hidden.parents:
            targets.append(inside + "/" + str(hidden.relative_to(package)))
        for target in targets:
            if os.path.isdir(hidden):
                args.add("--perms", "0755", "--size", "4096", "--tmpfs", target, dest=target)
                read_only.append(target)


def data_files(data: Path, budget: int) -> Iterator[tuple[str, int | None]]:
    """The notebook folder's data files, as the kernel may get them: ``(relative path, descriptor)``.

    A folder comes as ``(path, None)`` before what is in it. Left out: ``.ipynb`` files,
    ``.ipynb_checkpoints``, symbolic links (to files or folders: a data file that links to the
    gradebook is not copied), anything but regular files (no fifo, no device). The caller owns each
    descriptor. Raises ``ValueError`` when the files hold more than ``budget`` bytes.
    """
    total = 0
    for folder, dirs, files in os.walk(data):  # os.walk follows no links to folders by default
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints" and not os.path.islink(os.path.join(folder, d)))
        relative = os.path.relpath(folder, data)
        for name in dirs:
            yield os.path.normpath(os.path.join(relative, name)), None
        for name in sorted(files):
            if name.endswith(".ipynb"):
                continue
            try:  # O_NOFOLLOW: a link is refused here, even one made after the walk listed it
                fd = os.open(os.path.join(folder, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            info = os.fstat(fd)
            if not (info.st_mode & 0o170000) == 0o100000:
                os.close(fd)
                continue
            total += info.st_size
            if total > budget:
                os.close(fd)
                raise ValueError(f"the notebook's folder {data} holds more than {budget} bytes of data files, "
                                 "half the scratch size")
            yield os.path.normpath(os.path.join(relative, name)), fd


def _scratch(args: _Args, limits: Limits, data: Path | None) -> list[int]:
    """The scratch tmpfs with a copy of ``data``'s files; returns the descriptors bwrap copies from."""
    args.add("--perms", "0777", "--size", str(limits.scratch), "--tmpfs", SCRATCH, dest=SCRATCH)
    fds: list[int] = []
    if data is None:
        return fds
    try:
        for relative, fd in data_files(data, limits.scratch // 2):
            inside = f"{SCRATCH}/{relative}"
            if fd is None:
                args.add("--perms", "0777", "--dir", inside, dest=inside)
            else:
                fds.append(fd)
                args.add("--perms", "0666", "--file", str(fd), inside, dest=inside)
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return fds


def environment(env: Mapping[str, str] | None, channel_env: str | None) -> dict[str, str]:
    """The kernel's whole environment: what Python and Jupyter need, then the caller's variables."""
    base = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin", "HOME": SCRATCH,
            "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONPATH": COURSE_PATH, "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
            "JUPYTER_CONFIG_DIR": "/tmp/.jupyter", "JUPYTER_DATA_DIR": "/tmp/.jupyter-data"}
    base.update(env or {})
    if channel_env:
        base[channel_env] = CHANNEL
    return base


@dataclasses.dataclass
class Sandbox:
    """A running contained command: the outer ``bwrap`` (our child) and the namespace's first process."""

    process: subprocess.Popen
    #: the host pid of the sandbox's pid 1; when it has exited, every process of the sandbox has
    init_pid: int | None
    #: the uid the command runs as (root mode), None when it keeps the caller's
    uid: int | None

    def close(self, timeout: float = 10) -> None:
        """Kill the sandbox if it still runs and wait until none of its processes is left."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()  # bwrap --die-with-parent: its namespace's processes get SIGKILL too
        self.process.wait(timeout)
        if self.init_pid is not None:
            _wait_exit(self.init_pid, timeout)


def _wait_exit(pid: int, timeout: float) -> None:
    """Wait for a process that is not our child to exit (a pidfd becomes readable when it has)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        if not select.select([fd], [], [], timeout)[0]:
            raise TimeoutError(f"the contained kernel's namespace (pid {pid}) is still running after {timeout} s")
    finally:
        os.close(fd)


def launch(argv: list[str], *, private: Path, data: Path | None = None, limits: Limits = Limits(),
           channel: str | None = None, channel_env: str | None = None, env: Mapping[str, str] | None = None,
           writable: tuple[str, ...] = (), binds: Mapping[str, str] | None = None, pipes: bool = False) -> Sandbox:
    """Run ``argv`` contained; returns once the sandbox is set up.

    ``private`` is the caller's own folder (mode 0700): bwrap's messages go to ``private/bwrap.log``
    (written through the file-size limit). ``writable`` are folders of the host bound read-write at
    the same path inside (the kernel's ZMQ ipc sockets); ``data`` is the folder whose files are
    copied into the scratch; ``channel`` a Unix socket bound at :data:`CHANNEL`, its path given in
    ``channel_env``. ``binds`` maps more host folders to where they appear inside, read-write. In
    root mode the writable and bound folders, their entries and the socket are given to the
    kernel's uid. With ``pipes`` the command's stdin and stdout are pipes to the caller
    (``Sandbox.process.stdin``/``stdout``), else /dev/null and bwrap's log.
    """
    reason = probe()
    if reason is not None:
        raise RuntimeError(f"cannot contain the kernel: {reason}")
    uid = kernel_uid() if _privileged() else None
    args = _Args()
    read_only: list[str] = []
    _root_filesystem(args, limits)
    _course(args, read_only)
    for folder in writable:
        args.add("--bind", folder, folder, dest=folder)
        if uid is not None:
            _give(Path(folder), uid)
    for folder, inside in (binds or {}).items():
        args.add("--bind", folder, inside, dest=inside)
        if uid is not None:
            _give(Path(folder), uid)
    if channel is not None:
        args.add("--bind", channel, CHANNEL, dest=CHANNEL)
        if uid is not None:
            os.chown(channel, uid, uid)
    fds = _scratch(args, limits, data)
    info_read, info_write = os.pipe()
    spec = json.dumps({"rlimits": limits.rlimits(), "uid": uid})
    command = ["bwrap", *args.argv, *itertools.chain.from_iterable(("--remount-ro", p) for p in ["/", *read_only]),
               *_namespace_flags(), "--die-with-parent", "--new-session", "--chdir", SCRATCH,
               "--info-fd", str(info_write), sys.executable, "-I", "-S", "-c", WRAPPER, spec, *argv]
    try:
        with open(private / "bwrap.log", "ab") as log:
            process = subprocess.Popen(command, env=environment(env, channel_env), cwd=private,
                                       stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
                                       stdout=subprocess.PIPE if pipes else log, stderr=log,
                                       pass_fds=[*fds, info_write], start_new_session=True)
    finally:
        os.close(info_write)
        for fd in fds:
            os.close(fd)
    with os.fdopen(info_read, "rb") as info:
        text = info.read()  # bwrap writes the child's pid once the namespaces exist, then closes it
    init_pid = json.loads(text).get("child-pid") if text.strip() else None
    if init_pid is None:
        process.wait(10)
        log = (private / "bwrap.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"bubblewrap could not start the kernel (exit {process.returncode}): {log.strip()}")
    return Sandbox(process, init_pid, uid)


def _give(folder: Path, uid: int) -> None:
    """Hand ``folder`` and what is in it (not what links lead to) to the kernel's uid."""
    for path in [folder, *folder.iterdir()]:
        os.chown(path, uid, uid, follow_symlinks=False)


def processes(uid: int) -> Iterator[int]:
    """Host pids of the processes running as ``uid`` (how tests see that a root-mode kernel is gone)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{entry}/status").read_text()
                line = next(line for line in status.splitlines() if line.startswith("Uid:"))
                if int(line.split()[1]) == uid:
                    yield int(entry)
