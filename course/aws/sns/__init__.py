"""Amazon SNS as AWS has it, where moto 5 differs.

* :mod:`course.aws.sns.filter_policies` - filter policies validated and matched as AWS does
  (all 68 AWS-validated cases) with the shared engine in :mod:`course.aws.filtering.sns`;
* :mod:`course.aws.sns.fifo` - FIFO topic deduplication for 5 minutes, the id passed on.
"""

from __future__ import annotations

from course.aws.sns import fifo, filter_policies
from course.sandbox import Behaviour, Sandbox

__all__ = ["behaviour"]


def _install(sandbox: Sandbox) -> None:
    filter_policies.install(sandbox)
    fifo.install(sandbox)


behaviour = Behaviour("sns", "filter policies as AWS validates and matches them; FIFO topic dedup", _install)
