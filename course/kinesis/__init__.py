"""Kinesis Data Streams and Firehose as AWS has them, where moto falls short.

* :mod:`course.kinesis.routing` - after a split or merge, records go to the open child shards
  (moto keeps writing to the closed parent);
* :mod:`course.kinesis.capacity` - the per-shard limits and a sizing model (moto enforces none);
* :mod:`course.kinesis.firehose` - Firehose buffering by size and interval on the course clock
  (moto writes one S3 object per put, at once).
"""

from course.kinesis.capacity import LIMITS, StreamDesign, size_stream

__all__ = ["LIMITS", "StreamDesign", "size_stream"]
