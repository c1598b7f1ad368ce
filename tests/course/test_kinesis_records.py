"""Kinesis record and request sizes, MaxRecordSizeInKiB, the consumer limit (course.aws.kinesis.records)."""

import pytest

MiB = 1_048_576


@pytest.fixture
def kinesis(cloud):
    client = cloud.client("kinesis")
    client.create_stream(StreamName="clicks", ShardCount=1)
    return client


@pytest.fixture
def stream_arn(kinesis):
    return kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]["StreamARN"]


def test_a_record_over_1_mib_is_refused_by_default(kinesis, error_code):
    """Data plus partition key count: 1 MiB minus the key fits, one byte more does not."""
    kinesis.put_record(StreamName="clicks", Data=b"x" * (MiB - 1), PartitionKey="k")
    assert error_code(lambda: kinesis.put_record(StreamName="clicks", Data=b"x" * MiB,
                                                 PartitionKey="k")) == "ValidationException"
    assert kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]["MaxRecordSizeInKiB"] == 1024


def test_update_max_record_size_allows_records_up_to_10_mib(kinesis, stream_arn, error_code):
    kinesis.update_max_record_size(StreamARN=stream_arn, MaxRecordSizeInKiB=10_240)
    kinesis.put_record(StreamName="clicks", Data=b"x" * (10 * MiB - 1), PartitionKey="k")
    assert error_code(lambda: kinesis.put_record(StreamName="clicks", Data=b"x" * (10 * MiB),
                                                 PartitionKey="k")) == "ValidationException"


def test_max_record_size_is_1_to_10_mib(kinesis, stream_arn, error_code):
    assert error_code(lambda: kinesis.update_max_record_size(StreamARN=stream_arn,
                                                             MaxRecordSizeInKiB=10_241)) == "ValidationException"
    kinesis.create_stream(StreamName="large", ShardCount=1, MaxRecordSizeInKiB=4096)
    assert kinesis.describe_stream_summary(StreamName="large")["StreamDescriptionSummary"]["MaxRecordSizeInKiB"] == 4096


def test_put_records_takes_10_mib_per_request(kinesis, stream_arn, error_code):
    """moto refused above 5 MB (the old figure); AWS takes up to 10 MiB in one request."""
    kinesis.update_max_record_size(StreamARN=stream_arn, MaxRecordSizeInKiB=4096)
    ok = kinesis.put_records(StreamName="clicks", Records=[{"Data": b"x" * (3 * MiB), "PartitionKey": "k"}] * 3)
    assert ok["FailedRecordCount"] == 0 and len(ok["Records"]) == 3
    assert error_code(lambda: kinesis.put_records(StreamName="clicks", Records=[
        {"Data": b"x" * (3 * MiB), "PartitionKey": "k"}] * 4)) == "InvalidArgumentException"


def test_put_records_refuses_a_record_over_the_stream_limit(kinesis, error_code):
    assert error_code(lambda: kinesis.put_records(StreamName="clicks", Records=[
        {"Data": b"x" * (2 * MiB), "PartitionKey": "k"}])) == "ValidationException"


def test_a_stream_takes_at_most_20_enhanced_fan_out_consumers(kinesis, stream_arn, error_code):
    for n in range(20):
        kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName=f"app-{n}")
    assert error_code(lambda: kinesis.register_stream_consumer(StreamARN=stream_arn,
                                                               ConsumerName="app-20")) == "LimitExceededException"
