"""SNS filter policies as AWS evaluates them, for the sandbox (moto 5 differs in 19 of 68 cases).

* :mod:`course.sns_filter.policy` - validate a policy (what AWS rejects) and expand ``$or``;
* :mod:`course.sns_filter.matching` - does a message match (attributes or body scope)?
* :mod:`course.sns_filter.install` - put both into moto's SNS (an AWS-behaviour module).

Source: Amazon SNS Developer Guide, "Amazon SNS message filtering" (filter policy constraints,
attribute- and payload-based filtering, operators). Checked against the 68 cases in
``tests/course/fixtures/sns-filter-policies`` that were validated against AWS.
"""

from course.sns_filter.matching import matches
from course.sns_filter.policy import FilterPolicyError, complexity, expand, validate

__all__ = ["FilterPolicyError", "complexity", "expand", "matches", "validate"]
