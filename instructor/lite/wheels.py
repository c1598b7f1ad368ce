"""The wheels the browser kernel loads: the course and its dependencies, all pure Python.

Measured (``docs/lite.md``): every dependency of the course has a pure-Python wheel on PyPI except
MarkupSafe and PyYAML, which ship compiled wheels only but fall back to pure Python when their
extension is missing (so their compiled wheel is repacked without it), and ``cryptography`` (with
``cffi`` and ``pycparser``), which moto imports but the course never uses (so a stand-in replaces
it: :mod:`instructor.lite.cryptography_stub`). ``psutil`` is IPython's only off the browser.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from instructor.lite import cryptography_stub

__all__ = ["COURSE_REQUIREMENTS", "KERNEL_REQUIREMENTS", "MICROPIP", "REPACKED", "REPLACED", "collect", "repack_pure"]

#: what the course imports in the kernel (moto's extras for the services the lessons use)
COURSE_REQUIREMENTS = ["moto[sqs,sns,events,kinesis,firehose,s3]", "boto3", "ipywidgets"]
#: what the Pyodide kernel installs at start (it would fetch them from PyPI at run time)
KERNEL_REQUIREMENTS = ["comm", "jedi", "ipython", "packaging"]
#: the package manager the kernel loads first: the version the Pyodide core's lock names (it needs
#: Python 3.12+, so pip is asked for Pyodide's 3.14, not this machine's Python)
MICROPIP = "micropip==0.11.1"
#: compiled wheels whose package runs without its extension
REPACKED = {"markupsafe", "pyyaml"}
#: dependencies left out: the stand-in replaces cryptography; cffi and pycparser only serve it; psutil
#: is IPython's off the browser; the widgets' JavaScript is the site's lab extension, and the kernel
#: brings its own widgetsnbextension shim
REPLACED = {"cryptography", "cffi", "pycparser", "psutil", "widgetsnbextension", "jupyterlab-widgets"}


def collect(root: Path, dest: Path) -> list[Path]:
    """Put every wheel the kernel needs into ``dest`` (emptied first); return their paths.

    The versions are the ones this machine's pip resolves, for the course's own pins; a package
    with a pure wheel beside compiled ones (``charset-normalizer``, ``wcwidth``) gets the pure one.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.whl"):
        old.unlink()
    download = dest / "download"
    download.mkdir(exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dest), str(root)], check=True)
    subprocess.run([*pip, "download", "-d", str(download), *COURSE_REQUIREMENTS, *KERNEL_REQUIREMENTS,
                    "--constraint", str(_constraints(dest))], check=True)
    for wheel in sorted(download.glob("*.whl")):
        project = _project(wheel)
        if project in REPLACED:
            continue
        if _is_pure(wheel):
            wheel.replace(dest / wheel.name)
        elif project in REPACKED:
            repack_pure(wheel, dest)
        else:  # a pure wheel exists beside the compiled one: ask for it by its exact version
            version = wheel.name.split("-")[1]
            subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "--platform", "any",
                            "--implementation", "py", "--abi", "none", "--python-version", "3.14",
                            "-d", str(dest), f"{project}=={version}"], check=True)
    subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "--python-version", "3.14",
                    "-d", str(dest), MICROPIP], check=True)
    cryptography_stub.write_wheel(dest)
    for leftover in download.iterdir():
        leftover.unlink()
    download.rmdir()
    return sorted(dest.glob("*.whl"))


def repack_pure(wheel: Path, dest: Path) -> Path:
    """Copy ``wheel`` without its compiled extensions, tagged ``py3-none-any``; return the new path."""
    name, version = wheel.name.split("-")[:2]
    target = dest / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename.endswith((".so", ".pyd")) or item.filename.endswith(".dist-info/RECORD"):
                continue
            data = source.read(item)
            if item.filename.endswith(".dist-info/WHEEL"):
                data = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"Tag:"))
                data = data.replace(b"Root-Is-Purelib: false", b"Root-Is-Purelib: true") + b"Tag: py3-none-any\n"
            out.writestr(item, data)
    return target


def _constraints(dest: Path) -> Path:
    """Pin what the project's own environment has, so the browser runs what the tests ran."""
    from importlib.metadata import version

    path = dest / "download" / "constraints.txt"
    names = ["moto", "boto3", "botocore", "ipywidgets", "comm", "traitlets", "jupyterlab_widgets"]
    path.write_text("".join(f"{name}=={version(name)}\n" for name in names))
    return path


def _project(wheel: Path) -> str:
    return wheel.name.split("-")[0].lower().replace("_", "-")


def _is_pure(wheel: Path) -> bool:
    return wheel.name.endswith("-none-any.whl")
