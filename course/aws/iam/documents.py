"""Policy documents the course writes again and again, as AWS's documentation shows them.

* :func:`service_may_send` - a resource policy (queue or topic) letting one AWS service call one
  action on it, optionally only on behalf of one source (``aws:SourceArn``: the topic or rule);
* :func:`service_may_assume` - a role's trust policy for one AWS service;
* :func:`allows` - a permission policy (identity policy) for a role.

Source: Amazon SQS Developer Guide, "Basic examples of Amazon SQS policies"; EventBridge User
Guide, "Using resource-based policies for Amazon EventBridge"; IAM User Guide, "Roles terms and
concepts".
"""

from __future__ import annotations

import json

__all__ = ["allows", "service_may_assume", "service_may_send"]

VERSION = "2012-10-17"


def service_may_send(resource_arn: str, *, service: str, action: str, source_arn: str | None = None) -> str:
    """A resource policy: ``service`` may call ``action`` on ``resource_arn`` (from ``source_arn`` only)."""
    statement = {"Sid": "allow-" + service.split(".")[0], "Effect": "Allow", "Principal": {"Service": service},
                 "Action": action, "Resource": resource_arn}
    if source_arn:
        statement["Condition"] = {"ArnEquals": {"aws:SourceArn": source_arn}}
    return json.dumps({"Version": VERSION, "Statement": [statement]})


def service_may_assume(service: str) -> str:
    """A trust policy: ``service`` may assume the role."""
    return json.dumps({"Version": VERSION, "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def allows(actions: str | list[str], resource: str) -> str:
    """A permission policy: the role may call ``actions`` on ``resource``."""
    return json.dumps({"Version": VERSION, "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resource}]})
