#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 10-load.sh: the module loads, creates a sane /dev/vswap with its sysfs files,
# unloads cleanly, and honours the disksize= module parameter.
#
# Why first: every other script assumes exactly this; if it fails, their
# failures are noise.
# timeout: 120
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

RW_ATTRS="disksize comp_algorithm mem_limit mem_used_max"
WO_ATTRS="compact"
RO_ATTRS="stored_pages same_pages huge_pages compr_data_size mem_used_total meta_bytes
failed_reads failed_writes miss_free notify_free mm_stat"

attrs_present() {
	local a missing=""
	for a in $RW_ATTRS $WO_ATTRS $RO_ATTRS; do
		[ -e "$VSWAP_SYS/$a" ] || missing="$missing $a"
	done
	[ -z "$missing" ] || {
		echo "missing:$missing"
		return 1
	}
}

# Default size: twice the RAM in whole 2 MiB clusters (docs/sysfs.md), so a
# multiple of 2 MiB less than 2 MiB away from 2 x MemTotal.
default_size_sane() {
	local ds=$1 want=$(($2 * 1024 * 2)) cl=$((2 << 20))
	echo "disksize=$ds, 2 x MemTotal=$want bytes"
	is_uint "$ds" && [ $((ds % cl)) -eq 0 ] && [ "$ds" -gt $((want - cl)) ] &&
		[ "$ds" -lt $((want + cl)) ]
}

capacity_matches() {
	local sectors ds
	sectors=$(cat "$VSWAP_SYS/size")
	ds=$(vs_get disksize)
	echo "size=$sectors sectors, disksize=$ds"
	[ $((sectors * 512)) = "$ds" ]
}

counters_numeric() {
	local a v bad=""
	for a in $RO_ATTRS; do
		[ "$a" != mm_stat ] || continue
		v=$(vs_get "$a")
		is_uint "$v" || bad="$bad $a='$v'"
	done
	v=$(vs_get mm_stat)
	echo "mm_stat: $v"
	# shellcheck disable=SC2086 # split mm_stat into its columns
	set -- $v
	[ $# -eq 9 ] || bad="$bad mm_stat has $# columns"
	for v in "$@"; do
		is_uint "$v" || bad="$bad mm_stat column '$v'"
	done
	[ -z "$bad" ] || {
		echo "not decimal:$bad"
		return 1
	}
}

one_current_comp() {
	local line n
	line=$(vs_get comp_algorithm)
	echo "comp_algorithm: $line"
	n=$(echo "$line" | tr ' ' '\n' | grep -c '^\[.*\]$' || true)
	[ "$n" -eq 1 ]
}

zswap_off() {
	local f=/sys/module/zswap/parameters/enabled
	[ -e "$f" ] || return 0
	echo "zswap enabled: $(cat "$f")"
	[ "$(cat "$f")" = N ]
}

test_begin 13
require "modprobe vswap creates the device" vswap_fresh
check "/dev/vswap is a block device" test -b "$VSWAP_DEV"
check "all sysfs attributes exist" attrs_present
check "default disksize is 2 x MemTotal in whole 2 MiB clusters" \
	default_size_sane "$(vs_get disksize)" "$(mem_total_kb)"
check "block device capacity equals disksize" capacity_matches
check "every counter reads one decimal number, mm_stat has 9" counters_numeric
check_drained "fresh device"
check "comp_algorithm marks exactly one algorithm as current" one_current_comp
check "zswap is off (swapped pages reach vswap)" zswap_off
check "modprobe -r vswap removes module, device node and sysfs directory" vswap_unload
require "modprobe vswap disksize=64M" vswap_load disksize=64M
check_str "disksize=64M parameter gives 67108864 bytes" "$(vs_get disksize)" 67108864
check "capacity follows the disksize parameter" capacity_matches
test_end
