"""Shard map: a stream's shards as hash-key ranges, the records placed on them, hot shards in red.

>>> ShardMap(cloud, "clicks").widget()

Kinesis routes a record by the MD5 hash of its partition key: a 128-bit number that falls in exactly
one open shard's hash-key range. One very busy key therefore loads one shard.
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from dataclasses import dataclass
from typing import Any

from course.sandbox import Sandbox

__all__ = ["ShardMap", "ShardLoad", "hash_key"]

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
        return (self.end - self.start + 1) / HASH_SPACE


class ShardMap:
    """Data model and widget for one stream."""

    def __init__(self, cloud: Sandbox, stream_name: str) -> None:
        self.cloud = cloud
        self.stream_name = stream_name
        self.kinesis = cloud.client("kinesis")

    def shards(self) -> list[ShardLoad]:
        """Every shard with its current records (read with TRIM_HORIZON; nothing is consumed)."""
        loads = []
        description = self.kinesis.describe_stream(StreamName=self.stream_name)["StreamDescription"]
        for shard in description["Shards"]:
            iterator = self.kinesis.get_shard_iterator(StreamName=self.stream_name, ShardId=shard["ShardId"],
                                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            keys: Counter = Counter()
            while iterator:
                response = self.kinesis.get_records(ShardIterator=iterator, Limit=10_000)
                keys.update(r["PartitionKey"] for r in response["Records"])
                if not response["Records"] or response.get("MillisBehindLatest", 0) == 0:
                    break
                iterator = response.get("NextShardIterator")
            loads.append(ShardLoad(
                shard["ShardId"], int(shard["HashKeyRange"]["StartingHashKey"]),
                int(shard["HashKeyRange"]["EndingHashKey"]),
                "EndingSequenceNumber" not in shard["SequenceNumberRange"], sum(keys.values()), keys))
        return loads

    def skew(self) -> float:
        """Records on the busiest open shard divided by the mean over open shards (1.0 = even)."""
        counts = [s.records for s in self.shards() if s.open]
        mean = sum(counts) / len(counts) if counts else 0
        return max(counts) / mean if mean else 0.0

    def hot_shards(self, threshold: float = 1.5) -> list[str]:
        """Open shards carrying more than ``threshold`` times the mean."""
        loads = [s for s in self.shards() if s.open]
        mean = sum(s.records for s in loads) / len(loads) if loads else 0
        return [s.shard_id for s in loads if mean and s.records > threshold * mean]

    def to_html(self) -> str:
        loads = self.shards()
        hot = set(self.hot_shards())
        busiest = max((s.records for s in loads), default=0) or 1
        rows = []
        for shard in loads:
            colour = "#c62828" if shard.shard_id in hot else ("#1565c0" if shard.open else "#9e9e9e")
            left = shard.start / HASH_SPACE * 100
            width = max(shard.share_of_hash_space * 100, 0.5)
            bar = shard.records / busiest * 200
            top = ", ".join(f"{html.escape(k)} ({n})" for k, n in shard.keys.most_common(3))
            rows.append(
                f"<tr><td><code>{shard.shard_id}</code>{'' if shard.open else ' (closed)'}</td>"
                f'<td><div style="position:relative;width:240px;height:10px;background:#eee">'
                f'<div style="position:absolute;left:{left:.2f}%;width:{width:.2f}%;height:10px;background:{colour}"></div></div></td>'
                f'<td><div style="width:{bar:.0f}px;height:10px;background:{colour}"></div></td>'
                f"<td>{shard.records} records</td><td>{top}</td></tr>")
        return (f'<div class="course-shard-map"><b>Stream {html.escape(self.stream_name)}</b> '
                f"&middot; hash-key range, load, busiest keys; hot shards in red"
                f"<table>{''.join(rows)}</table></div>")

    def widget(self) -> Any:
        import ipywidgets as widgets

        view = widgets.HTML(value=self.to_html())
        button = widgets.Button(description="refresh")
        button.on_click(lambda _b: setattr(view, "value", self.to_html()))
        return widgets.VBox([button, view])

    def _repr_html_(self) -> str:
        return self.to_html()
