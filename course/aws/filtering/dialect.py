"""What one service's filter language accepts: the settings that tell SNS and EventBridge apart.

The engine (:mod:`~course.aws.filtering.validation`, :mod:`~course.aws.filtering.matching`) is the
same for both services; a :class:`Dialect` names only where they differ. The instances live with
each service's front door: :data:`course.aws.filtering.sns.ATTRIBUTES` / ``BODY`` and
:data:`course.aws.filtering.eventbridge.EVENTBRIDGE`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FilterError", "Dialect", "LEAF_OPERATORS", "ANYTHING_BUT_OPERATORS"]

#: Every operator the engine knows (EventBridge User Guide, "Comparison operators").
LEAF_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard", "numeric", "cidr", "exists", "anything-but")
#: Operators that may sit inside ``anything-but`` (same page, "Anything-but (begins with / ends with /
#: ignore case / using a wildcard)").
ANYTHING_BUT_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard")


class FilterError(ValueError):
    """A pattern or policy the service rejects; the message is the service's reason."""


@dataclass(frozen=True)
class Dialect:
    """The settings of one service's filter language (one per service and, for SNS, per scope)."""

    name: str
    #: raised for an invalid pattern (``PatternError`` for EventBridge, ``FilterPolicyError`` for SNS)
    error: type[FilterError]
    #: put before every reason, as the service words its errors
    error_prefix: str = ""
    #: operators accepted as ``{"operator": value}`` in a value list
    operators: tuple[str, ...] = LEAF_OPERATORS
    #: operators accepted inside ``{"anything-but": {...}}``
    anything_but_operators: tuple[str, ...] = ANYTHING_BUT_OPERATORS
    #: whether ``{"anything-but": {"prefix": ["a", "b"]}}`` (a list of prefixes, suffixes, ...) is accepted
    anything_but_lists: bool = True
    #: whether ``{"prefix": {"equals-ignore-case": "..."}}`` (and suffix) is accepted
    affix_ignore_case: bool = True
    #: whether the pattern may nest objects (SNS attribute scope may not)
    nested: bool = True
    #: largest magnitude a ``numeric`` bound may have (None: no limit)
    numeric_limit: float | None = None
    #: most keys one alternative of the pattern may name (None: no limit)
    max_keys: int | None = None
    #: most value combinations the pattern may have (None: no limit)
    max_combinations: int | None = None

    def reject(self, reason: str) -> FilterError:
        """The service's exception for ``reason``, ready to raise."""
        return self.error(self.error_prefix + reason)
