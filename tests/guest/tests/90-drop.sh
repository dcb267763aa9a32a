#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 90-drop.sh: swapoff gives every byte back: the counters read 0 and
# MemAvailable returns to where it was before swapon; the module cannot be
# removed while swapped on, can be afterwards, and loads again.
#
# Why: when the swap device's last user closes it, vswap drops all stored
# pages; a leak here costs memory for the life of the machine. MemAvailable
# is the independent witness (after dropping clean caches; a few retries
# absorb deferred frees and noise).
# timeout: 300
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# The workload holds a third of MemTotal, about half of it compressed in the
# pool: a leaked pool would be tens of MiB. The kernel's own noise after a
# full suite (per-CPU page lists, page tables, deferred frees) reached 2 MiB.
AVAIL_TOLERANCE_KB=4096

# avail_back BEFORE: MemAvailable no more than the tolerance below BEFORE, up to
# 10 tries 2 s apart (more is fine: not a leak; the kernel may free caches of
# its own under the workload's pressure). The retries absorb deferred frees:
# RCU-freed slabs, and per-CPU free lists, which since 6.7 grow under a burst
# of frees and decay back to the buddy allocator once a second. A failure
# prints every /proc/meminfo field that moved, so it names the culprit.
avail_back() {
	local before=$1 try now
	for try in 1 2 3 4 5 6 7 8 9 10; do
		now=$(mem_available_kb)
		echo "try $try: MemAvailable $now kB, before swapon $before kB, change $((now - before)) kB"
		[ "$now" -lt $((before - AVAIL_TOLERANCE_KB)) ] || return 0
		sleep 2
	done
	meminfo_diff "$T_TMP/meminfo.before"
	return 1
}

# meminfo_diff FILE: the /proc/meminfo fields that differ from FILE by 64 kB or more.
meminfo_diff() {
	awk 'NR == FNR { was[$1] = $2; next }
	     ($1 in was) && ($2 - was[$1] >= 64 || was[$1] - $2 >= 64) {
		printf "%s %d kB -> %d kB (%+d)\n", $1, was[$1], $2, $2 - was[$1] }' \
		"$1" /proc/meminfo
}

rmmod_refused() {
	if modprobe -r vswap; then
		echo "modprobe -r vswap succeeded while swapped on"
		return 1
	fi
	vswap_loaded && swapped_on
}

reload_swaps() {
	vswap_load && swap_on && swap_off
}

test_begin 15
mt=$(mem_ref_kb)
require "load vswap" vswap_fresh
# A first identical cycle settles the kernel's own caches (deferred THP
# splits, slab, per-CPU lists) so that "before" and "after" compare alike.
require "warm-up swapon" swap_on
require "warm-up workload" vswap-mixed --size $((mt * 1024 / 3)) --seed 89 --pageout \
	--min-swapped 0 --mix 10,10,50,30
require "warm-up swapoff" swap_off
before=$(mem_available_kb)
cat /proc/meminfo >"$T_TMP/meminfo.before"
log "MemAvailable before swapon: $before kB"
require "swapon" swap_on
start_mixed "$T_TMP/mixed.log" --size $((mt * 1024 / 3)) --seed 90 --pageout --hold 3 \
	--mix 10,10,50,30
check "workload paged out and reached the hold" reached_hold "$T_TMP/mixed.log" 200
check_num "stored_pages > 0 during the hold" "$(vs_get stored_pages)" -gt 0
check "modprobe -r vswap while swapped on fails, device stays swapped on" rmmod_refused
finish_mixed "$T_TMP/mixed.log"
check "workload: every page verifies" mixed_verified "$T_TMP/mixed.log" "$MIXED_RC"
require "swapoff" swap_off
check_drained "after swapoff"
check "MemAvailable back to no less than $AVAIL_TOLERANCE_KB KiB below before swapon" \
	avail_back "$before"
check "modprobe -r vswap after swapoff succeeds" vswap_unload
check "vswap loads again, swaps on and off" reload_swaps
check_drained "reloaded device after swapoff"
test_end
