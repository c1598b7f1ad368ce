"""EventBridge event patterns and targets as AWS has them, for the sandbox.

* :mod:`course.event_patterns.patterns` - validate a pattern (what AWS rejects with
  ``InvalidEventPatternException``) and match an event, with the field that decided;
* :mod:`course.event_patterns.targets` - deliver to SNS, Kinesis and Python "Lambda" functions,
  honour ``Input``/``InputPath``, skip disabled rules, replay only the requested time window;
* :mod:`course.event_patterns.install` - put both into moto's EventBridge.

Source: Amazon EventBridge User Guide, "Event patterns", "Content filtering in event patterns",
"Comparison operators", "Arrays in event patterns", "Transforming target input".
"""

from course.event_patterns.patterns import PatternError, explain, matches, validate

__all__ = ["PatternError", "explain", "matches", "validate"]
