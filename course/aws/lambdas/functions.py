"""Python functions standing in for AWS Lambda functions: the handler's context and a registry.

moto runs Lambda functions in Docker, which the course does not use. A handler registered here is
addressable by its ARN (an EventBridge target) and is called directly; the registry is the
sandbox's state, so a restarted sandbox has no functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from course.sandbox import Sandbox, in_grader

__all__ = ["Context", "Function", "Handler", "function_for", "register_function"]

Handler = Callable[[dict, "Context"], Any]


@dataclass
class Context:
    """The ``context`` a handler receives (a subset of Lambda's, plus :meth:`spend`)."""

    function_name: str
    aws_request_id: str
    timeout_seconds: float
    spent_seconds: float = 0.0

    def spend(self, seconds: float) -> None:
        """Pretend the function worked for ``seconds`` (course time; nothing sleeps)."""
        if seconds < 0:
            raise ValueError("spend() takes seconds >= 0")
        self.spent_seconds += seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - self.spent_seconds) * 1000))



@dataclass
class Function:
    """A Python function standing in for an AWS Lambda function, addressable by its ARN."""

    name: str
    arn: str
    handler: Handler
    events: list[Any] = field(default_factory=list)  #: every event it was invoked with

    def invoke(self, event: Any) -> Any:
        self.events.append(event)
        return self.handler(event, Context(self.name, f"req-{len(self.events):06d}", timeout_seconds=3))


_STATE = "lambda.functions"


def register_function(cloud: Sandbox, name: str, handler: Handler) -> Function:
    """Register ``handler(event, context)`` as the Lambda function ``name``; use ``.arn`` as a target.

    moto runs Lambda functions in Docker, which the course does not use: EventBridge rules in the
    sandbox deliver to a registered function by calling it directly. While the notebook is graded
    the cloud is the grader's, which registers the handler itself (:mod:`course.remote`).
    """
    if in_grader(cloud):
        return cloud.register_function(name, handler)  # type: ignore[attr-defined, no-any-return]
    arn = f"arn:aws:lambda:{cloud.region}:{cloud.account_id}:function:{name}"
    functions = cloud.registry.state(_STATE, dict)
    functions[arn] = Function(name, arn, handler)
    return functions[arn]


def function_for(cloud: Sandbox, arn: str) -> Function | None:
    """The function registered in this sandbox with this ARN (an alias or version suffix is ignored)."""
    base = ":".join(arn.split(":")[:7])
    return cloud.registry.state(_STATE, dict).get(base)
