# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the front ends (scripts/check.sh, scripts/run.sh, scripts/longrun.sh)
# share.  Sourced, never run, right after `set -eu -o pipefail`:
#
#	. "$(dirname "$0")/lib.sh"
#
# Sets $me (the script's name, for messages) and $top (the tree), and
# changes to $top.

me=$(basename "$0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2

# die MESSAGE...: bad settings or arguments; exit status 2.
die() {
	echo "$me: $*" >&2
	exit 2
}

# use_cache: the cache of builds and logs (scripts/kernels.sh cache) in
# $cache and the exported PIDFD_MOD_CACHE, locked on fd 9.  Runs sharing a
# cache would overwrite each other's builds and logs, so a second run waits
# for the first; closing fd 9 (exec 9>&-) lets the next one go.
use_cache() {
	PIDFD_MOD_CACHE=$(scripts/kernels.sh cache)
	export PIDFD_MOD_CACHE
	cache=$PIDFD_MOD_CACHE
	exec 9>"$cache/.check.lock"
	if ! flock -n 9; then
		echo "$me: waiting for another run using $cache"
		flock 9
	fi
}
