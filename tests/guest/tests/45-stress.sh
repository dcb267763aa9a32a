#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 45-stress.sh: stress-ng's pageswap and vm stressors, with data verification,
# inside a memory-limited cgroup while swapped on vswap.
#
# Why: an independent workload with its own verification and access patterns
# (stress-ng's vm methods write and check patterns in many orders, pageswap
# pages out with madvise and checks what comes back). Two vm workers of a
# quarter of MemTotal each run in a cgroup limited to a quarter of MemTotal,
# so about half of their memory lives on vswap at any time.
# timeout: 240
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

DURATION=40

# stress_ok OUT RC: exit 0, "successful run completed", no fail/error/skip lines,
# and both stressors reported bogo ops in the metrics.
stress_ok() {
	local out=$1 rc=$2 bad
	echo "stress-ng exit status $rc"
	[ "$rc" -eq 0 ] || return 1
	if ! grep -q 'successful run completed' "$out" || grep -q 'unsuccessful run' "$out"; then
		echo "no 'successful run completed' line"
		return 1
	fi
	bad=$(grep -iE 'fail|error|skip|corrupt|mismatch|bit error' "$out" || true)
	[ -z "$bad" ] || {
		echo "$bad"
		return 1
	}
	awk '$4 == "pageswap" && $5 > 0 { p = 1 } $4 == "vm" && $5 > 0 { v = 1 }
		END { exit !(p && v) }' "$out" || {
		echo "metrics do not show both pageswap and vm doing work"
		return 1
	}
}

test_begin 12
mt=$(mem_ref_kb)
vm_bytes=$((mt * 1024 / 4))
limit=$((mt * 1024 / 4 / 4096 * 4096))
require "load vswap" vswap_fresh
require "swapon" swap_on
require_cgroup stress "$limit"
pswpout0=$(vmstat_val pswpout)

(cd "$T_TMP" && cg_exec "$CG" stress-ng --pageswap 1 --vm 2 --vm-bytes "$vm_bytes" --vm-keep \
	--verify --metrics-brief --timeout "${DURATION}s") >"$T_TMP/stress.out" 2>&1 &
pid=$!
log "stress-ng running (pid $pid) for ${DURATION}s, vm-bytes $vm_bytes, memory.max $limit"
# The most pages vswap held while stress-ng ran, sampled every second.
max_stored=0
while kill -0 "$pid" 2>/dev/null; do
	v=$(vs_get stored_pages)
	! is_uint "$v" || [ "$v" -le "$max_stored" ] || max_stored=$v
	sleep 1
done
rc=0
wait "$pid" || rc=$?
sed 's/^/  | /' "$T_TMP/stress.out"
check "stress-ng pageswap + vm with --verify succeeds" stress_ok "$T_TMP/stress.out" "$rc"
check_num "pswpout grew (the stressors' memory went through swap)" \
	$(($(vmstat_val pswpout) - pswpout0)) -gt 0
check_num "vswap held pages while stress-ng ran (max stored_pages > 0)" "$max_stored" -gt 0
check_num "no OOM kill in the cgroup" "$(cg_event "$CG" oom_kill)" -eq 0
check_num "failed_writes == 0" "$(vs_get failed_writes)" -eq 0
check_num "failed_reads == 0" "$(vs_get failed_reads)" -eq 0
check "cgroup removed" cg_destroy "$CG"
require "swapoff" swap_off
check_drained "after swapoff"
test_end
