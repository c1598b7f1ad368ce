"""IAM as service-to-service delivery needs it: resource policies and roles, evaluated.

* :mod:`course.aws.iam.policies` - evaluate a policy document for one request;
* :mod:`course.aws.iam.roles` - may a service assume a role, and may the role call an action;
* :mod:`course.aws.iam.documents` - the policy documents lessons and checks write.
"""

from course.aws.iam.documents import allows, service_may_assume, service_may_send
from course.aws.iam.policies import Decision, Request, evaluate
from course.aws.iam.roles import may_assume, may_call, role_decision

__all__ = ["Decision", "Request", "allows", "evaluate", "may_assume", "may_call", "role_decision", "service_may_assume",
           "service_may_send"]
