"""A stand-in ``cryptography`` wheel for the browser build, where the real one cannot be loaded.

moto imports ``cryptography`` at the top of ``moto/sns/models.py`` (and ``moto/iam/models.py``) but
uses it only to sign SNS deliveries, which the course does itself without it
(:mod:`course.aws.sns.signing`). The stand-in makes those imports succeed; any *use* of it raises
an error that names the cause, so a code path the course does not expect fails loudly instead of
computing something wrong. Only the browser site installs it.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

__all__ = ["STUB_VERSION", "write_wheel"]

#: above moto's ``cryptography>=35.0.0``; the local label says what it is
STUB_VERSION = "99.0.0+coursestub"

STUB_SOURCE = '''"""Stand-in for cryptography in the browser build of the course: imports work, every use raises."""

import importlib.abc
import importlib.machinery
import sys
import types

MESSAGE = ("cryptography is not available in the browser build of the course: {name} was used. "
           "Run this notebook in JupyterLab (make lab) instead.")


class Unavailable:
    """Any name of the stand-in: an attribute of it is another one; calling it raises."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{self._name}.{attribute}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError(MESSAGE.format(name=self._name))

    def __mro_entries__(self, bases):
        return (object,)


def _module_getattr(module_name):
    def __getattr__(attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{module_name}.{attribute}")
    return __getattr__


class _Submodules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Every ``cryptography.x.y`` is a module of the stand-in."""

    def find_spec(self, name, path, target=None):
        if name.startswith("cryptography."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _module_getattr(spec.name)
        return module

    def exec_module(self, module):
        pass


__version__ = "{version}"
__getattr__ = _module_getattr("cryptography")
sys.meta_path.insert(0, _Submodules())
'''


def write_wheel(folder: Path) -> Path:
    """Write ``cryptography-<STUB_VERSION>-py3-none-any.whl`` into ``folder``; return its path."""
    name = f"cryptography-{STUB_VERSION}"
    files = {
        "cryptography/__init__.py": STUB_SOURCE.replace("{version}", STUB_VERSION),
        f"{name}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: cryptography\nVersion: {STUB_VERSION}\n"
                                      "Summary: stand-in for the browser build of the course\n",
        f"{name}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: aws-messaging-course\nRoot-Is-Purelib: true\n"
                                   "Tag: py3-none-any\n",
        f"{name}.dist-info/top_level.txt": "cryptography\n",
    }
    path = folder / f"{name}-py3-none-any.whl"
    _write(path, files)
    return path


def _write(path: Path, files: dict[str, str]) -> None:
    record_name = next(n for n in files if n.endswith("/METADATA")).replace("METADATA", "RECORD")
    lines = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            data = text.encode()
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{name},sha256={digest},{len(data)}")
        lines.append(f"{record_name},,")
        archive.writestr(zipfile.ZipInfo(record_name, date_time=(2025, 1, 1, 0, 0, 0)), "\n".join(lines) + "\n")
