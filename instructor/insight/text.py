"""The insight report as terminal text: what ``course insight`` and the end of ``course grade`` print."""

from __future__ import annotations

from course.quiz.bank import TOPICS
from instructor.insight.aggregate import AssignmentInsight, RequirementCount, TopicInsight
from instructor.insight.record import named_by_a_check

__all__ = ["format_assignment", "format_topics", "percent", "wordings"]

#: wordings shown for a requirement no check named (its problems differ in kind)
WORDINGS = 3


def percent(part: int, whole: int) -> str:
    """``41% (10/24)``."""
    return f"{round(100 * part / whole) if whole else 0}% ({part}/{whole})"


def wordings(count: RequirementCount) -> list[tuple[str, int]]:
    """The problem lines worth showing: the commonest, or up to ``WORDINGS`` when no check named it."""
    return list(count.lessons[:1 if named_by_a_check(count.requirement) else WORDINGS])


def _requirement_lines(count: RequirementCount) -> list[str]:
    shown = wordings(count)
    if len(shown) == 1:
        return [f"    {percent(count.students, count.of)} {count.requirement}: {count.lesson}"]
    return [f"    {percent(count.students, count.of)} {count.requirement}:"] + [
        f"        {students}x {lesson}" for lesson, students in shown]


def _points(value: float) -> str:
    return f"{value:g}"


def format_assignment(insight: AssignmentInsight, top: int = 3, review: int = 10) -> str:
    """Per exercise: pass rate, points, commonest failed requirements; then flags and whom to review."""
    lines = [f"What the class got wrong in {insight.assignment}"]
    mean = f", mean {round(100 * insight.mean)}%" if insight.mean is not None else ""
    not_graded = f", {len(insight.not_graded)} not graded" if insight.not_graded else ""
    lines.append(f"{len(insight.scores)} students graded{not_graded}{mean} (max {_points(insight.max_score)} points)")
    lines.append("scores (points: students): " + ("  ".join(f"{p}:{n}" for p, n in insight.histogram if n) or "-"))
    lines.append("")
    for exercise in insight.exercises:
        spread = " ".join(f"{_points(p)}pt:{n}" for p, n in exercise.points.items())
        lines.append(f"{exercise.grade_id:<10} passed {percent(exercise.passed, exercise.students):<14} "
                     f"points {spread}")
        for count in exercise.failures[:top]:
            lines += _requirement_lines(count)
        if len(exercise.failures) > top:
            lines.append(f"    ... and {len(exercise.failures) - top} other requirement(s)")
    lines.append("")
    if insight.flags:
        lines.append("flags: " + ", ".join(f"{kind} {len(students)}" for kind, students in insight.flags.items()))
    else:
        lines.append("flags: none")
    if insight.review:
        shown = insight.review[:review]
        lines.append("review first in formgrader: " + ", ".join(f"{s} ({', '.join(k)})" for s, k in shown)
                     + (f", ... {len(insight.review) - review} more" if len(insight.review) > review else ""))
    if insight.not_graded:
        lines.append("not graded (no notebook to review; see grades CSV): " + ", ".join(insight.not_graded))
    return "\n".join(lines)


def format_topics(topics: list[TopicInsight]) -> str:
    """Across assignments: topics weakest first, with the practice command for each."""
    if not topics:
        return "no graded assignments found (run course grade <id> first)"
    lines = ["Where the class is weakest, across assignments (weakest first)"]
    for topic in topics:
        lines.append(f"{TOPICS.get(topic.topic, topic.topic):<24} passed {percent(topic.passed, topic.attempts):<16}"
                     f" practice: course quiz --topic {topic.topic}")
        for count in topic.weakest:
            lines += _requirement_lines(count)
    return "\n".join(lines)
