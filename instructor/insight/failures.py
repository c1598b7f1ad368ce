"""The one place that reads a failed check's message: which requirement it names, and its lesson.

The checks' contract (``graders/check.py``), line by line::

    [<exercise-id>] <problem>
    Why it matters: ...          (optional)
    Hint: ...                    (optional)
    Requirement: <exercise-id>/<slug>

nbgrader keeps that message as the ``evalue`` of the grade cell's ``error`` output. When the
format changes, this module and its tests are all there is to adapt.
"""

from __future__ import annotations

import re

__all__ = ["UNLABELLED", "requirement_of"]

#: the slug of a check message that names no requirement yet (checks written before the contract)
UNLABELLED = "unlabelled"

_PROBLEM = re.compile(r"^\[(?P<exercise>[\w.-]+)\]\s*(?P<problem>.*)$")
_REQUIREMENT = re.compile(r"^Requirement:\s*(?P<requirement>[\w.-]+/[\w.-]+)\s*$")


def requirement_of(evalue: str) -> tuple[str, str] | None:
    """``(requirement_id, lesson)`` of a failed check's message, or None if it is not one.

    The lesson is the problem line without its ``[<exercise-id>]`` label. A message from before
    the contract (no ``Requirement:`` line) falls back to ``<exercise-id>/unlabelled``, so a course
    graded before the checks named requirements still has a report. The lesson may hold values
    from the check (``maxReceiveCount is 3``): it is an example for the instructor, never a key.
    """
    lines = [line.strip() for line in (evalue or "").strip().splitlines()]
    first = _PROBLEM.match(lines[0]) if lines else None
    if first is None:
        return None
    problem = first["problem"].strip()
    for line in reversed(lines[1:]):
        named = _REQUIREMENT.match(line)
        if named:
            return named["requirement"], problem
    return f"{first['exercise']}/{UNLABELLED}", problem
