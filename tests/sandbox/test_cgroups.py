"""The cgroup backend in the host's real kernel (v1 here, v2 in `make test-cgroup2`'s guest)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.sandbox import cgroups
from playground.sandbox.cgroups import CgroupManager
from playground.sandbox.cgroups_common import tasks_of
from tests.support.isolation_required import guard

protections_in_place = guard("the cgroup tests")

MiB = 1 << 20


@pytest.fixture
def manager() -> Iterator[CgroupManager]:
    made = CgroupManager(f"playground-{os.getpid()}-t{uuid.uuid4().hex[:6]}")
    assert made.available and made.version in (1, 2)
    try:
        yield made
    finally:
        made.close()
        assert not any(parent.exists() for parent in made.parents)


def run_in(groups: list[str], code: str) -> subprocess.Popen:
    """A Python child that joins the groups first, then runs code."""
    join = f"import os\nfor g in {groups!r}:\n    open(g + '/cgroup.procs', 'w').write(str(os.getpid()))\n"
    return subprocess.Popen([sys.executable, "-c", join + code])


def test_a_worker_gets_memory_pids_and_cpu(manager):
    groups = manager.create("w1", 64 * MiB, 8, 0.5)
    assert set().union(*(cgroups.protections_of(g) for g in groups)) == {"cgroup_memory", "cgroup_pids", "cgroup_cpu"}
    assert CgroupManager.cpu_seconds(groups) == 0  # nothing ran in it yet


def test_the_memory_limit_kills_and_is_told_apart(manager):
    groups = manager.create("w1", 64 * MiB, 8, 1.0)
    child = run_in(groups, "block = bytearray(256 << 20)")
    assert child.wait(60) == -9
    assert CgroupManager.hit_memory_limit(groups)
    calm = manager.create("w2", 64 * MiB, 8, 1.0)
    assert run_in(calm, "block = bytearray(8 << 20)").wait(60) == 0
    assert not CgroupManager.hit_memory_limit(calm)


def test_the_task_limit_stops_forks(manager):
    groups = manager.create("w1", 256 * MiB, 4, 1.0)
    code = """
import os, sys
made = 0
for _ in range(20):
    try:
        if os.fork() == 0:
            import time; time.sleep(30); os._exit(0)
        made += 1
    except OSError:
        break
sys.exit(made)
"""
    child = run_in(groups, code)
    assert child.wait(60) < 4
    assert CgroupManager.destroy(groups)


def test_cpu_time_is_counted_and_capped(manager):
    groups = manager.create("w1", 256 * MiB, 8, 0.2)
    child = run_in(groups, "import time\nend = time.monotonic() + 1.5\nwhile time.monotonic() < end: pass")
    assert child.wait(60) == 0
    used = CgroupManager.cpu_seconds(groups)
    # 1.5 s of wall time at a fifth of a core: well under a second of CPU.
    assert used is not None and 0.05 < used < 1.0, used


def test_destroy_ends_every_task_and_removes_the_group(manager):
    groups = manager.create("w1", 256 * MiB, 16, 1.0)
    code = "import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        os.setsid(); time.sleep(60)\ntime.sleep(60)"
    child = run_in(groups, code)
    deadline = time.monotonic() + 30
    while len(tasks_of(Path(groups[0]))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert CgroupManager.destroy(groups)
    assert child.wait(10) == -9
    assert not any(os.path.exists(g) for g in groups)


def test_a_dead_judges_groups_are_removed_by_the_next():
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a pid that no longer runs
    left = CgroupManager(f"playground-{pid}-left")
    left.create("w1", 64 * MiB, 8, 1.0)
    assert cgroups.judge_parents(pid)
    CgroupManager(f"playground-{os.getpid()}-next").close()
    assert not cgroups.judge_parents(pid)
