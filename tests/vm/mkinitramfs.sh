#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Builds the guest's initramfs (cpio newc, gzip): busybox-static, the
# statically linked reqperf and tests/vm/init.
# Usage: mkinitramfs.sh OUT.cpio.gz STATIC-BIN [BUSYBOX]
# (BUSYBOX: a static busybox of the guest's architecture; default the host's)
# Exit 3 when busybox-static is missing, 1 on any other error.
set -u

out=$1
bin=$2
init=$(dirname "$0")/init

static() {
	[ -x "$1" ] && ! readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

busybox=""
for b in ${3:-/bin/busybox /usr/bin/busybox}; do
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
case $(readelf -h "$bin" 2>/dev/null | sed -n 's/^ *Machine: *//p') in
AArch64) strip=aarch64-linux-gnu-strip ;;
esac
$strip -o "$root/bin/reqperf" "$bin" 2>/dev/null || cp "$bin" "$root/bin/reqperf" || exit 1
chmod 755 "$root/init" "$root/bin/busybox" "$root/bin/reqperf"
# The kernel opens /dev/console for /init before devtmpfs is mounted.
mknod "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp" &&
	mv "$out.tmp" "$out" || { echo "mkinitramfs: cannot write $out" >&2; exit 1; }
