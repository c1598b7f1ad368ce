"""Exam practice: a sourced question bank, a quiz widget for notebooks and ``course quiz``.

>>> import course.quiz
>>> course.quiz.widget(topic="fifo", n=5)      # one question at a time, with explanations
>>> course.quiz.practice_exam()                 # 65 questions, 130-minute timer, review screen

The bank lives in ``course/quiz/questions/*.toml`` (see :mod:`course.quiz.bank`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.quiz.bank import EXAM_WEIGHTS, TOPICS, BankError, Question, exam_draw, load, select
from course.quiz.session import EXAM_MINUTES, EXAM_SIZE, PASS_MARK, Session

if TYPE_CHECKING:
    from course.quiz.widgets import QuizWidget

__all__ = ["TOPICS", "EXAM_WEIGHTS", "PASS_MARK", "EXAM_SIZE", "EXAM_MINUTES", "BankError", "Question",
           "NoBank", "Session", "load", "select", "exam_draw", "question", "widget", "practice_exam"]


def question(question_id: str) -> Question:
    """One question of the bank by its id."""
    for q in load():
        if q.id == question_id:
            return q
    raise KeyError(f"no question {question_id!r} in the bank")


class NoBank:
    """What a quiz cell shows where the question bank is not installed.

    A kernel that ``course grade`` contains has no bank (its answers would be an answer key); the
    lesson's practice cell then shows this line instead of failing.
    """

    def __repr__(self) -> str:
        return "(the practice quiz has no question bank here: it runs in JupyterLab, not while a notebook is graded)"

    def _repr_html_(self) -> str:
        return f"<p><em>{self!r}</em></p>"


def widget(topic: str | None = None, n: int = 10, *, seed: int | None = None, weak: bool = False,
           save: bool = True) -> QuizWidget | NoBank:
    """A quiz of ``n`` questions (one topic, or all), one at a time, with explanations.

    ``weak=True`` favours the topics answered worst in earlier runs (widget or ``course quiz``).
    """
    from course.quiz import history
    from course.quiz.widgets import QuizWidget

    if not load():
        return NoBank()
    weights = history.focus_weights(history.load_runs()) if weak else None
    return QuizWidget(select(load(), topic=topic, n=n, seed=seed, weights=weights), save=save)


def practice_exam(seed: int | None = None, *, save: bool = True) -> QuizWidget | NoBank:
    """A timed practice exam: 65 questions across the course's topics (its own weights: AWS weights
    exam domains, not services), 130 minutes (display only)."""
    from course.quiz.widgets import QuizWidget

    if not load():
        return NoBank()
    return QuizWidget(exam_draw(load(), size=EXAM_SIZE, seed=seed), exam=True, save=save)
