"""Queue mode on a real Redis: the same verdicts as the local judge, nothing lost when a worker dies."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from playground.judge import Judge, LocalJudge
from playground.judge import verdict as verdicts
from playground.judge.verdict import Figures, Mode, Panel, Status, Verdict
from playground.queue import BROKER_ENV
from playground.queue.client import NO_WORKER_GRACE_S, QueueJudge
from tests.support.redis_server import RedisServer, redis_server  # noqa: F401 - the fixture
from tests.support.servers import free_port

queue_suite = pytest.mark.queue  # with `slow`: these start a real Redis and judge workers
slow = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "module_basics_forward"
SOLUTION = (ROOT / "solutions" / f"{PROBLEM}.py").read_text()
WRONG = (ROOT / "tests" / "submissions" / "wrong_answer" / "legacy_key.py").read_text()
READY_TIMEOUT_S = 300.0  # a worker imports JAX and warms a sandbox; slow on a loaded 2-core machine
NO_WORKER_BOUND_S = 30.0  # the contract: with no worker alive, internal_error within 30 s
BURST = 30


class Worker:
    """`python -m playground worker --concurrency 1` in its own session, its stdout read line by line."""

    def __init__(self, url: str) -> None:
        env = dict(os.environ, **{BROKER_ENV: url})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playground", "worker", "--concurrency", "1"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr), daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_ready(self) -> None:
        """Return once the worker printed its `ready` line; fail with its stderr if it exits first."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is not None and "ready" in line:
                return
            if line is None:
                self.stop()
                pytest.fail(f"the worker never said ready; stderr: {''.join(self.stderr)[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the worker process alone, as a lost machine would."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop it (warm shutdown), then anything left of its session."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass


@pytest.fixture(scope="module")
def workers(redis_server: RedisServer) -> Iterator[list[Worker]]:  # noqa: F811 - the imported fixture
    """Two judge workers on the module's Redis, both ready."""
    started = [Worker(redis_server.url()), Worker(redis_server.url())]
    try:
        for worker in started:
            worker.wait_ready()
        yield started
    finally:
        for worker in started:
            worker.stop()


@pytest.fixture(scope="module")
def local_judge() -> Iterator[LocalJudge]:
    """The in-process judge the queue's verdicts are compared with."""
    with LocalJudge(pool_size=1, problems=[PROBLEM]) as judge:
        yield judge


def queue_judge(url: str, monkeypatch: pytest.MonkeyPatch) -> QueueJudge:
    """What `Judge()` gives with PLAYGROUND_BROKER_URL set: the queue's client."""
    monkeypatch.setenv(BROKER_ENV, url)
    judge = Judge()
    assert isinstance(judge, QueueJudge)
    return judge


def within(bound_s: float, work) -> Verdict:
    """The verdict `work()` returns, or a failure if it takes longer than the bound."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=bound_s)


def comparable(verdict: Verdict) -> dict:
    data = verdict.to_dict(with_figures=True)
    data.pop("elapsed_ms")
    return data


@queue_suite
@slow
def test_the_queue_gives_the_local_judges_verdicts_field_for_field(workers, local_judge, redis_server, monkeypatch):  # noqa: F811
    with queue_judge(redis_server.url(), monkeypatch) as judge:
        assert judge.wait_until_ready(PROBLEM, 60)
        for source, status in ((SOLUTION, Status.ACCEPTED), (WRONG, Status.WRONG_ANSWER)):
            for mode in ("run", "submit"):
                queued = judge.submit(PROBLEM, source, mode)
                assert local_judge.wait_until_ready(PROBLEM, READY_TIMEOUT_S)  # a busy machine warms slowly
                local = local_judge.submit(PROBLEM, source, mode)
                assert queued.status is status, queued.message
                assert comparable(queued) == comparable(local)
        assert queued.figures and queued.figures == local.figures
        assert set(judge.protections) == set(local_judge.protections)


@queue_suite
@slow
def test_a_worker_killed_mid_burst_loses_nothing(workers, redis_server, monkeypatch):  # noqa: F811
    expected = [Status.ACCEPTED if i % 3 else Status.WRONG_ANSWER for i in range(BURST)]
    done: list[Verdict] = []
    judge = queue_judge(redis_server.url(), monkeypatch)
    judge.start()

    def one(index: int) -> Verdict:
        verdict = judge.submit(PROBLEM, SOLUTION if expected[index] is Status.ACCEPTED else WRONG, "run")
        done.append(verdict)
        return verdict

    # Four learners submitting back to back: the queue stays short enough for every verdict to come
    # within its bound even on a busy machine, while one worker is lost and the other takes over.
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(one, i) for i in range(BURST)]
        while len(done) < 3:
            assert not all(f.done() for f in futures)
            time.sleep(0.01)
        workers[0].kill()  # mid-burst: it holds a submission, and more are queued
        verdicts = [f.result(timeout=judge.verdict_bound_s + 30) for f in futures]
    judge.close()
    assert [v.status for v in verdicts] == expected, [v.message for v in verdicts if v.status not in expected]


@queue_suite
@slow
def test_no_worker_means_internal_error_within_30_s(redis_server, monkeypatch):  # noqa: F811
    # A database no worker reads: the submission waits for a worker that never comes.
    with queue_judge(redis_server.url(db=1), monkeypatch) as judge:
        verdict = within(NO_WORKER_BOUND_S, lambda: judge.submit(PROBLEM, SOLUTION, "submit"))
    assert verdict.status is Status.INTERNAL_ERROR
    assert "no judge worker is running" in verdict.message and "python -m playground worker" in verdict.message
    assert NO_WORKER_GRACE_S < NO_WORKER_BOUND_S


@queue_suite
@slow
def test_redis_down_is_a_clear_internal_error_on_the_page_and_the_cli(monkeypatch):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with queue_judge(url, monkeypatch) as judge:
        verdict = within(NO_WORKER_BOUND_S, lambda: judge.submit(PROBLEM, SOLUTION, "submit"))
    assert verdict.status is Status.INTERNAL_ERROR
    assert f"Redis at {url} is unreachable" in verdict.message and BROKER_ENV in verdict.message
    done = subprocess.run(
        [sys.executable, "-m", "playground", "judge", PROBLEM, "-", "--json"],
        input=SOLUTION, capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, **{BROKER_ENV: url}), timeout=120,
    )
    assert done.returncode == 1, done.stderr
    line = json.loads(done.stdout)
    assert line["status"] == "internal_error" and f"Redis at {url} is unreachable" in line["message"]
    assert "Traceback" not in done.stderr


def test_a_verdict_survives_the_trip_through_json_with_its_figures():
    nan, inf = float("nan"), float("inf")
    verdict = Verdict(
        "p", "f.py", Mode.SUBMIT, Status.WRONG_ANSWER, "m", "h",
        [
            verdicts.TestResult("a", False, False, "bad", inf, {"x": [1.0]}, [1.0, nan], [inf, 2.0]),
            verdicts.TestResult("b", True, True, "ok"),
        ],
        "out", ["w"], 12.5,
        [Figures("a", [[1.0, nan]], [[1.0, 2.0]], "note", [inf], [1.0], [Panel("bars", "t", [nan], [0.5], None)])],
    )
    wire = json.loads(json.dumps(verdict.to_dict(with_figures=True), allow_nan=False))
    back = Verdict.from_dict(wire)
    assert back.to_dict(with_figures=True) == verdict.to_dict(with_figures=True)
    assert "figures" not in back.to_dict()
    assert back.figures[0].learner_kernel[0][1] != back.figures[0].learner_kernel[0][1]  # NaN again, not "NaN"

