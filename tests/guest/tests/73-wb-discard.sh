#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 73-wb-discard.sh: segments freed on a tier whose device takes discards are
# discarded on it before they are used again; with lower_discard=0, or on a
# device without discard, they are not; detach waits for pending discards.
#
# Why: on an SSD or a thin-provisioned device, space a tier no longer uses
# must be given back (issue 9), and a discard that landed on a segment after
# it was written again would destroy swapped data. The tier is a loop device
# over a sparse file on ext4 on /dev/vda, so a discard punches a hole in the
# file and its allocated blocks (stat %b) show what came back. 1 MiB
# segments, 6 of them; 1000 random pages (raw objects, 255 per segment) take
# 4 segments. Pages are freed by discarding /dev/vswap ranges.
# Part 1: pages written back, then freed: seg_discarded grows by the freed
# segments and the backing file shrinks by at least the bytes written.
# Part 2: rounds of 1000 pages: the next round's pages are stored, the last
# round's freed, and writeback runs at once, finding 2 free segments and 4
# waiting for their discard, which it must wait for and reuse; every round
# reads back byte for byte once all discards are done (a discard landing on
# a reused segment would punch a hole in its data: checksum error, EIO). The
# last round is freed and the tier removed at once: lower_remove returns only
# once its discards are done.
# Part 3: lower_discard refuses garbage; at 0 the tier's freed segments are
# not discarded (the backing file keeps its blocks), counted after a detach,
# which waits for any discard.
# Part 4: a memory-backed null_blk disk without discard support (configfs,
# discard=0) as the tier: segments are freed and reused, nothing discarded.
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

umask 077

DISK=/dev/vda
MNT=/mnt/vswap-wb
BACK=$MNT/loop-back
BACK_MB=6
PAGES=1000
# Page offsets on /dev/vswap: one region per round, whole clusters apart.
AT0=1024
ROUNDS=4
NULLB_CFG=/sys/kernel/config/nullb/vswap-nd
LOOP=""
NULLB=""

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

# loop_setup: $LOOP (a free loop device) over a new sparse $BACK.
loop_setup() {
	truncate -s "${BACK_MB}M" "$BACK" || return 1
	losetup "$LOOP" "$BACK" || return 1
	echo "$LOOP over $BACK: discard_max_bytes $(discard_max "$LOOP")"
}

discard_max() {
	cat "/sys/block/${1#/dev/}/queue/discard_max_bytes"
}

has_discard() {
	[ "$(discard_max "$1")" -gt 0 ]
}

no_discard() {
	[ "$(discard_max "$1")" -eq 0 ]
}

# Allocated 512-byte blocks of the loop device's backing file.
back_blocks() {
	stat -c %b "$BACK"
}

# at ROUND: page offset of round ROUND's region.
at() {
	echo $((AT0 + $1 * 2048))
}

# free_pages AT: discard PAGES pages of /dev/vswap at page AT.
free_pages() {
	vswap-blkop discard "$VSWAP_DEV" $(($1 * 4096)) $((PAGES * 4096))
}

# Every freed segment discarded: seg_discarded - D0 == seg_freed - F0 > 0.
_discards_done() {
	local d f
	d=$(sub "$(vs_get seg_discarded)" "$D0")
	f=$(sub "$(vs_get seg_freed)" "$F0")
	is_uint "$d" && is_uint "$f" && [ "$f" -gt 0 ] && [ "$d" -eq "$f" ]
}

discards_done() {
	wait_until 60 _discards_done || {
		echo "seg_discarded $(vs_get seg_discarded) (was $D0)," \
			"seg_freed $(vs_get seg_freed) (was $F0)"
		return 1
	}
}

wb_all() {
	vs_set writeback all && [ "$(vs_get lower_pages)" -eq "$PAGES" ]
}

# round I: store round I's pages, free round I-1's, write back at once.
round() {
	write_random "$T_TMP/r$1" "$PAGES" "$(at "$1")" 2>/dev/null || return 1
	free_pages "$(at $(($1 - 1)))" || return 1
	vs_set writeback all || return 1
	echo "round $1: lower_tiers $(vs_get lower_tiers | tail -n 1)," \
		"seg_freed $(vs_get seg_freed) seg_discarded $(vs_get seg_discarded)"
	[ "$(vs_get lower_pages)" -eq "$PAGES" ]
}

round1() {
	write_random "$T_TMP/r1" "$PAGES" "$(at 1)" 2>/dev/null && wb_all
}

# On the tier without discard: two rounds in its 6 segments (the second
# reuses freed ones).
nodiscard_rounds() {
	write_random "$T_TMP/r0" "$PAGES" "$(at 0)" 2>/dev/null && wb_all &&
		free_pages "$(at 0)" &&
		write_random "$T_TMP/r1" "$PAGES" "$(at 1)" 2>/dev/null && wb_all
}

nodiscard_remove() {
	free_pages "$(at 1)" && vs_set lower_remove "$NULLB" && [ -z "$(tier_paths)" ]
}

nullb_setup() {
	modprobe configfs 2>/dev/null || true
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs none /sys/kernel/config || return 1
	modprobe null_blk nr_devices=0 || return 1
	mkdir "$NULLB_CFG" || return 1
	echo 1 >"$NULLB_CFG/memory_backed" &&
		echo 4096 >"$NULLB_CFG/blocksize" &&
		echo "$BACK_MB" >"$NULLB_CFG/size" &&
		echo 0 >"$NULLB_CFG/discard" &&
		echo 1 >"$NULLB_CFG/power" || return 1
	wait_until 10 _nullb_ready || return 1
	echo "$(nullb_dev): discard_max_bytes $(discard_max "$(nullb_dev)")"
}

_nullb_ready() {
	_is_blk "$(nullb_dev)"
}

# The disk is named after its configfs directory on newer kernels, nullbINDEX
# on older ones (6.1).
nullb_dev() {
	if [ -b "/dev/${NULLB_CFG##*/}" ]; then
		echo "/dev/${NULLB_CFG##*/}"
	else
		echo "/dev/nullb$(cat "$NULLB_CFG/index")"
	fi
}

discard_cleanup() {
	set +e
	_test_cleanup
	if vswap_loaded; then
		remove_all_tiers >/dev/null 2>&1
		vswap_unload || log "cleanup: could not unload vswap"
	fi
	[ -z "$LOOP" ] || losetup -d "$LOOP" 2>/dev/null
	if grep -q " $MNT " /proc/mounts; then
		umount "$MNT" || log "cleanup: could not unmount $MNT"
	fi
	if [ -d "$NULLB_CFG" ]; then
		echo 0 >"$NULLB_CFG/power"
		rmdir "$NULLB_CFG"
	fi
}

test_begin 63
trap discard_cleanup EXIT
require "load vswap" vswap_fresh
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "loop module loaded" modprobe loop
LOOP=$(losetup -f)
require "loop device over a sparse ${BACK_MB} MiB file on ext4" loop_setup
require "the loop device takes discards" has_discard "$LOOP"
check_str "lower_discard: 1 by default" "$(vs_get lower_discard)" 1
check_str "seg_discarded: 0 at load" "$(vs_get seg_discarded)" 0
require "lower_add the loop device" vs_set lower_add "$LOOP"
check "the kernel log says the tier discards freed segments" \
	sh -c "dmesg | grep -q 'lower tier .*: $LOOP, .*discards freed segments'"

# ---- part 1: freed segments are discarded, the backing file shrinks ----
D0=$(vs_get seg_discarded)
F0=$(vs_get seg_freed)
S0=$(vs_get seg_written)
W0=$(vs_get wb_bytes)
require "$PAGES random pages written at page $(at 0)" \
	write_random "$T_TMP/r0" "$PAGES" "$(at 0)"
require "writeback all: all $PAGES pages on the tier" wb_all
written=$(sub "$(vs_get seg_written)" "$S0")
wbb=$(sub "$(vs_get wb_bytes)" "$W0")
sync
b0=$(back_blocks)
log "after writeback: $written segments, $wbb bytes written, backing file $((b0 * 512)) bytes allocated"
check_num "4 segments written" "$written" -eq 4
check_num "the backing file holds the bytes written (allocated >= wb_bytes)" \
	"$((b0 * 512))" -ge "$wbb"
check "the pages read back byte for byte from the tier" dev_matches "$T_TMP/r0" "$(at 0)"
check "the pages freed (discard of their /dev/vswap range)" free_pages "$(at 0)"
check_num "lower_pages 0 once they are freed" "$(vs_get lower_pages)" -eq 0
check_num "seg_freed grew by the 4 segments" "$(sub "$(vs_get seg_freed)" "$F0")" -eq 4
check "every freed segment gets discarded (seg_discarded catches up with seg_freed)" \
	discards_done
check_num "seg_discarded grew by exactly 4" "$(sub "$(vs_get seg_discarded)" "$D0")" -eq 4
b1=$(back_blocks)
log "FIGURE backing file allocated bytes: $((b0 * 512)) -> $((b1 * 512)) after the discards"
check_num "the backing file gave back at least the bytes written" \
	"$(((b0 - b1) * 512))" -ge "$wbb"
check_str "the tier's used bytes are 0" "$(tier_col "$LOOP" 5)" 0
check_num "no lower errors" "$(vs_get lower_errors)" -eq 0

# ---- part 2: writeback reuses segments whose discard was pending ----
D0=$(vs_get seg_discarded)
F0=$(vs_get seg_freed)
require "round 1: $PAGES random pages written at page $(at 1) and written back" \
	round1
r=2
while [ "$r" -le "$ROUNDS" ]; do
	check "round $r: pages stored, round $((r - 1))'s freed, writeback at once (reusing segments)" \
		round "$r"
	check "round $r: every freed segment discarded" discards_done
	check "round $r: the pages read back byte for byte after the discards" \
		dev_matches "$T_TMP/r$r" "$(at "$r")"
	r=$((r + 1))
done
check "round $ROUNDS's pages freed" free_pages "$(at "$ROUNDS")"
check "lower_remove the loop tier at once (waits for the pending discards)" \
	vs_set lower_remove "$LOOP"
d=$(sub "$(vs_get seg_discarded)" "$D0")
f=$(sub "$(vs_get seg_freed)" "$F0")
log "part 2: seg_freed +$f, seg_discarded +$d"
check_num "seg_freed grew by 4 per round ($((4 * ROUNDS)))" "$f" -eq $((4 * ROUNDS))
check_num "when lower_remove returned, every freed segment was discarded" "$d" -eq "$f"
check_str "no tier attached" "$(tier_paths)" ""
check_str "no lower errors, no checksum errors" \
	"$(vs_get lower_errors) $(vs_get lower_csum_errors)" "0 0"

# ---- part 3: lower_discard=0: freed segments are not discarded ----
check "lower_discard: 2 refused with EINVAL" vs_write_expect lower_discard EINVAL 2
check "lower_discard: abc refused with EINVAL" vs_write_expect lower_discard EINVAL abc
check_str "lower_discard: still 1" "$(vs_get lower_discard)" 1
check "lower_discard: 0 accepted" vs_set lower_discard 0
check_str "lower_discard: reads 0" "$(vs_get lower_discard)" 0
require "lower_add the loop device again" vs_set lower_add "$LOOP"
D0=$(vs_get seg_discarded)
F0=$(vs_get seg_freed)
require "$PAGES random pages written at page $(at 0)" \
	write_random "$T_TMP/r0" "$PAGES" "$(at 0)"
require "writeback all: all $PAGES pages on the tier" wb_all
sync
b0=$(back_blocks)
check "the pages freed" free_pages "$(at 0)"
check "lower_remove the loop tier (waits for any discard)" vs_set lower_remove "$LOOP"
b1=$(back_blocks)
log "lower_discard=0: backing file allocated bytes $((b0 * 512)) -> $((b1 * 512))"
check_num "seg_freed grew by 4" "$(sub "$(vs_get seg_freed)" "$F0")" -eq 4
check_num "seg_discarded unchanged" "$(sub "$(vs_get seg_discarded)" "$D0")" -eq 0
check_num "the backing file kept its blocks" "$b1" -eq "$b0"
check "lower_discard: 1 accepted again" vs_set lower_discard 1

# ---- part 4: a device without discard support ----
require "memory-backed null_blk disk with discard=0 (configfs)" nullb_setup
NULLB=$(nullb_dev)
require "$NULLB takes no discards" no_discard "$NULLB"
require "lower_add $NULLB" vs_set lower_add "$NULLB"
check "the kernel log does not say the tier discards" \
	sh -c "dmesg | grep 'lower tier .*: $NULLB, ' | tail -n 1 | grep -vq discards"
D0=$(vs_get seg_discarded)
F0=$(vs_get seg_freed)
check "$PAGES pages stored and written back, freed, $PAGES more stored and written back into the freed segments" \
	nodiscard_rounds
check "those pages read back byte for byte" dev_matches "$T_TMP/r1" "$(at 1)"
check "they are freed and $NULLB removed" nodiscard_remove
check_num "seg_freed grew by 8" "$(sub "$(vs_get seg_freed)" "$F0")" -eq 8
check_num "seg_discarded unchanged" "$(sub "$(vs_get seg_discarded)" "$D0")" -eq 0
check_str "no lower errors, no checksum errors" \
	"$(vs_get lower_errors) $(vs_get lower_csum_errors)" "0 0"
check "vswap unloaded" vswap_unload
test_end
