#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The arm64 sysroot for the cross-built static reqperf and the arm64
# guests: Debian bookworm's arm64 -dev packages of reqperf's libraries and
# busybox-static, fetched with apt-get download on the private apt state
# (tests/vm/apt.sh; the host's apt configuration is untouched) and unpacked
# with dpkg-deb -x into CACHE/sysroot-arm64. A complete sysroot is reused
# without the network. Prints its path, or one "SKIPPED arm64: <reason>"
# line and exits 1.
# Usage: sysroot.sh CACHE
set -u

cache=$(realpath -m "$1")
. "$(dirname "$0")/apt.sh"

# Static archives the link needs (tests/vm/vm.mk STATIC_LDLIBS), and the
# guest's shell. The C library comes with the cross compiler
# (gcc-aarch64-linux-gnu: libc6-dev-arm64-cross).
pkgs="libbpf-dev libelf-dev zlib1g-dev libzstd-dev libdeflate-dev libjansson-dev
libpcap0.8-dev libdbus-1-dev busybox-static"
root=$cache/sysroot-arm64
stamp=$root/.packages
want=$(echo $pkgs)

[ -s "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && echo "$root" && exit 0
cache_lock || { echo "SKIPPED arm64: vm cache $cache is locked"; exit 1; }
debs=$cache/deb/arm64-sysroot
rm -rf "$debs" "$root.new" && mkdir -p "$debs" "$root.new" || exit 1
if ! apt_update; then
	echo "SKIPPED arm64: $why"
	exit 1
fi
list=""
for p in $pkgs; do
	list="$list $p:arm64/bookworm"
done
# shellcheck disable=SC2086
if ! (cd "$debs" && apt_run 600 apt-get download $list) >"$debs/download.log" 2>&1; then
	echo "SKIPPED arm64: apt-get download failed ($(grep -m1 -E '^(E|W):' "$debs/download.log"))"
	exit 1
fi
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$root.new" || { echo "SKIPPED arm64: dpkg-deb -x $d failed"; exit 1; }
done
echo "$want" >"$root.new/.packages"
rm -rf "$root" "$debs" && mv "$root.new" "$root" && echo "$root"
