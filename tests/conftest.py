"""Fixtures shared by every test folder."""

import os

import pytest

import course


def pytest_configure(config):
    """Where this machine cannot contain a grading kernel (no bubblewrap or no user namespaces), the
    tests that grade notebooks grade them uncontained, and say so; the tests of containment itself
    (and the hostile classes) skip with the reason. CI installs bubblewrap (.ci/run)."""
    from instructor.autograde.contain import probe
    from instructor.autograde.pipeline import UNCONTAINED_VARIABLE

    reason = probe()
    if reason is not None:
        os.environ[UNCONTAINED_VARIABLE] = "1"
        config.issue_config_time_warning(pytest.PytestWarning(
            f"GRADING UNCONTAINED in these tests: {reason}. The containment and hostile-class tests are SKIPPED."),
            stacklevel=2)


@pytest.fixture
def cloud():
    """A running sandbox, stopped (state gone, patches undone) after the test."""
    sandbox = course.start()
    yield sandbox
    sandbox.stop()
