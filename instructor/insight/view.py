"""The insight report in an instructor's notebook: ``instructor.insight.widget("01_sqs_queues")``."""

from __future__ import annotations

from html import escape
from pathlib import Path

from instructor.insight.aggregate import AssignmentInsight

__all__ = ["widget", "insight_widget"]


def insight_widget(insight: AssignmentInsight, top: int = 3):
    """An ``ipywidgets.VBox``: a heading and the per-exercise table (HTML), then the two charts."""
    import ipywidgets

    from instructor.insight import charts
    from instructor.insight.page import table_html

    mean = f", mean {round(100 * insight.mean)}%" if insight.mean is not None else ""
    flags = ", ".join(f"{kind} {len(s)}" for kind, s in insight.flags.items()) or "none"
    heading = ipywidgets.HTML(f"<h3>{escape(insight.assignment)}: {len(insight.scores)} graded{escape(mean)}</h3>"
                              f"<p>flags: {escape(flags)}</p>")
    table = ipywidgets.HTML(table_html(insight, top))
    rates = ipywidgets.Image(value=charts.pass_rate_png(insight), format="png")
    scores = ipywidgets.Image(value=charts.histogram_png(insight), format="png")
    return ipywidgets.VBox([heading, table, ipywidgets.HBox([rates, scores])])


def widget(assignment: str, root: Path | None = None, top: int = 3):
    """The report of ``assignment`` in the course at ``root`` (default: found from the cwd), as a widget."""
    from instructor.insight.build import load

    return insight_widget(load(root, assignment).insight, top)
