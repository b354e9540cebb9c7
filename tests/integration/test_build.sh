#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The build's promises, checked with `make -n` (nothing is built or
# installed here): plain `make` never installs; `make run` and `make test`
# call `make deps` before anything else; `make deps` on a machine without
# apt-get prints the package list and stops with a non-zero status.
# Usage: test_build.sh path/to/reqperf (unused: the tree is the repository).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FAILS=0

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1 $2"
	FAILS=$((FAILS + 1))
}
check() { # name, condition result (0 = true), detail
	if [ "$2" -eq 0 ]; then ok "$1"; else not_ok "$1" "$3"; fi
}

dry() { # the commands `make -B -n TARGET` would run, from the repository
	timeout 60 make -C "$ROOT" -B -n --no-print-directory "$@" 2>/dev/null
}

out=$(dry all)
echo "$out" | grep -q 'deps\.sh'
check "build: plain make never runs deps.sh" "$((1 - $?))" "(make -n all runs it)"
echo "$out" | grep -q 'apt-get'
check "build: plain make never runs apt-get" "$((1 - $?))" ""

for t in run test; do
	first=$(dry "$t" | grep -v '^printf\|^mkdir\|^$' | head -1)
	case "$first" in
	*deps.sh*) ok "build: make $t runs deps.sh first" ;;
	*) not_ok "build: make $t runs deps.sh first" "(first command: $first)" ;;
	esac
done

# deps.sh where dpkg-query/apt-get are absent: a PATH with only sh's basics.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for c in sh id echo cat; do
	p=$(command -v "$c") && ln -s "$p" "$bin/$c"
done
to=$(command -v timeout)
msg=$(PATH=$bin "$to" 10 "$bin/sh" "$ROOT/.ci/deps.sh" 2>&1)
rc=$?
check "build: deps without apt-get exits 1" "$([ "$rc" -eq 1 ]; echo $?)" "(exit $rc)"
echo "$msg" | grep -q 'libbpf-dev'
check "build: deps without apt-get prints the package list" "$?" "($msg)"
[ "$FAILS" -eq 0 ]
