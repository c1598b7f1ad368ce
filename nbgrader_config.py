"""nbgrader configuration for the course (run nbgrader from this folder, the course root)."""

from pathlib import Path

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

# Feedback must never reveal hidden tests (stock nbgrader's default feedback shows them).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]
