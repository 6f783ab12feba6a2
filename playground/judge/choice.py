"""Judge(): the judge of the contract, in this process or, when the settings name a broker, through the queue."""

from __future__ import annotations

from typing import Any

from playground.judge import remote
from playground.judge.interface import JudgeOptions
from playground.judge.local import LocalJudge
from playground.settings import Settings


class Judge(LocalJudge):
    """Judges in this process (the default), or through the judge queue when PLAYGROUND_BROKER_URL is set.

    In queue mode `Judge(...)` returns the queued judge: the same calls (JudgeService), each submission
    judged by a `python -m playground worker` process. The arguments are LocalJudge's.
    """

    def __new__(cls, *args: Any, settings: Settings | None = None, **kwargs: Any) -> Any:
        chosen = settings if settings is not None else Settings.from_environment()
        if cls is Judge and chosen.broker_url is not None:
            return remote.remote_judge(JudgeOptions.resolve(*args, settings=chosen, **kwargs), chosen.broker_url)
        return super().__new__(cls)
