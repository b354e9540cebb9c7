#!/bin/sh
# Runs every integration test (test_*.py, test_*.sh) against the binary $1.
# Each prints "ok - ..." / "not ok - ..." lines; this prints one summary.
# REQPERF_TEST_LEAVE: file names (test_x.py ...) not run this time; one
# "# left out" line names them. REQPERF_TEST_ONLY: only these files.
bin=$(realpath "$1")
dir=$(dirname "$0")
pass=0
fail=0
skipped=0
for t in "$dir"/test_*.py "$dir"/test_*.sh; do
	[ -e "$t" ] || continue
	case " ${REQPERF_TEST_LEAVE:-} " in
	*" $(basename "$t") "*) continue ;;
	esac
	if [ -n "${REQPERF_TEST_ONLY:-}" ]; then
		case " $REQPERF_TEST_ONLY " in
		*" $(basename "$t") "*) ;;
		*) continue ;;
		esac
	fi
	case "$t" in
	*.py) out=$(timeout 600 python3 "$t" "$bin" 2>&1) ;;
	*) out=$(timeout 600 sh "$t" "$bin" 2>&1) ;;
	esac
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	s=$(printf '%s\n' "$out" | grep -c '^skip ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited $rc"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
done
[ -n "${REQPERF_TEST_LEAVE:-}" ] && echo "# left out: $REQPERF_TEST_LEAVE"
echo "integration checks: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
