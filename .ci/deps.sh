#!/bin/sh
# Installs the Debian packages reqperf needs to build and test; a fast
# no-op when they are all present. Idempotent; safe to run every time.
set -eu

PKGS="clang llvm gcc make libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev
libcmocka-dev libpcap-dev libdbus-1-dev pkg-config python3 iproute2 util-linux procps
qemu-system-x86 busybox-static cpio xz-utils libclang-rt-14-dev libdeflate-dev
liburing-dev nginx python3-aiohttp bpftrace tshark man-db groff-base
libjansson-dev gcc-aarch64-linux-gnu qemu-system-arm"
PKGS="$PKGS ${REQPERF_EXTRA_PKGS:-}"

# Not Debian/Ubuntu: say what is needed and stop; never guess another
# distribution's package names.
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: no dpkg/apt-get here; install the equivalents of these Debian packages:" >&2
	echo "deps: $(echo $PKGS)" >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing (run as root, e.g. 'sudo make', to install them)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# An empty or stale package list makes apt-get install fail: refresh once.
apt-get update -q >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ echo "deps: apt-get install$missing failed" >&2; exit 1; }
