"""Per-worker cgroups: bound memory, tasks and CPU of everything a submission starts; kill all.

The host's cgroup version picks the backend: v2 (one group per worker, in the subtree delegated
to the judge) where /sys/fs/cgroup is the unified hierarchy, else v1 (a group per worker in each
of the memory, pids and cpu hierarchies).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from playground.sandbox import cgroups_v1, cgroups_v2
from playground.sandbox.cgroups_common import remove_group

CGROUP_ROOT = Path("/sys/fs/cgroup")


def unified(root: Path) -> bool:
    """True when the hierarchy at root is cgroup v2 (its root has cgroup.controllers)."""
    return (root / "cgroup.controllers").exists()


def _is_v2(group: Path) -> bool:
    return (group / "cgroup.events").exists()


def protections_of(group: str) -> set[str]:
    """The protections a worker gets from joining this group (cgroup_memory, cgroup_pids, cgroup_cpu)."""
    path = Path(group)
    return cgroups_v2.protections_of(path) if _is_v2(path) else cgroups_v1.protections_of(path)


class CgroupManager:
    """Creates, watches and removes the cgroups of each worker of one judge."""

    def __init__(self, name: str) -> None:
        self.parents: list[Path] = []
        self.version = 0  # 0: no cgroups, else the version in use
        if os.geteuid() != 0:
            return
        root = CGROUP_ROOT
        if unified(root):
            parent, controllers = cgroups_v2.open_parent(root, name)
            if parent is not None and controllers:
                self.parents, self.version = [parent], 2
        else:
            self.parents = cgroups_v1.open_parents(root, name)
            self.version = 1 if self.parents else 0

    @property
    def available(self) -> bool:
        """True when at least one controller could be used."""
        return bool(self.parents)

    def create(self, worker: str, memory_bytes: int, max_tasks: int, cpu_cores: float = 1.0) -> list[str]:
        """Make this worker's groups with their limits; the directories made."""
        if self.version == 2:
            return cgroups_v2.create(self.parents[0], worker, memory_bytes, max_tasks, cpu_cores)
        return cgroups_v1.create(self.parents, worker, memory_bytes, max_tasks, cpu_cores)

    @staticmethod
    def hit_memory_limit(groups: list[str]) -> bool:
        """True when the kernel's out-of-memory killer acted, or usage reached the limit."""
        for group in groups:
            path = Path(group)
            hit = cgroups_v2.hit_memory_limit(path) if _is_v2(path) else cgroups_v1.hit_memory_limit(path)
            if hit is not None:
                return hit
        return False

    @staticmethod
    def cpu_seconds(groups: list[str]) -> float | None:
        """CPU time used so far by every task of the worker, in seconds; None when no group tells."""
        for group in groups:
            path = Path(group)
            used = cgroups_v2.cpu_seconds(path) if _is_v2(path) else cgroups_v1.cpu_seconds(path)
            if used is not None:
                return used
        return None

    @staticmethod
    def destroy(groups: list[str], timeout: float = 5.0) -> bool:
        """Kill every task in the groups and remove them; True when all are gone."""
        deadline = time.monotonic() + timeout
        clean = True
        for group in groups:
            path = Path(group)
            gone = cgroups_v2.destroy(path, deadline) if _is_v2(path) else cgroups_v1.destroy(path, deadline)
            clean = clean and gone
        return clean

    def close(self) -> None:
        """Remove the parent groups (workers' groups must already be gone)."""
        for parent in self.parents:
            for child in parent.iterdir() if parent.exists() else []:
                if child.is_dir():
                    self.destroy([str(child)])
            remove_group(parent)


def missing_controllers() -> list[str]:
    """The controllers of memory, pids and cpu this host cannot give the judge (for checks and tests)."""
    root = CGROUP_ROOT
    if unified(root):
        own = cgroups_v2.own_cgroup(root)
        if own is not None and own.name == cgroups_v2.HOME:
            own = own.parent
        offered = set((own / "cgroup.controllers").read_text().split()) if own and own.is_dir() else set()
        return [c for c in cgroups_v2.CONTROLLERS if c not in offered]
    return [c for c in cgroups_v1.CONTROLLERS if not (root / c).is_dir()]


def judge_parents(owner_pid: int) -> list[Path]:
    """The parent groups of every judge that process owner_pid started (in each hierarchy on v1)."""
    root = CGROUP_ROOT
    pattern = f"playground-{owner_pid}-*"
    if unified(root):
        own = cgroups_v2.own_cgroup(root)
        base = own.parent if own is not None and own.name == cgroups_v2.HOME else own
        return sorted(p for p in (base or root).glob(pattern) if p.is_dir())
    return sorted(p for p in root.glob(f"*/{pattern}") if p.is_dir())


def groups_in(proc_cgroup: str, controllers: tuple[str, ...] = ("memory", "pids")) -> list[Path]:
    """The directories of the groups a /proc/PID/cgroup text names: v2's one, or v1's of these controllers."""
    root = CGROUP_ROOT
    found = []
    for line in proc_cgroup.splitlines():
        _, names, path = line.split(":", 2)
        if unified(root) and names == "":
            found.append(root / path.lstrip("/"))
        elif not unified(root) and set(names.split(",")) & set(controllers):
            found.append(root / names.split(",")[0] / path.lstrip("/"))
    return found
