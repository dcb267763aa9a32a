#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 50-concurrency.sh: two independent vswap-mixed workloads page out and verify
# in parallel (one per vCPU) while a third loop keeps reading every counter
# and triggering compaction and mem_used_max resets.
#
# Why: slot updates, free notifications, compaction and statistics readers
# race in real use; per-cluster locking, the pool's compaction and the
# counters must cope. Every page must verify and every sysfs access succeed.
# timeout: 400
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

STATS="stored_pages same_pages huge_pages compr_data_size mem_used_total meta_bytes
failed_reads failed_writes miss_free notify_free mem_used_max mem_limit disksize"

# stats_loop STOPFILE OUTFILE: until STOPFILE exists, read every counter (each
# must be one decimal number, mm_stat nine), compact, reset mem_used_max; then
# write "iterations bad_reads failed_writes" to OUTFILE.
stats_loop() {
	local stop=$1 out=$2 iter=0 bad=0 wfail=0 a v
	while [ ! -e "$stop" ]; do
		for a in $STATS; do
			v=$(cat "$VSWAP_SYS/$a" 2>&1) || v="error"
			is_uint "$v" || {
				bad=$((bad + 1))
				echo "stats loop: $a read '$v'"
			}
		done
		v=$(cat "$VSWAP_SYS/mm_stat" 2>&1) || v="error"
		[ "$(echo "$v" | awk '{ for (i = 1; i <= NF; i++) if ($i !~ /^[0-9]+$/) bad = 1
			print (NF == 9 && !bad) ? "good" : "bad" }')" = good ] || {
			bad=$((bad + 1))
			echo "stats loop: mm_stat read '$v'"
		}
		vswap-wr -n "$VSWAP_SYS/compact" 1 >/dev/null || wfail=$((wfail + 1))
		vswap-wr -n "$VSWAP_SYS/mem_used_max" 0 >/dev/null || wfail=$((wfail + 1))
		iter=$((iter + 1))
	done
	echo "$iter $bad $wfail" >"$out"
}

test_begin 14
mt=$(mem_ref_kb)
size=$((mt / 6 / 1024))M
require "load vswap" vswap_fresh
require "swapon" swap_on
compacted0=$(mm_stat_col 7)

rm -f "$T_TMP/stop"
stats_loop "$T_TMP/stop" "$T_TMP/stats" &
stats_pid=$!
vswap-mixed --size "$size" --seed 501 --pageout --rounds 3 --mix 10,10,50,30 \
	>"$T_TMP/a.log" 2>&1 &
pid_a=$!
vswap-mixed --size "$size" --seed 502 --pageout --rounds 3 --mix 20,10,60,10 \
	>"$T_TMP/b.log" 2>&1 &
pid_b=$!
log "stats loop pid $stats_pid, workloads $pid_a and $pid_b ($size each, 3 rounds)"
rc_a=0
wait "$pid_a" || rc_a=$?
rc_b=0
wait "$pid_b" || rc_b=$?
touch "$T_TMP/stop"
wait "$stats_pid" || true
sed 's/^/  a| /' "$T_TMP/a.log"
sed 's/^/  b| /' "$T_TMP/b.log"

check "workload A: every page verifies" mixed_verified "$T_TMP/a.log" "$rc_a"
check "workload A: every pageout left >= 90% swapped" mixed_swapped "$T_TMP/a.log" 90
check "workload B: every page verifies" mixed_verified "$T_TMP/b.log" "$rc_b"
check "workload B: every pageout left >= 90% swapped" mixed_swapped "$T_TMP/b.log" 90
read -r iter bad wfail <"$T_TMP/stats" || { iter=0; bad=x; wfail=x; }
log "stats loop: $iter iterations, $bad malformed reads, $wfail failed writes"
check_num "stats loop ran at least 5 iterations alongside" "$iter" -ge 5
check_num "every counter read during the run was well-formed" "$bad" -eq 0
check_num "every compact and mem_used_max write succeeded" "$wfail" -eq 0
check_num "pages_compacted (mm_stat column 7) did not go backwards" "$(mm_stat_col 7)" -ge "$compacted0"
check_num "failed_writes == 0" "$(vs_get failed_writes)" -eq 0
check_num "failed_reads == 0" "$(vs_get failed_reads)" -eq 0
require "swapoff" swap_off
check_drained "after swapoff"
test_end
