"""Which quiz topic (``course.quiz.bank.TOPICS``) an exercise practises, so weak spots map to practice.

By the exercise id's prefix, read from the notebooks: ``sqs-`` and ``start-`` are SQS standard
queues, ``fifo-`` FIFO, ``sns-`` SNS, ``ev-`` EventBridge, ``kin-`` Kinesis. The capstone and the
exam traps mix services, so each of their exercises is mapped on its own (``EXERCISES``), as is
``kin-6`` (Firehose, in the Kinesis module).
"""

from __future__ import annotations

from course.quiz.bank import TOPICS

__all__ = ["EXERCISES", "PREFIXES", "topic_of"]

PREFIXES: dict[str, str] = {
    "start": "sqs", "sqs": "sqs", "fifo": "fifo", "sns": "sns", "ev": "eventbridge", "kin": "kinesis",
    "fh": "firehose",
}

#: exercises whose module mixes services (read from 05, 06 and 07's section titles)
EXERCISES: dict[str, str] = {
    "kin-6": "firehose",  # "Firehose: delivery, near-real-time"
    "cap-1": "sns",  # build the pipeline: SNS fan-out to two queues with DLQs
    "cap-2": "sqs",  # the billing consumer: idempotent, fails so SQS retries
    "cap-3": "sqs",  # under fire: visibility timeout, poison messages, duplicates
    "cap-4": "eventbridge",  # nothing lost: the bus's archive
    "cap-5": "sns",  # a fraud screen: its own subscription, a body filter policy, raw delivery
    "trap-1": "sqs", "trap-2": "sqs", "trap-3": "sqs", "trap-4": "sqs",  # visibility, polling, delays
    "trap-5": "fifo",  # FIFO name, group, window, DLQ
    "trap-6": "sqs", "trap-7": "sqs",  # best-effort order; 1 MiB and the S3 pointer
    "trap-8": "sns",  # SNS pushes, SQS is pulled
    "trap-9": "eventbridge",  # who filters: many targets
    "trap-10": "kinesis",  # a year of retention
    "trap-11": "choice",  # Firehose vs Kinesis vs SQS
}


def topic_of(exercise: str) -> str | None:
    """The quiz topic of ``exercise`` (``sqs-3`` -> ``sqs``), or None if no topic fits."""
    exercise = exercise.split("/", 1)[0]
    topic = EXERCISES.get(exercise) or PREFIXES.get(exercise.rsplit("-", 1)[0])
    return topic if topic in TOPICS else None
