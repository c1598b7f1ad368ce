"""Put AWS's EventBridge behaviour into moto's events backend (an AWS-behaviour module).

* patterns: ``put_rule`` and ``test_event_pattern`` reject what AWS rejects; rules and archives match
  with :mod:`course.aws.filtering.eventbridge`; ``test_event_pattern`` returns ``{"Result": bool}``;
* disabled rules deliver nothing (moto delivers);
* targets: SNS, Kinesis, SQS and registered Python functions get what AWS would send them
  (``Input``, ``InputPath``, ``InputTransformer`` included); moto still handles logs, archives,
  other buses and API destinations;
* replays send only the events of the requested time window (moto replays the whole archive).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

from course.aws.filtering.eventbridge import PatternError, matches, validate
from course.aws.events.permissions import refusal, send_to_dead_letter_queue
from course.aws.events.targets import deliver, delivered_event, render
from course.sandbox import Sandbox

__all__ = ["install"]



def install(sandbox: Sandbox) -> None:
    import moto.events.models as models
    import moto.events.responses as responses
    from moto.events.exceptions import InvalidEventPatternException
    from moto.utilities.arns import parse_arn


    def parse(parser: Any) -> dict[str, Any]:
        try:
            pattern = json.loads(parser.pattern) if parser.pattern else {}
        except ValueError:
            raise InvalidEventPatternException(reason="Invalid JSON") from None
        try:
            validate(pattern)
        except PatternError as error:
            raise InvalidEventPatternException(reason=str(error)) from None
        return pattern

    def matches_event(event_pattern: Any, event: Any) -> bool:
        return matches(event_pattern.get_pattern(), json.loads(json.dumps(event, default=str)))

    original_send = models.Rule.send_to_targets

    def send_to_targets(rule: Any, original_event: dict, transform_input: bool = True) -> None:
        if rule.state == "DISABLED" or not rule.event_pattern.matches_event(original_event):
            return
        event = delivered_event(original_event)
        for target in rule.targets:
            arn = parse_arn(target["Arn"])
            if arn.service != "events" and arn.service != "logs":
                account, region = arn.account or rule.account_id, arn.region or rule.region_name
                refused = refusal(rule, target, arn.service, account, region)
                if refused:  # not retried on AWS: straight to the target's DLQ, or dropped
                    send_to_dead_letter_queue(sandbox, rule, target, event, *refused)
                    continue
                body = render(target, event) if transform_input else json.dumps(event)
                if deliver(sandbox, arn.service, target["Arn"], target, body, account, region):
                    continue
            single = copy.copy(rule)  # moto's own delivery, for one target, already matched
            single.targets = [target]
            single.event_pattern = models.EventPattern(None, {})
            original_send(single, original_event, transform_input)

    def test_event_pattern(backend: Any, pattern_text: str, event_text: str) -> bool:
        pattern = parse(models.EventPatternParser(pattern_text))
        try:
            event = json.loads(event_text)
        except (TypeError, ValueError):
            raise InvalidEventPatternException(reason="Event is not valid JSON") from None
        return matches(pattern, event)

    def test_event_pattern_response(handler: Any) -> tuple[str, dict]:
        result = handler.events_backend.test_event_pattern(handler._get_param("EventPattern"),
                                                           handler._get_param("Event"))
        return json.dumps({"Result": result}), handler.response_headers

    def replay_events(replay: Any, archive: Any) -> None:
        from moto.moto_api._internal import mock_random

        bus_name = replay.destination["Arn"].split("/")[-1]
        bus = models.events_backends[replay.account_id][replay.region].describe_event_bus(bus_name)
        start, end = _seconds(replay.event_start_time), _seconds(replay.event_end_time)
        for event in archive.events:
            if not start <= _seconds(event.get("time")) <= end:
                continue
            for rule in bus.rules.values():
                rule.send_to_targets(dict(event, **{"id": str(mock_random.uuid4()), "replay-name": replay.name}))
        replay.state = models.ReplayState.COMPLETED
        replay.end_time = models.unix_time()

    sandbox.registry.patch(models.EventPatternParser, "parse", parse)
    sandbox.registry.patch(models.EventPattern, "matches_event", matches_event)
    sandbox.registry.patch(models.Rule, "send_to_targets", send_to_targets)
    sandbox.registry.patch(models.EventsBackend, "test_event_pattern", test_event_pattern)
    sandbox.registry.patch(responses.EventsHandler, "test_event_pattern", test_event_pattern_response)
    sandbox.registry.patch(models.Replay, "replay_events", replay_events)



def _seconds(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return 0.0
