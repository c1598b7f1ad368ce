"""Your progress, in ``00_start_here``: a row per module, quiz scores by topic, the next thing to do.

>>> from course.views import progress
>>> progress.widget()                      # notebooks/<id>/<id>.ipynb under the course root
>>> progress.widget(notebooks="~/my-copy") # another folder with <id>/<id>.ipynb inside

The model is :mod:`course.progress` (saved outputs of the check cells, the quiz history); this is
only its picture. It reads files on this machine and sends nothing anywhere. In a kernel that
``course grade`` is grading it reads nothing (the grader refuses and reports any read of a
notebook) and says so.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from course import progress as model

__all__ = ["ProgressView", "widget"]

_CHIP = {model.PASSED: ("#1a7f37", "\u2714"), model.FAILED: ("#b42318", "\u2718"), model.NOT_RUN: ("#8c959f", "\u00b7")}


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _percent(right: int, asked: int) -> str:
    return f"{right}/{asked} ({right / asked:.0%})" if asked else "not yet"


def module_row(item: model.ModuleProgress, quiz: dict[str, model.TopicScore]) -> str:
    """One table row: the module, its time, a chip per exercise, its quiz topics' scores."""
    module = item.module
    if item.problem:
        chips = f"<i>{_e(item.problem)}</i>"
    elif not item.exercises:
        chips = "<i>no checks</i>"
    else:
        parts = []
        for exercise in item.exercises:
            colour, mark = _CHIP[exercise.status]
            tip = exercise.status + (f": {exercise.summary}" if exercise.summary else "")
            if exercise.requirement:
                tip += f" (Requirement: {exercise.requirement})"
            parts.append(f'<span class="course-progress-{exercise.status.replace(" ", "-")}" title="{_e(tip)}" '
                         f'style="color:{colour};margin-right:0.6em;white-space:nowrap">{mark} {_e(exercise.id)}</span>')
        chips = " ".join(parts)  # the spaces let a long row of chips wrap
    counts = (f"{item.passed}/{len(item.exercises)}" if item.exercises else "")
    # topic ids, not titles: the column stays narrow (the full titles are in the tooltip)
    topics = "<br>".join(f'<span title="{_e(quiz[t].title)}">{_e(t)}: {_percent(quiz[t].right, quiz[t].asked)}</span>'
                         for t in module.topics if t in quiz) or ""
    cell = '<td style="vertical-align:top;padding:2px 8px;{}">'
    return (f"<tr>{cell.format('')}<b>{_e(module.id[:2])}</b> {_e(module.title)}</td>"
            f"{cell.format('white-space:nowrap')}~{module.minutes} min</td>{cell.format('')}{counts}</td>"
            f"{cell.format('white-space:normal;width:55%')}{chips}</td>{cell.format('white-space:nowrap')}{topics}</td></tr>")


def to_html(report: model.Progress) -> str:
    """The whole view as HTML (what the widget shows)."""
    rows = "".join(module_row(item, report.quiz) for item in report.modules)
    exam = ("no practice exam yet" if report.exam is None else
            f"last practice exam: {report.exam.right}/{report.exam.asked} ({report.exam.rate:.0%})")
    practised = sum(score.asked for score in report.quiz.values())
    return (
        '<div class="course-progress">'
        f"<p><b>Next:</b> {_e(report.next_step)}</p>"
        "<table style='width:100%'><tr><th>module</th><th>time</th><th>passed</th><th>checks</th><th>quiz</th></tr>"
        f"{rows}</table>"
        f"<p>Quiz: {practised} answers saved; {exam}.</p>"
        f"<p style='color:#57606a'>Read from the saved notebooks in <code>{_e(report.notebooks)}</code> "
        "(&#x2714; passed, &#x2718; failed, &middot; not run; hover for the lesson). Run a module's cells "
        "and <b>save</b> it, then refresh. A pass here is the visible check only: graded with nbgrader, "
        "hidden tests also try edge cases. Nothing leaves this machine.</p></div>"
    )


class ProgressView:
    """The progress widget: the report as HTML and a refresh button (reads the files again)."""

    def __init__(self, notebooks: str | os.PathLike[str] | None = None, *, history_path: Path | None = None) -> None:
        import ipywidgets as widgets

        self.notebooks = notebooks
        self.history_path = history_path
        self.report: model.Progress | None = None
        self.view = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.refresh = widgets.Button(description="refresh", tooltip="read the saved notebooks and quiz history again")
        self.refresh.on_click(lambda _button: self.update())
        self.box = widgets.VBox([self.refresh, self.view])
        self.box.add_class("course-progress-view")
        self.update()

    def update(self) -> None:
        """Read the notebooks and the quiz history again and redraw."""
        if model.being_graded():
            self.report = None
            self.view.value = ('<div class="course-progress"><p>Progress is not read while this notebook is '
                               "being graded.</p></div>")
            return
        self.report = model.collect(self.notebooks, history_path=self.history_path)
        self.view.value = to_html(self.report)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:  # noqa: ANN401 - IPython's display protocol
        return self.box._repr_mimebundle_(**kwargs)


def widget(notebooks: str | os.PathLike[str] | None = None, *, history_path: Path | None = None) -> ProgressView:
    """The progress view of the notebooks in ``notebooks`` (default: the course's ``notebooks/``)."""
    return ProgressView(notebooks, history_path=history_path)
