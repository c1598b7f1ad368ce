"""What several check modules share: fresh resources, reading queues and streams, and the judgements
several exercises make alike (the answer's queue URL, its dead-letter queue, events routed to queues).

Each helper has one public name here; check modules import it from this module only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from course.aws.iam import service_may_send
from graders.check import CheckFailed
from graders.exercise import Exercise

__all__ = ["POINTER_CLASS", "aws_refused", "call_add_dlq", "dlq_own_redrive", "drain_bodies", "drain_messages",
           "fresh_name", "make_queue", "make_target_queue", "max_receive_count_or_fail", "queue_attributes",
           "queue_url_or_fail", "receive_all",
           "resolve_pointer", "routed_or_fail", "s3_pointer", "sns_message", "stream_records"]

#: The class name the SQS Extended Client Library writes into a message that points to S3.
POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"


def fresh_name(prefix: str, fifo: bool = False) -> str:
    """A resource name no learner cell uses (``check-<prefix>-<random>``)."""
    name = f"check-{prefix}-{uuid.uuid4().hex[:8]}"
    return name + ".fifo" if fifo else name


def queue_attributes(sqs: Any, url: str) -> dict[str, str]:
    """Every attribute of the queue at ``url``."""
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def make_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    """Create a queue; return ``(url, arn)``."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, queue_attributes(sqs, url)["QueueArn"]


def make_target_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    """A queue EventBridge may send to (its policy allows ``events.amazonaws.com``); ``(url, arn)``.

    The checks' own target queues are set up as a platform team would; an exercise about target
    permissions makes the learner write the policy instead.
    """
    url, arn = make_queue(sqs, name, **attributes)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={
        "Policy": service_may_send(arn, service="events.amazonaws.com", action="sqs:SendMessage")})
    return url, arn


def queue_url_or_fail(ex: Exercise, sqs: Any, returned: Any, name: str) -> str:
    """The URL the learner returned, checked against the queue named ``name`` that should exist.

    ``ex`` includes the ``resources.queue-url`` requirement set (graders/exercises/resources.toml).
    """
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        ex.fail("queue-exists", f"there is no queue named {name!r} after your function ran.",
                hint="create it with sqs.create_queue(QueueName=...).")
    if returned != url:
        if returned == name:
            ex.fail("returns-queue-url", f"your function returned the queue *name* {returned!r}, not its URL.",
                    why="every SQS data call (SendMessage, ReceiveMessage, ...) takes the QueueUrl.",
                    hint="create_queue's response has it: response['QueueUrl'].")
        ex.fail("returns-queue-url", f"your function returned {returned!r}, which is not the URL of queue {name!r}.",
                hint="return the 'QueueUrl' from create_queue's response.")
    return url


def aws_refused(ex: Exercise, failure: CheckFailed, phrase: str) -> str:
    """AWS's reason when ``failure`` is AWS refusing a call of the answer with ``phrase`` in its
    message; "" otherwise.

    A check catches the :class:`CheckFailed` of ``ex.call_learner`` and, when AWS's refusal is the
    symptom of a requirement it judges (a DLQ of the wrong type, a message too large), fails that
    requirement with its own lesson instead of the generic "AWS refused".
    """
    if failure.requirement != ex.requirement_id("answer-accepted-by-aws") or phrase not in failure.problem:
        return ""
    return failure.problem.split("Reason: ", 1)[-1] if "Reason: " in failure.problem else \
        failure.problem.split("AWS refused: ", 1)[-1]


def call_add_dlq(ex: Exercise, add_dlq: Callable[[Any, str, int], Any], sqs: Any, source: str,
                 max_receive_count: int) -> tuple[Any, str]:
    """Call the learner's ``add_dlq(sqs, source, max_receive_count)``: ``(what it returned, "")``, or
    ``(None, AWS's reason)`` when AWS refused a DLQ of another type than its source (the check fails
    its own type requirement with that reason)."""
    try:
        return ex.call_learner(add_dlq, sqs, source, max_receive_count), ""
    except CheckFailed as failure:
        if reason := aws_refused(ex, failure, "the same type as its source"):
            return None, reason
        raise


def dlq_own_redrive(dlq_attributes: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """When a DLQ that lost its poison message has a RedrivePolicy of its own (it sends messages on
    again, back to the source if the policy names it): the ending of the failure's problem and its
    why/hint. ``("", {})`` when it has none.
    """
    if not dlq_attributes.get("RedrivePolicy"):
        return "", {}
    return (": your DLQ has a RedrivePolicy of its own, which sends a message on again after maxReceiveCount "
            "receives"), dict(
        why="a dead-letter queue keeps what it catches until someone inspects it; a redrive policy on it "
        "moves a message on again (back to the source, if it names the source). Moving messages back after a fix is a "
        "redrive you start when you choose (StartMessageMoveTask), not a redrive policy on the DLQ.",
        hint="set the RedrivePolicy on the source queue only; the DLQ needs none.")


def max_receive_count_or_fail(ex: Exercise, policy: Mapping[str, Any], max_receive_count: int, *, hint: str) -> None:
    """Fail ``max-receive-count`` unless the redrive ``policy`` moves a message after the
    ``max_receive_count`` receives the learner's function was given."""
    if int(policy.get("maxReceiveCount", 0)) != max_receive_count:
        ex.fail("max-receive-count", f"maxReceiveCount is {policy.get('maxReceiveCount')}, not the "
                "max_receive_count your function was given.", hint=hint)


def routed_or_fail(ex: Exercise, wanted: Sequence[tuple[str, set[str]]], delivered: Mapping[str, Iterable[int]], *,
                   why: str, hint: str) -> None:
    """Fail ``events-routed`` unless event ``i`` reached exactly the queues ``wanted[i]`` names.

    ``wanted[i]`` is ``(description, queue names)``; ``delivered`` maps each queue's name to the
    numbers of the events it received.
    """
    landed: dict[int, set[str]] = {i: set() for i in range(len(wanted))}
    for name, numbers in delivered.items():
        for number in numbers:
            landed[number].add(name)
    astray = [f"{description}: expected {sorted(want) or 'nowhere'}, went to {sorted(landed[i]) or 'nowhere'}"
              for i, (description, want) in enumerate(wanted) if landed[i] != want]
    if astray:
        ex.fail("events-routed", "some events went astray:\n  - " + "\n  - ".join(astray), why=why, hint=hint)


def receive_all(sqs: Any, url: str) -> list[dict]:
    """Every message visible now (short polls until an empty answer; nothing deleted).

    What it receives stays hidden for 60 s of course time - long enough that real time passing
    during the loop cannot make a message reappear and be counted twice.
    """
    seen: dict[str, dict] = {}
    for _ in range(1000):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                  MessageAttributeNames=["All"]).get("Messages", [])
        if not got:
            break
        for message in got:
            seen.setdefault(message["MessageId"], message)
    return list(seen.values())


def drain_messages(sqs: Any, url: str, *, rounds: int = 1000, **receive: Any) -> list[dict]:
    """Receive and delete until the queue is empty, in the order SQS hands messages out.

    ``receive`` adds arguments to ReceiveMessage (e.g. ``MessageSystemAttributeNames``).
    """
    received: list[dict] = []
    for _ in range(rounds):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **receive).get("Messages", [])
        if not got:
            break
        received.extend(got)
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
    return received


def drain_bodies(sqs: Any, url: str) -> list[str]:
    """Receive and delete every message now in the queue; return their raw bodies in order."""
    return [m["Body"] for m in drain_messages(sqs, url)]


def sns_message(body: str) -> Any:
    """The message SNS published, from a queue message's body (its JSON envelope unwrapped), else the body."""
    try:
        envelope = json.loads(body)
    except ValueError:
        return body
    if isinstance(envelope, dict) and envelope.get("Type") == "Notification":
        return envelope["Message"]
    return body


def s3_pointer(body: str) -> dict | None:
    """The S3 location a message body points to (the Extended Client Library's form), or None."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, list) and len(data) == 2 and data[0] == POINTER_CLASS:
        return data[1]
    return None


def resolve_pointer(s3: Any, body: str) -> str:
    """The payload a message stands for: the body itself, or the S3 object a pointer names."""
    pointer = s3_pointer(body)
    if pointer is None:
        return body
    return s3.get_object(Bucket=pointer["s3BucketName"], Key=pointer["s3Key"])["Body"].read().decode()


def stream_records(kinesis: Any, stream: str) -> dict[str, list[dict]]:
    """Every record of a Kinesis stream, per shard id, in shard order (read with TRIM_HORIZON)."""
    out = {}
    for shard in kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out[shard["ShardId"]] = kinesis.get_records(ShardIterator=iterator, Limit=10_000)["Records"]
    return out
