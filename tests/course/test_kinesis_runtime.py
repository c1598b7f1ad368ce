"""Kinesis routing after resharding, the capacity model and Firehose buffering, as on AWS."""

import pytest

from course.aws.kinesis import LIMITS, size_stream
from course.aws.firehose.buffering import pending


def shards(kinesis, name):
    return kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]


def test_writes_after_a_split_go_to_the_open_children(cloud):
    """moto keeps writing to the closed parent; AWS (and the sandbox) write to its children."""
    kinesis = cloud.client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    parent = shards(kinesis, "s")[0]
    middle = str(int(parent["HashKeyRange"]["EndingHashKey"]) // 2)
    kinesis.split_shard(StreamName="s", ShardToSplit=parent["ShardId"], NewStartingHashKey=middle)
    written = {kinesis.put_record(StreamName="s", Data=b"x", PartitionKey=f"k{i}")["ShardId"] for i in range(40)}
    assert parent["ShardId"] not in written and len(written) == 2
    assert len(shards(kinesis, "s")) == 3  # the closed parent is still listed, with its records


@pytest.mark.parametrize(("rps", "kb", "consumers", "expected"), [
    (500, 1, 1, (1, "shared")),        # 0.49 MB/s, 500 rec/s
    (3000, 0.5, 1, (3, "shared")),     # records/s decides
    (1000, 4, 1, (4, "shared")),       # 3.9 MB/s in
    (1000, 3, 2, (3, "shared")),       # 2.93 MB/s in, 5.86 out / 2 -> 3
    (1000, 2, 5, (2, "enhanced")),     # five consumers: enhanced fan-out
])
def test_sizing_model(rps, kb, consumers, expected):
    design = size_stream(rps, kb, consumers)
    assert (design.shards, design.consumer_mode) == expected
    assert design.explain().startswith(f"{expected[0]} shard")


def test_limits_are_the_documented_ones():
    assert (LIMITS["write_mb_per_second"], LIMITS["write_records_per_second"], LIMITS["read_mb_per_second"],
            LIMITS["get_records_calls_per_second"], LIMITS["efo_mb_per_second_per_consumer"]) == (1.0, 1000, 2.0, 5, 2.0)


@pytest.fixture
def delivery(cloud):
    s3, firehose = cloud.client("s3"), cloud.client("firehose")
    s3.create_bucket(Bucket="lake")

    def make(name, **hints):
        destination = {"RoleARN": "arn:aws:iam::123456789012:role/firehose", "BucketARN": "arn:aws:s3:::lake"}
        if hints:
            destination["BufferingHints"] = hints
        firehose.create_delivery_stream(DeliveryStreamName=name, ExtendedS3DestinationConfiguration=destination)
        return name

    def objects():
        return [o["Key"] for o in s3.list_objects_v2(Bucket="lake").get("Contents", [])]

    return firehose, make, objects


def test_records_wait_for_the_buffer_interval(cloud, delivery):
    firehose, make, objects = delivery
    name = make("clicks", IntervalInSeconds=60, SizeInMBs=5)
    for i in range(3):
        firehose.put_record(DeliveryStreamName=name, Record={"Data": f"click {i}\n".encode()})
    assert objects() == [] and pending(cloud, name) == 3
    cloud.advance(59)
    assert objects() == []
    cloud.advance(2)
    [key] = objects()
    body = cloud.client("s3").get_object(Bucket="lake", Key=key)["Body"].read()
    assert body == b"click 0\nclick 1\nclick 2\n" and pending(cloud, name) == 0


def test_a_full_buffer_is_written_at_once(cloud, delivery):
    firehose, make, objects = delivery
    name = make("big", IntervalInSeconds=900, SizeInMBs=1)
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b"x" * (1024 * 1024)})
    assert len(objects()) == 1


def test_default_hints_are_five_minutes(cloud, delivery):
    firehose, make, objects = delivery
    name = make("defaults")
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b"x"})
    cloud.advance(299)
    assert objects() == []
    cloud.advance(2)
    assert len(objects()) == 1
