"""The browser test's site is cached by the contents of its inputs, not their modification times."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from instructor.lite import cache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(tmp_path) -> Path:
    """A copy of the inputs the key reads (small: the notebooks and a stand-in for the code)."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    for folder in ("course", "graders", "instructor/lite"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "module.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'c'\n")
    return tmp_path


def test_the_key_follows_contents_not_modification_times(course):
    notebook = course / "notebooks" / "01_sqs_queues" / "01_sqs_queues.ipynb"
    before = cache.inputs_key(course)
    os.utime(notebook, (1, 1))  # a fresh clone or a checkout resets times
    assert cache.inputs_key(course) == before
    notebook.write_text(notebook.read_text().replace("Exercise sqs-1", "Exercise sqs-1 "))
    assert cache.inputs_key(course) != before


def test_a_cached_site_is_reused_and_a_changed_input_builds_a_new_one(course, monkeypatch):
    builds = []

    def fake_build(root, output, cache_folder):
        builds.append(output)
        output.mkdir(parents=True)
        (output / "jupyter-lite.json").write_text("{}")
        return output

    monkeypatch.setattr(cache, "build", fake_build)
    first = cache.cached_site(course, Path(".cache/lite"))
    assert cache.cached_site(course, Path(".cache/lite")) == first
    assert len(builds) == 1
    (course / "course" / "module.py").write_text("x = 2\n")
    second = cache.cached_site(course, Path(".cache/lite"))
    assert second != first and len(builds) == 2
    assert not first.exists(), "the stale site is removed"
    assert second.name.startswith("site-") and not second.name.endswith(".partial")


def test_an_interrupted_build_is_not_taken_for_a_site(course, monkeypatch):
    def failing_build(root, output, cache_folder):
        output.mkdir(parents=True)
        (output / "jupyter-lite.json").write_text("{}")
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "build", failing_build)
    with pytest.raises(KeyboardInterrupt):
        cache.cached_site(course, Path(".cache/lite"))
    sites = [p.name for p in (course / ".cache/lite").glob("site-*") if not p.name.endswith(".partial")]
    assert sites == []
