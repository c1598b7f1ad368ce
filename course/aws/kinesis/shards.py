"""Where a stream's records are: the MD5 hash-key routing and the load per shard (pure data, no widget).

Kinesis routes a record by the MD5 hash of its partition key: a 128-bit number that falls in exactly
one open shard's hash-key range. One very busy key therefore loads one shard. The shard map view
(``course.views.shard_map``) draws these loads; the checks (``graders.kinesis``) judge them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["HASH_SPACE", "ShardLoad", "hash_key", "hot_shards", "shard_loads", "skew"]

HASH_SPACE = 2**128


def hash_key(partition_key: str) -> int:
    """The 128-bit hash Kinesis computes from a partition key (MD5)."""
    return int(hashlib.md5(partition_key.encode("utf-8")).hexdigest(), 16)


@dataclass
class ShardLoad:
    """One shard: its range, whether it is open, and the records on it."""

    shard_id: str
    start: int
    end: int
    open: bool
    records: int
    keys: Counter

    @property
    def share_of_hash_space(self) -> float:
        """The fraction of all hash keys this shard's range covers."""
        return (self.end - self.start + 1) / HASH_SPACE


def shard_loads(kinesis: Any, stream_name: str) -> list[ShardLoad]:
    """Every shard of ``stream_name`` with its current records (read with TRIM_HORIZON; nothing is consumed)."""
    loads = []
    description = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]
    for shard in description["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        keys: Counter = Counter()
        while iterator:
            response = kinesis.get_records(ShardIterator=iterator, Limit=10_000)
            keys.update(r["PartitionKey"] for r in response["Records"])
            if not response["Records"] or response.get("MillisBehindLatest", 0) == 0:
                break
            iterator = response.get("NextShardIterator")
        loads.append(ShardLoad(
            shard["ShardId"], int(shard["HashKeyRange"]["StartingHashKey"]),
            int(shard["HashKeyRange"]["EndingHashKey"]),
            "EndingSequenceNumber" not in shard["SequenceNumberRange"], sum(keys.values()), keys))
    return loads


def skew(loads: list[ShardLoad]) -> float:
    """Records on the busiest open shard divided by the mean over open shards (1.0 = even)."""
    counts = [s.records for s in loads if s.open]
    mean = sum(counts) / len(counts) if counts else 0
    return max(counts) / mean if mean else 0.0


def hot_shards(loads: list[ShardLoad], threshold: float = 1.5) -> list[str]:
    """Open shards carrying more than ``threshold`` times the mean over open shards."""
    open_loads = [s for s in loads if s.open]
    mean = sum(s.records for s in open_loads) / len(open_loads) if open_loads else 0
    return [s.shard_id for s in open_loads if mean and s.records > threshold * mean]
