#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Fetches the matrix's stock Debian kernels into CACHE and prints one line
# per kernel on stdout:
#   KERNEL <series> <package>=<version> <path to vmlinuz>
#   SKIPPED <series>: <reason>
# Usage: kernels.sh CACHE SERIES:RELEASE...   (e.g. 6.1:bookworm, 5.10:bullseye,
#        6.12-arm64:bookworm-backports)
# apt runs with a private source list and state under CACHE, never the
# host's. A kernel already extracted is used as is, without the network;
# REQPERF_VM_REFRESH=1 resolves the newest versions again.
set -u

cache=$(realpath -m "$1")
shift
. "$(dirname "$0")/apt.sh"

mkdir -p "$cache/deb" "$cache/kernels" || exit 1

cache_lock || {
	for spec in "$@"; do echo "SKIPPED ${spec%%:*}: vm cache $cache is locked"; done
	exit 0
}

# Sets pv to "<package>=<version>" of the kernel image linux-image-$3
# in release $2 depends on, when it belongs to series $1 (6.1, not 6.1-arm64).
resolve() {
	pv=$(apt_run 60 apt-cache show "linux-image-$3/$2" 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1=\2/p' | head -n 1)
	case "$pv" in
	linux-image-"$1".*-"$3"=*) return 0 ;;
	"") why="linux-image-$3 not found in $2" ;;
	*) why="linux-image-$3 in $2 points to ${pv%%=*}, not $1" ;;
	esac
	return 1
}

# Downloads and extracts pkg=ver (architecture $3) into $cache/kernels/$series.
fetch() {
	series=$1
	pv=$2
	arch=$3
	dir=$cache/kernels/$series
	rm -rf "$dir.new" && mkdir -p "$dir.new/root" || { why="cannot write $dir.new"; return 1; }
	(cd "$cache/deb" && apt_run 600 apt-get download "$pv") \
		>"$dir.new/download.log" 2>&1 || {
		why="apt-get download $pv failed ($(grep -m1 -E '^(E|W):' "$dir.new/download.log"))"
		return 1
	}
	ver=$(echo "${pv#*=}" | sed 's/:/%3a/')
	deb=$cache/deb/${pv%%=*}_${ver}_${arch}.deb
	[ -s "$deb" ] || { why="apt-get download left no $deb"; return 1; }
	dpkg-deb -x "$deb" "$dir.new/root" || { why="dpkg-deb -x $deb failed"; return 1; }
	for img in "$dir.new/root/boot/vmlinuz-"*; do break; done
	[ -f "$img" ] || { why="$deb has no /boot/vmlinuz-*"; return 1; }
	mv "$img" "$dir.new/vmlinuz" && cp "$dir.new/root/boot/config-"* "$dir.new/config" ||
		{ why="cannot write $dir.new"; return 1; }
	# The tracing backends need no module; --netns and its impairments do.
	keep_modules "$dir.new" || return 1
	rm -rf "$dir.new/root" "$deb"
	echo "$pv" >"$dir.new/package"
	rm -rf "$dir" && mv "$dir.new" "$dir"
}

# The modules the guest's --netns runs load (veth, the qdiscs, cls_bpf) and
# what they depend on, uncompressed, into DIR/modules/<release>/, with
# "order" listing them dependencies first (the guest has no depmod output:
# its /init insmods in that order).
MODULES="veth sch_netem sch_tbf sch_ingress cls_bpf"

# depends_of KO: the names in the module's "depends=" modinfo field.
depends_of() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

keep_modules() {
	src=$(ls -d "$1/root/lib/modules/"*/ 2>/dev/null | head -n 1)
	[ -n "$src" ] || { why="no /lib/modules in the package"; return 1; }
	rel=$(basename "$src")
	out=$1/modules/$rel
	mkdir -p "$out" || { why="cannot write $out"; return 1; }
	: >"$out/order"
	todo=$MODULES
	# A module goes into order after everything it depends on: repeat
	# until every wanted module is placed (bounded by the list's size).
	for _ in 1 2 3 4 5 6 7 8; do
		left=""
		for m in $todo; do
			grep -qx "$m" "$out/order" && continue
			f=$(find "$src" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n 1)
			[ -n "$f" ] || { why="module $m not in the package"; return 1; }
			case $f in
			*.xz) xz -dc "$f" >"$out/$m.ko" ;;
			*.zst) zstd -qdc "$f" >"$out/$m.ko" ;;
			*) cp "$f" "$out/$m.ko" ;;
			esac || { why="cannot unpack $f"; return 1; }
			ready=1
			for d in $(depends_of "$out/$m.ko" | tr '-' '_'); do
				grep -qx "$d" "$out/order" || { ready=0 && left="$left $d"; }
			done
			[ $ready -eq 1 ] && echo "$m" >>"$out/order" || left="$left $m"
		done
		todo=$left
		[ -z "$todo" ] && return 0
	done
	why="module dependencies not resolved: $todo"
	return 1
}

# Prints the KERNEL or SKIPPED line for SERIES:RELEASE; a series named
# X-arm64 is Debian's arm64 kernel of series X, any other amd64's.
one() {
	series=${1%%:*}
	release=${1#*:}
	case $series in
	*-arm64) arch=arm64 base=${series%-arm64} ;;
	*) arch=amd64 base=$series ;;
	esac
	dir=$cache/kernels/$series
	why=""
	# A cache from before the modules were kept is fetched again.
	if [ "${REQPERF_VM_REFRESH:-0}" != 1 ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/package" ] &&
		[ -s "$dir"/modules/*/order ]; then
		echo "KERNEL $series $(cat "$dir/package") $dir/vmlinuz"
		return
	fi
	if apt_update && resolve "$base" "$release" "$arch"; then
		if [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/package")" = "$pv" ] &&
			[ -s "$dir"/modules/*/order ]; then
			echo "KERNEL $series $pv $dir/vmlinuz"
			return
		fi
		if fetch "$series" "$pv" "$arch"; then
			echo "KERNEL $series $pv $dir/vmlinuz"
			return
		fi
	fi
	if [ -s "$dir/vmlinuz" ] && [ -s "$dir/package" ]; then
		echo "warning: $series: $why; using the cached $(cat "$dir/package")" >&2
		echo "KERNEL $series $(cat "$dir/package") $dir/vmlinuz"
		return
	fi
	echo "SKIPPED $series: $why"
}

for spec in "$@"; do
	one "$spec"
done
