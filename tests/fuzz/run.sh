#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs each libFuzzer target for SECONDS from the committed seed corpus
# (tests/fuzz/corpus/NAME, read only) plus a working corpus in DIR.
# Prints "ok - ..." / "not ok - ..." per target; a crash leaves its
# reproducer in DIR/artifacts and fails. Usage: run.sh SECONDS DIR NAME...
set -u
secs=${1:?usage: run.sh SECONDS DIR NAME...}
dir=${2:?usage: run.sh SECONDS DIR NAME...}
shift 2
here=$(dirname "$0")
fail=0
mkdir -p "$dir/artifacts"
for t in "$@"; do
	case "$t" in
	http_*) opts="-dict=$here/http.dict -max_len=20000" ;;
	*) opts="-dict=$here/cli.dict -max_len=1200" ;;
	esac
	mkdir -p "$dir/corpus/$t"
	log="$dir/fuzz_$t.log"
	# shellcheck disable=SC2086
	timeout $((secs + 120)) "$dir/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" $opts \
		"$dir/corpus/$t" "$here/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "ok - fuzz $t: $runs inputs in ${secs} s, no crash"
	else
		fail=$((fail + 1))
		echo "not ok - fuzz $t: exit $rc, see $log"
		grep -E 'ERROR|check failed|runtime error|Test unit written' "$log" |
			head -5 | sed 's/^/#   /'
	fi
done
[ "$fail" -eq 0 ]
