"""Kinesis record and request sizes, and enhanced fan-out consumers, as AWS limits them today.

* A record (data plus partition key) may be as large as the stream's ``MaxRecordSizeInKiB``:
  1 MiB unless raised with ``CreateStream`` or ``UpdateMaxRecordSize``, at most 10 MiB. moto 5
  checks no size on ``PutRecord``, checks 1 MiB per record on ``PutRecords``, and knows neither
  the setting nor ``UpdateMaxRecordSize``.
* A ``PutRecords`` request takes at most 500 records and 10 MiB in all; moto still refuses
  above 5 MB, the figure before large records.
* A stream takes at most 20 registered enhanced fan-out consumers (50 with On-demand Advantage,
  an account-level mode the sandbox does not model); moto registers any number.

Sources: Kinesis API Reference, PutRecord, PutRecords, CreateStream, UpdateMaxRecordSize,
GetRecords, RegisterStreamConsumer.
"""

from __future__ import annotations

from base64 import b64decode
from typing import Any

from course.aws.limits import (KINESIS_EFO_CONSUMERS_PER_STREAM, KINESIS_PUT_RECORDS_MAX_BYTES,
                               KINESIS_PUT_RECORDS_MAX_RECORDS, KINESIS_RECORD_SIZE_KIB, within)
from course.sandbox import Sandbox

__all__ = ["install", "max_record_bytes"]

_STATE = "kinesis.max_record_kib"


def max_record_bytes(cloud: Sandbox, stream_arn: str) -> int:
    """The largest record (data plus partition key) this stream accepts, in bytes."""
    table = cloud.registry.state(_STATE, dict)
    return table.get(stream_arn, KINESIS_RECORD_SIZE_KIB["default"]) * 1024


def _record_bytes(data: Any, partition_key: str | None) -> int:
    """AWS counts the data blob before base64 plus the partition key's UTF-8 bytes."""
    return len(b64decode(data or "")) + len((partition_key or "").encode("utf-8"))


def _error(kind: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(kind, message)


def _checked_kib(value: Any) -> int:
    low, high = KINESIS_RECORD_SIZE_KIB["range"]
    kib = within(value, (low, high))
    if kib is None:
        raise _error("ValidationException",
                     f"1 validation error detected: Value '{value}' at 'maxRecordSizeInKiB' failed to satisfy "
                     f"constraint: Member must have value between {low} and {high}")
    return kib


def install(sandbox: Sandbox) -> None:
    """Enforce record and request sizes, the MaxRecordSizeInKiB setting and the consumer limit."""
    from moto.kinesis.models import KinesisBackend, Stream
    from moto.kinesis.responses import KinesisResponse

    table: dict[str, int] = sandbox.registry.state(_STATE, dict)

    def limit_of(stream: Any) -> int:
        return table.get(stream.arn, KINESIS_RECORD_SIZE_KIB["default"]) * 1024

    def too_big(stream: Any, size: int, where: str) -> Exception:
        return _error("ValidationException",
                      f"1 validation error detected: Value at '{where}' failed to satisfy constraint: the record "
                      f"({size} bytes with its partition key) is larger than the stream's MaxRecordSizeInKiB "
                      f"({limit_of(stream) // 1024} KiB)")

    def create_stream(response: Any) -> Any:
        requested = response._get_param("MaxRecordSizeInKiB")
        kib = _checked_kib(requested) if requested is not None else None
        result = original_create(response)
        if kib is not None:
            stream = response.kinesis_backend.describe_stream(None, response._get_param("StreamName"))
            table[stream.arn] = kib
        return result

    def update_max_record_size(response: Any) -> Any:
        from moto.core.responses import EmptyResult

        kib = _checked_kib(response._get_param("MaxRecordSizeInKiB"))
        stream = response.kinesis_backend.describe_stream(response._get_param("StreamARN"), None)
        table[stream.arn] = kib
        return EmptyResult()

    def to_json_summary(stream: Any) -> dict[str, Any]:
        summary = original_summary(stream)
        summary["StreamDescriptionSummary"]["MaxRecordSizeInKiB"] = limit_of(stream) // 1024
        return summary

    def put_record(backend: Any, stream_arn: str, stream_name: str, partition_key: str,
                   explicit_hash_key: str, data: str) -> Any:
        stream = backend.describe_stream(stream_arn=stream_arn, stream_name=stream_name)
        size = _record_bytes(data, partition_key)
        if size > limit_of(stream):
            raise too_big(stream, size, "data")
        return original_put_record(backend, stream_arn, stream_name, partition_key, explicit_hash_key, data)

    def put_records(backend: Any, stream_arn: str, stream_name: str, records: list[dict[str, Any]]) -> Any:
        stream = backend.describe_stream(stream_arn=stream_arn, stream_name=stream_name)
        if len(records) > KINESIS_PUT_RECORDS_MAX_RECORDS:
            return original_put_records(backend, stream_arn, stream_name, records)  # moto's own message
        sizes = [_record_bytes(r.get("Data"), r.get("PartitionKey")) for r in records]
        if sum(sizes) > KINESIS_PUT_RECORDS_MAX_BYTES:
            raise _error("InvalidArgumentException",
                         f"Records size exceeds {KINESIS_PUT_RECORDS_MAX_BYTES // 1_048_576} MiB limit")
        for position, size in enumerate(sizes, start=1):
            if size > limit_of(stream):
                raise too_big(stream, size, f"records.{position}.member.data")
        # moto's fixed 5 MB / 1 MiB checks are replaced by the ones above: hand it records it
        # cannot refuse, then put the real ones through its per-record path
        response: dict[str, Any] = {"FailedRecordCount": 0, "Records": []}
        for record in records:
            sequence_number, shard_id = stream.put_record(
                record.get("PartitionKey"), record.get("ExplicitHashKey"), record.get("Data"))
            response["Records"].append({"SequenceNumber": sequence_number, "ShardId": shard_id})
        backend._send_stream_metrics(stream.stream_name, incoming_bytes=sum(sizes), incoming_records=len(records))
        return response

    def register_stream_consumer(backend: Any, stream_arn: str, consumer_name: str) -> Any:
        stream = backend._find_stream_by_arn(stream_arn)
        limit = KINESIS_EFO_CONSUMERS_PER_STREAM["default"]
        if stream is not None and len(stream.consumers) >= limit:
            raise _error("LimitExceededException",
                         f"Stream {stream.stream_name} already has {limit} registered consumers, the maximum")
        return original_register(backend, stream_arn, consumer_name)

    original_create = sandbox.registry.patch(KinesisResponse, "create_stream", create_stream)
    original_summary = sandbox.registry.patch(Stream, "to_json_summary", to_json_summary)
    original_put_record = sandbox.registry.patch(KinesisBackend, "put_record", put_record)
    original_put_records = sandbox.registry.patch(KinesisBackend, "put_records", put_records)
    original_register = sandbox.registry.patch(KinesisBackend, "register_stream_consumer", register_stream_consumer)
    # moto has no UpdateMaxRecordSize action at all: add it for the sandbox's lifetime
    KinesisResponse.update_max_record_size = update_max_record_size
    sandbox.registry.on_undo(lambda: delattr(KinesisResponse, "update_max_record_size"))
