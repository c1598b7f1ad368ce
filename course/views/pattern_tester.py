"""Event-pattern tester: an event and a pattern side by side; match or not, and the field that decided.

>>> tester = PatternTester(event, pattern)
>>> tester.widget()            # edit either side; the verdict updates as you type
"""

from __future__ import annotations

import html
import json
from typing import Any

from course.aws.filtering.eventbridge import PatternError, explain, validate

__all__ = ["PatternTester", "verdict_of"]


def verdict_of(event_text: str, pattern_text: str) -> dict[str, Any]:
    """The tester's model: ``{"status": "match" | "no match" | "invalid", "field", "reason"}``."""
    try:
        event = json.loads(event_text)
    except ValueError as error:
        return {"status": "invalid", "field": None, "reason": f"the event is not valid JSON: {error}"}
    try:
        pattern = json.loads(pattern_text)
    except ValueError as error:
        return {"status": "invalid", "field": None, "reason": f"the pattern is not valid JSON: {error}"}
    try:
        validate(pattern)
    except PatternError as error:
        return {"status": "invalid", "field": None, "reason": f"EventBridge rejects this pattern: {error}"}
    verdict = explain(pattern, event)
    return {"status": "match" if verdict.matched else "no match", "field": verdict.field, "reason": verdict.reason}


_COLOURS = {"match": "#2e7d32", "no match": "#c62828", "invalid": "#ef6c00"}


class PatternTester:
    """Data model plus an ipywidgets view."""

    def __init__(self, event: dict | str, pattern: dict | str) -> None:
        self.event_text = event if isinstance(event, str) else json.dumps(event, indent=2)
        self.pattern_text = pattern if isinstance(pattern, str) else json.dumps(pattern, indent=2)
        self._widgets: dict[str, Any] = {}

    @property
    def verdict(self) -> dict[str, Any]:
        return verdict_of(self.event_text, self.pattern_text)

    def to_html(self) -> str:
        verdict = self.verdict
        field = f" &middot; deciding field: <code>{html.escape(verdict['field'])}</code>" if verdict["field"] else ""
        return (f'<div class="course-pattern-verdict"><b style="color:{_COLOURS[verdict["status"]]}">'
                f'{verdict["status"].upper()}</b>{field}<br>{html.escape(verdict["reason"])}</div>')

    def widget(self) -> Any:
        """Two editable JSON boxes and the verdict, recomputed on every edit."""
        import ipywidgets as widgets

        if not self._widgets:
            layout = widgets.Layout(width="48%", height="260px")
            event_box = widgets.Textarea(value=self.event_text, description="event", layout=layout)
            pattern_box = widgets.Textarea(value=self.pattern_text, description="pattern", layout=layout)
            result = widgets.HTML(value=self.to_html())

            def update(_change: Any) -> None:
                self.event_text, self.pattern_text = event_box.value, pattern_box.value
                result.value = self.to_html()

            event_box.observe(update, names="value")
            pattern_box.observe(update, names="value")
            self._widgets = {"event": event_box, "pattern": pattern_box, "result": result,
                             "box": widgets.VBox([widgets.HBox([event_box, pattern_box]), result])}
        return self._widgets["box"]

    def _repr_html_(self) -> str:
        return self.to_html()
