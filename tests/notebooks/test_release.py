"""notebooks/ is nbgrader's release of solutions/, exactly, and no notebook sleeps."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from instructor.nbgrader_api import release
from instructor.paths import assignment_ids

ROOT = Path(__file__).resolve().parents[2]
IDS = assignment_ids(ROOT)


@pytest.mark.nbgrader
@pytest.mark.parametrize("assignment_id", IDS)
def test_release_matches_a_fresh_generate_assignment(assignment_id, tmp_path):
    """Regenerate the release into a temp course: the committed notebook must be identical."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment_id, tmp_path / "solutions" / assignment_id)
    fresh = json.loads(release(tmp_path, assignment_id).read_text())
    committed_path = ROOT / "notebooks" / assignment_id / f"{assignment_id}.ipynb"
    assert committed_path.exists(), f"run `make notebooks` and commit notebooks/{assignment_id}"
    committed = json.loads(committed_path.read_text())
    assert committed == fresh, f"notebooks/{assignment_id} drifted from solutions/: run `make notebooks`"


@pytest.mark.parametrize("assignment_id", IDS)
def test_release_outputs_are_stripped(assignment_id):
    """No outputs or execution counts are committed in a release notebook."""
    nb = json.loads((ROOT / "notebooks" / assignment_id / f"{assignment_id}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_no_notebook_sleeps(folder):
    """Time moves with the course clock: no notebook may call time.sleep."""
    for path in (ROOT / folder).glob("*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            assert not re.search(r"\bsleep\s*\(", "".join(cell["source"])), f"{path.name}: {cell['id']}"
