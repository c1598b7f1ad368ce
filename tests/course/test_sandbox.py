"""course.start(): one call, idempotent, offline, and cleanly stoppable."""

import os

import pytest

import course
from course import SandboxNotStartedError


def test_start_is_idempotent_and_keeps_state(cloud):
    """Re-running the setup cell returns the same cloud with its queues and clock intact."""
    cloud.client("sqs").create_queue(QueueName="kept")
    cloud.advance(100)
    again = course.start()
    assert again is cloud and cloud.clock.offset >= 100
    assert any(url.endswith("/kept") for url in again.client("sqs").list_queues()["QueueUrls"])


def test_fake_credentials_and_region(cloud):
    """Credentials are fake (ours or moto's), never the learner's own; the region is us-east-1."""
    credentials = cloud.client("sqs")._request_signer._credentials
    assert credentials.access_key in ("testing", "FOOBARKEY")
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert cloud.client("sqs").meta.region_name == "us-east-1"


def test_stop_restores_environment_and_patches(monkeypatch):
    import socket

    import moto.core.utils

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    original = socket.getaddrinfo, moto.core.utils.utcnow
    sandbox = course.start()
    assert socket.getaddrinfo is not original[0]
    sandbox.stop()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert (socket.getaddrinfo, moto.core.utils.utcnow) == original
    with pytest.raises(SandboxNotStartedError, match="Run the setup cell"):
        course.current()


def test_moto_server_backend_on_loopback():
    """moto_server=True serves the mocked cloud over HTTP on 127.0.0.1, with the same clock."""
    sandbox = course.start(moto_server=True)
    try:
        assert sandbox.endpoint_url.startswith("http://127.0.0.1:")
        sqs = sandbox.client("sqs")
        url = sqs.create_queue(QueueName="served")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="over http", DelaySeconds=60)
        assert "Messages" not in sqs.receive_message(QueueUrl=url)
        sandbox.advance(61)
        assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "over http"
    finally:
        sandbox.stop()


def test_switching_backend_explicitly_replaces_the_sandbox():
    first = course.start()
    second = course.start(moto_server=True)
    try:
        assert second is not first and not first.running and second.running
    finally:
        second.stop()


def test_a_refused_call_is_not_retried(cloud):
    """A throttling-class error (a 6th EventBridge target) comes back at once, without botocore's sleeps."""
    import json
    import time

    from botocore.config import Config
    from botocore.exceptions import ClientError

    events = cloud.client("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    targets = [{"Id": str(i), "Arn": f"arn:aws:sqs:us-east-1:{cloud.account_id}:q{i}"} for i in range(6)]
    start = time.perf_counter()
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="orders", Targets=targets)
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert time.perf_counter() - start < 0.5
    mine = cloud.client("events", config=Config(retries={"total_max_attempts": 3}, connect_timeout=7))
    assert mine.meta.config.retries["total_max_attempts"] == 3 and mine.meta.config.connect_timeout == 7
