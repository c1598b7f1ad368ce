"""The insight page in a real browser: opened from file://, its charts render, nothing is fetched.

Builds the page of a made-up class of 24 (hand-made records, no nbgrader run), opens it in
headless Chromium (Debian's, driven by Playwright; see tests/browser/test_lab.py) and checks both
charts decoded to real images and that the page asked for nothing but itself. The screenshot lands
in ``test-output/browser/insight-report.png``; ``docs/images/insight-report.png`` is a copy of it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from instructor.autograde.intake import Flag
from instructor.autograde.report import Row
from instructor.insight.aggregate import assignment_insight, topic_insight
from instructor.insight.page import render_page
from instructor.insight.record import CellResult

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="BROWSER TESTS SKIPPED: the playwright package is not installed (pip install -e '.[test]')",
)
if not os.path.exists(CHROMIUM):
    pytest.skip("BROWSER TESTS SKIPPED: Chromium is not installed. Install Debian's package "
                "(`apt-get install chromium`; .ci/run does this in CI) to run them.", allow_module_level=True)

A = "01_sqs_queues"
POINTS = {"sqs-1": 1, "sqs-2": 2, "sqs-3": 2, "sqs-4": 2, "sqs-5": 1, "sqs-6": 2, "sqs-7": 1, "sqs-8": 1, "sqs-9": 2}
#: exercise -> (students of 24 who fail it, requirement, lesson)
MISTAKES = {
    "sqs-1": (4, "sqs-1/retention-in-seconds", "the queue keeps messages for 7 hours, but it must keep them for 7 days."),
    "sqs-2": (9, "sqs-2/idempotent-by-order", "customers were charged more than once."),
    "sqs-3": (10, "sqs-3/visibility-below-6x", "the visibility timeout equals the function timeout, not six times it."),
    "sqs-4": (6, "sqs-4/dlq-retention", "the DLQ keeps messages no longer than the source queue."),
    "sqs-5": (3, "sqs-5/long-polling", "the queue still uses short polling."),
    "sqs-6": (12, "sqs-6/batch-failed-entries", "some messages never arrived: SendMessageBatch answers HTTP 200 "
                                                "with a Failed list."),
    "sqs-7": (5, "sqs-7/delete-after-receive", "messages came back after their visibility timeout."),
    "sqs-8": (7, "sqs-8/message-timer", "every message on the queue is delayed, not just this one."),
    "sqs-9": (8, "sqs-9/s3-pointer", "AWS refused a message over 1 MiB."),
}


def made_up_class() -> tuple[list[CellResult], list[Row]]:
    students = [f"student{n:02d}" for n in range(24)]
    records = []
    for offset, (grade_id, points) in enumerate(POINTS.items()):
        failing, requirement, lesson = MISTAKES[grade_id]
        wrong = {students[(offset * 5 + k) % 24] for k in range(failing)}
        records += [CellResult(s, A, grade_id, 0 if s in wrong else points, points,
                               requirement if s in wrong else "", lesson if s in wrong else "") for s in students]
    totals = {s: sum(r.points for r in records if r.student == s) for s in students}
    rows = [Row(s, A, totals[s], 14) for s in students]
    rows[3].flags = [Flag("timeout", "cell 'sqs-5' ran over 30 s")]
    rows[17].flags = [Flag("tampered-metadata", "sqs-2's points: restored from the release")]
    rows.append(Row("student24", A, None, None, [Flag("invalid-json", "not valid notebook JSON", fatal=True)]))
    return records, rows


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_page_renders_its_charts_offline(browser, tmp_path):
    """Both charts decode to images, the tables show, and no request leaves the file."""
    records, rows = made_up_class()
    path = tmp_path / f"{A}-insight.html"
    path.write_text(render_page(assignment_insight(A, records, rows), topic_insight(records)), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, offline=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    sizes = page.eval_on_selector_all(
        "img.chart", "images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(sizes) == 2 and all(done and width > 300 and height > 100 for done, width, height in sizes), sizes
    playwright_api.expect(page.locator("table.exercises")).to_contain_text("sqs-3/visibility-below-6x")
    playwright_api.expect(page.locator("ol.review li").first).to_contain_text("student17 (tampered-metadata)")
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "insight-report.png"), full_page=True)
    context.close()
