#!/bin/sh
# Runs every cmocka unit test binary given; prints one summary line.
# Exit status: non-zero when any binary failed.
pass=0
fail=0
for t in "$@"; do
	if "$t"; then
		pass=$((pass + 1))
	else
		echo "unit: $t FAILED" >&2
		fail=$((fail + 1))
	fi
done
echo "unit binaries: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
