"""The program a warm contained sandbox runs: a learner zygote that forks one kernel at a time.

It runs INSIDE the bubblewrap sandbox (:mod:`instructor.autograde.warm_contained_kernel` starts it
by passing this file's text to ``python -P -c``), where ``instructor`` and ``graders`` do not exist:
at the top it imports the standard library only. It:

1. makes itself non-dumpable, so a kernel (same uid) can neither ptrace it nor read or write
   ``/proc/<zygote>/mem``: a kernel must not be able to change what the next kernel is forked from;
2. imports what a learner kernel needs (ipykernel, IPython, boto3/botocore, ``course``) once, while
   the scratch is still empty, and never imports anything again;
3. answers one JSON request per line on stdin, one JSON reply per line on stdout:

   * ``{"op": "spawn", ...}``: :func:`reset`, then fork a kernel (:func:`become_kernel`); replies
     ``{"pid": <its pid in the sandbox>}``;
   * ``{"op": "reset"}``: :func:`reset`; replies ``{"killed": <how many>}``.

:func:`reset` is what keeps one student from reaching the next: it kills every process of the PID
namespace but bwrap's init and the zygote, and empties every writable place. If it cannot prove
both, the zygote exits, and the host starts a new sandbox.
"""

import ctypes
import gc
import json
import os
import resource
import shutil
import signal
import sys

#: what a learner kernel imports anyway: ipykernel, the notebooks' setup cells (not moto, graders
#: or instructor: under grading the cloud and the checks are in the trusted process)
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm", "IPython",
           "IPython.core.completer", "pdb", "pydoc", "sqlite3", "tornado.ioloop", "faulthandler", "boto3",
           "botocore.session", "course")

#: the services whose botocore models a notebook loads first
SERVICES = ("sqs", "sns", "events", "kinesis", "firehose", "s3")

#: the sandbox's writable places, all tmpfs (the root is read-only)
WRITABLE = ("/scratch", "/tmp", "/dev/shm")

#: the PYTHONPATH the zygote started with; a kernel's own replaces it in its sys.path
ZYGOTE_PYTHONPATH = os.environ.get("PYTHONPATH", "")

PR_SET_DUMPABLE = 4
#: rounds of "kill what is left" before giving up: a fork bomb is bounded by RLIMIT_NPROC
KILL_ROUNDS = 10_000


def nondumpable() -> None:
    """Forbid ptrace and /proc/<pid>/mem on this process to everyone without CAP_SYS_PTRACE."""
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0)")


def preload() -> None:
    """Import once what every kernel needs, and load botocore's service models."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing extra only makes each kernel's start slower
            pass
    try:
        import boto3

        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        for service in SERVICES:  # a client loads its model; making one sends nothing
            session.client(service, endpoint_url="http://127.0.0.1:9")
    except Exception:  # noqa: BLE001 - a cold model is slower, not wrong
        pass


def _others() -> list[int]:
    """Pids of the namespace's live processes other than bwrap's init (1) and this zygote."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, os.getpid()):
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    state = stat.read().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue  # gone meanwhile
            if state not in ("Z", "X"):  # a zombie is dead; its parent or init reaps it
                found.append(int(entry))
    return found


def kill_others() -> int:
    """SIGKILL every other process until none is left (daemonised, setsid'ed, forking ones too)."""
    killed = 0
    for _ in range(KILL_ROUNDS):
        others = _others()
        if not others:
            return killed
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        os.sched_yield()
    raise RuntimeError("processes of the last kernel survive SIGKILL")


def remove_tree(path: str) -> None:
    """Remove a file or a folder tree without following links; folders made unreadable are opened."""
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)  # a learner's chmod 000 must not keep a folder
        with os.scandir(path) as entries:
            names = [entry.name for entry in entries]
        for name in names:
            remove_tree(os.path.join(path, name))
        os.rmdir(path)
    else:
        os.unlink(path)


def wipe() -> None:
    """Empty every writable place: nothing the last kernel wrote reaches the next one."""
    keep = _mount_points()  # e.g. a checkout under /tmp, bound over the private /tmp: not the kernel's
    for top in WRITABLE:  # the mount points themselves belong to bwrap: a kernel cannot chmod them
        _empty(top, keep)


def _mount_points() -> set[str]:
    with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
        return {line.split()[4].replace("\\040", " ") for line in mounts}


def _leads_to_mount(path: str, keep: set[str]) -> bool:
    """Is ``path`` a folder bwrap made to reach a mount in ``keep`` (one below it)?"""
    return any(point.startswith(path + "/") for point in keep)


def _empty(folder: str, keep: set[str]) -> None:
    """Remove all in ``folder`` but the mounts in ``keep`` (and the folders that lead to them)."""
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if path in keep:
            continue
        if _leads_to_mount(path, keep):
            _empty(path, keep)  # empty around the mount
            continue
        remove_tree(path)
    left = [name for name in os.listdir(folder)
            if (path := os.path.join(folder, name)) not in keep and not _leads_to_mount(path, keep)]
    if left:
        raise RuntimeError(f"{folder} is not empty after the wipe: {left[:5]}")


def reset() -> int:
    """Kill what the last kernel left running, then wipe; returns how many processes were killed."""
    killed = kill_others()
    wipe()
    return killed


def become_kernel(request: dict, replies: int, devnull: int) -> None:
    """In the forked child: limits, the kernel's data, environment and paths, then ipykernel. Never returns."""
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        # the kernel is the learner's own process again (its /proc entries its own); the zygote stays sealed
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        for name, value in request["rlimits"].items():  # before anything of the learner's runs
            resource.setrlimit(getattr(resource, name), (value, value))
        os.close(replies)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        if request.get("data"):
            _copy_into(request["data"], request["cwd"])
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel ends if the zygote does
        _set_python_path(request["env"].get("PYTHONPATH", ""))
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
        sys.argv = [sys.executable, *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["argv"])
    finally:
        os._exit(0)


def _copy_into(source: str, folder: str) -> None:
    """Copy what ``source`` holds into ``folder`` (a mount point, whose own mode stays bwrap's)."""
    for name in os.listdir(source):
        path = os.path.join(source, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.copytree(path, os.path.join(folder, name), symlinks=True)
        else:
            shutil.copy(path, os.path.join(folder, name), follow_symlinks=False)


def _set_python_path(python_path: str) -> None:
    """``sys.path`` as a Python started with this ``PYTHONPATH`` would have it (the zygote's own entries go)."""
    own = [p for p in ZYGOTE_PYTHONPATH.split(":") if p]
    rest = [p for p in sys.path if p and p not in own]
    sys.path[:] = [p for p in python_path.split(":") if p] + rest


def serve() -> None:
    """The zygote's loop: one request per line on stdin until it closes."""
    nondumpable()
    os.chdir("/")
    replies = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    preload()
    gc.collect()
    gc.freeze()  # the kernels share the imports' memory: their collector need not walk or touch it
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they end
    for line in sys.stdin:
        request = json.loads(line)
        try:
            killed = reset()
        except Exception as error:  # noqa: BLE001 - cannot prove the sandbox clean: end it
            os.write(replies, (json.dumps({"error": f"reset failed: {error}"}) + "\n").encode())
            os._exit(3)
        if request["op"] == "reset":
            reply = {"killed": killed}
        else:
            pid = os.fork()
            if pid == 0:
                become_kernel(request, replies, devnull)
            reply = {"pid": pid}
        os.write(replies, (json.dumps(reply) + "\n").encode())


if __name__ == "__main__":
    serve()
