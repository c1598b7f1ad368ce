"""Views while the notebook is graded: nothing to draw, nothing to fail.

Most views read the cloud through its API and work on the grader's cloud as they do in
self-study. The message timeline reads moto's queue state and the clock's ticks directly, which
under ``course grade`` live in the grader's process (:mod:`course.remote`), not in the learner's
kernel: a timeline built on that cloud (``course.sandbox.in_grader``) is a :class:`NotDrawn`. Every method answers ``None`` and it
shows one line, so a lesson's demo cells still run to the end and the graded cells after them are
reached.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NotDrawn"]


class NotDrawn:
    """A view that is not drawn while the notebook is graded."""

    def __init__(self, view: str) -> None:
        self._view = view

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None

    def __repr__(self) -> str:
        return f"({self._view} is drawn in JupyterLab, not while the notebook is graded)"

    def _repr_html_(self) -> str:
        return f"<p><em>{self!r}</em></p>"
