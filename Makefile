# The two commands of the course: `make lab` and `make test`. Each sets itself up on a fresh
# machine (Python 3.11, pip, venv, git, make) and does nothing more the second time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs helper programs (alembic, jupyter) by name: the venv's bin must come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test setup notebooks lite benchmark clean

lab: $(STAMP)
	$(BIN)/course lab

test: $(STAMP)
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Regenerate the release notebooks from the solution notebooks (never edit notebooks/ by hand).
notebooks: $(STAMP)
	$(BIN)/course release

# The browser-only site (JupyterLite) in dist/lite/; the Pyodide core and the build tools are
# cached in .cache/lite/ (docs/lite.md). Needs npm once, for the Pyodide core.
lite: $(STAMP)
	$(BIN)/course lite

benchmark: $(STAMP)
	$(BIN)/python benchmarks/check_cells.py
	$(BIN)/python benchmarks/autograde.py

clean:
	rm -rf $(VENV) gradebook.db .pytest_cache dist/lite .cache/lite
