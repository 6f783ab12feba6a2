"""Queue mode: Judge() sends submissions to judge workers through Celery on Redis (PLAYGROUND_BROKER_URL)."""

from __future__ import annotations

import os

BROKER_ENV = "PLAYGROUND_BROKER_URL"


def broker_url() -> str | None:
    """The broker's URL when queue mode is on (PLAYGROUND_BROKER_URL set and not blank), else None."""
    return os.environ.get(BROKER_ENV, "").strip() or None
