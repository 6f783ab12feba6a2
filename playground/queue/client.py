"""The client side of queue mode: a Judge that sends each submission to the queue and waits for its verdict."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from celery import Celery
from celery.states import FAILURE, REVOKED, STARTED, SUCCESS
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from playground.judge.interface import JudgeOptions, JudgeService, Submission
from playground.judge.source_checks import source_refusal
from playground.judge.verdict import Mode, Status, Verdict, internal_error_message
from playground.problems import get_problem
from playground.queue.celery_app import DESCRIBE_COMMAND, JUDGE_TASK, QUEUE, create_app, done_key, redacted
from playground.sandbox.pool import VERDICT_MARGIN_S
from playground.sandbox.records import HealthState, IsolationError, SandboxHealth
from playground.settings import BROKER_ENV

LOG = logging.getLogger(__name__)
CHECK_EVERY_S = 1.0  # how often a waiting submission checks that a worker is there to judge it
NO_WORKER_GRACE_S = 10.0  # a worker restarting gets this long before submissions give up on it
MISSES_BEFORE_LOST = 3  # unanswered pings before the worker holding a submission counts as gone
PING_TIMEOUT_S = 1.0
DESCRIBE_ON_START_S = 1.0
DESCRIBE_TIMEOUT_S = 0.5  # how long one round of asking every worker collects answers


class QueueUnavailable(Exception):
    """The queue could not take or return a submission; the message says why and what to do."""


def redis_problem(app: Celery, url: str) -> str | None:
    """None when Redis at the URL answers a PING, else a sentence saying it is unreachable and what to do."""
    try:
        app.backend.client.ping()
    except (RedisError, OSError) as exc:
        return unreachable(url, exc)
    return None


def unreachable(url: str, exc: BaseException) -> str:
    """The sentence for a Redis that does not answer."""
    reason = str(exc).strip().rstrip(".") or type(exc).__name__
    return (
        f"Redis at {redacted(url)} is unreachable ({reason}): start Redis there (e.g. `redis-server`) "
        f"or point {BROKER_ENV} at a running one"
    )


class QueueJudge(JudgeService):
    """Judge's API over the queue: submit() sends the source to a judge worker and waits for the verdict."""

    def __init__(self, options: JudgeOptions, *, url: str) -> None:
        # The pool size is the workers' business in queue mode (`worker --concurrency`).
        self.url = url
        self.limits = options.limits
        self.require_isolation = options.require_isolation
        self._problems = options.problems
        self._app = create_app(url, self.limits)
        self._backend = self._app.backend  # shared by every thread (redis-py's pool is thread-safe)
        self._description: dict[str, Any] = {}
        self._alive_lock = threading.Lock()
        self._alive_at = -1e9
        self._alive = False
        self._health_at = -1e9
        self._health = SandboxHealth(HealthState.OK, "")

    def start(self) -> None:
        """Learn a worker's protections if one answers quickly; with isolation required, refuse partial ones."""
        if redis_problem(self._app, self.url) is None:
            self._describe(DESCRIBE_ON_START_S)
        missing = self._description.get("missing_protections") or []
        if self.require_isolation and missing:
            raise IsolationError(
                "PLAYGROUND_REQUIRE_ISOLATION is set, but the judge workers lack these protections: "
                f"{', '.join(missing)}. Run the workers as root on Linux with namespaces and cgroups."
            )

    def close(self) -> None:
        """Release the connections to Redis (workers keep running)."""
        self._app.close()

    @property
    def protections(self) -> tuple[str, ...]:
        """The protections a worker reported (empty until one has)."""
        return tuple(self._description.get("protections") or ())

    def missing_protections(self) -> list[str]:
        """Protections a worker reported missing."""
        return list(self._description.get("missing_protections") or [])

    @property
    def health(self) -> SandboxHealth:
        """The judge's state for the page: restarting while no Redis answers (checked at most once a second)."""
        with self._alive_lock:
            if time.monotonic() - self._health_at >= CHECK_EVERY_S:
                problem = redis_problem(self._app, self.url)
                self._health = (
                    SandboxHealth(HealthState.OK, "")
                    if problem is None
                    else SandboxHealth(HealthState.RESTARTING, f"The judge queue is not reachable: {problem}.")
                )
                self._health_at = time.monotonic()
            return self._health

    @property
    def verdict_bound_s(self) -> float:
        """The longest a submission waits for its verdict: the wall limit plus 30 s."""
        return self.limits.wall_seconds + VERDICT_MARGIN_S

    def wait_until_ready(self, problem_id: str, timeout: float = 120.0) -> bool:
        """Block until a judge worker has a warm sandbox worker for the problem (or the timeout passes)."""
        return self._describe(timeout, get_problem(problem_id).id)

    def _describe(self, timeout: float, problem_id: str | None = None) -> bool:
        # Without a problem, any worker's answer will do (its protections); with one, a warm worker for it.
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                replies = self._app.control.broadcast(
                    DESCRIBE_COMMAND, arguments={"problem_id": problem_id}, reply=True,
                    timeout=max(0.1, min(DESCRIBE_TIMEOUT_S, remaining)), limit=None if problem_id else 1,
                )
            except (OperationalError, RedisError, OSError):
                replies = []
            descriptions = [d for reply in replies or [] for d in reply.values() if isinstance(d, dict) and d]
            if descriptions:
                self._description = descriptions[0]
            if descriptions and (problem_id is None or any(d.get("warm") for d in descriptions)):
                return True
            if time.monotonic() >= deadline:
                return False

    def judge(self, submission: Submission) -> Verdict:
        """Judge one source on a worker; never raises for anything the source (or the queue) does.

        The submission's learner is not sent: in queue mode each worker's judge keeps its own fair order.
        """
        return self._judged_and_timed(submission)[0]

    def submit_timed(self, problem_id: str, source: str, mode: str = "submit") -> tuple[Verdict, float | None]:
        """submit(), and how long the worker's own judging took (ms; None when no worker judged it)."""
        return self._judged_and_timed(Submission(problem_id, source, mode))

    def _judged_and_timed(self, submission: Submission) -> tuple[Verdict, float | None]:
        started = time.perf_counter()
        problem = get_problem(submission.problem_id)
        run_mode, file = Mode(submission.mode), submission.file
        worker_ms = None
        # What cannot run at all is answered here, as the local judge would, without a round trip.
        verdict = source_refusal(problem, submission.source, run_mode, file)
        if verdict is None:
            try:
                args = [problem.id, submission.source, run_mode.value, submission.custom_input, file]
                verdict = Verdict.from_dict(self._judged(args))
                worker_ms = verdict.elapsed_ms
            except QueueUnavailable as exc:
                verdict = self._internal_error(problem.id, file, run_mode, str(exc))
            except Exception as exc:  # noqa: BLE001 - a failure of ours still yields a verdict
                LOG.exception("queue client: judging a submission to %s failed", problem.id)
                verdict = self._internal_error(problem.id, file, run_mode, f"the queue client raised {type(exc).__name__}")
        verdict.elapsed_ms = (time.perf_counter() - started) * 1000
        return verdict, worker_ms

    @staticmethod
    def _internal_error(problem_id: str, file: str, mode: Mode, detail: str) -> Verdict:
        return Verdict(problem_id, file, mode, Status.INTERNAL_ERROR, internal_error_message(detail))

    def _judged(self, args: list[Any]) -> dict[str, Any]:
        # args: the task's (problem_id, source, mode, custom_input, file), as JSON carries them.
        problem = redis_problem(self._app, self.url)
        if problem is not None:
            raise QueueUnavailable(problem)
        deadline = time.monotonic() + self.verdict_bound_s
        submission_id = uuid.uuid4().hex  # the task id: a redelivered copy answers under the same id
        self._send(submission_id, args, deadline)
        return self._wait(submission_id, args, deadline)

    def _send(self, submission_id: str, args: list[Any], deadline: float) -> None:
        try:
            # expires: a copy still queued when its client has given up is dropped, not judged.
            self._app.send_task(
                JUDGE_TASK, args=args, task_id=submission_id, queue=QUEUE, expires=max(1.0, deadline - time.monotonic())
            )
        except (OperationalError, RedisError, OSError) as exc:
            raise QueueUnavailable(unreachable(self.url, exc)) from exc

    def _wait(self, submission_id: str, args: list[Any], deadline: float) -> dict[str, Any]:
        next_check = time.monotonic() + CHECK_EVERY_S
        no_worker_since: float | None = None
        misses: dict[str, int] = {}
        resent_for: set[str] = set()
        while True:
            try:
                meta = self._backend.get_task_meta(submission_id)
            except (RedisError, OSError) as exc:
                raise QueueUnavailable(unreachable(self.url, exc)) from exc
            status = meta.get("status")
            if status == SUCCESS:
                return meta["result"]
            if status in (FAILURE, REVOKED):
                raise QueueUnavailable(f"the judge worker failed on this submission ({status.lower()})")
            now = time.monotonic()
            if now >= deadline:
                raise QueueUnavailable(
                    f"no verdict within {self.verdict_bound_s:.0f} s: the judge workers are all busy or stopping"
                )
            if now >= next_check:
                next_check = now + CHECK_EVERY_S
                holder = _holder(meta) if status == STARTED else None
                if holder is not None and holder not in resent_for:
                    misses[holder] = 0 if self._answers(holder) else misses.get(holder, 0) + 1
                    if misses[holder] >= MISSES_BEFORE_LOST:
                        # The worker died holding it; Redis would hand it out again only after the
                        # visibility timeout, so send it again now (same id: judged once more at most).
                        resent_for.add(holder)
                        LOG.warning("judge worker %s stopped answering; submission %s sent again", holder, submission_id)
                        self._send(submission_id, args, deadline)
                    no_worker_since = None
                elif self._any_worker():
                    no_worker_since = None
                else:
                    no_worker_since = no_worker_since or now
                    if now - no_worker_since >= NO_WORKER_GRACE_S:
                        raise QueueUnavailable(
                            f"no judge worker is running: none answered on {redacted(self.url)} for "
                            f"{NO_WORKER_GRACE_S:.0f} s; start one with `python -m playground worker`"
                        )
            self._await_done(submission_id, min(next_check, deadline) - time.monotonic())

    def _await_done(self, submission_id: str, timeout: float) -> None:
        # The worker pushes to this list once the verdict is stored: a wake-up with no polling delay.
        try:
            self._backend.client.blpop([done_key(submission_id)], timeout=max(0.01, timeout))
        except (RedisError, OSError) as exc:
            raise QueueUnavailable(unreachable(self.url, exc)) from exc

    def _answers(self, hostname: str) -> bool:
        try:
            return bool(self._app.control.ping(destination=[hostname], timeout=PING_TIMEOUT_S, limit=1))
        except (OperationalError, RedisError, OSError):
            return False

    def _any_worker(self) -> bool:
        # Many waiting submissions share one ping a second rather than each sending its own.
        with self._alive_lock:
            if time.monotonic() - self._alive_at >= CHECK_EVERY_S:
                try:
                    self._alive = bool(self._app.control.ping(timeout=PING_TIMEOUT_S, limit=1))
                except (OperationalError, RedisError, OSError):
                    self._alive = False
                self._alive_at = time.monotonic()
            return self._alive


def _holder(meta: dict[str, Any]) -> str | None:
    result = meta.get("result")
    return result.get("hostname") if isinstance(result, dict) else None
