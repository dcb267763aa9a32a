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

AVAIL_TOLERANCE_KB=2048

# avail_back BEFORE: MemAvailable no more than the tolerance below BEFORE, up to
# 5 tries (more is fine: not a leak; the kernel may free caches of its own
# under the workload's pressure).
avail_back() {
	local before=$1 try now
	for try in 1 2 3 4 5; do
		now=$(mem_available_kb)
		echo "try $try: MemAvailable $now kB, before swapon $before kB, change $((now - before)) kB"
		[ "$now" -lt $((before - AVAIL_TOLERANCE_KB)) ] || return 0
		grep -E '^(MemFree|AnonPages|Shmem|Slab|SUnreclaim|PageTables|SwapTotal|SwapFree):' /proc/meminfo
		sleep 2
	done
	return 1
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
mt=$(mem_total_kb)
require "load vswap" vswap_fresh
# A first identical cycle settles the kernel's own caches (deferred THP
# splits, slab, per-CPU lists) so that "before" and "after" compare alike.
require "warm-up swapon" swap_on
require "warm-up workload" vswap-mixed --size $((mt * 1024 / 3)) --seed 89 --pageout \
	--min-swapped 0 --mix 10,10,50,30
require "warm-up swapoff" swap_off
before=$(mem_available_kb)
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
