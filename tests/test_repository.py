"""The repository keeps its promises: the README's two commands, CI, one-click setups."""

import json
import os
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_starts_with_the_two_commands():
    """Does the README show `make lab` and `make test` first, before anything else?"""
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make lab", "make test"]
    assert readme.index("```bash") < readme.index("## ")


def test_readme_first_screen_offers_three_ways_in():
    """Before the first section: JupyterLab, the browser-only site, and Binder/dev container."""
    first_screen = (ROOT / "README.md").read_text().split("\n## ")[0]
    for way in ("make lab", "make lite", "binder/", ".devcontainer/"):
        assert way in first_screen, way


def test_ci_runs_the_readme_test_command():
    """Does .ci/run end by running `make test`, and is it executable?"""
    script = (ROOT / ".ci" / "run").read_text()
    assert script.rstrip().splitlines()[-1] == "make test"
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def test_makefile_bootstraps_the_venv_for_both_commands():
    """Do `lab` and `test` both depend on the install stamp that creates .venv?"""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab: \$\(STAMP\)", makefile, re.M)
    assert re.search(r"^test: \$\(STAMP\)", makefile, re.M)
    assert "-m venv" in makefile and 'pip install --quiet -e ".[test]"' in makefile


def test_pyproject_declares_the_course_command_and_dependencies():
    """One distribution with the `course` console script and the stack the design names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["course"] == "instructor.cli:main"
    deps = " ".join(project["dependencies"])
    for name in ("jupyterlab", "nbgrader", "moto[", "boto3", "ipywidgets"):
        assert name in deps
    assert "pytest" in " ".join(project["optional-dependencies"]["test"])


def test_one_click_setups_are_valid():
    """binder/ installs the course; the dev container's JSON parses and runs `make setup`."""
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()
    config = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text())
    assert config["postCreateCommand"] == "make setup"
    assert (ROOT / "docs" / "images" / "course-in-jupyterlab.png").stat().st_size > 10_000
