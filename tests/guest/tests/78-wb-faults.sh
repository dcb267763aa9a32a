#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 78-wb-faults.sh: lower-tier I/O errors never lose or corrupt data: a failed
# write keeps the pages in memory and marks the tier failing; a failed read
# fails that read with EIO and never returns wrong data; once the device
# works again every page reads back.
#
# Why: a tier is a real device and real devices fail. The tier here is a
# device-mapper device over the blank disk /dev/vdb, attached as a block
# device; its table is swapped at run time (suspend, load, resume) between
# `linear` (working), `error` (every I/O fails) and `flakey` with
# error_writes (reads work, writes fail). All data goes through the raw
# device with dd, swap off, so each page's content is known:
#   write errors: D (random pages) in memory, table `error`, writeback fails
#     with EIO, lower_errors counts, the tier is `failing`, D still reads back;
#   read errors: table `linear`, tier detached and attached again (clears
#     failing), D written back, table `error`: direct reads of D fail with an
#     I/O error (a read that succeeds is compared, a mismatch fails the test),
#     failed_reads counts, lower_remove fails with EIO keeping everything;
#     table `linear`: D reads back byte for byte;
#   flakey: D still readable, new data F cannot be written back (EIO,
#     failing) and stays readable from memory; finally the failing tier is
#     removed, its pages drain into memory, D and F read back.
# timeout: 600
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

LOWER_DISK=/dev/vdb
DM=vsl
DM_DEV=/dev/mapper/$DM
D_AT=512
D_PAGES=100
F_AT=1024
F_PAGES=50
SINGLE_READS=10
# dm tables, set once the disk's size is known.
LINEAR=

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

lower_disk_ready() {
	virtio_disk "$LOWER_DISK" || return 1
	command -v dmsetup || return 1
	modprobe dm_mod
}

dmsetup_() {
	dmsetup --noudevsync "$@"
}

dm_create() {
	dmsetup_ create "$DM" --table "$1" || return 1
	[ -b "$DM_DEV" ] || dmsetup_ mknodes "$DM" || return 1
	dmsetup_ table "$DM"
	[ -b "$DM_DEV" ]
}

dm_exists() {
	dmsetup_ info "$DM" >/dev/null 2>&1
}

# dm_table TABLE: swap the live table.
dm_table() {
	dmsetup_ suspend "$DM" || return 1
	if ! dmsetup_ load "$DM" --table "$1"; then
		dmsetup_ resume "$DM"
		return 1
	fi
	dmsetup_ resume "$DM" || return 1
	dmsetup_ table "$DM"
}

# dm_remove: the device and its node are gone (with no udev, mknodes drops a
# node left behind).
dm_remove() {
	dmsetup_ remove "$DM" || return 1
	[ ! -e "$DM_DEV" ] || dmsetup_ mknodes || return 1
	if dm_exists || [ -e "$DM_DEV" ]; then
		echo "still there: $(dmsetup_ info "$DM" 2>&1 | head -n 1); $(ls -l "$DM_DEV" 2>&1)"
		return 1
	fi
}

# read_fails FILE PAGE: a direct read of FILE's pages at PAGE fails with EIO; if
# it succeeds, what it returned is compared (wrong data is reported as such).
read_fails() {
	local pages out rc=0
	pages=$(($(stat -c %s "$1") / 4096))
	rm -f "$T_TMP/back"
	out=$(dd if="$VSWAP_DEV" of="$T_TMP/back" bs=4096 skip="$2" count="$pages" \
		iflag=direct 2>&1) || rc=$?
	echo "dd exit $rc: $out"
	if [ "$rc" -eq 0 ]; then
		if cmp "$1" "$T_TMP/back"; then
			echo "the read succeeded (right data), want an I/O error"
		else
			echo "the read succeeded with WRONG DATA"
		fi
		return 1
	fi
	case $out in
	*"Input/output error"*) return 0 ;;
	*) return 1 ;;
	esac
}

# single_reads FILE PAGE N: N one-page direct reads, in this shell; sets
# SR_EIO (failed with EIO), SR_RIGHT (succeeded, right data), SR_WRONG
# (succeeded, wrong data), SR_OTHER (failed otherwise).
single_reads() {
	local i=0 out rc
	SR_EIO=0 SR_RIGHT=0 SR_WRONG=0 SR_OTHER=0
	while [ "$i" -lt "$3" ]; do
		rc=0
		out=$(dd if="$VSWAP_DEV" of="$T_TMP/one" bs=4096 skip=$(($2 + i)) count=1 \
			iflag=direct 2>&1) || rc=$?
		if [ "$rc" -ne 0 ]; then
			case $out in
			*"Input/output error"*) SR_EIO=$((SR_EIO + 1)) ;;
			*)
				SR_OTHER=$((SR_OTHER + 1))
				log "page $(($2 + i)): read failed, not with EIO: $out"
				;;
			esac
		else
			dd if="$1" of="$T_TMP/want" bs=4096 skip="$i" count=1 2>/dev/null
			if cmp -s "$T_TMP/want" "$T_TMP/one"; then
				SR_RIGHT=$((SR_RIGHT + 1))
				log "page $(($2 + i)): read succeeded (right data)"
			else
				SR_WRONG=$((SR_WRONG + 1))
				log "page $(($2 + i)): read succeeded with WRONG DATA"
			fi
		fi
		i=$((i + 1))
	done
	log "single-page reads: $SR_EIO EIO, $SR_RIGHT right data, $SR_WRONG wrong data, $SR_OTHER other errors"
}

tier_kept() {
	local got
	got="$(tier_col "$DM_DEV" 9) $(vs_get lower_pages)"
	echo "tier state, lower_pages = $got"
	[ "$got" = "$1" ]
}

wb_cleanup() {
	set +e
	_test_cleanup
	if [ -n "$LINEAR" ] && dm_exists; then
		dm_table "$LINEAR" >/dev/null 2>&1
	fi
	tiers_cleanup
	if dm_exists; then
		dmsetup_ remove "$DM" || log "cleanup: could not remove $DM"
	fi
}

test_begin 51
trap wb_cleanup EXIT
require "load vswap" vswap_fresh
require "$LOWER_DISK present, dm-mod loaded" lower_disk_ready
SECTORS=$(blockdev --getsz "$LOWER_DISK")
LINEAR="0 $SECTORS linear $LOWER_DISK 0"
ERROR="0 $SECTORS error"
FLAKEY="0 $SECTORS flakey $LOWER_DISK 0 0 1 1 error_writes"
require "dm device $DM: linear over $LOWER_DISK ($SECTORS sectors)" dm_create "$LINEAR"
require "lower_add $DM_DEV (a block device tier)" vs_set lower_add "$DM_DEV"
check_str "the tier is active" "$(tier_col "$DM_DEV" 9)" active
require "$D_PAGES random pages (D) written at page $D_AT" write_random "$T_TMP/d" "$D_PAGES" "$D_AT"

# ---- write errors ----
wbp0=$(vs_get wb_pages)
fr0=$(vs_get failed_reads)
check "table switched to error" dm_table "$ERROR"
check "writeback all fails with EIO" vs_write_expect writeback EIO all -n
log "after the failed writeback: $(vs_get lower_tiers | tr '\n' ';') lower_errors=$(vs_get lower_errors)"
check_num "lower_errors > 0" "$(vs_get lower_errors)" -gt 0
check_str "the tier is marked failing" "$(tier_col "$DM_DEV" 9)" failing
check_num "no page was written back (wb_pages unchanged)" "$(sub "$(vs_get wb_pages)" "$wbp0")" -eq 0
check_num "lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_num "stored_pages $D_PAGES (D still in memory)" "$(vs_get stored_pages)" -eq "$D_PAGES"
check "D reads back byte for byte" dev_matches "$T_TMP/d" "$D_AT"
check "writeback all with every tier failing fails with EIO" vs_write_expect writeback EIO all -n
check_num "failed_reads unchanged" "$(sub "$(vs_get failed_reads)" "$fr0")" -eq 0

# ---- detach and attach again: a fresh, active tier ----
check "table switched back to linear" dm_table "$LINEAR"
check "lower_remove the failing (empty) tier" vs_set lower_remove "$DM_DEV"
require "lower_add $DM_DEV again" vs_set lower_add "$DM_DEV"
check_str "the tier is active with no errors" \
	"$(tier_col "$DM_DEV" 9) $(tier_col "$DM_DEV" 8)" "active 0"

# ---- read errors ----
wbp0=$(vs_get wb_pages)
check "writeback all succeeds" vs_set writeback all
check_num "wb_pages grew by $D_PAGES" "$(sub "$(vs_get wb_pages)" "$wbp0")" -eq "$D_PAGES"
check_num "lower_pages $D_PAGES" "$(vs_get lower_pages)" -eq "$D_PAGES"
fr0=$(vs_get failed_reads)
le0=$(vs_get lower_errors)
check "table switched to error" dm_table "$ERROR"
single_reads "$T_TMP/d" "$D_AT" "$SINGLE_READS"
check_num "$SINGLE_READS single-page direct reads of D all fail with EIO" "$SR_EIO" -eq "$SINGLE_READS"
check_num "no read returned wrong data" "$SR_WRONG" -eq 0
check "a direct read of all of D fails with EIO" read_fails "$T_TMP/d" "$D_AT"
check_num "failed_reads grew by >= $((SINGLE_READS + 1))" "$(sub "$(vs_get failed_reads)" "$fr0")" \
	-ge $((SINGLE_READS + 1))
check_num "lower_errors grew" "$(vs_get lower_errors)" -gt "$le0"
check "lower_remove fails with EIO while the tier cannot be read" \
	vs_write_expect lower_remove EIO "$DM_DEV" -n
check "the tier stays attached and active, lower_pages $D_PAGES" tier_kept "active $D_PAGES"
check "table switched back to linear" dm_table "$LINEAR"
rf0=$(vs_get wb_refaults)
check "D reads back byte for byte" dev_matches "$T_TMP/d" "$D_AT"
check_num "wb_refaults grew by $D_PAGES" "$(sub "$(vs_get wb_refaults)" "$rf0")" -eq "$D_PAGES"

# ---- flakey: reads work, writes fail ----
check "dm-flakey loaded" modprobe dm_flakey
check "table switched to flakey with error_writes" dm_table "$FLAKEY"
check "D reads back byte for byte through flakey" dev_matches "$T_TMP/d" "$D_AT"
require "$F_PAGES random pages (F) written at page $F_AT" write_random "$T_TMP/f" "$F_PAGES" "$F_AT"
wbp0=$(vs_get wb_pages)
check "writeback all fails with EIO" vs_write_expect writeback EIO all -n
check_str "the tier is marked failing" "$(tier_col "$DM_DEV" 9)" failing
check_num "no page was written back (wb_pages unchanged)" "$(sub "$(vs_get wb_pages)" "$wbp0")" -eq 0
check_num "lower_pages still $D_PAGES" "$(vs_get lower_pages)" -eq "$D_PAGES"
check "F reads back byte for byte (from memory)" dev_matches "$T_TMP/f" "$F_AT"

# ---- the failing tier drains into memory ----
check "table switched back to linear" dm_table "$LINEAR"
check "lower_remove the failing tier (its pages drain into memory)" vs_set lower_remove "$DM_DEV"
check_num "lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_str "lower_tiers lists no tier" "$(tier_paths)" ""
check "D reads back byte for byte (from memory)" dev_matches "$T_TMP/d" "$D_AT"
check "F reads back byte for byte" dev_matches "$T_TMP/f" "$F_AT"
check "dm device removed" dm_remove
check "vswap unloaded" vswap_unload
test_end
