"""Finding the real servers' binaries: a clear skip outside CI, a failure in CI."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest


def in_ci() -> bool:
    """True on the CI machine, where a missing server is a failure rather than a skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require_binary(name: str, debian_package: str, search: tuple[str, ...] = ()) -> str:
    """The path of a server binary; skips (or, in CI, fails) saying what to install when it is missing."""
    found = shutil.which(name)
    for pattern in search:
        found = found or next((str(p) for p in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True)), None)
    if found:
        return found
    message = f"{name} is not installed: run `apt-get install -y {debian_package}` (Debian) to run these tests"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
