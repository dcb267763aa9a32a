#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 76-wb-auto.sh: with a lower tier and mem_limit, background writeback keeps
# the pool under its limit by itself while real reclaim swaps, no byte is
# lost, and a write budget stops writeback at the budget.
#
# Why: the point of writeback is that the pool never has to refuse pages:
# past wb_high % of mem_limit a worker moves the coldest pages to the tier
# until the pool is under wb_low %. Two vswap-mixed processes (a quarter of
# MemTotal each, mostly incompressible so that the pool really fills, four
# rounds of verification) run in a cgroup whose memory.max is a third of their
# working set, with mem_limit at an eighth of MemTotal (smaller than the
# brief's quarter so that the compressed data is sure to pass wb_high; the
# pool lives in the same RAM). No `writeback` command is written in that run:
# any wb_pages come from the worker. A sampler reads mem_used_total twice a
# second. Then, with the watermark out of the way (wb_high 100), pages that
# find the pool at mem_limit must wait for writeback, and none is refused.
# Then wb_budget 1M: writeback must stop at the budget (EDQUOT,
# budget_stops) and resume when the budget is lifted, with nothing lost.
# Run 1 moves at least 3 x MemTotal through the device, which the writeback
# spec asks of every kernel: the script follows vswaptest.integrity_scale,
# not vswaptest.scale (see use_integrity_scale in lib.sh).
# timeout: 1200
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# Tier files must be private to root (lower_add refuses others: EACCES).
umask 077
use_integrity_scale

DISK=/dev/vda
MNT=/mnt/vswap-wb
TIER=$MNT/tier
MIX=5,10,45,40
ROUNDS=4
BUDGET=1048576
# Two of zsmalloc's largest zspages (16 pages): one allocation in flight per vCPU.
SLACK=$((2 * 16 * 4096))

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

watermarks_read() {
	local got
	got="$(vs_get wb_high) $(vs_get wb_low)"
	echo "wb_high wb_low = $got"
	[ "$got" = "$1" ]
}

# The sampler: mem_used_total every half second until killed.
sample_pool() {
	while :; do
		vs_get mem_used_total >>"$T_TMP/pool.samples"
		sleep 0.5
	done
}

# samples_within MAX: at least one sample, all numbers, none above MAX.
samples_within() {
	local n bad top
	n=$(grep -c . "$T_TMP/pool.samples" || true)
	bad=$(grep -vc '^[0-9][0-9]*$' "$T_TMP/pool.samples" || true)
	top=$(sort -n "$T_TMP/pool.samples" | tail -n 1)
	echo "$n samples, $bad unreadable, highest mem_used_total $top (limit + slack $1)"
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$top" -le "$1" ]
}

wb_cleanup() {
	set +e
	_test_cleanup
	exec 3>&-
	tiers_cleanup
}

test_begin 48
trap wb_cleanup EXIT
mt=$(mem_ref_kb)
per_proc=$((mt * 1024 / 4 / 4096 * 4096))
working_set=$((2 * per_proc))
cg_limit=$((working_set / 3 / 4096 * 4096))
limit=$((mt * 1024 / 8 / 4096 * 4096))
require "load vswap" vswap_fresh
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "192 MiB tier file fallocated" fallocate -l 192M "$TIER"
require "lower_add $TIER" vs_set lower_add "$TIER"
check "mem_limit $limit accepted" vs_set mem_limit "$limit"
check_str "mem_limit reads $limit" "$(vs_get mem_limit)" "$limit"
check "wb_high 80 accepted" vs_set wb_high 80
check "wb_low 60 accepted" vs_set wb_low 60
check "wb_high and wb_low read 80 and 60" watermarks_read "80 60"
check "mem_used_max reset" vs_set mem_used_max 0
require "swapon" swap_on
require_cgroup wb "$cg_limit"

# ---- run 1: reclaim in a cgroup, writeback by the worker alone ----
pswpout0=$(vmstat_val pswpout)
fw0=$(vs_get failed_writes)
: >"$T_TMP/pool.samples"
sample_pool &
SAMPLER=$!
start_mixed "$T_TMP/run1.log" "CGROUP=$CG" --size "$per_proc" --procs 2 --seed 76 \
	--mix "$MIX" --rounds "$ROUNDS" --hold 1
check "run 1: both processes filled their regions in the cgroup" \
	reached_hold "$T_TMP/run1.log" 400
finish_mixed "$T_TMP/run1.log"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
swapped=$(($(vmstat_val pswpout) - pswpout0))
log "run 1: pswpout +$swapped pages ($((swapped * 4096)) bytes, $REF_MEM $((mt * 1024)));" \
	"failed_writes +$(sub "$(vs_get failed_writes)" "$fw0"); mem_used_max $(vs_get mem_used_max);" \
	"memory.events: $(tr '\n' ' ' <"$CG/memory.events")"
log "run 1: wb_pages=$(vs_get wb_pages) wb_bytes=$(vs_get wb_bytes) wb_refaults=$(vs_get wb_refaults)" \
	"lower_reads=$(vs_get lower_reads) seg_written=$(vs_get seg_written) seg_freed=$(vs_get seg_freed)" \
	"compact_moved=$(vs_get compact_moved) budget_stops=$(vs_get budget_stops)"
log "run 1: $(vs_get lower_tiers | tr '\n' ';')"
check "run 1: every page verifies ($ROUNDS rounds, sequential and random order)" \
	mixed_verified "$T_TMP/run1.log" "$MIXED_RC"
check_num "run 1: no OOM kill in the cgroup" "$(cg_event "$CG" oom_kill)" -eq 0
check_num "run 1: background writeback happened by itself (wb_pages > 0)" \
	"$(vs_get wb_pages)" -gt 0
check_num "run 1: pages came back from the tier (wb_refaults > 0)" "$(vs_get wb_refaults)" -gt 0
check_num "run 1: data swapped out >= 3 x $REF_MEM" "$((swapped * 4096))" -ge $((3 * mt * 1024))
check "run 1: mem_used_total sampled never above mem_limit (+ $SLACK slack)" \
	samples_within $((limit + SLACK))
check_num "run 1: mem_used_max <= mem_limit + slack" "$(vs_get mem_used_max)" -le $((limit + SLACK))
check "cgroup removed" cg_destroy "$CG"

# ---- run 1b: a store at mem_limit waits for writeback rather than fail ----
# wb_high 100: the watermark never starts the worker, so each page that finds
# the pool at mem_limit must wait for writeback (wb_waits), and none may be
# refused (failed_writes): a refused page costs a kernel write error. A store
# waits at most wb_wait_ms (1 s by default, milliseconds of work on real
# disks); under TCG a batch of zstd recompression can take longer than that,
# so this run allows the maximum, 10 s: what it checks is that waiting makes
# room, not how fast (74-wb-stalls checks that the default bound holds).
check "wb_high 100 accepted" vs_set wb_high 100
check "wb_wait_ms 10000 accepted" vs_set wb_wait_ms 10000
check "mem_used_max reset" vs_set mem_used_max 0
fw0=$(vs_get failed_writes)
waits0=$(vs_get wb_waits)
start_mixed "$T_TMP/run1b.log" --size $((2 * limit)) --pageout --min-swapped 90 --seed 79 \
	--mix 0,0,20,80
finish_mixed "$T_TMP/run1b.log"
log "run 1b: wb_waits +$(sub "$(vs_get wb_waits)" "$waits0") wb_pages=$(vs_get wb_pages)" \
	"failed_writes +$(sub "$(vs_get failed_writes)" "$fw0") mem_used_max $(vs_get mem_used_max)"
check "run 1b: every page verifies" mixed_verified "$T_TMP/run1b.log" "$MIXED_RC"
check "run 1b: every pageout left >= 90% of the region swapped" \
	mixed_swapped "$T_TMP/run1b.log" 90
check_num "run 1b: stores at the limit waited for writeback (wb_waits grew)" \
	"$(vs_get wb_waits)" -gt "$waits0"
check_num "run 1b: no write refused (failed_writes unchanged)" "$(vs_get failed_writes)" -eq "$fw0"
check_num "run 1b: mem_used_max <= mem_limit + slack" "$(vs_get mem_used_max)" -le $((limit + SLACK))
check "wb_high 80 restored" vs_set wb_high 80
check "wb_wait_ms 1000 restored" vs_set wb_wait_ms 1000

# ---- run 2: a 1 MiB budget per hour stops writeback ----
check "wb_budget 1M accepted" vs_set wb_budget 1M
check "wb_budget_period 3600 accepted" vs_set wb_budget_period 3600
check_str "wb_budget reads $BUDGET" "$(vs_get wb_budget)" "$BUDGET"
wbb0=$(vs_get wb_bytes)
stops0=$(vs_get budget_stops)
trap '' PIPE
mkfifo "$T_TMP/ctl"
exec 3<>"$T_TMP/ctl"
vswap-mixed --size $((mt * 1024 / 6 / 4096 * 4096)) --step --pageout --min-swapped 0 \
	--seed 77 --mix 0,5,15,80 <&3 >"$T_TMP/run2.log" 2>&1 &
MIXED_PID=$!
log "run 2: vswap-mixed pages out, then waits (pid $MIXED_PID)"
if wait_for_line "$T_TMP/run2.log" "paged out, waiting" 300 "$MIXED_PID"; then
	ok "run 2: region filled and paged out, held"
else
	not_ok "run 2: region filled and paged out, held" "see the vswap-mixed output"
fi
log "run 2 hold: stored_pages=$(vs_get stored_pages) mem_used_total=$(vs_get mem_used_total)" \
	"wb_bytes +$(sub "$(vs_get wb_bytes)" "$wbb0") budget_stops=$(vs_get budget_stops)"
check "run 2: writeback all stops at the budget with EDQUOT" \
	fails_with "Disk quota exceeded" vswap-wr -n "$VSWAP_SYS/writeback" all
check_num "run 2: budget_stops grew" "$(vs_get budget_stops)" -gt "$stops0"
check_num "run 2: bytes written since the budget was set <= $BUDGET" \
	"$(sub "$(vs_get wb_bytes)" "$wbb0")" -le "$BUDGET"
check "wb_budget 0 lifts the budget" vs_set wb_budget 0
check "run 2: writeback all succeeds again" vs_set writeback all
check_num "run 2: writeback went past the old budget" "$(sub "$(vs_get wb_bytes)" "$wbb0")" \
	-gt "$BUDGET"
echo go >&3 || log "could not release run 2"
finish_mixed "$T_TMP/run2.log"
check "run 2: every page verifies" mixed_verified "$T_TMP/run2.log" "$MIXED_RC"
require "swapoff" swap_off
check_num "after swapoff: lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_drained "after swapoff"
check "tier removed" remove_all_tiers
check "vswap unloaded" vswap_unload
check "$MNT unmounted" umount "$MNT"
test_end
