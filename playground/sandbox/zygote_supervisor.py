"""The judge's zygotes: start one, keep an idle standby copy, and replace the one serving when it dies.

The zygote (`python -m playground.sandbox.zygote`) has imported jax and flax and forks every
sandbox worker, standby and warm template. This module only talks to it over its socket: it
notices a death at once (the socket hangs up), serves from the standby if it has one (else starts
a new zygote), and waits longer between replacements that come in a row, so a crash loop never
runs hot. `generation` counts the zygotes served from: a worker of an older one is dead.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.sandbox.processes import how_ended, running
from playground.sandbox.protocol import Request
from playground.sandbox.records import HealthState, SandboxHealth

log = logging.getLogger(__name__)  # lines start with 'sandbox:'; unconfigured, warnings reach stderr

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIRST_ANSWER_S = 120.0  # the first answer waits for the interpreter to import jax
ZYGOTE_ANSWER_S = 30.0  # a zygote that does not answer a request this long is killed and restarted
STABLE_ZYGOTE_S = 60.0  # a zygote that lived this long died by accident, not in a crash loop
MAX_RESTART_DELAY_S = 30.0


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
        if not running(self.pid) or self.sock.fileno() < 0:
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
        while running(self.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        if running(self.pid):
            self.kill()
        return None


class ZygoteSupervisor:
    """The zygote serving now, its standby, and the thread that replaces the one when it dies."""

    def __init__(self, closed: threading.Event, on_death: Callable[[], None], on_serving: Callable[[], None]) -> None:
        self._closed = closed  # the sandbox is closing: stop replacing
        self._on_death = on_death  # the serving zygote died: its workers are gone
        self._on_serving = on_serving  # a zygote serves again
        self._lock = threading.Lock()
        self._active: _Zygote | None = None  # the zygote that forks workers now
        self._standby: _Zygote | None = None  # its idle copy, ready to take over
        self.generation = 0
        self.up = threading.Event()  # set while a zygote serves
        self._quick_deaths = 0
        self._restarts = 0
        self.health = SandboxHealth(HealthState.OK, "The sandbox is running.")
        self._thread = threading.Thread(target=self._watch, name="sandbox-supervisor", daemon=True)
        self._wake_r, self._wake_w = os.pipe()  # written once on close: the watch waits on nothing else

    def start(self) -> None:
        """Start the first zygote and the thread that watches it."""
        self._start_new()
        self._thread.start()

    def mark_running(self) -> None:
        """A worker became ready after a restart: the sandbox is running again."""
        if self.health.restarting:
            self.health = SandboxHealth(HealthState.OK, "The sandbox is running again.", self._restarts)

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

    def close(self) -> None:
        """End the zygote and its standby (each stops its children once its socket closes)."""
        zygotes = [z for z in (self._active, self._standby) if z is not None]
        for zygote in zygotes:
            try:
                zygote.sock.shutdown(socket.SHUT_RDWR)  # wakes a request waiting for its answer
            except OSError:
                pass
        with self._lock:
            zygotes = list({id(z): z for z in (self._active, self._standby, *zygotes) if z is not None}.values())
            self._active = self._standby = None
            for zygote in zygotes:
                zygote.sock.close()
        for zygote in zygotes:
            zygote.stop(5.0)
        if self._wake_w < 0:
            return  # closed before
        os.write(self._wake_w, b"x")
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
        self._wake_r = self._wake_w = -1

    def _start_new(self) -> None:
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
        self.generation += 1
        self.up.set()

    def _watch(self) -> None:
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
                poller.register(self._wake_r, select.POLLIN)
                hung_up = {fd for fd, _ in poller.poll()}
            except (OSError, ValueError):  # a socket closed meanwhile: looked at again below
                hung_up = set()
            if self._closed.is_set():
                return
            if active.sock.fileno() in hung_up or active.sock.fileno() < 0:
                self._replace(active)
            elif standby is not None and (standby.sock.fileno() in hung_up or standby.sock.fileno() < 0):
                with self._lock:
                    if self._standby is standby:
                        self._standby = None
                standby.sock.close()
                log.warning(f"sandbox: the zygote's standby (pid {standby.pid}) died; making another")
                self._closed.wait(1.0)  # a standby killed over and over must not make this loop hot
                self._make_standby()

    def _replace(self, dead: _Zygote) -> None:
        """Serve from the standby (or a new zygote), after a pause that grows when deaths come in a row."""
        with self._lock:
            self.up.clear()
            if self._active is dead:
                self._active = None
            dead.sock.close()
        code = dead.stop(1.0)
        lived = time.monotonic() - dead.born
        self._quick_deaths = 0 if lived >= STABLE_ZYGOTE_S else self._quick_deaths + 1
        delay = 0.0 if self._quick_deaths <= 1 else min(MAX_RESTART_DELAY_S, 0.5 * 2 ** (self._quick_deaths - 2))
        self._restarts += 1
        self.health = SandboxHealth(
            HealthState.RESTARTING,
            "The sandbox is restarting after a failure of ours; submissions wait for it.",
            self._restarts,
        )
        log.warning(
            f"sandbox: the zygote (pid {dead.pid}) died ({how_ended(code)}) after {lived:.1f} s; "
            f"replacing it in {delay:g} s (restart {self._restarts}, {self._quick_deaths} in quick succession)"
        )
        self._on_death()
        while not self._closed.wait(delay):
            with self._lock:
                if self._closed.is_set():
                    return
                standby, self._standby = self._standby, None
                if standby is not None and standby.serving():
                    self._serve_from(standby)
                else:
                    if standby is not None:
                        standby.sock.close()
                    try:
                        self._start_new()
                    except OSError as exc:
                        log.warning(f"sandbox: could not start a zygote: {exc}")
                        delay = MAX_RESTART_DELAY_S
                        continue
            self._on_serving()
            self._make_standby()
            return

    def _make_standby(self) -> None:
        """Ask the zygote for an idle copy of itself to take over when it dies."""
        if self._closed.is_set() or self._standby is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid, _ = self.ask({"kind": Request.STANDBY}, [theirs.fileno()])
        except (OSError, RuntimeError) as exc:
            ours.close()
            log.warning(f"sandbox: could not make a standby zygote: {exc}")
            return
        finally:
            theirs.close()
        with self._lock:
            if self._closed.is_set():
                ours.close()
                return
            self._standby = _Zygote(pid, ours, None)

    def ask(self, request: dict[str, Any], fds: list[int]) -> tuple[int, int]:
        """Send a request; the new child's pid and the zygote generation that forked it."""
        with self._lock:
            zygote = self._active
            if zygote is None:
                raise RuntimeError("the zygote is restarting")
            # The first answer waits for the interpreter to import jax; later ones are quick.
            zygote.sock.settimeout(ZYGOTE_ANSWER_S if zygote.answered else FIRST_ANSWER_S)
            try:
                socket.send_fds(zygote.sock, [json.dumps(request).encode()], fds)
                reply = zygote.sock.recv(4096)
            except TimeoutError:
                # A late answer would be taken for the next request's: end this zygote, and the
                # supervisor replaces it.
                log.warning(f"sandbox: the zygote (pid {zygote.pid}) stopped answering; killing it")
                zygote.kill()
                raise RuntimeError("the zygote stopped answering") from None
            zygote.answered = zygote.answered or bool(reply)
            generation = self.generation
        pid = json.loads(reply or b"{}").get("pid")
        if not isinstance(pid, int):
            raise RuntimeError("the zygote could not start a worker")
        return pid, generation
