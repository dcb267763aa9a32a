# shellcheck shell=dash
# lib.sh: shared helpers of the vswap guest tests (sourced by /tests/NN-*.sh and /demo.sh).
#
# Why: every test script reports its checks the same way, reads and writes the
# same sysfs ABI, loads and unloads the same module and builds the same
# cgroups; keeping that here keeps the scripts short and their checks uniform.
#
# Results: each check appends one line to $VSWAP_RESULTS,
#   "ok NAME: CHECK"  or  "not ok NAME: CHECK # REASON",
# and /init numbers them into one flat KTAP list for the whole suite (the
# console shows the script's own count). Progress and diagnostics go to
# stdout, which /init copies to the console.
# Sysfs writes go through vswap-wr (tests/guest/src/vswap-wr.c): one write(2)
# of exact bytes, outcome compared with an expected errno by name.
# The shell is busybox ash: POSIX sh plus `local` and `pipefail`.

# shellcheck disable=SC2034 # used by the scripts that source this file
VSWAP_SYS=/sys/block/vswap
VSWAP_DEV=/dev/vswap
# shellcheck disable=SC2034 # used by the scripts that source this file
PAGE_SIZE=4096
T_NAME=$(basename "$0" .sh)
T_NAME=${T_NAME#[0-9][0-9]-}
VSWAP_RESULTS=${VSWAP_RESULTS:-/tmp/vswap-results/$T_NAME.ktap}
T_TMP=/tmp/vswap-$T_NAME
T_PLAN=0
T_DIAGS=0
T_CGROUPS=""
T_KNOBS=""

# ---- output and results ---------------------------------------------------------

log() {
	echo "[$T_NAME] $*"
}

# One line, no '#' (KTAP directive separator) and no newlines.
_flatten() {
	printf '%s' "$*" | tr '#\n\r\t' '%   '
}

_result() {
	local status=$1 desc reason n line
	desc=$(_flatten "$2")
	reason=$(_flatten "${3:-}")
	n=$(($(wc -l <"$VSWAP_RESULTS") + 1))
	line="$T_NAME: $desc"
	[ -z "$reason" ] || line="$line # $reason"
	echo "$status $line" >>"$VSWAP_RESULTS"
	log "$status $n $line"
}

ok() {
	_result ok "$1"
}

# not_ok CHECK REASON: a failed check; the first few also dump diagnostics.
not_ok() {
	_result "not ok" "$1" "${2:-failed}"
	T_DIAGS=$((T_DIAGS + 1))
	[ "$T_DIAGS" -gt 3 ] || diag
	return 0
}

# All check* functions record their result and return 0: under `set -e` a
# failed check must not end the script (the remaining checks still run).

# _check CHECK CMD [ARGS...]: ok when CMD succeeds; its output goes to the console.
# Returns CMD's success, for require.
_check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc" "exit $rc: $(printf '%s\n' "$out" | tail -n 1)"
	return 1
}

check() {
	_check "$@" || true
}

# require CHECK CMD [ARGS...]: as check, but a failure ends the script (setup steps
# without which the remaining checks mean nothing; /init then reports the script
# as not run to completion and its missing checks as not reported).
require() {
	if ! _check "$@"; then
		log "setup step failed ($1): stopping this script"
		exit 1
	fi
}

is_uint() {
	case ${1:-} in
	'' | *[!0-9]*) return 1 ;;
	*) return 0 ;;
	esac
}

# check_num CHECK A OP B: numeric comparison with test(1) operators (-eq -ne -lt -le -gt -ge).
check_num() {
	local desc=$1 a=$2 op=$3 b=$4
	if ! is_uint "$a" || ! is_uint "$b"; then
		not_ok "$desc" "not numbers: '$a' $op '$b'"
		return 0
	fi
	if test "$a" "$op" "$b"; then
		ok "$desc"
	else
		not_ok "$desc" "got $a, want $op $b"
	fi
}

# check_str CHECK GOT WANT
check_str() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'"
	fi
}

# ---- diagnostics ----------------------------------------------------------------

diag() {
	local f
	echo "---- [$T_NAME] diagnostics ----"
	if [ -d "$VSWAP_SYS" ]; then
		echo "mm_stat: $(cat "$VSWAP_SYS/mm_stat" 2>&1)"
		for f in disksize comp_algorithm mem_limit stored_pages same_pages huge_pages \
			compr_data_size mem_used_total meta_bytes failed_reads failed_writes \
			miss_free notify_free; do
			echo "$f: $(cat "$VSWAP_SYS/$f" 2>&1)"
		done
	else
		echo "$VSWAP_SYS absent (module loaded: $(vswap_loaded && echo yes || echo no))"
	fi
	echo "/proc/swaps:"
	cat /proc/swaps
	grep -E '^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree|AnonPages|Slab):' /proc/meminfo
	grep -E '^(pswpin|pswpout|swpout_zero|swpin_zero) ' /proc/vmstat || true
	echo "dmesg (tail):"
	dmesg | tail -n 25
	echo "---- end of diagnostics ----"
}

# ---- sysfs ----------------------------------------------------------------------

# vs_get ATTR: the attribute's value, or "unreadable(...)" (never fails, so a missing
# attribute becomes a failed check rather than an aborted script).
vs_get() {
	local v
	if v=$(cat "$VSWAP_SYS/$1" 2>&1); then
		printf '%s\n' "$v"
	else
		printf 'unreadable(%s)\n' "$(_flatten "$v")"
	fi
}

# vs_set ATTR VALUE: write VALUE plus newline in one write(2); fails unless fully taken.
vs_set() {
	vswap-wr -n -- "$VSWAP_SYS/$1" "$2"
}

# vs_write_expect ATTR EXPECT VALUE [vswap-wr options]: write VALUE (no newline unless
# -n is given) and require the outcome EXPECT (ok, fail or an errno name).
vs_write_expect() {
	local attr=$1 expect=$2 value=$3
	shift 3
	vswap-wr "$@" -e "$expect" -- "$VSWAP_SYS/$attr" "$value"
}

# mm_stat_col N: column N (1-based) of mm_stat.
mm_stat_col() {
	awk -v c="$1" '{ print $c }' "$VSWAP_SYS/mm_stat" 2>/dev/null || echo unreadable
}

# The bracketed (current) entry of comp_algorithm.
current_comp() {
	vs_get comp_algorithm | tr ' ' '\n' | sed -n 's/^\[\(.*\)\]$/\1/p'
}

# All entries of comp_algorithm, brackets removed, one per line.
offered_comps() {
	vs_get comp_algorithm | tr ' ' '\n' | tr -d '[]' | grep . || true
}

# compr_ratio: orig_data_size / compr_data_size from mm_stat, two decimals.
compr_ratio() {
	awk '{ if ($2 > 0) printf "%.2f\n", $1 / $2; else print "inf" }' "$VSWAP_SYS/mm_stat"
}

# stable_counters: prints "stored mm_stat..." once two reads of stored_pages around
# mm_stat agree (the counters move while anything swaps), after at most 10 tries.
stable_counters() {
	local i a b m
	for i in 1 2 3 4 5 6 7 8 9 10; do
		a=$(vs_get stored_pages)
		m=$(vs_get mm_stat)
		b=$(vs_get stored_pages)
		if [ "$a" = "$b" ]; then
			echo "$a $m"
			return 0
		fi
		sleep 0.2
	done
	echo "$b $m"
}

# ---- memory ---------------------------------------------------------------------

meminfo_kb() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

mem_total_kb() {
	meminfo_kb MemTotal
}

# Tests size their data from mem_ref_kb: MemTotal divided by vswaptest.scale=N
# (1 unless given): lanes that need coverage more than volume (the debug
# kernel, 10-15 times slower under TCG; the kernels besides 6.12, see
# CHECK_SCALES in scripts/check.sh) move less data through the same code
# paths. Scripts whose size or duration is fixed divide it by VSWAP_SCALE.
# REF_MEM names the reference in check descriptions.
scale_normalize() {
	case $1 in
	'' | 0 | *[!0-9]*) echo 1 ;;
	*) echo "$1" ;;
	esac
}
VSWAP_SCALE=$(scale_normalize "${VSWAP_SCALE:-}")
VSWAP_INTEGRITY_SCALE=$(scale_normalize "${VSWAP_INTEGRITY_SCALE:-}")

ref_mem_name() {
	if [ "$VSWAP_SCALE" -eq 1 ]; then
		REF_MEM=MemTotal
	else
		REF_MEM="MemTotal/$VSWAP_SCALE"
	fi
}
ref_mem_name

# use_integrity_scale: for the scripts that prove a volume the spec names on
# every kernel (30 and 35: mixed content totalling at least 3 x guest RAM;
# 76: 3 x guest RAM through the device under a pool limit that forces
# writeback): from here on the scale is vswaptest.integrity_scale= (1 unless
# given; the debug lane's kernel sets it, coverage over volume).
use_integrity_scale() {
	VSWAP_SCALE=$VSWAP_INTEGRITY_SCALE
	ref_mem_name
}

mem_ref_kb() {
	echo $(($(mem_total_kb) / VSWAP_SCALE))
}

# MemAvailable after dropping clean caches and shrinking every slab cache (so
# that neither the page cache nor empty slabs parked on per-CPU lists add noise).
mem_available_kb() {
	local f
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do
		[ -e "$f" ] || continue
		echo 1 >"$f" 2>/dev/null || true
	done
	meminfo_kb MemAvailable
}

vmstat_val() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat || true
}

# ---- module and swap ------------------------------------------------------------

vswap_loaded() {
	[ -d /sys/module/vswap ]
}

# wait_until SECONDS CMD...: poll CMD every 0.2 s.
wait_until() {
	local limit=$(($1 * 5)) i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || return 1
		sleep 0.2
	done
}

_dev_ready() {
	[ -b "$VSWAP_DEV" ] && [ -d "$VSWAP_SYS" ]
}

_dev_gone() {
	! vswap_loaded && [ ! -e "$VSWAP_DEV" ] && [ ! -e "$VSWAP_SYS" ]
}

# vswap_load [PARAM=VALUE...]: modprobe and wait for /dev/vswap.
vswap_load() {
	modprobe vswap "$@" || return 1
	wait_until 10 _dev_ready || {
		echo "vswap loaded but $VSWAP_DEV / $VSWAP_SYS did not appear"
		return 1
	}
}

# vswap_unload: swap off if needed, modprobe -r and wait until everything is gone.
vswap_unload() {
	if swapped_on; then
		swapoff "$VSWAP_DEV" || return 1
	fi
	vswap_loaded || return 0
	modprobe -r vswap || return 1
	wait_until 10 _dev_gone || {
		echo "vswap unloaded but $VSWAP_DEV or $VSWAP_SYS is still there"
		return 1
	}
}

# vswap_fresh [PARAM=VALUE...]: a newly loaded module (empty device, defaults).
vswap_fresh() {
	vswap_unload && vswap_load "$@"
}

swapped_on() {
	grep -q "^$VSWAP_DEV " /proc/swaps
}

swap_on() {
	swapon "$VSWAP_DEV" && swapped_on
}

swap_off() {
	swapoff "$VSWAP_DEV" && ! swapped_on
}

# Size column (KiB) of /dev/vswap in /proc/swaps.
swaps_size_kb() {
	awk -v d="$VSWAP_DEV" '$1 == d { print $3 }' /proc/swaps
}

_drained() {
	[ "$(vs_get stored_pages)" = 0 ] && [ "$(vs_get mem_used_total)" = 0 ] &&
		[ "$(vs_get meta_bytes)" = 0 ]
}

# check_drained CONTEXT: stored_pages, mem_used_total and meta_bytes all read 0
# (polled for up to 5 s: zsmalloc may free empty zspages from a work item).
check_drained() {
	local desc="$1: device drained (stored_pages, mem_used_total, meta_bytes all 0)"
	if wait_until 5 _drained; then
		ok "$desc"
	else
		not_ok "$desc" "stored_pages=$(vs_get stored_pages) mem_used_total=$(vs_get mem_used_total) meta_bytes=$(vs_get meta_bytes)"
	fi
}

# ---- cgroups ----------------------------------------------------------------------

# Parent of this script's cgroups: /init gives each script its own (VSWAP_CG) with
# the memory controller enabled for children; run by hand, make one.
cg_base() {
	if [ -n "${VSWAP_CG:-}" ]; then
		echo "$VSWAP_CG"
		return 0
	fi
	grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p /sys/fs/cgroup/vswap-manual
	grep -qw memory /sys/fs/cgroup/vswap-manual/cgroup.subtree_control ||
		echo +memory >/sys/fs/cgroup/vswap-manual/cgroup.subtree_control
	echo /sys/fs/cgroup/vswap-manual
}

# cg_new NAME MEMORY_MAX: create a memory-limited cgroup; sets CG to its path.
cg_new() {
	CG=$(cg_base)/$1
	mkdir "$CG" || return 1
	T_CGROUPS="$T_CGROUPS $CG"
	echo "$2" >"$CG/memory.max" || return 1
	log "cgroup $CG memory.max=$(cat "$CG/memory.max")"
}

# require_cgroup NAME MEMORY_MAX: cg_new as a required setup step (runs in this
# shell, unlike require, so CG stays set).
require_cgroup() {
	local desc="memory-limited cgroup $1 (memory.max $2)"
	if cg_new "$1" "$2"; then
		ok "$desc"
	else
		not_ok "$desc" "could not create it"
		exit 1
	fi
}

# cg_exec CGROUP CMD [ARGS...]: run CMD inside CGROUP (in the foreground).
cg_exec() {
	# shellcheck disable=SC2016 # $0 and $@ belong to the inner shell
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$@"
}

_cg_empty() {
	grep -q '^populated 0' "$1/cgroup.events"
}

cg_destroy() {
	[ -d "$1" ] || return 0
	[ ! -e "$1/cgroup.kill" ] || echo 1 >"$1/cgroup.kill"
	wait_until 10 _cg_empty "$1" || return 1
	rmdir "$1"
}

# cg_event CGROUP KEY: a counter from memory.events.
cg_event() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/memory.events" 2>/dev/null || echo unreadable
}

# ---- background jobs --------------------------------------------------------------

# wait_for_line FILE PATTERN SECONDS PID: wait until FILE has PATTERN (grep -E);
# fails early if process PID ends first.
wait_for_line() {
	local file=$1 pattern=$2 limit=$(($3 * 5)) pid=$4 i=0
	while ! grep -qE "$pattern" "$file" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			grep -qE "$pattern" "$file" 2>/dev/null && return 0
			echo "process $pid ended before '$pattern' appeared in $file"
			return 1
		fi
		i=$((i + 1))
		if [ "$i" -ge "$limit" ]; then
			echo "timed out waiting for '$pattern' in $file"
			return 1
		fi
		sleep 0.2
	done
}

# summary_field FILE KEY: KEY=VALUE from the last "vswap-mixed: total" line of FILE
# (empty if there is none).
summary_field() {
	awk -v k="$2=" '/^vswap-mixed: total / { line = $0 }
		END { n = split(line, f, " "); for (i = 1; i <= n; i++)
			if (index(f[i], k) == 1) print substr(f[i], length(k) + 1) }' "$1" 2>/dev/null || true
}

# summary_num FILE KEY: as summary_field, 0 when missing or not a number.
summary_num() {
	local v
	v=$(summary_field "$1" "$2")
	is_uint "$v" || v=0
	echo "$v"
}

# ---- vswap-mixed runs -------------------------------------------------------------

# start_mixed LOG [CGROUP=path] ARGS...: vswap-mixed in the background (inside CGROUP
# if given), output to LOG; sets MIXED_PID.
start_mixed() {
	local log=$1
	shift
	case ${1:-} in
	CGROUP=*)
		local cg=${1#CGROUP=}
		shift
		cg_exec "$cg" vswap-mixed "$@" >"$log" 2>&1 &
		;;
	*)
		vswap-mixed "$@" >"$log" 2>&1 &
		;;
	esac
	MIXED_PID=$!
	log "vswap-mixed $* (pid $MIXED_PID, output in $log)"
}

# finish_mixed LOG: wait for the run started last, show its output; sets MIXED_RC.
finish_mixed() {
	MIXED_RC=0
	wait "$MIXED_PID" || MIXED_RC=$?
	sed 's/^/  | /' "$1"
	log "vswap-mixed exit status $MIXED_RC"
}

# mixed_verified LOG RC: every page verified (no mismatch, no error).
mixed_verified() {
	local mm
	mm=$(summary_field "$1" mismatches)
	echo "exit status $2, mismatches=${mm:-none reported}"
	[ "$mm" = 0 ] && { [ "$2" -eq 0 ] || [ "$2" -eq 3 ]; }
}

# mixed_swapped LOG MIN: every pageout left at least MIN percent of pages swapped.
mixed_swapped() {
	local pct n
	pct=$(summary_field "$1" min_swapped_pct)
	n=$(summary_field "$1" pageouts)
	echo "pageouts=${n:-none reported} min_swapped_pct=${pct:-none reported} (want >= $2)"
	is_uint "$pct" && is_uint "$n" && [ "$n" -gt 0 ] && [ "$pct" -ge "$2" ]
}

# reached_hold LOG SECONDS: wait until the run started last is in its hold.
reached_hold() {
	wait_for_line "$1" '^vswap-mixed: holding' "$2" "$MIXED_PID"
}

# ---- kernel knobs -------------------------------------------------------------------

# current_knob FILE: a kernel setting's value; FILE shows either one value or a
# list with the current one in brackets.
current_knob() {
	local v
	v=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$1" 2>/dev/null || true)
	[ -n "$v" ] || v=$(cat "$1" 2>/dev/null || echo unreadable)
	echo "$v"
}

# set_knob FILE VALUE: write a kernel setting (in this shell, not a subshell),
# restored when the script exits. Check the effect with current_knob.
set_knob() {
	local was
	was=$(current_knob "$1")
	T_KNOBS="$T_KNOBS $1=$was"
	if echo "$2" >"$1"; then
		log "$1: '$was' -> '$2'"
	else
		log "$1: could not write '$2'"
		return 1
	fi
}

# ---- script lifecycle ---------------------------------------------------------------

# test_begin PLAN: PLAN is the number of checks the script reports on success and
# failure alike; test_end reports a mismatch (a path that skipped checks).
# Write it as a literal number on a line of its own ("test_begin 12"): /init
# reads it from the script before running it to announce the suite's plan.
test_begin() {
	T_PLAN=$1
	mkdir -p "$(dirname "$VSWAP_RESULTS")" "$T_TMP"
	: >"$VSWAP_RESULTS"
	trap _test_cleanup EXIT
	log "start: lane $(cat /etc/vswap-lane 2>/dev/null || echo '?'), kernel $(uname -r)," \
		"MemTotal $(mem_total_kb) kB, $T_PLAN checks planned"
}

test_end() {
	local n
	n=$(wc -l <"$VSWAP_RESULTS")
	if [ "$n" -eq "$T_PLAN" ]; then
		ok "all $T_PLAN planned checks reported"
	else
		not_ok "all $T_PLAN planned checks reported" "reported $n"
	fi
	log "done: $(grep -c '^ok' "$VSWAP_RESULTS") ok, $(grep -c '^not ok' "$VSWAP_RESULTS") not ok"
	exit 0
}

_test_cleanup() {
	local p cg
	set +e
	for p in $(jobs -p); do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for cg in $T_CGROUPS; do
		cg_destroy "$cg" || log "cleanup: could not remove cgroup $cg"
	done
	if swapped_on; then
		swapoff "$VSWAP_DEV" || log "cleanup: swapoff $VSWAP_DEV failed"
	fi
	for p in $T_KNOBS; do
		echo "${p#*=}" >"${p%%=*}" || log "cleanup: could not restore ${p%%=*}"
	done
}

# ---- slab objects ----------------------------------------------------------------

# slab_in_use CACHE: objects of CACHE allocated now: /proc/slabinfo's active
# objects plus those KFENCE holds. KFENCE (kfence.sample_interval=10 on every
# guest) serves the first slab allocation after each interval from its own
# pool, which slabinfo does not count; when vswap's allocations are the only
# ones in a stretch (raw pages take no slab object), most of them are that
# first one.
slab_in_use() {
	local f=/sys/kernel/debug/kfence/objects kf=0 active
	active=$(awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo)
	is_uint "$active" || return 1
	# An object's block starts "kfence-#N: ..., cache=NAME"; a freed one has a
	# "freed by task" (or "rcu freeing by task") stack after its allocation's.
	[ ! -r "$f" ] || kf=$(awk -v c="cache=$1" '
		function done() { if (mine && !freed) n++ }
		/^kfence-#/ { done(); mine = ($NF == c); freed = 0; next }
		/^(freed|rcu freeing) by task/ { freed = 1 }
		END { done(); print n + 0 }' "$f")
	echo $((active + kf))
}

# ---- lower tiers (the writeback tests) ------------------------------------------

_is_blk() {
	[ -b "$1" ]
}

# virtio_disk DISK: the virtio disk DISK is there.
virtio_disk() {
	modprobe virtio_pci 2>/dev/null || true
	modprobe virtio_blk || return 1
	wait_until 10 _is_blk "$1" || {
		echo "$1 did not appear (does the harness attach the scratch disks?)"
		return 1
	}
}

# disk_setup: a fresh ext4 on $DISK mounted on $MNT (both set by the test).
disk_setup() {
	virtio_disk "$DISK" || return 1
	modprobe ext4 || return 1
	mkfs.ext4 -q -F -b 4096 -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 "$DISK" ||
		return 1
	mkdir -p "$MNT"
	mount -t ext4 "$DISK" "$MNT"
}

# tier_col PATH COL: lower_tiers column COL (1 id, 2 path, 3 priority, 4 size,
# 5 used, 6 written, 7 reads, 8 errors, 9 state) of tier PATH.
tier_col() {
	vs_get lower_tiers | awk -v p="$1" -v c="$2" 'NR > 1 && $2 == p { print $c }'
}

tier_paths() {
	vs_get lower_tiers | awk 'NR > 1 { print $2 }'
}

remove_all_tiers() {
	local p
	for p in $(tier_paths); do
		vs_set lower_remove "$p" || return 1
	done
	[ -z "$(tier_paths)" ]
}

# tiers_cleanup: for a writeback test's EXIT trap: detach every tier, unload
# vswap, unmount $MNT if the test mounted it (tiers pin their files, the files
# keep the filesystem busy).
tiers_cleanup() {
	if vswap_loaded; then
		remove_all_tiers >/dev/null 2>&1
		vswap_unload || log "cleanup: could not unload vswap"
	fi
	if [ -n "${MNT:-}" ] && grep -q " $MNT " /proc/mounts; then
		umount "$MNT" || log "cleanup: could not unmount $MNT"
	fi
}

# sub A B: A - B, or "n/a" unless both are numbers (check_num then fails).
sub() {
	if is_uint "$1" && is_uint "$2"; then
		echo $(($1 - $2))
	else
		echo n/a
	fi
}

# rand_file FILE PAGES: incompressible data.
rand_file() {
	dd if=/dev/urandom of="$1" bs=4096 count="$2" 2>/dev/null &&
		[ "$(stat -c %s "$1")" -eq $(($2 * 4096)) ]
}

# dev_write FILE PAGE: FILE to /dev/vswap at page PAGE, direct I/O.
dev_write() {
	dd if="$1" of="$VSWAP_DEV" bs=4096 seek="$2" oflag=direct conv=notrunc
}

# write_random FILE PAGES AT: PAGES of random data to FILE and to /dev/vswap at page AT.
write_random() {
	rand_file "$1" "$2" && dev_write "$1" "$3"
}

# dev_matches FILE PAGE: /dev/vswap from page PAGE reads back as FILE (direct I/O).
dev_matches() {
	local pages
	pages=$(($(stat -c %s "$1") / 4096))
	rm -f "$T_TMP/back"
	dd if="$VSWAP_DEV" of="$T_TMP/back" bs=4096 skip="$2" count="$pages" iflag=direct ||
		return 1
	cmp "$1" "$T_TMP/back"
}

# fails_with MESSAGE CMD...: CMD fails and its output names MESSAGE (the strerror
# text, for errnos vswap-wr has no name for: ETXTBSY, EDQUOT).
fails_with() {
	local msg=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	echo "$out"
	[ "$rc" -ne 0 ] || {
		echo "succeeded, want failure ($msg)"
		return 1
	}
	case $out in
	*"$msg"*) return 0 ;;
	*)
		echo "failed, but not with '$msg'"
		return 1
		;;
	esac
}
