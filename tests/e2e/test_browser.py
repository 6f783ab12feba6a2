"""The page in a real browser: Debian Chromium drives `streamlit run app.py` like a learner would."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import (
    chromium_browser,
    open_new_learner,
    require_chromium,
    start_streamlit,
    stop_server,
    upload,
    wait_until_healthy,
    wait_until_still,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SERVER_START_S = 120
VERDICT_S = 90
EDITOR_FRAME = 'iframe[title="code_editor.code_editor"]'


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium; skipped locally without it, a failure in CI."""
    return require_chromium()


@pytest.fixture(scope="module")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free local port with its own data folder."""
    data = tmp_path_factory.mktemp("browser-data")
    log = data / "streamlit.log"
    process, url = start_streamlit({**os.environ, "PLAYGROUND_DATA_DIR": str(data)}, log)
    try:
        wait_until_healthy(url, process, log, SERVER_START_S)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    """One Chromium for the module; each test gets a profile of its own in it."""
    with chromium_browser(chromium) as launched:
        yield launched


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh page in a fresh browser profile (no cookies, no storage), closed afterwards."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        tab = context.new_page()
        tab.set_default_timeout(VERDICT_S * 1000)
        yield tab
    finally:
        context.close()


def _open(tab: object, url: str) -> None:
    tab.goto(url)
    tab.get_by_role("button", name="Submit").wait_for()


def _editor_text(tab: object) -> str:
    frame = tab.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").wait_for()
    return frame.locator(".ace_content").inner_text()


def _type_into_editor(tab: object, source: str, typed: str) -> None:
    frame = tab.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").click()
    tab.keyboard.press("Control+a")
    tab.keyboard.press("Delete")
    tab.keyboard.insert_text(source)
    # A few real keystrokes too, so Ace's own typing path is exercised.
    tab.keyboard.press("Control+End")
    tab.keyboard.type(typed)


def screenshot(tab: object, name: str) -> Path:
    """Save the whole page (Streamlit scrolls inside its main block) under artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = tab.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stAppViewContainer\"], [data-testid=\"stSidebarContent\"]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    size = tab.viewport_size
    tab.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
    wait_until_still(tab)  # the charts redraw for the new size
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size(size)
    return path


def test_real_editor_submit_shows_verdict_and_charts_and_the_draft_survives_reload(
    server: str, page: object, solution_source: str
) -> None:
    # Learner ids belong to the browser they were given to: each test starts from the bare address.
    learner = open_new_learner(page, server)
    assert "problem=module_basics_forward" in page.url and f"u={learner}" in page.url
    assert "NotImplementedError" in _editor_text(page)
    marker = "# typed in the browser test"
    _type_into_editor(page, solution_source, "\n" + marker)

    started = time.perf_counter()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Accepted", exact=False).first.wait_for()
    print(f"\nclick-to-verdict (real editor, Submit, 16 tests): {time.perf_counter() - started:.2f} s")

    page.locator(".js-plotly-plot .heatmaplayer").first.wait_for()
    assert page.locator(".js-plotly-plot .heatmaplayer").count() >= 1
    assert page.locator(".js-plotly-plot .barlayer").count() >= 1
    screenshot(page, "browser-accepted.png")

    page.reload()
    page.get_by_role("button", name="Submit").wait_for()
    assert marker in _editor_text(page)
    page.get_by_text("Your submissions (1)").wait_for()
    screenshot(page, "browser-reloaded.png")

    # Ctrl+Enter inside the editor runs the examples.
    page.frame_locator(EDITOR_FRAME).locator(".ace_content").click()
    page.keyboard.press("Control+Enter")
    page.get_by_text("on the examples", exact=False).first.wait_for()

    # Switching to the plain text box keeps the code, including what was typed last.
    frame = page.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# and one more line")
    page.get_by_text("Plain text editor").click()
    box = page.get_by_role("textbox", name="Your code")
    box.wait_for()
    assert "# and one more line" in box.input_value()


def test_typed_code_is_saved_without_leaving_the_editor(server: str, page: object) -> None:
    learner = open_new_learner(page, server)
    marker = f"# kept while typing {uuid.uuid4().hex[:6]}"
    frame = page.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n" + marker)
    # No click outside, no Run: the pause in typing alone must save the draft.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(1.5)
        # The same browser (its cookie) coming back in another window, so the first keeps its focus.
        again = page.context.browser.new_context()
        again.add_cookies(page.context.cookies())
        check = again.new_page()
        try:
            _open(check, f"{server}/?u={learner}")
            if marker in _editor_text(check):
                break
        finally:
            again.close()
    else:
        pytest.fail("the typed line was not saved while the learner kept the editor focused")


def test_editor_indents_with_tab_and_enter_never_autocompletes(server: str, page: object) -> None:
    open_new_learner(page, server)
    frame = page.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("ret")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("x")
    value = frame.locator(".ace_editor").evaluate("element => element.env.editor.getValue()")
    assert value == "ret\n    x"


def test_first_visit_puts_a_learner_id_in_the_address(server: str, page: object) -> None:
    _open(page, server)
    page.wait_for_url("**u=*")
    assert "u=" in page.url and "problem=module_basics_forward" in page.url


def test_double_click_judges_once_and_history_exports_and_imports(server: str, page: object, solution_source: str) -> None:
    open_new_learner(page, server)
    page.get_by_text("Plain text editor").click()
    page.get_by_role("textbox", name="Your code").fill(solution_source)
    page.get_by_role("button", name="Submit").dblclick()
    page.get_by_text("Your submissions (1)").wait_for()
    page.get_by_text("Accepted", exact=False).first.wait_for()

    # The history moves to another learner id through export and import. Preparing it is a rerun the
    # server runs after both clicks' reruns, and it draws the list of submissions before the download
    # button (app.py): once that button shows, a second submission would be listed, and exported.
    page.get_by_text("Your saved work").click()
    page.get_by_role("button", name="Prepare my history for download").click()
    page.get_by_role("button", name="Download my history (JSON)").wait_for()
    assert page.get_by_text("Your submissions (2)").count() == 0
    assert page.get_by_text("Your submissions (1)").count() == 1
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my history (JSON)").click()
    exported = ARTIFACTS / "exported-history.json"
    ARTIFACTS.mkdir(exist_ok=True)
    download.value.save_as(exported)
    open_new_learner(page, server)
    page.get_by_text("Nothing submitted yet", exact=False).wait_for()
    page.get_by_text("Your saved work").click()
    upload(page, exported)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported 1 new submission", exact=False).wait_for()
    page.get_by_text("Your submissions (1)").wait_for()


def test_plain_editor_runs_and_shows_the_hint(server: str, page: object, solution_source: str) -> None:
    open_new_learner(page, server)
    page.get_by_text("Plain text editor").click()
    box = page.get_by_role("textbox", name="Your code")
    box.wait_for()
    box.fill(solution_source.replace(" * scale", ""))
    started = time.perf_counter()
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Wrong answer", exact=False).first.wait_for()
    print(f"\nclick-to-verdict (plain editor, Run, 3 examples): {time.perf_counter() - started:.2f} s")
    page.get_by_text("sqrt", exact=False).first.wait_for()
    screenshot(page, "browser-wrong-answer.png")
