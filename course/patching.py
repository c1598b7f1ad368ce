"""Replace attributes of moto's classes while the sandbox runs, and put them back exactly.

Every AWS-behaviour module (see ``AWS_BEHAVIOUR_MODULES`` in :mod:`course.sandbox`) keeps one
:class:`Patches`: ``install()`` applies its replacements once, ``uninstall()`` restores the originals
in reverse order, so modules that patch the same method stack and unstack cleanly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Patches"]


class Patches:
    """A record of replaced attributes."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []

    @property
    def active(self) -> bool:
        return bool(self._saved)

    def apply(self, owner: Any, name: str, value: Any) -> Any:
        """Set ``owner.name = value``; return the original (for the replacement to call)."""
        original = getattr(owner, name)
        self._saved.append((owner, name, original))
        setattr(owner, name, value)
        return original

    def restore(self) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()
