#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs the unit tests and the integration tests against a sanitizer build
# (tests/sanitize.mk) with halt_on_error. Reports go to files, so a report
# from a process whose exit status a test expects to be non-zero anyway
# (a killed run, a bad flag) still fails the pass. Usage: sanitize.sh DIR
# [quick|rest] (DIR holds reqperf and tests/test_*). quick (`make test`) leaves
# out the integration files that spend their time waiting on timeouts,
# signals, qdiscs and third-party servers rather than in reqperf's own code
# (about 190 s of the 410 s the whole pass takes here); rest (`make
# test-rest`) runs only those, without the unit tests; `make test-san` runs
# them all.
set -u
dir=${1:?usage: sanitize.sh BUILD-DIR [quick]}
slow="test_faults.py test_servers.py test_impair.py test_latency.py"
case "${2:-}" in
quick) export REQPERF_TEST_LEAVE="$slow" ;;
rest) export REQPERF_TEST_ONLY="$slow" ;;
esac
logs=$(mktemp -d /tmp/reqperf-san.XXXXXX)
# tests drop privileges to nobody: it must be able to write its report
chmod 1777 "$logs"
trap 'rm -rf "$logs"' EXIT
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"

urc=0
if [ "${2:-}" != rest ]; then
	tests/unit/run.sh "$dir"/tests/test_*
	urc=$?
fi
tests/integration/run.sh "$dir/reqperf"
irc=$?

reports=$(find "$logs" -type f | wc -l)
if [ "$reports" -eq 0 ]; then
	echo "ok - sanitizers: no ASan/UBSan/LSan report from unit and integration tests"
else
	echo "not ok - sanitizers: $reports report(s)"
	for f in "$logs"/*; do
		echo "# $f:"
		head -40 "$f" | sed 's/^/#   /'
	done
fi
[ "$urc" -eq 0 ] && [ "$irc" -eq 0 ] && [ "$reports" -eq 0 ]
