"""``grades/<assignment>-insight.html``: one self-contained page, readable offline.

Charts are inline ``data:`` PNGs and the style is in the page: nothing is loaded from anywhere
(no URL, no script). Every student id and check message is escaped.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from course.quiz.bank import TOPICS
from instructor.insight import charts
from instructor.insight.aggregate import AssignmentInsight, TopicInsight
from instructor.insight.text import percent, wordings

__all__ = ["render_page", "write_page", "table_html", "page_path"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .3em .6em; border-bottom: 1px solid #ddd;
 text-align: left; vertical-align: top; } th { background: #f4f4f4; }
.low { color: #c62828; font-weight: bold; } .req { font-family: monospace; } .charts img { max-width: 100%; }
.note { color: #555; font-size: .9em; }
.exercises td:nth-child(-n+3) { white-space: nowrap; }
"""


def page_path(root: Path, assignment: str, anonymised: bool = False) -> Path:
    return Path(root) / "grades" / f"{assignment}-insight{'-anonymised' if anonymised else ''}.html"


def _img(png: bytes, alt: str, css_class: str) -> str:
    return (f'<img class="{css_class}" alt="{escape(alt)}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')


def table_html(insight: AssignmentInsight, top: int = 3) -> str:
    """The per-exercise table: pass rate, points, commonest failed requirements with a lesson."""
    rows = []
    for exercise in insight.exercises:
        low = ' class="low"' if exercise.pass_rate < 0.5 else ""
        spread = ", ".join(f"{p:g} pt: {n}" for p, n in exercise.points.items())
        failures = "<br>".join(
            f'{escape(percent(c.students, c.of))} <span class="req">{escape(c.requirement)}</span>: '
            + "; ".join(escape(lesson) + (f" ({n}&times;)" if len(wordings(c)) > 1 else "")
                        for lesson, n in wordings(c)) for c in exercise.failures[:top]) or "&mdash;"
        rows.append(f"<tr><td>{escape(exercise.grade_id)}</td><td{low}>"
                    f"{escape(percent(exercise.passed, exercise.students))}</td><td>{escape(spread)}</td>"
                    f"<td>{failures}</td></tr>")
    return ('<table class="exercises"><tr><th>exercise</th><th>passed</th><th>points (students)</th>'
            "<th>most common failed requirements</th></tr>" + "".join(rows) + "</table>")


def _flags_html(insight: AssignmentInsight) -> str:
    if not insight.flags:
        return "<p>No flags.</p>"
    kinds = "".join(f"<tr><td>{escape(kind)}</td><td>{len(students)}</td><td>{escape(', '.join(students))}</td></tr>"
                    for kind, students in insight.flags.items())
    review = "".join(f"<li>{escape(student)} ({escape(', '.join(kinds))})</li>" for student, kinds in insight.review)
    return ("<table class=\"flags\"><tr><th>flag</th><th>students</th><th>who</th></tr>" + kinds + "</table>"
            + (f"<p>Review first in formgrader:</p><ol class=\"review\">{review}</ol>" if review else ""))


def _topics_html(topics: list[TopicInsight]) -> str:
    rows = "".join(
        f"<tr><td>{escape(TOPICS.get(t.topic, t.topic))}</td><td>{escape(percent(t.passed, t.attempts))}</td>"
        f'<td class="req">course quiz --topic {escape(t.topic)}</td></tr>' for t in topics)
    return ("<table class=\"topics\"><tr><th>topic</th><th>passed</th><th>practice</th></tr>" + rows + "</table>")


def render_page(insight: AssignmentInsight, topics: list[TopicInsight] | None = None, top: int = 3,
                anonymised: bool = False) -> str:
    """The whole HTML page for one assignment (and, if given, the class's topics)."""
    title = f"What the class got wrong: {insight.assignment}"
    mean = f", mean {round(100 * insight.mean)}%" if insight.mean is not None else ""
    note = ('<p class="note">Student ids are pseudonyms (salted hashes); the course folder keeps the salt.</p>'
            if anonymised else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p>{len(insight.scores)} students graded, {len(insight.not_graded)} not graded{escape(mean)}; at most
{insight.max_score:g} points.</p>{note}
<p class="note">Lessons are the checks' own words, one example per requirement; a check's values may appear in them.</p>
<div class="charts">
{_img(charts.pass_rate_png(insight), "pass rate per exercise", "chart pass-rate")}
{_img(charts.histogram_png(insight), "histogram of total scores", "chart histogram")}
</div>
<h2>Per exercise</h2>
{table_html(insight, top)}
<h2>Flags</h2>
{_flags_html(insight)}
{f"<h2>Topics, across assignments</h2>{_topics_html(topics)}" if topics else ""}
</body></html>
"""


def write_page(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
