"""Queue mode: Judge() sends submissions to judge workers through Celery on Redis (PLAYGROUND_BROKER_URL)."""

from __future__ import annotations

from playground.settings import BROKER_ENV, Settings

__all__ = ["BROKER_ENV", "broker_url"]


def broker_url(settings: Settings | None = None) -> str | None:
    """The broker's URL when queue mode is on (PLAYGROUND_BROKER_URL set and not blank), else None."""
    return (settings if settings is not None else Settings.from_environment()).broker_url
