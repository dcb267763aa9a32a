#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 85-soak.sh: chaos soak: a verified mixed workload swaps through vswap while a
# seeded random driver fires every admin operation of the sysfs ABI at it.
#
# Why: each admin path (writeback modes, idle marking, compaction, compressor
# switches, mem_limit, tier attach/detach/migrate, failing tiers) has its own
# test, one at a time, on a quiet device. Bugs between them (a migrate racing
# a writeback, a compressor switch under a drain, a table swap under a
# compaction) only show when they run together under real swapping. Here:
#   workload, in rounds: two vswap-mixed processes in a cgroup whose
#     memory.max is a third of their working set (reclaim), one with
#     MADV_PAGEOUT, one with MADV_PAGEOUT on THP-backed memory; each
#     verifies every page byte for byte, twice per round, in sequential and
#     random order. Rounds go on until the soak duration has passed and at
#     least 3 x REF_MEM has been swapped out (pswpout), and there are at least
#     two (no new round after 3 x duration + 120 s: the volume check then
#     fails); before each round but the first, swapoff and swapon (seeded coin,
#     always before round 2), while the driver keeps firing.
#   driver, in the background: a 31-bit LCG seeded from vswaptest.seed= (else
#     the clock; "soak seed: N" is printed, replay with `make soak SEED=N`)
#     picks one operation at a time: writeback idle/huge/all/N, idle all/N,
#     compact, comp_algorithm, wb_comp_algorithm, mem_limit (0 or ref/16 to
#     ref/3), wb_huge_direct, file tier f1 on and off, the block tier on and
#     off (attached on a linear table only: the table goes back to linear
#     first), lower_migrate of a random tier, and device-mapper table swaps under
#     the block tier: linear -> flakey (error_writes) -> error -> linear. The
#     first pass runs every kind once, in order, so every kind is covered.
#     Tier f0 (a file) stays attached throughout so that pages under
#     mem_limit always have somewhere to go (a refused page could make the
#     cgroup OOM, which fails the lane).
#   Reads of a tier must never fail while the workload may touch its pages
#   (SIGBUS would end the workload, not verify it): the table goes to `error`
#   only from flakey (writes fail, nothing new lands there) after the block
#   tier was migrated empty (its `used` reads 0); otherwise back to linear.
#   Errors the ABI documents for an operation (ENOSPC, EIO, EDQUOT, EINTR...)
#   are counted; any other outcome fails the test.
# At the end: driver stopped, table linear, every tier removed, stored_pages at
# most the pages the swap core still holds (/proc/swaps Used; slot frees the
# module missed, miss_free, are not excused: they are pages held for nothing
# until the next drop), then swapoff
# drains everything. hung_task_timeout_secs is 30 so that a hang shows up as a
# kernel report (which fails the lane). Figures: operation counts per kind,
# duration, swapped volume, miss_free.
# Duration: vswaptest.soak_seconds= (VSWAP_SOAK_SECONDS), default 360 /
# vswaptest.scale seconds of workload. `make soak` raises the timeout.
# timeout: 1200
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# Tier files must be private to root (lower_add refuses others: EACCES).
umask 077

DISK=/dev/vda
MNT=/mnt/vswap-soak
F0=$MNT/f0
F1=$MNT/f1
LOWER_DISK=/dev/vdb
DM=vsoak
BLK=/dev/mapper/$DM
LINEAR=
FLAKEY=
ERROR=
KINDS="wb_idle wb_huge wb_all wb_n idle_all idle_n compact comp wb_comp mem_limit huge_direct tier_file tier_blk migrate dm"
NKINDS=15

# ---- parameters ---------------------------------------------------------------

cmdline_param() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^vswaptest\\.$1=//p" | head -n 1
}

SEED=${VSWAP_SEED:-}
[ -n "$SEED" ] || SEED=$(cmdline_param seed)
is_uint "$SEED" || SEED=$(($(date +%s) % 1000000007))
SEED=$((SEED % 2147483648))
DUR=${VSWAP_SOAK_SECONDS:-}
[ -n "$DUR" ] || DUR=$(cmdline_param soak_seconds)
is_uint "$DUR" || DUR=$((360 / VSWAP_SCALE))
[ "$DUR" -ge 30 ] || DUR=30

# ---- the PRNG: rnd N sets R to a number in [0, N) ---------------------------------

RNG=$SEED
rnd() {
	[ "$1" -gt 0 ] || {
		R=0
		return 0
	}
	RNG=$(((RNG * 1103515245 + 12345) % 2147483648))
	R=$(((RNG / 65536) % $1))
}

# pick WORD...: sets P to one of the words.
pick() {
	P=
	[ "$#" -gt 0 ] || return 0
	rnd $#
	shift "$R"
	P=$1
}

# ---- device mapper (as 78-wb-faults) ---------------------------------------------

dmsetup_() {
	dmsetup --noudevsync "$@"
}

lower_disk_ready() {
	virtio_disk "$LOWER_DISK" || return 1
	command -v dmsetup || return 1
	modprobe dm_mod && modprobe dm_flakey
}

dm_create() {
	dmsetup_ create "$DM" --table "$1" || return 1
	[ -b "$BLK" ] || dmsetup_ mknodes "$DM" || return 1
	[ -b "$BLK" ]
}

dm_exists() {
	dmsetup_ info "$DM" >/dev/null 2>&1
}

dm_table() {
	dmsetup_ suspend "$DM" || return 1
	if ! dmsetup_ load "$DM" --table "$1"; then
		dmsetup_ resume "$DM"
		return 1
	fi
	dmsetup_ resume "$DM"
}

dm_is() {
	local t
	t=$(dmsetup_ table "$DM" | awk '{ print $3 }')
	echo "dm table: $t"
	[ "$t" = "$1" ]
}

dm_remove() {
	dmsetup_ remove "$DM" || return 1
	[ ! -e "$BLK" ] || dmsetup_ mknodes || return 1
	! dm_exists && [ ! -e "$BLK" ]
}

# ---- the driver ---------------------------------------------------------------------

# attached PATH: PATH is a tier (grep reads all its input: with pipefail, a
# grep -q that exits at the match fails the pipeline through SIGPIPE).
attached() {
	tier_paths | grep -xF "$1" >/dev/null
}

# op KIND ALLOWED ATTR VALUE: one write; the outcome is ok, "expected ERRNO"
# (in the space-separated ALLOWED list) or UNEXPECTED. One line per operation
# goes to the console and to ops.log.
op() {
	local kind=$1 allowed=$2 attr=$3 value=$4 out t0 res class
	t0=$(date +%s)
	out=$(vswap-wr -n -- "$VSWAP_SYS/$attr" "$value" 2>&1) || true
	res=$(printf '%s\n' "$out" | sed -n 's/^vswap-wr: .*): \([A-Za-z0-9?]*\).*/\1/p' | head -n 1)
	[ -n "$res" ] || res="no-outcome"
	case " $allowed " in
	*" $res "*) class=expected ;;
	*) class=UNEXPECTED ;;
	esac
	[ "$res" != ok ] || class=ok
	record "$kind" "$class" "$res" "$attr <- '$value' in $(($(date +%s) - t0))s: $out"
}

# record KIND CLASS RESULT TEXT
record() {
	OPN=$((OPN + 1))
	echo "$1 $2 $3" >>"$T_TMP/ops.log"
	if [ "$2" = UNEXPECTED ]; then
		log "op $OPN: $1: UNEXPECTED $4"
	else
		log "op $OPN: $1: $3: $4"
	fi
}

# sh_op KIND CMD...: an operation that is a command (dm tables): must succeed.
sh_op() {
	local kind=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		record "$kind" ok ok "$*"
	else
		record "$kind" UNEXPECTED "exit$rc" "$*: $(printf '%s' "$out" | tr '\n' ' ')"
	fi
	return "$rc"
}

mem_limit_value() {
	local mt lo hi
	rnd 5
	if [ "$R" -eq 0 ]; then
		V=0
		return
	fi
	mt=$(mem_ref_kb)
	lo=$((mt / 16))
	hi=$((mt / 3))
	rnd $((hi - lo))
	V=$(((lo + R) * 1024 / 4096 * 4096))
}

do_dm() {
	local used
	case $DM_STATE in
	linear)
		sh_op dm dm_table "$FLAKEY" && DM_STATE=flakey
		;;
	flakey)
		rnd 3
		if [ "$R" -eq 0 ]; then
			sh_op dm dm_table "$LINEAR" && DM_STATE=linear
			return 0
		fi
		# To error: nothing readable may be left on the block tier.
		if attached "$BLK"; then
			op migrate "ENOSPC EIO" lower_migrate "$BLK"
			used=$(tier_col "$BLK" 5)
			if [ "$used" != 0 ]; then
				log "block tier not empty after migrate (used $used): table back to linear"
				sh_op dm dm_table "$LINEAR" && DM_STATE=linear
				return 0
			fi
		fi
		sh_op dm dm_table "$ERROR" && DM_STATE=error
		;;
	error)
		sh_op dm dm_table "$LINEAR" && DM_STATE=linear
		;;
	esac
	return 0
}

run_kind() {
	case $1 in
	wb_idle) op "$1" "ENOSPC EIO EDQUOT" writeback idle ;;
	wb_huge) op "$1" "ENOSPC EIO EDQUOT" writeback huge ;;
	wb_all) op "$1" "ENOSPC EIO EDQUOT" writeback all ;;
	wb_n)
		rnd 4096
		op "$1" "ENOSPC EIO EDQUOT" writeback $((R + 1))
		;;
	idle_all) op "$1" "" idle all ;;
	idle_n)
		rnd 10
		op "$1" "" idle $((R + 1))
		;;
	compact) op "$1" "EIO" compact 1 ;;
	comp)
		# shellcheck disable=SC2046 # one word per algorithm
		pick $(offered_comps)
		op "$1" "" comp_algorithm "$P"
		;;
	wb_comp)
		# shellcheck disable=SC2046 # one word per algorithm
		pick $(vs_get wb_comp_algorithm | tr ' ' '\n' | tr -d '[]' | grep -vx none)
		op "$1" "" wb_comp_algorithm "$P"
		;;
	mem_limit)
		mem_limit_value
		op "$1" "" mem_limit "$V"
		;;
	huge_direct)
		rnd 2
		op "$1" "" wb_huge_direct "$R"
		;;
	tier_file)
		if attached "$F1"; then
			op "$1" "EIO ENOMEM ENOSPC EINTR" lower_remove "$F1"
		else
			rnd 21
			op "$1" "" lower_add "$F1 $((R - 10))"
		fi
		;;
	tier_blk)
		if attached "$BLK"; then
			op "$1" "EIO ENOMEM ENOSPC EINTR" lower_remove "$BLK"
		else
			# Attached on a working table only (what faults do to an
			# attached tier is the dm kind's business).
			if [ "$DM_STATE" != linear ]; then
				sh_op dm dm_table "$LINEAR" || return 0
				DM_STATE=linear
			fi
			rnd 21
			op "$1" "" lower_add "$BLK $((R - 10))"
		fi
		;;
	migrate)
		# shellcheck disable=SC2046 # one word per tier
		pick $(tier_paths)
		if [ -n "$P" ]; then
			op "$1" "ENOSPC EIO" lower_migrate "$P"
		else
			record "$1" UNEXPECTED none "no tier listed (f0 stays attached)"
		fi
		;;
	dm) do_dm ;;
	esac
}

# The driver loop, in the background, until $T_TMP/stop exists.
driver() {
	local i=0 kind
	set +e
	OPN=0
	DM_STATE=linear
	while [ ! -e "$T_TMP/stop" ]; do
		if [ "$i" -lt "$NKINDS" ]; then
			# shellcheck disable=SC2086 # one word per kind
			set -- $KINDS
			shift "$i"
			kind=$1
		else
			# shellcheck disable=SC2086 # one word per kind
			pick $KINDS
			kind=$P
		fi
		i=$((i + 1))
		run_kind "$kind"
		rnd 10
		sleep "0.$R"
	done
	echo "$DM_STATE" >"$T_TMP/dm_state"
	log "driver: stopped after $OPN operations"
	touch "$T_TMP/driver.done"
}

# ---- the workload -------------------------------------------------------------------

# wait_run NAME LOG PID: wait for one vswap-mixed run and judge it.
wait_run() {
	local rc=0 v
	wait "$3" || rc=$?
	sed 's/^/  | /' "$2"
	RUNS=$((RUNS + 1))
	if v=$(mixed_verified "$2" "$rc"); then
		log "round $ROUND $1: verified ($v)"
	else
		BAD_RUNS="$BAD_RUNS round $ROUND $1: $v;"
		log "round $ROUND $1: NOT VERIFIED ($v)"
	fi
}

# run_round: the workload's processes of round $ROUND, concurrently.
run_round() {
	local s pa pb pc
	s=$((SEED + ROUND * 16))
	cg_exec "$CG" vswap-mixed --size "$PER_A" --procs 2 --seed "$s" --mix 10,15,55,20 \
		--rounds 2 >"$T_TMP/a$ROUND.log" 2>&1 &
	pa=$!
	vswap-mixed --size "$PER_B" --pageout --min-swapped 0 --seed $((s + 4)) \
		--mix 10,10,50,30 --rounds 2 >"$T_TMP/b$ROUND.log" 2>&1 &
	pb=$!
	vswap-mixed --size "$PER_C" --pageout --min-swapped 0 --thp --seed $((s + 8)) \
		--mix 5,10,45,40 --rounds 2 >"$T_TMP/c$ROUND.log" 2>&1 &
	pc=$!
	log "round $ROUND: cgroup pair (pid $pa), pageout (pid $pb), THP pageout (pid $pc)"
	wait_run cgroup "$T_TMP/a$ROUND.log" "$pa"
	wait_run pageout "$T_TMP/b$ROUND.log" "$pb"
	wait_run thp "$T_TMP/c$ROUND.log" "$pc"
}

swap_cycle() {
	local out
	CYCLES=$((CYCLES + 1))
	log "swapoff/swapon cycle $CYCLES (stored_pages $(vs_get stored_pages), lower_pages $(vs_get lower_pages))"
	if ! out=$(swapoff "$VSWAP_DEV" 2>&1); then
		BAD_CYCLES="$BAD_CYCLES swapoff $CYCLES: $out;"
	fi
	if ! out=$(swapon "$VSWAP_DEV" 2>&1) || ! swapped_on; then
		BAD_CYCLES="$BAD_CYCLES swapon $CYCLES: $out;"
		swapon "$VSWAP_DEV" || true
	fi
	MF_SWAPON=$(vs_get miss_free)
}

# ---- checks on the driver's record ---------------------------------------------------

kinds_covered() {
	local k missing=
	for k in $KINDS; do
		grep -q "^$k " "$T_TMP/ops.log" || missing="$missing $k"
	done
	echo "kinds never run:${missing:- none}"
	[ -z "$missing" ]
}

no_unexpected() {
	local n
	n=$(grep -c ' UNEXPECTED ' "$T_TMP/ops.log" || true)
	echo "$(wc -l <"$T_TMP/ops.log") operations, $n unexpected outcomes"
	grep ' UNEXPECTED ' "$T_TMP/ops.log" | sort | uniq -c || true
	[ "$n" -eq 0 ] && [ "$(wc -l <"$T_TMP/ops.log")" -gt "$NKINDS" ]
}

# driver_stopped: the driver said it is done (it finishes its operation first;
# a zombie passes kill -0, hence the file).
driver_stopped() {
	[ -e "$T_TMP/driver.done" ]
}

table_linear() {
	if [ "$(cat "$T_TMP/dm_state" 2>/dev/null)" != linear ]; then
		dm_table "$LINEAR" || return 1
	fi
	dm_is linear
}

stored_within_swap_used() {
	local st used
	st=$(vs_get stored_pages)
	used=$(awk -v d="$VSWAP_DEV" '$1 == d { print $4 }' /proc/swaps)
	echo "stored_pages $st, /proc/swaps Used $used kB ($((used / 4)) pages);" \
		"miss_free $(vs_get miss_free), $(sub "$(vs_get miss_free)" "$MF_SWAPON") since the last swapon"
	is_uint "$st" && is_uint "$used" && [ "$st" -le $((used / 4)) ]
}

figures() {
	local k
	log "figure: soak_seed $SEED"
	log "figure: soak_duration_s $1"
	log "figure: soak_rounds $ROUND"
	log "figure: soak_swapoff_cycles $CYCLES"
	log "figure: soak_pswpout_bytes $2"
	log "figure: soak_ops_total $(wc -l <"$T_TMP/ops.log")"
	for k in $KINDS; do
		log "figure: soak_ops_$k $(grep -c "^$k " "$T_TMP/ops.log" || true)" \
			"($(awk -v k="$k" '$1 == k { n[$2 == "expected" ? $3 : $2]++ }
				END { for (o in n) { printf "%s%s=%d", s, o, n[o]; s = " " } }' \
				"$T_TMP/ops.log"))"
	done
	log "figure: soak_ops_expected_errors $(grep -c ' expected ' "$T_TMP/ops.log" || true)"
	log "figure: soak_ops_unexpected $(grep -c ' UNEXPECTED ' "$T_TMP/ops.log" || true)"
	log "figure: soak_miss_free $(vs_get miss_free)"
	log "figure: soak_notify_free $(vs_get notify_free)"
	log "figure: soak_free_waits $(vs_get free_waits) (slot frees that found their cluster locked and waited)"
	log "figure: soak_csum_errors $(vs_get lower_csum_errors) soak_wb_waits $(vs_get wb_waits)" \
		"soak_wb_wait_fails $(vs_get wb_wait_fails)"
	log "figure: soak_wb_pages $(vs_get wb_pages) soak_wb_refaults $(vs_get wb_refaults)" \
		"soak_compact_moved $(vs_get compact_moved) soak_lower_errors $(vs_get lower_errors)" \
		"soak_failed_writes $(vs_get failed_writes) soak_failed_reads $(vs_get failed_reads)"
}

soak_cleanup() {
	set +e
	touch "$T_TMP/stop"
	_test_cleanup
	if [ -n "$LINEAR" ] && dm_exists; then
		dm_table "$LINEAR" >/dev/null 2>&1
	fi
	tiers_cleanup
	if dm_exists; then
		dmsetup_ remove "$DM" || log "cleanup: could not remove $DM"
	fi
}

test_begin 26
trap soak_cleanup EXIT
log "soak seed: $SEED"
log "soak duration: $DUR s of workload (scale 1/$VSWAP_SCALE)"
mt=$(mem_ref_kb)
PER_A=$((mt * 1024 / 10 / 4096 * 4096))
PER_B=$PER_A
PER_C=$((mt * 1024 / 20 / 4096 * 4096))
cg_limit=$((2 * PER_A / 3 / 4096 * 4096))
require "load vswap" vswap_fresh
set_knob /proc/sys/kernel/hung_task_timeout_secs 30 || true
require "hung_task_timeout_secs 30 (a hang is a kernel report)" \
	test "$(current_knob /proc/sys/kernel/hung_task_timeout_secs)" = 30
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "tier files f0 (192 MiB) and f1 (128 MiB) fallocated" \
	sh -c "fallocate -l 192M $F0 && fallocate -l 128M $F1"
require "$LOWER_DISK present, dm-mod and dm-flakey loaded" lower_disk_ready
SECTORS=$(blockdev --getsz "$LOWER_DISK")
LINEAR="0 $SECTORS linear $LOWER_DISK 0"
FLAKEY="0 $SECTORS flakey $LOWER_DISK 0 0 1 1 error_writes"
ERROR="0 $SECTORS error"
require "dm device $DM: linear over $LOWER_DISK" dm_create "$LINEAR"
require "lower_add $F0 (stays attached)" vs_set lower_add "$F0"
require "swapon" swap_on
MF_SWAPON=$(vs_get miss_free)
require_cgroup soak "$cg_limit"
: >"$T_TMP/ops.log"

pswpout0=$(vmstat_val pswpout)
target=$((3 * mt * 1024))
start=$(date +%s)
driver &
DRIVER=$!
log "driver started (pid $DRIVER)"
RNG=$(((SEED + 7) % 2147483648))
ROUND=0 RUNS=0 BAD_RUNS="" CYCLES=0 BAD_CYCLES=""
while :; do
	if [ "$ROUND" -ge 1 ]; then
		rnd 2
		if [ "$ROUND" -eq 1 ] || [ "$R" -eq 0 ]; then
			swap_cycle
		fi
	fi
	ROUND=$((ROUND + 1))
	run_round
	elapsed=$(($(date +%s) - start))
	swapped=$((($(vmstat_val pswpout) - pswpout0) * 4096))
	log "round $ROUND done after ${elapsed}s: pswpout $swapped bytes of $target;" \
		"stored_pages $(vs_get stored_pages) lower_pages $(vs_get lower_pages)" \
		"oom_kill $(cg_event "$CG" oom_kill)"
	[ "$ROUND" -lt 2 ] || [ "$elapsed" -lt "$DUR" ] || [ "$swapped" -lt "$target" ] || break
	[ "$elapsed" -lt $((3 * DUR + 120)) ] || break
done
touch "$T_TMP/stop"
if wait_until 300 driver_stopped; then
	wait "$DRIVER" || true
	ok "the driver stops when asked"
else
	not_ok "the driver stops when asked" \
		"still running 300 s after the stop; last operation: $(tail -n 1 "$T_TMP/ops.log")"
fi
duration=$(($(date +%s) - start))
if [ -z "$BAD_RUNS" ] && [ "$RUNS" -eq $((3 * ROUND)) ]; then
	ok "every page of all $RUNS vswap-mixed runs verified ($ROUND rounds)"
else
	not_ok "every page of all $RUNS vswap-mixed runs verified ($ROUND rounds)" "$BAD_RUNS"
fi
check_num "no OOM kill in the cgroup" "$(cg_event "$CG" oom_kill)" -eq 0
check_num "data swapped out >= 3 x $REF_MEM" "$swapped" -ge "$target"
if [ -z "$BAD_CYCLES" ] && [ "$CYCLES" -ge 1 ]; then
	ok "swapoff and swapon succeeded between rounds ($CYCLES cycles)"
else
	not_ok "swapoff and swapon succeeded between rounds ($CYCLES cycles)" "$BAD_CYCLES"
fi
check "the driver ran every kind of operation" kinds_covered
check "no operation had an outcome the ABI does not document" no_unexpected
check "cgroup removed" cg_destroy "$CG"

# ---- the end: tiers off, nothing left behind ----
check "dm table back to linear" table_linear
check "every tier removed (drained)" remove_all_tiers
check_num "lower_pages 0 with no tier" "$(vs_get lower_pages)" -eq 0
if wait_until 10 stored_within_swap_used >/dev/null; then
	ok "stored_pages <= the pages the swap core holds ($(stored_within_swap_used))"
else
	not_ok "stored_pages <= the pages the swap core holds" "$(stored_within_swap_used)"
fi
figures "$duration" "$swapped"
require "swapoff" swap_off
check_drained "after swapoff"
check "vswap unloaded" vswap_unload
check "$MNT unmounted" umount "$MNT"
check "dm device removed" dm_remove
test_end
