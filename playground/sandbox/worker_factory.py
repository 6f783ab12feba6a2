"""Makes sandboxed workers and ends them: each from the zygote or from its problem's warm template.

A worker gets a uid of its own, memory, pids and cpu groups, and four pipes (protocol.WorkerFds);
the zygote (or template) forks a keeper that isolates it and reports its pid and exit. Ending a
worker kills it and its keeper, closes the pipes and removes its groups, after the verdict when
the kernel has already emptied them.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import random
import signal
import sys
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from playground.sandbox.cgroups import CgroupManager
from playground.sandbox.compile_cache import CompileCache
from playground.sandbox.fd_io import read_one_frame
from playground.sandbox.isolation import SandboxSpec
from playground.sandbox.processes import alive
from playground.sandbox.protocol import Frame, ProtocolError, Request, WorkerFds
from playground.sandbox.records import Limits, WarmProfile, WorkerHandle
from playground.sandbox.submission_run import stop_worker
from playground.sandbox.template import Templates
from playground.sandbox.zygote_supervisor import ZygoteSupervisor

log = logging.getLogger(__name__)  # lines start with 'sandbox:'; unconfigured, warnings reach stderr
PROJECT_ROOT = Path(__file__).resolve().parents[2]
UID_BASE = 1_500_000
ROOT_PREFIX = "playground-root-"


class WorkerFactory:
    """Spawns workers through the zygote or a template, waits for them to be ready, and destroys them."""

    def __init__(self, limits: Limits, cache: CompileCache, zygotes: ZygoteSupervisor, templates: Templates) -> None:
        self.limits = limits
        self._cache = cache
        self._zygotes = zygotes
        self._templates = templates
        self._lock = threading.Lock()
        self._uids_in_use: set[int] = set()
        # Judges in other processes draw from the same range; a random start makes a shared uid (and
        # so a shared RLIMIT_NPROC count) between two live workers unlikely.
        self._next_uid = random.randrange(100_000)
        self._spawned = 0
        _remove_abandoned_roots()
        self.root_dir = tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-")
        self.cgroups = CgroupManager(f"playground-{os.getpid()}-{id(self):x}")
        self._leftovers: queue.Queue[WorkerHandle | None] = queue.Queue()
        self._cleaner = threading.Thread(target=self._clean_loop, name="sandbox-clean", daemon=True)

    def start(self) -> None:
        """Start the thread that removes finished workers' groups after their verdicts."""
        self._cleaner.start()

    def close(self) -> None:
        """Remove every group and the mount-point folder (call once no worker is left)."""
        if self._cleaner.is_alive():
            self._leftovers.put(None)
            self._cleaner.join(timeout=30)
        self.cgroups.close()
        try:
            os.rmdir(self.root_dir)
        except OSError:
            pass

    def spawn(self, profile: WarmProfile, from_template: bool = True) -> WorkerHandle:
        with self._lock:
            uid = self._take_uid()
            self._spawned += 1
            name = f"w{self._spawned}"
        cgroups = self.cgroups.create(name, self.limits.memory_bytes, self.limits.max_tasks, self.limits.cpu_cores)
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
            cache_dir=self._cache.dir,
            root_dir=self.root_dir,
            cgroup_dirs=cgroups,
        )
        request = {
            "kind": Request.SPAWN,
            "warmup_file": profile.warmup_file,
            "warm_inputs": [json.loads(t) for t in profile.warm_inputs],
            "spec": asdict(spec),
        }
        child_ends = list(WorkerFds(job=job_r, output=out_w, results=result_w, status=status_w))
        warm = self._templates.ready(profile.key, self._zygotes.generation) if from_template else None
        try:
            if warm is not None:
                keeper, generation = self._templates.ask(warm, request, child_ends), warm.generation
            else:
                keeper, generation = self._zygotes.ask(request, child_ends)
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
        worker = WorkerHandle(keeper, job_w, out_r, result_r, status_r, uid, cgroups, generation=generation)
        worker.template = warm is not None
        return worker

    def _take_uid(self) -> int:
        while True:
            self._next_uid = (self._next_uid + 1) % 100_000
            uid = UID_BASE + self._next_uid
            if uid not in self._uids_in_use:
                self._uids_in_use.add(uid)
                return uid

    def wait_ready(self, worker: WorkerHandle, timeout: float) -> bool:
        """Wait for the worker's ready frame (it is isolated and warm); True when it came."""
        ok = False
        try:
            frame = read_one_frame(worker.result_r, worker.results, timeout)
            status = read_one_frame(worker.status_r, worker.status, 5.0)
            if status and status.get("type") == Frame.STARTED:
                worker.worker_pid = int(status["pid"])
            if frame and frame.get("type") == Frame.READY:
                worker.protections = tuple(frame.get("protections", ()))
                worker.notes = tuple(frame.get("notes", ()))
                ok = worker.worker_pid is not None
            elif frame and frame.get("type") == Frame.SETUP_ERROR:
                log.warning(f"sandbox: worker setup failed:\n{frame.get('text')}")
        except (ProtocolError, OSError, ValueError):
            ok = False
        return ok

    def destroy(self, worker: WorkerHandle) -> None:
        try:
            stop_worker(worker)
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

    def _remove_groups(self, worker: WorkerHandle) -> None:
        CgroupManager.destroy(worker.cgroups)
        with self._lock:
            self._uids_in_use.discard(worker.uid)

    def _clean_loop(self) -> None:
        while True:
            worker = self._leftovers.get()
            if worker is None:
                return
            self._remove_groups(worker)


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
        if owner.isdigit() and not alive(int(owner)):
            try:
                folder.rmdir()  # only ever empty: workers mount on it in namespaces of their own
            except OSError:
                pass
