"""Kinesis Data Streams as AWS has it, where moto falls short.

* :mod:`course.aws.kinesis.routing` - after a split or merge, records go to the open child shards
  (moto keeps writing to the closed parent);
* :mod:`course.aws.kinesis.records` - record size up to the stream's MaxRecordSizeInKiB (1 MiB by
  default, up to 10 MiB), PutRecords up to 10 MiB, at most 20 enhanced fan-out consumers;
* :mod:`course.aws.kinesis.capacity` - the per-shard limits and a sizing model (moto enforces none);
* :mod:`course.aws.kinesis.shards` - the MD5 hash-key routing and the records per shard (pure data);
"""

from course.aws.kinesis import records, routing
from course.aws.kinesis.capacity import LIMITS, StreamDesign, size_stream
from course.aws.kinesis.shards import ShardLoad, hash_key, hot_shards, shard_loads, skew
from course.sandbox import Behaviour, Sandbox

__all__ = ["LIMITS", "ShardLoad", "StreamDesign", "behaviour", "hash_key", "hot_shards", "shard_loads", "size_stream",
           "skew"]


def _install(sandbox: Sandbox) -> None:
    routing.install(sandbox)
    records.install(sandbox)


behaviour = Behaviour(
    "kinesis",
    "records go to open shards only after a split or merge; record and request sizes; consumer limit",
    _install,
)
