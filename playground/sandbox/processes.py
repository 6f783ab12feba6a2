"""What the judge can tell about a process it started, or one started for it: alive, and how it ended."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def how_ended(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def running(pid: int | None) -> bool:
    """True when the process exists and is not a zombie waiting to be reaped."""
    if pid is None:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return alive(pid)  # no /proc: the best this machine can tell
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False
