"""What the sidebar says about the sandbox: its limits and protections in plain words."""

from __future__ import annotations

from playground.sandbox.records import Limits

PROTECTIONS = {
    "pid_namespace": "sees only its own processes",
    "network_namespace": "has no network",
    "mount_namespace": "has its own mounts",
    "private_filesystem": "cannot read the server's or other learners' files",
    "ipc_uts_namespaces": "has private IPC and hostname",
    "unprivileged_user": "runs as an unprivileged user",
    "no_new_privileges": "cannot gain privileges",
    "resource_limits": "has CPU, file and process limits",
    "cgroup_memory": "has a hard memory cap",
    "cgroup_pids": "has a hard cap on processes",
    "cgroup_cpu": "gets at most one CPU core",
    "syscall_filter": "cannot use risky kernel features (a seccomp filter)",
}


def _bytes(count: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            return f"{count / size:g} {unit}"
    return f"{count} bytes"


def limit_lines(limits: Limits, max_source_bytes: int) -> list[str]:
    """One markdown line per limit a run has."""
    return [
        f"**Time:** {limits.wall_seconds:g} s",
        f"**Memory:** {_bytes(limits.memory_bytes)}",
        f"**Processes and threads:** {limits.max_tasks}",
        f"**CPU:** {limits.cpu_cores:g} core",
        f"**Printed output:** {_bytes(limits.output_bytes)}",
        f"**Disk:** {_bytes(limits.disk_bytes)}",
        f"**Code size:** {max_source_bytes:,} bytes",
    ]


def protection_lines(active: tuple[str, ...]) -> list[str]:
    """One phrase per active protection, completing "Your code …"."""
    return [PROTECTIONS.get(name, "has " + name.replace("_", " ")) for name in active]


def missing_sentence(missing: list[str]) -> str | None:
    """A warning naming the protections this machine cannot give, or None when none are missing."""
    if not missing:
        return None
    names = ", ".join(name.replace("_", " ") for name in missing)
    return f"Partial isolation: this server cannot give the sandbox these protections: {names}."
