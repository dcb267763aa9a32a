#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 20-header.sh: page 0 of /dev/vswap is a valid swap header for the device's
# size, so swapon works without mkswap; a header written by mkswap is kept
# (also across swapoff); disksize cannot change while swapped on and a resize
# afterwards brings a fresh header for the new size; discard and write-zeroes
# of page 0 give the born header and zeros.
#
# Why: a synthesized header is what makes the device usable with no setup;
# a wrong last_page would make the kernel use slots the device does not have.
# timeout: 180
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

SIZE=$((64 << 20))
NEW_SIZE=$((96 << 20))

swapon_refused() {
	if swapon "$VSWAP_DEV"; then
		echo "swapon succeeded"
		swapoff "$VSWAP_DEV"
		return 1
	fi
}

test_begin 28
require "load vswap with disksize=64M" vswap_fresh disksize=64M
last=$((SIZE / 4096 - 1))
check "fresh page 0 is a swap header for 64 MiB (O_DIRECT read)" \
	vswap-hdr --last-page "$last" --label vswap "$VSWAP_DEV"
check "fresh page 0 is a swap header for 64 MiB (buffered read)" \
	vswap-hdr --buffered --last-page "$last" --label vswap "$VSWAP_DEV"
require "swapon without mkswap" swap_on
check_num "/proc/swaps size is disksize/1024 - 4 KiB" "$(swaps_size_kb)" -eq $((SIZE / 1024 - 4))
check "disksize write while swapped on fails with EBUSY" vs_write_expect disksize EBUSY 128M -n
check_str "disksize unchanged after the refused write" "$(vs_get disksize)" "$SIZE"
require "swapoff" swap_off

require "mkswap -L mylabel" mkswap -L mylabel "$VSWAP_DEV"
check "page 0 reads back as written by mkswap" \
	vswap-hdr --last-page "$last" --label mylabel "$VSWAP_DEV"
require "swapon after mkswap" swap_on
check_num "/proc/swaps size after mkswap" "$(swaps_size_kb)" -eq $((SIZE / 1024 - 4))
require "swapoff after mkswap" swap_off
check "mkswap header kept after swapoff (O_DIRECT read)" \
	vswap-hdr --last-page "$last" --label mylabel "$VSWAP_DEV"
check "mkswap header kept after swapoff (buffered read)" \
	vswap-hdr --buffered --last-page "$last" --label mylabel "$VSWAP_DEV"

# docs/sysfs.md: a written page 0 is kept until a discard (back to the born
# header), a write-zeroes (zeros) or a resize.
check "discard of page 0" vswap-blkop discard "$VSWAP_DEV" 0 4096
check "after the discard page 0 is the born header again" \
	vswap-hdr --last-page "$last" --label vswap "$VSWAP_DEV"
check "write-zeroes of page 0" vswap-blkop zeroout "$VSWAP_DEV" 0 4096
check "after the write-zeroes page 0 reads as zeros" vswap-blkop readzero "$VSWAP_DEV" 0 4096
check "swapon refuses the zeroed page 0 (no header)" swapon_refused

check "disksize change to 96M after swapoff" vs_set disksize 96M
check_str "disksize reads 96 MiB" "$(vs_get disksize)" "$NEW_SIZE"
last=$((NEW_SIZE / 4096 - 1))
check "after the resize page 0 is a fresh header for 96 MiB (O_DIRECT read)" \
	vswap-hdr --last-page "$last" --label vswap "$VSWAP_DEV"
check "after the resize page 0 is a fresh header for 96 MiB (buffered read)" \
	vswap-hdr --buffered --last-page "$last" --label vswap "$VSWAP_DEV"
require "swapon after the resize" swap_on
check_num "/proc/swaps size after the resize" "$(swaps_size_kb)" -eq $((NEW_SIZE / 1024 - 4))
require "swapoff after the resize" swap_off
check_drained "swapoff after the resize"
test_end
