"""The course in a real browser: JupyterLab in headless Chromium, driven by Playwright.

What only a browser shows: the notebooks open and run in JupyterLab, a check cell shows its pass
message or its lesson (not a traceback), the timeline widget renders, and nbgrader's instructor
pages load. Screenshots land in ``test-output/browser/``.

Needs Debian's ``chromium`` (``.ci/run`` installs it in CI) and the ``playwright`` package, driven
against ``/usr/bin/chromium`` - no browser download. Without them the tests are skipped with a
reason that ``pytest -ra`` prints.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys

import pytest

from tests.browser.notebook_page import (CHROMIUM, CHROMIUM_ARGS, ROOT, VISIBLE, cell_output, free_port,
                                         local_server, screenshot)
from tests.browser.notebook_page import run_all as _run_all_cells

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="BROWSER TESTS SKIPPED: the playwright package is not installed (pip install -e '.[test]')",
)
if not os.path.exists(CHROMIUM):
    pytest.skip(
        "BROWSER TESTS SKIPPED: Chromium is not installed. Install Debian's package "
        "(`apt-get install chromium`; .ci/run does this in CI) to run them.",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a throw-away copy of the course, on a free loopback port."""
    course_root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", course_root / "notebooks")
    shutil.copy(ROOT / "nbgrader_config.py", course_root / "nbgrader_config.py")
    (course_root / "exchange").mkdir()
    (course_root / "nbgrader_config.py").open("a").write(
        f"\nc.Exchange.root = {str(course_root / 'exchange')!r}\n"
    )
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "settings"
    for name, value in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "HOME": str(home),
    }
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    # cwd must be the course root: nbgrader reads nbgrader_config.py from the server's cwd
    with local_server(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         f"--ServerApp.root_dir={course_root}"],
        f"{base}/api/status?token={token}", home / "lab.log", what="jupyter lab", cwd=course_root, env=env,
    ):
        yield {"base": base, "token": token, "root": course_root}


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        playwright_api.expect.set_options(timeout=90_000)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(90_000)
    yield page
    context.close()


def _open_notebook(page, lab, path: str) -> None:
    page.goto(f"{lab['base']}/lab/tree/{path}?reset&token={lab['token']}")  # reset: no old tabs
    page.locator(".jp-Notebook").first.wait_for()
    playwright_api.expect(page.locator(".jp-StatusBar-Widget", has_text="Idle").first).to_be_visible()


def _run_all(page) -> None:
    _run_all_cells(page, timeout_ms=180_000, name="run-all-timeout")
    playwright_api.expect(page.locator(".jp-StatusBar-Widget", has_text="Idle").first).to_be_visible()


_cell_output = cell_output
_screenshot = screenshot


def test_start_here_runs_and_a_correct_answer_shows_the_pass_message(page, lab):
    """Open 00, answer the exercise in the browser, run all: the check shows its pass message."""
    _open_notebook(page, lab, "notebooks/00_start_here/00_start_here.ipynb")
    answer = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text="YOUR CODE HERE")).first
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type('def create_first_queue(sqs): return sqs.create_queue(QueueName="hello")["QueueUrl"]')
    _run_all(page)
    output = _cell_output(page, "check.first_queue")
    playwright_api.expect(output).to_contain_text("your first queue works")
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    output.scroll_into_view_if_needed()
    _screenshot(page, "00_start_here-pass")


def test_sqs_release_shows_lessons_not_tracebacks_and_the_timeline_widget(page, lab):
    """Run the unedited 01 release: checks fail with their lesson (no traceback); widgets render."""
    _open_notebook(page, lab, "notebooks/01_sqs_queues/01_sqs_queues.ipynb")
    _run_all(page)
    output = _cell_output(page, "check.queue_with_retention")
    playwright_api.expect(output).to_contain_text("Check failed")
    playwright_api.expect(output).to_contain_text("not answered yet")
    assert "Traceback" not in output.inner_text()
    timeline = page.locator(".jupyter-widgets.widget-html", has_text="Queue demo-timeline")
    playwright_api.expect(timeline.first).to_be_visible()
    assert page.get_by_text("Error displaying widget").count() == 0
    timeline.first.scroll_into_view_if_needed()
    _screenshot(page, "01_sqs_queues-timeline")
    output.scroll_into_view_if_needed()
    _screenshot(page, "01_sqs_queues-lesson")


def test_nbgrader_instructor_pages_load(page, lab):
    """formgrader shows its assignment manager; Lab has the Nbgrader menu."""
    page.goto(f"{lab['base']}/formgrader?token={lab['token']}")
    playwright_api.expect(page.get_by_text("Manage Assignments").first).to_be_visible()
    _screenshot(page, "formgrader")
    page.goto(f"{lab['base']}/lab?token={lab['token']}")
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    playwright_api.expect(page.get_by_text("Released assignments").first).to_be_visible()
    _screenshot(page, "assignment-list")


@pytest.mark.parametrize(("notebook", "view_class"), [
    ("03_sns_fanout", "course-fanout"),
    ("04_eventbridge_routing", "course-pattern-verdict"),
    ("05_kinesis_streams", "course-shard-map"),
])
def test_module_views_render(page, lab, notebook, view_class):
    """Each module's view renders as a widget in JupyterLab (not 'Error displaying widget')."""
    _open_notebook(page, lab, f"notebooks/{notebook}/{notebook}.ipynb")
    _run_all(page)
    view = page.locator(f"{VISIBLE} .jupyter-widgets .{view_class}").first
    playwright_api.expect(view).to_be_visible()
    assert page.get_by_text("Error displaying widget").count() == 0
    view.scroll_into_view_if_needed()
    _screenshot(page, f"{notebook}-view")
