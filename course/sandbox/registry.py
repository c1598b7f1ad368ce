"""What a running sandbox added to the process, so that stopping it takes every bit away again.

AWS behaviours (:mod:`course.aws`) and views change a shared process: they replace attributes of
moto's classes, listen to the course clock, keep tables (deduplication ids, Firehose buffers,
registered functions) and set environment variables. Each of them registers that change here,
on the sandbox it belongs to, and :meth:`Registry.undo` removes all of it in reverse order when
the sandbox stops. Nothing is kept in module globals, so nothing survives
``course.stop(); course.start()``.

>>> registry = Registry(clock)
>>> original = registry.patch(Queue, "add_message", add_message)   # call ``original`` inside
>>> registry.listen(flush_due)                 # after every cloud.advance()
>>> buffers = registry.state("firehose.buffers", dict)
>>> registry.undo()                            # all of it gone, originals back
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from course.sandbox.clock import Clock

__all__ = ["Registry"]

T = TypeVar("T")
Listener = Callable[..., None]


class Registry:
    """Patches, clock listeners, observers, state and environment of one sandbox."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._undo: list[Callable[[], None]] = []
        self._state: dict[str, Any] = {}
        self._observers: dict[str, dict[Hashable, Listener]] = {}
        self._keyed_listeners: dict[Hashable, Callable[[], None]] = {}

    # -- patches ---------------------------------------------------------------------------------
    def patch(self, owner: Any, name: str, value: Any) -> Any:
        """Set ``owner.name = value`` until the sandbox stops; return the original.

        Patches of the same attribute stack: the replacement calls the original it was given, and
        :meth:`undo` restores them in reverse order.
        """
        original = getattr(owner, name)
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, original))
        return original

    @property
    def patched(self) -> int:
        """How many changes are registered (0 once :meth:`undo` ran)."""
        return len(self._undo)

    # -- the clock ------------------------------------------------------------------------------
    def listen(self, listener: Callable[[float], None], *, before: bool = False,
               key: Hashable | None = None) -> None:
        """Call ``listener(seconds)`` on every ``cloud.advance`` while the sandbox runs.

        With a ``key``, a later listener with the same key replaces the earlier one: a view cell
        run twice leaves one live view, not two.
        """
        if key is not None and key in self._keyed_listeners:
            self._keyed_listeners.pop(key)()
        remove = self.clock.on_advance(listener, before=before)
        if key is not None:
            self._keyed_listeners[key] = remove
        self._undo.append(remove)

    # -- events between behaviours and views ----------------------------------------------------
    def observe(self, topic: str, callback: Listener, *, key: Hashable | None = None) -> None:
        """Call ``callback(*args)`` whenever a behaviour :meth:`emit`\\ s ``topic``.

        A later observer with the same ``key`` replaces the earlier one.
        """
        observers = self._observers.setdefault(topic, {})
        observers[key if key is not None else object()] = callback

    def emit(self, topic: str, *args: Any) -> None:
        """Tell every observer of ``topic`` (a behaviour saw something a view wants to show)."""
        for callback in list(self._observers.get(topic, {}).values()):
            callback(*args)

    # -- state ----------------------------------------------------------------------------------
    def state(self, name: str, factory: Callable[[], T]) -> T:
        """This sandbox's object called ``name``, made by ``factory()`` the first time.

        Tables a behaviour keeps (deduplication ids, buffers, registered functions) live here, so
        a new sandbox starts with none of the old one's.
        """
        if name not in self._state:
            self._state[name] = factory()
        return self._state[name]

    # -- environment ----------------------------------------------------------------------------
    def set_env(self, values: dict[str, str]) -> None:
        """Set environment variables until the sandbox stops; then restore what was there."""
        for key, value in values.items():
            previous = os.environ.get(key)
            os.environ[key] = value
            self._undo.append(lambda key=key, previous=previous: _restore_env(key, previous))

    def on_undo(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the sandbox stops (in reverse order of registration)."""
        self._undo.append(callback)

    # -- stopping -------------------------------------------------------------------------------
    def undo(self) -> None:
        """Undo every registered change, newest first, and forget all state."""
        while self._undo:
            self._undo.pop()()
        self._state.clear()
        self._observers.clear()
        self._keyed_listeners.clear()


def _restore_env(key: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = previous
