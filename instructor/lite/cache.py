"""A built site kept under the cache, keyed by what it is built from.

Building the site takes minutes (PyPI downloads, ``jupyter lite build``); the browser test needs
one that matches the working tree. A key over the inputs' *contents* (not their modification
times, which a fresh clone or a checkout resets) names the cached site, so an unchanged tree
reuses it and any change to the notebooks, the course's code, its pinned dependencies or the
build itself makes a new one.
"""

from __future__ import annotations

import hashlib
import shutil
from importlib.metadata import version
from pathlib import Path

from instructor.lite import pyodide, wheels
from instructor.lite.site import BUILD_REQUIREMENTS, build

__all__ = ["INPUTS", "cached_site", "inputs_key"]

#: what ends up in the site: the release notebooks, the course's wheel, and the build's own code
INPUTS = ["notebooks", "course", "graders", "instructor/lite", "pyproject.toml"]
#: the environment's versions the wheels are pinned to (:func:`instructor.lite.wheels.collect`)
PINNED = ["moto", "boto3", "botocore", "ipywidgets", "comm", "traitlets", "jupyterlab_widgets", "jupyter_server"]


def inputs_key(root: Path) -> str:
    """A short hash of every input file's path and bytes, the pinned versions and the build's pins."""
    digest = hashlib.sha256()
    for entry in INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    pins = [*BUILD_REQUIREMENTS, f"pyodide=={pyodide.PYODIDE_VERSION}", wheels.MICROPIP,
            *(f"{name}=={version(name)}" for name in PINNED)]
    digest.update("\n".join(pins).encode())
    return digest.hexdigest()[:16]


def cached_site(root: Path, cache: Path) -> Path:
    """The site for ``root`` as it is now: ``<cache>/site-<key>``, built there only if missing.

    A build goes to a side folder first and is renamed when complete, so an interrupted build is
    never taken for a site; sites of other keys are removed (they are 70 MB each).
    """
    cache = root / cache
    site = cache / f"site-{inputs_key(root)}"
    if (site / "jupyter-lite.json").exists():
        return site
    partial = site.with_name(site.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    build(root, partial, cache)
    for old in cache.glob("site-*"):
        if old != partial:
            shutil.rmtree(old)
    partial.rename(site)
    return site
