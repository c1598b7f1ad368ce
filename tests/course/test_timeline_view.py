"""The message timeline view: does its model follow a message through every state of its life?"""

import json

import pytest

import course
from course.views.timeline import QueueTimeline


@pytest.fixture
def cloud():
    sandbox = course.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def sqs(cloud):
    return cloud.client("sqs")


@pytest.fixture
def watch(cloud, sqs):
    """``watch(name, **attributes)`` -> (queue URL, a timeline of that new queue)."""

    def make(name, **attributes):
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        return url, QueueTimeline(cloud, url)

    return make


def test_a_message_goes_delayed_visible_in_flight_deleted(cloud, sqs, watch):
    """Delayed → visible → in flight (with its deadline) → deleted, as the clock moves."""
    url, timeline = watch("timeline", VisibilityTimeout="30")
    sqs.send_message(QueueUrl=url, MessageBody="hello", DelaySeconds=10)
    [life] = timeline.refresh()
    assert life.state == "delayed" and 9 <= life.changes_in <= 10
    cloud.advance(11)
    assert timeline.refresh()[0].state == "visible"
    message = sqs.receive_message(QueueUrl=url)["Messages"][0]
    [life] = timeline.refresh()
    assert life.state == "in flight" and life.receive_count == 1 and 29 <= life.changes_in <= 30
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    [life] = timeline.refresh()
    assert life.state == "deleted"
    assert [state for _, state in life.history] == ["delayed", "visible", "in flight", "deleted"]


def test_a_crashed_consumer_makes_the_message_visible_again(cloud, sqs, watch):
    """A received, undeleted message is visible again after its visibility timeout."""
    url, timeline = watch("crash", VisibilityTimeout="30")
    sqs.send_message(QueueUrl=url, MessageBody="job")
    sqs.receive_message(QueueUrl=url)
    assert timeline.refresh()[0].state == "in flight"
    cloud.advance(31)
    assert timeline.refresh()[0].state == "visible"


def test_poison_message_is_shown_moved_to_the_dlq(cloud):
    """After maxReceiveCount receives, the message is shown as moved to the DLQ, not deleted."""
    sqs = cloud.client("sqs")
    dlq = sqs.create_queue(QueueName="tl-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName="tl-src", Attributes={
        "VisibilityTimeout": "5",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 2}),
    })["QueueUrl"]
    timeline = QueueTimeline(cloud, url)
    sqs.send_message(QueueUrl=url, MessageBody="poison")
    for _ in range(3):
        sqs.receive_message(QueueUrl=url)
        cloud.advance(6)
    assert timeline.refresh()[0].state == "moved to DLQ"
    assert timeline.counts()["moved to DLQ"] == 1


def test_expired_message(cloud, sqs, watch):
    """A message older than the retention period is shown as expired."""
    url, timeline = watch("tl-exp", MessageRetentionPeriod="60")
    sqs.send_message(QueueUrl=url, MessageBody="old")
    timeline.refresh()
    cloud.advance(61)
    sqs.receive_message(QueueUrl=url)  # the sandbox deletes it (course.aws.sqs.retention)
    assert timeline.refresh()[0].state == "expired"


def test_widget_redraws_when_the_clock_moves(cloud, sqs, watch):
    """The widget's HTML changes after cloud.advance() with no explicit refresh."""
    url, timeline = watch("tl-widget")
    sqs.send_message(QueueUrl=url, MessageBody="<b>escaped</b>", DelaySeconds=5)
    widget = timeline.widget()
    timeline.redraw()
    assert "delayed 1" in widget.value and "&lt;b&gt;escaped" in widget.value
    cloud.advance(6)
    assert "visible 1" in widget.value
    assert widget.get_state()["value"] == widget.value


def test_missing_queue_says_what_to_do(cloud, sqs, watch):
    """A timeline of a queue that is gone explains itself."""
    url, timeline = watch("tl-gone")
    sqs.delete_queue(QueueUrl=url)
    with pytest.raises(LookupError, match="run the notebook from the top"):
        timeline.refresh()


def test_advancing_the_clock_still_works_after_the_queue_is_deleted(cloud, sqs, watch):
    """A timeline of a deleted queue never breaks cloud.advance()."""
    url, _ = watch("tl-deleted")
    sqs.delete_queue(QueueUrl=url)
    cloud.advance(5)


def test_a_message_deleted_before_any_look_is_still_counted(cloud, sqs, watch):
    """Sent, received and deleted with no clock move in between: still shown as deleted."""
    url, timeline = watch("tl-fast")
    sqs.send_message(QueueUrl=url, MessageBody="quick")
    message = sqs.receive_message(QueueUrl=url)["Messages"][0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert timeline.counts()["deleted"] == 1


def test_the_in_flight_phase_is_recorded_even_when_the_clock_jumps_past_it(cloud, sqs, watch):
    """Receive, then advance past the visibility timeout: the history still shows 'in flight'."""
    url, timeline = watch("tl-jump", VisibilityTimeout="30")
    sqs.send_message(QueueUrl=url, MessageBody="job")
    sqs.receive_message(QueueUrl=url)
    cloud.advance(31)
    [life] = timeline.refresh()
    assert [state for _, state in life.history] == ["visible", "in flight", "visible"]


def test_a_fifo_dlq_timeline_counts_retention_from_the_move(cloud, sqs):
    """The view expires a message when the sandbox does (course.aws.sqs.retention): a FIFO DLQ restarts it."""
    def fifo(name, **attributes):
        return sqs.create_queue(QueueName=f"{name}.fifo", Attributes={"FifoQueue": "true", **attributes})["QueueUrl"]

    dlq = fifo("timeline-dlq", MessageRetentionPeriod="600")
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = fifo("timeline-src", MessageRetentionPeriod="600", VisibilityTimeout="30",
                  RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}))
    timeline = QueueTimeline(cloud, dlq)
    sqs.send_message(QueueUrl=source, MessageBody="poison", MessageGroupId="g", MessageDeduplicationId="p")
    sqs.receive_message(QueueUrl=source)
    cloud.advance(400)
    sqs.receive_message(QueueUrl=source)  # moves it to the DLQ, 400 s after its send
    cloud.advance(300)  # 700 s after the send, 300 s after the move
    assert [life.state for life in timeline.refresh()] == ["visible"]
    cloud.advance(301)
    assert [life.state for life in timeline.refresh()] == ["expired"]
