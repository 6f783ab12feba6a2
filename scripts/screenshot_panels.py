"""Screenshots of each problem's own panels after a Run of its reference, in Debian's Chromium.

    .venv/bin/python scripts/screenshot_panels.py [PROBLEM ...]

Serves the app on a free local port with a throw-away data folder, runs each problem's reference
solution in the real editor, and saves the charts of the first example (from "Draw the test" down
to the model-state view) as docs/panels-<problem>.png. Run it again after changing a problem's
panels; it stops the server it started however it ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.problems import all_problems  # noqa: E402
from tests.browser import CHROMIUM_ARGS, open_new_learner, start_streamlit, stop_server, wait_until_healthy  # noqa: E402

DOCS = ROOT / "docs"
EDITOR_FRAME = 'iframe[title="code_editor.code_editor"]'
VERDICT_MS = 120_000
WIDTH = 1440


def page_height(tab: object) -> int:
    return int(tab.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stAppViewContainer\"]')].map(e => e.scrollHeight), document.body.scrollHeight)"
    ))


def run_reference(tab: object, server: str, learner: str, problem: str) -> None:
    tab.set_viewport_size({"width": WIDTH, "height": 1000})
    tab.goto(f"{server}/?u={learner}&problem={problem}")
    frame = tab.frame_locator(EDITOR_FRAME)
    frame.locator(".ace_content").click()
    tab.keyboard.press("Control+a")
    tab.keyboard.press("Delete")
    tab.keyboard.insert_text((ROOT / "solutions" / f"{problem}.py").read_text(encoding="utf-8"))
    tab.get_by_role("button", name="Run", exact=True).click()
    tab.get_by_text("Accepted", exact=False).first.wait_for(timeout=VERDICT_MS)
    tab.get_by_text("Draw the test").first.wait_for()
    tab.locator(".js-plotly-plot").first.wait_for()


def save_panels(tab: object, path: Path) -> None:
    # Streamlit scrolls inside its main block: make the window as tall as the page, then clip.
    tab.set_viewport_size({"width": WIDTH, "height": min(page_height(tab) + 40, 12000)})
    time.sleep(1.5)  # plotly lays the charts out again at the new size
    top = tab.get_by_text("Draw the test").first.bounding_box()["y"] - 10
    state_view = tab.get_by_text("Your model's state beside the reference's").first
    end = state_view.bounding_box()["y"] if state_view.count() else top + 2400
    tab.screenshot(path=str(path), clip={"x": 0, "y": top, "width": WIDTH, "height": max(end - top, 200)})


def main(problems: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="panels-shots-"))
    process, server = start_streamlit({**os.environ, "PLAYGROUND_DATA_DIR": str(data)}, data / "streamlit.log")
    try:
        wait_until_healthy_or_exit(server, process, data / "streamlit.log")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": WIDTH, "height": 1000})
            tab.set_default_timeout(VERDICT_MS)
            learner = open_new_learner(tab, server)
            for problem in problems:
                run_reference(tab, server, learner, problem)
                path = DOCS / f"panels-{problem}.png"
                save_panels(tab, path)
                print(f"{problem}: {path.relative_to(ROOT)}", flush=True)
            browser.close()
    finally:
        stop_server(process)


def wait_until_healthy_or_exit(server: str, process: object, log: Path) -> None:
    try:
        wait_until_healthy(server, process, log, 180)
    except BaseException as failure:  # pytest.fail raises an Exception subclass outside pytest too
        raise SystemExit(f"the app did not start: {failure}") from None


if __name__ == "__main__":
    main(sys.argv[1:] or list(all_problems()))
