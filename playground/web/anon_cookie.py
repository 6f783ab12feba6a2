"""This browser's anonymous learner id kept in a short-lived cookie across signing in and out.

Streamlit's sign-in and sign-out both end on the page's bare address, without `?u=`. So when
Sign in or Sign out is pressed, a script on the page writes the anonymous id (signed with the
[auth] cookie secret) to a cookie, and the next page load reads it back, restores `?u=` and
deletes the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

import streamlit as st
from streamlit import config

from playground.store import is_valid_learner_id

COOKIE_NAME = "playground_anon_u"
# Long enough for a trip through the provider's sign-in page, short enough not to linger.
MAX_AGE_S = 30 * 60
# Streamlit gives each keyed widget's container the class st-key-<key>.
BUTTON_SELECTOR = ".st-key-login, .st-key-logout"
_CONTEXT = b"flax-nnx-playground anonymous id|"

# The style hides the script's own (empty) element, so it adds no gap to the sidebar.
_SCRIPT = """<style>[data-testid="stElementContainer"]:has(script[data-playground-anon]) {display: none;}</style>
<script data-playground-anon>
(() => {
  const memo = window.playgroundAnonCookie = Object.assign(window.playgroundAnonCookie || {}, CONFIG);
  const write = (maxAge) => {
    document.cookie = `${memo.name}=${maxAge > 0 ? memo.value : ""}; path=${memo.path}; max-age=${maxAge};`
      + ` SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
  };
  if (memo.forget) write(0);
  if (!memo.listening) {
    memo.listening = true;
    // Capture phase: runs before Streamlit hears the click and sends the browser to the provider.
    document.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest(memo.selector)) write(memo.maxAge);
    }, true);
  }
})();
</script>"""


def signature(anon_id: str, secret: str) -> str:
    """The HMAC that proves the page itself wrote this anonymous id."""
    return hmac.new(secret.encode(), _CONTEXT + anon_id.encode(), hashlib.sha256).hexdigest()[:32]


def cookie_value(anon_id: str, secret: str) -> str:
    """The cookie's value for an anonymous id: the id, a dot, and its signature."""
    return f"{anon_id}.{signature(anon_id, secret)}"


def anon_id_from_cookie(value: object, secret: str) -> str | None:
    """The anonymous id in a cookie value, or None when it is missing, malformed or not signed by us."""
    if not isinstance(value, str) or not secret:
        return None
    anon_id, _, mac = value.rpartition(".")
    if not is_valid_learner_id(anon_id) or not hmac.compare_digest(mac, signature(anon_id, secret)):
        return None
    return anon_id


def restore_learner(query_u: object, cookies: Mapping[str, str], secret: str | None) -> str | None:
    """The remembered anonymous id to put back in the URL: only when the URL has no valid u of its own."""
    if is_valid_learner_id(query_u) or not secret:
        return None
    return anon_id_from_cookie(cookies.get(COOKIE_NAME), secret)


def remember_script(anon_id: str, secret: str, *, forget: bool, base_path: str = "") -> str:
    """The page script that writes the cookie on Sign in or Sign out, and deletes it once it was used."""
    settings = {
        "name": COOKIE_NAME,
        "value": cookie_value(anon_id, secret),
        "path": "/" + base_path.strip("/"),
        "maxAge": MAX_AGE_S,
        "selector": BUTTON_SELECTOR,
        "forget": forget,
    }
    # "<" escaped so nothing in the settings can close the script element.
    return _SCRIPT.replace("CONFIG", json.dumps(settings).replace("<", "\\u003c"))


def cookie_secret() -> str | None:
    """The [auth] cookie secret that signs the cookie, or None when signing in is not configured."""
    try:
        secret = st.secrets["auth"].get("cookie_secret")
    except Exception:  # noqa: BLE001 - no secrets file or no [auth]: the feature is off
        return None
    return secret if isinstance(secret, str) and secret else None


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when it opened this session (none outside a browser)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no client context (e.g. a bare script run)
        return {}


def remembered_anon_id(query_u: object) -> str | None:
    """This browser's anonymous id from its cookie, when the URL lacks u (right after signing in or out)."""
    return restore_learner(query_u, browser_cookies(), cookie_secret())


def remember_in_browser(anon_id: str, *, forget: bool) -> None:
    """Put the script on the page that keeps anon_id through the next sign-in or sign-out."""
    secret = cookie_secret()
    if secret is None:
        return
    base_path = str(config.get_option("server.baseUrlPath") or "")
    st.html(remember_script(anon_id, secret, forget=forget, base_path=base_path), unsafe_allow_javascript=True)
