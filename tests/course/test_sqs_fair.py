"""SQS fair queues: a MessageGroupId on a standard queue, quiet tenants first (course.aws.sqs.fair)."""

import json

from course.aws.lambdas import SqsEventSourceMapping


def flood(sqs, url, tenant, count, group=True):
    for start in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": json.dumps({"tenant": tenant}), **({"MessageGroupId": tenant} if group else {})}
            for i in range(min(10, count - start))])


def receive(sqs, url, n):
    messages = []
    while len(messages) < n and (got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(10, n - len(messages)),
                                                            MessageSystemAttributeNames=["All"]).get("Messages")):
        messages += got
    return messages


def test_a_standard_queue_accepts_a_message_group_id_without_becoming_fifo(sqs, make_queue):
    """Same group, two messages: both can be in flight at once (no FIFO group lock)."""
    url = make_queue("tenants")
    flood(sqs, url, "tenant-a", 2)
    first, second = receive(sqs, url, 1), receive(sqs, url, 1)
    assert first and second and first[0]["Attributes"]["MessageGroupId"] == "tenant-a"


def test_a_noisy_tenant_waits_behind_a_quiet_one(sqs, make_queue):
    """Once 30 of tenant A are in flight (100% of in-flight), tenant B's later message comes first."""
    url = make_queue("tenants")
    flood(sqs, url, "tenant-a", 80)
    flood(sqs, url, "tenant-b", 1)
    in_flight = receive(sqs, url, 30)
    assert {json.loads(m["Body"])["tenant"] for m in in_flight} == {"tenant-a"}
    assert json.loads(receive(sqs, url, 1)[0]["Body"])["tenant"] == "tenant-b"


def test_below_30_in_flight_nobody_is_noisy(sqs, make_queue):
    url = make_queue("tenants")
    flood(sqs, url, "tenant-a", 40)
    flood(sqs, url, "tenant-b", 1)
    receive(sqs, url, 20)
    assert json.loads(receive(sqs, url, 1)[0]["Body"])["tenant"] == "tenant-a"


def test_without_group_ids_the_quiet_tenant_waits_behind_the_backlog(cloud, sqs, make_queue):
    """The dwell time of a quiet tenant: long in a shared queue, near zero in a fair queue."""
    def dwell_of_b(name, group):
        url = make_queue(name)
        flood(sqs, url, "tenant-a", 200, group)
        flood(sqs, url, "tenant-b", 5, group)
        dwell = []

        def handler(event, context):
            now_ms = cloud.now().timestamp() * 1000
            dwell.extend((now_ms - int(r["attributes"]["SentTimestamp"])) / 1000
                         for r in event["Records"] if json.loads(r["body"])["tenant"] == "tenant-b")

        SqsEventSourceMapping(cloud, url, handler, batch_size=10, concurrency=5, processing_seconds=1,
                              function_timeout=30).run(120)
        return max(dwell)

    assert dwell_of_b("shared", group=False) >= 30
    assert dwell_of_b("fair", group=True) <= 10
