"""The Lambda-style consumer behaves like AWS Lambda's SQS event source mapping."""

import pytest

from course.aws.lambdas import SqsEventSourceMapping


def send(sqs, url, *bodies):
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body)


def remaining(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_success_deletes_the_batch(cloud, sqs, make_queue):
    url = make_queue("ok")
    send(sqs, url, "a", "b", "c")
    seen = []
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: seen.extend(r["body"] for r in e["Records"]))
    mapping.run(10)
    assert sorted(seen) == ["a", "b", "c"] and remaining(sqs, url) == 0
    assert {inv.outcome for inv in mapping.invocations} == {"ok"}


def test_an_exception_retries_the_whole_batch(cloud, sqs, make_queue):
    """A handler that raises once: every message of the batch comes back after the visibility timeout."""
    url = make_queue("retry", VisibilityTimeout=30)
    send(sqs, url, "a", "b")
    calls = []

    def flaky(event, context):
        calls.append(sorted(r["body"] for r in event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("database down")

    mapping = SqsEventSourceMapping(cloud, url, flaky, concurrency=1)
    mapping.run(60)
    assert calls[0] == ["a", "b"] and sorted(sum(calls[1:], [])) == ["a", "b"]
    assert mapping.invocations[0].outcome == "error" and remaining(sqs, url) == 0


def test_partial_batch_failure_retries_only_the_failed_ids(cloud, sqs, make_queue):
    url = make_queue("partial", VisibilityTimeout=30)
    send(sqs, url, "good", "bad")
    deliveries = []

    def handler(event, context):
        deliveries.extend(r["body"] for r in event["Records"])
        if len(deliveries) <= 2:
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "bad"]}
        return None

    SqsEventSourceMapping(cloud, url, handler, report_batch_item_failures=True, concurrency=1).run(60)
    assert sorted(deliveries) == ["bad", "bad", "good"]


def test_an_unknown_item_identifier_fails_the_whole_batch(cloud, sqs, make_queue):
    url = make_queue("unknown", VisibilityTimeout=30)
    send(sqs, url, "a", "b")
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: {"batchItemFailures": [{"itemIdentifier": "nope"}]},
                                    report_batch_item_failures=True, concurrency=1)
    invocation = mapping.poll_once()
    assert sorted(invocation.failed_ids) == sorted(invocation.message_ids)
    assert remaining(sqs, url) == 2


def test_batch_item_failures_are_ignored_without_the_setting(cloud, sqs, make_queue):
    """Without ReportBatchItemFailures, a returned failure list means nothing: all deleted."""
    url = make_queue("ignored")
    send(sqs, url, "a")
    SqsEventSourceMapping(cloud, url, lambda e, c: {"batchItemFailures": [{"itemIdentifier": e["Records"][0]["messageId"]}]}).run(5)
    assert remaining(sqs, url) == 0


def test_running_past_the_function_timeout_is_a_timeout(cloud, sqs, make_queue):
    url = make_queue("slow", VisibilityTimeout=60)
    send(sqs, url, "big")
    invocation = SqsEventSourceMapping(cloud, url, lambda e, c: c.spend(10), function_timeout=3).poll_once()
    assert invocation.outcome == "timeout" and "timed out after 3" in invocation.error
    assert remaining(sqs, url) == 1


def test_poison_message_goes_to_the_dlq_after_max_receive_count(cloud, sqs, with_dlq):
    url, dlq = with_dlq("poison", 3, VisibilityTimeout=10)
    send(sqs, url, "poison")
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: 1 / 0, concurrency=1)
    mapping.run(120)
    assert len(mapping.invocations) == 3
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=dlq)["Messages"]] == ["poison"]


def test_visibility_shorter_than_processing_makes_duplicates(cloud, sqs, make_queue):
    """The seed's exam trap: a slow consumer's message reappears and is processed twice."""
    url = make_queue("trap", VisibilityTimeout=10)
    send(sqs, url, "order-1")
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: c.spend(25), function_timeout=30, batch_size=1)
    mapping.run(60)
    # received at t=0, again at t=10 and t=20 by idle pollers, deleted when the first ends at t=25
    assert list(mapping.duplicates.values()) == [3]


def test_visibility_of_six_times_the_timeout_makes_none(cloud, sqs, make_queue):
    url = make_queue("safe", VisibilityTimeout=180)
    send(sqs, url, *[f"order-{i}" for i in range(5)])
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: c.spend(29), function_timeout=30, batch_size=1)
    mapping.run(120)
    assert mapping.duplicates == {} and len(mapping.deliveries) == 5


def test_batching_window_fills_a_batch(cloud, sqs, make_queue):
    """With a window, the poller waits for the batch to fill instead of invoking with one message."""
    url = make_queue("window")
    send(sqs, url, "first")
    sizes = []
    mapping = SqsEventSourceMapping(cloud, url, lambda e, c: sizes.append(len(e["Records"])),
                                    batch_size=20, batching_window=5, concurrency=1)
    cloud.clock.on_advance(lambda s: sqs.send_message(QueueUrl=url, MessageBody="more") if len(sizes) == 0 and cloud.clock.offset < 3 else None)
    mapping.poll_once()
    assert sizes[0] > 1


@pytest.mark.parametrize(("fifo", "size", "window"), [(True, 11, 1), (False, 10_001, 1), (False, 11, 0), (False, 0, 0)])
def test_batch_size_limits(cloud, make_queue, fifo, size, window):
    """FIFO ≤ 10, standard ≤ 10,000, and above 10 a batching window is required."""
    url = make_queue("limits", fifo=fifo)
    with pytest.raises(ValueError):
        SqsEventSourceMapping(cloud, url, lambda e, c: None, batch_size=size, batching_window=window)


def test_same_result_every_run(make_queue):
    """Two identical scenarios give identical invocation histories (determinism)."""
    import course

    histories = []
    for _ in range(2):
        cloud = course.start()
        sqs = cloud.client("sqs")
        url = sqs.create_queue(QueueName="det", Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
        for i in range(6):
            sqs.send_message(QueueUrl=url, MessageBody=str(i))
        mapping = SqsEventSourceMapping(cloud, url, lambda e, c: c.spend(15), function_timeout=20, batch_size=2)
        mapping.run(100)
        histories.append([(round(i.started_at - mapping.invocations[0].started_at), sorted(i.bodies), i.outcome)
                          for i in mapping.invocations])
        cloud.stop()
    assert histories[0] == histories[1]
