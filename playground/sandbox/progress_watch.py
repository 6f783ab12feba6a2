"""The judge's view of whether a worker is making progress, read from /proc: its main thread's CPU clock and state.

A worker forked from a warm template can block for ever on threads it did not inherit (see
stall_watch.py), sometimes while holding the GIL, where no thread of its own can notice. The judge
looks at the worker's main thread from outside instead. A thread that computes gains CPU time; one
that wants to but waits its turn on a busy machine is runnable ("R"); one that waits for a thread
that does not exist is neither. That last one is stalled, and its job is run again on a fresh worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

STALL_SECONDS = 0.4  # neither running nor runnable this long: blocked, not merely starved of CPU
CHECK_SECONDS = 0.05  # how often the judge looks, while it waits for the worker's frames
PROGRESS_NS = 1_000_000  # less CPU than this (1 ms) across the window is no progress


@dataclass(frozen=True)
class ThreadSample:
    """The main thread's CPU time so far, and whether it was runnable (running or waiting for a CPU)."""

    cpu_ns: int
    runnable: bool


def sample_main_thread(pid: int) -> ThreadSample | None:
    """The process's main thread as the scheduler sees it now, or None when /proc cannot tell."""
    task = f"/proc/{pid}/task/{pid}"
    try:
        with open(f"{task}/schedstat", encoding="ascii") as handle:
            cpu_ns = int(handle.read().split()[0])
        with open(f"{task}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
        state = stat[stat.rindex(")") + 2]
    except (OSError, ValueError, IndexError):
        return None
    return ThreadSample(cpu_ns, state in ("R", "D"))  # D: the kernel works for it (disk, page tables)


@dataclass
class ProgressWatch:
    """Tells a stalled worker from a busy (or starved) one, from the judge's side."""

    pid: int
    stall_seconds: float = STALL_SECONDS
    _since: float = field(default=0.0, init=False)
    _cpu: int | None = field(default=None, init=False)
    _samples: int = field(default=0, init=False)
    _busy_samples: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Start a new window now (the worker was just given work)."""
        sample = sample_main_thread(self.pid)
        self._since = time.monotonic()
        self._cpu = sample.cpu_ns if sample is not None else None

    def stalled(self) -> bool:
        """True when the main thread has been neither running nor runnable for stall_seconds.

        Unreadable clocks never stall.
        """
        now, sample = time.monotonic(), sample_main_thread(self.pid)
        if sample is None or self._cpu is None:
            return False
        self._samples += 1
        if sample.runnable or sample.cpu_ns - self._cpu >= PROGRESS_NS:
            self._busy_samples += 1
            self._since, self._cpu = now, sample.cpu_ns
            return False
        return now - self._since >= self.stall_seconds

    def busy_share(self) -> float | None:
        """The share of looks at which the main thread was running, runnable or had just run (None: no look).

        A loop is busy at nearly every look whatever the machine's load; a thread blocked on a lock is not.
        """
        return self._busy_samples / self._samples if self._samples else None
