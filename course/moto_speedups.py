"""Same behaviour, less work: moto hot spots that make checks slow, replaced in the sandbox.

moto's ``SQSBackend.is_message_valid_based_on_retention_period`` builds the queue's full attribute
dictionary (counting every message three times) for *each* message it returns, so receiving a
queue of n messages costs O(n^2). The replacement reads the one attribute it needs; the rule it
applies (a message older than the retention period is not returned) is unchanged.
"""

from __future__ import annotations

from typing import Any

from course.patching import Patches

__all__ = ["install", "uninstall"]

_patches = Patches()


def install() -> None:
    from moto.core.utils import unix_time
    from moto.sqs.models import SQSBackend

    if _patches.active:
        return

    def is_message_valid_based_on_retention_period(backend: Any, queue_name: str, message: Any) -> bool:
        retention = int(backend.get_queue(queue_name).message_retention_period)
        return retention + message.sent_timestamp / 1000 > unix_time()

    _patches.apply(SQSBackend, "is_message_valid_based_on_retention_period", is_message_valid_based_on_retention_period)


def uninstall() -> None:
    _patches.restore()
