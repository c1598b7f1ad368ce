"""What a rule delivers to a target, and delivery to the targets moto cannot reach.

AWS semantics (EventBridge User Guide, "Transforming target input"): a target gets the whole event,
or ``Input`` (constant JSON), or the part at ``InputPath``, or the text an ``InputTransformer``
builds - which need not be JSON (a quoted string template gives plain text).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from typing import Any

from course.aws.lambdas.functions import function_for
from course.sandbox import Sandbox

__all__ = ["render", "json_path", "deliver"]

_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def json_path(event: Any, path: str) -> Any:
    """Resolve a simple JSONPath (``$``, ``$.detail``, ``$.detail.items[0].sku``); None if absent."""
    node = event
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path.removeprefix("$")):
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def render(target: dict, event: dict) -> str:
    """The text EventBridge delivers to this target for this event."""
    if "Input" in target:
        return target["Input"]
    if "InputPath" in target:
        return json.dumps(json_path(event, target["InputPath"]))
    transformer = target.get("InputTransformer")
    if transformer:
        return _transform(transformer.get("InputTemplate", ""), transformer.get("InputPathsMap", {}), event)
    return json.dumps(event)


def _transform(template: str, paths: dict[str, str], event: dict) -> str:
    values = {name: json_path(event, path) for name, path in paths.items()}
    values["aws.events.event.json"] = event
    values["aws.events.event.ingestion-time"] = event.get("ingestion-time") or event.get("time")
    values["aws.events.rule-name"] = event.get("rule-name")

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        start, end = match.start(), match.end()
        quoted = template[start - 1:start] == '"' and template[end:end + 1] == '"'
        inside_string = quoted or _inside_string(template, start)
        if inside_string:
            text = value if isinstance(value, str) else json.dumps(value)
            return json.dumps(text)[1:-1]  # escaped for use inside a JSON string
        return json.dumps(value)

    return _PLACEHOLDER.sub(substitute, template)


def _inside_string(template: str, position: int) -> bool:
    """True if ``position`` is inside a double-quoted string of the template."""
    quotes = len(re.findall(r'(?<!\\)"', template[:position]))
    return quotes % 2 == 1


def delivered_event(event: dict) -> dict:
    """The event as targets see it: ``time`` as an ISO-8601 string (moto keeps a Unix number)."""
    out = dict(event)
    stamp = out.get("time")
    if isinstance(stamp, (int, float)):
        out["time"] = datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out.pop("ingestion-time", None)
    return out


def deliver(cloud: Sandbox, service: str, arn: str, target: dict, body: str, account: str, region: str) -> bool:
    """Deliver ``body`` to an SNS topic, Kinesis stream, Firehose, SQS queue or registered function.

    Returns False for a target kind this module does not handle (moto's own code does then).
    """
    if service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message=body, arn=arn)
    elif service == "kinesis":
        from moto.kinesis.models import kinesis_backends

        stream = arn.split(":stream/", 1)[1]
        key_path = target.get("KinesisParameters", {}).get("PartitionKeyPath")
        key = json_path(json.loads(body), key_path) if key_path and body.startswith("{") else None
        kinesis_backends[account][region].put_record(
            stream_arn=arn, stream_name=stream, partition_key=str(key or _event_id(body)),
            explicit_hash_key=None, data=base64.b64encode(body.encode("utf-8")).decode())  # moto keeps wire form
    elif service == "sqs":
        from moto.sqs.models import sqs_backends

        queue_name = arn.rsplit(":", 1)[1]
        group = target.get("SqsParameters", {}).get("MessageGroupId")
        backend = sqs_backends[account][region]
        queue = backend.get_queue(queue_name)
        if queue.fifo_queue and queue.attributes.get("ContentBasedDeduplication") != "true":
            return True  # AWS cannot deliver it either: the FIFO target needs content-based dedup
        backend.send_message(queue_name=queue_name, message_body=body, group_id=group)
    elif service == "firehose":
        from moto.firehose.models import firehose_backends

        stream = arn.split(":deliverystream/", 1)[1]
        firehose_backends[account][region].put_record(stream, {"Data": (body + "\n").encode("utf-8")})
    elif service == "lambda":
        function = function_for(cloud, arn)
        if function is not None:
            try:
                payload: Any = json.loads(body)
            except ValueError:
                payload = body
            function.invoke(payload)
    else:
        return False
    return True


def _event_id(body: str) -> str:
    try:
        return str(json.loads(body).get("id", "event"))
    except (ValueError, AttributeError):
        return "event"
