"""A real page server against what anonymous visitors can send: a raw websocket client and Debian's Chromium.

Each test is an attack from the issue "Safe to put on the public internet" and checks that it does not
hurt another learner. The figures each one measured are printed (run with -s to see them).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.browser import (
    chromium_browser,
    open_new_learner,
    require_chromium,
    start_streamlit,
    stop_server,
    upload,
    wait_until_healthy,
)
from tests.web.test_signin import open_first_submission

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "solutions" / "module_basics_forward.py").read_text(encoding="utf-8")
ENDLESS = "def module_basics_forward(seed, x, features):\n    while True:\n        pass\n"
STEP_MS = 60_000


@pytest.fixture(scope="module")
def chromium() -> Path:
    return require_chromium()


@pytest.fixture(scope="module")
def served(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """`streamlit run app.py` with its own data folder: its URL, its process id and the data folder."""
    data = tmp_path_factory.mktemp("public-data")
    log = data / "streamlit.log"
    env = {**os.environ, "PLAYGROUND_DATA_DIR": str(data), "PLAYGROUND_WORKERS": "2"}
    process, url = start_streamlit(env, log)
    try:
        wait_until_healthy(url, process, log, 120)
        yield url, process.pid, data
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    with chromium_browser(chromium) as launched:
        yield launched


@pytest.fixture()
def visitor(browser: object) -> Iterator[object]:
    """A tab in a browser profile of its own (its own cookie: another visitor), offline but for the server."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    tab = context.new_page()
    tab.set_default_timeout(STEP_MS)
    try:
        yield tab
    finally:
        context.close()


def zygote_pid(server_pid: int) -> int | None:
    """The judge's zygote: the server's child running playground.sandbox.zygote."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"playground.sandbox.zygote" in command and parent == server_pid:
            return int(entry.name)
    return None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def back_message(url: str, payload: bytes) -> bool:
    """Send one raw message on a websocket with no Origin header, like a script would; True if it was taken."""
    from websockets.sync.client import connect

    with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                 open_timeout=10, max_size=None) as socket:
        socket.send(payload)
        try:
            socket.recv(timeout=1.0)
        except TimeoutError:
            pass
        except Exception:  # noqa: BLE001 - the server closed it: the message was refused
            return False
    return True


def paste(field: object, text: str) -> None:
    """Put text in a field at once, as a paste does (typing 100 KB into it key by key takes minutes), and commit it."""
    field.focus()
    field.evaluate("""(element, text) => {
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element), "value").set;
        setter.call(element, text);
        element.dispatchEvent(new Event("input", {bubbles: true}));
    }""", text)
    field.blur()


def clear_cache_message() -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.clear_cache = True
    return message.SerializeToString()


def submit_in_plain_editor(tab: object, source: str) -> float:
    """Put source in the plain editor, press Submit and wait for the verdict: seconds from click to verdict."""
    if not tab.get_by_role("textbox", name="Your code").count():
        tab.get_by_text("Plain text editor").click()
    box = tab.get_by_role("textbox", name="Your code")
    box.fill(source)
    box.blur()
    started = time.perf_counter()
    tab.get_by_role("button", name="Submit").click()
    tab.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentError"]').first.wait_for()
    return time.perf_counter() - started


def test_clear_cache_from_any_client_keeps_the_judge_and_its_zygote(served: tuple[str, int, Path], visitor: object) -> None:
    url, pid, _ = served
    open_new_learner(visitor, url)
    submit_in_plain_editor(visitor, SOLUTION)  # warm: the problem's template and workers are up
    visitor.get_by_text("Accepted", exact=False).first.wait_for()
    before = zygote_pid(pid)
    assert before is not None
    # Five clients at once (each waits a second for an answer that never comes, so one after another takes 5 s).
    with ThreadPoolExecutor(5) as pool:
        assert all(pool.map(lambda _: back_message(url, clear_cache_message()), range(5)))
    visitor.reload()
    visitor.get_by_role("button", name="Submit").wait_for()
    seconds = submit_in_plain_editor(visitor, SOLUTION + "\n# again\n")
    visitor.get_by_text("Accepted", exact=False).first.wait_for()
    print(f"\nafter 5 clear_cache messages: zygote {before} -> {zygote_pid(pid)}, correct Submit judged in {seconds:.2f} s")
    assert zygote_pid(pid) == before
    assert seconds < 5.0


def test_the_address_cannot_put_a_link_or_an_outside_image_on_the_page(served: tuple[str, int, Path], visitor: object) -> None:
    url, _, _ = served
    outside: list[str] = []
    visitor.on("request", lambda request: None if request.url.startswith("http://127.0.0.1") else outside.append(request.url))
    problem = "[Session expired, sign in again](https://evil.example/login) ![x](https://evil.example/p.png) <https://evil.example>"
    visitor.goto(f"{url}/?problem={quote(problem)}")
    visitor.get_by_text("There is no problem called", exact=False).wait_for()
    visitor.get_by_role("button", name="Submit").wait_for()
    assert visitor.locator('a[href*="evil.example"]').count() == 0
    assert visitor.locator('img[src*="evil.example"]').count() == 0
    assert "Session expired, sign in again" in visitor.get_by_text("There is no problem called", exact=False).inner_text()
    # (Streamlit itself fetches its icon font from Google; nothing may go to the address the visitor wrote.)
    assert not [request for request in outside if "evil.example" in request], outside


def hostile_history() -> dict:
    evil = "[Session expired](https://evil.example) ![p](https://evil.example/p.png) **Accepted** <b>x</b>"
    verdict = {"status": "wrong_answer", "mode": "submit", "message": evil, "hint": evil, "passed": 0, "total": 1,
               "tests": [{"name": evil[:90], "hidden": False, "passed": False, "message": evil, "input": {"x": [1.0]},
                          "expected": [1.0], "got": [2.0], "max_abs_error": 1.0}],
               "stdout": evil, "warnings": [evil]}
    row = {"problem_id": "module_basics_forward", "created_at": "9999-12-31T23:59:59+14:00", "mode": "submit",
           "status": "wrong_answer", "passed": 0, "total": 1, "elapsed_ms": 3.0, "code": "# " + evil + "\n",
           "verdict": verdict,
           "figures": [{"test_name": evil, "got": [2.0], "expected": [1.0], "learner_kernel": None,
                        "reference_kernel": None, "kernel_note": evil,
                        "panels": [{"kind": "bars", "title": evil, "learner": ["x"], "reference": [1.0], "note": evil}]}]}
    return {"format": "flax-nnx-playground-history", "version": 1, "drafts": [], "submissions": [row]}


def import_file(tab: object, path: Path) -> None:
    expander = tab.get_by_text("Your saved work")
    if not tab.get_by_role("button", name="Prepare my history for download").is_visible():
        expander.click()
    upload(tab, path)
    tab.get_by_role("button", name="Import", exact=True).click()


def test_a_hostile_import_leaves_the_page_working_and_shows_no_link(
    served: tuple[str, int, Path], visitor: object, tmp_path: Path
) -> None:
    url, _, data = served
    learner = open_new_learner(visitor, url)
    refused = hostile_history()
    refused["submissions"][0]["status"] = "accepted\n[x](https://evil.example)"
    (tmp_path / "refused.json").write_text(json.dumps(refused))
    import_file(visitor, tmp_path / "refused.json")
    visitor.get_by_text('has a missing or malformed "status"', exact=False).wait_for()

    (tmp_path / "hostile.json").write_text(json.dumps(hostile_history()))
    import_file(visitor, tmp_path / "hostile.json")
    visitor.get_by_text("Imported 1 new submission", exact=False).wait_for()
    # A row damaged in the database itself is listed as unreadable, never raised.
    with sqlite3.connect(data / "playground.sqlite3") as db:
        db.execute("INSERT INTO submissions (learner_id, problem_id, created_at, mode, status, passed, total, code,"
                   " verdict, elapsed_ms, code_sha256) VALUES (?, 'module_basics_forward', 'never', 'x', 'y', -1, 'z',"
                   " '', '{not json', 0, '')", (learner,))
    visitor.reload()
    visitor.get_by_text("Your submissions (2)").wait_for()
    visitor.get_by_text("cannot be read", exact=False).wait_for()
    visitor.get_by_role("button", name="Submit").wait_for()
    open_first_submission(visitor)
    visitor.get_by_text("Every test and what it printed").click()
    visitor.get_by_text("Session expired", exact=False).first.wait_for()
    assert visitor.locator('a[href*="evil.example"]').count() == 0
    assert visitor.locator('img[src*="evil.example"]').count() == 0
    assert visitor.locator('[data-testid="stException"]').count() == 0
    visitor.get_by_role("button", name="Submit").wait_for()


def test_oversized_input_leaves_the_server_memory_where_it_was(served: tuple[str, int, Path], visitor: object) -> None:
    url, pid, _ = served
    open_new_learner(visitor, url)
    visitor.get_by_text("Plain text editor").click()
    visitor.get_by_role("textbox", name="Your code").wait_for()
    before = rss_mb(pid)
    # 20 MB websocket messages: over server.maxWidgetStateSize, so each is refused before it is parsed.
    taken = [back_message(url, b"\x00" * (20 * 1024 * 1024)) for _ in range(5)]
    paste(visitor.get_by_role("textbox", name="Your code"), "# pasted output\n" * 7_000)  # 112 KB of code
    visitor.get_by_role("button", name="Run").click()
    visitor.get_by_text("over the 100,000-byte limit", exact=False).first.wait_for()
    visitor.get_by_text("Your own input for Run").click()
    visitor.get_by_text("Also run this input when I press Run").click()
    paste(visitor.locator('[data-testid="stTextInput"] input').last, "11, " * 5_000)  # 20 KB
    # (The expander may fold again on the rerun: the refusal only has to be there.)
    visitor.get_by_text("over the 4,096-byte limit", exact=False).first.wait_for(state="attached")
    visitor.get_by_role("button", name="Submit").wait_for()
    after = rss_mb(pid)
    print(f"\nserver RSS before {before:.0f} MB, after oversized input {after:.0f} MB (+{after - before:.0f} MB);"
          f" 20 MB websocket messages taken: {sum(taken)} of {len(taken)}")
    assert not any(taken)
    assert after - before < 400


def test_a_flood_of_endless_submits_does_not_hold_back_another_learner(
    served: tuple[str, int, Path], browser: object
) -> None:
    url, _, _ = served
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1000}) for _ in range(2)]
    try:
        flooder, other = (context.new_page() for context in contexts)
        for tab in (flooder, other):
            tab.set_default_timeout(STEP_MS)
            open_new_learner(tab, url)
            tab.get_by_text("Plain text editor").click()
        box = flooder.get_by_role("textbox", name="Your code")
        box.fill(ENDLESS)
        box.blur()
        submit = flooder.get_by_role("button", name="Submit")
        for _ in range(40):
            submit.click(no_wait_after=True)
        other_box = other.get_by_role("textbox", name="Your code")
        other_box.fill(SOLUTION)
        other_box.blur()
        started = time.perf_counter()
        other.get_by_role("button", name="Submit").click()
        other.get_by_text("Accepted", exact=False).first.wait_for(timeout=60_000)
        seconds = time.perf_counter() - started
        print(f"\nwhile another visitor clicked Submit 40 times on an endless loop: correct Submit judged in {seconds:.2f} s")
        assert seconds < 15.0
    finally:
        for context in contexts:
            context.close()
