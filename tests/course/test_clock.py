"""The course clock moves AWS time for moto's services without anyone waiting."""

import datetime as dt

import pytest

import moto.core.utils
from course.sandbox.clock import Clock


def bodies(sqs, url, **kwargs):
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kwargs).get("Messages", [])]


def test_twelve_hour_visibility_timeout_expires_on_advance(cloud, sqs, make_queue):
    """A message hidden for 12 h (the maximum) is back exactly after 43,200 s of course time."""
    url = make_queue("twelve", VisibilityTimeout=43200)
    sqs.send_message(QueueUrl=url, MessageBody="slow")
    assert bodies(sqs, url) == ["slow"]
    cloud.advance(43199)
    assert bodies(sqs, url) == []
    cloud.advance(2)
    assert bodies(sqs, url) == ["slow"]


def test_delay_queue_and_message_timer(cloud, sqs, make_queue):
    """A delay queue hides every message; a message timer overrides it for one message."""
    url = make_queue("delayed", DelaySeconds=900)
    sqs.send_message(QueueUrl=url, MessageBody="queue delay")
    sqs.send_message(QueueUrl=url, MessageBody="timer", DelaySeconds=10)
    assert bodies(sqs, url) == []
    cloud.advance(11)
    assert bodies(sqs, url) == ["timer"]
    cloud.advance(900)
    assert "queue delay" in bodies(sqs, url)


def test_retention_period_drops_old_messages(cloud, sqs, make_queue):
    """After MessageRetentionPeriod the message is gone."""
    url = make_queue("short", MessageRetentionPeriod=60)
    sqs.send_message(QueueUrl=url, MessageBody="old")
    cloud.advance(61)
    assert bodies(sqs, url) == [] and bodies(sqs, url) == []


def test_fifo_deduplication_window_is_five_minutes(cloud, sqs, make_queue):
    """A duplicate inside 5 minutes is dropped; after advance(301) the same id is accepted."""
    url = make_queue("dedup", fifo=True)
    send = lambda: sqs.send_message(QueueUrl=url, MessageBody="pay", MessageGroupId="g", MessageDeduplicationId="d1")
    send()
    send()
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"
    cloud.advance(301)
    send()
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "2"


def test_empty_long_poll_costs_course_time_not_real_time(cloud, sqs, make_queue):
    """A 20 s long poll on an empty queue returns with the clock ~20 s further on."""
    url = make_queue("idle")
    before = cloud.clock.offset
    assert bodies(sqs, url, WaitTimeSeconds=20) == []
    assert 20 <= cloud.clock.offset - before <= 22


def test_long_poll_returns_a_message_that_becomes_visible_while_waiting(cloud, sqs, make_queue):
    """A message delayed 5 s is returned by a 20 s long poll, after ~5 s of course time."""
    url = make_queue("waiting")
    sqs.send_message(QueueUrl=url, MessageBody="soon", DelaySeconds=5)
    before = cloud.clock.offset
    assert bodies(sqs, url, WaitTimeSeconds=20) == ["soon"]
    assert 5 <= cloud.clock.offset - before <= 7


def test_signing_still_works_a_month_later(cloud, sqs, make_queue):
    """SigV4 reads the real clock, so requests are still accepted after advance(33 days)."""
    cloud.advance(33 * 86400)
    url = make_queue("later")
    sqs.send_message(QueueUrl=url, MessageBody="still signed")
    assert bodies(sqs, url) == ["still signed"]


def test_kinesis_at_timestamp_uses_the_course_clock(cloud):
    """Records put before and after an advance are split by AT_TIMESTAMP = cloud.now()."""
    kinesis = cloud.client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    kinesis.put_record(StreamName="clicks", Data=b"old", PartitionKey="k")
    cloud.advance(3600)
    cut = cloud.now()
    cloud.advance(1)
    kinesis.put_record(StreamName="clicks", Data=b"new", PartitionKey="k")
    shard = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="clicks", ShardId=shard, ShardIteratorType="AT_TIMESTAMP",
                                          Timestamp=cut)["ShardIterator"]
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]] == [b"new"]


def test_advance_rejects_negative_and_non_numbers():
    clock = Clock()
    with pytest.raises(ValueError):
        clock.advance(-1)
    for bad in ("10", None, True):
        with pytest.raises(TypeError):
            clock.advance(bad)


def test_now_is_aware_utc_and_moves_with_advance():
    clock = Clock()
    start = clock.now()
    clock.advance(3600)
    assert clock.now().tzinfo == dt.timezone.utc
    assert dt.timedelta(seconds=3599) < clock.now() - start < dt.timedelta(seconds=3700)


def test_uninstall_restores_moto():
    """install() patches moto's time source; uninstall() puts every original back."""
    import moto.sqs.models as sqs_models

    original_utcnow, original_wait = moto.core.utils.utcnow, sqs_models.Queue.wait_for_messages
    clock = Clock()
    clock.install()
    clock.install()  # twice is harmless
    assert moto.core.utils.utcnow == clock.utcnow
    clock.uninstall()
    assert moto.core.utils.utcnow is original_utcnow
    assert sqs_models.Queue.wait_for_messages is original_wait


def test_listeners_see_time_move():
    clock = Clock()
    seen = []
    clock.on_advance(lambda s: seen.append(("before", s)), before=True)
    clock.on_advance(lambda s: seen.append(("after", s)))
    clock.advance(5)
    assert seen == [("before", 5), ("after", 5)]
