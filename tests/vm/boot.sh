#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Boots one kernel with the guest initramfs under qemu, bounded in time.
# The console (ttyS0) goes to OUTDIR/console.log, the guest's results
# (ttyS1) to OUTDIR/data.log. Exit code: qemu's, 124 on timeout.
# Usage: boot.sh VMLINUZ INITRD OUTDIR tcg|kvm SECONDS [CMDLINE-EXTRA]
set -u

kernel=$1
initrd=$2
outdir=$3
accel=$4
secs=$5
extra=${6:-}

mkdir -p "$outdir" && rm -f "$outdir/console.log" "$outdir/data.log"
# Multi-threaded TCG runs each vCPU in its own host thread; code one vCPU
# patches (a tracepoint's static key flipped when a program attaches) can
# then still run stale on the other, which oopses on int3 (seen in
# ttwu_do_activate and handle_softirqs). One thread for all vCPUs keeps
# self-modifying code coherent; the guest still has two CPUs.
[ "$accel" = tcg ] && accel=tcg,thread=single
# qemu gets SIGTERM at the bound (or when this process is sent one), and
# SIGKILL 5 s later if it hangs on.
exec timeout -k 5 "$secs" qemu-system-x86_64 \
	-accel "$accel" -cpu max -smp 2 -m 1G \
	-nographic -no-reboot -monitor none -nic none \
	-serial "file:$outdir/console.log" -serial "file:$outdir/data.log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 quiet $extra" \
	</dev/null >"$outdir/qemu.log" 2>&1
