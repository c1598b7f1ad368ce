"""The course clock: move time for the mocked cloud without sleeping.

AWS behaviour that a lesson depends on is timed: a visibility timeout expires, a delay ends, a
retention period runs out, a deduplication window closes. Waiting for it with ``time.sleep`` makes
notebooks slow and tests flaky, and freezing time globally (freezegun) makes moto's long polling
spin forever. Instead the clock keeps an *offset* and patches only the time source that moto's
service modules read; real time keeps flowing underneath, Python's own ``time``/``datetime`` are
left alone, and SigV4 signing (which reads the real clock) keeps working.

Where moto reads the time (measured on moto 5.2.5; ``docs/architecture.md`` lists the facts):

* ``moto.core.utils.utcnow`` - ``unix_time`` and ``unix_time_millis`` look it up at call time, so
  this one patch covers SQS, EventBridge and SNS timestamps;
* service modules that bound ``utcnow`` themselves with ``from moto.core.utils import utcnow``
  (Kinesis, Firehose, S3, SNS ...) - patched by identity;
* ``moto.sqs.models.Queue.wait_for_messages`` - long polling waits on a real
  ``threading.Condition``; replaced so that an empty wait costs virtual time instead.

``moto.core.responses`` (the HTTP ``Date`` header) is deliberately left on real time.
"""

from __future__ import annotations

import datetime as _dt
import sys
import threading
import time as _time
from collections.abc import Callable
from typing import Any

__all__ = ["Clock"]

#: moto modules whose own ``utcnow`` binding must stay on real time.
_REAL_TIME_MODULES = frozenset({"moto.core.responses", "moto.core.utils"})


class Clock:
    """An offset clock for moto's services.

    >>> clock = Clock()
    >>> clock.install()
    >>> clock.advance(3600)    # an hour passes for SQS, SNS, EventBridge, Kinesis ... instantly
    >>> clock.uninstall()
    """

    def __init__(self) -> None:
        self._offset = _dt.timedelta(0)
        self._lock = threading.Lock()
        self._installed = False
        self._originals: list[tuple[Any, str, Any]] = []
        self._real_utcnow: Callable[[], _dt.datetime] | None = None
        self._listeners: list[Callable[[float], None]] = []
        self._before_listeners: list[Callable[[float], None]] = []

    # -- reading and moving time -------------------------------------------------------------
    @property
    def offset(self) -> float:
        """Seconds the course clock is ahead of real time."""
        return self._offset.total_seconds()

    def utcnow(self) -> _dt.datetime:
        """The course's current time as a naive UTC datetime (moto's convention)."""
        real = self._real_utcnow() if self._real_utcnow else _real_utcnow()
        return real + self._offset

    def now(self) -> _dt.datetime:
        """The course's current time as an aware UTC datetime.

        Use it for every time you pass to AWS (Kinesis ``AT_TIMESTAMP``, replay windows,
        ``put_events(Time=...)``), never ``datetime.now()``.
        """
        return self.utcnow().replace(tzinfo=_dt.timezone.utc)

    def time(self) -> float:
        """The course's current time as a Unix timestamp in seconds."""
        return self.now().timestamp()

    def advance(self, seconds: float, *, notify: bool = True) -> None:
        """Move the course clock forward by ``seconds`` without waiting.

        ``notify=False`` skips the listeners: for the many one-second steps of a long poll
        inside one API call, which no view needs to see one by one.
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(f"advance() takes a number of seconds, not {type(seconds).__name__}")
        if seconds < 0:
            raise ValueError("the course clock only moves forward: advance() takes seconds >= 0")
        for listener in list(self._before_listeners) if notify else ():
            listener(seconds)
        with self._lock:
            self._offset += _dt.timedelta(seconds=seconds)
        for listener in list(self._listeners) if notify else ():
            listener(seconds)

    def on_advance(self, listener: Callable[[float], None], *, before: bool = False) -> Callable[[], None]:
        """Call ``listener(seconds)`` after every :meth:`advance`; return a function that stops it.

        With ``before=True`` it is called just before time moves instead, so a view can record
        the state that is about to change (a message still in flight). Behaviours and views
        register through the sandbox's registry, which removes them when the sandbox stops.
        """
        listeners = self._before_listeners if before else self._listeners
        if listener not in listeners:
            listeners.append(listener)

        def remove() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return remove

    # -- patching moto -----------------------------------------------------------------------
    @property
    def installed(self) -> bool:
        return self._installed

    def install(self) -> None:
        """Point moto's time source at this clock. Safe to call twice."""
        if self._installed:
            return
        import moto.core.utils as core_utils
        # the service modules, imported up front so their ``utcnow`` bindings exist to be patched
        import moto.events.models  # noqa: F401
        import moto.firehose.models as firehose_models
        import moto.kinesis.models  # noqa: F401
        import moto.s3.models  # noqa: F401
        import moto.sns.models  # noqa: F401
        import moto.sqs.models as sqs_models

        self._real_utcnow = core_utils.utcnow
        # unix_time() and unix_time_millis() with no argument read utcnow() and subtract the epoch
        # with datetime arithmetic; SQS calls them for every message on every receive and send
        # (hundreds of thousands of times in a busy notebook). The same value from time.time() plus
        # the offset costs a fraction of that; with a datetime argument the originals still answer.
        replacements = {
            "utcnow": (core_utils.utcnow, self.utcnow),
            "unix_time": (core_utils.unix_time, _from_epoch(self, core_utils.unix_time, 1.0)),
            "unix_time_millis": (core_utils.unix_time_millis, _from_epoch(self, core_utils.unix_time_millis, 1000.0)),
        }
        for module_name, module in list(sys.modules.items()):
            if not module_name.startswith("moto.") or module_name in _REAL_TIME_MODULES:
                continue
            for name, (original, replacement) in replacements.items():
                if getattr(module, name, None) is original:
                    self._patch(module, name, replacement)
        for name, (_, replacement) in replacements.items():
            self._patch(core_utils, name, replacement)
        self._patch(firehose_models, "time", self.time)
        self._patch(sqs_models.Queue, "wait_for_messages", _virtual_wait(self))
        self._installed = True

    def uninstall(self) -> None:
        """Restore every patched name, in reverse order."""
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)
        self._originals.clear()
        self._installed = False

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        self._originals.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)


def _from_epoch(clock: Clock, original: Callable[..., float], scale: float) -> Callable[..., float]:
    """``unix_time``/``unix_time_millis`` on the course clock, without datetime arithmetic."""

    def now_since_epoch(dt: _dt.datetime | None = None) -> float:
        if dt is not None:
            return original(dt)
        return (_time.time() + clock.offset) * scale

    return now_since_epoch


def _virtual_wait(clock: Clock) -> Callable[[Any, float], None]:
    """A ``Queue.wait_for_messages`` that spends course time instead of real time.

    moto's receive loop calls it with ``timeout=1`` whenever a pass found nothing to return
    (no visible message, or only FIFO messages whose group is blocked), and checks its deadline
    against the course clock. Spending the timeout every time makes a 20-second empty long poll
    return at once, 20 virtual seconds later, and can never spin.
    """

    def wait_for_messages(queue: Any, timeout: float) -> None:
        clock.advance(timeout, notify=False)

    return wait_for_messages


def _real_utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
