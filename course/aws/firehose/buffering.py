"""Firehose buffering on the course clock (an AWS-behaviour module).

AWS Firehose is *near-real-time*: it buffers incoming records and writes one S3 object when the
buffer reaches ``SizeInMBs`` (1-128 MiB, default 5) or ``IntervalInSeconds`` (0-900 s, default
300) has passed since the first record, whichever comes first (Firehose Developer Guide,
"Configure buffering hints"). moto writes one object per put, immediately. Here records wait in a
buffer; the buffer is flushed by size on put, and by time whenever the course clock moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from course.aws.limits import FIREHOSE_BUFFER_INTERVAL, FIREHOSE_BUFFER_SIZE_MIB
from course.sandbox import Sandbox

__all__ = ["install", "pending"]

MiB = 1024 * 1024
_STATE = "firehose.buffers"


@dataclass
class _Buffer:
    backend: Any
    stream: str
    version: str
    destination: dict
    opened_at: float
    records: list[dict] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(r["Data"]) for r in self.records)

    @property
    def hints(self) -> tuple[int, int]:
        hints = self.destination.get("BufferingHints") or {}
        return (int(hints.get("SizeInMBs", FIREHOSE_BUFFER_SIZE_MIB)),
                int(hints.get("IntervalInSeconds", FIREHOSE_BUFFER_INTERVAL)))


def pending(cloud: Sandbox, stream_name: str) -> int:
    """How many records wait in the buffer of this delivery stream (for lessons and checks)."""
    buffers = cloud.registry.state(_STATE, dict)
    return sum(len(b.records) for (name, _), b in buffers.items() if name == stream_name)


def install(sandbox: Sandbox) -> None:
    """Buffer Firehose's S3 writes; flush by size on put and by interval as the clock moves."""
    from moto.core.utils import unix_time
    from moto.firehose.models import FirehoseBackend
    from moto.moto_api._internal import mock_random

    buffers: dict[tuple[str, str], _Buffer] = sandbox.registry.state(_STATE, dict)
    write_now = FirehoseBackend.put_s3_records  # moto's own: one object at once

    def flush(key: tuple[str, str]) -> None:
        buffer = buffers.pop(key)
        if buffer.records:
            write_now(buffer.backend, buffer.stream, buffer.version, buffer.destination, buffer.records)

    def put_s3_records(backend: Any, stream: str, version: str, destination: dict, records: list) -> list:
        key = (stream, destination.get("BucketARN", ""))
        buffer = buffers.get(key)
        if buffer is None:
            buffer = buffers[key] = _Buffer(backend, stream, version, destination, unix_time())
        buffer.destination = destination
        buffer.records.extend(records)
        size_mb, _ = buffer.hints
        if buffer.size >= size_mb * MiB:
            flush(key)
        return [{"RecordId": str(mock_random.uuid4())} for _ in records]

    def flush_due(_seconds: float) -> None:
        now = unix_time()
        for key, buffer in list(buffers.items()):
            _, interval = buffer.hints
            if now - buffer.opened_at >= interval:
                flush(key)

    sandbox.registry.patch(FirehoseBackend, "put_s3_records", put_s3_records)
    sandbox.registry.listen(flush_due)
