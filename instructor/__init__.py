"""Instructor tooling: the ``course`` command, ``course check``, the grading pipeline
(``course grade``), nbgrader glue and notebook-authoring helpers for the tests.

Nothing in the learner's runtime (:mod:`course`) or the checks (:mod:`graders`) imports this
package; see ``docs/architecture.md``.
"""
