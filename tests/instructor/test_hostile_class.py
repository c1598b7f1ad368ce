"""``course grade`` on a class of hostile submissions: every one has a score or a flag with the
reason, none fools the grade, and one bad submission never stops the others being graded.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.nbgrader  # grades or runs real notebooks and kernels: the slow suite

FULL = 14.0  # 01_sqs_queues: 9 exercises, 14 points
BEFORE_SQS_5 = 7.0  # sqs-1 .. sqs-4: what a submission earns before its kernel stops at sqs-5


def flags(graded_class, student: str) -> str:
    return graded_class.rows[student]["flags"]


def test_every_student_has_a_row_with_a_score_or_a_flag(graded_class):
    assert set(graded_class.rows) == set(graded_class.kinds), graded_class.output
    for student, row in graded_class.rows.items():
        assert row["score"] or row["flags"], f"{student}: neither a score nor a flag"
        if not row["score"]:
            assert row["status"] == "not graded" and row["flags"], student


def test_honest_submissions_are_graded_as_nbgrader_grades_them(graded_class):
    assert graded_class.score("correct") == FULL
    assert graded_class.score("alternative") == FULL
    assert graded_class.score("blank") == 0
    assert graded_class.score("wrong") < FULL  # every answer is a plausible mistake
    for student in ("correct", "alternative", "blank", "wrong"):
        assert graded_class.rows[student]["status"] == "graded" and not flags(graded_class, student)
        assert graded_class.rows[student]["max_score"] == "14"


def test_summary_table_lists_the_class(graded_class):
    assert "submissions in" in graded_class.output and "not graded" in graded_class.output
    for student in graded_class.kinds:
        assert student in graded_class.output


def test_infinite_loop_is_a_flagged_timeout_and_the_rest_is_graded(graded_class):
    assert "timeout: cell 'sqs-5-answer'" in flags(graded_class, "loop")
    assert graded_class.score("loop") == FULL - 1  # only the exercise that never finished is lost


def test_loop_that_ignores_the_interrupt_stops_the_kernel(graded_class):
    assert "kernel-stopped" in flags(graded_class, "stubborn")
    assert graded_class.score("stubborn") == BEFORE_SQS_5


def test_sys_exit_is_just_an_error_in_that_cell(graded_class):
    assert graded_class.score("exits") == FULL - 1


@pytest.mark.parametrize("student", ["os-exit", "crash"])
def test_dead_kernel_is_flagged_and_later_cells_score_zero(graded_class, student):
    assert "kernel-died" in flags(graded_class, student)
    # stock nbgrader would give the never-run test cells after the crash full marks, or nothing at all
    assert graded_class.score(student) == BEFORE_SQS_5
    notebook = graded_class.graded_notebook(student)
    late = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-9"][0]
    assert any(o.output_type == "error" for o in late.outputs)


def test_deleted_test_cell_is_restored_and_graded(graded_class):
    assert "deleted-cell" in flags(graded_class, "deleted-test") and "'sqs-3'" in flags(graded_class, "deleted-test")
    assert graded_class.score("deleted-test") == FULL


def test_edited_test_cell_is_restored_so_always_pass_fails(graded_class):
    assert "edited-test-cell" in flags(graded_class, "edited-test")
    assert graded_class.score("edited-test") == 0


def test_tampered_metadata_is_restored_and_does_not_abort_the_class(graded_class):
    assert "tampered-metadata" in flags(graded_class, "tampered")
    assert graded_class.score("tampered") == FULL
    assert graded_class.rows["tampered"]["max_score"] == "14"  # not 100 points for sqs-2


def test_corrupt_json_is_not_graded_and_says_why(graded_class):
    row = graded_class.rows["corrupt"]
    assert row["status"] == "not graded" and row["score"] == ""
    assert "invalid-json" in row["flags"] and "line" in row["flags"]


def test_wrong_file_name_is_graded_under_the_right_one(graded_class):
    assert "wrong-file-name" in flags(graded_class, "renamed")
    assert graded_class.score("renamed") == FULL


def test_missing_notebook_and_missing_submission_are_flagged(graded_class):
    assert "missing-file" in flags(graded_class, "no-notebook")
    assert graded_class.rows["no-notebook"]["status"] == "not graded"
    assert "missing-submission" in flags(graded_class, "ghost")


def test_huge_output_is_cut_and_graded(graded_class):
    assert "huge-output" in flags(graded_class, "huge-output")
    assert graded_class.score("huge-output") == FULL
    path = graded_class.root / "autograded" / "huge-output" / "01_sqs_queues" / "01_sqs_queues.ipynb"
    assert path.stat().st_size < 5_000_000


def test_reading_the_solution_or_hidden_tests_is_refused(graded_class):
    assert graded_class.score("reader") == 0
    answer = [c for c in graded_class.graded_notebook("reader").cells
              if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-1-answer"][0]
    shown = "".join(o.get("text", "") for o in answer.outputs)
    # four reads, four refusals: the contained kernel has no such files and no course folder
    assert len(shown.strip().splitlines()) == 4, shown
    assert "BEGIN HIDDEN" not in shown and "BEGIN SOLUTION" not in shown and "grade_cells" not in shown


def test_monkeypatching_the_grader_does_not_fool_it(graded_class):
    assert graded_class.score("patcher") == 0


def test_reaching_the_network_is_refused_and_the_rest_is_graded(graded_class):
    if not graded_class.network:
        pytest.skip("NETWORK SUBMISSION LEFT OUT: this machine does not allow `unshare -n` (run as root)")
    assert graded_class.score("network") == FULL
    answer = [c for c in graded_class.graded_notebook("network").cells
              if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-1-answer"][0]
    shown = "".join(o.get("text", "") for o in answer.outputs)
    # refused before any packet left: by the course's network guard (and the kernel has no network)
    assert "network: NetworkBlockedError" in shown, shown


def test_gradebook_holds_the_graded_and_flags_the_flagged(graded_class):
    from nbgrader.api import Gradebook

    from instructor.nbgrader_api import api_for

    api = api_for(graded_class.root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for student, row in graded_class.rows.items():
            if not row["score"]:
                continue
            submission = gradebook.find_submission("01_sqs_queues", student)
            assert submission.score == float(row["score"]), student
            assert submission.notebooks[0].flagged == (row["status"] == "flagged"), student


def test_feedback_shows_results_and_visible_tests_never_hidden_ones(graded_class):
    import html as htmllib
    import re

    import nbformat

    source = nbformat.read(graded_class.root / "solutions" / "01_sqs_queues" / "01_sqs_queues.ipynb", as_version=4)
    hidden = [line.strip() for c in source.cells if "BEGIN HIDDEN TESTS" in c.source
              for line in c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].splitlines()
              if line.strip()]
    assert hidden, "01 has hidden tests"
    for student in ("correct", "wrong", "tampered"):
        html = (graded_class.root / "feedback" / student / "01_sqs_queues" / "01_sqs_queues.html").read_text()
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
        assert "check.queue_with_retention(cloud, create_queue_with_retention" in text  # a visible test
        assert re.search(r"Score: [\d.]+ / 14", text)
        for line in hidden:
            assert line not in text, (student, line)


def _hidden_lines(graded_class) -> list[str]:
    import nbformat

    source = nbformat.read(graded_class.root / "solutions" / "01_sqs_queues" / "01_sqs_queues.ipynb", as_version=4)
    return [line.strip() for c in source.cells if "BEGIN HIDDEN TESTS" in c.source
            for line in c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].splitlines()
            if len(line.strip()) >= 8]


ERRORS_IN_GRADED_CELLS = ("syntax-error", "misnamed", "hidden-timeout", "dumper", "huge-error", "loop", "wrong")


@pytest.mark.parametrize("student", ERRORS_IN_GRADED_CELLS)
def test_no_hidden_test_line_reaches_feedback_whatever_the_error(graded_class, student):
    """A syntax error, a misnamed function, a timeout on a hidden argument, a dump of `In`: each used to
    print hidden-test lines into the traceback or output that feedback shows."""
    import html as htmllib
    import re

    html = (graded_class.root / "feedback" / student / "01_sqs_queues" / "01_sqs_queues.html").read_text()
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)  # the page's CSS names pygments' Generic.Traceback
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    for line in _hidden_lines(graded_class):
        assert line not in text, (student, line)


def test_honest_errors_still_teach_in_feedback(graded_class):
    import html as htmllib
    import re

    html = (graded_class.root / "feedback" / "misnamed" / "01_sqs_queues" / "01_sqs_queues.html").read_text()
    assert "NameError: name &#39;configure_for_lambda&#39; is not defined" in html or \
        "NameError: name 'configure_for_lambda' is not defined" in htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    assert "timeout" in flags(graded_class, "hidden-timeout")


def test_feedback_and_autograded_folders_hold_no_file_the_kernel_wrote(graded_class):
    for student in graded_class.kinds:
        feedback = graded_class.root / "feedback" / student / "01_sqs_queues"
        if feedback.exists():
            assert [p.name for p in feedback.iterdir()] == ["01_sqs_queues.html"], student
        autograded = graded_class.root / "autograded" / student / "01_sqs_queues"
        if autograded.exists():
            assert {p.name for p in autograded.iterdir()} <= {"01_sqs_queues.ipynb", "timestamp.txt"}, student
    assert graded_class.score("dumper") == FULL  # the dump itself costs nothing: it is just not sent


def test_a_20_mb_exception_is_cut_in_the_autograded_notebook_and_feedback(graded_class):
    assert "huge-output" in flags(graded_class, "huge-error")
    for path in (graded_class.root / "autograded" / "huge-error" / "01_sqs_queues" / "01_sqs_queues.ipynb",
                 graded_class.root / "feedback" / "huge-error" / "01_sqs_queues" / "01_sqs_queues.html"):
        assert path.stat().st_size < 2_000_000, path
