"""The report's two charts as PNG bytes: pass rate per exercise, and the class's score histogram.

matplotlib with the Agg backend, created per figure (no pyplot state): no display is needed, it
works in a grading job or a notebook, and the PNGs are inlined so the page works offline.
"""

from __future__ import annotations

import io

from instructor.insight.aggregate import AssignmentInsight

__all__ = ["pass_rate_png", "histogram_png"]

_DPI = 100
_PASS, _FAIL = "#2e7d32", "#c62828"


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    # no Software tag: the page should name nothing outside the course, not even in a PNG chunk
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def pass_rate_png(insight: AssignmentInsight) -> bytes:
    """Horizontal bars: the share of students who passed each exercise, in notebook order."""
    exercises = insight.exercises
    figure = _figure(6.5, 0.45 * max(len(exercises), 1) + 1.2)
    axes = figure.add_subplot()
    names = [e.grade_id for e in exercises][::-1]
    rates = [100 * e.pass_rate for e in exercises][::-1]
    bars = axes.barh(names, rates, color=[_PASS if r >= 50 else _FAIL for r in rates])
    axes.bar_label(bars, labels=[f"{e.passed}/{e.students}" for e in exercises][::-1], padding=3, fontsize=8)
    axes.set_xlim(0, 110)
    axes.set_xlabel("students who passed (%)")
    axes.set_title(f"{insight.assignment}: pass rate per exercise")
    return _png(figure)


def histogram_png(insight: AssignmentInsight) -> bytes:
    """Bars: how many students scored each whole number of points."""
    figure = _figure(6.5, 3.2)
    axes = figure.add_subplot()
    points = [p for p, _ in insight.histogram]
    counts = [n for _, n in insight.histogram]
    bars = axes.bar(points, counts, color="#1565c0", width=0.8)
    axes.bar_label(bars, labels=[str(n) if n else "" for n in counts], fontsize=8)
    axes.set_xticks(points)
    axes.set_xlabel(f"total points (of {insight.max_score:g})")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"{insight.assignment}: scores of {len(insight.scores)} graded students")
    return _png(figure)
