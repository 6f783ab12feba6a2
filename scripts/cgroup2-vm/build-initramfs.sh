#!/usr/bin/env bash
# build-initramfs.sh RELEASE OUT INIT: a small initramfs for cgroup2-vm.sh. It holds a static
# busybox, INIT as /init, and the kernel modules (with what they depend on) that the guest needs
# to mount the host's root over 9p under an overlay.
set -euo pipefail
release=$1 out=$2 init=$3
modules_dir=/lib/modules/$release
wanted=(virtio_pci 9pnet_virtio 9p overlay virtio_rng)

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/{bin,dev,proc,sys,host,rw,newroot,modules}
cp /bin/busybox "$tree/bin/busybox"
cp "$init" "$tree/init"
chmod 755 "$tree/init"

# Each wanted module after everything it depends on (modules.dep lists a module's dependencies).
declare -A seen=()
order=()
add() {
  local name=${1//-/_} line path dep
  [ -z "${seen[$name]:-}" ] || return 0
  seen[$name]=1
  line=$(grep -E "(^|/)${name//_/[_-]}\.ko(\.[a-z]+)?:" "$modules_dir/modules.dep" || true)
  [ -n "$line" ] || return 0 # built into this kernel
  path=${line%%:*}
  for dep in ${line#*:}; do
    dep=${dep##*/}
    add "${dep%%.ko*}"
  done
  order+=("$path")
}
for module in "${wanted[@]}"; do add "$module"; done
: > "$tree/modules/order"
for path in "${order[@]}"; do
  cp "$modules_dir/$path" "$tree/modules/"
  echo "${path##*/}" >> "$tree/modules/order"
done

(cd "$tree" && find . -print0 | cpio --null --create --format=newc --quiet) > "$out"
