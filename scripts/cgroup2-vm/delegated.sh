#!/usr/bin/env bash
# delegated.sh COMMAND [ARGS...]: run COMMAND in a child cgroup that holds processes and has the
# memory, pids and cpu controllers, as a systemd unit with Delegate=yes does (cgroup v2, as root).
# The judge then has to move those processes into a leaf before it can make its own groups.
set -euo pipefail
root=/sys/fs/cgroup
[ -e "$root/cgroup.controllers" ] || { echo "delegated.sh: $root is not cgroup v2" >&2; exit 125; }
echo "+memory +pids +cpu" > "$root/cgroup.subtree_control"
mkdir -p "$root/playground.service"
echo $$ > "$root/playground.service/cgroup.procs"
exec "$@"
