"""Kinesis Data Streams as AWS has it, where moto falls short.

* :mod:`course.aws.kinesis.routing` - after a split or merge, records go to the open child shards
  (moto keeps writing to the closed parent);
* :mod:`course.aws.kinesis.capacity` - the per-shard limits and a sizing model (moto enforces none);
"""

from course.aws.kinesis import routing
from course.aws.kinesis.capacity import LIMITS, StreamDesign, size_stream
from course.sandbox import Behaviour

__all__ = ["LIMITS", "StreamDesign", "behaviour", "size_stream"]

behaviour = Behaviour("kinesis", "records go to open shards only after a split or merge", routing.install)
