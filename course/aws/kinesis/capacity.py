"""Kinesis Data Streams capacity: the per-shard quotas and a sizing model.

Source: Kinesis Data Streams Developer Guide, "Quotas and limits" and "Develop enhanced fan-out
consumers". moto enforces none of these: the course computes with them instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.aws.limits import KINESIS_SHARD

__all__ = ["LIMITS", "StreamDesign", "size_stream"]

#: per-shard quotas (provisioned mode), from :mod:`course.aws.limits`
LIMITS = KINESIS_SHARD


@dataclass(frozen=True)
class StreamDesign:
    """How many shards a workload needs and why."""

    shards: int
    consumer_mode: str  #: "shared" (GetRecords polling) or "enhanced" (enhanced fan-out)
    write_shards: int
    read_shards: int

    def explain(self) -> str:
        return (f"{self.shards} shard(s): {self.write_shards} for writes, {self.read_shards} for reads "
                f"with {self.consumer_mode} consumers")


def size_stream(records_per_second: float, record_kb: float, consumers: int) -> StreamDesign:
    """The smallest provisioned stream for this workload.

    Writes need ``ceil(MB/s / 1)`` and ``ceil(records/s / 1000)`` shards. Up to two consumers share
    2 MB/s per shard; more consumers use enhanced fan-out, where each gets 2 MB/s per shard.
    """
    mb_in = records_per_second * record_kb / 1024
    write = max(math.ceil(mb_in / LIMITS["write_mb_per_second"]),
                math.ceil(records_per_second / LIMITS["write_records_per_second"]), 1)
    if consumers <= LIMITS["max_shared_consumers"]:
        mode, read = "shared", math.ceil(mb_in * consumers / LIMITS["read_mb_per_second"])
    else:
        mode, read = "enhanced", math.ceil(mb_in / LIMITS["efo_mb_per_second_per_consumer"])
    return StreamDesign(max(write, read, 1), mode, write, max(read, 1))
