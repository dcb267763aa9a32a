#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 45-stress.sh: stress-ng's pageswap and vm stressors, with data verification,
# inside a memory-limited cgroup while swapped on vswap.
#
# Why: an independent workload with its own verification and access patterns
# (stress-ng's vm methods write and check patterns in many orders, pageswap
# pages out with madvise and checks what comes back). Two vm workers of a
# quarter of MemTotal each run in a cgroup limited to a quarter of MemTotal,
# so about half of their memory lives on vswap at any time. pageswap runs
# beside them, outside that cgroup: it maps each page on its own (a shmem
# VMA, inode and file per page, up to 65536 pages), and that kernel memory,
# charged to a small cgroup, got the stressor OOM-killed in CI. MADV_PAGEOUT
# needs no cgroup; its page count is capped at a sixteenth of MemTotal so that
# the kernel memory stays well inside the guest.
# timeout: 240
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# 40 s at full volume; a lane with less data (vswaptest.scale) runs shorter.
DURATION=$((40 / VSWAP_SCALE))
[ "$DURATION" -ge 10 ] || DURATION=10

# stress_ok OUT RC STRESSOR: exit 0, "successful run completed", no
# fail/error/skip lines, and the stressor reported bogo ops in the metrics.
stress_ok() {
	local out=$1 rc=$2 stressor=$3 bad
	echo "stress-ng --$stressor exit status $rc"
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
	awk -v s="$stressor" '$4 == s && $5 > 0 { ok = 1 } END { exit !ok }' "$out" || {
		echo "metrics do not show $stressor doing work"
		return 1
	}
}

test_begin 13
mt=$(mem_ref_kb)
vm_bytes=$((mt * 1024 / 4))
limit=$((mt * 1024 / 4 / 4096 * 4096))
require "load vswap" vswap_fresh
require "swapon" swap_on
require_cgroup stress "$limit"
pswpout0=$(vmstat_val pswpout)

pageswap_ops=$((mt / 4 / 16))
(cd "$T_TMP" && cg_exec "$CG" stress-ng --vm 2 --vm-bytes "$vm_bytes" --vm-keep \
	--verify --metrics-brief --timeout "${DURATION}s") >"$T_TMP/vm.out" 2>&1 &
vm_pid=$!
(cd "$T_TMP" && stress-ng --pageswap 1 --pageswap-ops "$pageswap_ops" \
	--verify --metrics-brief --timeout "${DURATION}s") >"$T_TMP/pageswap.out" 2>&1 &
ps_pid=$!
log "stress-ng --vm (pid $vm_pid, vm-bytes $vm_bytes, memory.max $limit) and" \
	"--pageswap (pid $ps_pid, at most $pageswap_ops pages) running for ${DURATION}s"
# The most pages vswap held while stress-ng ran, sampled every second.
max_stored=0
while kill -0 "$vm_pid" 2>/dev/null || kill -0 "$ps_pid" 2>/dev/null; do
	v=$(vs_get stored_pages)
	! is_uint "$v" || [ "$v" -le "$max_stored" ] || max_stored=$v
	sleep 1
done
vm_rc=0
wait "$vm_pid" || vm_rc=$?
ps_rc=0
wait "$ps_pid" || ps_rc=$?
sed 's/^/  vm | /' "$T_TMP/vm.out"
sed 's/^/  pageswap | /' "$T_TMP/pageswap.out"
check "stress-ng vm with --verify succeeds in the cgroup" stress_ok "$T_TMP/vm.out" "$vm_rc" vm
check "stress-ng pageswap with --verify succeeds" \
	stress_ok "$T_TMP/pageswap.out" "$ps_rc" pageswap
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
