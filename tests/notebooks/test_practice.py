"""Modules 01-06 end with a practice quiz, and 00 has the course map and the progress view (no kernel)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from course.progress import MODULES
from course.quiz.bank import TOPICS, load

ROOT = Path(__file__).resolve().parents[2]
PRACTISED = [m for m in MODULES if m.id[:2] in {"01", "02", "03", "04", "05", "06"}]
SAA_DOMAINS = ("Design Secure Architectures", "Design Resilient Architectures", "Design High-Performing Architectures",
               "Design Cost-Optimized Architectures")
DVA_DOMAINS = ("Development with AWS Services", "Security", "Deployment", "Troubleshooting and Optimization")


def cells(folder: str, module_id: str) -> list[dict]:
    return json.loads((ROOT / folder / module_id / f"{module_id}.ipynb").read_text())["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def widget_call(source: str) -> ast.Call:
    """The ``quiz.widget(...)`` call of a cell (its last expression)."""
    last = ast.parse(source).body[-1]
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), "the widget must be the cell's value"
    call = last.value
    assert ast.unparse(call.func) == "quiz.widget"
    return call


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
@pytest.mark.parametrize("module", PRACTISED, ids=lambda m: m.id)
def test_module_ends_with_a_practice_quiz_on_its_topic(folder, module):
    """The last cell is a locked, ungraded quiz cell on the module's topic with 5-10 questions the bank has;
    before it, the Practice section names both exams' domains and its source; before that, the summary."""
    *rest, practice_md, quiz_cell = cells(folder, module.id)
    meta = quiz_cell["metadata"]["nbgrader"]
    assert quiz_cell["cell_type"] == "code" and meta["locked"] and not meta["grade"] and not meta["solution"]
    assert quiz_cell["id"] == meta["grade_id"] and quiz_cell["id"].endswith("-practice")
    keywords = {k.arg: ast.literal_eval(k.value) for k in widget_call(text(quiz_cell)).keywords}
    assert keywords["topic"] == module.topics[0] and keywords["topic"] in TOPICS
    assert 5 <= keywords["n"] <= 10
    assert sum(q.topic == keywords["topic"] for q in load()) >= keywords["n"], "the bank is too small for this quiz"
    lesson = text(practice_md)
    assert lesson.startswith("## Practice") and "**How this appears on the exam.**" in lesson
    assert any(domain in lesson for domain in SAA_DOMAINS) and any(domain in lesson for domain in DVA_DOMAINS)
    assert "exam guide" in lesson and "Source:" in lesson
    assert text(rest[-1]).startswith("## What you"), "the summary stays last before the practice"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_start_here_has_the_course_map_grading_and_the_progress_view(folder):
    """00 maps every module (time, SAA-C03 and DVA-C02 domains), explains grading, shows progress."""
    by_id = {cell["id"]: text(cell) for cell in cells(folder, "00_start_here")}
    course_map = by_id["start-map-md"]
    for module in MODULES:
        row = next(line for line in course_map.splitlines() if line.startswith(f"| {module.id[:2]} · "))
        assert "min" in row or " h " in row, f"no time for {module.id}"
    for domain in SAA_DOMAINS + DVA_DOMAINS:
        assert domain in course_map
    assert "SAA-C03" in course_map and "DVA-C02" in course_map and "Source:" in course_map
    grading = by_id["start-grading-md"]
    assert "hidden tests" in grading and "necessary but not sufficient" in grading
    assert "Requirement: <exercise>/<slug>" in grading
    assert "progress.widget()" in by_id["start-progress"]
    ids = list(by_id)
    assert ids.index("start-map-md") < ids.index("start-1") < ids.index("start-progress") < ids.index("start-summary")
