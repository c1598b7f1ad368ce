"""Message timeline: the life of every message in a queue, on the course clock.

>>> timeline = QueueTimeline(cloud, queue_url)
>>> timeline.widget()          # in a notebook: redraws itself whenever cloud.advance() runs

Each message is *delayed* (a delay queue or message timer), *visible* (waiting for a consumer),
*in flight* (received, hidden until its visibility deadline), or gone: *deleted* by a consumer,
*moved to the DLQ* after ``maxReceiveCount`` receives, or *expired* after the retention period.
The model reads moto's queue state (read-only) each time it is refreshed; the widget refreshes
after every ``cloud.advance`` and on demand.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from course.aws.sqs import MESSAGE_STORED
from course.aws.sqs.retention import expires_at
from course.sandbox import Sandbox, in_grader
from course.views.while_graded import NotDrawn

__all__ = ["MessageLife", "QueueTimeline", "STATES"]

#: state -> colour used by the widget
STATES = {
    "delayed": "#9e9e9e",
    "visible": "#2e7d32",
    "in flight": "#ef6c00",
    "deleted": "#37474f",
    "moved to DLQ": "#c62828",
    "expired": "#bdbdbd",
}
_GONE = ("deleted", "moved to DLQ", "expired")


@dataclass
class MessageLife:
    """One message as the timeline knows it."""

    message_id: str
    body: str
    sent_at: float  #: course time (Unix seconds) the message was sent
    #: course time its queue deletes it (:func:`course.aws.sqs.retention.expires_at`)
    expires_at: float = float("inf")
    state: str = "visible"
    receive_count: int = 0
    #: seconds until a delayed message appears or an in-flight one becomes visible again
    changes_in: float | None = None
    #: (course time, state) each time the state changed
    history: list[tuple[float, str]] = field(default_factory=list)

    @property
    def gone(self) -> bool:
        return self.state in _GONE


class QueueTimeline:
    """The data model of the timeline view for one queue."""

    def __new__(cls, cloud: Sandbox, *args: Any, **kwargs: Any) -> Any:
        if in_grader(cloud):  # the cloud is in the grader: nothing here to draw
            return NotDrawn("QueueTimeline")
        return super().__new__(cls)

    def __init__(self, cloud: Sandbox, queue_url: str) -> None:
        self.cloud = cloud
        self.queue_url = queue_url
        self.queue_name = queue_url.rstrip("/").rsplit("/", 1)[-1]
        self.started_at = cloud.clock.time()
        self.messages: dict[str, MessageLife] = {}
        self._widget: Any = None
        # follow the clock even without a widget, so a message that lives and dies between two
        # looks is still seen at each step of time; see every message the moment moto stores it.
        # Keyed by queue: a timeline cell run again replaces the old timeline, it does not add one.
        key = ("timeline", queue_url)
        cloud.registry.listen(self._before_advance, before=True, key=key + ("before",))
        cloud.registry.listen(self._on_advance, key=key + ("after",))
        cloud.registry.observe(MESSAGE_STORED, self._stored, key=key)
        self.refresh()

    # -- model ---------------------------------------------------------------------------------
    def refresh(self) -> list[MessageLife]:
        """Read the queue now and update every message's state and history."""
        now = self.cloud.clock.time()
        queue = self._queue()
        present = {}
        for message in list(queue._messages):
            present[message.id] = message
            life = self._saw(queue, message)
            if life.gone:
                continue
            life.receive_count = message.approximate_receive_count
            life.expires_at = expires_at(self.cloud, queue, message)  # the retention may have changed
            # the sandbox deletes an expired message when the queue is next read; show it at once
            state, changes_in = ("expired", None) if now >= life.expires_at else _state_of(message, now)
            life.changes_in = changes_in
            self._set_state(life, state, now)
        dlq_ids = self._dlq_message_ids(queue)
        for life in self.messages.values():
            if life.message_id in present or life.gone:
                continue
            life.changes_in = None
            if life.message_id in dlq_ids:
                self._set_state(life, "moved to DLQ", now)
            elif now >= life.expires_at:
                self._set_state(life, "expired", now)
            else:
                self._set_state(life, "deleted", now)
        return list(self.messages.values())

    def _stored(self, queue: Any, message: Any) -> None:
        if queue.name == self.queue_name:
            self._saw(queue, message)

    def _saw(self, queue: Any, message: Any) -> MessageLife:
        life = self.messages.get(message.id)
        if life is None:
            sent_at = (message.sent_timestamp or self.cloud.clock.time() * 1000) / 1000
            life = MessageLife(message.id, _text(message.body), sent_at, expires_at(self.cloud, queue, message))
            self.messages[message.id] = life
            self._set_state(life, _state_of(message, self.cloud.clock.time())[0], sent_at)
        return life

    def counts(self) -> dict[str, int]:
        """How many messages are in each state now."""
        self.refresh()
        counts = dict.fromkeys(STATES, 0)
        for life in self.messages.values():
            counts[life.state] += 1
        return counts

    def _set_state(self, life: MessageLife, state: str, now: float) -> None:
        if not life.history or life.history[-1][1] != state:
            life.history.append((now, state))
        life.state = state

    def _queue(self) -> Any:
        from moto.sqs.models import sqs_backends

        backend = sqs_backends[self.cloud.account_id][self.cloud.region]
        if self.queue_name not in backend.queues:
            raise LookupError(
                f"queue {self.queue_name!r} does not exist (any more): after a kernel restart, "
                "run the notebook from the top"
            )
        return backend.queues[self.queue_name]

    def _dlq_message_ids(self, queue: Any) -> set[str]:
        dlq = getattr(queue, "dead_letter_queue", None)
        return {m.id for m in dlq._messages} if dlq is not None else set()

    # -- view ----------------------------------------------------------------------------------
    def to_html(self) -> str:
        """The timeline as an HTML fragment (a legend, then one row per message)."""
        self.refresh()
        now = self.cloud.clock.time()
        span = max(now - self.started_at, 1.0)
        legend = " ".join(
            f'<span style="background:{colour};color:white;padding:1px 6px;border-radius:3px">'
            f"{state} {n}</span>"
            for (state, colour), n in zip(STATES.items(), self.counts().values())
        )
        rows = []
        for life in self.messages.values():
            bar = self._bar(life, now, span)
            when = f" (changes in {life.changes_in:.0f} s)" if life.changes_in is not None else ""
            rows.append(
                "<tr>"
                f"<td><code>{life.message_id[:8]}</code></td>"
                f"<td>{html.escape(life.body[:40])}</td>"
                f"<td>{bar}</td>"
                f'<td class="state">{life.state}{when}</td>'
                f"<td>received {life.receive_count}&times;</td>"
                "</tr>"
            )
        clock = f"course clock: +{now - self.started_at:.0f} s since this view opened"
        body = "".join(rows) or '<tr><td colspan="5"><i>no messages yet</i></td></tr>'
        return (
            f'<div class="course-timeline"><b>Queue {html.escape(self.queue_name)}</b> &middot; {clock}'
            f"<div>{legend}</div><table>{body}</table></div>"
        )

    def _bar(self, life: MessageLife, now: float, span: float, width: int = 240) -> str:
        segments = []
        points = [*life.history, (now, life.state)]
        for (start, state), (end, _) in zip(points, points[1:]):
            x = (max(start, self.started_at) - self.started_at) / span * width
            w = max((end - max(start, self.started_at)) / span * width, 1.0)
            segments.append(f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="12" fill="{STATES[state]}"/>')
        return f'<svg width="{width}" height="16">{"".join(segments)}</svg>'

    def widget(self) -> Any:
        """An ipywidgets HTML view that redraws after every ``cloud.advance``."""
        import ipywidgets as widgets

        if self._widget is None:
            self._widget = widgets.HTML(value=self.to_html())
        return self._widget

    def redraw(self) -> None:
        """Refresh the widget (it also redraws by itself whenever the clock moves)."""
        if self._widget is not None:  # to_html() refreshes the model first
            self._widget.value = self.to_html()

    def _before_advance(self, _seconds: float) -> None:
        try:
            self.refresh()
        except LookupError:
            pass

    def _on_advance(self, _seconds: float) -> None:
        # the model catches up at the next look (or the next advance); only a shown widget
        # needs redrawing now
        try:
            self.redraw()
        except LookupError:
            pass  # the queue was deleted: advancing the clock must still work

    def _repr_html_(self) -> str:
        return self.to_html()


def _state_of(message: Any, now: float) -> tuple[str, float | None]:
    now_ms = now * 1000
    if message.delayed_until and now_ms < message.delayed_until:
        return "delayed", (message.delayed_until - now_ms) / 1000
    if message.approximate_receive_count and now_ms <= message.visible_at:
        return "in flight", (message.visible_at - now_ms) / 1000
    return "visible", None


def _text(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    if isinstance(body, str):
        return body
    return json.dumps(body)
