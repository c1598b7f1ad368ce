"""Amazon Data Firehose as AWS has it: buffering by size and interval on the course clock
(:mod:`course.aws.firehose.buffering`); moto writes one S3 object per put, at once."""

from course.aws.firehose.buffering import install
from course.sandbox import Behaviour

__all__ = ["behaviour"]

behaviour = Behaviour("firehose", "buffering hints (size and interval) on the course clock", install)
