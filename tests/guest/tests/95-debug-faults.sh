#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 95-debug-faults.sh (debug lane only): injected allocation and I/O failures
# lose no data and are counted; nothing leaks.
#
# Why: vswap allocates on the swap-out path (clusters, pool objects) and does
# I/O to lower tiers; under memory pressure or a failing disk those fail, and
# the kernel must keep every page vswap refused. Debian kernels have no fault
# injection, so this runs on the debug kernel (scripts/debug-kernel.sh):
#   - failslab on vswap's own slab caches (cache-filter);
#   - fail_page_alloc restricted to call chains through the vswap module
#     (require-start/end = the module's address range), which hits pool pages;
#   - fail_make_request on a brd disk under a lower tier: write errors keep the
#     pages in memory, read errors fail the read and never return wrong data;
#   - a kmemleak scan after rmmod finds nothing.
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

DBG=/sys/kernel/debug
NPAT=256		# pages of known data for the lower-tier checks
PAT_SEEK=4096		# where they go on /dev/vswap (4 KiB pages)

test_begin 27

# ---- helpers ---------------------------------------------------------------------

# fault_set DIR PROBABILITY: fail with PROBABILITY %, sleeping allocations too.
fault_set() {
	echo "$2" >"$1/probability"
	echo 1 >"$1/interval"
	echo -1 >"$1/times"
	echo 0 >"$1/space"
	echo 0 >"$1/verbose"
	[ ! -e "$1/ignore-gfp-wait" ] || echo N >"$1/ignore-gfp-wait"
	[ ! -e "$1/ignore-gfp-highmem" ] || echo N >"$1/ignore-gfp-highmem"
}

fault_off() {
	echo 0 >"$1/probability"
}

# Where the vswap module starts, from /proc/modules ("0x..."). The range ends
# at the top of the address space: modules sit above the kernel image, so
# call chains through vswap (and modules loaded after it, idle meanwhile) match.
module_base() {
	awk '$1 == "vswap" { print $6 }' /proc/modules
}

# A mixed workload under injection: must verify in full.
faulty_run() {
	local name=$1 log="$T_TMP/$1.log" size
	size=$(($(mem_ref_kb) * 1024 / 3))
	start_mixed "$log" --size "$size" --seed "$2" --mix 10,10,50,30 --pageout \
		--min-swapped 0
	finish_mixed "$log"
	check "$name: every page verifies" mixed_verified "$log" "$MIXED_RC"
}

pattern_write() {
	dd if=/dev/urandom of="$T_TMP/pat" bs=4096 count=$NPAT 2>/dev/null &&
		dd if="$T_TMP/pat" of=$VSWAP_DEV bs=4096 seek=$PAT_SEEK oflag=direct \
			2>/dev/null
}

# pattern_read: the pages read back equal the pattern (fails on I/O error).
pattern_read() {
	dd if=$VSWAP_DEV of="$T_TMP/back" bs=4096 skip=$PAT_SEEK count=$NPAT \
		iflag=direct 2>/dev/null && cmp "$T_TMP/pat" "$T_TMP/back"
}

# pattern_read_fails: reading fails with an error and returns no wrong data.
pattern_read_fails() {
	if dd if=$VSWAP_DEV of="$T_TMP/back" bs=4096 skip=$PAT_SEEK count=$NPAT \
		iflag=direct 2>"$T_TMP/dd.err"; then
		echo "read succeeded while the lower device fails"
		cmp "$T_TMP/pat" "$T_TMP/back" || echo "and returned WRONG data"
		return 1
	fi
	cat "$T_TMP/dd.err"
	grep -qi "error" "$T_TMP/dd.err"
}

tier_state() {
	awk -v p="$1" '$2 == p { print $9 }' "$VSWAP_SYS/lower_tiers"
}

# ---- setup -----------------------------------------------------------------------

require "fault injection and kmemleak present (debug kernel)" \
	test -d $DBG/failslab -a -d $DBG/fail_page_alloc -a -e $DBG/kmemleak
echo clear >$DBG/kmemleak
require "load vswap" vswap_fresh
require "swapon" swap_on

# ---- failslab on vswap's caches ----------------------------------------------------

fw0=$(vs_get failed_writes)
echo Y >$DBG/failslab/cache-filter
echo 1 >/sys/kernel/slab/vswap_cluster/failslab
echo 1 >/sys/kernel/slab/vswap_slots/failslab
fault_set $DBG/failslab 50
faulty_run failslab 951
fault_off $DBG/failslab
echo 0 >/sys/kernel/slab/vswap_cluster/failslab
echo 0 >/sys/kernel/slab/vswap_slots/failslab
fw1=$(vs_get failed_writes)
check_num "failslab: refused writes counted (failed_writes grew)" "$fw1" -gt "$fw0"

# ---- fail_page_alloc through vswap -------------------------------------------------

base=$(module_base)
check_str "fail_page_alloc: vswap's address known" "${base%%[!0x]*}" 0x
echo "$base" >$DBG/fail_page_alloc/require-start
echo 0xffffffffffffffff >$DBG/fail_page_alloc/require-end
echo 32 >$DBG/fail_page_alloc/stacktrace-depth
echo 0 >$DBG/fail_page_alloc/min-order
fault_set $DBG/fail_page_alloc 30
faulty_run fail_page_alloc 952
fault_off $DBG/fail_page_alloc
fw2=$(vs_get failed_writes)
check_num "fail_page_alloc: refused writes counted (failed_writes grew)" "$fw2" -gt "$fw1"

require "swapoff" swap_off
check_drained "after the allocation faults"

# ---- fail_make_request under a lower tier --------------------------------------------

require "brd ram disk" modprobe brd rd_nr=1 rd_size=65536
require "attach /dev/ram0 as a lower tier" vs_set lower_add /dev/ram0
check "write a known pattern to /dev/vswap" pattern_write
fault_set $DBG/fail_make_request 100
echo 1 >/sys/block/ram0/make-it-fail
check "writeback fails while the disk fails writes" \
	vs_write_expect writeback EIO all
check_str "the tier is marked failing" "$(tier_state /dev/ram0)" failing
check_num "lower_errors counted" "$(vs_get lower_errors)" -gt 0
echo 0 >/sys/block/ram0/make-it-fail
check "no page lost to the write error: the pattern reads back" pattern_read

check "detach the failing tier" vs_set lower_remove /dev/ram0
check "reattach it" vs_set lower_add /dev/ram0
check "writeback all succeeds" vs_set writeback all
check_num "the pattern is on the tier" "$(vs_get lower_pages)" -ge $NPAT
fr0=$(vs_get failed_reads)
echo 1 >/sys/block/ram0/make-it-fail
check "read errors fail the read, never wrong data" pattern_read_fails
check_num "failed_reads counted" "$(vs_get failed_reads)" -gt "$fr0"
echo 0 >/sys/block/ram0/make-it-fail
fault_off $DBG/fail_make_request
check "with the disk healthy again the pattern reads back" pattern_read

# ---- teardown and leaks ------------------------------------------------------------

check "detach the tier" vs_set lower_remove /dev/ram0
check "unload vswap" vswap_unload
echo scan >$DBG/kmemleak
sleep 1
echo scan >$DBG/kmemleak
check "kmemleak finds no leak after rmmod" test ! -s $DBG/kmemleak
test -s $DBG/kmemleak && head -c 4000 $DBG/kmemleak
test_end
