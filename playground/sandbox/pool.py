"""Runs untrusted source in fresh, isolated, limited worker processes forked from a warm zygote.

A pool keeps workers warmed (isolated, with the problem's ops compiled) so a submission only
pays for its own code. Each worker serves exactly one submission and is then destroyed, with
every process it started.
"""

from __future__ import annotations

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
from playground.sandbox.protocol import FrameReader, ProtocolError, encode_frame
from playground.sandbox.state_description import checked_state

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 120.0
UID_BASE = 1_500_000
ROOT_PREFIX = "playground-root-"
MAX_OUTPUT_PARTS = 16
MAX_WARMING = 2  # workers warming at once: each takes about one core for half a second
HOT_SECONDS = 600.0  # a problem submitted to within this long keeps a full pool


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

    def fds(self) -> tuple[int, ...]:
        return (self.job_w, self.out_r, self.result_r, self.status_r)


class _FairGate:
    """At most `capacity` holders at once, admitted strictly in arrival order."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._active = 0
        self._waiting: deque[object] = deque()
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            while self._waiting[0] is not ticket or self._active >= self._capacity:
                self._cond.wait()
            self._waiting.popleft()
            self._active += 1
            self._cond.notify_all()

    def __exit__(self, *exc_info: object) -> None:
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
        self._zygote: subprocess.Popen | None = None
        self._socket: socket.socket | None = None
        _remove_abandoned_roots()
        self._root_dir = tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-")
        self._cgroups = CgroupManager(f"playground-{os.getpid()}-{id(self):x}")
        self._refiller = threading.Thread(target=self._refill_loop, name="sandbox-refill", daemon=True)
        self._leftovers: queue.Queue[_Worker | None] = queue.Queue()
        self._cleaner = threading.Thread(target=self._clean_loop, name="sandbox-clean", daemon=True)

    # ----- life cycle -------------------------------------------------------------------------

    def start(self, profiles: list[WarmProfile]) -> None:
        """Start the zygote, fill the compile cache, and begin warming workers."""
        for profile in profiles:
            self._profiles[profile.key] = profile
            self._ready[profile.key] = queue.Queue()
            self._warming[profile.key] = 0
        self._start_zygote()
        self._refiller.start()
        self._cleaner.start()
        self._wake.set()

    def close(self) -> None:
        """Stop every worker and the zygote; remove cgroups and temporary folders."""
        self._closed.set()
        self._wake.set()
        for ready in self._ready.values():
            while True:
                try:
                    self._destroy(ready.get_nowait())
                except queue.Empty:
                    break
        if self._cleaner.is_alive():
            self._leftovers.put(None)
            self._cleaner.join(timeout=30)
        if self._socket is not None:
            self._socket.close()
        if self._zygote is not None:
            try:
                self._zygote.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait()
        self._cgroups.close()
        try:
            os.rmdir(self._root_dir)
        except OSError:
            pass

    def _start_zygote(self) -> None:
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
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "playground.sandbox.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            env=env,
            cwd=str(PROJECT_ROOT),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self._socket = ours

    def _ask_zygote(self, request: dict[str, Any], fds: list[int]) -> int:
        with self._zygote_lock:
            socket.send_fds(self._socket, [json.dumps(request).encode()], fds)
            reply = self._socket.recv(4096)
        pid = json.loads(reply or b"{}").get("pid")
        if not isinstance(pid, int):
            raise RuntimeError("the zygote could not start a worker")
        return pid

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
        finally:
            os.close(status_w)
        # The fill runs beside the first workers' warm-up; waiting here keeps their reads useful.
        frame = _read_one_frame(status_r, FrameReader(), 120.0)
        os.close(status_r)
        if frame is not None and frame.get("type") == "filled":
            marker.write_text("ok\n")

    # ----- the pool ---------------------------------------------------------------------------

    def _refill_loop(self) -> None:
        while not self._closed.is_set():
            key = self._next_to_warm()
            if key is None:
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            if key not in self._filled:
                try:
                    self._fill_cache(self._profiles[key])
                except Exception as exc:  # noqa: BLE001 - without a cache workers only warm slower
                    print(f"sandbox: could not fill the compile cache: {exc}", file=sys.stderr)
                self._filled.add(key)
            with self._lock:
                self._warming[key] += 1
            try:
                worker = self._spawn(self._profiles[key])
            except Exception as exc:  # noqa: BLE001 - retried on the next wake
                print(f"sandbox: could not start a worker: {exc}", file=sys.stderr)
                with self._lock:
                    self._warming[key] -= 1
                self._closed.wait(1.0)
                continue
            threading.Thread(target=self._await_ready, args=(key, worker), daemon=True).start()

    def _next_to_warm(self) -> str | None:
        """The problem whose pool most needs a worker, or None when all are full or enough warm."""
        with self._lock:
            if sum(self._warming.values()) >= MAX_WARMING:
                return None
            short = []
            for order, key in enumerate(self._profiles):
                have = self._ready[key].qsize() + self._warming[key]
                if have < self._target(key, order):
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

    def _target(self, key: str, order: int) -> int:
        """Idle workers to keep: the full pool for problems in use lately (and the first), else one."""
        recently = time.monotonic() - self._last_used.get(key, float("-inf")) < HOT_SECONDS
        return self.pool_size if recently or order == 0 else 1

    def _spawn(self, profile: WarmProfile) -> _Worker:
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
        try:
            keeper = self._ask_zygote(request, child_ends)
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
        return _Worker(keeper, job_w, out_r, result_r, status_r, uid, cgroups)

    def _take_uid(self) -> int:
        while True:
            self._next_uid = (self._next_uid + 1) % 100_000
            uid = UID_BASE + self._next_uid
            if uid not in self._uids_in_use:
                self._uids_in_use.add(uid)
                return uid

    def _await_ready(self, key: str, worker: _Worker) -> None:
        ok = False
        try:
            frame = _read_one_frame(worker.result_r, worker.results, READY_TIMEOUT_S)
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
        with self._lock:
            self._warming[key] -= 1
            if ok:
                self.protections = worker.protections
                self.notes = worker.notes
                self._ready[key].put(worker)
        if not ok:
            self._destroy(worker)
            self._closed.wait(0.5)
        self._wake.set()

    def _acquire(self, key: str) -> _Worker:
        self._last_used[key] = time.monotonic()
        self._wake.set()
        while True:
            try:
                worker = self._ready[key].get(timeout=READY_TIMEOUT_S)
            except queue.Empty:
                raise RuntimeError("no sandbox worker became ready in time") from None
            self._wake.set()
            if _alive(worker.worker_pid):
                return worker
            self._destroy(worker)

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

    def run(self, key: str, job: dict[str, Any], follow_up: list[dict[str, Any]] | None) -> RunOutcome:
        """Send a job to a fresh worker (and hidden cases once its visible output is in)."""
        with self._gate:
            worker = self._acquire(key)
            with self._lock:
                self._driving += 1
            try:
                return self._drive(worker, job, follow_up)
            finally:
                self._destroy(worker)
                with self._lock:
                    self._driving -= 1
                self._wake.set()

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
        while not finished:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome.timed_out = True
                break
            if worker.result_r not in open_fds and worker.status_r not in open_fds:
                break
            for fd, _event in poller.poll(remaining * 1000):
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
                        if hidden:
                            # The worker has been sent hidden inputs, so anything it says may carry them: keep
                            # only results of hidden tests, which are never shown in detail.
                            if kind == "results":
                                outcome.frames.append(_checked_frame(frame, hidden_names))
                            else:
                                outcome.protocol_error = f"unexpected frame {str(kind)[:40]!r} from the worker"
                            finished = True
                        elif kind == "results" and frame.get("more") and follow_up is not None:
                            outcome.frames.append(_checked_frame(frame))
                            output += _drain(worker.out_r)
                            hidden = True
                            try:
                                _write_all(worker.job_w, encode_frame({"type": "cases", "cases": follow_up}), deadline)
                            except (OSError, TimeoutError):
                                pass
                        elif kind == "load_error" or kind == "results":
                            outcome.frames.append(_checked_frame(frame))
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
