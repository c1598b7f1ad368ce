"""The browser-only course: the JupyterLite site (``make lite``) in headless Chromium, offline.

The built site is served from 127.0.0.1 by a static file server; Chromium resolves no other host,
and every request to anything but that server is refused and recorded, so the test fails if the
site (or the Pyodide kernel in its worker) reaches for a CDN or PyPI. One page serves both
notebooks, one after the other (the second reuses the browser's cache of the site's files):

* ``00_start_here``: the learner types the answer; Run All shows the check's pass message.
* ``01_sqs_queues``: the release with the solution notebook's answer in every answer cell (as a
  learner who solved them would have it; the page receives it in place of the site's copy), Run
  All top to bottom: every check prints its pass line, no cell shows an error, the timeline widget
  renders.

Screenshots land in ``test-output/browser/``. The site is built once per state of its inputs into
``.cache/lite/site-<key>`` (:func:`instructor.lite.cache.cached_site`; a few minutes on a fresh
machine, then reused). Building needs npm (for the Pyodide core) and PyPI; without npm the test is
skipped with a reason that ``pytest -ra`` prints.
"""

from __future__ import annotations

import re
import shutil
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from instructor.lite import DEFAULT_CACHE
from instructor.lite.cache import cached_site
from tests.browser.notebook_page import (CHROMIUM, ROOT, VISIBLE, cell_output, free_port, local_server, run_all,
                                         screenshot)
from tests.browser.notebook_page import CHROMIUM_ARGS as BROWSER_ARGS
from tests.notebooks.conftest import submission

CHROMIUM_ARGS = [
    *BROWSER_ARGS,
    # a second wall behind the request log: no host name but the loopback address resolves
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SQS = "01_sqs_queues"

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="BROWSER TESTS SKIPPED: the playwright package is not installed (pip install -e '.[test]')",
)
if not Path(CHROMIUM).exists():
    pytest.skip("BROWSER TESTS SKIPPED: Chromium is not installed. Install Debian's package "
                "(`apt-get install chromium`; .ci/run does this in CI) to run them.", allow_module_level=True)


@pytest.fixture(scope="module")
def site() -> Path:
    """The site built from the working tree (cached under ``.cache/lite/`` by its inputs)."""
    if shutil.which("npm") is None and not any((ROOT / DEFAULT_CACHE).glob("pyodide-*/pyodide.mjs")):
        pytest.skip("LITE BROWSER TEST SKIPPED: building the site needs npm for the Pyodide core "
                    "(`apt-get install npm`; .ci/run does this in CI)")
    return cached_site(ROOT, DEFAULT_CACHE)


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    """A static file server for the site on a free loopback port, stopped by its PID."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with local_server(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site), str(port)],
        f"{base}/jupyter-lite.json", tmp_path_factory.mktemp("lite") / "http.log", what="the static file server",
        tries=120,
    ):
        yield base


def solved_sqs() -> bytes:
    """The 01 release with the solution notebook's answer in every answer cell."""
    release = nbformat.read(ROOT / "notebooks" / SQS / f"{SQS}.ipynb", as_version=4)
    source = nbformat.read(ROOT / "solutions" / SQS / f"{SQS}.ipynb", as_version=4)
    return nbformat.writes(submission(release, source, None, "solution")).encode()


@pytest.fixture(scope="module")
def offline_page(server):
    """One page for the module that may only reach the site's server; ``page.outside`` lists what
    it tried besides. The 01 notebook it receives carries the solution's answers."""
    outside: list[str] = []
    solved = solved_sqs()

    def only_loopback(route):
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.hostname == "127.0.0.1" and parts.path == f"/files/{SQS}/{SQS}.ipynb":
            route.fulfill(status=200, body=solved, content_type="application/json")
        elif parts.hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        playwright_api.expect.set_options(timeout=120_000)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", only_loopback)
        context.on("request", lambda request: None if request.url.startswith(
            (server, "data:", "blob:")) or request.url in outside else outside.append(request.url))
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.outside = outside
        yield page
        context.close()
        browser.close()


def _open(page, server: str, notebook: str) -> None:
    # an empty workspace first: JupyterLab would otherwise restore the previous notebook's tab and start
    # its kernel too (?reset clears the workspace but drops ?path, hence two visits)
    page.goto(f"{server}/lab/index.html?reset")
    page.locator(".jp-DirListing-content").first.wait_for()
    page.goto(f"{server}/lab/index.html?path={notebook}/{notebook}.ipynb")
    page.locator(f"{VISIBLE} .jp-Notebook").first.wait_for()
    # the kernel is ready once Pyodide has loaded every package of the site
    playwright_api.expect(page.locator(".jp-StatusBar-Widget", has_text="Idle").first).to_be_visible(timeout=240_000)


def _answer(page, marker: str, code: str) -> None:
    cell = page.locator(f"{VISIBLE} .jp-CodeCell", has=page.locator(".jp-InputArea", has_text=marker)).first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)


def _run_all(page) -> None:
    run_all(page, timeout_ms=300_000, name="lite-run-all-timeout")


_output = cell_output
_screenshot = screenshot


def _no_errors(page) -> None:
    errors = page.locator(f"{VISIBLE} [data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    assert page.get_by_text("Error displaying widget").count() == 0


def test_start_here_runs_in_the_browser_and_a_correct_answer_passes(offline_page, server):
    """00 in JupyterLite: the setup cell works as in JupyterLab; an answered check passes."""
    page = offline_page
    _open(page, server, "00_start_here")
    _answer(page, "YOUR CODE HERE", 'def create_first_queue(sqs): return sqs.create_queue(QueueName="hello")["QueueUrl"]')
    _run_all(page)
    output = _output(page, "check.first_queue")
    playwright_api.expect(output).to_contain_text("your first queue works")
    _no_errors(page)
    output.scroll_into_view_if_needed()
    _screenshot(page, "lite-00_start_here-pass")
    assert page.outside == []


def _checks(notebook: Path) -> list[str]:
    """The grade ids of the notebook's graded (check) cells, in order."""
    cells = nbformat.read(notebook, as_version=4).cells
    return [c.metadata["nbgrader"]["grade_id"] for c in cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def test_sqs_runs_top_to_bottom_in_the_browser_every_check_passes_and_the_timeline_renders(offline_page, server):
    """01 in JupyterLite with every exercise answered: Run All reaches the last cell, each check
    prints its pass line, no cell shows an error, the timeline widget renders, and nothing is
    fetched from outside 127.0.0.1."""
    page = offline_page
    checks = _checks(ROOT / "notebooks" / SQS / f"{SQS}.ipynb")
    assert len(checks) >= 9
    _open(page, server, SQS)
    _run_all(page)
    shown = page.locator(f"{VISIBLE} .jp-OutputArea").all_inner_texts()
    passed = sorted({m for text in shown for m in re.findall(r"\u2714 \[([\w-]+)\]", text)})
    assert passed == sorted(checks), f"pass lines for {passed}, checks {checks}"
    _no_errors(page)
    timeline = page.locator(".jupyter-widgets.widget-html", has_text="Queue demo-timeline")
    playwright_api.expect(timeline.first).to_be_visible()
    timeline.first.scroll_into_view_if_needed()
    _screenshot(page, "lite-01_sqs_queues-timeline")
    passed_output = _output(page, "check.large_payloads")
    passed_output.scroll_into_view_if_needed()
    _screenshot(page, "lite-01_sqs_queues-pass")
    assert page.outside == []
