"""AWS behaviour the course needs and moto lacks, one package per service.

Each service package exports a :class:`~course.sandbox.Behaviour`; :data:`BEHAVIOURS` is the
ordered list ``course.start()`` gives the sandbox. Later behaviours wrap what earlier ones
patched (the speed-ups go last, around everything). Where to add a rule: ``docs/architecture.md``.
"""

from course.aws import events, firehose, kinesis, sns, speedups, sqs

__all__ = ["BEHAVIOURS"]

BEHAVIOURS = (
    sqs.behaviour,
    sns.behaviour,
    events.behaviour,
    kinesis.behaviour,
    firehose.behaviour,
    speedups.behaviour,
)
