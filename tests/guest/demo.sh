#!/bin/sh
# shellcheck shell=dash
# demo.sh: a short, readable tour of vswap for a human at the console.
#
# Loads the module, swaps on with no mkswap, runs a memory-hungry verifying
# workload (vswap-mixed, two processes) inside a cgroup whose memory.max is a
# third of the workload's size, and prints what vswap holds while the
# workload waits: mm_stat, stored/same/huge pages, the compression ratio and
# /proc/swaps. Then swaps off, shows the device drained, and unloads.
# Exit status 0 only if every step worked and every page verified.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. /tests/lib.sh

VSWAP_RESULTS=/tmp/vswap-demo.ktap

banner() {
	echo
	echo "=== $* ==="
}

# Right-aligned name/value rows.
row() {
	printf '  %-28s %16s\n' "$1" "$2"
}

show_state() {
	local snap
	snap=$(stable_counters)
	# shellcheck disable=SC2086 # stored_pages then the 9 mm_stat columns
	set -- $snap
	echo "  mm_stat: $(vs_get mm_stat)"
	row "stored pages" "${1:-?}"
	row "  same-filled pages" "${7:-?}"
	row "  huge (stored raw) pages" "${9:-?}"
	row "original data (MiB)" "$((${2:-0} >> 20))"
	row "compressed data (MiB)" "$((${3:-0} >> 20))"
	row "pool memory used (MiB)" "$((${4:-0} >> 20))"
	row "compression ratio" "$(compr_ratio)"
	row "metadata (bytes)" "$(vs_get meta_bytes)"
	row "compressor" "$(current_comp)"
	echo
	echo "  /proc/swaps:"
	sed 's/^/    /' /proc/swaps
}

# Every step must work; the first failure ends the demo (demo runs inside `if`,
# where set -e does not apply, hence the explicit returns).
demo() {
	local mt size cg_max
	mt=$(mem_total_kb)
	size=$((mt * 1024 / 4))
	cg_max=$((2 * size / 3 / 4096 * 4096))
	mkdir -p "$T_TMP" || return 1
	: >"$VSWAP_RESULTS"

	banner "loading vswap"
	# shellcheck disable=SC2119 # no module parameters: the defaults are the demo
	vswap_fresh || return 1
	row "disksize (MiB)" "$(($(vs_get disksize) >> 20))"
	row "compressors" "$(vs_get comp_algorithm)"

	banner "swapon /dev/vswap (no mkswap: page 0 is a ready swap header)"
	swap_on || return 1
	sed 's/^/    /' /proc/swaps

	banner "workload: 2 x $((size >> 20)) MiB, cgroup memory.max $((cg_max >> 20)) MiB"
	cg_new demo "$cg_max" || return 1
	start_mixed "$T_TMP/demo.log" "CGROUP=$CG" --size "$size" --procs 2 --seed 7 \
		--mix 10,15,60,15 --rounds 2 --hold 10
	reached_hold "$T_TMP/demo.log" 600 || return 1

	banner "vswap while the workload holds its memory"
	show_state

	finish_mixed "$T_TMP/demo.log"
	mixed_verified "$T_TMP/demo.log" "$MIXED_RC" || return 1
	cg_destroy "$CG" || return 1

	banner "swapoff: everything stored is dropped"
	swap_off || return 1
	row "stored pages" "$(vs_get stored_pages)"
	row "pool memory used (bytes)" "$(vs_get mem_used_total)"
	row "metadata (bytes)" "$(vs_get meta_bytes)"

	banner "unloading vswap"
	vswap_unload || return 1
	echo "  done"
}

if demo; then
	banner "demo finished: every page came back intact"
else
	banner "demo FAILED"
	diag
	exit 1
fi
