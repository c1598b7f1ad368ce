"""Checks for 05_kinesis_streams: partition keys, iterators, sizing, resharding, Firehose buffering."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from course.aws.kinesis import hot_shards, shard_loads, size_stream
from course.aws.kinesis import skew as skew_of
from course.sandbox import Sandbox
from graders.exercise import Exercise, declared_in
from graders.resources import fresh_name as _name
from graders.resources import stream_records

#: This module's exercises, declared in graders/exercises/kinesis.toml.
EXERCISES = declared_in("kinesis")


def _stream(kinesis: Any, shards: int) -> str:
    name = _name("stream")
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    return name


def _texts(records: Any) -> list:
    """What a learner's function returned as a list of strings (bytes decoded)."""
    return [r.decode() if isinstance(r, bytes) else r for r in (records or [])]


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


@EXERCISES["kin-1"].check
def partition_key(ex: Exercise, cloud: Sandbox, choose_partition_key: Callable[[dict], str], *, shards: int = 4,
                  records: list[dict] | None = None, max_skew: float = 1.8) -> None:
    """``choose_partition_key(record)`` spreads a skewed load and keeps each session in order."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, shards)
    records = records or clickstream()
    entries = []
    for record in records:
        key = ex.call_learner(choose_partition_key, dict(record))
        if not isinstance(key, str) or not 1 <= len(key) <= 256:
            ex.fail("key-is-string", f"the partition key {key!r} is not a string of 1 to 256 characters.",
                    why="Kinesis partition keys are Unicode strings of at most 256 characters.")
        entries.append({"Data": json.dumps(record).encode(), "PartitionKey": key})
    for start in range(0, len(entries), 500):  # PutRecords takes up to 500 records
        kinesis.put_records(StreamName=stream, Records=entries[start:start + 500])
    placed: dict[str, set[str]] = defaultdict(set)
    order: dict[str, list[int]] = defaultdict(list)
    for shard_id, shard_records in stream_records(kinesis, stream).items():
        for r in shard_records:
            data = json.loads(r["Data"])
            placed[data["session_id"]].add(shard_id)
            order[data["session_id"]].append(data["step"])
    split = [s for s, where in placed.items() if len(where) > 1]
    if split:
        ex.fail("session-on-one-shard", f"the records of session {split[0]} landed on {len(placed[split[0]])} shards.",
                why="Kinesis keeps order only within a shard: the steps of one session must share a partition "
                "key to be read back in order.",
                hint="derive the key from the session, not from something random or per record.")
    skew = skew_of(shard_loads(kinesis, stream))
    if skew > max_skew:
        ex.fail("load-spread", f"the busiest shard holds {skew:.1f}x the average load: more than the exercise allows.",
                why="one user sends 80% of the records; with the user as the key all of it lands on one shard, "
                "which hits its 1 MB/s / 1,000 records/s limit while the others idle - a hot shard.",
                hint="choose a key with many distinct values that still keeps each session together.")
    ex.passed(f"load spread (busiest shard {skew:.2f}x the mean), every session on one shard, in order.")


@EXERCISES["kin-2"].check
def read_after(ex: Exercise, cloud: Sandbox, read_after_checkpoint: Callable[[Any, str, str, str], list[str]], *,
               total: int = 30, checkpoint_at: int = 11) -> None:
    """``read_after_checkpoint(kinesis, stream, shard_id, sequence_number)``: every record after it."""
    kinesis = cloud.client("kinesis")
    # two shards, the checkpoint on the second (not the first a stream lists), and text that is not
    # ASCII: the answer must read the shard it is given, and return the data as written
    stream = _stream(kinesis, 2)
    upper_half = str(2**127 + 1)
    sequence = {}
    for i in range(total):
        response = kinesis.put_record(StreamName=stream, Data=f"événement-{i}".encode(), PartitionKey="k",
                                      ExplicitHashKey=upper_half)
        sequence[i] = response["SequenceNumber"]
        kinesis.put_record(StreamName=stream, Data=f"other-{i}".encode(), PartitionKey="k", ExplicitHashKey="1")
    shard_id = response["ShardId"]
    got = ex.call_learner(read_after_checkpoint, kinesis, stream, shard_id, sequence[checkpoint_at])
    want = [f"événement-{i}" for i in range(checkpoint_at + 1, total)]
    got = _texts(got)
    if any(isinstance(g, str) and g.startswith("other-") for g in got):
        ex.fail("reads-every-record-after", "records of another shard were returned.",
                why="a sequence number belongs to one shard: the checkpoint names the shard to resume.",
                hint="get_shard_iterator(ShardId=shard_id, ...) - the shard you are given.")
    if got and got[0] == f"événement-{checkpoint_at}":
        ex.fail("starts-after-checkpoint",
                "the first record returned is the checkpoint itself, which was already processed.",
                why="AT_SEQUENCE_NUMBER starts *at* the record; AFTER_SEQUENCE_NUMBER starts after it - the one a "
                "consumer resuming from its checkpoint needs.",
                hint="ShardIteratorType='AFTER_SEQUENCE_NUMBER'.")
    if got != want:
        ex.fail("reads-every-record-after",
                f"returned {len(got)} records: not every record after the checkpoint, as written and in order.",
                hint="GetRecords returns a page: follow NextShardIterator until a call returns no records.")
    ex.passed(f"resumed after the checkpoint: {len(want)} records, in order, none twice.")


@EXERCISES["kin-3"].check
def read_since(ex: Exercise, cloud: Sandbox, read_last_hour: Callable[[Any, str, Any], list[str]]) -> None:
    """``read_last_hour(kinesis, stream, now)``: records of the last hour, from every shard."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, 3)
    for i in range(6):
        kinesis.put_record(StreamName=stream, Data=f"old-{i}".encode(), PartitionKey=f"k{i}")
    cloud.advance(2 * 3600)
    # the edges: one record 61 minutes old (out), one 59 minutes old (in)
    kinesis.put_record(StreamName=stream, Data=b"old-edge", PartitionKey="edge")
    cloud.advance(120)
    kinesis.put_record(StreamName=stream, Data=b"new-edge", PartitionKey="edge")
    cloud.advance(3000)
    for i in range(9):
        kinesis.put_record(StreamName=stream, Data=f"new-{i}".encode(), PartitionKey=f"k{i}")
        cloud.advance(60)
    got = ex.call_learner(read_last_hour, kinesis, stream, cloud.now())
    got = sorted(_texts(got))
    want = sorted(["new-edge", *(f"new-{i}" for i in range(9))])
    if any(g.startswith("old") for g in got):
        ex.fail("only-last-hour", "records older than an hour were returned.",
                why="TRIM_HORIZON starts at the oldest record still retained (24 hours by default, up to 365 days); "
                "AT_TIMESTAMP starts at the first record at or after a time.",
                hint="ShardIteratorType='AT_TIMESTAMP', Timestamp=now - timedelta(hours=1).")
    if got != want:
        ex.fail("every-shard-read", f"returned {len(got)} of the {len(want)} records of the last hour.",
                hint="read every shard of the stream (describe_stream lists them).")
    ex.passed("the last hour, from every shard, by timestamp.")


@EXERCISES["kin-4"].check
def sizing(ex: Exercise, cloud: Sandbox, design_stream: Callable[[Any, str, float, float, int], str], *,
           records_per_second: float = 2500, record_kb: float = 2, consumers: int = 4) -> None:
    """``design_stream(kinesis, name, rps, kb, consumers)`` creates the smallest stream, returns the mode."""
    kinesis = cloud.client("kinesis")
    name = _name("sized")
    mode = ex.call_learner(design_stream, kinesis, name, records_per_second, record_kb, consumers)
    expected = size_stream(records_per_second, record_kb, consumers)
    try:
        summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    except kinesis.exceptions.ResourceNotFoundException:
        ex.fail("stream-created", f"no stream named {name!r} was created.")
    shards = summary["OpenShardCount"]
    if summary.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED") != "PROVISIONED":
        ex.fail("provisioned-mode", "the stream is on-demand: AWS chooses its shards, and you pay per GB.",
                why="the exercise sizes a provisioned stream: you pay per shard-hour, so the fewest shards that "
                "carry the load is the cheapest design.",
                hint="create_stream(StreamName=name, ShardCount=...) - provisioned is the default mode.")
    if mode != expected.consumer_mode:
        ex.fail("consumer-mode", f"the consumer mode {mode!r} does not fit the number of consumers.",
                why="standard consumers share 2 MB/s and 5 GetRecords calls/s per shard; with more than two, "
                "enhanced fan-out gives each consumer its own 2 MB/s per shard (pushed over HTTP/2).",
                hint="return 'shared' or 'enhanced'.")
    if shards != expected.shards:
        ex.fail("shard-count", f"the stream has {shards} shards: not the fewest that carry this workload.",
                why="a shard takes 1 MB/s or 1,000 records/s in (whichever is hit first) and serves 2 MB/s out "
                "(shared, or per consumer with enhanced fan-out). Too few shards throttle; more cost money.",
                hint="compute MB/s in, records/s in and MB/s out, round each need UP to whole shards (an exact "
                "multiple needs no extra shard), and take the largest.")
    ex.passed(f"{shards} shards, {mode} consumers: the smallest stream for the workload.")


@EXERCISES["kin-5"].check
def reshard(ex: Exercise, cloud: Sandbox, split_hot_shard: Callable[[Any, str], None]) -> None:
    """``split_hot_shard(kinesis, stream)`` splits the busiest shard, and only it."""
    kinesis = cloud.client("kinesis")
    stream = _stream(kinesis, 3)
    for i in range(60):
        kinesis.put_record(StreamName=stream, Data=b"x", PartitionKey="viral-post")
    for i in range(15):
        kinesis.put_record(StreamName=stream, Data=b"x", PartitionKey=f"post-{i}")
    [hot] = hot_shards(shard_loads(kinesis, stream))
    ex.call_learner(split_hot_shard, kinesis, stream)
    shards = shard_loads(kinesis, stream)
    open_shards = [s for s in shards if s.open]
    closed = [s.shard_id for s in shards if not s.open]
    if closed != [hot]:
        ex.fail("split-hot-shard", f"closed shards after your change: {closed or 'none'}; the hot shard is {hot}.",
                why="splitting the hot shard adds capacity where the load is, for the cost of one shard; "
                "UpdateShardCount scales every shard uniformly.",
                hint="find the shard with the most records (get_records per shard) and split_shard it.")
    parent = next(s for s in shards if s.shard_id == hot)
    halves = sorted(s.end - s.start + 1 for s in open_shards if parent.start <= s.start <= parent.end)
    # the middle, give or take the rounding of (start + end) / 2
    if len(halves) == 2 and halves[1] - halves[0] > 2:
        ex.fail("split-in-middle", "the hot shard was not split in the middle of its hash-key range: one child "
                f"takes {halves[1] / (halves[0] + halves[1]):.0%} of it.",
                why="the hot shard's keys are spread over its whole range: halving it halves the load on each "
                "child (unless one key is the whole load - then only a better key helps).",
                hint="NewStartingHashKey = (StartingHashKey + EndingHashKey) // 2, as integers, passed as a string.")
    ex.passed(f"the hot shard {hot} was split; new records go to its children (the parent keeps its history).")


@EXERCISES["kin-6"].check
def firehose_buffering(ex: Exercise, cloud: Sandbox,
                       create_delivery_stream: Callable[[Any, str, str, str], None]) -> None:
    """Objects appear in S3 within 60 s of a record, or once 1 MiB has built up."""
    s3, firehose = cloud.client("s3"), cloud.client("firehose")
    bucket = _name("lake")
    s3.create_bucket(Bucket=bucket)
    name = _name("clicks")
    ex.call_learner(create_delivery_stream, firehose, name, f"arn:aws:s3:::{bucket}",
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
        ex.fail("not-flushed-early",
                "an object appeared after 30 s for a few small records: the buffer is flushed too soon.",
                why="every object is a PUT you pay for and a small file for your queries to read; "
                "the interval should be as long as the latency allows.",
                hint="IntervalInSeconds 60.")
    cloud.advance(30)
    if objects() != 1:
        ex.fail("flushed-within-60s",
                f"{objects()} objects in S3 60 s after the first record (BufferingHints: {hints or 'defaults'}).",
                why="Firehose writes when the buffer reaches SizeInMBs or IntervalInSeconds passes, whichever is "
                "first (defaults 5 MiB and 300 s): with the defaults the data is 5 minutes late.",
                hint="set BufferingHints={'SizeInMBs': 1, 'IntervalInSeconds': 60} on the S3 destination.")
    # 1 MiB in two records: a Firehose record is at most 1,000 KiB
    for _ in range(2):
        firehose.put_record(DeliveryStreamName=name, Record={"Data": b"x" * (512 * 1024)})
    if objects() != 2:
        ex.fail("flushed-at-1mib", "1 MiB of data did not make Firehose write at once.", hint="SizeInMBs 1.")
    ex.passed("batches reach S3 within 60 s, or as soon as 1 MiB is buffered.")
