"""The judge's view of whether a worker is making progress: its main thread's CPU time, read from /proc.

A worker forked from a warm template can block for ever on threads it did not inherit (see
stall_watch.py), sometimes while holding the GIL, where no thread of its own can notice. The judge
reads the worker's main-thread CPU clock from outside instead: a worker that runs code but whose
main thread gets no CPU for a while is stalled, and its job is run again on a fresh worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

STALL_SECONDS = 0.4  # a runnable thread on a busy machine still gets some CPU in this long
CHECK_SECONDS = 0.05  # how often the judge looks, while it waits for the worker's frames
PROGRESS_NS = 1_000_000  # less main-thread CPU than this (1 ms) across the window is no progress


def main_thread_cpu_ns(pid: int) -> int | None:
    """Nanoseconds the process's main thread has spent on a CPU, or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/task/{pid}/schedstat", encoding="ascii") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class ProgressWatch:
    """Tells a stalled worker from a busy or a finished one, from the judge's side."""

    pid: int
    stall_seconds: float = STALL_SECONDS
    _since: float = field(default=0.0, init=False)
    _cpu: int | None = field(default=None, init=False)
    _first_cpu: int | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Start a new window now (the worker was just given work)."""
        self._since = time.monotonic()
        self._cpu = main_thread_cpu_ns(self.pid)
        if self._first_cpu is None:
            self._first_cpu = self._cpu

    def stalled(self) -> bool:
        """True when the main thread has used no CPU for stall_seconds; unreadable clocks never stall."""
        now, cpu = time.monotonic(), main_thread_cpu_ns(self.pid)
        if cpu is None or self._cpu is None:
            return False
        if cpu - self._cpu >= PROGRESS_NS:
            self._since, self._cpu = now, cpu
            return False
        return now - self._since >= self.stall_seconds

    def cpu_seconds(self) -> float | None:
        """Main-thread CPU used since the watch began, or None when the clock could not be read."""
        now = main_thread_cpu_ns(self.pid)
        if now is None or self._first_cpu is None:
            return None
        return (now - self._first_cpu) / 1e9
