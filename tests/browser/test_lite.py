"""The browser-only course: the JupyterLite site (``make lite``) in headless Chromium, offline.

The built site is served from 127.0.0.1 by a static file server; Chromium resolves no other host,
and every request to anything but that server is refused and recorded, so the test fails if the
site (or the Pyodide kernel in its worker) reaches for a CDN or PyPI. ``00_start_here`` and
``01_sqs_queues`` run top to bottom: an answered exercise shows its pass message, unanswered ones
their lesson (no traceback), and the timeline widget renders. Screenshots land in
``test-output/browser/``.

The site is built once into ``dist/lite/`` (``make lite``; the build caches the Pyodide core and
its tools in ``.cache/lite/``): the test builds it if it is missing or older than the notebooks or
the course's code. Building needs npm (for the Pyodide core) and PyPI; without npm the test is
skipped with a reason that ``pytest -ra`` prints.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from instructor.lite import DEFAULT_CACHE, DEFAULT_OUTPUT, build

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / DEFAULT_OUTPUT
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
    # a second wall behind the request log: no host name but the loopback address resolves
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VISIBLE = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: the sources the site is built from: a newer one means the site is stale
SOURCES = [ROOT / "notebooks", ROOT / "course", ROOT / "graders", ROOT / "instructor" / "lite"]

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="BROWSER TESTS SKIPPED: the playwright package is not installed (pip install -e '.[test]')",
)
if not Path(CHROMIUM).exists():
    pytest.skip("BROWSER TESTS SKIPPED: Chromium is not installed. Install Debian's package "
                "(`apt-get install chromium`; .ci/run does this in CI) to run them.", allow_module_level=True)


def _newest(paths: list[Path]) -> float:
    return max(p.stat().st_mtime for folder in paths for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def site() -> Path:
    """The built site, (re)built if missing or older than its sources."""
    stamp = SITE / "jupyter-lite.json"
    if not stamp.exists() or stamp.stat().st_mtime < _newest(SOURCES):
        if shutil.which("npm") is None:
            pytest.skip("LITE BROWSER TEST SKIPPED: building the site needs npm for the Pyodide core "
                        "(`apt-get install npm`; .ci/run does this in CI), and dist/lite/ is not built")
        build(ROOT, DEFAULT_OUTPUT, DEFAULT_CACHE)
    return SITE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    """A static file server for the site on a free loopback port, stopped by its PID."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("lite") / "http.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site), str(port)],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if process.poll() is not None:
                raise RuntimeError("the static file server exited")
            try:
                urllib.request.urlopen(f"{base}/jupyter-lite.json", timeout=1)
                break
            except OSError:
                time.sleep(0.25)  # waiting for a local server to start
        else:
            raise RuntimeError("the static file server did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        playwright_api.expect.set_options(timeout=120_000)
        yield browser
        browser.close()


@pytest.fixture
def offline_page(browser, server):
    """A page that may only reach the site's server; ``page.outside`` lists what it tried besides."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def only_loopback(route):
        url = route.request.url
        if urllib.parse.urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    context.on("request", lambda request: None if request.url.startswith(
        (server, "data:", "blob:")) or request.url in outside else outside.append(request.url))
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.outside = outside
    yield page
    context.close()


def _open(page, server: str, notebook: str) -> None:
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
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=300_000,
        )
    except playwright_api.Error:
        _screenshot(page, "lite-run-all-timeout")
        prompts = page.locator(f"{VISIBLE} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        raise AssertionError(f"Run All did not finish; prompts: {prompts}") from None


def _output(page, source_text: str):
    cell = page.locator(f"{VISIBLE} .jp-CodeCell", has=page.locator(".jp-InputArea", has_text=source_text)).first
    return cell.locator(".jp-OutputArea")


def _screenshot(page, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


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


@pytest.mark.xfail(strict=True, reason=(
    "measured: in JupyterLite, Run All stops after the first cell that ends in an error output (the "
    "unanswered sqs-2 check, code cell 7); in JupyterLab it runs on. Open: run the cells one by one, "
    "or find the setting (docs/lite.md)"))
def test_sqs_runs_in_the_browser_with_checks_lessons_and_the_timeline(offline_page, server):
    """01 in JupyterLite: an answered check passes, unanswered ones teach (no traceback), the
    timeline widget renders, and nothing is fetched from outside 127.0.0.1."""
    page = offline_page
    _open(page, server, "01_sqs_queues")
    _answer(page, "def create_queue_with_retention", (
        "def create_queue_with_retention(sqs, name, retention_days): return sqs.create_queue("
        "QueueName=name, Attributes={'MessageRetentionPeriod': str(retention_days * 86400)})['QueueUrl']"))
    _run_all(page)
    passed = _output(page, "check.queue_with_retention")
    playwright_api.expect(passed).to_contain_text("[sqs-1]")
    assert "Check failed" not in passed.inner_text()
    lesson = _output(page, "check.idempotent_consumer")
    playwright_api.expect(lesson).to_contain_text("not answered yet")
    assert "Traceback" not in lesson.inner_text()
    timeline = page.locator(".jupyter-widgets.widget-html", has_text="Queue demo-timeline")
    playwright_api.expect(timeline.first).to_be_visible()
    assert page.get_by_text("Error displaying widget").count() == 0
    timeline.first.scroll_into_view_if_needed()
    _screenshot(page, "lite-01_sqs_queues-timeline")
    passed.scroll_into_view_if_needed()
    _screenshot(page, "lite-01_sqs_queues-pass")
    assert page.outside == []
