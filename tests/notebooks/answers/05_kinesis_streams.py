"""Answers for 05_kinesis_streams (format: tests/notebooks/conftest.py): per answer cell, plausible wrong
answers (each naming the requirement its check must report) and correct answers written differently."""


def _key(expression: str) -> str:
    return f'''
def choose_partition_key(record):
    return {expression}
'''


def _reader(iterator_type: str, body: str) -> str:
    """A read_after_checkpoint answer: one iterator of ``iterator_type``, then ``body`` (``iterator`` in scope)."""
    return f'''
def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard_id, ShardIteratorType="{iterator_type}",
                                          StartingSequenceNumber=sequence_number)["ShardIterator"]
{body}'''


PAGES = '''    data = []
    while True:
        page = kinesis.get_records(ShardIterator=iterator, Limit=10)
        if not page["Records"]:
            return data
        data += [record["Data"] for record in page["Records"]]
        iterator = page["NextShardIterator"]
'''


def _last_hour(iterator: str, shards: str = 'kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]') -> str:
    """A read_last_hour answer reading ``shards`` with the given get_shard_iterator keyword arguments."""
    return f'''
def read_last_hour(kinesis, stream_name, now):
    data = []
    for shard in {shards}:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"], {iterator})["ShardIterator"]
        data += [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]
    return data
'''


def _design(shards: str, mode: str = '"shared" if consumers <= 2 else "enhanced"', create: str = "") -> str:
    """A design_stream answer: ``shards`` and ``mode`` are expressions over ``mb_in`` and the arguments."""
    return f'''
import math

def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    mb_in = records_per_second * record_kb / 1024
    mode = {mode}
    kinesis.create_stream(StreamName=name, ShardCount={shards}{create})
    return mode
'''


#: the solution's sizing, as an expression
NEED = ("max(math.ceil(mb_in), math.ceil(records_per_second / 1000), "
        "math.ceil(mb_in * consumers / 2) if consumers <= 2 else math.ceil(mb_in / 2), 1)")


def _split(choose: str, middle: str = "(low + high) // 2") -> str:
    """A split_hot_shard answer: ``choose`` picks ``hot`` from ``shards``; the split at ``middle``."""
    return f'''
def split_hot_shard(kinesis, stream_name):
    def load(shard):
        iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return len(kinesis.get_records(ShardIterator=iterator, Limit=10000)["Records"])

    shards = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]
    hot = {choose}
    low, high = int(hot["HashKeyRange"]["StartingHashKey"]), int(hot["HashKeyRange"]["EndingHashKey"])
    kinesis.split_shard(StreamName=stream_name, ShardToSplit=hot["ShardId"], NewStartingHashKey=str({middle}))
'''


def _firehose(hints: str) -> str:
    return f'''
def create_delivery_stream(firehose, name, bucket_arn, role_arn):
    firehose.create_delivery_stream(DeliveryStreamName=name, ExtendedS3DestinationConfiguration={{
        "RoleARN": role_arn, "BucketARN": bucket_arn{hints}}})
'''


ANSWERS = {
    "kin-1-answer": {
        "check": "kin-1",
        "wrong": [
            {   # the user as key: the crawler's 80% lands on one shard
                "name": "user-id",
                "requirement": "kin-1/load-spread",
                "message": "hot shard",
                "code": _key('record["user_id"]'),
            },
            {   # a random key per record: even load, but a session's steps scatter
                "name": "random-per-record",
                "requirement": "kin-1/session-on-one-shard",
                "message": "Kinesis keeps order only within a shard",
                "code": "import uuid\n" + _key("str(uuid.uuid4())"),
            },
            {   # a number: Kinesis wants a string
                "name": "hash-number",
                "requirement": "kin-1/key-is-string",
                "message": "is not a string of 1 to 256 characters",
                "code": _key('abs(hash(record["session_id"])) % 10_000'),
            },
            {   # one character too many: 257
                "name": "257-characters",
                "requirement": "kin-1/key-is-string",
                "message": "1 to 256 characters",
                "code": _key('record["session_id"].ljust(257, "_")'),
            },
        ],
        "alternative": [
            {   # user and session together
                "name": "user-and-session",
                "code": _key('f\'{record["user_id"]}#{record["session_id"]}\''),
            },
            {   # exactly 256 characters, the longest key Kinesis takes
                "name": "256-characters",
                "code": _key('record["session_id"].ljust(256, "·")'),
            },
            {   # a hex digest of the session, not ASCII-only input assumed
                "name": "session-digest",
                "code": "import hashlib\n" + _key('hashlib.sha256(("séance:" + record["session_id"]).encode()).hexdigest()'),
            },
        ],
    },
    "kin-2-answer": {
        "check": "kin-2",
        "wrong": [
            {   # AT_SEQUENCE_NUMBER re-reads the checkpoint
                "name": "at-sequence-number",
                "requirement": "kin-2/starts-after-checkpoint",
                "message": "AFTER_SEQUENCE_NUMBER",
                "code": _reader("AT_SEQUENCE_NUMBER", PAGES),
            },
            {   # one page only: GetRecords returns at most Limit records
                "name": "one-page",
                "requirement": "kin-2/reads-every-record-after",
                "message": "follow NextShardIterator",
                "code": _reader("AFTER_SEQUENCE_NUMBER", '''    return [r["Data"] for r in kinesis.get_records(ShardIterator=iterator, Limit=10)["Records"]]
'''),
            },
            {   # the first shard of the stream, not the one given
                "name": "first-shard",
                "requirement": "kin-2/reads-every-record-after",
                "message": "records of another shard",
                "code": '''
def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
    first = kinesis.list_shards(StreamName=stream_name)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=first, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]]
''',
            },
            {   # decoded as ASCII: the records are not
                "name": "ascii-decode",
                "requirement": "kin-2/answer-runs",
                "message": "UnicodeDecodeError",
                "code": _reader("AFTER_SEQUENCE_NUMBER", PAGES.replace('record["Data"]', 'record["Data"].decode("ascii")')),
            },
        ],
        "alternative": [
            {   # AT_SEQUENCE_NUMBER, skipping the checkpoint itself, small pages
                "name": "at-and-skip",
                "code": _reader("AT_SEQUENCE_NUMBER", '''    out = []
    while True:
        page = kinesis.get_records(ShardIterator=iterator, Limit=7)
        out += [r["Data"].decode() for r in page["Records"] if r["SequenceNumber"] != sequence_number]
        if not page["Records"]:
            return out
        iterator = page["NextShardIterator"]
'''),
            },
            {   # TRIM_HORIZON, sequence numbers compared as numbers
                "name": "trim-horizon-filter",
                "code": '''
def read_after_checkpoint(kinesis, stream_name, shard_id, sequence_number):
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard_id,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator, Limit=10000)["Records"]
    return [r["Data"].decode("utf-8") for r in records if int(r["SequenceNumber"]) > int(sequence_number)]
''',
            },
            {   # a generator of pages, stopping when caught up
                "name": "page-generator",
                "code": _reader("AFTER_SEQUENCE_NUMBER", '''    def pages(iterator):
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator)
            yield page["Records"]
            if page.get("MillisBehindLatest", 0) == 0 and not page["Records"]:
                return
            iterator = page.get("NextShardIterator")
    result = []
    for records in pages(iterator):
        if not records:
            break
        result.extend(bytes(r["Data"]) for r in records)
    return result
'''),
            },
        ],
    },
    "kin-3-answer": {
        "check": "kin-3",
        "wrong": [
            {   # TRIM_HORIZON reads everything retained
                "name": "trim-horizon",
                "requirement": "kin-3/only-last-hour",
                "message": "AT_TIMESTAMP",
                "code": _last_hour('ShardIteratorType="TRIM_HORIZON"'),
            },
            {   # the machine's clock, not the course's: the window starts far too early
                "name": "datetime-now",
                "requirement": "kin-3/only-last-hour",
                "message": "records older than an hour",
                "code": "from datetime import datetime, timezone\n"
                        + _last_hour('ShardIteratorType="AT_TIMESTAMP", Timestamp=datetime.now(timezone.utc) - timedelta(hours=1)'),
            },
            {   # 90 minutes "to be safe": the record 61 minutes old comes back
                "name": "ninety-minutes",
                "requirement": "kin-3/only-last-hour",
                "message": "older than an hour",
                "code": _last_hour('ShardIteratorType="AT_TIMESTAMP", Timestamp=now - timedelta(minutes=90)'),
            },
            {   # half an hour: the record 59 minutes old is missed
                "name": "thirty-minutes",
                "requirement": "kin-3/every-shard-read",
                "message": "of the last hour",
                "code": _last_hour('ShardIteratorType="AT_TIMESTAMP", Timestamp=now - timedelta(minutes=30)'),
            },
        ],
        "alternative": [
            {   # epoch seconds, list_shards, decoded text
                "name": "epoch-list-shards",
                "code": '''
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
            {   # TRIM_HORIZON, filtered by each record's arrival time
                "name": "filter-by-arrival",
                "code": '''
def read_last_hour(kinesis, stream_name, now):
    since = now - timedelta(hours=1)
    out = []
    for shard in kinesis.list_shards(StreamName=stream_name)["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out += [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]
                if r["ApproximateArrivalTimestamp"] >= since]
    return out
''',
            },
            {   # pages of 2, followed until caught up
                "name": "small-pages",
                "code": '''
def read_last_hour(kinesis, stream_name, now):
    result = []
    for shard in kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"], ShardIteratorType="AT_TIMESTAMP",
                                        Timestamp=now - timedelta(seconds=3600))["ShardIterator"]
        while it:
            page = kinesis.get_records(ShardIterator=it, Limit=2)
            result += [r["Data"] for r in page["Records"]]
            it = page["NextShardIterator"] if page["Records"] else None
    return result
''',
            },
        ],
    },
    "kin-4-answer": {
        "check": "kin-4",
        "wrong": [
            {   # sizes for writes only
                "name": "writes-only",
                "requirement": "kin-4/consumer-mode",
                "message": "enhanced fan-out gives each consumer",
                "code": _design("max(math.ceil(mb_in), math.ceil(records_per_second / 1000))", mode='"shared"'),
            },
            {   # int(x) + 1 as a ceiling: one shard too many on an exact multiple
                "name": "int-plus-one",
                "requirement": "kin-4/shard-count",
                "message": "not the fewest",
                "code": _design("max(int(mb_in) + 1, int(records_per_second / 1000) + 1, "
                                "int(mb_in * consumers / 2) + 1 if consumers <= 2 else int(mb_in / 2) + 1)"),
            },
            {   # enhanced fan-out from two consumers on
                "name": "enhanced-from-two",
                "requirement": "kin-4/consumer-mode",
                "message": "does not fit the number of consumers",
                "code": _design("max(math.ceil(mb_in), math.ceil(records_per_second / 1000), 1)",
                                mode='"shared" if consumers < 2 else "enhanced"'),
            },
            {   # a name of its own: the producers look for the stream by the name they were given
                "name": "own-name",
                "requirement": "kin-4/stream-created",
                "message": "was created",
                "code": _design(NEED, create="").replace("StreamName=name", 'StreamName=name + "-stream"'),
            },
            {   # on-demand: AWS picks the shards
                "name": "on-demand",
                "requirement": "kin-4/provisioned-mode",
                "message": "the stream is on-demand",
                "code": '''
def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    kinesis.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    return "shared" if consumers <= 2 else "enhanced"
''',
            },
        ],
        "alternative": [
            {   # the course's own sizing model
                "name": "size-stream",
                "code": '''
def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    design = size_stream(records_per_second, record_kb, consumers)
    kinesis.create_stream(StreamName=name, ShardCount=design.shards, StreamModeDetails={"StreamMode": "PROVISIONED"})
    return design.consumer_mode
''',
            },
            {   # a ceiling by negative floor division, in KB throughout
                "name": "floor-division-ceiling",
                "code": '''
def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    ceil = lambda x: -(-x // 1)
    kb_in = records_per_second * record_kb
    enhanced = consumers > 2
    read = ceil(kb_in / 2048) if enhanced else ceil(kb_in * consumers / 2048)
    kinesis.create_stream(StreamName=name, ShardCount=int(max(ceil(kb_in / 1024), ceil(records_per_second / 1000), read, 1)))
    return "enhanced" if enhanced else "shared"
''',
            },
            {   # exact fractions, the mode decided first
                "name": "fractions",
                "code": '''
from fractions import Fraction
import math

def design_stream(kinesis, name, records_per_second, record_kb, consumers):
    mode = "enhanced" if consumers >= 3 else "shared"
    mb_in = Fraction(str(records_per_second)) * Fraction(str(record_kb)) / 1024
    readers = 1 if mode == "enhanced" else consumers
    needs = [mb_in, Fraction(str(records_per_second)) / 1000, mb_in * readers / 2]
    kinesis.create_stream(StreamName=name, ShardCount=max(1, *(math.ceil(n) for n in needs)))
    return mode
''',
            },
        ],
    },
    "kin-5-answer": {
        "check": "kin-5",
        "wrong": [
            {   # the first shard, not the hot one
                "name": "first-shard",
                "requirement": "kin-5/split-hot-shard",
                "message": "the hot shard is",
                "code": _split("shards[0]"),
            },
            {   # uniform scaling: every shard is replaced
                "name": "update-shard-count",
                "requirement": "kin-5/split-hot-shard",
                "message": "UpdateShardCount scales every shard",
                "code": '''
def split_hot_shard(kinesis, stream_name):
    kinesis.update_shard_count(StreamName=stream_name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
''',
            },
            {   # the shard with the widest range, not the most records
                "name": "widest-range",
                "requirement": "kin-5/split-hot-shard",
                "message": "find the shard with the most records",
                "code": _split('max(shards, key=lambda s: int(s["HashKeyRange"]["EndingHashKey"]) - int(s["HashKeyRange"]["StartingHashKey"]))'),
            },
            {   # split just above the start: one child takes (almost) everything
                "name": "split-at-start",
                "requirement": "kin-5/split-in-middle",
                "message": "not split in the middle",
                "code": _split("max(shards, key=load)", middle="low + 1"),
            },
        ],
        "alternative": [
            {   # the course's shard map, the middle rounded up
                "name": "shard-map",
                "code": '''
def split_hot_shard(kinesis, stream_name):
    hot = ShardMap(cloud, stream_name).hot_shards()[0]
    shard = next(s for s in kinesis.list_shards(StreamName=stream_name)["Shards"] if s["ShardId"] == hot)
    start = int(shard["HashKeyRange"]["StartingHashKey"])
    end = int(shard["HashKeyRange"]["EndingHashKey"])
    kinesis.split_shard(StreamName=stream_name, ShardToSplit=hot, NewStartingHashKey=str(start + (end - start) // 2 + 1))
''',
            },
            {   # records counted per shard with a Counter of the shard ids PutRecord reported... read back
                "name": "count-with-pages",
                "code": '''
def split_hot_shard(kinesis, stream_name):
    counts = {}
    for shard in kinesis.list_shards(StreamName=stream_name)["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        n = 0
        while it:
            page = kinesis.get_records(ShardIterator=it, Limit=25)
            n += len(page["Records"])
            it = page["NextShardIterator"] if page["Records"] else None
        counts[shard["ShardId"]] = (n, shard)
    n, hot = max(counts.values(), key=lambda pair: pair[0])
    low, high = (int(hot["HashKeyRange"][k]) for k in ("StartingHashKey", "EndingHashKey"))
    kinesis.split_shard(StreamName=stream_name, ShardToSplit=hot["ShardId"], NewStartingHashKey=str((low + high + 1) // 2))
''',
            },
            {   # the middle as the mean of the two keys, by sort of loads
                "name": "sorted-loads",
                "code": _split("sorted(shards, key=load, reverse=True)[0]", middle="low + (high - low) // 2"),
            },
        ],
    },
    "kin-6-answer": {
        "check": "kin-6",
        "wrong": [
            {   # default buffering: 5 MiB / 300 s
                "name": "defaults",
                "requirement": "kin-6/flushed-within-60s",
                "message": "defaults 5 MiB and 300 s",
                "code": _firehose(""),
            },
            {   # 30 s: within 60 s, but twice the objects the latency allows
                "name": "thirty-seconds",
                "requirement": "kin-6/not-flushed-early",
                "message": "flushed too soon",
                "code": _firehose(', "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 30}'),
            },
            {   # one second late
                "name": "sixty-one-seconds",
                "requirement": "kin-6/flushed-within-60s",
                "message": "60 s after the first record",
                "code": _firehose(', "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 61}'),
            },
            {   # the interval right, the size left at 5 MiB
                "name": "size-default",
                "requirement": "kin-6/flushed-at-1mib",
                "message": "1 MiB of data did not make Firehose write",
                "code": _firehose(', "BufferingHints": {"IntervalInSeconds": 60}'),
            },
        ],
        "alternative": [
            {   # the plain S3 destination, a prefix, uncompressed
                "name": "s3-destination",
                "code": '''
def create_delivery_stream(firehose, name, bucket_arn, role_arn):
    firehose.create_delivery_stream(DeliveryStreamName=name, S3DestinationConfiguration={
        "RoleARN": role_arn, "BucketARN": bucket_arn, "Prefix": "clicks/",
        "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1}, "CompressionFormat": "UNCOMPRESSED"})
''',
            },
            {   # the configuration built first, DirectPut stated, error prefix
                "name": "config-dict",
                "code": '''
def create_delivery_stream(firehose, name, bucket_arn, role_arn):
    hints = dict(SizeInMBs=1, IntervalInSeconds=int(timedelta(minutes=1).total_seconds()))
    config = dict(RoleARN=role_arn, BucketARN=bucket_arn, BufferingHints=hints,
                  Prefix="raw/", ErrorOutputPrefix="errors/")
    firehose.create_delivery_stream(DeliveryStreamName=name, DeliveryStreamType="DirectPut",
                                    ExtendedS3DestinationConfiguration=config)
''',
            },
            {   # keys in the other order, with tags
                "name": "with-tags",
                "code": _firehose(', "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1}, '
                                  '"CompressionFormat": "UNCOMPRESSED"').replace(
                    "DeliveryStreamName=name,", 'DeliveryStreamName=name, Tags=[{"Key": "team", "Value": "analytics"}],'),
            },
        ],
    },
}
