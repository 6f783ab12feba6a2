"""Whose learner id is this: ids in the generated format only, each bound to the browser that was given it.

The server gives every browser a signed, HttpOnly cookie (`playground_browser`: a random key and the time
it was issued, signed with itsdangerous) on the page's first load. A learner id is 11 random characters
and 11 characters of an HMAC over them and that browser's key, so only the browser holding the cookie can
show that an id is its own, and any page server sharing the secret can check it without a lookup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass

from itsdangerous import BadSignature, TimestampSigner

from playground.settings import Settings

BROWSER_COOKIE = "playground_browser"
SECRET_FILE = "page-secret.key"
# Browsers keep a cookie for at most 400 days whatever it asks for.
COOKIE_MAX_AGE_S = 400 * 24 * 3600
_SALT = "flax-nnx-playground browser"
_ID_HALF = 11
_GENERATED_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_secret_lock = threading.Lock()
_secret: bytes | None = None


def page_secret() -> bytes:
    """PLAYGROUND_SECRET, else a random secret kept (0600) in the data folder and made on first use."""
    global _secret  # noqa: PLW0603 - one secret per process, read once
    with _secret_lock:
        if _secret is None:
            _secret = _load_secret()
        return _secret


def _load_secret() -> bytes:
    settings = Settings.from_environment()
    if settings.secret:
        return settings.secret.encode()
    path = settings.data_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "w") as sink:
        sink.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def is_generated_learner_id(value: object) -> bool:
    """True for an id in the generated format: 22 letters, digits, '-' or '_'."""
    return isinstance(value, str) and _GENERATED_ID.fullmatch(value) is not None


def new_browser_cookie(secret: bytes) -> str:
    """A fresh browser cookie's value: a random key, signed with its issue time."""
    return TimestampSigner(secret, salt=_SALT).sign(secrets.token_urlsafe(16)).decode()


def browser_key(cookie: object, secret: bytes) -> str | None:
    """The browser's key from its cookie, or None when it is missing, forged or too old."""
    if not isinstance(cookie, str) or len(cookie) > 200:
        return None
    try:
        return TimestampSigner(secret, salt=_SALT).unsign(cookie, max_age=COOKIE_MAX_AGE_S).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def _mac(key: str, nonce: str, secret: bytes) -> str:
    digest = hmac.new(secret, f"learner|{key}|{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:8]).decode()[:_ID_HALF]


def issue_learner_id(key: str, secret: bytes) -> str:
    """A new learner id that belongs to the browser (or session) holding `key`."""
    nonce = secrets.token_urlsafe(8)[:_ID_HALF]
    return nonce + _mac(key, nonce, secret)


def belongs_to(learner_id: str, key: str, secret: bytes) -> bool:
    """True when the id was issued to the holder of `key`."""
    if not is_generated_learner_id(learner_id):
        return False
    nonce, mac = learner_id[:_ID_HALF], learner_id[_ID_HALF:]
    return hmac.compare_digest(mac, _mac(key, nonce, secret))


@dataclass(frozen=True)
class Owner:
    """Who is asking: a browser (its cookie's key), a client without the cookie (a key for this session only),
    or no client at all (an in-process run such as Streamlit's AppTest, where nothing can be checked)."""

    key: str | None
    secret: bytes

    def owns(self, learner_id: object) -> bool:
        """True when this owner may use the id."""
        if not is_generated_learner_id(learner_id):
            return False
        return self.key is None or belongs_to(str(learner_id), self.key, self.secret)

    def new_id(self) -> str:
        """A fresh id that this owner owns."""
        return issue_learner_id(self.key or secrets.token_urlsafe(16), self.secret)
