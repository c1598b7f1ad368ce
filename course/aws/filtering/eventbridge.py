"""EventBridge event patterns: the engine with EventBridge's settings.

>>> validate({"detail": {"amount": [{"numeric": [">", 500]}]}})
>>> explain({"detail": {"amount": [{"numeric": [">", 500]}]}}, {"detail": {"amount": 750}}).matched
True
"""

from __future__ import annotations

from typing import Any

from course.aws.filtering import matching, validation
from course.aws.filtering.dialect import Dialect, FilterError
from course.aws.filtering.matching import Verdict
from course.aws.limits import EVENTS_NUMERIC_LIMIT

__all__ = ["PatternError", "Verdict", "EVENTBRIDGE", "validate", "matches", "explain"]


class PatternError(FilterError):
    """A pattern AWS rejects; the message is the reason AWS gives (InvalidEventPatternException)."""


#: EventBridge User Guide, "Comparison operators": every operator, anything-but with prefix, suffix,
#: equals-ignore-case or wildcard (each also as a list), prefix/suffix ignoring case, nested objects;
#: "Numeric matching": values between -5.0e9 and +5.0e9. No key or combination limit per pattern.
EVENTBRIDGE = Dialect("EventBridge", PatternError, numeric_limit=EVENTS_NUMERIC_LIMIT)


def validate(pattern: Any) -> None:
    """Raise :class:`PatternError` for a pattern EventBridge would reject."""
    validation.validate(pattern, EVENTBRIDGE)


def matches(pattern: dict, event: dict) -> bool:
    """True when the event matches the pattern (an empty pattern matches everything)."""
    return matching.matches(pattern, event)


def explain(pattern: dict, event: dict) -> Verdict:
    """Match, and say which field decided: the first that failed, or the last that matched."""
    return matching.explain(pattern, event)
