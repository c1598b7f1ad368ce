"""The progress view in JupyterLab: ``00_start_here`` renders it from the learner's saved notebooks.

Same server, browser and helpers as ``test_lab.py`` (a module of its own, so its course copy can
hold a saved notebook without changing what the other browser tests see). Skipped with the same
reason when Chromium or playwright is missing.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.test_lab import (  # noqa: F401 - fixtures are used by name
    VISIBLE,
    _cell_output,
    _open_notebook,
    _run_all,
    _screenshot,
    browser,
    lab,
    page,
    playwright_api,
)

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]


@pytest.fixture(scope="module")
def saved_sqs(lab):
    """01 as a learner saved it: sqs-1's check passed, sqs-2's failed with its lesson."""
    path = lab["root"] / "notebooks" / "01_sqs_queues" / "01_sqs_queues.ipynb"
    nb = json.loads(path.read_text())
    outputs = {
        "sqs-1": [{"output_type": "stream", "name": "stdout", "text": ["\u2714 [sqs-1] retention works\n"]}],
        "sqs-2": [{"output_type": "error", "ename": "CheckFailed", "traceback": [],
                   "evalue": "[sqs-2] the queue is missing.\nRequirement: sqs-2/queue-exists"}],
    }
    for cell in nb["cells"]:
        if cell.get("id") in outputs:
            cell["outputs"], cell["execution_count"] = outputs[cell["id"]], 1
    path.write_text(json.dumps(nb, indent=1))
    return path


def test_start_here_shows_the_progress_view(page, lab, saved_sqs):
    """Run 00: the progress widget renders with each module's checks as saved, and the next step."""
    _open_notebook(page, lab, "notebooks/00_start_here/00_start_here.ipynb")
    _run_all(page)
    view = page.locator(f"{VISIBLE} .jupyter-widgets .course-progress").first
    playwright_api.expect(view).to_be_visible()
    playwright_api.expect(view).to_contain_text("Next:")
    playwright_api.expect(view.locator(".course-progress-passed", has_text="sqs-1")).to_be_visible()
    failed = view.locator(".course-progress-failed", has_text="sqs-2")
    playwright_api.expect(failed).to_have_attribute("title", "failed: [sqs-2] the queue is missing. "
                                                              "(Requirement: sqs-2/queue-exists)")
    playwright_api.expect(page.locator(f"{VISIBLE} .course-progress-view button", has_text="refresh")).to_be_visible()
    assert page.get_by_text("Error displaying widget").count() == 0
    # Lab shows error outputs with the stderr mime type too (the unanswered start-1 has one): only
    # the progress cell is asked to be clean
    assert _cell_output(page, "progress.widget()").locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    view.scroll_into_view_if_needed()
    _screenshot(page, "00_start_here-progress")
