"""Answers for 05_kinesis_streams (format: tests/notebooks/conftest.py)."""

ANSWERS = {
    "kin-1-answer": {
        "check": "kin-1",
        # the user as key: the crawler's 80% lands on one shard
        "wrong": '''
def choose_partition_key(record):
    return record["user_id"]
''',
        "message": "hot shard",
        "alternative": '''
def choose_partition_key(record):
    return f'{record["user_id"]}#{record["session_id"]}'
''',
    },
    "kin-2-answer": {
        "check": "kin-2",
        # AT_SEQUENCE_NUMBER re-reads the checkpoint
        "wrong": '''
def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                          StartingSequenceNumber=sequence_number)["ShardIterator"]
    return [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]]
''',
        "message": "AFTER_SEQUENCE_NUMBER",
        "alternative": '''
def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard_id,
                                          ShardIteratorType="AT_SEQUENCE_NUMBER",
                                          StartingSequenceNumber=sequence_number)["ShardIterator"]
    out = []
    while True:
        page = kinesis.get_records(ShardIterator=iterator, Limit=7)
        out += [r["Data"].decode() for r in page["Records"] if r["SequenceNumber"] != sequence_number]
        if not page["Records"]:
            return out
        iterator = page["NextShardIterator"]
''',
    },
    "kin-3-answer": {
        "check": "kin-3",
        # TRIM_HORIZON reads everything retained
        "wrong": '''
def read_last_hour(kinesis, stream_name, now):
    out = []
    for shard in kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out += [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]
    return out
''',
        "message": "AT_TIMESTAMP",
        "alternative": '''
def read_last_hour(kinesis, stream_name, now):
    since = now.timestamp() - 3600
    shard_ids = [s["ShardId"] for s in kinesis.list_shards(StreamName=stream_name)["Shards"]]
    found = []
    for shard_id in shard_ids:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard_id, ShardIteratorType="AT_TIMESTAMP",
                                        Timestamp=since)["ShardIterator"]
        found.extend(r["Data"].decode() for r in kinesis.get_records(ShardIterator=it, Limit=1000)["Records"])
    return found
''',
    },
    "kin-4-answer": {
        "check": "kin-4",
        # sizes for writes only
        "wrong": '''
import math

def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    shards = max(math.ceil(records_per_second * record_kb / 1024), math.ceil(records_per_second / 1000))
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    return "shared"
''',
        "message": "enhanced fan-out gives each consumer",
        "alternative": '''
def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    design = size_stream(records_per_second, record_kb, consumers)
    kinesis.create_stream(StreamName=name, ShardCount=design.shards, StreamModeDetails={"StreamMode": "PROVISIONED"})
    return design.consumer_mode
''',
    },
    "kin-5-answer": {
        "check": "kin-5",
        # uniform scaling instead of splitting the hot shard
        "wrong": '''
def split_hot_shard(kinesis, stream_name):
    first = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"][0]
    low, high = int(first["HashKeyRange"]["StartingHashKey"]), int(first["HashKeyRange"]["EndingHashKey"])
    kinesis.split_shard(StreamName=stream_name, ShardToSplit=first["ShardId"], NewStartingHashKey=str((low + high) // 2))
''',
        "message": "the hot shard is",
        "alternative": '''
def split_hot_shard(kinesis, stream_name):
    hot = ShardMap(cloud, stream_name).hot_shards()[0]
    shard = next(s for s in kinesis.list_shards(StreamName=stream_name)["Shards"] if s["ShardId"] == hot)
    start = int(shard["HashKeyRange"]["StartingHashKey"])
    end = int(shard["HashKeyRange"]["EndingHashKey"])
    kinesis.split_shard(StreamName=stream_name, ShardToSplit=hot, NewStartingHashKey=str(start + (end - start) // 2 + 1))
''',
    },
    "kin-6-answer": {
        "check": "kin-6",
        # default buffering: 5 MiB / 300 s
        "wrong": '''
def create_delivery_stream(firehose, name, bucket_arn, role_arn):
    firehose.create_delivery_stream(DeliveryStreamName=name,
                                    ExtendedS3DestinationConfiguration={"RoleARN": role_arn, "BucketARN": bucket_arn})
''',
        "message": "defaults 5 MiB and 300 s",
        "alternative": '''
def create_delivery_stream(firehose, name, bucket_arn, role_arn):
    firehose.create_delivery_stream(DeliveryStreamName=name, S3DestinationConfiguration={
        "RoleARN": role_arn, "BucketARN": bucket_arn, "Prefix": "clicks/",
        "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1}, "CompressionFormat": "UNCOMPRESSED"})
''',
    },
}
