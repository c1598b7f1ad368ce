"""The wrong answers of ``tests/notebooks/answers/``, run in-process by the checks' unit tests.

One definition of each plausible mistake: the nbgrader round trip grades it in a notebook, a unit
test calls the check on it directly (fast, and naming the requirement it must report).
"""

import json
from collections.abc import Callable
from typing import Any

from tests.notebooks.conftest import load_answers, variants


def wrong_function(assignment_id: str, name: str, function: str) -> Callable[..., Any]:
    """The function ``function`` that the wrong answer ``name`` of ``answers/<assignment_id>.py``
    defines, run as its answer cell would be (``json`` imported, as in the notebooks)."""
    for variant in variants(load_answers(assignment_id), "wrong"):
        if variant.name == name:
            namespace: dict[str, Any] = {"json": json}
            exec(variant.code, namespace)  # noqa: S102 - the course's own answer fixtures
            return namespace[function]
    raise LookupError(f"{assignment_id} has no wrong answer named {name!r}")
