"""Instrument a boto3 client that a check hands to the learner's function.

The check makes a fresh client, registers botocore event handlers on it, and passes it to the
answer: so it can count the calls the answer makes (batching, long polling) and inject the
transient failures AWS really produces (a batch entry that fails inside a 200 response), without
reading the learner's code, and hand out the short receives AWS really returns (fewer messages than
asked for while more are waiting).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["CallRecorder", "fail_batch_entries", "short_receives"]


class CallRecorder:
    """Counts the API operations made through one client, e.g. ``recorder.calls["SendMessage"]``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: Counter[str] = Counter()
        self.params: list[tuple[str, dict]] = []
        service = client.meta.service_model.service_name
        client.meta.events.register(f"provide-client-params.{service}.*", self._record)

    def _record(self, params: dict, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1
        self.params.append((model.name, dict(params)))


def fail_batch_entries(client: Any, operation: str, count: int, *, times: int = 1) -> list[dict]:
    """Make the first ``times`` calls of a batch ``operation`` report ``count`` entries as failed.

    The failed entries are removed from the request before it is sent (so AWS really does not
    act on them) and added to the response's ``Failed`` list with ``SenderFault: false`` - what
    SQS returns for a transient, retryable error. Returns the list of injected failures, each as
    the response lists it plus the request's ``Entry`` that failed (which the response does not hold).
    """
    injected: list[dict] = []
    pending: list[dict] = []
    remaining = {"calls": times}
    service = client.meta.service_model.service_name

    def drop(params: dict, **_: Any) -> None:
        if remaining["calls"] <= 0 or len(params.get("Entries", [])) < 2:
            return
        remaining["calls"] -= 1
        entries = params["Entries"]
        victims = entries[-count:] if count < len(entries) else entries[1:]
        params["Entries"] = [e for e in entries if e not in victims]
        for entry in victims:
            failure = {
                "Id": entry["Id"],
                "SenderFault": False,
                "Code": "InternalError",
                "Message": "Transient failure injected by the course: retry this entry.",
            }
            pending.append(failure)
            injected.append({**failure, "Entry": dict(entry)})

    def report(parsed: dict, **_: Any) -> None:
        if pending:
            parsed.setdefault("Failed", []).extend(pending)
            pending.clear()

    client.meta.events.register(f"provide-client-params.{service}.{operation}", drop)
    client.meta.events.register(f"after-call.{service}.{operation}", report)
    return injected


def short_receives(client: Any, most: int, *, times: int = 1) -> None:
    """Make the first ``times`` ReceiveMessage calls of ``client`` return at most ``most`` messages.

    AWS may answer a receive with fewer messages than ``MaxNumberOfMessages`` although more are
    waiting (short polling samples a subset of its servers). The cap is applied to the request
    before it is sent, so the messages not returned really stay in the queue, visible.
    """
    remaining = {"calls": times}
    service = client.meta.service_model.service_name

    def cap(params: dict, **_: Any) -> None:
        if remaining["calls"] <= 0:
            return
        remaining["calls"] -= 1
        params["MaxNumberOfMessages"] = min(int(params.get("MaxNumberOfMessages", 1)), most)

    client.meta.events.register(f"provide-client-params.{service}.ReceiveMessage", cap)
