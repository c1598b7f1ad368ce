"""``course.stop(); course.start()``: nothing of the old sandbox survives.

Every AWS behaviour, view and the guard register their patches, clock listeners, tables and
environment variables on the sandbox (``course.sandbox.registry``); these tests use each of them,
stop the sandbox, and compare the whole process with a snapshot taken before it started.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.request
from typing import Any

import botocore.httpsession
import pytest
import requests.adapters

import course
from course.aws.firehose.buffering import pending
from course.aws.lambdas import function_for, register_function
from course.views.timeline import QueueTimeline

#: modules outside moto whose attributes the guard patches
_GUARDED = (socket, socket.socket, botocore.httpsession.URLLib3Session, requests.adapters.HTTPAdapter,
            urllib.request.AbstractHTTPHandler)


def _snapshot() -> dict[tuple[str, str], Any]:
    """Every function, class and descriptor of every imported moto module and class, and of the
    guarded objects (moto's own counters and registries change as it runs: they are its state)."""
    owners: list[Any] = list(_GUARDED)
    for name, module in list(sys.modules.items()):
        if name.startswith("moto.") and module is not None:
            owners.append(module)
            owners += [value for value in vars(module).values()
                       if isinstance(value, type) and value.__module__ == name]
    state = {}
    for owner in owners:
        label = getattr(owner, "__qualname__", None) or owner.__name__
        for attribute, value in list(vars(owner).items()):
            if callable(value) or isinstance(value, (staticmethod, classmethod, property)):
                state[(f"{getattr(owner, '__module__', '')}.{label}", attribute)] = value
    return state


def _use_every_behaviour(cloud: course.Sandbox) -> None:
    """Touch each kind of registered change: FIFO dedup tables, Firehose buffers, functions,
    a timeline (clock listeners and a message observer), the guard's environment."""
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="once", MessageGroupId="g", MessageDeduplicationId="d1")
    plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
    QueueTimeline(cloud, plain)
    sqs.send_message(QueueUrl=plain, MessageBody="seen by the timeline")
    register_function(cloud, "handler", lambda event, context: None)
    s3 = cloud.client("s3")
    s3.create_bucket(Bucket="lake")
    firehose = cloud.client("firehose")
    firehose.create_delivery_stream(
        DeliveryStreamName="clicks",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{cloud.account_id}:role/firehose", "BucketARN": "arn:aws:s3:::lake",
            "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 5}})
    firehose.put_record(DeliveryStreamName="clicks", Record={"Data": b"click\n"})
    cloud.advance(1)


@pytest.fixture
def stopped_first():
    course.stop()
    yield
    course.stop()


def test_stop_leaves_the_process_as_it_found_it(stopped_first):
    """No patch of moto or of the network stack, and no environment variable, outlives stop()."""
    import moto.events.models  # noqa: F401 - import every patched module before the snapshot
    import moto.firehose.models  # noqa: F401
    import moto.kinesis.models  # noqa: F401
    import moto.sns.models  # noqa: F401
    import moto.sqs.models  # noqa: F401

    environment = dict(os.environ)
    before = _snapshot()
    cloud = course.start()
    _use_every_behaviour(cloud)
    assert cloud.registry.patched > 0
    course.stop()
    after = _snapshot()
    changed = sorted(key for key in before if after.get(key, "<gone>") is not before[key])
    assert changed == [], f"still patched after stop(): {changed[:10]}"
    assert dict(os.environ) == environment
    assert cloud.registry.patched == 0
    assert cloud.clock._listeners == [] and cloud.clock._before_listeners == []


def test_a_new_sandbox_starts_with_none_of_the_old_ones_state(stopped_first):
    """Functions, buffers and deduplication ids belong to the sandbox that made them."""
    old = course.start()
    _use_every_behaviour(old)
    arn = f"arn:aws:lambda:{old.region}:{old.account_id}:function:handler"
    assert function_for(old, arn) is not None and pending(old, "clicks") == 1
    course.stop()

    new = course.start()
    assert new is not old
    assert function_for(new, arn) is None
    assert pending(new, "clicks") == 0
    sqs = new.client("sqs")
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="once", MessageGroupId="g", MessageDeduplicationId="d1")
    assert len(sqs.receive_message(QueueUrl=url).get("Messages", [])) == 1, "old dedup ids leaked"


def test_a_timeline_cell_run_twice_leaves_one_live_timeline(cloud):
    """Re-running a view cell replaces the view's clock listeners instead of adding more."""
    url = cloud.client("sqs").create_queue(QueueName="watched")["QueueUrl"]
    listeners = len(cloud.clock._listeners), len(cloud.clock._before_listeners)
    for _ in range(20):
        QueueTimeline(cloud, url)
    assert len(cloud.clock._listeners) == listeners[0] + 1
    assert len(cloud.clock._before_listeners) == listeners[1] + 1
