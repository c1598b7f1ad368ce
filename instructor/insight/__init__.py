"""What the class got wrong: a report after every grading round (``course insight``).

* :mod:`~instructor.insight.failures` reads a failed check's message (the one place that does);
* :mod:`~instructor.insight.record` records every graded cell of every student from nbgrader's
  autograded notebooks into ``grades/<id>-failures.csv``;
* :mod:`~instructor.insight.aggregate` turns records into pass rates, points, commonest failed
  requirements, flags and topics; :mod:`~instructor.insight.topics` maps exercises to quiz topics;
* :mod:`~instructor.insight.text`, :mod:`~instructor.insight.page` (with
  :mod:`~instructor.insight.charts`) and :mod:`~instructor.insight.view` show it in a terminal,
  an offline HTML page and a notebook; :mod:`~instructor.insight.anonymise` hides who is who.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["widget"]


def widget(assignment: str, root: Path | None = None, top: int = 3):
    """The report of ``assignment`` as ipywidgets (see :func:`instructor.insight.view.widget`).

    Imported on call: ``course`` loads this package for its ``insight`` subcommand on every start.
    """
    from instructor.insight.view import widget as build_widget

    return build_widget(assignment, root, top)
