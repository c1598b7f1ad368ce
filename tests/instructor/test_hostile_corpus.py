"""Issue 15's hostile corpus: every group of attacks, graded beside honest students, in as few runs as can be.

* ``graded_class``: 01_sqs_queues, the honest students and every attack of ``attacks.py`` (groups 1-8,
  10), in ONE ``course grade --feedback`` run;
* ``exam_class``: 07_exam_traps, honest students and the attacks on the answer key (group 9);
* ``honest_class``: the same honest students alone, the grades an attacker must not change;
* ``regraded``: the writers and destroyers (groups 1 and 2) graded again, one grading process, in
  name order, with an honest solution and a blank after them: nothing lost, nothing changed.

Each attack's score is what an honest grader gives its notebook: blank + attack = 0, solution +
attack = full marks unless the attack breaks its own answer.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

from instructor.autograde.report import read_csv
from tests.instructor.attacks import CRAFTED_GRADE_ID, attacks, exam_attacks
from tests.instructor.conftest import ASSIGNMENT, EXAM, HONEST, REGRADED, attacked_files, cell_grades

pytestmark = pytest.mark.nbgrader  # grades whole classes with kernels: the slow suite

FULL = 14.0  # 01_sqs_queues
SQS_5 = 1.0  # the points of the cell the limit attacks break

#: what an honest grader gives each attack on 01_sqs_queues
SCORES = {
    "g1-config": FULL, "g1-graders": 0, "g1-pth": 0,
    "g2-gradebook": FULL, "g2-rename": FULL,
    "g2-kill": 0,  # the one process it may signal is its own sandbox's zygote: its own kernel ends with it
    "g3-transformer": 0, "g3-serve-transformer": 0, "g3-custom-exc": 0, "g3-showtraceback": 0,
    "g4-patch": 0, "g4-fake-module": 0, "g4-gc": 0,
    "g5-other-kernels": 0,  # the one kernel it can reach is its own: it kills itself in sqs-1
    "g6-hidden-value": FULL - 1,  # sqs-1's visible test passes, its hidden 14-day test does not
    "g7-paths": 0, "g7-linked-data": 0,
    "g8-handler": 0, "g8-dunders": 0, "g8-settrace": 0, "g8-thread": 0, "g8-client": 0,
    "g10-memory": FULL - SQS_5, "g10-disk": FULL - SQS_5,
    "g10-grade-id": FULL,
}
#: the flags each attack must carry, exactly (kinds); a set: any of these, where the timing decides which
FLAGS: dict[str, list[str] | set[str]] = {student: [] for student in SCORES}
FLAGS.update({
    "g3-serve-transformer": ["grader-error"],  # its kernel never serves the test cells: the trusted side gives up
    "g2-kill": ["kernel-died"],
    "g5-other-kernels": ["kernel-died"],
    "g7-linked-data": ["skipped-file"],
    "g8-handler": {"kernel-stopped", "kernel-died"},  # its patched builtins break its own kernel's end of the socket
    "g8-client": {"timeout", "grader-error"},  # its fake client never advances the clock: a demo cell loops
    # its thread keeps the kernel (and its end of the socket) busy: which cell times out, and whether the
    # grader gives up waiting for that kernel, is timing
    "g8-thread": {"timeout", "kernel-stopped", "grader-error"},
    "g10-grade-id": ["unknown-graded-cell"],
})

#: attacks whose every step must be refused: their answer cell never prints "GOT"
REFUSED = ("g1-config", "g1-graders", "g1-pth", "g2-gradebook", "g2-rename", "g7-paths", "g7-linked-data")


def _shown(graded, student: str, grade_id: str) -> str:
    cell = next(c for c in graded.graded_notebook(student).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") + o.get("ename", "") + ": " + o.get("evalue", "") for o in cell.get("outputs", []))


def _feedback(graded, student: str) -> str:
    page = graded.root / "feedback" / student / graded.assignment / f"{graded.assignment}.html"
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def test_the_corpus_covers_every_group_of_the_issue():
    groups = {a.group for a in attacks()} | {a.group for a in exam_attacks()} | {7, 10}  # + file attacks
    assert groups == set(range(1, 11))


@pytest.mark.parametrize("student", sorted(SCORES))
def test_each_attack_scores_what_an_honest_grader_gives(graded_class, student):
    assert graded_class.score(student) == SCORES[student], (graded_class.rows[student], graded_class.output[-3000:])
    rows = {r.student: r for r in read_csv(graded_class.root / "grades" / f"{ASSIGNMENT}.csv")}
    kinds = [f.kind for f in rows[student].flags]
    expected = FLAGS[student]
    assert (kinds == expected) if isinstance(expected, list) else (kinds and set(kinds) <= expected), kinds


@pytest.mark.parametrize("student", REFUSED)
def test_each_step_of_a_reaching_attack_is_refused(graded_class, student):
    attack = next((a for a in attacks() if a.student == student), None)
    shown = _shown(graded_class, student, attack.cell if attack else "sqs-1-answer")
    assert "refused" in shown, shown[-2000:]
    assert "GOT" not in shown, shown[-2000:]


@pytest.mark.parametrize("assignment", [ASSIGNMENT, EXAM])
def test_every_honest_student_is_graded_as_in_a_class_without_attackers(graded_class, exam_class, honest_class,
                                                                        assignment):
    graded = graded_class if assignment == ASSIGNMENT else exam_class
    alone = honest_class[assignment]
    for student in HONEST:
        assert graded.cell_grades(student) == alone.cell_grades(student), student
        assert (graded.rows[student]["score"], graded.rows[student]["flags"]) == \
            (alone.rows[student]["score"], alone.rows[student]["flags"]), student
    assert graded.score("blank") == 0


@pytest.mark.parametrize("assignment", [ASSIGNMENT, EXAM])
def test_the_solution_scores_full_marks_beside_the_attackers(graded_class, exam_class, assignment):
    graded = graded_class if assignment == ASSIGNMENT else exam_class
    assert graded.score("correct") == float(graded.rows["correct"]["max_score"]), graded.cell_grades("correct")


# -- 1. writes outside the submission's folder ----------------------------------------------------------------
def test_no_file_outside_a_submission_changed_after_the_class(graded_class):
    after = attacked_files(graded_class.root)
    changed = [path for path, content in graded_class.before.items() if after.get(path) != content]
    assert changed == [], changed


def test_a_blank_graded_after_the_writers_in_the_same_process_still_scores_0(regraded):
    assert list(regraded.rows) == sorted(REGRADED)  # graded one at a time in this order (--jobs 1)
    assert regraded.score("zz-blank") == 0 and regraded.score("correct") == FULL
    after = attacked_files(regraded.root)
    assert [p for p, content in regraded.before.items() if after.get(p) != content] == []


# -- 2. destruction: a second run shows nothing lost ---------------------------------------------------------
def test_the_second_run_grades_the_writers_and_destroyers_as_the_first(graded_class, regraded):
    from instructor.autograde.flags import decode

    def kinds(flags: str) -> list[str]:  # which cell a killed kernel is noticed in is a matter of timing
        return [flag.kind for flag in decode(flags)]

    for student in REGRADED:
        assert (regraded.rows[student]["score"], kinds(regraded.rows[student]["flags"])) == \
            (graded_class.rows[student]["score"], kinds(graded_class.rows[student]["flags"])), student


def test_after_both_runs_every_grade_of_the_first_is_in_the_gradebook(graded_class, regraded):
    for student, row in graded_class.rows.items():
        if row["score"]:
            assert sum(cell_grades(graded_class.root, ASSIGNMENT, student).values()) == float(row["score"]), student
            assert graded_class.graded_notebook(student).cells, student


# -- 5. cross-student --------------------------------------------------------------------------------------------
def test_killing_reaches_only_the_submissions_own_sandbox(graded_class):
    """``course grade`` and the other students' kernels are outside its PID namespace: the one process it
    can kill is its own sandbox's zygote (its parent), which ends its own kernel and nothing else."""
    shown = _shown(graded_class, "g2-kill", "sqs-1-answer")
    killed = [line for line in shown.splitlines() if line.startswith("GOT kill")]
    assert killed in ([], ["GOT kill 2"]), shown  # pid 2 of its namespace: the zygote
    assert graded_class.score("correct") == FULL


def test_the_only_kernel_a_submission_finds_is_its_own(graded_class):
    """Other kernels' connection files are not in its filesystem, their ports not in its network: the one
    connection file it finds (and sends ``os._exit`` to) is its own kernel's, so it dies alone."""
    shown = _shown(graded_class, "g5-other-kernels", "sqs-1-answer")
    reached = [line for line in shown.splitlines() if line.startswith("GOT sent to")]
    # its own kernel's connection file(s), in its own folder: nobody else's
    folders = {line.removeprefix("GOT sent to ").rsplit("/", 1)[0] for line in reached}
    assert len(folders) == 1 and ("/course-kernel-" in reached[0] or "/run/course/kernels/" in reached[0]), shown
    assert graded_class.cell_grades("g5-other-kernels")["sqs-1"] == 0


# -- 3./4. neutralising test cells, switching the checks off ---------------------------------------------------
@pytest.mark.parametrize("student", ["g3-transformer", "g3-serve-transformer", "g3-custom-exc", "g3-showtraceback",
                                     "g4-patch", "g4-fake-module", "g4-gc"])
def test_a_neutralised_test_cell_still_shows_the_checks_verdict(graded_class, student):
    shown = _shown(graded_class, student, "sqs-1")
    if student == "g3-serve-transformer":  # nothing answered the trusted side: the grader says so
        assert "GraderError" in shown and "grader-error" in graded_class.flags(student)
    else:
        assert "Requirement: sqs-1/answer-implemented" in shown, shown[-2000:]


# -- 6. a check's failure message names no hidden argument's value in feedback ----------------------------------
def test_a_failed_hidden_test_tells_its_lesson_without_the_hidden_arguments(graded_class):
    page = _feedback(graded_class, "g6-hidden-value")
    visible = 'check.queue_with_retention(cloud, create_queue_with_retention, name="orders", retention_days=7)'
    text = page[page.index(visible):page.index("from course.aws.lambdas import SqsEventSourceMapping")]  # sqs-1
    assert "Requirement: sqs-1/keeps-until-retention" in text  # the hidden test failed, and says what to learn
    for hidden in ("1209600", "1,209,600", "14.0 days", "= 14", "audit", "scratch"):  # "14 days" is AWS's maximum
        assert hidden not in text, hidden
    assert graded_class.cell_grades("g6-hidden-value")["sqs-1"] == 0


# -- 7. the notebook as a link --------------------------------------------------------------------------------
def test_a_notebook_that_links_to_the_solution_is_flagged_and_not_read(graded_class):
    row = graded_class.rows["g7-linked-notebook"]
    assert row["status"] == "not graded" and row["score"] == "" and row["flags"].startswith("linked-file")
    assert not (graded_class.root / "autograded" / "g7-linked-notebook").exists()


# -- 9. the answer key ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("student", ["g9-bank", "g9-tables"])
def test_reading_the_answer_key_scores_no_more_than_blank(exam_class, student):
    assert exam_class.score(student) <= exam_class.score("blank") == 0, exam_class.rows[student]
    for grade_id in ("trap-1-answer", "trap-4-answer"):
        shown = _shown(exam_class, student, grade_id)
        assert "GOT bank" not in shown and "GOT graders" not in shown and "GOT 7" not in shown, shown[-2000:]


# -- 10. limits -------------------------------------------------------------------------------------------------
def test_a_200_mb_notebook_is_flagged_at_intake(graded_class):
    row = graded_class.rows["g10-huge-notebook"]
    assert row["status"] == "not graded" and "too-large" in row["flags"] and "200.0 MiB" in row["flags"]


@pytest.mark.parametrize("student", ["g10-memory", "g10-disk"])
def test_memory_and_disk_runaways_zero_their_cell_only(graded_class, student):
    grades = graded_class.cell_grades(student)
    assert grades["sqs-5"] == 0 and sum(grades.values()) == FULL - SQS_5
    assert "Error" in _shown(graded_class, student, "sqs-5-answer")


def test_a_fork_bomb_stops_at_the_process_limit_and_the_class_is_graded(graded_class):
    grades = graded_class.cell_grades("g10-fork-bomb")
    assert grades["sqs-5"] == 0
    flags = graded_class.flags("g10-fork-bomb")
    if sum(grades.values()) != FULL - SQS_5:  # the bomb took the kernel down with it: flagged, later cells 0
        assert "kernel-" in flags or "timeout" in flags, flags
    assert graded_class.rows["zz-blank"]["score"] == "0" and graded_class.score("correct") == FULL


def test_a_crafted_grade_id_forges_no_flag_in_the_csv_or_what_merge_parses(graded_class):
    rows = {r.student: r for r in read_csv(graded_class.root / "grades" / f"{ASSIGNMENT}.csv")}
    flags = rows["g10-grade-id"].flags
    assert [f.kind for f in flags] == ["unknown-graded-cell"]
    assert "x | integrity" in flags[0].reason and "\nmerge-failed" in flags[0].reason  # kept, as its reason
    line = next(line for line in (graded_class.root / "grades" / f"{ASSIGNMENT}.csv").read_text().splitlines()
                if line.startswith("g10-grade-id,"))
    assert " | integrity" not in line and "\n" not in line
    assert CRAFTED_GRADE_ID.split("\n")[0] not in graded_class.output  # the summary shows kinds only
