"""Shared by the browser suites: Debian's Chromium, and a `streamlit run app.py` server's life cycle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.servers import free_port, require_binary

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> Path:
    """Debian's Chromium and Playwright's Python API; a skip outside CI when missing, a failure in CI."""
    path = Path(require_binary("chromium", "chromium"))
    pytest.importorskip("playwright.sync_api")
    return path


def is_healthy(url: str) -> bool:
    """True when the Streamlit server at url answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout_s: float) -> None:
    """Return once the server answers; fail with the end of its log if it exits or never answers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if is_healthy(url):
            return
        time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {timeout_s:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def upload(tab: object, path: Path) -> None:
    """Put a file in the page's file uploader and wait until the uploader lists it (so a click that
    follows sends this file, not the one before)."""
    tab.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(str(path))
    tab.locator(f'[data-testid="stFileChipName"][title="{path.name}"]').wait_for()  # its text may be shortened


# Resolves once the page's DOM has not changed for `quiet` ms (or after `most` ms whatever happens).
_STILL_JS = """([quiet, most]) => new Promise(resolve => {
    let timer;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
    function done() { observer.disconnect(); resolve(true); }
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(done, quiet);
    setTimeout(done, most);
})"""


def wait_until_still(tab: object, quiet_ms: int = 300, most_ms: int = 5_000) -> None:
    """Wait until the page stops changing (charts redrawn after a resize, say): quiet_ms without a change."""
    tab.evaluate(_STILL_JS, [quiet_ms, most_ms])


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server's whole process group (its sandbox workers too): politely, then by force."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def start_streamlit(
    env: dict[str, str], log: Path, extra_args: tuple[str, ...] = (), port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free local port (or the one given), in a session of its own; its process and URL."""
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               # The tree may be edited while tests run: watching it only costs CPU and reruns nothing here.
               "--server.fileWatcherType", "none", *extra_args]
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def open_new_learner(tab: object, server: str) -> str:
    """Open the bare address in this browser: the page gives it a fresh learner id of its own; return that id."""
    tab.goto(server)
    tab.wait_for_url("**u=*")
    tab.get_by_role("button", name="Submit").wait_for()
    return parse_qs(urlsplit(tab.url).query)["u"][0]


@contextmanager
def chromium_browser(executable: Path) -> Iterator[object]:
    """One Chromium driven by Playwright with the project's flags, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
