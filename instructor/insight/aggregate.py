"""From records to what an instructor reads: pass rates, points, the commonest misconceptions, flags.

Pure functions on :class:`~instructor.insight.record.CellResult` rows and the grades CSV's rows,
so every number can be tested on a hand-made class without running nbgrader.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from instructor.autograde.report import Row
from instructor.insight.record import CellResult
from instructor.insight.topics import topic_of

__all__ = ["AssignmentInsight", "ExerciseInsight", "RequirementCount", "TopicInsight", "assignment_insight",
           "histogram", "review_order", "topic_insight"]

#: flags in the order an instructor should look at them in formgrader: grades that rest on a
#: repaired notebook first, then cells scored 0 by a crash or a timeout
REVIEW_ORDER = ("tampered-metadata", "edited-test-cell", "deleted-cell", "unknown-graded-cell",
                "kernel-died", "kernel-stopped", "timeout", "huge-output", "wrong-file-name")


@dataclass(frozen=True)
class RequirementCount:
    """How many students failed one requirement."""

    requirement: str  #: ``<exercise-id>/<slug>``
    students: int  #: students who failed it
    of: int  #: students whose notebook had this exercise graded
    lessons: tuple[tuple[str, int], ...]  #: (problem line, students), commonest first: examples, may hold values

    @property
    def lesson(self) -> str:
        """The commonest problem line seen for this requirement."""
        return self.lessons[0][0] if self.lessons else ""


@dataclass
class ExerciseInsight:
    """One graded cell across the class."""

    grade_id: str
    max_points: float
    students: int
    passed: int
    points: dict[float, int]  #: points scored -> how many students, lowest first
    failures: list[RequirementCount]  #: commonest first

    @property
    def pass_rate(self) -> float:
        return _ratio(self.passed, self.students)


@dataclass
class AssignmentInsight:
    """The class's results on one assignment."""

    assignment: str
    exercises: list[ExerciseInsight]
    scores: dict[str, float]  #: student -> total points, graded students only
    max_score: float
    histogram: list[tuple[int, int]]  #: (whole points, students with a total in [p, p + 1))
    flags: dict[str, list[str]] = field(default_factory=dict)  #: flag kind -> students
    review: list[tuple[str, list[str]]] = field(default_factory=list)  #: (student, flag kinds), first first
    not_graded: list[str] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        """The mean total as a share of the maximum, or None when nobody was graded."""
        if not self.scores or not self.max_score:
            return None
        return sum(self.scores.values()) / len(self.scores) / self.max_score


@dataclass(frozen=True)
class TopicInsight:
    """How the class did on one quiz topic, across assignments."""

    topic: str
    attempts: int  #: graded cells of this topic, all students and assignments
    passed: int
    weakest: list[RequirementCount]

    @property
    def pass_rate(self) -> float:
        return _ratio(self.passed, self.attempts)


def _requirements(records: Sequence[CellResult]) -> list[RequirementCount]:
    """Failed requirements, commonest first (ties by id, so the order is stable).

    A requirement is counted once per student and assignment; its ``of`` is how many were graded
    on the cells where it was seen (a check reused in another module counts in both).
    """
    graded: Counter[tuple[str, str]] = Counter((r.assignment, r.grade_id) for r in records)
    by_requirement: dict[str, list[CellResult]] = defaultdict(list)
    for record in records:
        if not record.passed:
            by_requirement[record.requirement].append(record)
    counts = []
    for requirement, failed in by_requirement.items():
        cells = {(r.assignment, r.grade_id) for r in failed}
        counts.append(RequirementCount(requirement, len({(r.assignment, r.student) for r in failed}),
                                       sum(graded[c] for c in cells),
                                       tuple(sorted(Counter(r.lesson for r in failed).items(),
                                                    key=lambda item: (-item[1], item[0])))))
    return sorted(counts, key=lambda c: (-c.students, c.requirement))


def histogram(scores: Iterable[float], max_score: float) -> list[tuple[int, int]]:
    """Students per whole point, 0 to ``max_score``: a total of 7.5 counts under 7."""
    bins = Counter(min(math.floor(score), math.floor(max_score)) for score in scores)
    return [(points, bins.get(points, 0)) for points in range(math.floor(max_score) + 1)]


def review_order(rows: Iterable[Row]) -> list[tuple[str, list[str]]]:
    """Graded students with flags, the one to open first in formgrader first.

    A student not graded at all has no notebook to review (see ``not_graded``); among the rest the
    worst flag decides, then the lower score.
    """
    def rank(kind: str) -> int:
        return REVIEW_ORDER.index(kind) if kind in REVIEW_ORDER else len(REVIEW_ORDER)

    flagged = [row for row in rows if row.flags and row.score is not None]
    flagged.sort(key=lambda row: (min(rank(f.kind) for f in row.flags), row.score, row.student))
    return [(row.student, sorted({f.kind for f in row.flags}, key=rank)) for row in flagged]


def assignment_insight(assignment: str, records: Sequence[CellResult], rows: Sequence[Row] = ()) -> AssignmentInsight:
    """Everything ``course insight <assignment>`` shows, from the record and the grades CSV's rows."""
    by_cell: dict[str, list[CellResult]] = defaultdict(list)
    for record in records:
        by_cell[record.grade_id].append(record)
    exercises = []
    for grade_id, cell in by_cell.items():  # in notebook order: records come cell by cell
        students = len({r.student for r in cell})
        exercises.append(ExerciseInsight(
            grade_id, max(r.max_points for r in cell), students, sum(r.passed for r in cell),
            dict(sorted(Counter(r.points for r in cell).items())), _requirements(cell)))
    scores: dict[str, float] = defaultdict(float)
    for record in records:
        scores[record.student] += record.points
    max_score = sum(e.max_points for e in exercises)
    flags: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for flag in row.flags:
            flags[flag.kind].append(row.student)
    return AssignmentInsight(
        assignment, exercises, dict(scores), max_score, histogram(scores.values(), max_score),
        {kind: sorted(students) for kind, students in sorted(flags.items())}, review_order(rows),
        sorted(row.student for row in rows if row.score is None))


def topic_insight(records: Iterable[CellResult], top: int = 3) -> list[TopicInsight]:
    """Per quiz topic, across every assignment in ``records``: the weakest topic first."""
    by_topic: dict[str, list[CellResult]] = defaultdict(list)
    for record in records:
        topic = topic_of(record.grade_id)
        if topic:
            by_topic[topic].append(record)
    insights = [TopicInsight(topic, len(cells), sum(r.passed for r in cells), _requirements(cells)[:top])
                for topic, cells in by_topic.items()]
    return sorted(insights, key=lambda t: (t.pass_rate, t.topic))


def _ratio(part: float, whole: float) -> float:
    """``part / whole``, 0 for an empty whole (no student, no attempt)."""
    return part / whole if whole else 0.0
