#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The VM kernel matrix: boots each stock Debian kernel under qemu with the
# static reqperf in an initramfs, runs every probe backend in the guest and
# checks the results on the host. Prints "ok - vm ..." / "not ok - vm ..."
# lines, the kernel x backend matrix, "SKIPPED <kernel>: <reason>" for a
# kernel that cannot be tested here; exits non-zero on any failure.
# Usage: tests/vm/run.sh BUILD/reqperf-static [BUILD/arm64/reqperf-static]
# Environment: REQPERF_VM_MATRIX (SERIES:RELEASE..., default the kernels
# `make test` runs: 6.1 and 6.12 on x86_64; a series X-arm64 boots Debian's arm64 kernel under
# qemu-system-aarch64 with the second binary), REQPERF_VM_ACCEL=auto|tcg|kvm, REQPERF_VM_TIMEOUT (seconds
# per boot, 180), REQPERF_VM_REQUESTS (200), REQPERF_VM_REFRESH=1 (look for
# newer kernels), REQPERF_VM_FULL=1 (the longer --netns runs too; make
# test-vm sets it), REQPERF_VM_CACHE (tests/vm/cache), REQPERF_VM_KEEP=1
# (keep the guests' logs even when everything passed).
set -u

bin=$1
bin_arm64=${2:-}
dir=$(cd "$(dirname "$0")" && pwd)
cache=${REQPERF_VM_CACHE:-$dir/cache}
matrix=${REQPERF_VM_MATRIX:-6.1:bookworm 6.12:bookworm-backports}
requests=${REQPERF_VM_REQUESTS:-200}
secs=${REQPERF_VM_TIMEOUT:-180}
t0=$(date +%s)

skip_all() {
	for spec in $matrix; do
		echo "SKIPPED ${spec%%:*}: $1"
	done
	exit 0
}

# Prints kvm when KVM boots this kernel, else tcg. A broken KVM either
# aborts qemu or reports an internal error and hangs: stop at either.
pick_accel() {
	case ${REQPERF_VM_ACCEL:-auto} in
	tcg | kvm) echo "$REQPERF_VM_ACCEL" && return ;;
	esac
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		echo tcg
		return
	fi
	"$dir/boot.sh" "$1" "$work/initrd.gz" "$2" kvm 20 rp_mode=probe &
	pid=$!
	i=0
	while [ $i -lt 200 ] && kill -0 $pid 2>/dev/null; do
		grep -q '@@REQPERF-DONE@@' "$2/data.log" 2>/dev/null && break
		grep -q 'KVM internal error' "$2/qemu.log" 2>/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	if grep -q '@@REQPERF-DONE@@' "$2/data.log" 2>/dev/null; then
		echo kvm
	else
		echo tcg
	fi
}

[ "$(uname -m)" = x86_64 ] || skip_all "the matrix needs an x86_64 host, not $(uname -m)"
for tool in qemu-system-x86_64 cpio gzip python3 readelf flock; do
	command -v $tool >/dev/null || skip_all "$tool not installed"
done
if ! [ -f "$bin" ]; then
	echo "not ok - vm $bin not found (make static)"
	exit 1
fi

work=$(mktemp -d /tmp/reqperf-vm.XXXXXX) || exit 1
# shellcheck disable=SC2086
"$dir/kernels.sh" "$cache" $matrix >"$work/kernels"
# Every x86_64 kernel's modules go into the one initramfs, each under its
# release.
# shellcheck disable=SC2046
"$dir/mkinitramfs.sh" "$work/initrd.gz" "$bin" $(awk '$1 == "KERNEL" && $2 !~ /-arm64$/ {
	d = $4; sub(/\/vmlinuz$/, "/modules", d); print d }' "$work/kernels" |
	while read -r d; do ls -d "$d"/*/ 2>/dev/null; done)
case $? in
0) ;;
3) rm -rf "$work" && skip_all "no static busybox (busybox-static not installed)" ;;
*) echo "not ok - vm initramfs" && rm -rf "$work" && exit 1 ;;
esac

# The arm64 rows: the cross-built binary, the sysroot's arm64 busybox and
# qemu-system-aarch64; without one of them, one SKIPPED line per row.
arm64_why=""
case " $matrix" in
*-arm64:*)
	root=$("$dir/sysroot.sh" "$cache")
	if ! command -v qemu-system-aarch64 >/dev/null; then
		arm64_why="qemu-system-aarch64 not installed (qemu-system-arm)"
	elif [ -z "$bin_arm64" ] || ! [ -f "$bin_arm64" ]; then
		arm64_why="no cross-built reqperf (make static-arm64: gcc-aarch64-linux-gnu)"
	elif ! [ -d "$root" ]; then
		arm64_why=${root#SKIPPED arm64: }
	elif ! REQPERF_VM_BUSYBOX=$root/bin/busybox "$dir/mkinitramfs.sh" \
		"$work/initrd-arm64.gz" "$bin_arm64"; then
		echo "not ok - vm arm64 initramfs"
		arm64_why="no arm64 initramfs"
	fi
	;;
esac
set --
while read -r kind series rest; do
	case $kind in
	SKIPPED)
		echo "$kind $series $rest"
		set -- "$@" --skip "${series%:}" "$rest"
		;;
	KERNEL)
		pv=${rest%% *}
		vmlinuz=${rest#* }
		out=$work/$series
		arch=x86_64 initrd=$work/initrd.gz
		case $series in
		*-arm64)
			if [ -n "$arm64_why" ]; then
				echo "SKIPPED $series: $arm64_why"
				set -- "$@" --skip "$series" "$arm64_why"
				continue
			fi
			arch=arm64 initrd=$work/initrd-arm64.gz accel=tcg
			;;
		*) accel=$(pick_accel "$vmlinuz" "$out/kvm-probe") ;;
		esac
		t1=$(date +%s)
		echo "# vm $series: $pv, qemu $arch $accel"
		"$dir/boot.sh" "$vmlinuz" "$initrd" "$out" "$accel" "$secs" \
			"rp_requests=$requests rp_full=${REQPERF_VM_FULL:-0}" "$arch"
		echo $? >"$out/rc"
		# Under multi-threaded TCG, live text patching (int3 while a
		# tracepoint's static key flips) oopsed a vCPU that ran the site
		# mid-patch in about half the full runs (handle_softirqs,
		# ttwu_do_activate); boot.sh now runs TCG single-threaded and 8
		# runs of both kernels saw none. Should one still happen: that is
		# the emulator, not a verified BPF program: boot once more, say
		# so, and let a second panic fail the kernel.
		if grep -q 'Kernel panic' "$out/console.log" 2>/dev/null; then
			echo "# vm $series: guest kernel panicked, booting once more:" \
				"$(grep -m1 -E 'Oops|BUG' "$out/console.log" | cut -c1-100)"
			mv "$out" "$out.panic"
			mkdir -p "$out"
			"$dir/boot.sh" "$vmlinuz" "$initrd" "$out" "$accel" "$secs" \
				"rp_requests=$requests rp_full=${REQPERF_VM_FULL:-0}" "$arch"
			echo $? >"$out/rc"
		fi
		echo "$(($(date +%s) - t1))" >"$out/wall"
		set -- "$@" --kernel "$series" "$pv" "$out"
		;;
	esac
done <"$work/kernels"

python3 "$dir/check.py" --requests "$requests" --workers 2 --full "${REQPERF_VM_FULL:-0}" "$@"
rc=$?
echo "# vm matrix wall time: $(($(date +%s) - t0)) s"
if [ $rc -eq 0 ] && [ "${REQPERF_VM_KEEP:-0}" != 1 ]; then
	rm -rf "$work"
else
	echo "# vm logs kept in $work"
fi
exit $rc
