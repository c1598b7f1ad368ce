"""The seal and the checks agree on the audit event that re-seals the grader."""

from graders import check
from instructor.autograde import seal


def test_the_seal_listens_to_the_event_the_checks_raise():
    """Does `call_learner` raise, when the learner's function returns, the very event the seal
    re-seals on? (A renamed event on one side only would let a learner's function patch the
    grader while it runs, silently.)"""
    raised = []
    check.call_learner("seal-test", lambda: 42, _reseal=raised.append)
    assert raised == [seal.LEARNER_RETURNED]
    if hasattr(check, "LEARNER_RETURNED"):
        assert check.LEARNER_RETURNED == seal.LEARNER_RETURNED
