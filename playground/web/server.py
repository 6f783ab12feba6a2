"""The page server's life cycle (st.App): services up at start, the browser cookie, errors kept off the page."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any

import streamlit as st

from playground.settings import SettingsError
from playground.web.identity import BROWSER_COOKIE, COOKIE_MAX_AGE_S, browser_key, new_browser_cookie, page_secret
from playground.web.services import start_services, stop_services

log = logging.getLogger("playground.page")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

SCRIPT_FAILED = "The page failed on our side. Reload it; if it happens again, tell the operator (it is in the server log)."


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """Start the judge and the store with the server, and stop them with it."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    try:
        page_secret()
        start_services()
    except SettingsError as exc:
        log.error("The page server cannot start: %s", exc)  # the one sentence names the variable and the fix
        raise
    # Everything imported so far lives as long as the server: keep it out of every later collection.
    gc.freeze()
    try:
        yield
    finally:
        stop_services()


def script_failed(exc: Exception) -> bool:
    """Log an uncaught exception of the page with its traceback; the visitor sees one generic sentence."""
    log.error("The page raised", exc_info=exc)
    st.error(SCRIPT_FAILED, icon=":material/error:")
    return True


class BrowserCookie:
    """ASGI middleware: a page load without a valid browser cookie gets one (signed, HttpOnly, with its issue time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET" or _has_valid_cookie(scope):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https" or _header(scope, b"x-forwarded-proto") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message.get("type") == "http.response.start" and _is_html(message):
                value = new_browser_cookie(page_secret())
                attributes = f"Path=/; Max-Age={COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", f"{BROWSER_COOKIE}={value}; {attributes}".encode()))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").strip().lower()
    return ""


def _has_valid_cookie(scope: Scope) -> bool:
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(_header_raw(scope, b"cookie"))
    except Exception:  # noqa: BLE001 - a malformed Cookie header counts as none
        return False
    morsel = cookies.get(BROWSER_COOKIE)
    return morsel is not None and browser_key(morsel.value, page_secret()) is not None


def _header_raw(scope: Scope, name: bytes) -> str:
    return "; ".join(v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name)


def _is_html(message: Message) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in message.get("headers", []))
