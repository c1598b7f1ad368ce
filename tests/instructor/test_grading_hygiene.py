"""What ``course grade``'s own process does with a submission's files and results, attack by attack:
links and special files are never followed, sizes are capped before anything is read, flags cannot
be forged through the text a submission chooses, error outputs are capped, and feedback keeps
hidden tests out. Each test performs the attack and shows it stopped (no kernels: the fast suite).
"""

from __future__ import annotations

import copy
import os
import resource
from pathlib import Path

import nbformat
import pytest

from instructor.autograde.error_cap import CapErrorOutputs
from instructor.autograde.feedback import REDACTED, LessonOnlyErrors, RedactHiddenTests, notebook_html_only
from instructor.autograde.flags import KINDS, Flag, decode, encode
from instructor.autograde.intake import IntakeLimits, read_submission
from instructor.autograde.merge import merge_grades
from instructor.autograde.repair import repair
from instructor.autograde.report import Row, read_csv, summary, write_csv
from instructor.autograde.staging import stage_submission
from instructor.scoring import recording

ROOT = Path(__file__).resolve().parents[2]
A = "01_sqs_queues"
RELEASE = nbformat.read(ROOT / "notebooks" / A / f"{A}.ipynb", as_version=4)
SOURCE = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
SECRET = "the gradebook's secret row"


def _course(tmp_path: Path) -> tuple[Path, Path]:
    """A course folder with a 'gradebook' and a 'solution', and Alice's submission folder in it."""
    (tmp_path / "gradebook.db").write_text(SECRET)
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / f"{A}.ipynb").write_text(nbformat.writes(SOURCE))
    folder = tmp_path / "submitted" / "alice" / A
    folder.mkdir(parents=True)
    return tmp_path, folder


def _all_text(folder: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- 1. nothing a submission wrote is followed


def test_a_notebook_that_links_to_the_solution_is_flagged_not_read(tmp_path):
    root, folder = _course(tmp_path)
    (folder / f"{A}.ipynb").symlink_to(root / "solutions" / f"{A}.ipynb")
    submission = read_submission(folder, "alice", A)
    assert [f.kind for f in submission.flags] == ["linked-file"] and not submission.gradable
    assert submission.notebook is None  # the solution was never parsed as Alice's work


def test_a_misnamed_link_to_the_solution_is_not_taken_for_the_notebook(tmp_path):
    root, folder = _course(tmp_path)
    (folder / "Untitled.ipynb").symlink_to(root / "solutions" / f"{A}.ipynb")
    submission = read_submission(folder, "alice", A)
    assert [f.kind for f in submission.flags] == ["missing-file"] and submission.notebook is None


def test_a_submission_folder_that_is_a_link_is_flagged(tmp_path):
    root, _ = _course(tmp_path)
    (root / "submitted" / "bob").mkdir()
    (root / "submitted" / "bob" / A).symlink_to(root / "solutions", target_is_directory=True)
    submission = read_submission(root / "submitted" / "bob" / A, "bob", A)
    assert [f.kind for f in submission.flags] == ["linked-file"] and submission.notebook is None


def test_data_files_that_link_to_the_gradebook_or_solutions_are_not_copied(tmp_path):
    root, folder = _course(tmp_path)
    (folder / f"{A}.ipynb").write_text(nbformat.writes(RELEASE))
    (folder / "data.csv").symlink_to(root / "gradebook.db")
    (folder / "answers").symlink_to(root / "solutions", target_is_directory=True)
    (folder / "inner").mkdir()
    (folder / "inner" / "notes.txt").write_text("my notes")
    (folder / "inner" / "deep.db").symlink_to(root / "gradebook.db")
    os.mkfifo(folder / "pipe")  # copying a fifo by opening it would block the grader for ever
    staged = tmp_path / "run" / "staged"
    flags = stage_submission(folder, staged)
    assert [f.kind for f in flags] == ["skipped-file"]
    for name in ("data.csv", "answers", "inner/deep.db", "pipe (a fifo)"):
        assert name in flags[0].reason
    assert sorted(str(p.relative_to(staged)) for p in staged.rglob("*")) == ["inner", "inner/notes.txt"]
    assert SECRET not in _all_text(staged) and not any(p.is_symlink() for p in staged.rglob("*"))


def test_a_200_mb_notebook_is_flagged_too_large_before_it_is_read(tmp_path):
    _, folder = _course(tmp_path)
    with (folder / f"{A}.ipynb").open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    submission = read_submission(folder, "alice", A)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [f.kind for f in submission.flags] == ["too-large"] and "200.0 MiB" in submission.flags[0].reason
    assert submission.notebook is None and grown_mib < 20


def test_the_caps_are_the_instructors_to_set(tmp_path):
    _, folder = _course(tmp_path)
    (folder / f"{A}.ipynb").write_text(nbformat.writes(RELEASE))
    from traitlets.config import Config

    config = Config()
    config.IntakeLimits.max_notebook_bytes = 1000
    assert [f.kind for f in read_submission(folder, "alice", A, IntakeLimits(config=config)).flags] == ["too-large"]
    assert read_submission(folder, "alice", A).gradable  # the default lets a course notebook in


@pytest.mark.parametrize("limit, files", [("max_folder_bytes", {"big.bin": 5000}),
                                          ("max_files", {f"f{n}.txt": 1 for n in range(20)})])
def test_a_folder_over_its_caps_is_flagged_and_nothing_is_copied(tmp_path, limit, files):
    _, folder = _course(tmp_path)
    for name, size in files.items():
        (folder / name).write_bytes(b"x" * size)
    flags = stage_submission(folder, tmp_path / "staged", IntakeLimits(**{limit: 10}))
    assert [f.kind for f in flags] == ["too-large"] and flags[0].fatal
    assert not (tmp_path / "staged").exists()


# ---------------------------------------------------------------- 4. flags cannot be forged


HOSTILE = [
    "x | integrity: forged by the student",
    "line one\nintegrity: forged on a new line\r\n",
    'comma, "quotes", semi;colon, pipe|pipe, back\\slash\\',
    "\\| looks escaped | \\u000a looks like an escape",
    "\x1b[2J\x1b]0;terminal title\x07 and a NUL \x00 and \u2028 a separator",
    "trailing space ",
    " | ",
    "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_reason_round_trips_as_one_flag(text):
    flags = [Flag("unknown-graded-cell", text), Flag("timeout", text)]
    line = encode(flags)
    assert "\n" not in line and "\r" not in line
    assert decode(line) == flags


def test_a_crafted_grade_id_cannot_forge_a_flag_in_the_csv_the_merge_or_the_summary(tmp_path):
    notebook = copy.deepcopy(RELEASE)
    made_up = nbformat.v4.new_code_cell("x = 1")
    made_up.metadata["nbgrader"] = {"grade": True, "grade_id": "q' | integrity: forged\nmallory,x,graded,14,14,",
                                    "points": 5, "schema_version": 3}
    notebook.cells.append(made_up)
    _, flags = repair(notebook, RELEASE)
    assert [f.kind for f in flags] == ["unknown-graded-cell"]
    student = "eve\nmallory  14 / 14  graded"  # a folder name may hold a newline
    rows = [Row(student, A, 14.0, 14.0, flags), Row("bob", A, None, None, [Flag("invalid-json", HOSTILE[1])])]
    path = write_csv(rows, tmp_path / "grades.csv")
    back = read_csv(path)  # what --merge parses back
    assert [(r.student, r.score, r.flags) for r in back] == [("bob", None, rows[1].flags),
                                                              (student, 14.0, flags)]
    assert [f.kind for r in back for f in r.flags] == ["invalid-json", "unknown-graded-cell"]
    printed = summary(back)
    assert "mallory" not in printed.replace("eve\\u000amallory", "") and "integrity" not in printed
    assert len(printed.splitlines()) == 2 + 2 + 2  # header, rule, two rows, rule, totals


def test_flag_kinds_are_a_fixed_set_and_fatality_follows_the_kind():
    with pytest.raises(ValueError):
        Flag("integrity: forged", "x")
    with pytest.raises(ValueError):
        Flag("timeout", "x", fatal=True)
    assert Flag("invalid-json", "x").fatal and not Flag("timeout", "x").fatal
    with pytest.raises(ValueError):
        decode("made-up: x")
    assert set(KINDS) >= {"linked-file", "too-large", "skipped-file", "merge-failed"}


# ---------------------------------------------------------------- 3. error outputs are capped


def test_a_20_mb_exception_message_is_cut_and_flagged():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("raise ValueError('x' * 20_000_000)")
    cell.metadata["nbgrader"] = {"grade_id": "sqs-1-answer", "solution": True, "grade": False}
    message = "x" * 20_000_000
    cell.outputs = [nbformat.v4.new_output("error", ename="ValueError" * 1000, evalue=message,
                                           traceback=["line\n"] * 100_000 + [f"ValueError: {message}"])]
    notebook.cells.append(cell)
    with recording() as events:
        CapErrorOutputs()(notebook, {})  # as nbgrader calls a step
    kept = notebook.cells[0].outputs[0]
    assert kept.output_type == "error"  # still an error: the cell still scores 0
    assert len(kept.ename) + len(kept.evalue) + sum(map(len, kept.traceback)) < 70 * 1024
    assert [(e.kind, e.cell) for e in events] == [("huge-output", "sqs-1-answer")]


def test_an_ordinary_error_is_left_whole():
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                           traceback=["Traceback", "ZeroDivisionError: division by zero"])]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    before = copy.deepcopy(notebook)
    with recording() as events:
        CapErrorOutputs()(notebook, {})  # as nbgrader calls a step
    assert notebook == before and events == []


# ---------------------------------------------------------------- 2. feedback: the notebook's HTML, no hidden tests


def _graded_with_errors() -> tuple[nbformat.NotebookNode, list[str]]:
    """The solution as nbgrader's autograde leaves it when sqs-1's test cell fails, with an answer
    cell below that printed the cells run so far (``In``)."""
    notebook = copy.deepcopy(SOURCE)
    test = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-1")
    hidden = [line for line in test.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
              .splitlines() if line.strip()]
    # IPython's traceback: the cell's lines around the failing one, coloured
    context = [f"\x1b[0;32m      {n}\x1b[0m \x1b[38;5;241m{line}\x1b[39m" for n, line in
               enumerate(test.source.splitlines(), 1)]
    test.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'create_queue' is not defined",
                                           traceback=["\x1b[0;31mNameError\x1b[0m  Traceback", *context,
                                                      "NameError: name 'create_queue' is not defined"])]
    answer = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-9-answer")
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text=test.source + "\nmy own line\n"),
                      nbformat.v4.new_output("display_data", data={"text/html": f"<pre>{hidden[0]}</pre>",
                                                                   "text/plain": "\n".join(hidden)})]
    return notebook, hidden


def test_feedback_shows_the_lesson_of_a_failed_test_never_its_hidden_lines():
    notebook, hidden = _graded_with_errors()
    for step in (LessonOnlyErrors(), RedactHiddenTests()):
        notebook, _ = step(notebook, {})  # as nbconvert calls a step
    test = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sqs-1")
    assert test.outputs[0].traceback == ["NameError: name 'create_queue' is not defined"]
    outputs = nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(outputs=c.outputs) for c in notebook.cells if c.cell_type == "code"]))
    for line in hidden:
        assert line.strip() not in outputs
    assert "my own line" in outputs and REDACTED in outputs  # the learner's own output stays


def test_the_course_config_puts_the_feedback_steps_in_order():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    steps = [s if isinstance(s, str) else f"{s.__module__}.{s.__name__}" for s in config.GenerateFeedback.preprocessors]
    assert steps.index("instructor.autograde.feedback.LessonOnlyErrors") < \
        steps.index("instructor.autograde.feedback.RedactHiddenTests") < \
        steps.index("nbgrader.preprocessors.ClearHiddenTests")
    assert callable(config.GenerateFeedback.post_convert_hook)


def test_a_feedback_folder_keeps_only_the_notebooks_html(tmp_path):
    autograded = tmp_path / "autograded" / "alice" / A
    feedback = tmp_path / "feedback" / "alice" / A
    autograded.mkdir(parents=True)
    feedback.mkdir(parents=True)
    (autograded / f"{A}.ipynb").write_text("{}")
    for name in (f"{A}.html", "In-dump.txt"):
        (feedback / name).write_text(name)
    (feedback / "gradebook-copy.db").symlink_to(tmp_path / "nowhere")
    (feedback / "more").mkdir()
    notebook_html_only(tmp_path / "autograded", tmp_path / "feedback")(notebooks=[str(autograded / f"{A}.ipynb")])
    assert [p.name for p in feedback.iterdir()] == [f"{A}.html"]


# ---------------------------------------------------------------- 5. one student's failure is that student's


def test_an_unreadable_gradebook_fails_its_students_without_raising(tmp_path, monkeypatch):
    import sys

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    broken = tmp_path / "part.db"
    broken.write_bytes(b"not a database" * 100)
    target = tmp_path / "gradebook.db"
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{target}", "aws-messaging"):
        pass
    merged = merge_grades(f"sqlite:///{broken}", f"sqlite:///{target}", "aws-messaging", A, ["alice", "bob"])
    assert merged.students == [] and set(merged.failed) == {"alice", "bob"}


@pytest.mark.parametrize("step", ["instructor.autograde.error_cap.CapErrorOutputs",
                                  "instructor.autograde.feedback.LessonOnlyErrors",
                                  "instructor.autograde.feedback.RedactHiddenTests"])
def test_each_course_step_runs_when_nbgrader_registers_it(step):
    """nbgrader registers a converter's steps as nbconvert's ``register_preprocessor(step)``, which
    leaves a step off unless it is on by default: off, a 20 MB exception went whole into feedback."""
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter()
    exporter.register_preprocessor(step)
    assert exporter._preprocessors[-1].enabled  # noqa: SLF001 - what nbconvert's __call__ checks
