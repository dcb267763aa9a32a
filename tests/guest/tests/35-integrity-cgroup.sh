#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 35-integrity-cgroup.sh: data swapped out by ordinary reclaim (a cgroup v2
# memory.max at a third of the working set) comes back intact.
#
# Why: MADV_PAGEOUT is one clean path; real swapping is reclaim under
# pressure, interleaving swap-out and swap-in of the same processes' pages.
# Two vswap-mixed processes (a quarter of MemTotal each, two rounds of
# sequential and random-order verification, no explicit pageout) run inside
# the cgroup; /proc/vmstat must show the swap traffic and nothing may be
# OOM-killed.
# timeout: 600
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh
use_integrity_scale

MIX=10,15,55,20

test_begin 13
mt=$(mem_ref_kb)
per_proc=$((mt * 1024 / 4))
working_set=$((2 * per_proc))
limit=$((working_set / 3 / 4096 * 4096))
require "load vswap" vswap_fresh
require "swapon" swap_on
require_cgroup mixed "$limit"
pswpout0=$(vmstat_val pswpout)
pswpin0=$(vmstat_val pswpin)

start_mixed "$T_TMP/mixed.log" "CGROUP=$CG" --size "$per_proc" --procs 2 --seed 35 \
	--mix "$MIX" --rounds 2 --hold 5
check "both processes filled their regions in the cgroup" reached_hold "$T_TMP/mixed.log" 300
check_num "stored_pages > 0 while the cgroup holds its working set" "$(vs_get stored_pages)" -gt 0
check_num "the cgroup's memory.swap.current > 0" "$(cat "$CG/memory.swap.current")" -gt 0
finish_mixed "$T_TMP/mixed.log"
check "every page verifies (2 rounds, sequential and random order)" \
	mixed_verified "$T_TMP/mixed.log" "$MIXED_RC"

pswpout=$(($(vmstat_val pswpout) - pswpout0))
pswpin=$(($(vmstat_val pswpin) - pswpin0))
log "pswpout +$pswpout pswpin +$pswpin; memory.events: $(tr '\n' ' ' <"$CG/memory.events")"
check_num "pswpout grew by >= (working set - memory.max) / 2 pages" \
	"$pswpout" -ge $(((working_set - limit) / 4096 / 2))
check_num "pswpin grew (pages came back from vswap)" "$pswpin" -gt 0
check_num "no OOM kill in the cgroup" "$(cg_event "$CG" oom_kill)" -eq 0
check "cgroup removed" cg_destroy "$CG"
require "swapoff" swap_off
check_drained "after swapoff"
test_end
