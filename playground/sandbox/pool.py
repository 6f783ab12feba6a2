"""Runs untrusted source in fresh, isolated, limited worker processes forked from a warm zygote.

A pool keeps workers warmed (isolated, with the problem's ops compiled) so a submission only
pays for its own code. Each worker serves exactly one submission and is then destroyed, with
every process it started.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import queue
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playground.sandbox.cgroups import CgroupManager
from playground.sandbox.isolation import ALL_PROTECTIONS, SandboxSpec
from playground.sandbox.progress_watch import CHECK_SECONDS, ProgressWatch
from playground.sandbox.protocol import FrameReader, ProtocolError, encode_frame
from playground.sandbox.state_description import checked_state
from playground.sandbox.template import Templates, templates_enabled

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WARM_TIMEOUT_S = 120.0  # one worker's warm-up; no submission waits on it (see Sandbox.run's deadline)
VERDICT_MARGIN_S = 30.0  # a verdict comes at most this long after the wall limit, whatever the sandbox's state
STOP_SLACK_S = 6.0  # the most stopping a worker and removing its groups may take after its run
ZYGOTE_ANSWER_S = 30.0  # a zygote that does not answer a request this long is killed and restarted
STABLE_ZYGOTE_S = 60.0  # a zygote that lived this long died by accident, not in a crash loop
MAX_RESTART_DELAY_S = 30.0
UID_BASE = 1_500_000
ROOT_PREFIX = "playground-root-"
MAX_OUTPUT_PARTS = 16
MAX_WARMING = 2  # workers warming at once: each takes about one core for half a second
HOT_SECONDS = 600.0  # a problem submitted to within this long keeps a full pool
SPARES = 1  # fresh zygote workers kept beside a warm template's, for the jobs its workers hand back
# A template's worker that ran out of time with its main thread on a CPU less than this share of the
# run was waiting, not computing: its time limit is confirmed on a fresh worker before it counts.
BUSY_SHARE = 0.5


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""

    wall_seconds: float = 10.0
    memory_bytes: int = 1 << 30
    max_tasks: int = 64
    output_bytes: int = 64 * 1024
    disk_bytes: int = 16 << 20
    cpu_cores: float = 1.0


@dataclass(frozen=True)
class WarmProfile:
    """How to warm workers for one problem: the warm-up file and shape-only inputs."""

    key: str
    warmup_file: str
    warm_inputs: tuple[str, ...]  # JSON texts, so the profile stays hashable


class HealthState(enum.StrEnum):
    """Whether the sandbox can take submissions now."""

    OK = "ok"
    RESTARTING = "restarting"


@dataclass(frozen=True)
class SandboxHealth:
    """The sandbox's state for the page: ok, or restarting after a failure of ours (with a sentence)."""

    state: HealthState
    message: str
    restarts: int = 0  # how many times the zygote has been restarted since the judge started

    @property
    def restarting(self) -> bool:
        """True while the sandbox is recovering; submissions wait for it, up to their bound."""
        return self.state is HealthState.RESTARTING


@dataclass
class RunOutcome:
    """What came back from one worker: frames, the visible output, and how it ended."""

    frames: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    output_cut: bool = False
    timed_out: bool = False
    output_exceeded: bool = False
    memory_exceeded: bool = False
    exit_code: int | None = None
    protocol_error: str | None = None
    setup_error: str | None = None
    run_seconds: float = 0.0
    finished: bool = False  # the worker's last frame arrived
    internal_error: str | None = None  # the sandbox failed, not the code: why, in one sentence
    retried: bool = False  # the first worker died for no reason of the code's; this is the second run
    # Why a template's worker's job was run again on a fresh worker: "compile" or "stall" (it said so),
    # "claimed" (it said something else), "stalled" (the judge saw its main thread get no CPU), or
    # "time_limit" (it ran out of time while mostly waiting). Empty when it was not.
    needs_fresh_worker: str = ""
    cpu_seconds: float | None = None  # the worker's main-thread CPU during the run, when it could be read
    from_template: bool = False  # judged by a worker forked from a warm template

    @property
    def died_unexplained(self) -> bool:
        """The worker vanished mid-run, killed by a signal or with its keeper, and none of our limits did it.

        A normal exit (a status code) is always the process ending itself, so only the code's doing.
        """
        return not (
            self.finished
            or self.timed_out
            or self.output_exceeded
            or self.memory_exceeded
            or self.protocol_error
            or self.setup_error
            or self.internal_error
            or (self.exit_code is not None and self.exit_code >= 0)
        )


class IsolationError(RuntimeError):
    """Full isolation was required and this machine cannot provide it."""


@dataclass
class _Worker:
    keeper_pid: int
    job_w: int
    out_r: int
    result_r: int
    status_r: int
    uid: int
    cgroups: list[str]
    worker_pid: int | None = None
    protections: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    results: FrameReader = field(default_factory=FrameReader)
    status: FrameReader = field(default_factory=FrameReader)
    exit_code: int | None = None
    generation: int = 0  # which zygote forked it
    template: bool = False  # forked from a warm template, so it hands its job back at a compile or a stall

    def fds(self) -> tuple[int, ...]:
        return (self.job_w, self.out_r, self.result_r, self.status_r)


@dataclass
class _Zygote:
    """A zygote the judge talks to: one it started, or a standby copy forked by one (not our child)."""

    pid: int
    sock: socket.socket
    process: subprocess.Popen | None = None
    born: float = 0.0
    answered: bool = False

    def serving(self) -> bool:
        """True while it runs and its socket has not hung up."""
        if not _running(self.pid) or self.sock.fileno() < 0:
            return False
        poller = select.poll()
        poller.register(self.sock, 0)
        return not poller.poll(0)

    def kill(self) -> None:
        """SIGKILL it (it stopped answering)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass

    def stop(self, timeout: float) -> int | None:
        """Wait for it to end after its socket closed, killing it past the timeout; its exit status if known."""
        if self.process is not None:
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
        deadline = time.monotonic() + timeout
        while _running(self.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        if _running(self.pid):
            self.kill()
        return None


class _FairGate:
    """At most `capacity` holders at once, admitted strictly in arrival order."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._active = 0
        self._waiting: deque[object] = deque()
        self._cond = threading.Condition()

    def enter(self, deadline: float) -> bool:
        """Wait for a turn until the deadline (time.monotonic()); False when it passed first."""
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            while self._waiting[0] is not ticket or self._active >= self._capacity:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
                    return False
                self._cond.wait(remaining)
            self._waiting.popleft()
            self._active += 1
            self._cond.notify_all()
            return True

    def leave(self) -> None:
        """Give the turn back."""
        with self._cond:
            self._active -= 1
            self._cond.notify_all()


class Sandbox:
    """A zygote, a pool of warm workers per problem, and the loop that drives one submission."""

    def __init__(self, limits: Limits | None = None, pool_size: int = 2, cache_dir: str | None = None) -> None:
        self.limits = limits or Limits()
        self.pool_size = pool_size
        self.cache_dir = cache_dir
        self.protections: tuple[str, ...] = ()
        self.notes: tuple[str, ...] = ()
        self._profiles: dict[str, WarmProfile] = {}
        self._filled: set[str] = set()
        self._last_used: dict[str, float] = {}
        self._ready: dict[str, queue.Queue[_Worker]] = {}
        self._warming: dict[str, int] = {}
        self._spares: dict[str, queue.Queue[_Worker]] = {}  # fresh workers of problems served by a template
        self._warming_spares: dict[str, int] = {}
        self._waiters: dict[str, int] = {}  # submissions waiting for a worker, per problem
        self._lock = threading.Lock()
        self._zygote_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._gate = _FairGate(pool_size)
        self._uids_in_use: set[int] = set()
        # Judges in other processes draw from the same range; a random start makes a shared uid (and
        # so a shared RLIMIT_NPROC count) between two live workers unlikely.
        self._next_uid = random.randrange(100_000)
        self._spawned = 0
        self._driving = 0
        self._active: _Zygote | None = None  # the zygote that forks workers now
        self._standby: _Zygote | None = None  # its idle copy, ready to take over
        self._generation = 0  # counts zygotes served from: a worker of an older one is dead
        self._zygote_up = threading.Event()
        self._quick_deaths = 0
        self._restarts = 0
        self._health = SandboxHealth(HealthState.OK, "The sandbox is running.")
        self._supervisor = threading.Thread(target=self._supervise, name="sandbox-supervisor", daemon=True)
        _remove_abandoned_roots()
        self._root_dir = tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-")
        self._cgroups = CgroupManager(f"playground-{os.getpid()}-{id(self):x}")
        self._templates = Templates(enabled=templates_enabled())
        self._refiller = threading.Thread(target=self._refill_forever, name="sandbox-refill", daemon=True)
        self._leftovers: queue.Queue[_Worker | None] = queue.Queue()
        self._cleaner = threading.Thread(target=self._clean_loop, name="sandbox-clean", daemon=True)

    # ----- life cycle -------------------------------------------------------------------------

    def start(self, profiles: list[WarmProfile]) -> None:
        """Start the zygote, fill the compile cache, and begin warming workers."""
        for profile in profiles:
            self._profiles[profile.key] = profile
            self._ready[profile.key] = queue.Queue()
            self._warming[profile.key] = 0
            self._spares[profile.key] = queue.Queue()
            self._warming_spares[profile.key] = 0
        self._start_zygote()
        self._supervisor.start()
        self._refiller.start()
        self._cleaner.start()
        self._wake.set()

    def close(self) -> None:
        """Stop every worker and the zygote; remove cgroups and temporary folders."""
        self._closed.set()
        self._wake.set()
        self._drop_ready_workers()
        self._templates.close()
        if self._cleaner.is_alive():
            self._leftovers.put(None)
            self._cleaner.join(timeout=30)
        zygotes = [z for z in (self._active, self._standby) if z is not None]
        for zygote in zygotes:
            try:
                zygote.sock.shutdown(socket.SHUT_RDWR)  # wakes a request waiting for its answer
            except OSError:
                pass
        with self._zygote_lock:
            zygotes = list({id(z): z for z in (self._active, self._standby, *zygotes) if z is not None}.values())
            self._active = self._standby = None
            for zygote in zygotes:
                zygote.sock.close()  # each serves until its socket closes, then stops its children
        for zygote in zygotes:
            zygote.stop(5.0)
        if self._supervisor.is_alive():
            self._supervisor.join(timeout=5)
        self._cgroups.close()
        try:
            os.rmdir(self._root_dir)
        except OSError:
            pass

    @property
    def health(self) -> SandboxHealth:
        """Ok, or restarting after the zygote died (the page's sidebar shows it)."""
        return self._health

    @property
    def zygote_pid(self) -> int | None:
        """The pid of the zygote serving now (None while it restarts)."""
        active = self._active
        return active.pid if active is not None else None

    @property
    def standby_pid(self) -> int | None:
        """The pid of the zygote's idle copy that takes over if it dies (None while there is none)."""
        standby = self._standby
        return standby.pid if standby is not None else None

    def _start_zygote(self) -> None:
        """Start a new zygote interpreter (the first, or after a death with no standby) and serve from it."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": tempfile.gettempdir(),
            "JAX_PLATFORMS": "cpu",
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            # Fewer, larger pages for malloc's heap: a finished worker's memory is then torn down in
            # fewer steps, which the verdict waits for.
            "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1",
        }
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "playground.sandbox.zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=env,
                cwd=str(PROJECT_ROOT),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self._serve_from(_Zygote(process.pid, ours, process))

    def _serve_from(self, zygote: _Zygote) -> None:
        zygote.born = time.monotonic()
        self._active = zygote
        self._generation += 1
        self._zygote_up.set()

    def _supervise(self) -> None:
        """Watch the zygote and its standby; when the zygote dies (any signal, any time), replace it."""
        self._make_standby()
        while not self._closed.is_set():
            active, standby = self._active, self._standby
            if active is None:
                return
            try:
                poller = select.poll()
                poller.register(active.sock, 0)  # no events asked: only hang-up (the peer is gone) is reported
                if standby is not None:
                    poller.register(standby.sock, 0)
                hung_up = {fd for fd, _ in poller.poll(1000)}
            except (OSError, ValueError):  # a socket closed meanwhile: looked at again below
                hung_up = set()
            if self._closed.is_set():
                return
            if active.sock.fileno() in hung_up or active.sock.fileno() < 0:
                self._replace_zygote(active)
            elif standby is not None and (standby.sock.fileno() in hung_up or standby.sock.fileno() < 0):
                with self._zygote_lock:
                    if self._standby is standby:
                        self._standby = None
                standby.sock.close()
                print(f"sandbox: the zygote's standby (pid {standby.pid}) died; making another", file=sys.stderr)
                self._closed.wait(1.0)  # a standby killed over and over must not make this loop hot
                self._make_standby()

    def _replace_zygote(self, dead: _Zygote) -> None:
        """Serve from the standby (or a new zygote), after a pause that grows when deaths come in a row."""
        with self._zygote_lock:
            self._zygote_up.clear()
            if self._active is dead:
                self._active = None
            dead.sock.close()
        code = dead.stop(1.0)
        lived = time.monotonic() - dead.born
        self._quick_deaths = 0 if lived >= STABLE_ZYGOTE_S else self._quick_deaths + 1
        delay = 0.0 if self._quick_deaths <= 1 else min(MAX_RESTART_DELAY_S, 0.5 * 2 ** (self._quick_deaths - 2))
        self._restarts += 1
        self._health = SandboxHealth(
            HealthState.RESTARTING,
            "The sandbox is restarting after a failure of ours; submissions wait for it.",
            self._restarts,
        )
        print(
            f"sandbox: the zygote (pid {dead.pid}) died ({_how_ended(code)}) after {lived:.1f} s; "
            f"replacing it in {delay:g} s (restart {self._restarts}, {self._quick_deaths} in quick succession)",
            file=sys.stderr,
            flush=True,
        )
        self._drop_ready_workers()
        while not self._closed.wait(delay):
            with self._zygote_lock:
                if self._closed.is_set():
                    return
                standby, self._standby = self._standby, None
                if standby is not None and standby.serving():
                    self._serve_from(standby)
                else:
                    if standby is not None:
                        standby.sock.close()
                    try:
                        self._start_zygote()
                    except OSError as exc:
                        print(f"sandbox: could not start a zygote: {exc}", file=sys.stderr, flush=True)
                        delay = MAX_RESTART_DELAY_S
                        continue
            self._wake.set()
            self._make_standby()
            return

    def _make_standby(self) -> None:
        """Ask the zygote for an idle copy of itself to take over when it dies."""
        if self._closed.is_set() or self._standby is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid, _ = self._ask_zygote({"kind": "standby"}, [theirs.fileno()])
        except (OSError, RuntimeError) as exc:
            ours.close()
            print(f"sandbox: could not make a standby zygote: {exc}", file=sys.stderr)
            return
        finally:
            theirs.close()
        with self._zygote_lock:
            if self._closed.is_set():
                ours.close()
                return
            self._standby = _Zygote(pid, ours, None)

    def _drop_ready_workers(self) -> None:
        # On close, or after the zygote died: its keepers got SIGTERM and killed their workers then.
        for ready in (*self._ready.values(), *self._spares.values()):
            while True:
                try:
                    self._destroy(ready.get_nowait())
                except queue.Empty:
                    break

    def _ask_zygote(self, request: dict[str, Any], fds: list[int]) -> tuple[int, int]:
        """Send a request; the new child's pid and the zygote generation that forked it."""
        with self._zygote_lock:
            zygote = self._active
            if zygote is None:
                raise RuntimeError("the zygote is restarting")
            # The first answer waits for the interpreter to import jax; later ones are quick.
            zygote.sock.settimeout(ZYGOTE_ANSWER_S if zygote.answered else WARM_TIMEOUT_S)
            try:
                socket.send_fds(zygote.sock, [json.dumps(request).encode()], fds)
                reply = zygote.sock.recv(4096)
            except TimeoutError:
                # A late answer would be taken for the next request's: end this zygote, and the
                # supervisor replaces it.
                print(f"sandbox: the zygote (pid {zygote.pid}) stopped answering; killing it", file=sys.stderr)
                zygote.kill()
                raise RuntimeError("the zygote stopped answering") from None
            zygote.answered = zygote.answered or bool(reply)
            generation = self._generation
        pid = json.loads(reply or b"{}").get("pid")
        if not isinstance(pid, int):
            raise RuntimeError("the zygote could not start a worker")
        return pid, generation

    def _fill_cache(self, profile: WarmProfile) -> None:
        if not self.cache_dir:
            return
        marker = Path(self.cache_dir) / f"filled-{_profile_digest(profile)}"
        if marker.exists():
            return
        try:
            os.makedirs(self.cache_dir, mode=0o755, exist_ok=True)
        except OSError:
            self.cache_dir = None
            return
        status_r, status_w = os.pipe()
        request = {
            "kind": "fill_cache",
            "warmup_file": profile.warmup_file,
            "warm_inputs": [json.loads(t) for t in profile.warm_inputs],
            "cache_dir": self.cache_dir,
        }
        try:
            self._ask_zygote(request, [status_w])
        except Exception:
            os.close(status_r)
            raise
        finally:
            os.close(status_w)
        # The fill runs beside the first workers' warm-up; waiting here keeps their reads useful.
        frame = _read_one_frame(status_r, FrameReader(), 120.0)
        os.close(status_r)
        if frame is not None and frame.get("type") == "filled":
            marker.write_text("ok\n")

    # ----- the pool ---------------------------------------------------------------------------

    def _refill_forever(self) -> None:
        """The refill loop, started again should it ever fail: without it no pool would refill."""
        while not self._closed.is_set():
            try:
                self._refill_loop()
            except Exception as exc:  # noqa: BLE001 - reported, then the loop goes on
                print(f"sandbox: the refill loop failed ({exc!r}); starting it again", file=sys.stderr, flush=True)
                self._closed.wait(1.0)

    def _refill_loop(self) -> None:
        while not self._closed.is_set():
            if not self._zygote_up.is_set():
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            self._drop_dead_idle_workers()
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
                    self._fill_cache(self._profiles[key])
                except Exception as exc:  # noqa: BLE001 - without a cache workers only warm slower
                    print(f"sandbox: could not fill the compile cache: {exc}", file=sys.stderr)
                self._filled.add(key)
            if self._hot(key) and self._templates.wanted(key, self._generation):
                request = {"warmup_file": self._profiles[key].warmup_file, "cache_dir": self.cache_dir}
                request["warm_inputs"] = [json.loads(t) for t in self._profiles[key].warm_inputs]
                args = (key, request, self._ask_zygote, WARM_TIMEOUT_S)
                threading.Thread(target=self._templates.start, args=args, daemon=True).start()
            with self._lock:
                self._warming[key] += 1
            try:
                worker = self._spawn(self._profiles[key])
            except Exception as exc:  # noqa: BLE001 - retried on the next wake
                if self._closed.is_set():
                    return  # the judge closed while this worker was being asked for
                print(f"sandbox: could not start a worker: {exc}", file=sys.stderr)
                with self._lock:
                    self._warming[key] -= 1
                self._closed.wait(1.0)
                continue
            threading.Thread(target=self._await_ready, args=(key, worker), daemon=True).start()

    def _next_spare(self) -> str | None:
        """A problem served by a warm template that lacks its fresh spare, or None."""
        with self._lock:
            if self._driving or sum(self._warming.values()) + sum(self._warming_spares.values()) >= MAX_WARMING:
                return None
            for key in self._profiles:
                have = self._spares[key].qsize() + self._warming_spares[key]
                if have < SPARES and self._templates.ready(key, self._generation) is not None:
                    self._warming_spares[key] += 1
                    return key
        return None

    def _warm_spare(self, key: str) -> None:
        """Start one fresh worker for the problem's spares; it joins them once warm."""
        try:
            worker = self._spawn(self._profiles[key], from_template=False)
        except Exception as exc:  # noqa: BLE001 - retried on the next wake
            with self._lock:
                self._warming_spares[key] -= 1
            if not self._closed.is_set():
                print(f"sandbox: could not start a spare worker: {exc}", file=sys.stderr)
                self._closed.wait(1.0)
            return

        def await_spare() -> None:
            ok = self._wait_ready(worker, WARM_TIMEOUT_S) and worker.generation == self._generation
            with self._lock:
                self._warming_spares[key] -= 1
                if ok:
                    self._spares[key].put(worker)
            if not ok:
                self._destroy(worker)
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
                self._destroy(worker)

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

    def _spawn(self, profile: WarmProfile, from_template: bool = True) -> _Worker:
        with self._lock:
            uid = self._take_uid()
            self._spawned += 1
            name = f"w{self._spawned}"
        cgroups = self._cgroups.create(name, self.limits.memory_bytes, self.limits.max_tasks, self.limits.cpu_cores)
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        result_r, result_w = os.pipe()
        status_r, status_w = os.pipe()
        spec = SandboxSpec(
            uid=uid,
            memory_bytes=self.limits.memory_bytes,
            max_tasks=self.limits.max_tasks,
            disk_bytes=self.limits.disk_bytes,
            cpu_seconds=int(self.limits.wall_seconds * 2) + 5,
            visible_paths=_python_paths(),
            cache_dir=self.cache_dir,
            root_dir=self._root_dir,
            cgroup_dirs=cgroups,
        )
        request = {
            "kind": "spawn",
            "warmup_file": profile.warmup_file,
            "warm_inputs": [json.loads(t) for t in profile.warm_inputs],
            "spec": asdict(spec),
        }
        child_ends = [job_r, out_w, result_w, status_w]
        warm = self._templates.ready(profile.key, self._generation) if from_template else None
        try:
            if warm is not None:
                keeper, generation = self._templates.ask(warm, request, child_ends), warm.generation
            else:
                keeper, generation = self._ask_zygote(request, child_ends)
        except Exception:
            for fd in child_ends + [job_w, out_r, result_r, status_r]:
                os.close(fd)
            CgroupManager.destroy(cgroups)
            with self._lock:
                self._uids_in_use.discard(uid)
            raise
        for fd in child_ends:
            os.close(fd)
        os.set_blocking(job_w, False)
        worker = _Worker(keeper, job_w, out_r, result_r, status_r, uid, cgroups, generation=generation)
        worker.template = warm is not None
        return worker

    def _take_uid(self) -> int:
        while True:
            self._next_uid = (self._next_uid + 1) % 100_000
            uid = UID_BASE + self._next_uid
            if uid not in self._uids_in_use:
                self._uids_in_use.add(uid)
                return uid

    def _await_ready(self, key: str, worker: _Worker) -> None:
        ok = self._wait_ready(worker, WARM_TIMEOUT_S) and worker.generation == self._generation
        with self._lock:
            self._warming[key] -= 1
            if ok:
                self.protections = worker.protections
                self.notes = worker.notes
                self._ready[key].put(worker)
                if self._health.restarting:
                    self._health = SandboxHealth(HealthState.OK, "The sandbox is running again.", self._restarts)
        if not ok:
            self._destroy(worker)
            self._closed.wait(0.5)
        self._wake.set()

    def _wait_ready(self, worker: _Worker, timeout: float) -> bool:
        """Wait for the worker's ready frame (it is isolated and warm); True when it came."""
        ok = False
        try:
            frame = _read_one_frame(worker.result_r, worker.results, timeout)
            status = _read_one_frame(worker.status_r, worker.status, 5.0)
            if status and status.get("type") == "started":
                worker.worker_pid = int(status["pid"])
            if frame and frame.get("type") == "ready":
                worker.protections = tuple(frame.get("protections", ()))
                worker.notes = tuple(frame.get("notes", ()))
                ok = worker.worker_pid is not None
            elif frame and frame.get("type") == "setup_error":
                print(f"sandbox: worker setup failed:\n{frame.get('text')}", file=sys.stderr)
        except (ProtocolError, OSError, ValueError):
            ok = False
        return ok

    def _fresh_worker(self, key: str, deadline: float) -> _Worker | None:
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
            self._destroy(spare)
        try:
            worker = self._spawn(self._profiles[key], from_template=False)
        except Exception:  # noqa: BLE001 - reported as no worker
            return None
        if self._wait_ready(worker, deadline - time.monotonic()):
            return worker
        self._destroy(worker)
        return None

    def _acquire(self, key: str, deadline: float) -> _Worker | None:
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
                self._destroy(worker)
        finally:
            with self._lock:
                self._waiters[key] -= 1

    def _usable(self, worker: _Worker) -> bool:
        """True when the worker and its keeper still live: a dead one's pipes have an exit frame or EOF."""
        if worker.generation != self._generation or not _running(worker.worker_pid) or not _running(worker.keeper_pid):
            return False
        ready, _, _ = select.select([worker.status_r, worker.result_r, worker.out_r], [], [], 0)
        # Output printed while warming is harmless; anything on the other two means it has ended.
        return not any(fd != worker.out_r for fd in ready)

    def missing_protections(self) -> list[str]:
        """Protections the last ready worker did not get, by name."""
        return [p for p in ALL_PROTECTIONS if p not in self.protections]

    def wait_until_ready(self, key: str, timeout: float) -> bool:
        """Block until a worker for this problem is warm (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ready[key].qsize() > 0:
                return True
            time.sleep(0.01)
        return False

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
        print(f"sandbox: a worker died mid-run ({_how_ended(first.exit_code)}); running the job again", file=sys.stderr)
        outcome = self._attempt_or_hand_back(key, job, follow_up, deadline)
        outcome.retried = True
        if outcome.died_unexplained and (outcome.exit_code is None or not self._zygote_up.is_set()):
            # Its keeper (or the zygote) was gone before the worker's exit could be told: twice ours.
            outcome.internal_error = "the sandbox's own processes were stopped twice while running this code"
        return outcome

    def _attempt_or_hand_back(
        self, key: str, job: dict[str, Any], follow_up: list[dict[str, Any]] | None, deadline: float
    ) -> RunOutcome:
        """One attempt; when a template's worker hands the job back, the job run again on a fresh worker."""
        outcome = self._attempt(key, job, follow_up, deadline)
        if outcome.from_template and outcome.timed_out and not _was_busy(outcome):
            outcome.needs_fresh_worker = "time_limit"
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
                why = "the sandbox is restarting" if self._health.restarting else "no sandbox worker became ready"
                return RunOutcome(internal_error=f"{why} in time")
            with self._lock:
                self._driving += 1
            try:
                outcome = self._drive(worker, job, follow_up)
                outcome.from_template = worker.template
                if outcome.died_unexplained and worker.generation != self._generation:
                    outcome.exit_code = None  # the zygote died under it: its keeper could not tell
                return outcome
            finally:
                self._destroy(worker)
                with self._lock:
                    self._driving -= 1
                self._wake.set()
        finally:
            self._gate.leave()

    def _drive(self, worker: _Worker, job: dict[str, Any], follow_up: list[dict[str, Any]] | None) -> RunOutcome:
        outcome = RunOutcome()
        limit = self.limits.output_bytes
        output = bytearray()
        hidden_phase_bytes = 0
        _drain(worker.out_r)  # anything printed while warming is not the learner's
        job = dict(job, more=follow_up is not None)
        started = time.monotonic()
        deadline = started + self.limits.wall_seconds
        try:
            _write_all(worker.job_w, encode_frame(job), deadline)
        except (OSError, TimeoutError):
            pass  # the worker died or stopped reading; the loop below reports how it ended
        poller = select.poll()
        for fd in (worker.out_r, worker.result_r, worker.status_r):
            poller.register(fd, select.POLLIN)
        open_fds = {worker.out_r, worker.result_r, worker.status_r}
        hidden = False
        hidden_names = {case["name"] for case in follow_up or []}
        finished = False
        progress = ProgressWatch(worker.worker_pid) if worker.template and worker.worker_pid else None
        while not finished:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome.timed_out = True
                break
            if worker.result_r not in open_fds and worker.status_r not in open_fds:
                break
            if progress is not None and progress.stalled():
                # Waiting on a thread it did not inherit from the template; maybe holding the GIL, so
                # the worker's own watch cannot say so. Its frames and output are dropped.
                outcome.needs_fresh_worker = "stalled"
                break
            wait_s = min(remaining, CHECK_SECONDS) if progress is not None else remaining
            for fd, _event in poller.poll(wait_s * 1000):
                data = _read_some(fd)
                if not data:
                    poller.unregister(fd)
                    open_fds.discard(fd)
                    continue
                if fd == worker.out_r:
                    if hidden:
                        hidden_phase_bytes += len(data)
                    else:
                        output += data
                    if len(output) > limit or hidden_phase_bytes > limit:
                        outcome.output_exceeded = True
                        finished = True
                elif fd == worker.status_r:
                    frames, worker.status.backlog = worker.status.backlog + worker.status.feed(data), []
                    for frame in frames:
                        if frame.get("type") == "exited":
                            worker.exit_code = int(frame.get("code", 0))
                else:
                    try:
                        frames = worker.results.feed(data)
                    except ProtocolError as exc:
                        outcome.protocol_error = str(exc)
                        finished = True
                        break
                    for frame in frames:
                        kind = frame.get("type")
                        if kind == "needs_fresh_worker" and worker.template:
                            # Its frames and output are dropped: run() judges it again.
                            outcome.needs_fresh_worker = _handed_back_reason(frame)
                            finished = True
                        elif hidden:
                            # The worker has been sent hidden inputs, so anything it says may carry them: keep
                            # only results of hidden tests, which are never shown in detail.
                            if kind == "results":
                                outcome.frames.append(_checked_frame(frame, hidden_names))
                                outcome.finished = True
                            else:
                                outcome.protocol_error = f"unexpected frame {str(kind)[:40]!r} from the worker"
                            finished = True
                        elif kind == "results" and frame.get("more") and follow_up is not None:
                            outcome.frames.append(_checked_frame(frame))
                            output += _drain(worker.out_r)
                            hidden = True
                            if progress is not None:
                                progress.restart()
                            try:
                                _write_all(worker.job_w, encode_frame({"type": "cases", "cases": follow_up}), deadline)
                            except (OSError, TimeoutError):
                                pass
                        elif kind == "load_error" or kind == "results":
                            outcome.frames.append(_checked_frame(frame))
                            outcome.finished = True
                            finished = True
                        else:
                            outcome.protocol_error = f"unexpected frame {str(kind)[:40]!r} from the worker"
                            finished = True
                        if finished:
                            break
                if finished:
                    break
        if not hidden:
            output += _drain(worker.out_r)
        outcome.run_seconds = time.monotonic() - started
        outcome.cpu_seconds = progress.cpu_seconds() if progress is not None else None
        outcome.output_cut = len(output) > limit
        outcome.output = bytes(output[:limit]).decode("utf-8", errors="replace")
        self._stop(worker)
        outcome.exit_code = worker.exit_code
        outcome.memory_exceeded = CgroupManager.hit_memory_limit(worker.cgroups)
        return outcome

    def _stop(self, worker: _Worker) -> None:
        if worker.worker_pid is not None and worker.exit_code is None:
            try:
                os.kill(worker.worker_pid, signal.SIGKILL)
            except OSError:
                pass
        deadline = time.monotonic() + 5.0
        while worker.exit_code is None and time.monotonic() < deadline:
            frame = _read_one_frame(worker.status_r, worker.status, deadline - time.monotonic())
            if frame is None:
                break
            if frame.get("type") == "exited":
                worker.exit_code = int(frame.get("code", 0))

    def _destroy(self, worker: _Worker) -> None:
        try:
            self._stop(worker)
        except (OSError, ProtocolError, ValueError):
            pass
        try:
            os.kill(worker.keeper_pid, signal.SIGKILL)
        except OSError:
            pass
        for fd in worker.fds():
            try:
                os.close(fd)
            except OSError:
                pass
        reaped_as_init = worker.exit_code is not None and "pid_namespace" in worker.protections
        if reaped_as_init and self._cleaner.is_alive():
            # The worker was pid 1 of its namespace and its exit has been reaped, which the kernel
            # allows only once every process in that namespace is gone: removing the (now empty)
            # cgroups can wait until after the verdict.
            self._leftovers.put(worker)
        else:
            self._remove_groups(worker)

    def _remove_groups(self, worker: _Worker) -> None:
        CgroupManager.destroy(worker.cgroups)
        with self._lock:
            self._uids_in_use.discard(worker.uid)

    def _clean_loop(self) -> None:
        while True:
            worker = self._leftovers.get()
            if worker is None:
                return
            self._remove_groups(worker)


def _was_busy(outcome: RunOutcome) -> bool:
    """True when the worker's main thread computed for most of its run (not known: not busy)."""
    cpu = outcome.cpu_seconds
    return cpu is not None and outcome.run_seconds > 0 and cpu >= BUSY_SHARE * outcome.run_seconds


def _handed_back_reason(frame: dict[str, Any]) -> str:
    """Why a template's worker handed its job back, from a frame its (untrusted) process wrote."""
    reason = frame.get("reason")
    return reason if reason in ("compile", "stall") else "claimed"


def _checked_frame(frame: dict[str, Any], only: set[str] | None = None) -> dict[str, Any]:
    """A worker's frame cut down to the fields the grader reads, each of the type it expects.

    The worker runs the learner's code, so its frames are as untrusted as the code. With `only`,
    just the results of those tests are kept, and no warnings.
    """
    warnings = frame.get("warnings") if isinstance(frame.get("warnings"), list) and only is None else []
    checked: dict[str, Any] = {
        "type": frame.get("type"),
        "more": frame.get("more") is True,
        "warnings": [w for w in warnings if isinstance(w, str)],
    }
    for count in ("compiles", "cache_reads"):  # cost only, for the benchmark: never part of a verdict
        if _size(frame.get(count)):
            checked[count] = frame[count]
    if frame.get("type") == "load_error":
        checked["kind"] = frame.get("kind") if isinstance(frame.get("kind"), str) else None
        checked["error"] = _flat(frame["error"]) if isinstance(frame.get("error"), dict) else None
        return checked
    results = []
    for item in frame.get("results") if isinstance(frame.get("results"), list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        if only is not None and item["name"] not in only:
            continue
        result: dict[str, Any] = {"name": item["name"]}
        if isinstance(item.get("output"), dict):
            result["output"] = _flat(item["output"])
        if isinstance(item.get("outputs"), list) and len(item["outputs"]) <= MAX_OUTPUT_PARTS:
            result["outputs"] = [_flat(part) if isinstance(part, dict) else {} for part in item["outputs"]]
        if isinstance(item.get("error"), dict):
            result["error"] = _flat(item["error"])
        params = item.get("params") if isinstance(item.get("params"), list) else []
        # A shape of anything but sizes once made the grader compute "ab" * 10**10 in the judge.
        result["params"] = [_flat(p) for p in params if isinstance(p, dict) and _is_shape(p.get("shape"))]
        state = checked_state(item.get("state")) if only is None else None  # hidden tests' state stays in
        if state is not None:
            result["state"] = state
        results.append(result)
    checked["results"] = results
    return checked


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _flat(described: dict[str, Any]) -> dict[str, Any]:
    # The worker only sends scalars and flat lists of numbers; deeper values could only be hostile.
    return {k: v for k, v in described.items() if _scalar(v) or (isinstance(v, list) and all(map(_number, v)))}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_shape(shape: Any) -> bool:
    return isinstance(shape, list) and len(shape) <= 8 and all(_size(n) for n in shape)


def _size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1 << 31


def _profile_digest(profile: WarmProfile) -> str:
    warmup = Path(profile.warmup_file).read_bytes()
    text = json.dumps([profile.warm_inputs, sys.version]).encode() + warmup
    return hashlib.sha256(text).hexdigest()[:16]


def _python_paths() -> list[str]:
    """Folders the worker must still read: the interpreter and installed packages only."""
    paths = {sys.base_prefix, sys.prefix, sys.exec_prefix}
    for entry in sys.path:
        if entry and os.path.isdir(entry) and "-packages" in entry:
            paths.add(os.path.realpath(entry))
    project = str(PROJECT_ROOT)
    # The venv may live inside the project: show its folder, never the project itself.
    return sorted(p for p in paths if p != project and not project.startswith(p + os.sep) and p != "/")


def _remove_abandoned_roots() -> None:
    """Remove the empty mount-point folders of judges that died without closing."""
    for folder in Path(tempfile.gettempdir()).glob(f"{ROOT_PREFIX}*-*"):
        owner = folder.name.removeprefix(ROOT_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            try:
                folder.rmdir()  # only ever empty: workers mount on it in namespaces of their own
            except OSError:
                pass


def _how_ended(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _running(pid: int | None) -> bool:
    """True when the process exists and is not a zombie waiting to be reaped."""
    if pid is None:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return _alive(pid)  # no /proc: the best this machine can tell
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _read_some(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


def _drain(fd: int, budget: int = 1 << 20) -> bytes:
    """Whatever a pipe holds right now, without blocking."""
    chunks = []
    total = 0
    while total < budget:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            break
        chunk = _read_some(fd)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("worker did not read its job")
        _, writable, _ = select.select([], [fd], [], remaining)
        if writable:
            try:
                view = view[os.write(fd, view[: 1 << 16]) :]
            except BlockingIOError:
                continue


def _read_one_frame(fd: int, reader: FrameReader, timeout: float) -> dict[str, Any] | None:
    if reader.backlog:
        return reader.backlog.pop(0)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        data = _read_some(fd)
        if not data:
            return None
        frames = reader.feed(data)
        if frames:
            reader.backlog.extend(frames[1:])
            return frames[0]
