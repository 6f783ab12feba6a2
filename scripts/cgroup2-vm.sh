#!/usr/bin/env bash
# Run COMMAND [ARGS...] as root, from the project root, in a KVM guest on Debian's kernel with
# cgroup v2 only (cgroup_no_v1=all). The guest's root is this host's own filesystem, shared
# read-only over 9p under a throw-away overlay on tmpfs: same paths, same .venv, and nothing
# written inside reaches the host. Output streams on the serial console; the exit status is
# COMMAND's (125 when the guest never ran it).
#
# Uses KVM where it can (else software emulation, much slower). Needs Debian's qemu-system-x86, linux-image-amd64 and busybox-static.
# Settings: CGROUP2_VM_MEMORY (MiB, default 6144), CGROUP2_VM_CPUS (default: this host's),
# CGROUP2_VM_ACCEL (kvm or tcg; default: kvm when it runs a stock kernel here).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]   (runs COMMAND in a cgroup-v2-only KVM guest)" >&2
  echo "       $0 --accel           (prints kvm or tcg: how the guest would run here)" >&2
  exit 2
fi

# KVM when it can run a stock kernel. A host whose /dev/kvm is PVM (a nested hypervisor without
# hardware virtualisation) only runs guests built for PVM, so there the guest is emulated (TCG).
accel=${CGROUP2_VM_ACCEL:-}
if [ -z "$accel" ]; then
  if [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ]; then accel=kvm; else accel=tcg; fi
fi
if [ "$1" = --accel ]; then
  echo "$accel"
  exit 0
fi
project=$(cd "$(dirname "$0")/.." && pwd -P)
helpers="$project/scripts/cgroup2-vm"

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed" || missing+=(busybox-static)
kernel=$(ls -1v /boot/vmlinuz-*-amd64 2>/dev/null | tail -n 1 || true)
[ -n "$kernel" ] || missing+=(linux-image-amd64)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "error: missing Debian packages: ${missing[*]}. Install them with: apt-get install -y ${missing[*]}" >&2
  exit 125
fi
release=${kernel#/boot/vmlinuz-}

work=$(mktemp -d /tmp/cgroup2-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/io"

# The command file the guest runs: cd to the project, the caller's CI and playground settings, COMMAND.
{
  echo "cd $(printf '%q' "$project") || exit 125"
  echo "export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8"
  echo "export CGROUP2_VM_ACCEL=$accel"
  env | grep -E '^(CI|TERM|PYTEST_ADDOPTS|PLAYGROUND_[A-Z0-9_]+)=' | while IFS= read -r line; do
    echo "export $(printf '%q' "$line")"
  done
  printf 'exec'
  printf ' %q' "$@"
  echo
} > "$work/io/command"

"$helpers/build-initramfs.sh" "$release" "$work/initramfs" "$helpers/init"

if [ "$accel" = kvm ]; then cpu=host; else cpu=max; fi
memory=${CGROUP2_VM_MEMORY:-6144}
cpus=${CGROUP2_VM_CPUS:-$(nproc)}
# Kernel messages above "critical" stay off the console: the OOM killer's reports would mix with the output.
append="console=ttyS0 quiet loglevel=2 panic=-1 cgroup_no_v1=all random.trust_cpu=on rdinit=/init"
started=$(date +%s.%N)
qemu-system-x86_64 \
  -machine pc,accel="$accel" -cpu "$cpu" -smp "$cpus" -m "$memory" \
  -nodefaults -no-user-config -display none -no-reboot \
  -kernel "$kernel" -initrd "$work/initramfs" -append "$append" \
  -serial stdio \
  -device virtio-rng-pci \
  -fsdev local,id=hostroot,path=/,security_model=passthrough,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=io,path="$work/io",security_model=passthrough \
  -device virtio-9p-pci,fsdev=io,mount_tag=io \
  </dev/null

if [ -e "$work/io/booted" ]; then
  booted=$(stat -c %.3Y "$work/io/booted")
  ended=$(stat -c %.3Y "$work/io/status" 2>/dev/null || date +%s.%N)
  awk -v s="$started" -v b="$booted" -v e="$ended" \
    'BEGIN { printf "cgroup2-vm: the guest booted in %.1f s; COMMAND ran %.1f s\n", b - s, e - b }' >&2
fi
if [ ! -s "$work/io/status" ]; then
  echo "error: the guest stopped before COMMAND finished (see the console output above)" >&2
  exit 125
fi
exit "$(cat "$work/io/status")"
