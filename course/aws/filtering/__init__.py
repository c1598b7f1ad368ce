"""One event-filter engine for SNS filter policies and EventBridge event patterns.

* :mod:`~course.aws.filtering.dialect` - :class:`Dialect`, the per-service settings (what each
  service accepts: operators, anything-but forms, nesting, numeric limits, key and combination
  limits) and :class:`FilterError`;
* :mod:`~course.aws.filtering.validation` - accept or reject a pattern, ``$or`` expansion, SNS
  complexity;
* :mod:`~course.aws.filtering.matching` - match an event, with the deciding field (:class:`Verdict`);
* :mod:`~course.aws.filtering.operators` - one value against one rule (prefix, suffix, wildcard,
  numeric, cidr, anything-but, ...);
* :mod:`~course.aws.filtering.sns` and :mod:`~course.aws.filtering.eventbridge` - each service's
  settings and the functions its behaviours and views call.

Sources: EventBridge User Guide, "Event pattern syntax", "Comparison operators", "Content filtering
in Amazon EventBridge event patterns", "Arrays in event patterns"; SNS Developer Guide, "String
value matching", "Numeric value matching", "Filter policy constraints"; the AWS-validated cases in
tests/course/fixtures/event-patterns and tests/course/fixtures/sns-filter-policies.
"""

from course.aws.filtering.dialect import Dialect, FilterError
from course.aws.filtering.matching import Verdict

__all__ = ["Dialect", "FilterError", "Verdict"]
