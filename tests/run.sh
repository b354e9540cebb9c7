#!/bin/sh
# `make test`: the cmocka unit tests, the integration tests that load the
# real eBPF programs and drive real sockets, then the kernel matrix under
# qemu (tests/vm), the sanitizer pass and the fuzz targets. Prints one
# closing line: "N passed, N failed, N skipped". Slower rows are behind
# make test-vm and make test-san (docs/vm-matrix.md).
# tests/run.sh --rest BIN ARM64-BIN (`make test-rest`, which CI runs after
# make test): only what make test leaves out, the 5.10 and arm64 6.12
# guests and the slow integration files under the sanitizers.
rest=0
if [ "$1" = --rest ]; then
	rest=1
	shift
fi
bin=$1
shift
log=$(mktemp -d /tmp/reqperf-test.XXXXXX)
trap 'rm -rf "$log"' EXIT

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
cmocka_count() {
	sed -n "s/^\[  $1  \] \([0-9]*\) test.*/\1/p" "$2" | awk '{s += $1} END {print s + 0}'
}

# "ok - ..." / "not ok - ..." lines, and a run that failed without one.
suite() {
	name=$1
	shift
	"$@" >"$log/$name" 2>&1
	rc=$?
	cat "$log/$name"
	p=$(grep -c '^ok ' "$log/$name")
	f=$(grep -c '^not ok ' "$log/$name")
	s=$(grep -cE '^(skip |SKIPPED )' "$log/$name")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	echo "$p $f $s" >"$log/$name.count"
}

if [ "$rest" = 1 ]; then
	export REQPERF_VM_MATRIX="5.10:bullseye 6.12-arm64:bookworm-backports"
	suite vm tests/vm/run.sh "${bin}-static" "${1:-}"
	read -r vp vf vs <"$log/vm.count"
	suite sanitize tests/sanitize.sh "$(dirname "$bin")/san" rest
	read -r sp sf ss <"$log/sanitize.count"
	echo "vm matrix $vp/$((vp + vf)), sanitizers $sp/$((sp + sf))"
	echo "$((vp + sp)) passed, $((vf + sf)) failed, $((vs + ss)) skipped"
	[ "$((vf + sf))" -eq 0 ]
	exit
fi

tests/unit/run.sh "$@" >"$log/unit" 2>&1
urc=$?
cat "$log/unit"
up=$(cmocka_count PASSED "$log/unit")
uf=$(cmocka_count FAILED "$log/unit")
[ "$urc" -ne 0 ] && [ "$uf" -eq 0 ] && uf=1

suite integration tests/integration/run.sh "$bin"
read -r ip if_ is <"$log/integration.count"
# The x86_64 guests 6.1 and 6.12 (every backend, netem, wire); make test-vm
# adds 5.10, arm64 6.1 and 6.12 (docs/vm-matrix.md).
suite vm tests/vm/run.sh "${bin}-static"
read -r vp vf vs <"$log/vm.count"
# The same tests under ASan+UBSan (build/san), but the slowest integration
# files (make test-san runs all), then each fuzz target briefly.
suite sanitize tests/sanitize.sh "$(dirname "$bin")/san" quick
read -r sp sf ss <"$log/sanitize.count"
suite fuzz tests/fuzz/run.sh 5 "$(dirname "$bin")/fuzz" http_req http_resp cli
read -r fp ff fs <"$log/fuzz.count"

echo "unit $up/$((up + uf)), integration $ip/$((ip + if_)), vm matrix $vp/$((vp + vf))," \
	"sanitizers $sp/$((sp + sf)), fuzz $fp/$((fp + ff))"
echo "$((up + ip + vp + sp + fp)) passed, $((uf + if_ + vf + sf + ff)) failed," \
	"$((is + vs + ss + fs)) skipped"
[ "$((uf + if_ + vf + sf + ff))" -eq 0 ]
