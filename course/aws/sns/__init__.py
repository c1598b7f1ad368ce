"""Amazon SNS as AWS has it, where moto 5 differs.

* :mod:`course.aws.sns.filter_policies` - filter policies validated and matched as AWS does
  (all 68 AWS-validated cases) with the shared engine in :mod:`course.aws.filtering.sns`;
* :mod:`course.aws.sns.size` - message size in UTF-8 bytes with attributes, against the topic's
  MaximumMessageSize (256 KiB by default, up to 1 MiB);
* :mod:`course.aws.sns.archive` - FIFO topic message archiving (ArchivePolicy) and replay
  (ReplayPolicy) on the course clock;
* :mod:`course.aws.sns.fifo` - FIFO topic deduplication for 5 minutes, the id passed on;
* :mod:`course.aws.sns.signing` - deliveries signed as AWS signs them, with the course's published
  test key and without ``cryptography`` (which the browser build cannot load).
"""

from __future__ import annotations

from course.aws.sns import archive, fifo, filter_policies, signing, size
from course.sandbox import Behaviour, Sandbox

__all__ = ["behaviour"]


def _install(sandbox: Sandbox) -> None:
    signing.install(sandbox)  # first: it builds the envelope that archive's replays re-date
    filter_policies.install(sandbox)
    size.install(sandbox)
    archive.install(sandbox)  # before fifo: fifo's dedup wraps it, so a duplicate is never archived
    fifo.install(sandbox)


behaviour = Behaviour(
    "sns",
    "filter policies as AWS validates and matches them; message size in bytes; FIFO topic dedup, "
    "archiving and replay; deliveries signed with the course's published test key in pure Python (moto makes an RSA key per subscription)",
    _install,
)
