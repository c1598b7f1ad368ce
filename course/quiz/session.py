"""A quiz or practice exam in progress: answers, score, per-topic results, weak topics.

Shared by the notebook widget (:mod:`course.quiz.widget`) and the terminal quiz
(:mod:`course.quiz.cli`), so both score the same way: all-or-nothing per question, as on the exam.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from course.quiz.bank import TOPICS, Question

__all__ = ["PASS_MARK", "EXAM_SIZE", "EXAM_MINUTES", "Answer", "Session", "format_seconds"]

#: The exams report a scaled score of 100-1,000 and pass at 720 (AWS Certification: exam guides
#: for SAA-C03 and DVA-C02). Scaled is not a percentage; the practice exam uses 72% as a stand-in.
PASS_MARK = 0.72
#: Both associate exams: 65 questions in 130 minutes (AWS Certification exam guides).
EXAM_SIZE = 65
EXAM_MINUTES = 130
#: Below this share right, a topic is reported as weak.
WEAK_BELOW = PASS_MARK


@dataclass(frozen=True)
class Answer:
    """The learner's answer to one question."""

    question: Question
    selected: frozenset[str]

    @property
    def correct(self) -> bool:
        return self.question.is_correct(self.selected)


@dataclass
class Session:
    """Questions in order, the learner's answers so far, and the time the session started.

    ``clock`` gives seconds (monotonic); tests pass a fake one. The exam timer is display only:
    nothing stops when it runs out, as agreed for a practice exam.
    """

    questions: Sequence[Question]
    exam: bool = False
    clock: Callable[[], float] = time.monotonic
    answers: dict[int, Answer] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.questions = list(self.questions)
        self.started = self.clock()

    # -- answering ------------------------------------------------------------------------------
    def answer(self, index: int, selected: Iterable[str]) -> Answer:
        """Record (or change) the answer to question ``index``."""
        question = self.questions[index]
        chosen = frozenset(key.strip().upper() for key in selected)
        unknown = chosen - set(question.keys)
        if unknown:
            raise ValueError(f"no option {', '.join(sorted(unknown))} in this question")
        self.answers[index] = Answer(question, chosen)
        return self.answers[index]

    @property
    def finished(self) -> bool:
        return len(self.answers) == len(self.questions)

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.questions)) if i not in self.answers]

    # -- time -----------------------------------------------------------------------------------
    def elapsed(self) -> float:
        return self.clock() - self.started

    def remaining(self) -> float:
        """Seconds left of the 130-minute exam (negative when over time)."""
        return EXAM_MINUTES * 60 - self.elapsed()

    # -- results --------------------------------------------------------------------------------
    @property
    def right(self) -> int:
        return sum(answer.correct for answer in self.answers.values())

    @property
    def score(self) -> float:
        """Share right of all questions (an unanswered question counts as wrong)."""
        return self.right / len(self.questions) if self.questions else 0.0

    @property
    def passed(self) -> bool:
        return self.score >= PASS_MARK

    def by_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (right, asked), in the bank's topic order."""
        out: dict[str, list[int]] = {}
        for index, question in enumerate(self.questions):
            tally = out.setdefault(question.topic, [0, 0])
            tally[1] += 1
            answer = self.answers.get(index)
            tally[0] += bool(answer and answer.correct)
        return {topic: (out[topic][0], out[topic][1]) for topic in TOPICS if topic in out}

    def weak_topics(self) -> list[str]:
        """Topics below the pass mark, weakest first."""
        rates = {t: right / asked for t, (right, asked) in self.by_topic().items() if asked}
        return sorted((t for t, rate in rates.items() if rate < WEAK_BELOW), key=lambda t: (rates[t], t))

    def missed(self) -> list[tuple[int, Question]]:
        """(index, question) of every question answered wrongly or not at all."""
        return [(i, q) for i, q in enumerate(self.questions)
                if i not in self.answers or not self.answers[i].correct]

    def report(self) -> str:
        """The plain-text result: score, pass/fail for an exam, per-topic table, weak topics."""
        lines = [f"Score: {self.right}/{len(self.questions)} ({self.score:.0%})"]
        if self.exam:
            verdict = "PASS" if self.passed else "NOT YET"
            lines[0] += f" - {verdict} (pass mark {PASS_MARK:.0%}; the real exam reports a scaled 720/1000)"
            lines.append(f"Time used: {format_seconds(self.elapsed())} of {EXAM_MINUTES}:00")
        lines.append("")
        lines.append(f"{'topic':<24} right / asked")
        for topic, (right, asked) in self.by_topic().items():
            lines.append(f"{TOPICS[topic]:<24} {right:>5} / {asked:<5} {right / asked:>4.0%}")
        weak = self.weak_topics()
        lines.append("")
        if weak:
            lines.append("Weak topics: " + ", ".join(TOPICS[t] for t in weak)
                         + ". Practise them with `course quiz --weak` or widget(topic=...).")
        else:
            lines.append("No weak topics in this run.")
        return "\n".join(lines)


def format_seconds(seconds: float) -> str:
    """``m:ss`` (minutes may exceed 59), ``-m:ss`` when negative."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60}:{whole % 60:02d}"
