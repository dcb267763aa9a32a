#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 75-wb-basic.sh: lower tiers are attached only when valid, pinned while
# attached, filled by priority, and writeback moves pages out of memory and
# back byte for byte, with exact accounting.
#
# Why: writeback puts swapped data on a second medium. Every attach input the
# ABI refuses must be refused with its errno and change nothing; an attached
# file must not be writable through its filesystem (it would corrupt swap);
# the higher-priority tier fills first; a page read back from a tier must be
# the page that was written (one lower read per refault); raw pages cost
# exactly 4096 bytes on the tier; `writeback idle` takes only the pages not
# touched since `idle all`. Tiers are files on ext4 on the blank scratch disk
# /dev/vda: low0 (96 MiB, priority 0) and low5 (16 MiB divided by the data
# scale, at least 2 MiB; priority 5, small so
# that writeback spills past it and "filled first" can be seen).
# Figures printed: bytes per written-back page, lower reads per refault,
# reverse-map bytes per written-back page.
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# Tier files must be private to root (lower_add refuses others: EACCES).
umask 077

DISK=/dev/vda
MNT=/mnt/vswap-wb
LOW0=$MNT/low0
LOW5=$MNT/low5
# low5 must fill up with the workload's data, which vswaptest.scale shrinks.
LOW5_MB=$((16 / VSWAP_SCALE))
[ "$LOW5_MB" -ge 2 ] || LOW5_MB=2
MIX=10,15,60,15
# Raw-device part: page offsets on /dev/vswap (whole clusters apart).
EXACT_AT=4096
EXACT_PAGES=1000
IDLE_AT=8192
IDLE_PAGES=200
IDLE_TOUCHED=100
BEFORE_AT=64
BEFORE_PAGES=16

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

tier_count() {
	tier_paths | grep -c . || true
}

# What a refused write must leave alone: the attribute itself, or for the
# write-only ones the tiers and the writeback counters.
attr_state() {
	case $1 in
	writeback | idle | lower_add | lower_remove | lower_migrate)
		echo "$(vs_get lower_tiers | tr '\n' ';') wb_pages=$(vs_get wb_pages)" \
			"lower_pages=$(vs_get lower_pages)"
		;;
	*) vs_get "$1" ;;
	esac
}

# refused_unchanged ATTR ERRNO VALUE [vswap-wr options]
refused_unchanged() {
	local attr=$1 err=$2 value=$3 before after
	shift 3
	before=$(attr_state "$attr")
	vs_write_expect "$attr" "$err" "$value" "$@" || return 1
	after=$(attr_state "$attr")
	[ "$before" = "$after" ] || {
		echo "$attr: state changed from '$before' to '$after'"
		return 1
	}
}

show() {
	case $1 in
	'') echo "empty line" ;;
	*) echo "'$1'" ;;
	esac
}

# refuse ATTR ERRNO VALUE...: one check per value ("" is sent as a bare newline).
refuse() {
	local attr=$1 err=$2 v
	shift 2
	for v in "$@"; do
		if [ -z "$v" ]; then
			check "$attr: $(show "$v") refused with $err, nothing changed" \
				refused_unchanged "$attr" "$err" "" -n
		else
			check "$attr: $(show "$v") refused with $err, nothing changed" \
				refused_unchanged "$attr" "$err" "$v"
		fi
	done
}

truncate_refused() {
	local s0 s1 rc=0
	s0=$(stat -c %s "$1")
	truncate -s 1M "$1" || rc=$?
	s1=$(stat -c %s "$1")
	echo "truncate exit $rc, size $s0 -> $s1"
	[ "$rc" -ne 0 ] && [ "$s0" = "$s1" ]
}

swapon_refused() {
	fails_with "busy" swapon "$1" || {
		swapoff "$1" 2>/dev/null || true
		return 1
	}
	! grep -q "^$1 " /proc/swaps
}

make_files() {
	local i
	fallocate -l 96M "$LOW0" || return 1
	fallocate -l "${LOW5_MB}M" "$LOW5" || return 1
	fallocate -l 1M "$MNT/small" || return 1
	truncate -s 16M "$MNT/holes" || return 1
	for i in 1 2 3 4 5 6 7; do
		fallocate -l 2M "$MNT/extra$i" || return 1
	done
	ln "$LOW0" "$MNT/low0-link" || return 1
	fallocate -l 16M "$T_TMP/tmpfs-tier" || return 1
	ls -l "$MNT" "$T_TMP/tmpfs-tier"
}

attach_extra() {
	local i
	for i in 1 2 3 4 5 6; do
		vs_set lower_add "$MNT/extra$i" || return 1
	done
	vs_get lower_tiers
	[ "$(tier_count)" -eq 8 ]
}

remove_extra() {
	local i
	for i in 1 2 3 4 5 6; do
		vs_set lower_remove "$MNT/extra$i" || return 1
	done
	vs_get lower_tiers
	[ "$(tier_count)" -eq 2 ]
}

# tier_is PATH "PRIORITY SIZE USED STATE"
tier_is() {
	local got
	got="$(tier_col "$1" 3) $(tier_col "$1" 4) $(tier_col "$1" 5) $(tier_col "$1" 9)"
	echo "$1: priority size used state = $got"
	[ "$got" = "$2" ]
}

tier_full() {
	local used size
	used=$(tier_col "$1" 5)
	size=$(tier_col "$1" 4)
	echo "$1: used $used of $size bytes"
	is_uint "$used" && [ "$used" = "$size" ]
}

defaults_ok() {
	local got
	got="$(vs_get wb_high) $(vs_get wb_low) $(vs_get wb_budget) $(vs_get wb_budget_period)"
	got="$got $(vs_get wb_huge_direct) $(vs_get segment_size)"
	echo "wb_high wb_low wb_budget wb_budget_period wb_huge_direct segment_size = $got"
	[ "$got" = "90 75 0 3600 0 1048576" ]
}

# exact_wb_bytes PAGES: what writeback writes for PAGES raw pages: full
# segments of 4096-byte objects each led by its 4-byte checksum, each segment
# ending in its summary (4 bytes per object and a 20-byte footer, 4-byte
# aligned), padded to a logical block (vswap_batch_space() keeps 3 bytes for
# the alignment). Segment format version 2 (docs/design.md).
exact_wb_bytes() {
	local left=$1 seg lbs per n total=0
	seg=$(vs_get segment_size)
	lbs=$(cat /sys/block/${DISK#/dev/}/queue/logical_block_size)
	per=$(((seg - 23) / 4104))
	while [ "$left" -gt 0 ]; do
		n=$((left < per ? left : per))
		total=$((total + (4104 * n + 20 + lbs - 1) / lbs * lbs))
		left=$((left - n))
	done
	echo "$total"
}

# kernel_mem_kb: what the kernel holds in slab, vmalloc and per-CPU memory.
kernel_mem_kb() {
	awk '/^(Slab|VmallocUsed|Percpu):/ { n += $2 } END { print n }' /proc/meminfo
}

wait_ms_range() {
	vs_set wb_wait_ms 0 && [ "$(vs_get wb_wait_ms)" = 0 ] &&
		vs_set wb_wait_ms 10000 && [ "$(vs_get wb_wait_ms)" = 10000 ] &&
		vs_set wb_wait_ms 1000
}

wb_comp_default() {
	local got
	got=$(vs_get wb_comp_algorithm)
	echo "wb_comp_algorithm: $got"
	case " $got " in
	*" [zstd] "*) ;;
	*) return 1 ;;
	esac
	case " $got " in
	*" none "* | *"[none]"*) return 1 ;;
	esac
	[ "${got%% *}" = keep ]
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'
}

# ratio_is A B OP LIMIT: A / B OP LIMIT (OP: lt or le), both numbers, B > 0.
ratio_is() {
	echo "$1 / $2 = $(ratio "$1" "$2"), want $3 $4"
	is_uint "$1" && is_uint "$2" && [ "$2" -gt 0 ] &&
		awk -v a="$1" -v b="$2" -v op="$3" -v l="$4" \
			'BEGIN { r = a / b; exit !(op == "lt" ? r < l : r <= l) }'
}

# Runs on every exit: nothing may outlive this script (tiers pin the files,
# the files keep the filesystem busy).
wb_cleanup() {
	set +e
	_test_cleanup
	exec 3>&-
	tiers_cleanup
}

test_begin 144
trap wb_cleanup EXIT
mt=$(mem_ref_kb)
require "load vswap" vswap_fresh
require "fresh ext4 on $DISK mounted on $MNT" disk_setup
require "tier files made (fallocated, sparse, tmpfs, hard link)" make_files
check "defaults: wb_high 90, wb_low 75, no budget, period 3600, huge_direct 0, 1 MiB segments" \
	defaults_ok
check "wb_comp_algorithm: zstd by default, 'keep' offered first, 'none' not offered" \
	wb_comp_default
check "writeback with no tier attached is refused with ENOSPC" \
	vs_write_expect writeback ENOSPC all
check_str "lower_tiers lists no tier" "$(tier_paths)" ""
require "$BEFORE_PAGES random pages written at page $BEFORE_AT" \
	write_random "$T_TMP/before" "$BEFORE_PAGES" "$BEFORE_AT"

# ---- attach: every bad input refused, nothing changed ----
check "lower_add: missing file refused with ENOENT, nothing changed" \
	refused_unchanged lower_add ENOENT "$MNT/missing"
check "lower_add: a directory refused with EISDIR, nothing changed" \
	refused_unchanged lower_add EISDIR "$MNT"
check "lower_add: a relative path refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "${LOW0#/}"
check "lower_add: a file with holes refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$MNT/holes"
check "lower_add: a tmpfs file refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$T_TMP/tmpfs-tier"
check "lower_add: a file smaller than 2 segments refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$MNT/small"
check "lower_add: the mounted $DISK refused with EBUSY, nothing changed" \
	refused_unchanged lower_add EBUSY "$DISK"
check "pages stored before the attach attempts read back" \
	dev_matches "$T_TMP/before" "$BEFORE_AT"
check "lower_add: $VSWAP_DEV itself refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$VSWAP_DEV"
check "pages stored before the refused attach of $VSWAP_DEV still read back" \
	dev_matches "$T_TMP/before" "$BEFORE_AT"
check "lower_add: priority 1001 refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$LOW0 1001"
check "lower_add: priority -1001 refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$LOW0 -1001"
check "lower_add: priority 2147483648 refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "$LOW0 2147483648"
check "lower_add: empty line refused with EINVAL, nothing changed" \
	refused_unchanged lower_add EINVAL "" -n

kmem0=$(kernel_mem_kb)
require "lower_add $LOW0 (priority 0)" vs_set lower_add "$LOW0"
log "FIGURE kernel memory for the first tier attached (Slab + VmallocUsed + Percpu):" \
	"+$(sub "$(kernel_mem_kb)" "$kmem0") KiB (writeback buffers for 1 MiB segments, compressor streams)"
require "lower_add $LOW5 5" vs_set lower_add "$LOW5 5"
check "low0 listed: priority 0, 96 MiB, nothing used, active" tier_is "$LOW0" "0 100663296 0 active"
check "low5 listed: priority 5, $LOW5_MB MiB, nothing used, active" \
	tier_is "$LOW5" "5 $((LOW5_MB << 20)) 0 active"
check "lower_add: the same file again refused with EBUSY, nothing changed" \
	refused_unchanged lower_add EBUSY "$LOW0"
check "lower_add: the same file with another priority refused with EBUSY, nothing changed" \
	refused_unchanged lower_add EBUSY "$LOW0 3"
check "lower_add: a hard link to an attached file refused with EBUSY, nothing changed" \
	refused_unchanged lower_add EBUSY "$MNT/low0-link"
check "six more tiers attach (8 in all)" attach_extra
check "lower_add: a 9th tier refused with ENOSPC, nothing changed" \
	refused_unchanged lower_add ENOSPC "$MNT/extra7"
check "the six extra tiers are removed again" remove_extra

# ---- an attached file is pinned ----
check "writing low0 through the filesystem fails with ETXTBSY" \
	fails_with "Text file busy" vswap-wr "$LOW0" data
check "truncating low0 fails, its size unchanged" truncate_refused "$LOW0"
check "swapon on low0 fails with EBUSY" swapon_refused "$LOW0"

# ---- tunables: garbage refused, value unchanged ----
refuse writeback EINVAL abc "" 0 -1 alll 12x
refuse idle EINVAL abc "" -1 alll
refuse wb_high EINVAL 0 101 abc "" 75
refuse wb_low EINVAL 0 90 101 abc
refuse wb_budget EINVAL abc -1 "" 1P 1.5M
refuse wb_budget_period EINVAL 0 86401 abc -1 ""
refuse wb_huge_direct EINVAL 2 abc "" -1
refuse wb_wait_ms EINVAL 10001 abc "" -1 1.5
check_str "wb_wait_ms: default 1000" "$(vs_get wb_wait_ms)" 1000
check "wb_wait_ms: 0 and 10000 accepted, 1000 restored" wait_ms_range
refuse segment_size EINVAL 1000 32K 8M abc ""
refuse wb_comp_algorithm EINVAL abc "" none lz4x "[zstd]"
check "wb_comp_algorithm: 'keep' accepted" vs_write_expect wb_comp_algorithm ok keep
check_str "wb_comp_algorithm: keep selected" "$(vs_get wb_comp_algorithm | cut -d' ' -f1)" "[keep]"
check "wb_comp_algorithm: 'zstd' accepted again" vs_write_expect wb_comp_algorithm ok zstd
check "segment_size: '2M' with tiers attached refused with EBUSY, value unchanged" \
	refused_unchanged segment_size EBUSY 2M

# ---- swapped data written back, read back ----
require "swapon" swap_on
trap '' PIPE
mkfifo "$T_TMP/ctl"
exec 3<>"$T_TMP/ctl"
size=$((mt * 1024 / 4 / 4096 * 4096))
pswpout0=$(vmstat_val pswpout)
vswap-mixed --size "$size" --step --pageout --seed 75 --mix "$MIX" --rounds 3 \
	<&3 >"$T_TMP/mixed.log" 2>&1 &
MIXED_PID=$!
log "vswap-mixed: $size bytes, pages out then waits (pid $MIXED_PID)"
if wait_for_line "$T_TMP/mixed.log" "paged out, waiting" 400 "$MIXED_PID"; then
	ok "workload filled and paged out its region, holding it"
else
	not_ok "workload filled and paged out its region, holding it" "see the vswap-mixed output"
fi
stored0=$(vs_get stored_pages)
pool0=$(vs_get mem_used_total)
check "writeback all succeeds" vs_set writeback all
wbp=$(vs_get wb_pages)
wbb=$(vs_get wb_bytes)
lp=$(vs_get lower_pages)
rb=$(vs_get revmap_bytes)
log "after writeback: $(vs_get lower_tiers | tr '\n' ';')"
log "wb_pages=$wbp wb_bytes=$wbb lower_pages=$lp revmap_bytes=$rb stored_pages=$stored0 ->" \
	"$(vs_get stored_pages) mem_used_total $pool0 -> $(vs_get mem_used_total)" \
	"seg_written=$(vs_get seg_written) bd_stat: $(vs_get bd_stat)"
log "FIGURE bytes per written-back page (wb_bytes / wb_pages): $(ratio "$wbb" "$wbp")"
log "FIGURE revmap bytes per written-back page (revmap_bytes / lower_pages): $(ratio "$rb" "$lp")"
check_num "wb_pages > 0" "$wbp" -gt 0
check_num "lower_pages == wb_pages" "$lp" -eq "$wbp"
check_num "stored_pages unchanged by writeback" "$(vs_get stored_pages)" -eq "$stored0"
check "wb_bytes / wb_pages < 4096 (objects stay compressed and packed)" \
	ratio_is "$wbb" "$wbp" lt 4096
check "revmap_bytes / lower_pages <= 4 (RAM for the reverse map per written-back page)" \
	ratio_is "$rb" "$lp" le 4
check_num "recompressed > 0 (text pages shrank under zstd at writeback)" \
	"$(vs_get recompressed)" -gt 0
check "low5 (priority 5) is full: used == size" tier_full "$LOW5"
check_num "low0 (priority 0) took the rest: used > 0" "$(tier_col "$LOW0" 5)" -gt 0
check_num "mem_used_total dropped after writeback" "$(vs_get mem_used_total)" -lt "$pool0"

rf0=$(vs_get wb_refaults)
lr0=$(vs_get lower_reads)
echo go >&3 || log "could not release the workload"
finish_mixed "$T_TMP/mixed.log"
check "every page verifies after coming back from the tiers (3 rounds)" \
	mixed_verified "$T_TMP/mixed.log" "$MIXED_RC"
rf=$(sub "$(vs_get wb_refaults)" "$rf0")
lr=$(sub "$(vs_get lower_reads)" "$lr0")
log "FIGURE lower reads per refault: $lr / $rf = $(ratio "$lr" "$rf")"
check_num "wb_refaults > 0" "$rf" -gt 0
check "lower_reads / wb_refaults <= 1.1" ratio_is "$lr" "$rf" le 1.1
swapped=$(($(vmstat_val pswpout) - pswpout0))
log "pages swapped out during the run: $swapped ($((swapped * 4096)) bytes, $REF_MEM $((mt * 1024)))"
check_num "data swapped out during the run >= $REF_MEM" "$((swapped * 4096))" -ge $((mt * 1024))
require "swapoff" swap_off
check_num "after swapoff: lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_drained "after swapoff"
check_str "after swapoff: both tiers' used bytes 0" \
	"$(tier_col "$LOW0" 5) $(tier_col "$LOW5" 5)" "0 0"

# ---- exact accounting on the raw device (swap off) ----
require "$EXACT_PAGES random pages written to $VSWAP_DEV at page $EXACT_AT" \
	write_random "$T_TMP/exact" "$EXACT_PAGES" "$EXACT_AT"
wbp0=$(vs_get wb_pages)
wbb0=$(vs_get wb_bytes)
rc0=$(vs_get recompressed)
check "writeback all succeeds" vs_set writeback all
check_num "wb_pages grew by exactly $EXACT_PAGES" "$(sub "$(vs_get wb_pages)" "$wbp0")" -eq "$EXACT_PAGES"
want=$(exact_wb_bytes "$EXACT_PAGES")
check_num "wb_bytes grew by exactly $want (raw pages packed, summaries, block padding)" \
	"$(sub "$(vs_get wb_bytes)" "$wbb0")" -eq "$want"
check_num "recompressed unchanged (random pages do not shrink)" "$(vs_get recompressed)" -eq "$rc0"
check_num "lower_pages == $EXACT_PAGES" "$(vs_get lower_pages)" -eq "$EXACT_PAGES"
rf0=$(vs_get wb_refaults)
lr0=$(vs_get lower_reads)
check "the $EXACT_PAGES pages read back byte for byte from the tiers" \
	dev_matches "$T_TMP/exact" "$EXACT_AT"
check_num "wb_refaults grew by exactly $EXACT_PAGES" "$(sub "$(vs_get wb_refaults)" "$rf0")" \
	-eq "$EXACT_PAGES"
check_num "lower_reads grew by exactly $EXACT_PAGES (one read per refault)" \
	"$(sub "$(vs_get lower_reads)" "$lr0")" -eq "$EXACT_PAGES"

# ---- writeback idle takes only what was not touched since "idle all" ----
require "$IDLE_PAGES random pages written at page $IDLE_AT" \
	write_random "$T_TMP/idle" "$IDLE_PAGES" "$IDLE_AT"
dd if="$T_TMP/idle" of="$T_TMP/idle-touched" bs=4096 count="$IDLE_TOUCHED" 2>/dev/null
check "idle all accepted" vs_set idle all
check "the first $IDLE_TOUCHED of them read (touched)" dev_matches "$T_TMP/idle-touched" "$IDLE_AT"
wbp0=$(vs_get wb_pages)
check "writeback idle succeeds" vs_set writeback idle
check_num "writeback idle wrote back exactly the $((IDLE_PAGES - IDLE_TOUCHED)) untouched pages" \
	"$(sub "$(vs_get wb_pages)" "$wbp0")" -eq $((IDLE_PAGES - IDLE_TOUCHED))
wbp0=$(vs_get wb_pages)
check "writeback idle again succeeds" vs_set writeback idle
check_num "writeback idle again wrote nothing (the touched pages are not idle)" \
	"$(sub "$(vs_get wb_pages)" "$wbp0")" -eq 0
check "all $IDLE_PAGES pages read back byte for byte" dev_matches "$T_TMP/idle" "$IDLE_AT"

# ---- migrate, then detach with data on the tiers: low5 migrates to low0, ----
# ---- low0 (the last tier) drains into memory ----
check_num "the written-back pages are on low5 (used > 0)" "$(tier_col "$LOW5" 5)" -gt 0
lp0=$(vs_get lower_pages)
used0=$(tier_col "$LOW0" 5)
refuse lower_migrate ENOENT "$MNT/none" "$MNT"
refuse lower_migrate EINVAL "" "low5"
check "lower_migrate low5 (its pages move to low0 through the reverse map)" \
	vs_set lower_migrate "$LOW5"
check_str "low5 still attached and active, empty" \
	"$(tier_col "$LOW5" 5) $(tier_col "$LOW5" 9)" "0 active"
check_num "low0 holds them now (its used bytes grew)" "$(tier_col "$LOW0" 5)" -gt "$used0"
check_num "lower_pages unchanged by the migration" "$(vs_get lower_pages)" -eq "$lp0"
check "the $EXACT_PAGES pages read back byte for byte after the migration" \
	dev_matches "$T_TMP/exact" "$EXACT_AT"
check "lower_remove low5 (empty)" vs_set lower_remove "$LOW5"
check "lower_migrate low0 with no other tier refused with ENOSPC, nothing changed" \
	refused_unchanged lower_migrate ENOSPC "$LOW0"
check "lower_remove low0 (its pages move into memory)" vs_set lower_remove "$LOW0"
check_num "lower_pages 0 once no tier is attached" "$(vs_get lower_pages)" -eq 0
check "the $EXACT_PAGES pages still read back byte for byte (now in memory)" \
	dev_matches "$T_TMP/exact" "$EXACT_AT"
check "low0 is writable through the filesystem again" vswap-wr "$LOW0" data
check "vswap unloaded" vswap_unload
check "$MNT unmounted" umount "$MNT"
test_end
