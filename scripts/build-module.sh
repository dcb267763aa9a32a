#!/usr/bin/env bash
# build-module.sh LANE: build vswap.ko for one lane into build/LANE/vswap.ko.
#
# Why a copy: kbuild writes its objects next to the sources and 6.1 has no MO=,
# so each lane builds in its own mirror of the sources (build/LANE/src), which
# also keeps incremental rebuilds per lane. The build runs with W=1 and any
# compiler warning fails it: the log is build/LANE/build.log.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"

main() {
	[[ $# -eq 1 ]] || die "usage: build-module.sh LANE"
	local lane=$1 out src log kver
	lane_lock "$lane"
	out=$(lane_out "$lane")
	src=$out/src
	log=$out/build.log
	kver=$(lane_kver "$lane")
	sync_module_sources "$src"
	rm -f "$out/vswap.ko"
	log "lane $lane: building vswap.ko for $kver (log: ${log#"$REPO"/})"
	if ! lane_make "$lane" M="$src" W=1 modules >"$log" 2>&1; then
		sed 's/^/# /' "$log"
		die "lane $lane: module build failed (log: $log)"
	fi
	if grep -q 'warning:' "$log"; then
		grep 'warning:' "$log" | sed 's/^/# /'
		die "lane $lane: the module build has warnings (log: $log)"
	fi
	[[ -f $src/vswap.ko ]] || die "lane $lane: the build produced no vswap.ko"
	cp "$src/vswap.ko" "$out/vswap.ko"
	log "lane $lane: built ${out#"$REPO"/}/vswap.ko"
}

main "$@"
