"""What the sandbox suites need from the host, and what they do when it is missing.

Outside CI a suite whose protections are missing skips and says which; in CI (the CI variable
set) it fails instead, so a host without them can never pass the security suites unseen.
"""

from __future__ import annotations

import os
import sys

import pytest


def missing_protections() -> list[str]:
    """What the host lacks for the full sandbox, in words an operator can act on."""
    if not sys.platform.startswith("linux"):
        return ["Linux"]
    if os.geteuid() != 0:
        return ["root (or a delegated cgroup subtree run as root in a container)"]
    from playground.sandbox import cgroups, syscall_filter

    missing = [f"the cgroup {name} controller" for name in cgroups.missing_controllers()]
    if syscall_filter.program_size() == 0:
        missing.append("the seccomp filter (libseccomp2 and the pyseccomp package)")
    return missing


def guard(suite: str):
    """An autouse fixture for a suite: skip (or, in CI, fail) while a protection is missing."""

    @pytest.fixture(autouse=True, scope="module")
    def _protections_in_place() -> None:
        missing = missing_protections()
        if not missing:
            return
        message = f"{suite} needs {', '.join(missing)}; see README, Host requirements"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI: failing instead of skipping)")
        pytest.skip(message)

    return _protections_in_place
