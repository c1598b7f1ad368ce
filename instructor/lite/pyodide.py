"""The Pyodide runtime of the site: the npm registry's core plus a lock file naming our wheels.

The npm package ``pyodide`` holds the core only (``pyodide.mjs``, the WebAssembly, the standard
library); its ``pyodide-lock.json`` names package wheels that live on a CDN. Here the lock is
rewritten to name exactly the wheels of :mod:`instructor.lite.wheels`, placed beside the core, so
the kernel loads all of them from the site itself (``loadPyodideOptions.packages``) before the
first cell runs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

__all__ = ["PYODIDE_VERSION", "fetch_core", "write_lock"]

#: the version jupyterlite-pyodide-kernel 0.8.6 (and 0.8.7) is built for (its ``PYODIDE_VERSION``)
PYODIDE_VERSION = "314.0.6"
#: files of the npm package the browser needs (the rest are types, source maps and a console page)
CORE_FILES = ["pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
              "pyodide-lock.json", "package.json"]


def fetch_core(cache: Path, version: str = PYODIDE_VERSION) -> Path:
    """The npm package ``pyodide@version`` unpacked under ``cache`` (fetched once); return its folder."""
    folder = cache / f"pyodide-{version}"
    if (folder / "pyodide.mjs").exists():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("course lite needs npm to fetch the Pyodide core (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "pack", f"pyodide@{version}", "--pack-destination", str(cache)],
                            check=True, capture_output=True, text=True)
    tarball = cache / result.stdout.strip().splitlines()[-1]
    staging = cache / f"pyodide-{version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    (staging / "package").rename(folder)
    staging.rmdir()
    tarball.unlink()
    return folder


def write_lock(core: Path, wheels: list[Path], dest: Path) -> list[str]:
    """Copy the core and ``wheels`` into ``dest`` with a lock naming the wheels; return the names to load."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(core / name, dest / name)
    lock = json.loads((core / "pyodide-lock.json").read_text())
    packages = {}
    for wheel in wheels:
        shutil.copy2(wheel, dest / wheel.name)
        name, version = wheel.name.split("-")[:2]
        key = name.lower().replace("_", "-")
        packages[key] = {
            "name": key, "version": version, "file_name": wheel.name, "install_dir": "site",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
            "imports": _top_level(wheel), "depends": [],
        }
    lock["packages"] = packages
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return sorted(packages)


def _top_level(wheel: Path) -> list[str]:
    """The importable names a wheel installs (its top-level folders and modules)."""
    with zipfile.ZipFile(wheel) as archive:
        names = {item.split("/")[0].removesuffix(".py") for item in archive.namelist()
                 if not item.split("/")[0].endswith((".dist-info", ".data"))}
    return sorted(n for n in names if n.isidentifier())
