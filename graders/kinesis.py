"""Checks for 05_kinesis_streams: partition keys, iterators, sizing, resharding, Firehose buffering."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from course.aws.kinesis import size_stream
from course.sandbox import Sandbox
from course.views.shard_map import ShardMap
from graders.check import call_learner, checked, fail, passed
from graders.resources import fresh_name as _name


def _stream(kinesis: Any, shards: int) -> str:
    name = _name("stream")
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    return name


def _records(kinesis: Any, stream: str) -> dict[str, list[dict]]:
    """Every record, per shard id, in shard order."""
    out = {}
    for shard in kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out[shard["ShardId"]] = kinesis.get_records(ShardIterator=iterator, Limit=10_000)["Records"]
    return out


def clickstream(sessions_per_user: int = 12) -> list[dict]:
    """A skewed workload: the user 'crawler' sends 80% of the records, over many sessions."""
    records = []
    for s in range(sessions_per_user * 4):
        for step in range(5):
            records.append({"user_id": "crawler", "session_id": f"crawl-{s}", "step": step})
    for u in range(12):
        for step in range(5):
            records.append({"user_id": f"user-{u}", "session_id": f"s-{u}", "step": step})
    return records


@checked("kin-1")
def partition_key(cloud: Sandbox, choose_partition_key: Callable[[dict], str], *, shards: int = 4,
                  records: list[dict] | None = None, max_skew: float = 1.6) -> None:
    """``choose_partition_key(record)`` spreads a skewed load and keeps each session in order."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, shards)
    records = records or clickstream()
    entries = []
    for record in records:
        key = call_learner("kin-1", choose_partition_key, dict(record))
        if not isinstance(key, str) or not 1 <= len(key) <= 256:
            fail("kin-1", f"the partition key {key!r} is not a string of 1 to 256 characters.",
                 why="Kinesis partition keys are Unicode strings of at most 256 characters.")
        entries.append({"Data": json.dumps(record).encode(), "PartitionKey": key})
    for start in range(0, len(entries), 500):  # PutRecords takes up to 500 records
        kinesis.put_records(StreamName=stream, Records=entries[start:start + 500])
    placed: dict[str, set[str]] = defaultdict(set)
    order: dict[str, list[int]] = defaultdict(list)
    for shard_id, shard_records in _records(kinesis, stream).items():
        for r in shard_records:
            data = json.loads(r["Data"])
            placed[data["session_id"]].add(shard_id)
            order[data["session_id"]].append(data["step"])
    split = [s for s, where in placed.items() if len(where) > 1]
    if split:
        fail("kin-1", f"the records of session {split[0]} landed on {len(placed[split[0]])} shards.",
             why="Kinesis keeps order only within a shard: the steps of one session must share a partition "
             "key to be read back in order.",
             hint="derive the key from the session, not from something random or per record.")
    skew = ShardMap(cloud, stream).skew()
    if skew > max_skew:
        fail("kin-1", f"the busiest shard holds {skew:.1f}x the average load (allowed: {max_skew}x).",
             why="one user sends 80% of the records; with the user as the key all of it lands on one shard, "
             "which hits its 1 MB/s / 1,000 records/s limit while the others idle - a hot shard.",
             hint="choose a key with many distinct values that still keeps each session together.")
    passed("kin-1", f"load spread (busiest shard {skew:.2f}x the mean), every session on one shard, in order.")


@checked("kin-2")
def read_after(cloud: Sandbox, read_after_checkpoint: Callable[[Any, str, str, str], list[str]], *,
               total: int = 30, checkpoint_at: int = 11) -> None:
    """``read_after_checkpoint(kinesis, stream, shard_id, sequence_number)``: every record after it."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, 1)
    sequence = {}
    for i in range(total):
        response = kinesis.put_record(StreamName=stream, Data=f"event-{i}".encode(), PartitionKey="k")
        sequence[i] = response["SequenceNumber"]
    shard_id = response["ShardId"]
    got = call_learner("kin-2", read_after_checkpoint, kinesis, stream, shard_id, sequence[checkpoint_at])
    want = [f"event-{i}" for i in range(checkpoint_at + 1, total)]
    got = [g.decode() if isinstance(g, bytes) else g for g in (got or [])]
    if got and got[0] == f"event-{checkpoint_at}":
        fail("kin-2", "the first record returned is the checkpoint itself, which was already processed.",
             why="AT_SEQUENCE_NUMBER starts *at* the record; AFTER_SEQUENCE_NUMBER starts after it - the one a "
             "consumer resuming from its checkpoint needs.",
             hint="ShardIteratorType='AFTER_SEQUENCE_NUMBER'.")
    if got != want:
        fail("kin-2", f"returned {len(got)} records, expected the {len(want)} after the checkpoint, in order.",
             hint="GetRecords returns a page: follow NextShardIterator until a call returns no records.")
    passed("kin-2", f"resumed after the checkpoint: {len(want)} records, in order, none twice.")


@checked("kin-3")
def read_since(cloud: Sandbox, read_last_hour: Callable[[Any, str, Any], list[str]]) -> None:
    """``read_last_hour(kinesis, stream, now)``: records of the last hour, from every shard."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, 3)
    for i in range(6):
        kinesis.put_record(StreamName=stream, Data=f"old-{i}".encode(), PartitionKey=f"k{i}")
    cloud.advance(2 * 3600)
    for i in range(9):
        kinesis.put_record(StreamName=stream, Data=f"new-{i}".encode(), PartitionKey=f"k{i}")
        cloud.advance(60)
    got = call_learner("kin-3", read_last_hour, kinesis, stream, cloud.now())
    got = sorted(g.decode() if isinstance(g, bytes) else g for g in (got or []))
    want = sorted(f"new-{i}" for i in range(9))
    if any(g.startswith("old") for g in got):
        fail("kin-3", "records older than an hour were returned.",
             why="TRIM_HORIZON starts at the oldest record still retained (24 hours by default, up to 365 days); "
             "AT_TIMESTAMP starts at the first record at or after a time.",
             hint="ShardIteratorType='AT_TIMESTAMP', Timestamp=now - timedelta(hours=1).")
    if got != want:
        fail("kin-3", f"returned {len(got)} of the {len(want)} records of the last hour.",
             hint="read every shard of the stream (describe_stream lists them).")
    passed("kin-3", "the last hour, from every shard, by timestamp.")


@checked("kin-4")
def sizing(cloud: Sandbox, design_stream: Callable[[Any, str, float, float, int], str], *,
           records_per_second: float = 2500, record_kb: float = 2, consumers: int = 4) -> None:
    """``design_stream(kinesis, name, rps, kb, consumers)`` creates the smallest stream, returns the mode."""
    kinesis = cloud.client("kinesis")
    name = _name("sized")
    mode = call_learner("kin-4", design_stream, kinesis, name, records_per_second, record_kb, consumers)
    expected = size_stream(records_per_second, record_kb, consumers)
    try:
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    except kinesis.exceptions.ResourceNotFoundException:
        fail("kin-4", f"no stream named {name!r} was created.")
    shards = summary["OpenShardCount"]
    if mode != expected.consumer_mode:
        fail("kin-4", f"consumer mode {mode!r} for {consumers} consumers.",
             why="standard consumers share 2 MB/s and 5 GetRecords calls/s per shard; with more than two, "
             "enhanced fan-out gives each consumer its own 2 MB/s per shard (pushed over HTTP/2).",
             hint="return 'shared' or 'enhanced'.")
    if shards != expected.shards:
        fail("kin-4", f"{shards} shards for {records_per_second:g} records/s of {record_kb:g} KB "
             f"with {consumers} consumers.",
             why="a shard takes 1 MB/s or 1,000 records/s in (whichever is hit first) and serves 2 MB/s out "
             "(shared, or per consumer with enhanced fan-out). Too few shards throttle; more cost money.",
             hint="compute MB/s in, records/s in and MB/s out, and take the largest shard need.")
    passed("kin-4", f"{shards} shards, {mode} consumers: {expected.explain()}.")


@checked("kin-5")
def reshard(cloud: Sandbox, split_hot_shard: Callable[[Any, str], None]) -> None:
    """``split_hot_shard(kinesis, stream)`` splits the busiest shard, and only it."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, 3)
    for i in range(60):
        kinesis.put_record(StreamName=stream, Data=b"x", PartitionKey="viral-post")
    for i in range(15):
        kinesis.put_record(StreamName=stream, Data=b"x", PartitionKey=f"post-{i}")
    view = ShardMap(cloud, stream)
    [hot] = view.hot_shards()
    call_learner("kin-5", split_hot_shard, kinesis, stream)
    shards = view.shards()
    open_shards = [s for s in shards if s.open]
    closed = [s.shard_id for s in shards if not s.open]
    if closed != [hot]:
        fail("kin-5", f"closed shards after your change: {closed or 'none'}; the hot shard is {hot}.",
             why="splitting the hot shard adds capacity where the load is, for the cost of one shard; "
             "UpdateShardCount scales every shard uniformly.",
             hint="find the shard with the most records (get_records per shard) and split_shard it.")
    if len(open_shards) != 4:
        fail("kin-5", f"{len(open_shards)} open shards; one split turns 3 into 4.")
    before = {s.shard_id: s.records for s in open_shards}
    kinesis.put_record(StreamName=stream, Data=b"x", PartitionKey="post-0")
    after = {s.shard_id: s.records for s in view.shards() if s.open}
    if sum(after.values()) != sum(before.values()) + 1:
        fail("kin-5", "a new record did not reach an open shard.")
    passed("kin-5", f"the hot shard {hot} was split; new records go to its children (the parent keeps its history).")


@checked("kin-6")
def firehose_buffering(cloud: Sandbox, create_delivery_stream: Callable[[Any, str, str, str], None]) -> None:
    """Objects appear in S3 within 60 s of a record, or once 1 MiB has built up."""
    s3, firehose = cloud.client("s3"), cloud.client("firehose")
    bucket = _name("lake")
    s3.create_bucket(Bucket=bucket)
    name = _name("clicks")
    call_learner("kin-6", create_delivery_stream, firehose, name, f"arn:aws:s3:::{bucket}",
                 f"arn:aws:iam::{cloud.account_id}:role/firehose-delivery")
    description = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
    destination = description["Destinations"][0]
    s3_description = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription")
    hints = s3_description.get("BufferingHints", {})

    def objects() -> int:
        return len(s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    for i in range(5):
        firehose.put_record(DeliveryStreamName=name, Record={"Data": f'{{"click": {i}}}\n'.encode()})
    cloud.advance(30)
    if objects():
        fail("kin-6", "an object appeared after 30 s for a few small records: the buffer is flushed too soon.",
             why="every object is a PUT you pay for and a small file for your queries to read; "
             "the interval should be as long as the latency allows.",
             hint="IntervalInSeconds 60.")
    cloud.advance(31)
    if objects() != 1:
        fail("kin-6", f"{objects()} objects in S3 61 s after the first record (BufferingHints: {hints or 'defaults'}).",
             why="Firehose writes when the buffer reaches SizeInMBs or IntervalInSeconds passes, whichever is "
             "first (defaults 5 MiB and 300 s): with the defaults the data is 5 minutes late.",
             hint="set BufferingHints={'SizeInMBs': 1, 'IntervalInSeconds': 60} on the S3 destination.")
    firehose.put_record(DeliveryStreamName=name, Record={"Data": b"x" * (1024 * 1024)})
    if objects() != 2:
        fail("kin-6", "1 MiB of data did not make Firehose write at once.", hint="SizeInMBs 1.")
    passed("kin-6", "batches reach S3 within 60 s, or as soon as 1 MiB is buffered.")
