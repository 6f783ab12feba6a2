"""The judge's watch on a template worker's main thread, against real processes: blocked, busy, starved."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from playground.sandbox.progress_watch import ProgressWatch, sample_main_thread

STALL_S = 0.2  # the watch's window, shortened: the test only needs *a* window


@pytest.fixture
def process() -> Iterator:
    started: list[subprocess.Popen] = []

    def start(code: str) -> subprocess.Popen:
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        started.append(child)
        assert child.stdout.readline() == b"up\n"  # past its start-up, which runs
        return child

    yield start
    for child in started:
        child.kill()
        child.wait()


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_thread_blocked_on_a_read_is_stalled(process):
    child = process("import sys; print('up', flush=True); sys.stdin.read()")
    watch = ProgressWatch(child.pid, stall_seconds=STALL_S)
    assert wait_until(watch.stalled, 5 * STALL_S + 2)
    assert watch.busy_share() < 0.5


def test_a_loop_is_never_stalled_and_counts_as_busy(process):
    child = process("print('up', flush=True)\nwhile True: pass")
    watch = ProgressWatch(child.pid, stall_seconds=STALL_S)
    started = time.monotonic()
    while time.monotonic() - started < 4 * STALL_S:
        assert not watch.stalled()
        time.sleep(0.02)
    # Running or waiting to run at every look, however many other processes share the cores.
    assert watch.busy_share() >= 0.9


def test_a_loop_starved_of_cpu_is_not_stalled(process):
    # On one core with three ordinary loops, a loop at the lowest priority gets about 1% of it (a
    # millisecond or so in a window): it waits its turn almost all the time, which is not a stall.
    loop = "import os; os.sched_setaffinity(0, {0}); %sprint('up', flush=True)\nwhile True: pass"
    for _ in range(3):
        process(loop % "")
    starved = process(loop % "os.nice(19); ")
    watch = ProgressWatch(starved.pid, stall_seconds=STALL_S)
    started = time.monotonic()
    while time.monotonic() - started < 6 * STALL_S:
        assert not watch.stalled()
        time.sleep(0.02)
    assert watch.busy_share() >= 0.9


def test_an_unreadable_clock_is_never_a_stall():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert sample_main_thread(gone.pid) is None
    watch = ProgressWatch(gone.pid, stall_seconds=0.0)
    assert not watch.stalled() and watch.busy_share() is None
    assert os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/schedstat")
