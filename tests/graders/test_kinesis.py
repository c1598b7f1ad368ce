"""Kinesis checks judge boundaries: exact multiples of a shard's capacity, the edges of a time window,
the exact Firehose interval - and never show a hidden test's values."""

import math

import pytest

from graders import kinesis as check
from graders.check import CheckFailed


def failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as failed:
        call()
    return failed.value


def design(ceiling):
    """A design_stream answer that rounds each shard need up with ``ceiling``."""
    def design_stream(kinesis, name, records_per_second, record_kb, consumers):
        mb_in = records_per_second * record_kb / 1024
        mode = "shared" if consumers <= 2 else "enhanced"
        read = mb_in * consumers / 2 if mode == "shared" else mb_in / 2
        kinesis.create_stream(StreamName=name, ShardCount=max(ceiling(mb_in), ceiling(records_per_second / 1000),
                                                              ceiling(read), 1))
        return mode

    return design_stream


def test_kin4_int_plus_one_fails_on_an_exact_multiple(cloud):
    """2 MB/s in is exactly 2 shards: int(x) + 1 asks for 3."""
    plus_one = design(lambda x: int(x) + 1)
    check.sizing(cloud, plus_one)  # the visible workload has no exact multiple: it passes there
    failed = failure(lambda: check.sizing(cloud, plus_one, records_per_second=1024, record_kb=2, consumers=2))
    assert failed.requirement == "kin-4/shard-count"
    check.sizing(cloud, design(math.ceil), records_per_second=1024, record_kb=2, consumers=2)


def test_kin4_messages_never_show_the_hidden_workload(cloud):
    failed = failure(lambda: check.sizing(cloud, design(lambda x: int(x) + 1), records_per_second=2000,
                                          record_kb=0.5, consumers=1))
    assert "2000" not in str(failed) and "0.5" not in str(failed)


def test_kin1_messages_never_show_the_hidden_bound(cloud):
    failed = failure(lambda: check.partition_key(cloud, lambda record: record["user_id"], max_skew=1.7))
    assert failed.requirement == "kin-1/load-spread" and "1.7" not in str(failed)


def test_kin3_a_window_of_ninety_minutes_is_caught_by_the_edge_record(cloud):
    from datetime import timedelta

    def read_last_hour(kinesis, stream_name, now, minutes=90):
        data = []
        for shard in kinesis.list_shards(StreamName=stream_name)["Shards"]:
            it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"],
                                            ShardIteratorType="AT_TIMESTAMP",
                                            Timestamp=now - timedelta(minutes=minutes))["ShardIterator"]
            data += [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]
        return data

    assert failure(lambda: check.read_since(cloud, read_last_hour)).requirement == "kin-3/only-last-hour"
    check.read_since(cloud, lambda kinesis, stream_name, now: read_last_hour(kinesis, stream_name, now, 60))


def test_kin2_reads_the_shard_it_is_given_not_the_first(cloud):
    def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
        first = kinesis.list_shards(StreamName=stream_name)["Shards"][0]["ShardId"]
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=first,
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]

    assert failure(lambda: check.read_after(cloud, read_after_checkpoint)).requirement == "kin-2/reads-every-record-after"


def firehose(interval, size=1):
    def create_delivery_stream(firehose, name, bucket_arn, role_arn):
        firehose.create_delivery_stream(DeliveryStreamName=name, ExtendedS3DestinationConfiguration={
            "RoleARN": role_arn, "BucketARN": bucket_arn,
            "BufferingHints": {"SizeInMBs": size, "IntervalInSeconds": interval}})

    return create_delivery_stream


def test_kin6_an_interval_one_second_too_long_fails(cloud):
    assert failure(lambda: check.firehose_buffering(cloud, firehose(61))).requirement == "kin-6/flushed-within-60s"
    check.firehose_buffering(cloud, firehose(60))


def test_kin5_a_split_off_the_middle_is_named(cloud):
    def split_hot_shard(kinesis, stream_name):
        loads = check.shard_loads(kinesis, stream_name)
        hot = max((s for s in loads if s.open), key=lambda s: s.records)
        kinesis.split_shard(StreamName=stream_name, ShardToSplit=hot.shard_id, NewStartingHashKey=str(hot.start + 1))

    assert failure(lambda: check.reshard(cloud, split_hot_shard)).requirement == "kin-5/split-in-middle"
