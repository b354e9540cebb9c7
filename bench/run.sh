#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# `make bench`: compares reqperf with wrk and nginx on this machine, in one
# run, and prints ratios; writes bench/results.json. Not part of `make test`.
#
# Usage: bench/run.sh BUILD/reqperf
# Environment: BENCH_ROUNDS (default 7), BENCH_SECONDS per run (default 3),
# BENCH_MEM_LONG / BENCH_MEM_SHORT (default 30 / 5 s), BENCH_ONLY (a comma
# list of comparisons to run: wrk,nginx,trace,wire,lc,mem,seed,lat; default all).
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: bench/run.sh PATH/TO/reqperf (an executable)" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (eBPF, SCHED_RR, apt-get): run 'sudo make bench'" >&2
	exit 1
fi
bin=$(realpath "$1")
dir=$(cd "$(dirname "$0")" && pwd)

# Debian's wrk and nginx-light (a transitional package for nginx on 12),
# valgrind for instruction counts.
REQPERF_EXTRA_PKGS="wrk nginx-light valgrind" "$dir/../.ci/deps.sh"

# Every server the benchmark starts leads its own process group and writes
# the group id here; whatever ends this script, the trap stops them all.
state=$(mktemp -d /tmp/reqperf-bench.XXXXXX)
cleanup() {
	for f in "$state"/pgid.*; do
		[ -e "$f" ] || continue
		kill -s TERM -- "-$(cat "$f")" 2>/dev/null || true
	done
	sleep 0.2
	for f in "$state"/pgid.*; do
		[ -e "$f" ] || continue
		kill -s KILL -- "-$(cat "$f")" 2>/dev/null || true
	done
	rm -rf "$state"
}
# A signal to this script alone (a CI timeout) must not wait for the
# benchmark to finish: it runs in the background, `wait` is interruptible.
child=
on_signal() {
	[ -z "$child" ] || kill -s TERM "$child" 2>/dev/null || true
	exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM HUP

helper="$(dirname "$bin")/bench/syscost"
mkdir -p "$(dirname "$helper")"
if [ ! -x "$helper" ] || [ "$dir/syscost.c" -nt "$helper" ]; then
	${CC:-gcc} -O2 -std=gnu11 -Wall -Wextra -Werror -o "$helper" "$dir/syscost.c"
fi

PYTHONDONTWRITEBYTECODE=1 timeout 900 python3 "$dir/bench.py" --bin "$bin" \
	--helper "$helper" --state "$state" --out "$dir/results.json" &
child=$!
rc=0
wait "$child" || rc=$?
child=
exit "$rc"
