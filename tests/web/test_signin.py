"""Sign-in proven end to end: a real OpenID Connect provider on localhost, `streamlit run app.py` with [auth]
in a temporary secrets file, and Debian's Chromium signing in, claiming anonymous work at once (the page keeps
this browser's anonymous id through the provider's round trip), signing out and signing in again."""

from __future__ import annotations

import json
import os
import secrets
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from playground.judge.verdict import Figures
from playground.store import Store
from playground.web.anon_cookie import COOKIE_NAME
from tests.support.browser import (
    CHROMIUM_ARGS,
    require_chromium,
    start_streamlit,
    stop_server,
    wait_until_healthy,
    wait_until_still,
)
from tests.support.servers import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
PROBLEM = "module_basics_forward"
START_S = 120
STEP_S = 90


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's Chromium and Playwright; skipped locally without them, a failure in CI."""
    return require_chromium()


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OpenID Connect provider (oidc-provider-mock) on localhost: its issuer URL."""
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    # The provider serves plain http on localhost; Authlib allows that only when told to.
    before = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        with oidc_provider_mock.run_server_in_thread(port=free_port()) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        if before is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = before


def add_user(issuer: str, sub: str, claims: dict) -> None:
    """Tell the provider who `sub` is (its email and name)."""
    request = urllib.request.Request(
        f"{issuer}/users/{quote(sub)}", data=json.dumps(claims).encode(), method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204


def secrets_file(folder: Path, app_port: int, issuer: str) -> Path:
    """A secrets.toml with the [auth] section st.login reads, for this app port and provider."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "flax-nnx-playground"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    return path


@pytest.fixture(scope="module")
def app(chromium: Path, provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`streamlit run app.py` with [auth] pointing at the provider: its URL and its data folder."""
    folder = tmp_path_factory.mktemp("signin")
    data = folder / "data"
    log = folder / "streamlit.log"
    env = {**os.environ, "PLAYGROUND_DATA_DIR": str(data), "AUTHLIB_INSECURE_TRANSPORT": "1"}
    env.pop("PLAYGROUND_DATABASE_URL", None)
    port = free_port()
    process, url = start_streamlit(env, log, ("--secrets.files", str(secrets_file(folder, port, provider))), port=port)
    try:
        wait_until_healthy(url, process, log, START_S)
        yield url, data
    finally:
        stop_server(process)


def seed_anonymous_work(data: Path, learner: str) -> None:
    """Work done anonymously in this browser: a submission with its charts, as the page records one."""
    verdict = {
        "version": 1, "problem": PROBLEM, "file": "<editor>", "mode": "submit", "status": "wrong_answer",
        "message": "1 of 1 tests failed.", "hint": None, "passed": 0, "total": 1,
        "tests": [{"name": "example 1", "hidden": False, "passed": False, "message": "values differ",
                   "max_abs_error": 0.5, "input": {"seed": 0}, "expected": [1.0, 2.0], "got": [1.0, 2.5]}],
        "stdout": "", "warnings": [], "elapsed_ms": 20.0,
    }
    figures = [Figures("example 1", [[0.1, 0.2], [0.3, 0.4]], [[0.1, 0.2], [0.3, 0.5]], None, [1.0, 2.5], [1.0, 2.0])]
    store = Store(data)
    try:
        store.add_submission(learner, PROBLEM, "# my anonymous attempt\n", verdict, figures)
    finally:
        store.close()


def sign_in(tab, issuer_sub: str) -> None:
    """Press Sign in, authorise as issuer_sub on the provider's form, and come back signed in."""
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_placeholder("sub").fill(issuer_sub)
    tab.get_by_role("button", name="Authorize").click()
    tab.get_by_text("Signed in as Ada").wait_for()


def learner_in_address(tab) -> str:
    """The u query parameter of the tab's address (empty when absent)."""
    return tab.evaluate("() => new URLSearchParams(location.search).get('u') || ''")


def wait_for_learner_in_address(tab, learner: str) -> None:
    """Wait until the page has put learner in its address as u."""
    tab.wait_for_function("u => new URLSearchParams(location.search).get('u') === u", arg=learner)


def open_first_submission(tab) -> None:
    """Pick the first entry of "Open a submission", once the page is idle (a rerun redraws and closes the list)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    picker = tab.locator('[data-testid="stSelectbox"]').filter(has_text="Open a submission")
    option = tab.get_by_role("option").first
    # The list opens at once; when it does not show, a rerun that began after the checks closed it: open it
    # again, waiting longer each time in case the machine is only slow.
    for wait_ms in (2_000, 5_000, 15_000):
        tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
        wait_until_still(tab)
        picker.click()
        try:
            option.wait_for(timeout=wait_ms)
            break
        except PlaywrightTimeout:
            if wait_ms == 15_000:
                raise
    option.click()


def test_sign_in_claim_sign_out_and_sign_in_again_elsewhere(app: tuple[str, Path], provider: str) -> None:
    from playwright.sync_api import sync_playwright

    url, data = app
    sub = f"ada-{secrets.token_hex(4)}@example.com"
    add_user(provider, sub, {"email": sub, "name": "Ada Lovelace"})

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            first = browser.new_context(viewport={"width": 1440, "height": 1000})
            tab = first.new_page()
            tab.set_default_timeout(STEP_S * 1000)
            # A learner id belongs to the browser it was given to: this browser gets its own, then has work under it.
            tab.goto(f"{url}/?problem={PROBLEM}")
            tab.wait_for_url("**u=*")
            anonymous = learner_in_address(tab)
            seed_anonymous_work(data, anonymous)
            tab.reload()
            tab.get_by_text("Your submissions (1)").wait_for()
            # Another tab of this browser, opened later under another anonymous id, must not change whose id
            # signing in from the first tab brings back.
            other_tab = first.new_page()
            other_tab.set_default_timeout(STEP_S * 1000)
            other_tab.goto(f"{url}/?problem={PROBLEM}")
            other_tab.get_by_text("Your submissions (0)").wait_for()
            assert learner_in_address(other_tab) not in ("", anonymous)
            tab.bring_to_front()
            sign_in(tab, sub)
            # Streamlit came back to the bare address; the page put this browser's anonymous id back in it.
            wait_for_learner_in_address(tab, anonymous)
            tab.get_by_text("Your submissions (0)").wait_for()  # the account has nothing yet
            tab.get_by_role("button", name="Move this browser's anonymous work to my account").click()
            tab.get_by_text("Moved 2 saved items from this browser to your account").wait_for()
            tab.get_by_text("Your submissions (1)").wait_for()
            tab.get_by_role("button", name="Sign out").click()
            end_session = tab.get_by_role("button", name="End session")
            end_session.wait_for()  # the provider's own sign-out page
            end_session.click()
            tab.get_by_role("button", name="Sign in").wait_for()
            # Signed out: the same anonymous id again (its work now belongs to the account), not a new one.
            wait_for_learner_in_address(tab, anonymous)
            tab.get_by_text("Your submissions (0)").wait_for()
            # The cookie that carried it is gone once used: the bare address in this browser starts afresh.
            tab.wait_for_function("name => !document.cookie.split('; ').some(c => c.startsWith(name + '='))",
                                  arg=COOKIE_NAME)
            first.close()

            # A fresh browser (no address with the anonymous id) signing in sees the same work; a cookie
            # claiming the anonymous id without the page's signature is ignored.
            second = browser.new_context(viewport={"width": 1440, "height": 1000})
            second.add_cookies([{"name": COOKIE_NAME, "value": f"{anonymous}.{'0' * 32}", "url": url}])
            tab = second.new_page()
            tab.set_default_timeout(STEP_S * 1000)
            tab.goto(f"{url}/?problem={PROBLEM}")
            tab.get_by_text("Your submissions (0)").wait_for()
            assert learner_in_address(tab) not in ("", anonymous)
            sign_in(tab, sub)
            tab.get_by_text("Your submissions (1)").wait_for()
            # The claimed submission opens with the charts kept from when it was judged.
            open_first_submission(tab)
            tab.get_by_text("Every test and what it printed").click()
            tab.locator(".js-plotly-plot .heatmaplayer").first.wait_for()
            assert tab.locator(".js-plotly-plot .barlayer").count() >= 1
            second.close()
        except Exception:
            for context in browser.contexts:
                for opened in context.pages:
                    ARTIFACTS.mkdir(exist_ok=True)
                    opened.screenshot(path=str(ARTIFACTS / f"signin-failure-{len(list(ARTIFACTS.iterdir()))}.png"),
                                      full_page=True)
            raise
        finally:
            browser.close()
    store = Store(data)
    try:
        assert store.submissions(anonymous) == []
    finally:
        store.close()
