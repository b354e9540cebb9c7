# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Sourced by kernels.sh and sysroot.sh: apt-get and apt-cache on a private
# source list and state under $cache/apt (never the host's), for the
# Debian releases and architectures the VM matrix uses.
# Needs: cache (absolute path). Sets: why (on failure).

mirror=${REQPERF_VM_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_dir=$cache/apt
updated=0

mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" || exit 1

# apt_run SECONDS TOOL ARGS...: apt-get / apt-cache on the private state.
apt_run() {
	secs=$1
	tool=$2
	shift 2
	timeout "$secs" "$tool" -q -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt_dir/lists" \
		-o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null \
		-o APT::Sandbox::User=root -o Acquire::Retries=2 \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o Acquire::http::Timeout=30 "$@"
}

# Debian 11 (bullseye, 5.10) and 12 (bookworm 6.1, its backports 6.12),
# amd64 and arm64.
write_sources() {
	opts="arch=amd64,arm64"
	[ -r "$keyring" ] && opts="$opts signed-by=$keyring"
	{
		echo "deb [$opts] $mirror bookworm main"
		echo "deb [$opts] $mirror bookworm-backports main"
		echo "deb [$opts] $mirror bullseye main"
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

# cache_lock: two runs at once must not share a half-written cache; the
# wait is bounded. Returns 1 when the lock was not had.
cache_lock() {
	exec 9>"$cache/.lock"
	flock -w 900 9
}
