"""Per-worker cgroups (v1 memory, pids and cpu controllers): bound memory, tasks and CPU; kill all."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
CPU_PERIOD_US = 100_000


class CgroupManager:
    """Creates, watches and removes one memory, one pids and one cpu cgroup per worker."""

    def __init__(self, name: str) -> None:
        self.parents: list[Path] = []
        if os.geteuid() != 0:
            return
        for controller in ("memory", "pids", "cpu"):
            _remove_abandoned(CGROUP_ROOT / controller)
            parent = CGROUP_ROOT / controller / name
            try:
                parent.mkdir(exist_ok=True)
                self.parents.append(parent)
            except OSError:
                continue

    @property
    def available(self) -> bool:
        """True when at least one controller could be used."""
        return bool(self.parents)

    def create(self, worker: str, memory_bytes: int, max_tasks: int, cpu_cores: float = 1.0) -> list[str]:
        """Make this worker's groups with their limits; the directories made."""
        made = []
        for parent in self.parents:
            group = parent / worker
            try:
                group.mkdir()
                if parent.parent.name == "memory":
                    (group / "memory.limit_in_bytes").write_text(str(memory_bytes))
                    swap = group / "memory.memsw.limit_in_bytes"
                    if swap.exists():
                        swap.write_text(str(memory_bytes))
                elif parent.parent.name == "cpu":
                    # A quota of one core: a submission that spins many processes cannot starve others.
                    (group / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                    (group / "cpu.cfs_quota_us").write_text(str(int(CPU_PERIOD_US * cpu_cores)))
                else:
                    (group / "pids.max").write_text(str(max_tasks))
            except OSError:
                _remove(group)
                continue
            made.append(str(group))
        return made

    @staticmethod
    def hit_memory_limit(groups: list[str]) -> bool:
        """True when the kernel's out-of-memory killer acted, or usage reached the limit."""
        for group in groups:
            oom = Path(group, "memory.oom_control")
            if not oom.exists():
                continue
            try:
                fields = dict(line.split() for line in oom.read_text().splitlines() if line.strip())
                if int(fields.get("oom_kill", "0")) > 0:
                    return True
                peak = int(Path(group, "memory.max_usage_in_bytes").read_text())
                limit = int(Path(group, "memory.limit_in_bytes").read_text())
                return peak >= limit * 0.98
            except (OSError, ValueError):
                continue
        return False

    @staticmethod
    def destroy(groups: list[str], timeout: float = 5.0) -> bool:
        """Kill every task in the groups and remove them; True when all are gone."""
        deadline = time.monotonic() + timeout
        clean = True
        for group in groups:
            path = Path(group)
            while True:
                pids = _tasks(path)
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                if _remove(path) or time.monotonic() > deadline:
                    break
                time.sleep(0.002)
            clean = clean and not path.exists()
        return clean

    def close(self) -> None:
        """Remove the parent groups (workers' groups must already be gone)."""
        for parent in self.parents:
            for child in parent.iterdir() if parent.exists() else []:
                if child.is_dir():
                    self.destroy([str(child)])
            _remove(parent)


def _remove_abandoned(controller: Path) -> None:
    # A judge that died without closing (killed, crashed) left its groups behind; empty ones would
    # pile up until the kernel refuses new groups, and workers then run without limits. Only empty
    # groups are removed: rmdir refuses a group that still has tasks, and nothing is killed here.
    for parent in controller.glob("playground-*"):
        owner = parent.name.split("-")[1]
        if not owner.isdigit() or Path("/proc", owner).exists():
            continue
        try:
            for group in parent.iterdir():
                if group.is_dir():
                    _remove(group)
        except OSError:
            continue
        _remove(parent)


def _tasks(group: Path) -> list[int]:
    try:
        return [int(line) for line in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _remove(group: Path) -> bool:
    try:
        group.rmdir()
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False
