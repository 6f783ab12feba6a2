"""cgroup v1: one group per worker in each of the memory, pids and cpu hierarchies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from playground.sandbox.cgroups_common import CPU_PERIOD_US, dead_owner, remove_group, tasks_of

CONTROLLERS = ("memory", "pids", "cpu")
PROTECTION = {"memory": "cgroup_memory", "pids": "cgroup_pids", "cpu": "cgroup_cpu"}


def open_parents(root: Path, name: str) -> list[Path]:
    """This judge's parent group in each hierarchy it may use (after sweeping dead judges')."""
    parents = []
    controllers = list(CONTROLLERS)
    if not (root / "cpu" / "cpuacct.usage").exists() and (root / "cpuacct").is_dir():
        controllers.append("cpuacct")  # mounted apart from cpu here: its own group counts CPU time
    for controller in controllers:
        remove_abandoned(root / controller)
        parent = root / controller / name
        try:
            parent.mkdir(exist_ok=True)
        except OSError:
            continue
        parents.append(parent)
    return parents


def create(parents: list[Path], worker: str, memory_bytes: int, max_tasks: int, cpu_cores: float) -> list[str]:
    """The worker's group in each hierarchy, with its limit written; the directories made."""
    made = []
    for parent in parents:
        group = parent / worker
        try:
            group.mkdir()
            controller = parent.parent.name
            if controller == "memory":
                (group / "memory.limit_in_bytes").write_text(str(memory_bytes))
                swap = group / "memory.memsw.limit_in_bytes"
                if swap.exists():
                    swap.write_text(str(memory_bytes))
            elif controller == "cpuacct":
                pass  # it only counts
            elif controller == "cpu":
                # A quota of one core: a submission that spins many processes cannot starve others.
                (group / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (group / "cpu.cfs_quota_us").write_text(str(int(CPU_PERIOD_US * cpu_cores)))
            else:
                (group / "pids.max").write_text(str(max_tasks))
        except OSError:
            remove_group(group)
            continue
        made.append(str(group))
    return made


def protections_of(group: Path) -> set[str]:
    """The protection a group of one hierarchy gives, read from the hierarchy it is in."""
    name = PROTECTION.get(group.parent.parent.name)
    return {name} if name else set()


def hit_memory_limit(group: Path) -> bool | None:
    """For a memory group: did the OOM killer act or usage reach the limit; None for other groups."""
    oom = group / "memory.oom_control"
    if not oom.exists():
        return None
    try:
        fields = dict(line.split() for line in oom.read_text().splitlines() if line.strip())
        if int(fields.get("oom_kill", "0")) > 0:
            return True
        peak = int((group / "memory.max_usage_in_bytes").read_text())
        limit = int((group / "memory.limit_in_bytes").read_text())
        return peak >= limit * 0.98
    except (OSError, ValueError):
        return None


def cpu_seconds(group: Path) -> float | None:
    """CPU time the group's tasks used, from cpuacct (mounted with cpu on most hosts)."""
    try:
        return int((group / "cpuacct.usage").read_text()) / 1e9
    except (OSError, ValueError):
        return None


def destroy(group: Path, deadline: float) -> bool:
    """Kill every task until the group can be removed (v1 has no one-shot kill); True when gone."""
    while True:
        for pid in tasks_of(group):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if remove_group(group) or time.monotonic() > deadline:
            break
        time.sleep(0.002)  # v1 gives no event when the last task leaves
    return not group.exists()


def remove_abandoned(controller: Path) -> None:
    # A judge that died without closing (killed, crashed) left its groups behind; empty ones would
    # pile up until the kernel refuses new groups, and workers then run without limits. Only empty
    # groups are removed: rmdir refuses a group that still has tasks, and nothing is killed here.
    for parent in controller.glob("playground-*"):
        if not dead_owner(parent):
            continue
        try:
            for group in parent.iterdir():
                if group.is_dir():
                    remove_group(group)
        except OSError:
            continue
        remove_group(parent)
