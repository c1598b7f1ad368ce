"""nbgrader configuration for the course (run nbgrader from this folder, the course root)."""

from pathlib import Path

from instructor.autograde.feedback import notebook_html_only

c = get_config()  # noqa: F821 - provided by nbgrader

root = Path(__file__).resolve().parent

c.CourseDirectory.root = str(root)
c.CourseDirectory.course_id = "aws-messaging"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"

# Release notebooks: strip outputs; the stub every unanswered solution becomes.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearOutput.enabled = True

# Autograde: every cell gets a time limit; an infinite loop ends as a timeout, not a hang.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True
# measured: "graceful" sometimes adds ~3 s per notebook; nothing is lost by stopping at once
c.Execute.shutdown_kernel = "immediate"

# Feedback must never reveal hidden tests (stock nbgrader's default feedback shows them, in the test
# cells and in the tracebacks of any error there): test cells' errors keep their message only, any
# output line showing a hidden line is redacted (before ClearHiddenTests removes those lines), and a
# feedback folder holds the notebook's HTML only, not the files the learner's code wrote beside it.
# See instructor/autograde/feedback.py.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "instructor.autograde.feedback.LessonOnlyErrors",
    "instructor.autograde.feedback.RedactHiddenTests",
    "nbgrader.preprocessors.ClearHiddenTests",
]
c.GenerateFeedback.post_convert_hook = notebook_html_only(root / "autograded", root / "feedback")

# course grade's intake (instructor/autograde/intake.py, IntakeLimits): what a submission may hold.
# A notebook above the first is flagged too-large before it is read; a folder above the others is
# flagged too-large and not graded.
c.IntakeLimits.max_notebook_bytes = 20 * 1024 * 1024
c.IntakeLimits.max_folder_bytes = 100 * 1024 * 1024
c.IntakeLimits.max_files = 1000
