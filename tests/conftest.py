"""Fixtures shared by every test folder."""

import pytest

import course


@pytest.fixture
def cloud():
    """A running sandbox, stopped (state gone, patches undone) after the test."""
    sandbox = course.start()
    yield sandbox
    sandbox.stop()
