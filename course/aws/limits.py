"""AWS's figures that the sandbox enforces and the checks rely on: one table, each with its source.

Every number here is AWS's own, from the page named beside it (most also ship in botocore's
service models as the API documentation; ``tests/course/test_limits.py`` compares those). Code
that needs a figure imports it from here, so a figure AWS changes is changed once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EVENTS_MAX_TARGETS_PER_RULE", "EVENTS_NUMERIC_LIMIT", "FIGURES", "FIREHOSE_BUFFER_INTERVAL",
    "FIREHOSE_BUFFER_SIZE_MIB", "Figure", "KINESIS_SHARD", "SNS_FIFO_DEDUPLICATION_WINDOW",
    "SNS_FILTER_MAX_COMBINATIONS", "SNS_FILTER_MAX_KEYS", "SNS_FILTER_NUMERIC_LIMIT", "SQS_ATTRIBUTE_RANGES",
    "SQS_DEDUPLICATION_WINDOW", "SQS_MAX_RECEIVE_COUNT_RANGE",
]


@dataclass(frozen=True)
class Figure:
    """One documented AWS figure."""

    value: object  #: a number, or (minimum, maximum)
    unit: str
    source: str  #: the AWS documentation page that states it
    was: str = ""  #: the older figure, where study material still teaches it


# -- Amazon SQS ----------------------------------------------------------------------------------
#: (minimum, maximum) per integer queue attribute. Source: Amazon SQS API Reference, SetQueueAttributes.
SQS_ATTRIBUTE_RANGES: dict[str, tuple[int, int]] = {
    "DelaySeconds": (0, 900),  # 0 s to 15 minutes
    "MaximumMessageSize": (1_024, 1_048_576),  # 1 KiB to 1 MiB
    "MessageRetentionPeriod": (60, 1_209_600),  # 1 minute to 14 days
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43_200),  # 0 s to 12 hours
}
#: Source: Amazon SQS Developer Guide, "Using dead-letter queues in Amazon SQS".
SQS_MAX_RECEIVE_COUNT_RANGE = (1, 1_000)
#: seconds a FIFO queue remembers a deduplication id, even after the message is deleted.
#: Source: Amazon SQS Developer Guide, "Exactly-once processing in Amazon SQS".
SQS_DEDUPLICATION_WINDOW = 300

# -- Amazon SNS ----------------------------------------------------------------------------------
#: Source: Amazon SNS Developer Guide, "Message deduplication for FIFO topics".
SNS_FIFO_DEDUPLICATION_WINDOW = 300
#: Source: Amazon SNS Developer Guide, "Amazon SNS message filtering: filter policy constraints".
SNS_FILTER_MAX_KEYS = 5
SNS_FILTER_MAX_COMBINATIONS = 150
#: numeric matching works on values between -1e9 and +1e9 (same page).
SNS_FILTER_NUMERIC_LIMIT = 1e9

# -- Amazon EventBridge --------------------------------------------------------------------------
#: "Each rule can have up to five (5) targets". Source: EventBridge API Reference, PutTargets.
EVENTS_MAX_TARGETS_PER_RULE = 5
#: numeric matching works on values between -5.0e9 and +5.0e9.
#: Source: EventBridge User Guide, "Content filtering in Amazon EventBridge event patterns".
EVENTS_NUMERIC_LIMIT = 5e9

# -- Amazon Kinesis Data Streams -----------------------------------------------------------------
#: per-shard quotas in provisioned mode. Source: Kinesis Data Streams Developer Guide,
#: "Quotas and limits"; enhanced fan-out: "Develop enhanced fan-out consumers".
KINESIS_SHARD = {
    "write_mb_per_second": 1.0,  # 1 MB/s in per shard
    "write_records_per_second": 1000,  # or 1,000 records/s in per shard
    "read_mb_per_second": 2.0,  # 2 MB/s out per shard, shared by all standard consumers
    "get_records_calls_per_second": 5,  # 5 GetRecords calls/s per shard, shared
    "efo_mb_per_second_per_consumer": 2.0,  # enhanced fan-out: 2 MB/s per consumer per shard
    "max_shared_consumers": 2,  # beyond this, AWS recommends enhanced fan-out
}

# -- Amazon Data Firehose ------------------------------------------------------------------------
#: default buffering hints for an S3 destination (1-128 MiB, 0-900 s allowed).
#: Source: Amazon Data Firehose Developer Guide, "Configure buffering hints".
FIREHOSE_BUFFER_SIZE_MIB = 5
FIREHOSE_BUFFER_INTERVAL = 300

#: the whole table, for lessons and the docs: name -> figure with its source
FIGURES: dict[str, Figure] = {
    **{f"sqs.{name}": Figure(bounds, "seconds" if name not in ("MaximumMessageSize",) else "bytes",
                             "Amazon SQS API Reference, SetQueueAttributes",
                             "256 KiB (until August 2025)" if name == "MaximumMessageSize" else "")
       for name, bounds in SQS_ATTRIBUTE_RANGES.items()},
    "sqs.maxReceiveCount": Figure(SQS_MAX_RECEIVE_COUNT_RANGE, "receives",
                                  "Amazon SQS Developer Guide, Using dead-letter queues in Amazon SQS"),
    "sqs.fifo.deduplication_window": Figure(SQS_DEDUPLICATION_WINDOW, "seconds",
                                            "Amazon SQS Developer Guide, Exactly-once processing in Amazon SQS"),
    "sns.fifo.deduplication_window": Figure(SNS_FIFO_DEDUPLICATION_WINDOW, "seconds",
                                            "Amazon SNS Developer Guide, Message deduplication for FIFO topics"),
    "sns.filter.max_keys": Figure(SNS_FILTER_MAX_KEYS, "keys", "Amazon SNS Developer Guide, Filter policy constraints"),
    "sns.filter.max_combinations": Figure(SNS_FILTER_MAX_COMBINATIONS, "combinations",
                                          "Amazon SNS Developer Guide, Filter policy constraints"),
    "sns.filter.numeric_limit": Figure(SNS_FILTER_NUMERIC_LIMIT, "absolute value",
                                       "Amazon SNS Developer Guide, Filter policy constraints"),
    "events.targets_per_rule": Figure(EVENTS_MAX_TARGETS_PER_RULE, "targets", "EventBridge API Reference, PutTargets"),
    "events.numeric_limit": Figure(EVENTS_NUMERIC_LIMIT, "absolute value",
                                   "EventBridge User Guide, Content filtering in event patterns"),
    **{f"kinesis.shard.{name}": Figure(value, name.split("_per_")[0].replace("_", " "),
                                       "Kinesis Data Streams Developer Guide, Quotas and limits")
       for name, value in KINESIS_SHARD.items()},
    "firehose.buffer_size": Figure(FIREHOSE_BUFFER_SIZE_MIB, "MiB",
                                   "Amazon Data Firehose Developer Guide, Configure buffering hints"),
    "firehose.buffer_interval": Figure(FIREHOSE_BUFFER_INTERVAL, "seconds",
                                       "Amazon Data Firehose Developer Guide, Configure buffering hints"),
}
