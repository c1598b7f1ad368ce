"""Same behaviour, less work: moto hot spots that make checks slow, replaced in the sandbox.

Per request, moto lists the response class's methods with ``inspect.getmembers`` and converts
the same attribute names from CamelCase again and again (about 3,700 times in module 01); both are
pure functions of their input and are cached here. An SQS receipt handle (185 random letters) is
drawn with one ``choices`` call instead of 185 ``choice`` calls, from the same generator.
Together: about a fifth of a notebook's time in moto (measured with benchmarks/autograde.py).
"""

from __future__ import annotations

import functools
import string
from typing import Any

from course.sandbox import Behaviour, Sandbox

__all__ = ["behaviour", "install"]



def install(sandbox: Sandbox) -> None:
    import moto.core.responses as core_responses
    import moto.sqs.models as sqs_models
    from moto.core.utils import camelcase_to_underscores, method_names_from_class
    from moto.moto_api._internal import mock_random


    def generate_receipt_handle() -> str:
        return "".join(mock_random.choices(string.ascii_lowercase, k=185))

    cached_camel = _cached(camelcase_to_underscores)
    sandbox.registry.patch(core_responses, "camelcase_to_underscores", cached_camel)
    sandbox.registry.patch(sqs_models, "camelcase_to_underscores", cached_camel)
    sandbox.registry.patch(core_responses, "method_names_from_class", _cached(method_names_from_class))
    sandbox.registry.patch(sqs_models, "generate_receipt_handle", generate_receipt_handle)


def _cached(function: Any) -> Any:
    cached = functools.lru_cache(maxsize=4096)(function)
    return functools.wraps(function)(cached)



behaviour = Behaviour("speedups", "the same behaviour with less work in moto's hot spots", install)
