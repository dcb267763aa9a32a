#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 70-sysfs-bad-input.sh: every writable sysfs attribute refuses garbage with
# the documented errno and keeps its value; valid forms (with and without a
# trailing newline, memparse suffixes, range limits) are accepted; file modes
# are right and a non-root user cannot write.
#
# Why: sysfs parsers are where off-by-one, prefix-matching and overflow bugs
# hide (memparse wraps silently on overflow, strncmp matches prefixes). Each
# write is a single write(2) of exact bytes (vswap-wr), so "" really is an
# empty line and a 5000-byte value really arrives (truncated by sysfs to a
# page) in one call.
# timeout: 180
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

NOBODY=65534
LONG_DIGITS=$(printf '%5000s' '' | tr ' ' 9)
LONG_NAME=$(printf '%300s' '' | tr ' ' a)
LONGER_NAME=$(printf '%5000s' '' | tr ' ' a)

# show VALUE: a short printable form for check names.
show() {
	case ${#1} in
	0) echo "''" ;;
	[0-9] | [1-3][0-9]) echo "'$1'" ;;
	*) echo "<${#1} bytes>" ;;
	esac
}

# refused_unchanged ATTR ERRNO VALUE [vswap-wr options]
refused_unchanged() {
	local attr=$1 err=$2 value=$3 before after
	shift 3
	before=$(vs_get "$attr")
	vs_write_expect "$attr" "$err" "$value" "$@" || return 1
	after=$(vs_get "$attr")
	[ "$before" = "$after" ] || {
		echo "$attr changed from '$before' to '$after'"
		return 1
	}
}

# refuse ATTR ERRNO VALUE...: one check per value (written without newline,
# except "" which is written as a bare newline).
refuse() {
	local attr=$1 err=$2 v
	shift 2
	for v in "$@"; do
		if [ "$attr" = compact ] && [ -z "$v" ]; then
			check "compact: empty line refused with $err" vs_write_expect compact "$err" "" -n
		elif [ "$attr" = compact ]; then
			check "compact: $(show "$v") refused with $err" vs_write_expect compact "$err" "$v"
		elif [ -z "$v" ]; then
			check "$attr: empty line refused with $err, value unchanged" \
				refused_unchanged "$attr" "$err" "" -n
		else
			check "$attr: $(show "$v") refused with $err, value unchanged" \
				refused_unchanged "$attr" "$err" "$v"
		fi
	done
}

# accepted ATTR VALUE WANT [-n]: written as is (plus newline with -n), reads WANT.
accepted() {
	local attr=$1 value=$2 want=$3 got
	shift 3
	vs_write_expect "$attr" ok "$value" "$@" || return 1
	got=$(vs_get "$attr")
	[ "$got" = "$want" ] || {
		echo "$attr reads '$got', want '$want'"
		return 1
	}
}

accepted_comp() {
	vs_write_expect comp_algorithm ok "$@" || return 1
	[ "$(current_comp)" = "$1" ] || {
		echo "comp_algorithm reads '$(vs_get comp_algorithm)'"
		return 1
	}
}

mode_is() {
	local m
	m=$(stat -c %a "$VSWAP_SYS/$1")
	echo "$1: mode $m"
	[ "$m" = "$2" ]
}

ro_modes() {
	local a m bad=""
	for a in stored_pages same_pages huge_pages compr_data_size mem_used_total meta_bytes \
		failed_reads failed_writes miss_free notify_free mm_stat progress; do
		m=$(stat -c %a "$VSWAP_SYS/$a" 2>&1) || m=missing
		[ "$m" = 444 ] || bad="$bad $a=$m"
	done
	[ -z "$bad" ] || {
		echo "not 0444:$bad"
		return 1
	}
}

# nonroot_refused ATTR VALUE: a write as uid 65534 fails with EACCES, value unchanged.
nonroot_refused() {
	local before after
	before=$(vs_get "$1")
	vswap-wr -n -u "$NOBODY" -e EACCES -- "$VSWAP_SYS/$1" "$2" || return 1
	after=$(vs_get "$1")
	[ "$1" = compact ] || [ "$before" = "$after" ] || {
		echo "$1 changed from '$before' to '$after'"
		return 1
	}
}

# mem_used_max must reset to the current mem_used_total.
max_reset_to_current() {
	local max total
	vs_write_expect mem_used_max ok 0 || return 1
	max=$(vs_get mem_used_max)
	total=$(vs_get mem_used_total)
	echo "after reset: mem_used_max=$max mem_used_total=$total"
	[ "$max" = "$total" ]
}

test_begin 70
require "load vswap with disksize=64M" vswap_fresh disksize=64M

# disksize: a size with K/M/G/T, 1 MiB..16 TiB (a swap header's 32-bit last_page),
# EBUSY while open (docs/sysfs.md).
refuse disksize EINVAL abc "" -1 12abc 1.5G 99999999999999999999999 0 1048575 512K \
	17592186048512 1P "$LONG_DIGITS"
check "disksize: '1M' (lower bound) accepted" accepted disksize 1M 1048576
check "disksize: '16T' (upper bound) accepted" accepted disksize 16T 17592186044416
check "disksize: '67108864' (no newline) accepted" accepted disksize 67108864 67108864
check "disksize: '32M' plus newline accepted" accepted disksize 32M 33554432 -n
require "swapon" swap_on
check "disksize: '64M' while swapped on refused with EBUSY, value unchanged" \
	refused_unchanged disksize EBUSY 64M -n
require "swapoff" swap_off

# comp_algorithm: exact names only.
refuse comp_algorithm EINVAL abc "" lz4x lz LZ4 lz4hc "lz4 zstd" "[lz4]" "$LONG_NAME" "$LONGER_NAME"
check "comp_algorithm: 'zstd' (no newline) accepted" accepted_comp zstd
check "comp_algorithm: 'lz4' plus newline accepted" accepted_comp lz4 -n

# mem_limit: memparse, 0 = no limit.
refuse mem_limit EINVAL abc "" -1 12abc 99999999999999999999999 "$LONG_DIGITS"
check "mem_limit: '4M' accepted" accepted mem_limit 4M 4194304 -n
check "mem_limit: '0' accepted" accepted mem_limit 0 0 -n

# mem_used_max: only "0" (reset). Give it a value above the current use first.
require "write 256 random pages" dd if=/dev/urandom of="$VSWAP_DEV" bs=4096 seek=1 count=256 \
	oflag=direct
require "discard them again" blkdiscard -o 4096 -l $((256 * 4096)) "$VSWAP_DEV"
check_num "mem_used_max >= 1 MiB after the writes" "$(vs_get mem_used_max)" -ge $((1 << 20))
refuse mem_used_max EINVAL 1 abc "" -1 5M 00x
check "mem_used_max: '0' resets it to mem_used_total" max_reset_to_current

# compact: only "1".
refuse compact EINVAL 0 2 11 abc "" -1
check "compact: '1' accepted" vs_write_expect compact ok 1
check "compact: '1' plus newline accepted" vs_write_expect compact ok 1 -n

check "disksize is mode 0644" mode_is disksize 644
check "comp_algorithm is mode 0644" mode_is comp_algorithm 644
check "mem_limit is mode 0644" mode_is mem_limit 644
check "mem_used_max is mode 0644" mode_is mem_used_max 644
check "compact is mode 0200" mode_is compact 200
check "every counter is mode 0444" ro_modes
check_str "progress: only its header while nothing runs" \
	"$(cat "$VSWAP_SYS/progress")" "operation target done total unit"

check "non-root write to disksize fails with EACCES" nonroot_refused disksize 48M
check "non-root write to comp_algorithm fails with EACCES" nonroot_refused comp_algorithm zstd
check "non-root write to mem_limit fails with EACCES" nonroot_refused mem_limit 8M
check "non-root write to mem_used_max fails with EACCES" nonroot_refused mem_used_max 0
check "non-root write to compact fails with EACCES" nonroot_refused compact 1
test_end
