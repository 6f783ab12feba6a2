"""Runs untrusted source in fresh, isolated, limited worker processes forked from a warm zygote.

A pool keeps workers warmed (isolated, with the problem's ops compiled) so a submission only
pays for its own code. Each worker serves exactly one submission and is then destroyed, with
every process it started.
"""

from __future__ import annotations

import json
import logging
import queue
import select
import threading
import time
from pathlib import Path
from typing import Any

from playground.sandbox.compile_cache import CompileCache
from playground.sandbox.fair_gate import FairGate
from playground.sandbox.isolation import ALL_PROTECTIONS
from playground.sandbox.processes import how_ended, running
from playground.sandbox.protocol import HandBack
from playground.sandbox.records import (
    Limits,
    RunOutcome,
    SandboxHealth,
    WarmProfile,
    WorkerHandle,
)
from playground.sandbox.submission_run import SubmissionRun
from playground.sandbox.template import Templates
from playground.sandbox.worker_factory import WorkerFactory
from playground.sandbox.zygote_supervisor import ZygoteSupervisor

log = logging.getLogger(__name__)  # lines start with 'sandbox:'; unconfigured, warnings reach stderr
WARM_TIMEOUT_S = 120.0  # one worker's warm-up; no submission waits on it (see Sandbox.run's deadline)
VERDICT_MARGIN_S = 30.0  # a verdict comes at most this long after the wall limit, whatever the sandbox's state
STOP_SLACK_S = 6.0  # the most stopping a worker and removing its groups may take after its run
MAX_WARMING = 2  # workers warming at once: each takes about one core for half a second
TEMPLATE_WARM_TIMEOUT_S = 300.0  # a template's warm-up compiles hundreds of ops; fresh workers serve meanwhile
HOT_SECONDS = 600.0  # a problem submitted to within this long keeps a full pool
SPARES = 1  # fresh zygote workers kept beside a warm template's, for the jobs its workers hand back
# A template's worker that ran out of time while the judge saw its main thread running or runnable
# at less than this share of its looks was blocked part of the time, not computing: its time limit is
# confirmed on a fresh worker before it counts. A loop is runnable at every look, whatever the load.
BUSY_SHARE = 0.5


class Sandbox:
    """A zygote, a pool of warm workers per problem, and the loop that drives one submission."""

    def __init__(
        self, limits: Limits | None = None, pool_size: int = 2, cache_dir: str | None = None, *, warm_templates: bool = True
    ) -> None:
        self.limits = limits or Limits()
        self.pool_size = pool_size
        self.protections: tuple[str, ...] = ()
        self.notes: tuple[str, ...] = ()
        self._profiles: dict[str, WarmProfile] = {}
        self._filled: set[str] = set()
        self._last_used: dict[str, float] = {}
        self._ready: dict[str, queue.Queue[WorkerHandle]] = {}
        self._warming: dict[str, int] = {}
        self._spares: dict[str, queue.Queue[WorkerHandle]] = {}  # fresh workers of problems served by a template
        self._warming_spares: dict[str, int] = {}
        self._waiters: dict[str, int] = {}  # submissions waiting for a worker, per problem
        self._lock = threading.Lock()
        self._became_ready = threading.Condition(self._lock)  # notified whenever a worker joins a pool
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._gate = FairGate(pool_size)
        self._driving = 0
        self._zygotes = ZygoteSupervisor(self._closed, on_death=self._drop_ready_workers, on_serving=self._wake.set)
        self._templates = Templates(enabled=warm_templates)
        self._cache = CompileCache(cache_dir)
        self._workers = WorkerFactory(self.limits, self._cache, self._zygotes, self._templates)
        self._refiller = threading.Thread(target=self._refill_forever, name="sandbox-refill", daemon=True)

    # ----- life cycle -------------------------------------------------------------------------

    def start(self, profiles: list[WarmProfile]) -> None:
        """Start the zygote, fill the compile cache, and begin warming workers."""
        for profile in profiles:
            self._profiles[profile.key] = profile
            self._ready[profile.key] = queue.Queue()
            self._warming[profile.key] = 0
            self._spares[profile.key] = queue.Queue()
            self._warming_spares[profile.key] = 0
        self._zygotes.start()
        self._refiller.start()
        self._workers.start()
        self._wake.set()

    def close(self) -> None:
        """Stop every worker and the zygote; remove cgroups and temporary folders."""
        self._closed.set()
        self._wake.set()
        self._drop_ready_workers()
        self._templates.close()
        self._zygotes.close()
        self._workers.close()

    @property
    def cache_dir(self) -> str | None:
        """The compile cache folder workers read (None when there is none)."""
        return self._cache.dir

    @property
    def health(self) -> SandboxHealth:
        """Ok, or restarting after the zygote died (the page's sidebar shows it)."""
        return self._zygotes.health

    @property
    def zygote_pid(self) -> int | None:
        """The pid of the zygote serving now (None while it restarts)."""
        return self._zygotes.zygote_pid

    @property
    def standby_pid(self) -> int | None:
        """The pid of the zygote's idle copy that takes over if it dies (None while there is none)."""
        return self._zygotes.standby_pid

    def template_pid(self, key: str) -> int | None:
        """The pid of the problem's warm template once it serves (None before, or with templates off)."""
        template = self._templates.ready(key, self._zygotes.generation)
        return template.pid if template is not None else None

    @property
    def owned_paths(self) -> tuple[list[Path], Path]:
        """The cgroup folders and the mount-point folder this sandbox made (all gone once it closes)."""
        return list(self._workers.cgroups.parents), Path(self._workers.root_dir)

    def _drop_ready_workers(self) -> None:
        # On close, or after the zygote died: its keepers got SIGTERM and killed their workers then.
        for ready in (*self._ready.values(), *self._spares.values()):
            while True:
                try:
                    self._workers.destroy(ready.get_nowait())
                except queue.Empty:
                    break

    # ----- the pool ---------------------------------------------------------------------------

    def _refill_forever(self) -> None:
        """The refill loop, started again should it ever fail: without it no pool would refill."""
        while not self._closed.is_set():
            try:
                self._refill_loop()
            except Exception as exc:  # noqa: BLE001 - reported, then the loop goes on
                log.warning(f"sandbox: the refill loop failed ({exc!r}); starting it again")
                self._closed.wait(1.0)

    def _refill_loop(self) -> None:
        while not self._closed.is_set():
            if not self._zygotes.up.is_set():
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            self._drop_dead_idle_workers()
            self._start_templates()
            key = self._next_to_warm()
            if key is None:
                key = self._next_spare()
                if key is not None:
                    self._warm_spare(key)
                    continue
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            if key not in self._filled:
                try:
                    self._cache.fill(self._profiles[key], self._zygotes.ask)
                except Exception as exc:  # noqa: BLE001 - without a cache workers only warm slower
                    log.warning(f"sandbox: could not fill the compile cache: {exc}")
                self._filled.add(key)
            with self._lock:
                self._warming[key] += 1
            try:
                worker = self._workers.spawn(self._profiles[key])
            except Exception as exc:  # noqa: BLE001 - retried on the next wake
                if self._closed.is_set():
                    return  # the judge closed while this worker was being asked for
                log.warning(f"sandbox: could not start a worker: {exc}")
                with self._lock:
                    self._warming[key] -= 1
                self._closed.wait(1.0)
                continue
            threading.Thread(target=self._await_ready, args=(key, worker), daemon=True).start()

    def _start_templates(self) -> None:
        """Start a warm template for each problem in use that has a warm worker and no template yet.

        Only after its first worker is ready: a template's warm-up takes a core for seconds, and the
        first submission after a start must not wait behind it.
        """
        for key, profile in self._profiles.items():
            if not (self._hot(key) and self._ready[key].qsize() and self._templates.wanted(key, self._zygotes.generation)):
                continue
            request = {"warmup_file": profile.warmup_file, "cache_dir": self._cache.dir}
            request["warm_inputs"] = [json.loads(t) for t in profile.warm_inputs]
            args = (key, request, self._zygotes.ask, TEMPLATE_WARM_TIMEOUT_S)
            threading.Thread(target=self._templates.start, args=args, daemon=True).start()

    def _next_spare(self) -> str | None:
        """A problem served by a warm template that lacks its fresh spare, or None."""
        with self._lock:
            if self._driving or sum(self._warming.values()) + sum(self._warming_spares.values()) >= MAX_WARMING:
                return None
            for key in self._profiles:
                have = self._spares[key].qsize() + self._warming_spares[key]
                if have < SPARES and self._templates.ready(key, self._zygotes.generation) is not None:
                    self._warming_spares[key] += 1
                    return key
        return None

    def _warm_spare(self, key: str) -> None:
        """Start one fresh worker for the problem's spares; it joins them once warm."""
        try:
            worker = self._workers.spawn(self._profiles[key], from_template=False)
        except Exception as exc:  # noqa: BLE001 - retried on the next wake
            with self._lock:
                self._warming_spares[key] -= 1
            if not self._closed.is_set():
                log.warning(f"sandbox: could not start a spare worker: {exc}")
                self._closed.wait(1.0)
            return

        def await_spare() -> None:
            ok = self._workers.wait_ready(worker, WARM_TIMEOUT_S) and worker.generation == self._zygotes.generation
            with self._lock:
                self._warming_spares[key] -= 1
                if ok:
                    self._spares[key].put(worker)
            if not ok:
                self._workers.destroy(worker)
                self._closed.wait(0.5)
            self._wake.set()

        threading.Thread(target=await_spare, daemon=True).start()

    def _drop_dead_idle_workers(self) -> None:
        """Destroy idle workers that died (killed from outside), so their places are warmed again."""
        for ready in (*self._ready.values(), *self._spares.values()):
            kept, dead = [], []
            while True:
                try:
                    worker = ready.get_nowait()
                except queue.Empty:
                    break
                (kept if self._usable(worker) else dead).append(worker)
            for worker in kept:
                ready.put(worker)
            for worker in dead:
                self._workers.destroy(worker)

    def _next_to_warm(self) -> str | None:
        """The problem whose pool most needs a worker, or None when all are full or enough warm."""
        with self._lock:
            for key, waiting in self._waiters.items():
                # A submission waits for this problem: warm for it now, past the usual limit, so its
                # bounded wait is not spent behind other problems' refills.
                if key in self._ready and waiting > self._ready[key].qsize() + self._warming[key]:
                    return key
            if sum(self._warming.values()) >= MAX_WARMING:
                return None
            short = []
            for order, key in enumerate(self._profiles):
                have = self._ready[key].qsize() + self._warming[key]
                if have < self._target(key):
                    # Empty pools first, then the track's order: the first problem is the one most asked for.
                    short.append((have > 0, order, key))
            if not short:
                return None
            first = min(short)
            # Warming beside a running submission slows it down (about 10 ms here): while one runs,
            # refill only a pool that is empty, and the rest once it is done.
            if self._driving and first[0]:
                return None
            return first[2]

    def _target(self, key: str) -> int:
        """Idle workers to keep: the full pool for problems in use lately (and the first), else one."""
        return self.pool_size if self._hot(key) else 1

    def _hot(self, key: str) -> bool:
        """True for the track's first problem and those submitted to lately: they get full pools and templates."""
        recently = time.monotonic() - self._last_used.get(key, float("-inf")) < HOT_SECONDS
        return recently or key == next(iter(self._profiles))

    def _await_ready(self, key: str, worker: WorkerHandle) -> None:
        ok = self._workers.wait_ready(worker, WARM_TIMEOUT_S) and worker.generation == self._zygotes.generation
        with self._lock:
            self._warming[key] -= 1
            if ok:
                self.protections = worker.protections
                self.notes = worker.notes
                self._ready[key].put(worker)
                self._became_ready.notify_all()
                self._zygotes.mark_running()
        if not ok:
            self._workers.destroy(worker)
            self._closed.wait(0.5)
        self._wake.set()

    def _fresh_worker(self, key: str, deadline: float) -> WorkerHandle | None:
        """A worker from the zygote: a warm spare when one is idle, else one warmed now.

        For a job a template's worker handed back.
        """
        while True:
            try:
                spare = self._spares[key].get_nowait()
            except queue.Empty:
                break
            self._wake.set()
            if self._usable(spare):
                return spare
            self._workers.destroy(spare)
        try:
            worker = self._workers.spawn(self._profiles[key], from_template=False)
        except Exception:  # noqa: BLE001 - reported as no worker
            return None
        if self._workers.wait_ready(worker, deadline - time.monotonic()):
            return worker
        self._workers.destroy(worker)
        return None

    def _acquire(self, key: str, deadline: float) -> WorkerHandle | None:
        """A warm worker checked alive right before use, or None when none is by the deadline."""
        self._last_used[key] = time.monotonic()
        with self._lock:
            self._waiters[key] = self._waiters.get(key, 0) + 1
        self._wake.set()
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                try:
                    worker = self._ready[key].get(timeout=remaining)
                except queue.Empty:
                    return None
                self._wake.set()
                if self._usable(worker):
                    return worker
                self._workers.destroy(worker)
        finally:
            with self._lock:
                self._waiters[key] -= 1

    def _usable(self, worker: WorkerHandle) -> bool:
        """True when the worker and its keeper still live: a dead one's pipes have an exit frame or EOF."""
        if worker.generation != self._zygotes.generation or not running(worker.worker_pid) or not running(worker.keeper_pid):
            return False
        ready, _, _ = select.select([worker.status_r, worker.result_r, worker.out_r], [], [], 0)
        # Output printed while warming is harmless; anything on the other two means it has ended.
        return not any(fd != worker.out_r for fd in ready)

    def missing_protections(self) -> list[str]:
        """Protections the last ready worker did not get, by name."""
        return [p for p in ALL_PROTECTIONS if p not in self.protections]

    def wait_until_ready(self, key: str, timeout: float) -> bool:
        """Block until a worker for this problem is warm (or the timeout passes)."""
        with self._became_ready:
            return self._became_ready.wait_for(lambda: self._ready[key].qsize() > 0, timeout)

    # ----- one submission ---------------------------------------------------------------------

    @property
    def verdict_bound_s(self) -> float:
        """The longest any submission waits for its outcome, whatever the sandbox's state."""
        return self.limits.wall_seconds + VERDICT_MARGIN_S

    def run(
        self, key: str, job: dict[str, Any], follow_up: list[dict[str, Any]] | None, deadline: float | None = None
    ) -> RunOutcome:
        """Send a job to a fresh worker (and hidden cases once its visible output is in).

        A worker that dies mid-run for no reason of the code's (killed from outside, its keeper or
        the zygote gone) is replaced once and the job run again. The outcome comes by `deadline`
        (time.monotonic(); default: verdict_bound_s from now); when no worker could be had in time,
        or our processes failed twice, it carries `internal_error` instead.
        """
        if deadline is None:
            deadline = time.monotonic() + self.verdict_bound_s
        outcome = self._attempt_or_hand_back(key, job, follow_up, deadline)
        if not outcome.died_unexplained:
            return outcome
        first = outcome
        log.warning(f"sandbox: a worker died mid-run ({how_ended(first.exit_code)}); running the job again")
        outcome = self._attempt_or_hand_back(key, job, follow_up, deadline)
        outcome.retried = True
        if outcome.died_unexplained and (outcome.exit_code is None or not self._zygotes.up.is_set()):
            # Its keeper (or the zygote) was gone before the worker's exit could be told: twice ours.
            outcome.internal_error = "the sandbox's own processes were stopped twice while running this code"
        return outcome

    def _attempt_or_hand_back(
        self, key: str, job: dict[str, Any], follow_up: list[dict[str, Any]] | None, deadline: float
    ) -> RunOutcome:
        """One attempt; when a template's worker hands the job back, the job run again on a fresh worker."""
        outcome = self._attempt(key, job, follow_up, deadline)
        if outcome.from_template and outcome.timed_out and not _was_busy(outcome):
            outcome.needs_fresh_worker = HandBack.TIME_LIMIT
        if outcome.needs_fresh_worker:
            reason = outcome.needs_fresh_worker
            # Judged from scratch on a worker that may compile; nothing of the first run is kept.
            outcome = self._attempt(key, job, follow_up, deadline, fresh=True)
            outcome.needs_fresh_worker = reason  # kept: says why this outcome came from a fresh worker
        return outcome

    def _attempt(
        self, key: str, job: dict[str, Any], follow_up: list[dict[str, Any]] | None, deadline: float, fresh: bool = False
    ) -> RunOutcome:
        # Leave time for a full run and the clean-up after it before the deadline.
        latest_start = deadline - self.limits.wall_seconds - STOP_SLACK_S
        if time.monotonic() >= latest_start:
            return RunOutcome(internal_error="no time was left to run it on a fresh sandbox worker")
        if not self._gate.enter(latest_start):
            return RunOutcome(internal_error="every sandbox worker stayed busy with other submissions")
        try:
            worker = self._fresh_worker(key, latest_start) if fresh else self._acquire(key, latest_start)
            if worker is None:
                why = "the sandbox is restarting" if self._zygotes.health.restarting else "no sandbox worker became ready"
                return RunOutcome(internal_error=f"{why} in time")
            with self._lock:
                self._driving += 1
            try:
                outcome = SubmissionRun(worker, job, follow_up, self.limits).run()
                outcome.from_template = worker.template
                if outcome.died_unexplained and worker.generation != self._zygotes.generation:
                    outcome.exit_code = None  # the zygote died under it: its keeper could not tell
                return outcome
            finally:
                self._workers.destroy(worker)
                with self._lock:
                    self._driving -= 1
                self._wake.set()
        finally:
            self._gate.leave()

def _was_busy(outcome: RunOutcome) -> bool:
    """True when the worker's main thread wanted the CPU for most of its run (not known: not busy)."""
    busy = outcome.busy_share
    return busy is not None and busy >= BUSY_SHARE
