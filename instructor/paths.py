"""Where the course lives on disk, worked out explicitly (never guessed from the cwd alone)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["course_root", "assignment_ids"]

_CONFIG = "nbgrader_config.py"


def course_root(start: Path | None = None) -> Path:
    """The folder holding ``nbgrader_config.py``: ``start`` (default: cwd) or one of its parents,
    else the checkout this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / _CONFIG).is_file() and (folder / "solutions").is_dir():
            return folder
    package_checkout = Path(__file__).resolve().parents[1]
    if (package_checkout / _CONFIG).is_file():
        return package_checkout
    raise FileNotFoundError(
        f"no course found: run this from the course folder (the one with {_CONFIG} and solutions/)"
    )


def assignment_ids(root: Path) -> list[str]:
    """Every assignment with a source notebook ``solutions/<id>/<id>.ipynb``, in order."""
    return sorted(p.parent.name for p in (root / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name)
