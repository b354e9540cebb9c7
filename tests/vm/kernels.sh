#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Fetches the matrix's stock Debian kernels into CACHE and prints one line
# per kernel on stdout:
#   KERNEL <series> <package>=<version> <path to vmlinuz>
#   SKIPPED <series>: <reason>
# Usage: kernels.sh CACHE SERIES:RELEASE...   (e.g. 6.1:bookworm)
# apt runs with a private source list and state under CACHE, never the
# host's. A kernel already extracted is used as is, without the network;
# REQPERF_VM_REFRESH=1 resolves the newest versions again.
set -u

cache=$(realpath -m "$1")
shift
mirror=${REQPERF_VM_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_dir=$cache/apt
updated=0

mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
	"$cache/deb" "$cache/kernels" || exit 1

# Two runs at once must not share a half-written cache; the wait is bounded.
exec 9>"$cache/.lock"
flock -w 900 9 || {
	for spec in "$@"; do echo "SKIPPED ${spec%%:*}: vm cache $cache is locked"; done
	exit 0
}

# apt_run SECONDS TOOL ARGS...: apt-get / apt-cache on the private state.
apt_run() {
	secs=$1
	tool=$2
	shift 2
	timeout "$secs" "$tool" -q -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt_dir/lists" \
		-o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null \
		-o APT::Sandbox::User=root -o Acquire::Retries=2 \
		-o Acquire::http::Timeout=30 "$@"
}

write_sources() {
	signed=""
	[ -r "$keyring" ] && signed=" [signed-by=$keyring]"
	{
		echo "deb$signed $mirror bookworm main"
		echo "deb$signed $mirror bookworm-backports main"
	} >"$apt_dir/sources.list"
}

# Refreshes the private package lists once per run; a failure is final.
apt_update() {
	[ "$updated" -eq 1 ] && return 0
	[ "$updated" -eq -1 ] && why=$update_why && return 1
	updated=-1
	update_why="apt-get not found"
	command -v apt-get >/dev/null || { why=$update_why; return 1; }
	write_sources
	if ! apt_run 300 apt-get --error-on=any update >"$apt_dir/update.log" 2>&1; then
		update_why="apt-get update failed: $(grep -m1 -E '^(E|W):' "$apt_dir/update.log" |
			tr -s ' ')"
		why=$update_why
		return 1
	fi
	updated=1
}

# Sets pv to "<package>=<version>" of the kernel image linux-image-amd64
# in release $2 depends on, when it belongs to series $1.
resolve() {
	pv=$(apt_run 60 apt-cache show "linux-image-amd64/$2" 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\) (= \([^)]*\)).*/\1=\2/p' | head -n 1)
	case "$pv" in
	linux-image-"$1".*-amd64=*) return 0 ;;
	"") why="linux-image-amd64 not found in $2" ;;
	*) why="linux-image-amd64 in $2 points to ${pv%%=*}, not $1" ;;
	esac
	return 1
}

# Downloads and extracts pkg=ver into $cache/kernels/$series.
fetch() {
	series=$1
	pv=$2
	dir=$cache/kernels/$series
	rm -rf "$dir.new" && mkdir -p "$dir.new/root" || { why="cannot write $dir.new"; return 1; }
	(cd "$cache/deb" && apt_run 600 apt-get download "$pv") \
		>"$dir.new/download.log" 2>&1 || {
		why="apt-get download $pv failed ($(grep -m1 -E '^(E|W):' "$dir.new/download.log"))"
		return 1
	}
	ver=$(echo "${pv#*=}" | sed 's/:/%3a/')
	deb=$cache/deb/${pv%%=*}_${ver}_amd64.deb
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

# Prints the KERNEL or SKIPPED line for SERIES:RELEASE.
one() {
	series=${1%%:*}
	release=${1#*:}
	dir=$cache/kernels/$series
	why=""
	# A cache from before the modules were kept is fetched again.
	if [ "${REQPERF_VM_REFRESH:-0}" != 1 ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/package" ] &&
		[ -s "$dir"/modules/*/order ]; then
		echo "KERNEL $series $(cat "$dir/package") $dir/vmlinuz"
		return
	fi
	if apt_update && resolve "$series" "$release"; then
		if [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/package")" = "$pv" ] &&
			[ -s "$dir"/modules/*/order ]; then
			echo "KERNEL $series $pv $dir/vmlinuz"
			return
		fi
		if fetch "$series" "$pv"; then
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
