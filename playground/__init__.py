"""flax.nnx playground: problems, a sandboxed judge, and the logic behind the page.

The wiring above the layers lives here: the judge layer never imports the queue, so the queued judge
is registered with it from above, and imported only when a broker is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playground.judge import remote as _remote

if TYPE_CHECKING:
    from playground.judge.interface import JudgeOptions, JudgeService


def _queued_judge(options: JudgeOptions, broker_url: str) -> JudgeService:
    from playground.queue.client import QueueJudge

    return QueueJudge(options, url=broker_url)


_remote.register(_queued_judge)
