"""AWS Lambda without Docker: the SQS event source mapping and functions as targets.

* :mod:`course.aws.lambdas.event_source` - a Lambda-style poller of an SQS queue on the course
  clock (batches, partial batch failures, timeouts, retries, the DLQ);
* :mod:`course.aws.lambdas.functions` - Python handlers addressable by a Lambda ARN.
"""

from course.aws.lambdas.event_source import Invocation, SqsEventSourceMapping
from course.aws.lambdas.functions import Context, Function, function_for, register_function

__all__ = ["Context", "Function", "Invocation", "SqsEventSourceMapping", "function_for", "register_function"]
