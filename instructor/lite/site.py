"""Build the static site: JupyterLite's app, the Pyodide kernel, the runtime and the notebooks.

JupyterLite runs in its own small environment (``<cache>/build-env``: ``jupyterlite-core``,
``jupyterlite-pyodide-kernel``, ``jupyterlab_widgets`` and ``jupyter_server``), not the course's: ``jupyter lite
build`` bundles every JupyterLab extension of the environment it runs in, and nbgrader's need a
server the static site does not have.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import venv
from importlib.metadata import version
from pathlib import Path

from instructor.lite import pyodide, wheels

__all__ = ["BUILD_REQUIREMENTS", "DEFAULT_CACHE", "DEFAULT_OUTPUT", "KERNEL_PLUGIN", "build"]

DEFAULT_OUTPUT = Path("dist/lite")
DEFAULT_CACHE = Path(".cache/lite")
#: JupyterLite pinned with the Pyodide version its kernel is built for (``pyodide.PYODIDE_VERSION``)
BUILD_REQUIREMENTS = ["jupyterlite-core==0.8.6", "jupyterlite-pyodide-kernel==0.8.6"]
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: JupyterLab settings of the site: no news pop-up (it would also ask the internet), every cell in the DOM
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def build(root: Path, output: Path = DEFAULT_OUTPUT, cache: Path = DEFAULT_CACHE) -> Path:
    """Build the site for the course at ``root`` into ``output``; return ``output``.

    Relative ``output`` and ``cache`` are taken from ``root``. The Pyodide core and the build
    environment are made once into ``cache``; the wheels and the site are rebuilt every time.
    """
    output, cache = root / output, root / cache
    python = _build_env(cache / "build-env")
    core = pyodide.fetch_core(cache)
    course_wheels = wheels.collect(root, cache / "wheels")
    source = cache / "source"
    shutil.rmtree(source, ignore_errors=True)
    names = pyodide.write_lock(core, [*course_wheels, *_kernel_wheels(python)], source / "static" / "pyodide")
    (source / "jupyter-lite.json").write_text(json.dumps(_config(names), indent=2))
    (source / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2))
    shutil.rmtree(output, ignore_errors=True)
    subprocess.run([str(python), "-m", "jupyter", "lite", "build", "--lite-dir", str(source),
                    "--contents", str(root / "notebooks"), "--output-dir", str(output),
                    "--no-sourcemaps"], check=True, cwd=source)
    return output


def _config(package_names: list[str]) -> dict:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "AWS messaging course",
            "litePluginSettings": {KERNEL_PLUGIN: {
                "pyodideUrl": "./static/pyodide/pyodide.mjs",
                # every package comes from the site: never ask PyPI from the learner's browser
                "disablePyPIFallback": True,
                "loadPyodideOptions": {"packages": package_names},
            }},
        },
    }


def _build_env(folder: Path) -> Path:
    """The build environment's Python (made once; jupyterlab_widgets matches the course's ipywidgets)."""
    python = folder / "bin" / "python"
    # jupyter_server: JupyterLite reads the notebooks (--contents) through its contents manager
    requirements = [*BUILD_REQUIREMENTS, f"jupyterlab_widgets=={version('jupyterlab_widgets')}",
                    f"jupyter_server=={version('jupyter_server')}"]
    stamp = folder / "requirements.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == "\n".join(requirements):
        return python
    shutil.rmtree(folder, ignore_errors=True)
    venv.create(folder, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
                   check=True)
    stamp.write_text("\n".join(requirements))
    return python


def _kernel_wheels(python: Path) -> list[Path]:
    """The kernel's own wheels (piplite, pyodide_kernel, its ipykernel and widgetsnbextension shims)."""
    prefix = Path(subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"], check=True,
                                 capture_output=True, text=True).stdout.strip())
    folder = prefix / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    found = sorted(folder.glob("*.whl"))
    # ipywidgets 8 needs widgetsnbextension 4: the 3.x shim is for ipywidgets 7
    return [w for w in found if not w.name.startswith("widgetsnbextension-3.")]

