"""The worker side of queue mode: the judging task and the description a client asks for."""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import Celery, Task
from celery.states import SUCCESS
from celery.worker.control import inspect_command

from playground.judge.local import LocalJudge
from playground.judge.verdict import Mode, Status, Verdict, internal_error_message
from playground.problems import all_problems
from playground.queue.celery_app import DESCRIBE_COMMAND, JUDGE_TASK, RESULT_EXPIRES_S, done_key

WARM_CHECK_S = 0.02  # one look at the warm pool; the main thread answering must not wait
_judge: LocalJudge | None = None  # the worker process's one warm local judge


def register_tasks(app: Celery, judge: LocalJudge) -> None:
    """Make `app` judge submissions with `judge` (a started local judge)."""
    global _judge
    _judge = judge

    @app.task(name=JUDGE_TASK, bind=True, base=NotifyingTask)
    def judge_submission(
        task: Task, problem_id: str, source: str, mode: str, custom_input: dict[str, Any] | None, file: str
    ) -> dict[str, Any]:
        """Judge one queued submission; the verdict with its figures, as JSON."""
        # A submission redelivered after its verdict was stored (a worker lost after answering, or a
        # copy the client sent again) is answered from the store, not judged twice.
        done = task.backend.get_task_meta(task.request.id)
        if done.get("status") == SUCCESS and isinstance(done.get("result"), dict):
            return done["result"]
        if problem_id not in all_problems():  # a client newer than this worker
            return Verdict(
                problem_id, file, Mode(mode), Status.INTERNAL_ERROR,
                internal_error_message(f"judge worker {task.request.hostname} does not know the problem "
                                       f"{problem_id!r}; restart it with this version of the playground"),
            ).to_dict(with_figures=True)
        verdict = judge.submit(problem_id, source, mode, custom_input=custom_input, file=file)
        return verdict.to_dict(with_figures=True)


class NotifyingTask(Task):
    """A task that wakes its waiting client once its result is stored."""

    def after_return(self, status: str, retval: Any, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Push to the submission's done list (Celery calls this after storing the result)."""
        key = done_key(task_id)
        with self.backend.client.pipeline() as pipe:
            pipe.rpush(key, status).expire(key, RESULT_EXPIRES_S).execute()


def describe(problem_id: str | None = None) -> dict[str, Any]:
    """What a client shows about this worker: its sandbox's protections, and whether a warm worker waits for the problem."""
    if _judge is None:
        return {}
    warm = problem_id in all_problems() and _judge.wait_until_ready(problem_id, WARM_CHECK_S)
    return {
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "protections": list(_judge.protections),
        "missing_protections": _judge.missing_protections(),
        "warm": bool(warm),
    }


@inspect_command(name=DESCRIBE_COMMAND, args=[("problem_id", str)])
def playground_describe(state: Any, problem_id: str | None = None) -> dict[str, Any]:
    """Remote control command (answered by the worker's main thread, even while it is busy)."""
    return describe(problem_id)
