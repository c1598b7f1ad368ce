"""What the browser tests share: Chromium's location and flags, and a notebook page's steps.

JupyterLab (``test_lab.py``, ``test_progress.py``) and JupyterLite (``test_lite.py``) show a
notebook with the same DOM, so opening the Run menu, waiting for every cell, finding a cell's
output and taking a screenshot are written once here. Import it after the test module has skipped
itself when playwright or Chromium is missing.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
#: the notebook panel on screen (other open tabs stay in the DOM, hidden)
VISIBLE = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# every code cell has run when no prompt shows [*] or [ ] any more
_ALL_RUN = """() => {
    const prompts = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a server the test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_server(command: list[str], ready_url: str, log: Path, *, what: str, tries: int = 240,
                 **popen: object) -> Iterator[subprocess.Popen]:
    """Run a server on 127.0.0.1 for the block: wait until ``ready_url`` answers, stop it by its PID after."""
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **popen)  # type: ignore[call-overload]
        try:
            for _ in range(tries):  # a quarter second each: up to a minute on a busy 2-core machine
                if process.poll() is not None:
                    raise RuntimeError(f"{what} exited: {log.read_text()[-2000:]}")
                try:
                    urllib.request.urlopen(ready_url, timeout=1)
                    break
                except OSError:
                    time.sleep(0.25)  # waiting for a local server to start, not for AWS behaviour
            else:
                raise RuntimeError(f"{what} did not start")
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def screenshot(page, name: str) -> None:
    """Save what the page shows as ``test-output/browser/<name>.png``."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=False)


def run_all(page, *, timeout_ms: int, name: str) -> None:
    """Run > Run All Cells, then wait until every code cell has run (a screenshot ``name`` if not)."""
    from playwright.sync_api import Error

    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(_ALL_RUN, timeout=timeout_ms)
    except Error:
        screenshot(page, name)
        prompts = page.locator(f"{VISIBLE} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        raise AssertionError(f"Run All did not finish; prompts: {prompts}") from None


def cell_output(page, source_text: str):
    """The output area of the visible notebook's code cell whose source contains ``source_text``."""
    cell = page.locator(f"{VISIBLE} .jp-CodeCell", has=page.locator(".jp-InputArea", has_text=source_text)).first
    return cell.locator(".jp-OutputArea")
