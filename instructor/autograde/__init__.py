"""Autograde a whole class: nbgrader's own grading, in parallel, robust to hostile submissions.

``course grade <assignment>`` (:mod:`.cli`) runs :func:`.pipeline.grade_class`; see that module for
the steps and the instructor guide (``docs/instructor.md``) for the workflow around it.
"""
