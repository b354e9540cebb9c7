#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Boots one kernel with the guest initramfs under qemu, bounded in time.
# The console (ttyS0) goes to OUTDIR/console.log, the guest's results
# (ttyS1) to OUTDIR/data.log. Exit code: qemu's, 124 on timeout.
# Usage: boot.sh VMLINUZ INITRD OUTDIR tcg|kvm SECONDS [CMDLINE-EXTRA [ARCH]]
# ARCH x86_64 (default) or arm64: qemu-system-aarch64 -M virt -cpu max
# (TCG), whose one PL011 UART carries both: the guest's init falls back to
# the console, the kernel is kept silent (loglevel=0) and the host reads
# only the marked sections; console.log is then the same file.
set -u

kernel=$1
initrd=$2
outdir=$3
accel=$4
secs=$5
extra=${6:-}
arch=${7:-x86_64}

mkdir -p "$outdir" && rm -f "$outdir/console.log" "$outdir/data.log"
# Multi-threaded TCG runs each vCPU in its own host thread; code one vCPU
# patches (a tracepoint's static key flipped when a program attaches) can
# then still run stale on the other, which oopses on int3 (seen in
# ttwu_do_activate and handle_softirqs). One thread for all vCPUs keeps
# self-modifying code coherent; the guest still has two CPUs.
[ "$accel" = tcg ] && accel=tcg,thread=single
# qemu gets SIGTERM at the bound (or when this process is sent one), and
# SIGKILL 5 s later if it hangs on.
if [ "$arch" = arm64 ]; then
	ln -s data.log "$outdir/console.log"
	# pauth-impdef: the same pointer authentication, with a cheaper hash
	# to emulate than the architected QARMA.
	exec timeout -k 5 "$secs" qemu-system-aarch64 \
		-M virt -accel tcg,thread=single -cpu max,pauth-impdef=on -smp 2 -m 1G \
		-nographic -no-reboot -monitor none -nic none \
		-serial "file:$outdir/data.log" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyAMA0 panic=-1 quiet loglevel=0 $extra" \
		</dev/null >"$outdir/qemu.log" 2>&1
fi
exec timeout -k 5 "$secs" qemu-system-x86_64 \
	-accel "$accel" -cpu max -smp 2 -m 1G \
	-nographic -no-reboot -monitor none -nic none \
	-serial "file:$outdir/console.log" -serial "file:$outdir/data.log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 quiet $extra" \
	</dev/null >"$outdir/qemu.log" 2>&1
