"""Quiz results kept between runs, so a later run can focus on weak topics.

Stored as JSON in ``$COURSE_HOME/quiz-results.json`` (default ``~/.course/``): one record per run
with, per question, its id, topic and whether the answer was right.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from course.quiz.session import Session

__all__ = ["results_path", "load_runs", "save_run", "topic_rates", "focus_weights", "MAX_RUNS"]

#: Older runs are dropped so the file stays small and recent results count.
MAX_RUNS = 50


def results_path() -> Path:
    """Where results live: ``$COURSE_HOME/quiz-results.json``, default ``~/.course/quiz-results.json``."""
    home = os.environ.get("COURSE_HOME") or str(Path.home() / ".course")
    return Path(home) / "quiz-results.json"


def load_runs(path: Path | None = None) -> list[dict[str, Any]]:
    """Every saved run, oldest first; an unreadable file counts as no history (not a crash)."""
    path = path or results_path()
    try:
        runs = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [run for run in runs if isinstance(run, dict) and isinstance(run.get("answers"), list)] \
        if isinstance(runs, list) else []


def save_run(session: Session, path: Path | None = None, *, mode: str = "quiz") -> Path:
    """Append the answered questions of ``session`` to the results file; return its path."""
    path = path or results_path()
    runs = load_runs(path)
    runs.append({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": mode,
        "answers": [{"id": a.question.id, "topic": a.question.topic, "correct": a.correct}
                    for _, a in sorted(session.answers.items())],
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(runs[-MAX_RUNS:], indent=1), encoding="utf-8")
    tmp.replace(path)  # atomic: an interrupted save never leaves half a file
    return path


def topic_rates(runs: list[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """topic -> (right, asked) over all saved runs."""
    out: dict[str, list[int]] = {}
    for run in runs:
        for answer in run["answers"]:
            tally = out.setdefault(str(answer.get("topic")), [0, 0])
            tally[0] += bool(answer.get("correct"))
            tally[1] += 1
    return {topic: (right, asked) for topic, (right, asked) in out.items()}


def focus_weights(runs: list[Mapping[str, Any]]) -> dict[str, float]:
    """Sampling weights that favour weak topics: weight 1 + 4 x the share answered wrongly.

    A topic never practised gets the middle weight (3), so it is not starved either.
    """
    from course.quiz.bank import TOPICS

    rates = topic_rates(runs)
    weights = {}
    for topic in TOPICS:
        right, asked = rates.get(topic, (0, 0))
        weights[topic] = 1 + 4 * (1 - right / asked) if asked else 3.0
    return weights
