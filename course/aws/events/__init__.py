"""Amazon EventBridge as AWS has it, where moto 5 differs.

* :mod:`course.aws.filtering.eventbridge` (the shared filter engine) - validate a pattern (what
  AWS rejects with ``InvalidEventPatternException``) and match an event, with the field that decided;
* :mod:`course.aws.events.targets` - deliver to SNS, Kinesis, Firehose and Python "Lambda"
  functions, honour ``Input``/``InputPath``/``InputTransformer``;
* :mod:`course.aws.events.rules` - put both into moto: ``TestEventPattern``, disabled rules,
  replay of the requested window only;
* :mod:`course.aws.events.limits` - at most 5 targets per rule;
* :mod:`course.aws.events.permissions` - a role for Kinesis and Firehose targets, a resource
  policy for SQS and SNS targets; refused deliveries go to the target's DLQ.

Source: Amazon EventBridge User Guide, "Event patterns", "Content filtering in event patterns",
"Comparison operators", "Arrays in event patterns", "Transforming target input".
"""

from __future__ import annotations

from course.aws.events import limits, permissions, rules
from course.sandbox import Behaviour, Sandbox

__all__ = ["behaviour"]


def _install(sandbox: Sandbox) -> None:
    rules.install(sandbox)
    limits.install(sandbox)
    permissions.install(sandbox)


behaviour = Behaviour(
    "events",
    "pattern validation and TestEventPattern; disabled rules; SNS, Kinesis, Firehose and function "
    "targets with input transformation; replay windows; 5 targets per rule; target permissions "
    "(roles, resource policies) and dead-letter queues",
    _install,
)
