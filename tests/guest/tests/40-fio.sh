#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 40-fio.sh: /dev/vswap as a raw block device (not swapped on): fio writes with
# crc32c verification (4 KiB and 64 KiB blocks, sequential, random, mixed
# read/write), then discards; discarded and zeroed-out pages are freed and
# read back as zeros.
#
# Why: besides swap, the block interface is the device's contract; tools like
# mkswap, swapon's discard and blkdiscard use it directly. fio is the reference
# for data verification. The area is 64 MiB from offset 1 MiB (page 0 is the
# swap header, special by design), which keeps TCG time low; on a lane with
# less data (vswaptest.scale) it shrinks with it, to 16 MiB at the least.
# timeout: 300
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

OFF=$((1 << 20))
LEN=$(((64 << 20) / VSWAP_SCALE))
[ "$LEN" -ge $((16 << 20)) ] || LEN=$((16 << 20))
PAGES=$((LEN / 4096))
HALF=$((LEN / 2))

# fio_job NAME ARGS...: one fio job on the device; fails on a non-zero exit, a
# non-zero error in the terse line, or any verify/crash message (fio 3.33 can
# exit 0 when a job dies on a signal).
fio_job() {
	local name=$1 rc=0 err
	shift
	(cd "$T_TMP" && fio --name="$name" --filename="$VSWAP_DEV" --direct=1 --ioengine=psync \
		--verify_state_save=0 --output-format=terse "$@") >"$T_TMP/$name.out" 2>&1 || rc=$?
	err=$(awk -F';' '$1 == "3" { print $5 }' "$T_TMP/$name.out")
	grep -v '^3;' "$T_TMP/$name.out" || true
	echo "fio $name: exit status $rc, error field '${err:-missing}'"
	[ "$rc" -eq 0 ] && [ "$err" = 0 ] &&
		! grep -qiE 'verify:|bad (header|magic)|got signal|assert|err=' "$T_TMP/$name.out"
}

VERIFY="--verify=crc32c --verify_fatal=1 --do_verify=1 --buffer_compress_percentage=50 --refill_buffers"
AREA="--offset=$OFF --size=$LEN"

test_begin 18
require "load vswap with disksize=128M" vswap_fresh disksize=128M
check "device is not swapped on" sh -c "! grep -q '^$VSWAP_DEV ' /proc/swaps"
# shellcheck disable=SC2086 # VERIFY and AREA are option lists
{
	check "fio sequential write 4k + crc32c verify" fio_job seqfill --rw=write --bs=4k $AREA $VERIFY
	check_num "stored_pages == $PAGES after filling the area" "$(vs_get stored_pages)" -eq "$PAGES"
	check "fio random write 4k + crc32c verify" fio_job randwrite4k --rw=randwrite --bs=4k $AREA $VERIFY
	check "fio random write 64k + crc32c verify" fio_job randwrite64k --rw=randwrite --bs=64k $AREA $VERIFY
	check "fio random read/write mix 4k + crc32c verify" \
		fio_job randrw4k --rw=randrw --rwmixread=50 --bs=4k $AREA $VERIFY
	check_num "stored_pages still == $PAGES (overwrites do not leak)" "$(vs_get stored_pages)" -eq "$PAGES"
	before=$(vs_get compr_data_size)
	check "fio random trim 4k over the first half" \
		fio_job randtrim4k --rw=randtrim --bs=4k --offset=$OFF --size=$HALF
}
check_num "stored_pages went down by exactly the trimmed pages" \
	"$(vs_get stored_pages)" -eq $((PAGES - HALF / 4096))
check_num "compr_data_size went down" "$(vs_get compr_data_size)" -lt "$before"
check "trimmed half reads as zeros" vswap-blkop readzero "$VSWAP_DEV" "$OFF" "$HALF"
check "BLKZEROOUT of 4 MiB in the second half" \
	vswap-blkop zeroout "$VSWAP_DEV" $((OFF + HALF)) $((4 << 20))
check_num "write-zeroes freed its 1024 pages" \
	"$(vs_get stored_pages)" -eq $((PAGES - HALF / 4096 - 1024))
check "zeroed range reads as zeros" vswap-blkop readzero "$VSWAP_DEV" $((OFF + HALF)) $((4 << 20))
check "fio random trim 64k over the second half" \
	fio_job randtrim64k --rw=randtrim --bs=64k --offset=$((OFF + HALF)) --size=$HALF
check "whole area reads as zeros" vswap-blkop readzero "$VSWAP_DEV" "$OFF" "$LEN"
check_drained "after trimming everything written"
test_end
