"""cgroup v2: one group per worker under this judge's group, in the subtree delegated to it.

The judge uses the cgroup it runs in (a systemd unit with Delegate=yes, a container's own cgroup
namespace, or the root on a machine without systemd). cgroup v2 lets a group hand controllers to
its children only while it has no processes of its own, so the processes of that cgroup first
move into a leaf of it, HOME, the step systemd's DelegateSubgroup= and container runtimes take.
"""

from __future__ import annotations

import errno
import os
import select
import signal
import time
from pathlib import Path

from playground.sandbox.cgroups_common import CPU_PERIOD_US, dead_owner, remove_group, tasks_of

CONTROLLERS = ("memory", "pids", "cpu")
PROTECTION = {"memory": "cgroup_memory", "pids": "cgroup_pids", "cpu": "cgroup_cpu"}
HOME = "playground-home"


def own_cgroup(root: Path) -> Path | None:
    """The directory of the cgroup this process is in (the "0::" line of /proc/self/cgroup)."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                return root / line[3:].strip().lstrip("/")
    except OSError:
        pass
    return None


def _words(path: Path) -> set[str]:
    try:
        return set(path.read_text().split())
    except OSError:
        return set()


def enable_controllers(group: Path) -> set[str]:
    """Hand the controllers the group has to its children; those handed (an OSError if it has tasks)."""
    wanted = [c for c in CONTROLLERS if c in _words(group / "cgroup.controllers")]
    missing = [c for c in wanted if c not in _words(group / "cgroup.subtree_control")]
    if missing:
        (group / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in missing))
    return set(wanted)


def delegated_base(root: Path) -> Path | None:
    """The group under which this judge makes its own, with controllers enabled for children."""
    own = own_cgroup(root)
    if own is None or not own.is_dir():
        return None
    if own.name == HOME and own.parent != own:
        return own.parent  # an earlier judge of this cgroup moved its processes here already
    try:
        enable_controllers(own)
        return own
    except OSError as exc:
        if exc.errno != errno.EBUSY:
            return None
    # The cgroup has processes (ours at least): move every one of them into HOME, then retry.
    home = own / HOME
    try:
        home.mkdir(exist_ok=True)
        for _ in range(3):  # a process forked while we moved the others is moved on the next pass
            for pid in tasks_of(own):
                try:
                    (home / "cgroup.procs").write_text(str(pid))
                except OSError:
                    continue  # it ended meanwhile, or is a kernel thread that cannot move
            try:
                enable_controllers(own)
                return own
            except OSError:
                continue
    except OSError:
        pass
    return None


def open_parent(root: Path, name: str) -> tuple[Path | None, set[str]]:
    """This judge's parent group and the controllers its workers' groups get."""
    base = delegated_base(root)
    if base is None:
        return None, set()
    remove_abandoned(base)
    parent = base / name
    try:
        parent.mkdir(exist_ok=True)
        controllers = enable_controllers(parent)
    except OSError:
        remove_group(parent)
        return None, set()
    return parent, controllers


def create(parent: Path, worker: str, memory_bytes: int, max_tasks: int, cpu_cores: float) -> list[str]:
    """The worker's group with every limit its controllers allow; [] when one cannot be set."""
    group = parent / worker
    try:
        group.mkdir()
        controllers = _words(group / "cgroup.controllers")
        if "memory" in controllers:
            (group / "memory.max").write_text(str(memory_bytes))
            swap = group / "memory.swap.max"
            if swap.exists():  # only with swap accounting; without it there is no swap to use
                swap.write_text("0")
        if "pids" in controllers:
            (group / "pids.max").write_text(str(max_tasks))
        if "cpu" in controllers:
            # A quota of one core: a submission that spins many processes cannot starve others.
            (group / "cpu.max").write_text(f"{int(CPU_PERIOD_US * cpu_cores)} {CPU_PERIOD_US}")
    except OSError:
        remove_group(group)
        return []
    return [str(group)]


def protections_of(group: Path) -> set[str]:
    """The protections the group's controllers give (its limits were all written by create)."""
    return {PROTECTION[c] for c in _words(group / "cgroup.controllers") if c in PROTECTION}


def _fields(path: Path) -> dict[str, int]:
    fields = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(" ")
        if value.strip().isdigit():
            fields[key] = int(value)
    return fields


def hit_memory_limit(group: Path) -> bool | None:
    """Did the OOM killer act in the group, or usage reach the limit; None without a memory controller."""
    events = group / "memory.events"
    if not events.exists():
        return None
    try:
        if _fields(events).get("oom_kill", 0) > 0:
            return True
        limit = (group / "memory.max").read_text().strip()
        peak = group / "memory.peak"  # Linux 5.19 and later
        if limit == "max" or not peak.exists():
            return False
        return int(peak.read_text()) >= int(limit) * 0.98
    except (OSError, ValueError):
        return None


def cpu_seconds(group: Path) -> float | None:
    """CPU time the group's tasks used so far (cpu.stat exists with or without the cpu controller)."""
    try:
        return _fields(group / "cpu.stat")["usage_usec"] / 1e6
    except (OSError, KeyError, ValueError):
        return None


def _populated(events: int) -> bool:
    os.lseek(events, 0, os.SEEK_SET)
    return b"populated 1" in os.read(events, 256)


def destroy(group: Path, deadline: float) -> bool:
    """End every task at once (cgroup.kill, Linux 5.14), wait until the group is empty, remove it."""
    try:
        events = os.open(group / "cgroup.events", os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        kill = group / "cgroup.kill"
        try:
            kill.write_text("1")
        except OSError:
            for pid in tasks_of(group):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        # The kernel signals a change of cgroup.events (POLLPRI) when its last task has left.
        watch = select.poll()
        watch.register(events, select.POLLPRI | select.POLLERR)
        while _populated(events) and time.monotonic() < deadline:
            watch.poll(max(1, min(100, int((deadline - time.monotonic()) * 1000))))
            if not kill.exists():
                for pid in tasks_of(group):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
    except OSError:
        pass
    finally:
        os.close(events)
    return remove_group(group)


def remove_abandoned(base: Path) -> None:
    # A judge that died without closing (killed, crashed) left its groups behind. Its workers
    # have nobody left to report to, so whatever still runs in them ends (cgroup.kill), and the
    # groups are removed: left to pile up, they would keep their tasks and memory charged.
    for parent in base.glob("playground-*"):
        if parent.name == HOME or not dead_owner(parent):
            continue
        try:
            groups = [g for g in parent.iterdir() if g.is_dir()]
        except OSError:
            continue
        for group in groups:
            destroy(group, time.monotonic() + 2.0)
        remove_group(parent)
