"""Whether a machine can contain a grading kernel, and what a contained kernel is given (no kernel started)."""

from __future__ import annotations

import os

import pytest

from instructor.autograde import contain


@pytest.fixture(autouse=True)
def fresh_probe():
    contain.probe.cache_clear()
    yield
    contain.probe.cache_clear()


def test_without_bubblewrap_the_reason_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(contain.shutil, "which", lambda name, *a, **k: None)
    assert contain.probe() == "bubblewrap is not installed: apt-get install bubblewrap"


def test_an_unprivileged_grader_without_user_namespaces_is_told_so(monkeypatch):
    monkeypatch.setattr(contain.shutil, "which", lambda name, *a, **k: f"/usr/bin/{name}")
    monkeypatch.setattr(contain, "_privileged", lambda: False)
    monkeypatch.setattr(contain, "_sysctl", lambda name: 0 if name == "user/max_user_namespaces" else None)
    assert contain.probe() == "user namespaces are disabled (/proc/sys/user/max_user_namespaces = 0)"


def test_a_bwrap_that_fails_gives_its_own_message(monkeypatch, tmp_path):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(contain.shutil, "which", lambda name, *a, **k: str(fake) if name == "bwrap" else "/bin/true")
    monkeypatch.setattr(contain, "_sysctl", lambda name: None)
    assert contain.probe() == ("bubblewrap cannot create namespaces here: "
                               "bwrap: Creating new namespace failed: Operation not permitted")


def test_launch_refuses_to_run_uncontained(monkeypatch, tmp_path):
    monkeypatch.setattr(contain, "probe", lambda: "bubblewrap is not installed: apt-get install bubblewrap")
    with pytest.raises(RuntimeError, match="cannot contain the kernel: bubblewrap is not installed"):
        contain.launch(["python"], private=tmp_path)


def test_the_environment_is_only_what_python_needs_and_the_callers(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "the instructor's")
    env = contain.environment({"COURSE_ROLE": "learner"}, "LEARNER_CHANNEL")
    assert env["HOME"] == contain.SCRATCH and env["PYTHONPATH"] == contain.COURSE_PATH
    assert env["COURSE_ROLE"] == "learner" and env["LEARNER_CHANNEL"] == contain.CHANNEL
    assert "AWS_SECRET_ACCESS_KEY" not in env and not set(env) & {"USER", "LOGNAME", "SSH_AUTH_SOCK"}


def test_kernels_started_at_once_get_distinct_uids():
    uids = [contain.kernel_uid() for _ in range(8)]
    assert len(set(uids)) == 8 and min(uids) >= contain.UID_BASE and os.getuid() not in uids
