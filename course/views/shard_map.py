"""Shard map: a stream's shards as hash-key ranges, the records placed on them, hot shards in red.

>>> ShardMap(cloud, "clicks").widget()

Kinesis routes a record by the MD5 hash of its partition key: a 128-bit number that falls in exactly
one open shard's hash-key range. One very busy key therefore loads one shard.
"""

from __future__ import annotations

import html
from typing import Any

from course.aws.kinesis.shards import HASH_SPACE, ShardLoad, hash_key, hot_shards, shard_loads, skew
from course.sandbox import Sandbox

__all__ = ["ShardMap", "ShardLoad", "hash_key"]


class ShardMap:
    """Data model and widget for one stream (the data itself: :mod:`course.aws.kinesis.shards`)."""

    def __init__(self, cloud: Sandbox, stream_name: str) -> None:
        self.cloud = cloud
        self.stream_name = stream_name
        self.kinesis = cloud.client("kinesis")

    def shards(self) -> list[ShardLoad]:
        """Every shard with its current records (read with TRIM_HORIZON; nothing is consumed)."""
        return shard_loads(self.kinesis, self.stream_name)

    def skew(self) -> float:
        """Records on the busiest open shard divided by the mean over open shards (1.0 = even)."""
        return skew(self.shards())

    def hot_shards(self, threshold: float = 1.5) -> list[str]:
        """Open shards carrying more than ``threshold`` times the mean."""
        return hot_shards(self.shards(), threshold)

    def to_html(self) -> str:
        loads = self.shards()
        hot = set(hot_shards(loads))
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
