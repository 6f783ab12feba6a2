"""This browser's anonymous id kept through signing in and out: the signed cookie, and the page restoring `?u=`.

The browser side (the script writing the cookie on Sign in, Streamlit reading it back) is proven end to end
by tests/web/test_signin.py; AppTest cannot send cookies, so here the page reads them from a stand-in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.store import Store, is_valid_learner_id
from playground.web import anon_cookie
from playground.web.anon_cookie import (
    COOKIE_NAME,
    anon_id_from_cookie,
    cookie_value,
    remember_script,
    restore_learner,
)
from playground.web.identity import Owner, page_secret

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SECRET = "a-long-random-cookie-secret-for-tests"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": SECRET,
    "client_id": "playground",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def new_learner() -> str:
    # Only ids in the generated format are taken from an address or a cookie.
    return Owner(None, page_secret()).new_id()


def test_a_cookie_the_page_wrote_gives_its_id_back() -> None:
    learner = new_learner()
    assert anon_id_from_cookie(cookie_value(learner, SECRET), SECRET) == learner


@pytest.mark.parametrize("value", [
    None, "", "no-dot-at-all", ".", "short.0123", "bad id!." + "0" * 32,
    "abcdefgh12." + "0" * 32,                                  # a valid id someone signed by guessing
    cookie_value("abcdefgh12", "another-secret"),              # signed with another server's secret
    cookie_value("abcdefgh12", SECRET) + "0",                  # signature tampered with
    "x" * 65 + "." + "0" * 32,
])
def test_forged_or_malformed_cookies_give_nothing(value: object) -> None:
    assert anon_id_from_cookie(value, SECRET) is None


def test_the_cookie_is_used_only_when_the_address_has_no_valid_id() -> None:
    learner, other = new_learner(), new_learner()
    cookies = {COOKIE_NAME: cookie_value(learner, SECRET)}
    assert restore_learner(None, cookies, SECRET) == learner
    assert restore_learner("", cookies, SECRET) == learner
    assert restore_learner("bad id!", cookies, SECRET) == learner
    assert restore_learner(other, cookies, SECRET) is None  # the address wins (another tab, a bookmark)
    assert restore_learner(None, {}, SECRET) is None
    assert restore_learner(None, cookies, None) is None  # signing in not configured: the feature is off


def test_the_script_carries_its_settings_as_data_only() -> None:
    learner = new_learner()
    script = remember_script(learner, SECRET, forget=True, base_path="/x</script><script>alert(1)//")
    assert script.count("<script") == 1 and script.count("</script>") == 1
    settings = json.loads(re.search(r"Object\.assign\(window\.playgroundAnonCookie \|\| \{\}, (\{.*?\})\);",
                                    script).group(1))
    assert settings["value"] == cookie_value(learner, SECRET)
    assert settings["name"] == COOKIE_NAME and settings["forget"] is True
    assert settings["path"].startswith("/x") and settings["maxAge"] > 0
    assert ".st-key-login" in settings["selector"] and ".st-key-logout" in settings["selector"]


def page_with_cookies(monkeypatch: pytest.MonkeyPatch, cookies: dict[str, str], learner: str | None = None) -> AppTest:
    monkeypatch.setattr(anon_cookie, "browser_cookies", lambda: cookies)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    if learner:
        at.query_params["u"] = learner
    at.run()
    assert not at.exception
    return at


def address_learner(at: AppTest) -> str:
    value = at.query_params["u"]
    return value[0] if isinstance(value, list) else value


def remember_scripts(at: AppTest) -> list[str]:
    return [element.body for element in at.html if COOKIE_NAME in element.body]


@pytest.mark.usefixtures("playground_data_dir")
def test_the_bare_address_after_signing_in_gets_this_browsers_id_back(monkeypatch: pytest.MonkeyPatch) -> None:
    learner = new_learner()
    at = page_with_cookies(monkeypatch, {COOKIE_NAME: cookie_value(learner, SECRET)})
    assert address_learner(at) == learner
    # The page deletes the cookie it used, so a later visit to the bare address starts afresh.
    [script] = remember_scripts(at)
    assert '"forget": true' in script and cookie_value(learner, SECRET) in script

    forged = page_with_cookies(monkeypatch, {COOKIE_NAME: f"{learner}.{'0' * 32}"})
    fresh = address_learner(forged)
    assert is_valid_learner_id(fresh) and fresh != learner
    [script] = remember_scripts(forged)
    assert '"forget": false' in script and cookie_value(fresh, SECRET) in script


def test_signed_in_on_the_bare_address_the_claim_moves_this_browsers_work_at_once(
    monkeypatch: pytest.MonkeyPatch, playground_data_dir: Path
) -> None:
    learner = new_learner()
    store = Store(playground_data_dir)
    try:
        store.save_draft(learner, "module_basics_forward", "# typed before signing in\n")
    finally:
        store.close()
    monkeypatch.setattr(anon_cookie, "browser_cookies", lambda: {COOKIE_NAME: cookie_value(learner, SECRET)})
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": "http://issuer.test", "sub": new_learner(), "name": "Ada"}
    at.run()
    assert not at.exception and address_learner(at) == learner
    at.button(key="claim").click().run()
    assert not at.exception
    assert any("Moved 1 saved items" in element.value for element in at.success)
    at.button(key="claim").click().run()  # a second press: nothing is left under the anonymous id
    assert any("Nothing to move" in element.value for element in at.info)
