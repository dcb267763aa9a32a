#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 71-tier-attach.sh: lower_add is at least as strict as swapon(2).
#
# Why: a tier receives swapped data and is written by the kernel behind its
# filesystem's back. A file others may read leaks that data (EACCES, like a
# world-readable swapfile); a file owned by another user is theirs to change
# (EACCES); a caller without CAP_SYS_ADMIN may not attach, detach or write
# back (EPERM, like swapon); a tier that lives on vswap itself (a file on a
# filesystem made on /dev/vswap, a dm device stacked on it, a file on that)
# would store swap inside swap (EINVAL). Each refusal must change nothing and
# leave the file usable. Last, a file mapped with bmap (vfat: no
# swap_activate) whose data is still dirty in the page cache when attached
# must be flushed first: otherwise the later page-cache writeback lands on
# segments vswap wrote, and the pages read back differ.
# Files: ext4 on /dev/vda (files), vfat on /dev/vdb (the bmap case).
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

DISK=/dev/vda
MNT=/mnt/vswap-att
FAT_DISK=/dev/vdb
FAT_MNT=/mnt/vswap-fat
ON_VSWAP=/mnt/vswap-onself
DM=vsatt
DM_DEV=/dev/mapper/$DM
TIER=$MNT/tier
# Pages written to /dev/vswap and written back in the bmap case.
BMAP_AT=4096
BMAP_PAGES=1024

# ---- helpers --------------------------------------------------------------

tiers_state() {
	vs_get lower_tiers | tr '\n' ';'
}

# refused PATH ERRNO [vswap-nocap]: lower_add PATH fails with ERRNO, lower_tiers
# unchanged.
refused() {
	local path=$1 err=$2 before after rc=0
	before=$(tiers_state)
	if [ "${3:-}" = nocap ]; then
		vswap-nocap vswap-wr -e "$err" -- "$VSWAP_SYS/lower_add" "$path" || rc=1
	else
		vs_write_expect lower_add "$err" "$path" || rc=1
	fi
	after=$(tiers_state)
	[ "$before" = "$after" ] || {
		echo "lower_tiers changed from '$before' to '$after'"
		vswap-wr -n -- "$VSWAP_SYS/lower_remove" "$path" >/dev/null 2>&1 || true
		return 1
	}
	return "$rc"
}

# nocap_refused ATTR VALUE: writing ATTR without CAP_SYS_ADMIN fails with EPERM
# and ATTR (or, write-only, the tier and writeback counters) is unchanged.
nocap_refused() {
	local attr=$1 before after
	state() {
		case $attr in
		writeback | compact | idle | lower_*)
			echo "$(tiers_state) wb_pages=$(vs_get wb_pages)" ;;
		*) vs_get "$attr" ;;
		esac
	}
	before=$(state)
	vswap-nocap vswap-wr -n -e EPERM -- "$VSWAP_SYS/$attr" "$2" || return 1
	after=$(state)
	echo "$attr: '$before' -> '$after'"
	[ "$before" = "$after" ]
}

# usable FILE: still an ordinary file: written through its filesystem.
usable() {
	dd if=/dev/zero of="$1" bs=4096 count=1 conv=notrunc 2>&1 &&
		[ "$(stat -c %s "$1")" -eq $((16 << 20)) ]
}

attached() {
	tier_paths | grep -x "$1" >/dev/null
}

attach_detach() {
	vs_set lower_add "$1" || return 1
	vs_get lower_tiers
	attached "$1" || return 1
	vs_set lower_remove "$1" && ! attached "$1"
}

make_tier() {
	fallocate -l 16M "$1" && chmod "$2" "$1" && ls -ln "$1"
}

# ---- file on ext4 made on /dev/vswap ----
ext4_on_vswap() {
	mkfs.ext4 -q -F -b 4096 -E nodiscard "$VSWAP_DEV" || return 1
	mkdir -p "$ON_VSWAP"
	mount -t ext4 "$VSWAP_DEV" "$ON_VSWAP" && make_tier "$ON_VSWAP/tier" 600
}

dm_over_vswap() {
	local sectors
	sectors=$(blockdev --getsz "$VSWAP_DEV")
	dmsetup --noudevsync create "$DM" --table "0 $sectors linear $VSWAP_DEV 0" ||
		return 1
	[ -b "$DM_DEV" ] || dmsetup --noudevsync mknodes "$DM" || return 1
	dmsetup table "$DM"
	[ -b "$DM_DEV" ]
}

ext4_on_dm() {
	mkfs.ext4 -q -F -b 4096 -E nodiscard "$DM_DEV" || return 1
	mkdir -p "$ON_VSWAP"
	mount -t ext4 "$DM_DEV" "$ON_VSWAP" && make_tier "$ON_VSWAP/tier" 600
}

# ---- the bmap case: vfat ----
# busybox mkdosfs makes 512-byte clusters; the first file starts at cluster 3.
# Pad so that the tier file starts on a 4 KiB boundary of the device (vswap
# maps only whole, aligned pages), computed from the boot sector.
le() {
	od -An -t"u$2" -j"$1" -N"$2" "$FAT_DISK" | tr -d ' '
}

fat_setup() {
	local res nfats fatsz start pad
	virtio_disk "$FAT_DISK" || return 1
	modprobe vfat || return 1
	mkdosfs "$FAT_DISK" 65536 >/dev/null || return 1
	res=$(le 14 2)
	nfats=$(le 16 1)
	fatsz=$(le 36 4)
	start=$((res + nfats * fatsz + 1))
	pad=$(((8 - start % 8) % 8))
	echo "data area at sector $((start - 1)), first file cluster at $start, pad $pad"
	mkdir -p "$FAT_MNT"
	mount -t vfat -o umask=077,codepage=437,iocharset=ascii "$FAT_DISK" "$FAT_MNT" ||
		return 1
	if [ "$pad" -gt 0 ]; then
		dd if=/dev/zero of="$FAT_MNT/pad" bs=512 count="$pad" 2>/dev/null || return 1
	fi
	# 8 MiB of random data, left dirty in the page cache: no sync.
	dd if=/dev/urandom of="$FAT_MNT/tier" bs=1M count=8 2>/dev/null &&
		ls -ln "$FAT_MNT" && grep -E '^(Dirty|Writeback):' /proc/meminfo
}

wb_all_moved() {
	vs_set writeback all || return 1
	echo "lower_pages $(vs_get lower_pages), $(vs_get lower_tiers | tr '\n' ';')"
	[ "$(vs_get lower_pages)" -ge "$BMAP_PAGES" ]
}

flush_and_drop() {
	sync && echo 3 >/proc/sys/vm/drop_caches
}

att_cleanup() {
	set +e
	_test_cleanup
	vswap_loaded && remove_all_tiers >/dev/null 2>&1
	for m in "$ON_VSWAP" "$FAT_MNT"; do
		! grep -q " $m " /proc/mounts || umount "$m" || log "cleanup: umount $m failed"
	done
	! dmsetup info "$DM" >/dev/null 2>&1 || dmsetup --noudevsync remove "$DM" ||
		log "cleanup: dmsetup remove $DM failed"
	exec 3>&-
	tiers_cleanup
}

test_begin 38
trap att_cleanup EXIT
require "load vswap" vswap_fresh
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "tier file, 16 MiB fallocated, mode 0644" make_tier "$TIER" 644

# ---- ownership and mode ----
check "lower_add: a 0644 file refused with EACCES, nothing changed" refused "$TIER" EACCES
check "the refused file is still an ordinary writable file" usable "$TIER"
chmod 600 "$TIER"
chown 1000:1000 "$TIER"
check "lower_add: a 0600 file owned by uid 1000 refused with EACCES, nothing changed" \
	refused "$TIER" EACCES
check "the refused file is still an ordinary writable file" usable "$TIER"
chown 0:0 "$TIER"
chmod 640 "$TIER"
check "lower_add: a 0640 root file refused with EACCES, nothing changed" refused "$TIER" EACCES
chmod 600 "$TIER"

# ---- CAP_SYS_ADMIN ----
check "lower_add without CAP_SYS_ADMIN refused with EPERM, nothing changed" \
	refused "$TIER" EPERM nocap
check "mem_limit without CAP_SYS_ADMIN refused with EPERM, unchanged" \
	nocap_refused mem_limit 64M
check "disksize without CAP_SYS_ADMIN refused with EPERM, unchanged" \
	nocap_refused disksize 64M
check "compact without CAP_SYS_ADMIN refused with EPERM" nocap_refused compact 1
check "idle without CAP_SYS_ADMIN refused with EPERM" nocap_refused idle all
check "a 0600 root file is accepted (attach and detach)" attach_detach "$TIER"
require "lower_add $TIER again" vs_set lower_add "$TIER"
check "writeback without CAP_SYS_ADMIN refused with EPERM, nothing written" \
	nocap_refused writeback all
check "lower_remove without CAP_SYS_ADMIN refused with EPERM, tier kept" \
	nocap_refused lower_remove "$TIER"
check "lower_migrate without CAP_SYS_ADMIN refused with EPERM, tier kept" \
	nocap_refused lower_migrate "$TIER"
require "no tier left attached" remove_all_tiers

# ---- tiers that resolve to vswap itself ----
# Hold the device open meanwhile: mke2fs opens it exclusively, and the last
# close after an exclusive open drops every page (a swap session's end).
# Read-only: a writer would keep mount from claiming the device on a kernel
# that keeps writers off mounted devices (bdev_allow_write_mounted=0, the
# debug kernel).
exec 3<"$VSWAP_DEV"
require "ext4 made on $VSWAP_DEV, a 0600 file on it" ext4_on_vswap
check "lower_add: a file on a filesystem on $VSWAP_DEV refused with EINVAL, nothing changed" \
	refused "$ON_VSWAP/tier" EINVAL
check "the refused file is still an ordinary writable file" usable "$ON_VSWAP/tier"
require "unmount it" umount "$ON_VSWAP"
require "dm-linear $DM_DEV over $VSWAP_DEV" dm_over_vswap
check "lower_add: dm-linear over $VSWAP_DEV refused with EINVAL, nothing changed" \
	refused "$DM_DEV" EINVAL
require "ext4 on $DM_DEV, a 0600 file on it" ext4_on_dm
check "lower_add: a file on a filesystem on dm over $VSWAP_DEV refused with EINVAL, nothing changed" \
	refused "$ON_VSWAP/tier" EINVAL
require "unmount it" umount "$ON_VSWAP"
require "remove $DM" dmsetup --noudevsync remove "$DM"
exec 3>&-
check "lower_add: $VSWAP_DEV itself still refused with EINVAL" refused "$VSWAP_DEV" EINVAL

# ---- bmap: dirty page cache flushed at attach ----
# No periodic flush while the test runs: only our sync writes the file back.
require "periodic page-cache writeback off" set_knob /proc/sys/vm/dirty_writeback_centisecs 0
require "vfat on $FAT_DISK, 8 MiB tier file written through the page cache" fat_setup
require "lower_add the dirty vfat file at once (bmap path)" vs_set lower_add "$FAT_MNT/tier"
require "$BMAP_PAGES random pages written at page $BMAP_AT" \
	write_random "$T_TMP/bmap" "$BMAP_PAGES" "$BMAP_AT"
check "writeback all moved them to the vfat tier" wb_all_moved
require "sync, drop caches" flush_and_drop
check "every page reads back byte for byte from the tier after sync" \
	dev_matches "$T_TMP/bmap" "$BMAP_AT"
check "lower_remove the vfat tier" vs_set lower_remove "$FAT_MNT/tier"
test_end
