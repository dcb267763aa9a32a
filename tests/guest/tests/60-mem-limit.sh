#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 60-mem-limit.sh: with mem_limit set, vswap refuses writes past the limit
# (failed_writes grows), its pool stays within the limit, and no data is lost
# because the kernel keeps every page vswap refused; with the limit lifted,
# pageout works in full again.
#
# Why: a memory limit that corrupts data, or that the pool ignores, is worse
# than none. The slack allowed over the limit is two of zsmalloc's largest
# zspages (16 pages each): one allocation in flight per vCPU.
# timeout: 300
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

LIMIT=$((4 << 20))
SLACK=$((2 * 16 * 4096))
MIX=0,0,50,50

test_begin 19
mt=$(mem_ref_kb)
size=$((mt * 1024 / 4))
require "load vswap" vswap_fresh
check "mem_limit accepts 4M" vs_set mem_limit 4M
check_str "mem_limit reads $LIMIT" "$(vs_get mem_limit)" "$LIMIT"
check "mem_used_max reset to 0" vs_set mem_used_max 0
require "swapon" swap_on
fw0=$(vs_get failed_writes)

log "run 1: $size bytes, mostly text and random, limit $LIMIT"
start_mixed "$T_TMP/run1.log" --size "$size" --seed 61 --mix "$MIX" --pageout \
	--min-swapped 0 --hold 3
check "run 1: filled, paged out against the limit, reached the hold" \
	reached_hold "$T_TMP/run1.log" 200
used=$(vs_get mem_used_total)
log "run 1 hold: mem_used_total=$used failed_writes=$(vs_get failed_writes) mm_stat: $(vs_get mm_stat)"
check_num "run 1: mem_used_total <= limit + slack during the hold" "$used" -le $((LIMIT + SLACK))
finish_mixed "$T_TMP/run1.log"
check "run 1: every page verifies (the kernel kept what vswap refused)" \
	mixed_verified "$T_TMP/run1.log" "$MIXED_RC"
fw1=$(vs_get failed_writes)
check_num "run 1: failed_writes increased" "$fw1" -gt "$fw0"
check_num "run 1: mem_used_max <= limit + slack" "$(vs_get mem_used_max)" -le $((LIMIT + SLACK))

check "mem_limit 0 lifts the limit" vs_set mem_limit 0
check_str "mem_limit reads 0" "$(vs_get mem_limit)" 0
log "run 2: $size bytes, no limit"
start_mixed "$T_TMP/run2.log" --size "$size" --seed 62 --mix "$MIX" --pageout \
	--min-swapped 90 --hold 3
check "run 2: filled, paged out, reached the hold" reached_hold "$T_TMP/run2.log" 200
check_num "run 2: mem_used_total exceeds the old limit during the hold" \
	"$(vs_get mem_used_total)" -gt "$LIMIT"
finish_mixed "$T_TMP/run2.log"
check "run 2: every page verifies" mixed_verified "$T_TMP/run2.log" "$MIXED_RC"
check "run 2: pageout succeeds again (>= 90% of pages swapped)" \
	mixed_swapped "$T_TMP/run2.log" 90
check_num "run 2: failed_writes unchanged" "$(vs_get failed_writes)" -eq "$fw1"
require "swapoff" swap_off
check_drained "after swapoff"
test_end
