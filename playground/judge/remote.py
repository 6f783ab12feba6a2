"""Where a judge that runs elsewhere (the queue's) is made known to this layer, which never imports it.

The wiring above both layers (playground/__init__.py) registers the queued judge's factory; Judge()
asks for it only when the settings name a broker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.judge.interface import JudgeOptions, JudgeService

RemoteJudgeFactory = Callable[["JudgeOptions", str], "JudgeService"]
_factory: RemoteJudgeFactory | None = None


def register(factory: RemoteJudgeFactory) -> None:
    """Use `factory(options, broker_url)` for every judge made while a broker is set."""
    global _factory  # noqa: PLW0603 - one registration per process, made at import
    _factory = factory


def remote_judge(options: JudgeOptions, broker_url: str) -> JudgeService:
    """A judge that sends each submission to the broker."""
    if _factory is None:
        raise RuntimeError("queue mode is set, but no queued judge was registered (import playground first)")
    return _factory(options, broker_url)
