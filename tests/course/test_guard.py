"""The network guard refuses every known leak path - proven inside a namespace with no route out.

Nothing here is ever aimed at a reachable outside address: the scenarios run in `unshare -n`
(only a loopback interface), so even a broken guard could send nothing; the forbidden target is
the documentation address 192.0.2.1. We assert the guard's own error, not a connection failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.sandbox.guard import NetworkGuard, is_loopback

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def run_in_netns(*command: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a command in a fresh network namespace that has only `lo` (skips, loudly, if impossible)."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("NETWORK-NAMESPACE TESTS SKIPPED: `unshare` and `ip` (util-linux, iproute2) are needed")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"NETWORK-NAMESPACE TESTS SKIPPED: unshare -n is not permitted here ({probe.stderr.decode().strip()})")
    script = "ip link set lo up && exec \"$@\""
    return subprocess.run(["unshare", "-n", "sh", "-c", script, "sh", *command], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def leak_results():
    done = run_in_netns(sys.executable, str(HERE / "netns" / "leak_paths.py"))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.netns
@pytest.mark.parametrize("scenario", [
    "client made before the sandbox", "custom endpoint_url", "dualstack endpoint", "requests", "urllib",
    "raw socket connect", "DNS lookup", "UDP sendto", "getaddrinfo bound before the guard",
    "SNS HTTP subscription delivery",
])
def test_leak_path_is_refused_by_the_guard(leak_results, scenario):
    """Is this leak path stopped by the guard itself, with its 'runs offline' message?"""
    assert leak_results[scenario] == "blocked"


@pytest.mark.netns
def test_no_outside_name_was_ever_resolved(leak_results):
    """The guard refuses before DNS: no AWS host name reached the resolver."""
    assert leak_results["resolved names"] == []


@pytest.mark.netns
@pytest.mark.parametrize("scenario", ["moto still works", "local server on 127.0.0.1"])
def test_local_work_is_allowed(leak_results, scenario):
    """moto (in process) and servers on loopback keep working under the guard."""
    assert leak_results[scenario] == "allowed"


@pytest.mark.netns
def test_rerunning_start_does_not_stack_patches(leak_results):
    assert leak_results["getaddrinfo wrapped once"] is True


SITECUSTOMIZE = '''
import json, os, sys
LOG = os.environ["COURSE_CONNECT_LOG"]
LOCAL = (None, "localhost", "127.0.0.1", "::1", "0.0.0.0")
def _hook(event, args):
    if event in ("socket.connect", "socket.sendto"):
        address = args[1]
        host = address[0] if isinstance(address, tuple) else None
    elif event in ("socket.getaddrinfo", "socket.gethostbyname"):
        host = args[0]
    else:
        return
    if isinstance(host, bytes):
        host = host.decode()
    if host not in LOCAL and not str(host).startswith("127."):
        with open(LOG, "a") as log:
            log.write(json.dumps([event, str(host), sys.argv[:2]]) + "\\n")
sys.addaudithook(_hook)
'''


@pytest.mark.netns
@pytest.mark.nbgrader  # runs every solution notebook in a kernel: the slow suite
@pytest.mark.parametrize("notebook", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "solutions").glob("*/*.ipynb")))
def test_a_full_notebook_run_attempts_no_outside_connection(notebook, tmp_path):
    """Run a whole solution notebook (kernel included) and record every non-loopback attempt: none."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "connections.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "COURSE_CONNECT_LOG": str(log)}
    done = run_in_netns(sys.executable, "-m", "instructor.cli", "check", notebook, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert not log.exists(), log.read_text()


def test_loopback_detection():
    """Loopback names and addresses are recognised; others, and look-alikes, are not."""
    for host in ("localhost", "127.0.0.1", "127.8.9.1", "::1", "[::1]", None, b"localhost", "api.localhost"):
        assert is_loopback(host)
    for host in ("192.0.2.1", "sqs.us-east-1.amazonaws.com", "localhost.example.com", "10.0.0.1", "0.0.0.0"):
        assert not is_loopback(host)


def test_explicitly_allowed_host_is_permitted():
    """An endpoint the learner named (course.start(endpoint_url=...)) is allowed, nothing else."""
    guard = NetworkGuard(allowed_hosts=["localstack.internal"])
    assert guard.permits("localstack.internal") and not guard.permits("192.0.2.1")
