"""AWS's figures that the sandbox enforces and the checks rely on: one table, each with its source.

Every number here is AWS's own, from the page named beside it (most also ship in botocore's
service models as the API documentation; ``tests/course/test_limits.py`` compares those). Code
that needs a figure imports it from here, so a figure AWS changes is changed once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EVENTS_MAX_TARGETS_PER_RULE", "EVENTS_NUMERIC_LIMIT", "FIGURES", "FIREHOSE_BUFFER_INTERVAL",
    "FIREHOSE_BUFFER_SIZE_MIB", "Figure", "KINESIS_EFO_CONSUMERS_PER_STREAM", "KINESIS_ON_DEMAND",
    "KINESIS_PUT_RECORDS_MAX_BYTES", "KINESIS_PUT_RECORDS_MAX_RECORDS", "KINESIS_RECORD_SIZE_KIB",
    "KINESIS_SHARD", "SNS_ARCHIVE_RETENTION_DAYS", "SNS_FIFO_DEDUPLICATION_WINDOW", "SNS_FIFO_TOPIC_THROUGHPUT",
    "SNS_FILTER_MAX_COMBINATIONS", "SNS_FILTER_MAX_KEYS", "SNS_FILTER_NUMERIC_LIMIT", "SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS",
    "SNS_MESSAGE_SIZE", "SQS_ATTRIBUTE_RANGES", "SQS_DEDUPLICATION_WINDOW", "SQS_FAIR_QUEUE",
    "SQS_MAX_RECEIVE_COUNT_RANGE", "within",
]


@dataclass(frozen=True)
class Figure:
    """One documented AWS figure."""

    value: object  #: a number, or (minimum, maximum)
    unit: str
    source: str  #: the AWS documentation page that states it
    was: str = ""  #: the older figure, where study material still teaches it


def within(value: object, bounds: tuple[int, int]) -> int | None:
    """``value`` as an int if it is one and lies in ``bounds`` (inclusive), else None: how AWS reads
    a numeric setting that arrives as a string (``"1048576"``)."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if bounds[0] <= number <= bounds[1] else None


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
#: fair queues (a MessageGroupId on a *standard* queue names the tenant): a tenant is a noisy
#: neighbour when it holds more than 10% of the queue's in-flight messages and at least 30 of its
#: own, and stops being one when its backlog is empty or it has sent nothing for 5 minutes.
#: Source: Amazon SQS Developer Guide, "How Amazon SQS fair queues work" (SQS fair queues, 2025).
SQS_FAIR_QUEUE = {
    "noisy_share_of_in_flight": 0.10,
    "noisy_min_in_flight": 30,
    "quiet_after_seconds": 300,
}

# -- Amazon SNS ----------------------------------------------------------------------------------
#: Source: Amazon SNS Developer Guide, "Message deduplication for FIFO topics".
SNS_FIFO_DEDUPLICATION_WINDOW = 300
#: Source: Amazon SNS Developer Guide, "Amazon SNS message filtering: filter policy constraints".
SNS_FILTER_MAX_KEYS = 5
SNS_FILTER_MAX_COMBINATIONS = 150
#: numeric matching works on values between -1e9 and +1e9 (same page).
SNS_FILTER_NUMERIC_LIMIT = 1e9
#: a topic's ``MaximumMessageSize`` (bytes of the body plus message attributes): default 256 KiB,
#: settable from 1 KiB to 1 MiB. Source: SNS API Reference, SetTopicAttributes and Publish;
#: Amazon SNS Developer Guide, "Publishing large messages with Amazon SNS".
SNS_MESSAGE_SIZE = {"default": 262_144, "range": (1_024, 1_048_576)}
#: a topic whose MaximumMessageSize is above 256 KiB takes at most 100 subscriptions, each SQS,
#: Firehose or Lambda (same page).
SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS = 100
#: days a FIFO topic's ``ArchivePolicy`` can keep messages for replay.
#: Source: Amazon SNS Developer Guide, "Amazon SNS message archiving for FIFO topic owners".
SNS_ARCHIVE_RETENTION_DAYS = (1, 365)
#: a FIFO topic with FifoThroughputScope=Topic (the default): 3,000 messages/s or 20 MB/s,
#: whichever comes first; with FifoThroughputScope=MessageGroup the region's maximum applies.
#: Source: SNS API Reference, CreateTopic (FifoThroughputScope).
SNS_FIFO_TOPIC_THROUGHPUT = {"messages_per_second": 3_000, "mb_per_second": 20}

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
#: a stream's ``MaxRecordSizeInKiB`` (data plus partition key): 1 MiB unless raised, up to 10 MiB
#: (CreateStream or UpdateMaxRecordSize). Source: Kinesis API Reference, PutRecord, GetRecords,
#: UpdateMaxRecordSize. Until 2025 every record was limited to 1 MiB.
KINESIS_RECORD_SIZE_KIB = {"default": 1_024, "range": (1_024, 10_240)}
#: one PutRecords request: up to 500 records and 10 MiB including partition keys (was 5 MiB).
#: Source: Kinesis API Reference, PutRecords.
KINESIS_PUT_RECORDS_MAX_RECORDS = 500
KINESIS_PUT_RECORDS_MAX_BYTES = 10 * 1_048_576
#: enhanced fan-out consumers registered per stream: 20 (provisioned and On-demand Standard),
#: 50 with On-demand Advantage. Source: Kinesis API Reference, RegisterStreamConsumer.
KINESIS_EFO_CONSUMERS_PER_STREAM = {"default": 20, "on_demand_advantage": 50}
#: on-demand capacity mode: a new stream takes 4 MB/s in and 8 MB/s out, scales to double its
#: previous peak, up to 10 GB/s in and 20 GB/s out (US East (N. Virginia), US West (Oregon),
#: Europe (Ireland); 200 MB/s and 400 MB/s elsewhere); 50 on-demand streams per account by default.
#: Source: Kinesis Data Streams Developer Guide, "Quotas and limits".
KINESIS_ON_DEMAND = {
    "initial_write_mb_per_second": 4,
    "initial_read_mb_per_second": 8,
    "max_write_mb_per_second": 10_240,
    "max_read_mb_per_second": 20_480,
    "max_write_mb_per_second_other_regions": 200,
    "streams_per_account": 50,
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
    "sqs.fair.noisy_min_in_flight": Figure(SQS_FAIR_QUEUE["noisy_min_in_flight"], "messages in flight",
                                           "Amazon SQS Developer Guide, How Amazon SQS fair queues work"),
    "sqs.fair.noisy_share_of_in_flight": Figure(SQS_FAIR_QUEUE["noisy_share_of_in_flight"], "share of in-flight",
                                                "Amazon SQS Developer Guide, How Amazon SQS fair queues work"),
    "sns.message_size": Figure(SNS_MESSAGE_SIZE["default"], "bytes",
                               "SNS API Reference, Publish; SNS Developer Guide, Publishing large messages",
                               "256 KiB fixed, before the topic attribute MaximumMessageSize (up to 1 MiB)"),
    "sns.MaximumMessageSize": Figure(SNS_MESSAGE_SIZE["range"], "bytes", "SNS API Reference, SetTopicAttributes"),
    "sns.large_topic.max_subscriptions": Figure(SNS_LARGE_TOPIC_MAX_SUBSCRIPTIONS, "subscriptions",
                                                "SNS Developer Guide, Publishing large messages with Amazon SNS"),
    "sns.fifo.archive_retention": Figure(SNS_ARCHIVE_RETENTION_DAYS, "days",
                                         "SNS Developer Guide, Amazon SNS message archiving for FIFO topic owners"),
    "sns.fifo.throughput": Figure((SNS_FIFO_TOPIC_THROUGHPUT["messages_per_second"],
                                   SNS_FIFO_TOPIC_THROUGHPUT["mb_per_second"]), "messages/s, MB/s per topic",
                                  "SNS API Reference, CreateTopic (FifoThroughputScope=Topic)"),
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
    "kinesis.record_size": Figure(KINESIS_RECORD_SIZE_KIB["default"], "KiB",
                                  "Kinesis API Reference, GetRecords and UpdateMaxRecordSize", "1 MiB, not adjustable"),
    "kinesis.MaxRecordSizeInKiB": Figure(KINESIS_RECORD_SIZE_KIB["range"], "KiB",
                                         "Kinesis API Reference, UpdateMaxRecordSize", "1 MiB, not adjustable"),
    "kinesis.put_records.max_records": Figure(KINESIS_PUT_RECORDS_MAX_RECORDS, "records", "Kinesis API Reference, PutRecords"),
    "kinesis.put_records.max_bytes": Figure(KINESIS_PUT_RECORDS_MAX_BYTES, "bytes", "Kinesis API Reference, PutRecords",
                                            "5 MiB per request, 1 MiB per record"),
    "kinesis.efo.consumers_per_stream": Figure(KINESIS_EFO_CONSUMERS_PER_STREAM["default"], "consumers",
                                               "Kinesis API Reference, RegisterStreamConsumer",
                                               "20 in every mode; On-demand Advantage now allows 50"),
    **{f"kinesis.on_demand.{name}": Figure(value, name.split("_per_")[0].replace("_", " "),
                                           "Kinesis Data Streams Developer Guide, Quotas and limits")
       for name, value in KINESIS_ON_DEMAND.items()},
    "firehose.buffer_size": Figure(FIREHOSE_BUFFER_SIZE_MIB, "MiB",
                                   "Amazon Data Firehose Developer Guide, Configure buffering hints"),
    "firehose.buffer_interval": Figure(FIREHOSE_BUFFER_INTERVAL, "seconds",
                                       "Amazon Data Firehose Developer Guide, Configure buffering hints"),
}
