"""Kinesis Data Streams as AWS has it, where moto falls short.

* :mod:`course.aws.kinesis.routing` - after a split or merge, records go to the open child shards
  (moto keeps writing to the closed parent);
* :mod:`course.aws.kinesis.capacity` - the per-shard limits and a sizing model (moto enforces none);
* :mod:`course.aws.kinesis.shards` - the MD5 hash-key routing and the records per shard (pure data);
"""

from course.aws.kinesis import routing
from course.aws.kinesis.capacity import LIMITS, StreamDesign, size_stream
from course.aws.kinesis.shards import ShardLoad, hash_key, hot_shards, shard_loads, skew
from course.sandbox import Behaviour

__all__ = ["LIMITS", "ShardLoad", "StreamDesign", "behaviour", "hash_key", "hot_shards", "shard_loads", "size_stream",
           "skew"]

behaviour = Behaviour("kinesis", "records go to open shards only after a split or merge", routing.install)
