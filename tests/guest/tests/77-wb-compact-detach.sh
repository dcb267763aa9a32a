#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 77-wb-compact-detach.sh: compaction empties sparse segments of a tier into
# new ones and frees them; a tier can be detached while swapped on and under
# load, its data moving to another tier, or back into memory when it is the
# last one; nothing is lost on the way.
#
# Why: a log-structured tier only stays usable if freed space can be
# reclaimed (compaction) and a tier can only be retired if its live data can
# be moved (drain), both found through the reverse map, racing with the
# swap core freeing and reading the same slots.
# Part 1 (raw device, swap off, 64 KiB segments = 15 raw pages each, the
# rest of a segment being its summary): 480 random pages written back fill 32
# segments exactly; half the pages are then discarded, 4 of 15 in even
# segments (73% live: left alone) and 11 of 15 in odd ones (27% live:
# compacted); `compact` must free segments and move
# objects, and every kept page must read back, every freed one as zeros.
# Part 2 (swapped on, 1 MiB segments): two vswap-mixed processes page out and
# wait; everything is written back to tier A; tier B is attached; one process
# verifies (refaulting from A) while A is removed, so its drain races with
# the swap-ins; the other still holds pages, now on B; B, the last tier, is
# then removed with those pages on it: they must come back into memory (no
# refault from a tier when that process verifies).
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# Tier files must be private to root (lower_add refuses others: EACCES).
umask 077

DISK=/dev/vda
MNT=/mnt/vswap-wb
TIER_A=$MNT/tier-a
TIER_B=$MNT/tier-b
MIX=10,15,55,20
# Part 1: page offset on /dev/vswap (cluster 1), raw pages per 64 KiB segment
# (16 would leave no room for the segment's summary), pages: 32 segments.
AT=512
SEG_PAGES=15
PAGES=$((32 * SEG_PAGES))

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

make_files() {
	fallocate -l 96M "$TIER_A" && fallocate -l 96M "$TIER_B" && ls -l "$MNT"
}

# seg_size_set SIZE BYTES: segment_size accepts SIZE and reads BYTES.
seg_size_set() {
	vs_set segment_size "$1" || return 1
	echo "segment_size reads $(vs_get segment_size)"
	[ "$(vs_get segment_size)" = "$2" ]
}

# discard FIRST N: free pages AT+FIRST .. AT+FIRST+N-1 of the device and zero
# them in the expected image.
discard() {
	local out
	out=$(vswap-blkop discard "$VSWAP_DEV" $(((AT + $1) * 4096)) $(($2 * 4096))) || {
		echo "$out"
		return 1
	}
	dd if=/dev/zero of="$T_TMP/expected" bs=4096 seek="$1" count="$2" conv=notrunc \
		2>/dev/null
}

# free_half: pages 0-3 of even 15-page groups, 4-14 of odd ones.
free_half() {
	local g=0
	cp "$T_TMP/src" "$T_TMP/expected"
	while [ "$g" -lt $((PAGES / SEG_PAGES)) ]; do
		if [ $((g % 2)) -eq 0 ]; then
			discard $((g * SEG_PAGES)) 4 || return 1
		else
			discard $((g * SEG_PAGES + 4)) $((SEG_PAGES - 4)) || return 1
		fi
		g=$((g + 1))
	done
	echo "discarded $((PAGES / 2)) of $PAGES pages in $((PAGES / SEG_PAGES)) groups"
}

# held LOG PID: the vswap-mixed run PID paged out and waits.
held() {
	wait_for_line "$1" "paged out, waiting" 300 "$2"
}

wb_cleanup() {
	set +e
	_test_cleanup
	exec 3>&- 4>&-
	tiers_cleanup
}

test_begin 48
trap wb_cleanup EXIT
mt=$(mem_ref_kb)
require "load vswap" vswap_fresh
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "tier files fallocated (2 x 96 MiB)" make_files

# ---- part 1: compaction (raw device, swap off) ----
check "segment_size 64K accepted with no tier attached" seg_size_set 64K 65536
require "lower_add tier A" vs_set lower_add "$TIER_A"
require "$PAGES random pages written at page $AT" write_random "$T_TMP/src" "$PAGES" "$AT"
wbp0=$(vs_get wb_pages)
check "writeback all succeeds" vs_set writeback all
check_num "wb_pages grew by $PAGES" "$(sub "$(vs_get wb_pages)" "$wbp0")" -eq "$PAGES"
check_num "tier A uses $((PAGES / SEG_PAGES)) segments of 64 KiB" "$(tier_col "$TIER_A" 5)" \
	-eq $((PAGES / SEG_PAGES * 65536))
check "half the pages discarded (sparse odd segments, dense even ones)" free_half
check_num "lower_pages == $((PAGES / 2))" "$(vs_get lower_pages)" -eq $((PAGES / 2))
used0=$(tier_col "$TIER_A" 5)
freed0=$(vs_get seg_freed)
moved0=$(vs_get compact_moved)
check "compact accepted" vs_set compact 1
freed=$(sub "$(vs_get seg_freed)" "$freed0")
moved=$(sub "$(vs_get compact_moved)" "$moved0")
log "FIGURE compaction: seg_freed +$freed, compact_moved +$moved, tier A used $used0 ->" \
	"$(tier_col "$TIER_A" 5) bytes"
check_num "compaction freed segments (seg_freed grew)" "$freed" -gt 0
check_num "compaction moved objects (compact_moved grew)" "$moved" -gt 0
check_num "lower_pages still $((PAGES / 2))" "$(vs_get lower_pages)" -eq $((PAGES / 2))
check_num "tier A uses less space after compaction" "$(tier_col "$TIER_A" 5)" -lt "$used0"
check "every kept page reads back byte for byte, every freed one as zeros" \
	dev_matches "$T_TMP/expected" "$AT"
check "the rest discarded" vswap-blkop discard "$VSWAP_DEV" $((AT * 4096)) $((PAGES * 4096))
check_num "lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_num "tier A uses no segment" "$(tier_col "$TIER_A" 5)" -eq 0
check "lower_remove tier A (empty)" vs_set lower_remove "$TIER_A"
check "segment_size 1M accepted again once no tier is attached" seg_size_set 1M 1048576
require "lower_add tier A again" vs_set lower_add "$TIER_A"

# ---- part 2: detach under load ----
require "swapon" swap_on
trap '' PIPE
mkfifo "$T_TMP/ctl1" "$T_TMP/ctl2"
exec 3<>"$T_TMP/ctl1" 4<>"$T_TMP/ctl2"
size=$((mt * 1024 / 6 / 4096 * 4096))
vswap-mixed --size "$size" --step --pageout --seed 771 --mix "$MIX" --rounds 2 \
	<&3 >"$T_TMP/p1.log" 2>&1 &
P1=$!
vswap-mixed --size "$size" --step --pageout --seed 772 --mix "$MIX" \
	<&4 >"$T_TMP/p2.log" 2>&1 &
P2=$!
log "vswap-mixed P1 (pid $P1) and P2 (pid $P2): $size bytes each, page out and wait"
check "P1 filled and paged out its region, holding it" held "$T_TMP/p1.log" "$P1"
check "P2 filled and paged out its region, holding it" held "$T_TMP/p2.log" "$P2"
check "writeback all succeeds" vs_set writeback all
log "after writeback: lower_pages=$(vs_get lower_pages) stored_pages=$(vs_get stored_pages)" \
	"revmap_bytes=$(vs_get revmap_bytes); $(vs_get lower_tiers | tr '\n' ';')"
check_num "lower_pages > 0" "$(vs_get lower_pages)" -gt 0
require "lower_add tier B" vs_set lower_add "$TIER_B"
moved0=$(vs_get compact_moved)
echo go >&3 || log "could not release P1"
check "lower_remove tier A while P1 verifies and P2 holds pages on A" \
	vs_set lower_remove "$TIER_A"
log "P1 $(kill -0 "$P1" 2>/dev/null && echo 'still running' || echo 'already done')" \
	"when the remove returned; compact_moved +$(sub "$(vs_get compact_moved)" "$moved0");" \
	"$(vs_get lower_tiers | tr '\n' ';')"
check_str "lower_tiers lists tier B only" "$(tier_paths)" "$TIER_B"
check_num "the drain moved objects (compact_moved grew)" \
	"$(sub "$(vs_get compact_moved)" "$moved0")" -gt 0
check_num "tier B holds them (used > 0)" "$(tier_col "$TIER_B" 5)" -gt 0
check_num "lower_pages > 0 (P2's pages, now on B)" "$(vs_get lower_pages)" -gt 0
check "tier A is writable through the filesystem again" vswap-wr "$TIER_A" data
MIXED_PID=$P1
finish_mixed "$T_TMP/p1.log"
check "P1: every page verifies (2 rounds)" mixed_verified "$T_TMP/p1.log" "$MIXED_RC"

stored=$(vs_get stored_pages)
pool=$(vs_get mem_used_total)
check "lower_remove tier B, the last tier, while P2 holds pages on it" \
	vs_set lower_remove "$TIER_B"
log "after removing B: stored_pages $stored -> $(vs_get stored_pages), mem_used_total" \
	"$pool -> $(vs_get mem_used_total)"
check_str "lower_tiers lists no tier" "$(tier_paths)" ""
check_num "lower_pages 0: everything came back into memory" "$(vs_get lower_pages)" -eq 0
check_num "stored_pages > 0 (P2's pages, in the pool)" "$(vs_get stored_pages)" -gt 0
rf0=$(vs_get wb_refaults)
echo go >&4 || log "could not release P2"
MIXED_PID=$P2
finish_mixed "$T_TMP/p2.log"
check "P2: every page verifies" mixed_verified "$T_TMP/p2.log" "$MIXED_RC"
check_num "P2 read nothing from a tier (wb_refaults unchanged)" \
	"$(sub "$(vs_get wb_refaults)" "$rf0")" -eq 0
check "lower_remove of a file that is no tier refused with ENOENT" \
	vs_write_expect lower_remove ENOENT "$TIER_A" -n
check "lower_remove of a missing path refused with ENOENT" \
	vs_write_expect lower_remove ENOENT "$MNT/missing" -n
require "swapoff" swap_off
check_drained "after swapoff"
check "vswap unloaded" vswap_unload
check "$MNT unmounted" umount "$MNT"
test_end
