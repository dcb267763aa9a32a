#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 55-comp-switch.sh: the compressor can be switched while swapped on; pages
# stored under every earlier algorithm still decompress, and an unknown name
# is refused without changing the current one.
#
# Why: vswap records per page which algorithm compressed it. One vswap-mixed
# process fills and pages out its region one part per algorithm (--step:
# it waits on a FIFO between parts while this script switches the algorithm),
# then checks the whole region is still swapped out and verifies every page,
# reading back data compressed by all five algorithms.
# timeout: 300
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

# "none" (compression off) stores every page that is not same-filled raw.
ALGS="lz4 lzo-rle lzo zstd deflate none"
NPARTS=6

all_offered() {
	local a missing=""
	echo "offered: $1"
	for a in $ALGS; do
		case " $1 " in
		*" $a "*) ;;
		*) missing="$missing $a" ;;
		esac
	done
	[ -z "$missing" ] || {
		echo "not offered:$missing"
		return 1
	}
}

# part_stored N ALG: the pages stored by part N (since the last snapshot) took
# fewer bytes than their size; with "none", every one that is not same-filled
# was stored raw (a huge page of 4096 bytes).
part_stored() {
	local stored compr huge same dp dc dh ds
	stored=$(vs_get stored_pages)
	compr=$(vs_get compr_data_size)
	huge=$(vs_get huge_pages)
	same=$(vs_get same_pages)
	if ! is_uint "$stored" || ! is_uint "$compr" || ! is_uint "$huge" || ! is_uint "$same"; then
		log "counters unreadable: stored=$stored compr=$compr huge=$huge same=$same"
		return 1
	fi
	dp=$((stored - last_stored))
	dc=$((compr - last_compr))
	dh=$((huge - last_huge))
	ds=$((same - last_same))
	last_stored=$stored
	last_compr=$compr
	last_huge=$huge
	last_same=$same
	log "part $1 ($2): +$dp pages stored in +$dc bytes, +$dh raw, +$ds same-filled"
	[ "$dp" -gt 0 ] && [ "$dc" -gt 0 ] || return 1
	if [ "$2" = none ]; then
		[ "$dh" -eq $((dp - ds)) ] && [ "$dc" -eq $((dh * 4096)) ]
	else
		[ "$dc" -lt $((dp * 4096)) ]
	fi
}

test_begin 35
mt=$(mem_ref_kb)
part=$((mt * 1024 / 16 / 4096 * 4096))
require "load vswap" vswap_fresh
check "comp_algorithm offers all of: $ALGS" all_offered "$(offered_comps | tr '\n' ' ')"
cur=$(current_comp)
check "unknown name 'nosuchalg' is refused with EINVAL" vs_write_expect comp_algorithm EINVAL nosuchalg -n
check_str "current algorithm unchanged after the refused write" "$(current_comp)" "$cur"
require "swapon" swap_on

# The FIFO is opened read-write here so neither side blocks on open; a write
# after vswap-mixed died must fail, not kill this shell.
trap '' PIPE
mkfifo "$T_TMP/ctl"
exec 3<>"$T_TMP/ctl"
last_stored=$(vs_get stored_pages)
last_compr=$(vs_get compr_data_size)
last_huge=$(vs_get huge_pages)
last_same=$(vs_get same_pages)
i=0
for alg in $ALGS; do
	i=$((i + 1))
	check "part $i: switch to $alg while swapped on" vs_set comp_algorithm "$alg"
	check_str "part $i: comp_algorithm brackets $alg" "$(current_comp)" "$alg"
	if [ "$i" -eq 1 ]; then
		# Not start_mixed: an asynchronous command gets /dev/null as stdin unless
		# it redirects stdin itself.
		vswap-mixed --size $((NPARTS * part)) --parts "$NPARTS" --step --pageout --seed 55 \
			--mix 5,5,70,20 <&3 >"$T_TMP/mixed.log" 2>&1 &
		MIXED_PID=$!
		log "vswap-mixed in steps of $part bytes (pid $MIXED_PID)"
	else
		echo go >&3 || log "could not release part $i"
	fi
	# Stores through part_compressed's snapshot variables, so not via check's subshell.
	if wait_for_line "$T_TMP/mixed.log" "part $i/$NPARTS paged out, waiting" 120 "$MIXED_PID"; then
		ok "part $i ($alg) filled and paged out"
	else
		not_ok "part $i ($alg) filled and paged out" "see the vswap-mixed output"
	fi
	if part_stored "$i" "$alg"; then
		ok "part $i: data stored as $alg should"
	else
		not_ok "part $i: data stored as $alg should" "see the counters above"
	fi
done

cur=$(current_comp)
check "with pages stored, unknown name 'lz4x' is refused with EINVAL" \
	vs_write_expect comp_algorithm EINVAL lz4x -n
check_str "current algorithm still $cur" "$(current_comp)" "$cur"
echo go >&3 || log "could not release the verification"
exec 3>&-
finish_mixed "$T_TMP/mixed.log"
check "all parts still swapped out before verifying, every page verifies" \
	mixed_verified "$T_TMP/mixed.log" "$MIXED_RC"
check "every part and the whole region were >= 90% swapped" mixed_swapped "$T_TMP/mixed.log" 90
require "swapoff" swap_off
check_drained "after swapoff"
test_end
