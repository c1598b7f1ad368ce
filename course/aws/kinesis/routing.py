"""Route records to open shards only (an AWS-behaviour module).

On AWS a shard that was split or merged is *closed*: it keeps its records until they expire, but new
records go to the open child shards that now cover its hash-key range. moto 5 routes by hash range
over every shard, closed ones included, so it keeps writing to the parent.
Source: Kinesis Data Streams Developer Guide, "Resharding a stream".
"""

from __future__ import annotations

from typing import Any

from course.sandbox import Sandbox

__all__ = ["install"]



def install(sandbox: Sandbox) -> None:
    from moto.kinesis.models import Stream

    original = Stream.get_shard_for_key

    def get_shard_for_key(stream: Any, partition_key: str, explicit_hash_key: str) -> Any:
        every_shard = stream.shards
        stream.shards = {sid: shard for sid, shard in every_shard.items() if shard.is_open}
        try:  # route over the open shards only; the closed ones keep their records
            return original(stream, partition_key, explicit_hash_key)
        finally:
            stream.shards = every_shard

    sandbox.registry.patch(Stream, "get_shard_for_key", get_shard_for_key)

