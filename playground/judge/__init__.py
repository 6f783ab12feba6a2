"""The judge: a source for a problem in, a Verdict out (the page, the CLI and outside tests use this)."""

from __future__ import annotations

from typing import Any

from playground.judge.local import MAX_SOURCE_BYTES, IsolationError, default_cache_dir
from playground.judge.local import Judge as LocalJudge
from playground.queue import broker_url


class Judge(LocalJudge):
    """Judges in this process (the default), or through the judge queue when PLAYGROUND_BROKER_URL is set.

    In queue mode `Judge(...)` returns a QueueJudge: the same methods, each submission judged by a
    `python -m playground worker` process.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        url = broker_url()
        if cls is Judge and url is not None:
            from playground.queue.client import QueueJudge

            return QueueJudge(*args, url=url, **kwargs)
        return super().__new__(cls)


__all__ = ["Judge", "IsolationError", "LocalJudge", "MAX_SOURCE_BYTES", "default_cache_dir"]
