#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Builds the guest's initramfs (cpio newc, gzip): busybox-static, the
# statically linked reqperf and tests/vm/init; for the --netns runs also
# iproute2's ip and tc (the host's, with the shared libraries they load)
# and each kernel's modules (MODDIR: kernels.sh's modules/<release>, put
# at /lib/modules/<release>/ with its load order).
# Usage: mkinitramfs.sh OUT.cpio.gz STATIC-BIN [MODDIR...]
# An aarch64 STATIC-BIN gets REQPERF_VM_BUSYBOX (the arm64 sysroot's static
# busybox) and no iproute2 (the host's is x86_64): its guest skips --netns.
# Exit 3 when busybox-static is missing, 1 on any other error.
set -u

out=$1
bin=$2
shift 2
init=$(dirname "$0")/init

static() {
	[ -x "$1" ] && ! readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

machine=$(readelf -h "$bin" 2>/dev/null | sed -n 's/^ *Machine: *//p')
busybox=""
for b in ${REQPERF_VM_BUSYBOX:-/bin/busybox /usr/bin/busybox}; do
	static "$b" && busybox=$b && break
done
[ -n "$busybox" ] || { echo "mkinitramfs: no static busybox (install busybox-static)" >&2; exit 3; }
static "$bin" || { echo "mkinitramfs: $bin is not a static executable" >&2; exit 1; }

root=$(mktemp -d /tmp/reqperf-initramfs.XXXXXX) || exit 1
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" || exit 1
cp "$busybox" "$root/bin/busybox" && cp "$init" "$root/init" || exit 1
# Debug info is not needed in the guest and would only slow the unpacking.
strip=strip
[ "$machine" = AArch64 ] && strip=aarch64-linux-gnu-strip
$strip -o "$root/bin/reqperf" "$bin" 2>/dev/null || cp "$bin" "$root/bin/reqperf" || exit 1
chmod 755 "$root/init" "$root/bin/busybox" "$root/bin/reqperf"
# iproute2 for `ip netns` and `tc` (busybox's know neither netns nor
# clsact/netem). Missing on the host: the guest says so and skips --netns.
tools="ip tc"
[ "$machine" = AArch64 ] && tools=""
for tool in $tools; do
	path=""
	for d in /usr/sbin /sbin /usr/bin /bin; do
		[ -x "$d/$tool" ] && path=$(readlink -f "$d/$tool") && break
	done
	[ -n "$path" ] || continue
	mkdir -p "$root/usr/sbin" && cp "$path" "$root/usr/sbin/$tool" || exit 1
	# ldd's "name => /path (addr)" and "/lib64/ld-linux... (addr)" lines
	for lib in $(ldd "$path" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" || exit 1
	done
done
mkdir -p "$root/run" "$root/var" && ln -s /run "$root/var/run" || exit 1
for mods in "$@"; do
	[ -s "$mods/order" ] || continue
	mkdir -p "$root/lib/modules/$(basename "$mods")" &&
		cp "$mods"/*.ko "$mods/order" "$root/lib/modules/$(basename "$mods")/" || exit 1
done
# The kernel opens /dev/console for /init before devtmpfs is mounted.
mknod "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp" &&
	mv "$out.tmp" "$out" || { echo "mkinitramfs: cannot write $out" >&2; exit 1; }
