"""Small helpers both cgroup versions share."""

from __future__ import annotations

from pathlib import Path

CPU_PERIOD_US = 100_000


def tasks_of(group: Path) -> list[int]:
    """The pids in a group (none when it is gone)."""
    try:
        return [int(line) for line in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def remove_group(group: Path) -> bool:
    """rmdir the group; True when it is gone (the kernel refuses while tasks remain)."""
    try:
        group.rmdir()
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False


def dead_owner(parent: Path) -> bool:
    """True for a judge's parent group (playground-PID-...) whose process is gone."""
    owner = parent.name.split("-")[1] if parent.name.count("-") >= 2 else ""
    return owner.isdigit() and not Path("/proc", owner).exists()
