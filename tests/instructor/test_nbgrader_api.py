"""nbgrader's API with the course's speed-ups, in place only while they are used."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbgrader.api
from nbgrader.apps import NbGraderAPI

from instructor import nbgrader_api


def test_patches_are_undone_when_the_outermost_block_ends(monkeypatch, tmp_path):
    """Are nbgrader.api's functions and PATH patched inside patched() (nested too) and exactly as
    before once the outermost block ends, with the shared engine disposed?"""
    bin_dir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != bin_dir))
    before = (nbgrader.api.get_alembic_version, nbgrader.api.create_engine, os.environ["PATH"])
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with nbgrader_api.patched():
        inside = (nbgrader.api.get_alembic_version, nbgrader.api.create_engine)
        assert inside[0] is not before[0] and inside[1] is not before[1]
        assert os.environ["PATH"].split(os.pathsep)[0] == bin_dir
        with nbgrader_api.patched():
            assert (nbgrader.api.get_alembic_version, nbgrader.api.create_engine) == inside
            with nbgrader.api.Gradebook(url) as first:
                engine = first.engine
        with nbgrader.api.Gradebook(url) as second:
            assert second.engine is engine, "one engine per gradebook inside the block"
        assert nbgrader.api.get_alembic_version() == nbgrader.api.get_alembic_version()
    assert (nbgrader.api.get_alembic_version, nbgrader.api.create_engine, os.environ["PATH"]) == before
    assert engine.pool.checkedout() == 0


def test_path_changes_made_inside_the_block_survive_it(monkeypatch):
    """Only the entry patched() added to PATH is taken out again, not what others added meanwhile."""
    bin_dir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", "/usr/bin")
    with nbgrader_api.patched():
        os.environ["PATH"] += os.pathsep + "/opt/added-meanwhile"
    assert os.environ["PATH"] == "/usr/bin" + os.pathsep + "/opt/added-meanwhile"
    assert bin_dir not in os.environ["PATH"].split(os.pathsep)


def test_every_api_call_runs_inside_the_patches():
    """Is each public method of nbgrader's API wrapped, and are the patches gone after a call?"""
    public = [name for name, value in vars(NbGraderAPI).items() if callable(value) and not name.startswith("_")]
    assert "autograde" in public and "generate_assignment" in public
    for name in public:
        assert getattr(nbgrader_api.CourseAPI, name).__wrapped__ is getattr(NbGraderAPI, name), name
    original = nbgrader.api.create_engine
    seen = nbgrader_api._inside_patches(lambda: nbgrader.api.create_engine)()
    assert seen is not original and nbgrader.api.create_engine is original
