"""The shard map view: MD5 placement, load per shard, hot shards - headless."""

from course.views.shard_map import ShardMap, hash_key


def test_hash_key_is_md5_as_kinesis_computes_it(cloud):
    kinesis = cloud.client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=4)
    shards = kinesis.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
    for key in ("a", "user-42", "order-7"):
        placed = kinesis.put_record(StreamName="s", Data=b"x", PartitionKey=key)["ShardId"]
        expected = next(s["ShardId"] for s in shards if int(s["HashKeyRange"]["StartingHashKey"]) <= hash_key(key)
                        <= int(s["HashKeyRange"]["EndingHashKey"]))
        assert placed == expected


def test_a_hot_key_makes_a_hot_shard(cloud):
    kinesis = cloud.client("kinesis")
    kinesis.create_stream(StreamName="hot", ShardCount=4)
    for i in range(80):
        kinesis.put_record(StreamName="hot", Data=b"x", PartitionKey="bot")
    for i in range(20):
        kinesis.put_record(StreamName="hot", Data=b"x", PartitionKey=f"user-{i}")
    view = ShardMap(cloud, "hot")
    assert sum(s.records for s in view.shards()) == 100
    assert view.skew() > 2 and len(view.hot_shards()) == 1
    html = view.to_html()
    assert "#c62828" in html and "bot (80)" in html
    box = view.widget()
    assert "course-shard-map" in box.children[1].get_state()["value"]
