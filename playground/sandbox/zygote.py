"""Fork server: imports jax and flax once, then forks a fresh, self-isolating worker per request.

It never starts a JAX backend itself (forking after that deadlocks the child) and never runs
learner code. Run as `python -m playground.sandbox.zygote FD`, where FD is a Unix socket to the judge.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.util
import json
import logging
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from typing import Any

import jax  # noqa: F401 - imported once here so every fork starts warm
import jax.numpy  # noqa: F401
import numpy  # noqa: F401
from flax import nnx  # noqa: F401

from playground.sandbox import syscall_filter, template, worker
from playground.sandbox.compile_hook import hand_back, stop_at_first_compile
from playground.sandbox.isolation import (
    SandboxSpec,
    enter_namespaces,
    isolate_worker,
    join_cgroups,
    set_parent_death_signal,
)
from playground.sandbox.jax_cache import use_jax_cache
from playground.sandbox.protocol import RESULT_FD, Frame, HandBack, Request, write_frame
from playground.sandbox.stall_watch import StallWatch

# Modules a learner might import, loaded now so a worker with a private root still finds them.
PRELOADED = ("math", "functools", "itertools", "typing", "dataclasses", "collections", "warnings", "optax")

MAX_REQUEST = 1 << 20
LOG = logging.getLogger(__name__)
_warmups: dict[str, Any] = {}
_children: set[int] = set()
_warmed = False  # True in a warm template (see template.py): its workers skip the warm-up and never compile
_zygote_data_bytes = 0  # the zygote's own data once it has imported everything (see _learner_data_budget)


def _preload() -> None:
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _load_warmup(path: str) -> Any:
    # Loaded by path, not as a package, so no problem's tests ever sit in a worker's memory.
    if path not in _warmups:
        spec = importlib.util.spec_from_file_location(f"_warmup_{len(_warmups)}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _warmups[path] = module
    return _warmups[path]


def _warm_all(module: Any, inputs_list: list[dict[str, Any]], function: str) -> None:
    run = getattr(module, function, None) or module.warm
    for inputs in inputs_list:
        try:
            run(inputs)
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            pass


def _sandboxed(request: dict[str, Any], fds: list[int], applied: set[str]) -> None:
    job_r, out_w, result_w, status_w = fds
    set_parent_death_signal(signal.SIGKILL)
    os.dup2(job_r, 0)
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    os.dup2(result_w, 3)
    os.closerange(4, 65536)
    spec = dataclasses.replace(SandboxSpec(**request["spec"]), memory_bytes=_learner_data_budget(request))
    notes: list[str] = []
    if "mount_namespace" in applied:
        applied |= isolate_worker(spec, notes)
    else:
        notes.append("namespaces unavailable: running without a private filesystem")
        applied |= isolate_worker_without_namespaces(spec, notes)
    # Last, once no more privileged steps are needed, and before JAX starts any thread.
    if "no_new_privileges" in applied and syscall_filter.install():
        applied.add("syscall_filter")
    else:
        notes.append("syscall filter not installed")
    set_parent_death_signal(signal.SIGKILL)  # again: changing uid cleared it
    os.environ.clear()
    os.environ.update({"HOME": "/tmp", "TMPDIR": "/tmp", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    watch = stall = None
    if _warmed:
        watch = stop_at_first_compile(RESULT_FD)  # before any learner code: a compile here would hang
        stall = StallWatch(lambda: hand_back(RESULT_FD, HandBack.STALL)).start()
    else:
        cache = spec.cache_dir if spec.cache_dir and os.path.isdir(spec.cache_dir) else None
        use_jax_cache(cache, writable=False)
        _warm_all(_warmups[request["warmup_file"]], request["warm_inputs"], "warm")
    # Collections during the learner's run then skip everything made so far (no collect first:
    # it would write to, and so copy, every page shared with the zygote).
    gc.freeze()
    write_frame(RESULT_FD, {"type": Frame.READY, "protections": sorted(applied), "notes": notes})
    worker.serve(watch=watch, stall=stall)


def _learner_data_budget(request: dict[str, Any]) -> int:
    """The data limit for a worker: the learner's memory on top of what the worker starts with.

    A template's worker starts with the template's compiled ops mapped (shared with it, copy on
    write): counted against the learner, they would leave less than a fresh worker leaves, or
    nothing at all for a template that compiled many ops.
    """
    budget = int(request["spec"]["memory_bytes"])
    if _warmed:
        budget += max(0, _data_bytes() - _zygote_data_bytes)
    return budget


def _data_bytes() -> int:
    """This process's data size (VmData), or 0 when /proc cannot tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def isolate_worker_without_namespaces(spec: SandboxSpec, notes: list[str]) -> set[str]:
    """Fallback when namespaces are refused: limits and a private uid only."""
    from playground.sandbox.isolation import apply_resource_limits, drop_privileges

    applied: set[str] = set()
    try:
        apply_resource_limits(spec)
        applied.add("resource_limits")
    except (OSError, ValueError) as exc:
        notes.append(f"resource limits not applied: {exc}")
    return applied | drop_privileges(spec.uid)


def _keeper(request: dict[str, Any], fds: list[int], zygote_pid: int) -> None:
    """The worker's trusted parent: isolates, forks the worker, reports its pid and exit."""
    worker_pid = 0

    def end_worker(_signum: int, _frame: Any) -> None:
        # The zygote is stopping or gone, so the judge is too: nobody else would ever kill the worker,
        # which is pid 1 of its namespace, so killing it ends every process it started.
        if worker_pid:
            os.kill(worker_pid, signal.SIGKILL)
        os._exit(1)

    signal.signal(signal.SIGTERM, end_worker)
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != zygote_pid:
        os._exit(1)
    os.setsid()
    status_w = fds[3]
    spec = request["spec"]
    applied = join_cgroups(spec["cgroup_dirs"])
    applied |= enter_namespaces()
    # Held back until worker_pid is set, so a SIGTERM cannot fall between the fork and the assignment.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        try:
            _sandboxed(request, fds, applied)
        except BaseException:  # noqa: BLE001 - report, then vanish; the judge sees a setup failure
            try:
                write_frame(RESULT_FD, {"type": Frame.SETUP_ERROR, "text": traceback.format_exc()[-4000:]})
            except OSError:
                pass
        finally:
            os._exit(0)
    worker_pid = pid
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    for fd in fds[:3]:
        os.close(fd)
    write_frame(status_w, {"type": Frame.STARTED, "pid": pid})
    _, status = os.waitpid(pid, 0)
    write_frame(status_w, {"type": Frame.EXITED, "code": os.waitstatus_to_exitcode(status)})


def _fill_cache(request: dict[str, Any], status_w: int) -> None:
    """Trusted, unsandboxed child: compile the warm-up ops into the shared read-only cache."""
    use_jax_cache(request["cache_dir"], writable=True)
    _warm_all(_warmups[request["warmup_file"]], request["warm_inputs"], "fill")
    write_frame(status_w, {"type": Frame.FILLED})


def _fork_server(fd: int, conn: socket.socket, run: Callable[[], None]) -> None:
    """Fork a long-lived child of this zygote that runs `run` (serving on fd) and tell the judge its pid."""
    pid = os.fork()
    if pid == 0:
        conn.close()
        _children.clear()  # this zygote's keepers are not the child's to stop
        try:
            run()
        finally:
            os._exit(0)
    _children.add(pid)
    os.close(fd)
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _fork_standby(fd: int, conn: socket.socket) -> None:
    """Fork a copy of this zygote that waits on its own socket and serves once the judge needs it.

    The copy shares this zygote's imported pages, so it costs little, and it outlives this zygote
    (no parent-death signal): when this one dies, the judge sends its requests to the copy instead
    of waiting for a new interpreter to import jax.
    """
    _fork_server(fd, conn, lambda: serve(fd))


def _fork_template(request: dict[str, Any], fd: int, conn: socket.socket) -> None:
    """Fork a warm template for one problem that serves spawn requests on its own socket (template.py)."""
    module = _load_warmup(request["warmup_file"])
    _fork_server(fd, conn, lambda: _serve_as_template(module, request, fd))


def _serve_as_template(module: Any, request: dict[str, Any], fd: int) -> None:
    global _warmed
    set_parent_death_signal(signal.SIGTERM)  # it ends with its zygote; its keepers then end their workers
    # Warming is background work: workers warming and judging get the CPU first. The workers this
    # template forks later are back at the usual priority.
    os.setpriority(os.PRIO_PROCESS, 0, template.WARM_NICENESS)
    # Every step of the warm-up runs before the template serves, so each worker it forks has every op.
    template.run_all(template.warm_template(module, request["warm_inputs"], request.get("cache_dir")))
    unfit = template.probe(module, request["warm_inputs"])
    os.setpriority(os.PRIO_PROCESS, 0, 0)
    if unfit:
        os.write(fd, json.dumps({"ready": False, "unfit": unfit}).encode())
        return
    _warmed = True
    gc.collect()
    gc.freeze()
    os.write(fd, b'{"ready": true}\n')
    serve(fd)


def _handle(request: dict[str, Any], fds: list[int], conn: socket.socket) -> None:
    if request["kind"] == Request.STANDBY:
        _fork_standby(fds[0], conn)
        return
    if request["kind"] == Request.TEMPLATE:
        _fork_template(request, fds[0], conn)
        return
    if request["kind"] not in (Request.SPAWN, Request.FILL_CACHE):
        _close_all(fds)
        conn.sendall(json.dumps({"error": f"unknown request {str(request['kind'])[:40]!r}"}).encode() + b"\n")
        return
    _load_warmup(request["warmup_file"])
    zygote_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        conn.close()
        try:
            if request["kind"] == Request.SPAWN:
                _keeper(request, fds, zygote_pid)
            else:
                set_parent_death_signal(signal.SIGKILL)  # a fill outliving its zygote would be nobody's
                if os.getppid() != zygote_pid:
                    os._exit(1)
                _fill_cache(request, fds[-1])
        except BaseException:  # noqa: BLE001
            LOG.exception("zygote: a cache fill failed")
        finally:
            os._exit(0)
    _children.add(pid)
    for fd in fds:
        os.close(fd)
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _reap() -> None:
    for pid in list(_children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _children.discard(pid)


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass  # already closed by the request's handler


def serve(fd: int) -> None:
    """Answer spawn requests until the judge closes the socket, then end every child."""
    conn = socket.socket(fileno=fd)
    try:
        while True:
            try:
                message, fds, _flags, _addr = socket.recv_fds(conn, MAX_REQUEST, 8)
            except ConnectionError:
                break  # the judge is gone
            _reap()
            if not message:
                break
            try:
                _handle(json.loads(message), list(fds), conn)
            except ConnectionError:
                # The judge closed its end while this request was answered (the request's descriptors
                # are already closed by then): it is stopping, so do we.
                break
            except Exception:  # noqa: BLE001 - a bad request fails that request only
                LOG.exception("zygote: a request failed")
                _close_all(fds)
                conn.sendall(b'{"pid": null}\n')
    finally:
        _reap()
        for pid in _children:
            try:
                os.kill(pid, signal.SIGTERM)  # a keeper then kills its worker; SIGKILL would orphan it
            except OSError:
                pass


if __name__ == "__main__":
    _preload()
    # The project folder must not be importable from a worker; modules are already loaded.
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != os.getcwd()]
    # Children share these objects' pages; a collection in a child would copy every one of them.
    gc.collect()
    gc.freeze()
    _zygote_data_bytes = _data_bytes()
    serve(int(sys.argv[1]))
