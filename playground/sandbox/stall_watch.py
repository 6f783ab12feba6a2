"""Notices when a worker forked from a warm template stops making progress, and hands the job back.

A forked child inherits none of the template's threads. XLA runs an already compiled program on
the calling thread only when its steps form a chain or its buffers are small; otherwise it hands
steps to its thread pool, whose threads stayed in the template, and the child waits for them
forever (nnx.Linear's initialiser on a 64x64 kernel does this). Such a wait burns no CPU, so a
main thread that has used no CPU for a while, while it runs code, is taken as stalled: the
watch calls its callback, which tells the judge to run the job again on a fresh worker.

Code that sleeps or blocks on purpose looks the same; it only costs that job a run on a fresh
worker, where it is judged exactly as without templates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STALL_SECONDS = 0.4  # long enough that a runnable thread on a busy machine gets some CPU in it
POLL_SECONDS = 0.02
PROGRESS_SECONDS = 0.001  # less CPU than this across the whole window is no progress


class StallWatch:
    """Calls `on_stall` once the main thread, while armed, has used no CPU for STALL_SECONDS."""

    def __init__(self, on_stall: Callable[[], None], stall_seconds: float = STALL_SECONDS) -> None:
        self.on_stall = on_stall
        self.stall_seconds = stall_seconds
        self._clock = time.pthread_getcpuclockid(threading.main_thread().ident)
        self._armed = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> StallWatch:
        """Start the watching thread (it sleeps while the watch is disarmed)."""
        self._thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        self._thread.start()
        return self

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Watch the main thread for the duration of the block."""
        self._armed.set()
        try:
            yield
        finally:
            self._armed.clear()

    def _main_cpu(self) -> float:
        return time.clock_gettime(self._clock)

    def _watch(self) -> None:
        while True:
            self._armed.wait()
            since, cpu = time.monotonic(), self._main_cpu()
            while self._armed.is_set():
                time.sleep(POLL_SECONDS)
                now, used = time.monotonic(), self._main_cpu()
                if used - cpu >= PROGRESS_SECONDS:
                    since, cpu = now, used
                elif now - since >= self.stall_seconds and self._armed.is_set():
                    self.on_stall()
                    return
