#!/bin/sh
# `make test`: the cmocka unit tests, then the integration tests that load
# the real eBPF programs and drive real sockets. Prints one closing line.
bin=$1
shift
tests/unit/run.sh "$@" >/tmp/reqperf-unit.$$ 2>&1
urc=$?
cat /tmp/reqperf-unit.$$
up=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' /tmp/reqperf-unit.$$ | awk '{s+=$1} END {print s+0}')
uf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' /tmp/reqperf-unit.$$ | awk '{s+=$1} END {print s+0}')
rm -f /tmp/reqperf-unit.$$
[ "$urc" -ne 0 ] && [ "$uf" -eq 0 ] && uf=1
tests/integration/run.sh "$bin" >/tmp/reqperf-int.$$ 2>&1
irc=$?
cat /tmp/reqperf-int.$$
ip=$(grep -c '^ok ' /tmp/reqperf-int.$$)
if_=$(grep -c '^not ok ' /tmp/reqperf-int.$$)
rm -f /tmp/reqperf-int.$$
[ "$irc" -ne 0 ] && [ "$if_" -eq 0 ] && if_=1
echo "$((up + ip)) passed, $((uf + if_)) failed"
[ "$urc" -eq 0 ] && [ "$irc" -eq 0 ]
