#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 30-integrity-pageout.sh: data forced out to vswap with MADV_PAGEOUT comes back
# byte for byte, for all four kinds of content, in sequential and random
# order, over more than three times the guest's RAM in total.
#
# Why: this is the device's core promise. Two runs of two processes each
# (vswap-mixed, a quarter of MemTotal per process, two rounds, four pageouts
# per round trip) push about four times MemTotal through the device while at
# most half of MemTotal is out at once (random pages do not compress, and the
# pool lives in the same RAM). During a hold with everything paged out, the
# counters must show what was stored: same-filled pages, raw (huge) pages for
# the random content, and compression overall. The second run uses
# transparent huge pages (MADV_HUGEPAGE), so large folios go through swap.
# timeout: 600
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh
use_integrity_scale

MIX=10,15,60,15
MIN_SWAPPED=90
HOLD=10
THP_DIR=/sys/kernel/mm/transparent_hugepage

# hold_counters RUN: check the counters while everything is paged out.
hold_counters() {
	local run=$1 snap want_orig=unknown
	snap=$(stable_counters)
	log "$run: stored_pages and mm_stat during the hold: $snap"
	log "$run: compression ratio (orig/compr) $(compr_ratio)"
	# shellcheck disable=SC2086 # stored_pages then the 9 mm_stat columns
	set -- $snap
	! is_uint "${1:-}" || want_orig=$(($1 * 4096))
	check_num "$run: stored_pages > 0 during the hold" "${1:-}" -gt 0
	check_num "$run: same_pages > 0" "${7:-}" -gt 0
	check_num "$run: huge_pages > 0 (random pages stored raw)" "${9:-}" -gt 0
	check_num "$run: compr_data_size < orig_data_size" "${3:-}" -lt "${2:-}"
	check_num "$run: orig_data_size == stored_pages * 4096" "${2:-}" -eq "$want_orig"
	check_num "$run: mem_used_total >= compr_data_size" "${4:-}" -ge "${3:-}"
	check_num "$run: mem_used_max >= mem_used_total" "${6:-}" -ge "${4:-}"
}

selftest_detects_damage() {
	local rc=0
	vswap-mixed --size 1M --corrupt-page 7 || rc=$?
	echo "vswap-mixed with a damaged page: exit status $rc (want 1)"
	[ "$rc" -eq 1 ]
}

test_begin 22
mt=$(mem_ref_kb)
size=$((mt / 4 / 1024))M
require "load vswap (default disksize)" vswap_fresh
check "verifier self-test: a damaged page is detected" selftest_detects_damage
require "swapon" swap_on
swapped_total=0

log "run 1: 2 processes x $size, mix $MIX, 2 rounds"
start_mixed "$T_TMP/run1.log" --size "$size" --procs 2 --seed 101 --mix "$MIX" \
	--pageout --min-swapped "$MIN_SWAPPED" --rounds 2 --hold "$HOLD"
check "run 1: both processes filled, paged out and reached the hold" \
	reached_hold "$T_TMP/run1.log" 400
hold_counters "run 1"
finish_mixed "$T_TMP/run1.log"
check "run 1: every page verifies (2 rounds, sequential and random order)" \
	mixed_verified "$T_TMP/run1.log" "$MIXED_RC"
check "run 1: every pageout left >= $MIN_SWAPPED% of pages swapped" \
	mixed_swapped "$T_TMP/run1.log" "$MIN_SWAPPED"
swapped_total=$((swapped_total + $(summary_num "$T_TMP/run1.log" swapped_bytes)))

# The kernel turns THP (and its defrag) off by default below 512 MiB of RAM;
# run 2 turns both on for madvised memory, so that huge pages really go
# through swap even after run 1 fragmented memory.
set_knob "$THP_DIR/enabled" madvise || true
set_knob "$THP_DIR/defrag" madvise || true
check_str "THP and its defrag set to madvise (restored at exit)" \
	"$(current_knob "$THP_DIR/enabled")/$(current_knob "$THP_DIR/defrag")" madvise/madvise
log "run 2: 2 processes x $size, mix $MIX, 2 rounds, MADV_HUGEPAGE"
start_mixed "$T_TMP/run2.log" --size "$size" --procs 2 --seed 202 --mix "$MIX" \
	--pageout --min-swapped "$MIN_SWAPPED" --rounds 2 --hold 3 --thp
check "run 2 (THP): both processes filled, paged out and reached the hold" \
	reached_hold "$T_TMP/run2.log" 400
check_num "run 2 (THP): stored_pages > 0 during the hold" "$(vs_get stored_pages)" -gt 0
finish_mixed "$T_TMP/run2.log"
check_num "run 2 (THP): huge pages backed the regions (AnonHugePages after fill, kB)" \
	"$(awk '/after fill AnonHugePages:/ { s += $(NF - 1) } END { print s + 0 }' "$T_TMP/run2.log")" -gt 0
check "run 2 (THP): every page verifies" mixed_verified "$T_TMP/run2.log" "$MIXED_RC"
check "run 2 (THP): every pageout left >= $MIN_SWAPPED% of pages swapped" \
	mixed_swapped "$T_TMP/run2.log" "$MIN_SWAPPED"
swapped_total=$((swapped_total + $(summary_num "$T_TMP/run2.log" swapped_bytes)))

log "data swapped out in total: $swapped_total bytes, $REF_MEM $((mt * 1024)) bytes"
check_num "data swapped out in total >= 3 x $REF_MEM" "$swapped_total" -ge $((3 * mt * 1024))
require "swapoff" swap_off
check_drained "after swapoff"
test_end
