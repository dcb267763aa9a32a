#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 74-wb-stalls.sh: no store, swap-in or reclaimer waits for an unbounded
# time behind writeback: a store at mem_limit does not wait for a whole
# drain, a swap-in does not wait for another page's lower-tier read, and
# admin writeback racing stores at mem_limit under memory pressure neither
# deadlocks nor loses data.
#
# Why: swap-out runs inside reclaim and swap-in inside page faults: a wait
# there for seconds is a stalled machine (issue 9). Each part orders two
# things (never a timed assertion): what must finish while something slow
# is still running. The slow thing is a tier over dm-delay on /dev/vdb.
#   a) store vs drain: tier A (dm-delay, reads delayed so that draining it
#      takes ~30 s) holds P1's pages; P2's pages fill the pool and mem_limit
#      is set to what the pool holds; tier B is attached, and while
#      `lower_remove A` drains A into B, P3 pages out compressible data:
#      P3's page-out must end while lower_remove still runs (a store may
#      wait for writeback briefly, then fails and the swap core keeps the
#      page); all data verifies afterwards.
#   b) swap-in head of line: PA and PB pinned to CPU 0; PA's 2 pages are on
#      tier A, whose reads then take 8 s; PB's pages are in vswap's memory.
#      PA starts refaulting; once its read is in flight PB reads its pages
#      back: PB must be done before PA has its first page back.
#   c) reclaim: two workloads in a memory-limited cgroup swap at mem_limit
#      (wb_high 100: every store over the limit waits) while a loop runs `idle all`, `writeback idle`, `writeback all`,
#      `compact` and `lower_migrate` both ways on two tiers (A's writes
#      delayed); hung_task_timeout_secs is 20 for the whole script, so a
#      reclaimer stuck behind writeback is reported (and fails the lane).
#      Everything must finish and verify. (A true deadlock was not provoked
#      reliably here: part c is a regression guard.)
# Figures: the worst store and swap-in latencies (FIGURE lines).
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

LOWER_DISK=/dev/vdb
DM_A=vs74a
DM_B=vs74b
TIER_A=/dev/mapper/$DM_A
TIER_B=/dev/mapper/$DM_B
# Part a: how long the drain of A should take (ms), spread over its segments.
DRAIN_MS=40000
# Part b: PA's read delay (ms) and page counts.
READ_DELAY_MS=8000
PA_PAGES=2
# Part c: A's write delay (ms per bio).
WRITE_DELAY_MS=20
# dm tables of A, set once the disk's size is known.
A_FAST=

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

lower_disk_ready() {
	virtio_disk "$LOWER_DISK" || return 1
	command -v dmsetup || return 1
	modprobe dm_mod && modprobe dm_delay
}

dmsetup_() {
	dmsetup --noudevsync "$@"
}

# dm_create NAME TABLE
dm_create() {
	dmsetup_ create "$1" --table "$2" || return 1
	[ -b "/dev/mapper/$1" ] || dmsetup_ mknodes "$1" || return 1
	dmsetup_ table "$1"
	[ -b "/dev/mapper/$1" ]
}

dm_exists() {
	dmsetup_ info "$1" >/dev/null 2>&1
}

# dm_table NAME TABLE: swap the live table.
dm_table() {
	dmsetup_ suspend "$1" || return 1
	if ! dmsetup_ load "$1" --table "$2"; then
		dmsetup_ resume "$1"
		return 1
	fi
	dmsetup_ resume "$1" || return 1
	dmsetup_ table "$1"
}

# a_delay READ_MS WRITE_MS: A's table, a delay target over the first half of the disk.
a_delay() {
	echo "0 $HALF delay $LOWER_DISK 0 $1 $LOWER_DISK 0 $2"
}

# The /sys/block directory of dm device NAME.
dm_sysdir() {
	local d
	for d in /sys/block/dm-*; do
		[ "$(cat "$d/dm/name" 2>/dev/null)" != "$1" ] || {
			echo "$d"
			return 0
		}
	done
	return 1
}

# Reads A has started: completed (stat field 1) plus in flight.
a_reads_started() {
	local d
	d=$(dm_sysdir "$DM_A") || {
		echo n/a
		return 0
	}
	echo $(($(awk '{ print $1 }' "$d/stat") + $(awk '{ print $1 }' "$d/inflight")))
}

a_reads_beyond() {
	local n
	n=$(a_reads_started)
	is_uint "$n" && [ "$n" -gt "$1" ]
}

# lat_field LOG LINE KEY: KEY=VALUE from the last "vswap-lat: LINE" of LOG.
lat_field() {
	awk -v l="vswap-lat: $2 " -v k="$3=" 'index($0, l) == 1 { line = $0 }
		END { n = split(line, f, " "); for (i = 1; i <= n; i++)
			if (index(f[i], k) == 1) print substr(f[i], length(k) + 1) }' "$1" 2>/dev/null ||
		true
}

# start_lat NAME FD ARGS...: vswap-lat reading its go line from FD, output in
# $T_TMP/NAME.log; sets LAT_PID.
start_lat() {
	local name=$1 fd=$2
	shift 2
	case $fd in
	3) vswap-lat "$@" --hold <&3 >"$T_TMP/$name.log" 2>&1 & ;;
	4) vswap-lat "$@" --hold <&4 >"$T_TMP/$name.log" 2>&1 & ;;
	5) vswap-lat "$@" --hold <&5 >"$T_TMP/$name.log" 2>&1 & ;;
	*) vswap-lat "$@" --hold <&6 >"$T_TMP/$name.log" 2>&1 & ;;
	esac
	LAT_PID=$!
	log "$name: vswap-lat $* (pid $LAT_PID, output in $T_TMP/$name.log)"
}

# lat_held NAME PID: the run paged out and holds.
lat_held() {
	wait_for_line "$T_TMP/$1.log" '^vswap-lat: holding' 600 "$2" || return 1
	grep '^vswap-lat: paged out' "$T_TMP/$1.log"
}

# lat_wait NAME PID: wait for the run to end (in this shell: it is our
# child), show its output; sets LAT_RC.
lat_wait() {
	LAT_RC=0
	wait "$2" || LAT_RC=$?
	sed 's/^/  | /' "$T_TMP/$1.log"
}

# lat_verified NAME RC: the run verified every page.
lat_verified() {
	echo "$1: exit status $2, mismatches=$(lat_field "$T_TMP/$1.log" 'read back' mismatches)"
	[ "$2" -eq 0 ] && [ "$(lat_field "$T_TMP/$1.log" 'read back' mismatches)" = 0 ]
}

# A's drain is still running: its writer has not recorded its exit status.
drain_running() {
	[ ! -e "$T_TMP/remove.rc" ]
}

# pb_first: PB has read every page back while PA has not got its first page.
pb_first() {
	local pa_first=no
	wait_for_line "$T_TMP/pb.log" '^vswap-lat: read back' 300 "$PB" || return 1
	! grep -q '^vswap-lat: page 0 back' "$T_TMP/pa.log" || pa_first=yes
	echo "PB done; PA had its first page back already: $pa_first"
	[ "$pa_first" = no ]
}

pa_reading() {
	a_reads_beyond "$1" ||
		[ "$(awk '{ print $3 }' "/proc/$PA/stat" 2>/dev/null)" = D ]
}

# The admin loop of part c, until $T_TMP/stop exists: counts in $T_TMP/admin.*.
admin_op() {
	local out rc=0
	out=$(vswap-wr -n "$VSWAP_SYS/$1" "$2" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "$1 $2" >>"$T_TMP/admin.ok"
		return 0
	fi
	case $out in
	*ENOSPC* | *"No space"*) echo "$1 $2" >>"$T_TMP/admin.nospc" ;;
	*) echo "$1 $2: $out" >>"$T_TMP/admin.bad" ;;
	esac
}

admin_loop() {
	while [ ! -e "$T_TMP/stop" ]; do
		admin_op idle all
		admin_op writeback idle
		admin_op writeback all
		admin_op compact 1
		admin_op lower_migrate "$TIER_A"
		admin_op lower_migrate "$TIER_B"
	done
	echo "done" >"$T_TMP/admin.done"
}

dm_remove_both() {
	dmsetup_ remove "$DM_A" && dmsetup_ remove "$DM_B" || return 1
	dmsetup_ mknodes
	! dm_exists "$DM_A" && ! dm_exists "$DM_B"
}

lines_of() {
	if [ -e "$1" ]; then
		wc -l <"$1"
	else
		echo 0
	fi
}

stalls_cleanup() {
	set +e
	_test_cleanup
	exec 3>&- 4>&- 5>&- 6>&-
	if [ -n "$A_FAST" ] && dm_exists "$DM_A"; then
		dm_table "$DM_A" "$A_FAST" >/dev/null 2>&1
	fi
	tiers_cleanup
	for d in "$DM_A" "$DM_B"; do
		if dm_exists "$d"; then
			dmsetup_ remove "$d" || log "cleanup: could not remove $d"
		fi
	done
}

test_begin 61
trap stalls_cleanup EXIT
mt=$(mem_ref_kb)
# PB reads its pages back within PA's read delay even on the slow debug lane.
PB_PAGES=$((2048 / VSWAP_SCALE))
require "load vswap" vswap_fresh
require "$LOWER_DISK present, dm-mod and dm-delay loaded" lower_disk_ready
SECTORS=$(blockdev --getsz "$LOWER_DISK")
HALF=$((SECTORS / 2))
A_FAST=$(a_delay 0 0)
require "dm $DM_A: delay (none yet) over the first half of $LOWER_DISK" \
	dm_create "$DM_A" "$A_FAST"
require "dm $DM_B: linear over the second half of $LOWER_DISK" \
	dm_create "$DM_B" "0 $((SECTORS - HALF)) linear $LOWER_DISK $HALF"
check "segment_size 64K accepted" vs_set segment_size 64K
require "lower_add $TIER_A" vs_set lower_add "$TIER_A"
# In this shell (not through check): set_knob records the value to restore.
if set_knob /proc/sys/kernel/hung_task_timeout_secs 20 &&
	[ "$(current_knob /proc/sys/kernel/hung_task_timeout_secs)" = 20 ]; then
	ok "hung_task_timeout_secs 20"
else
	not_ok "hung_task_timeout_secs 20" "could not set it"
fi
require "swapon" swap_on
trap '' PIPE
mkfifo "$T_TMP/c3" "$T_TMP/c4" "$T_TMP/c5" "$T_TMP/c6"
exec 3<>"$T_TMP/c3" 4<>"$T_TMP/c4" 5<>"$T_TMP/c5" 6<>"$T_TMP/c6"

# ---- a) a store at mem_limit during a long drain ----
p1_pages=$((mt / 12 / 4))
p2_pages=$((mt / 16 / 4))
p3_pages=$((mt / 4 / 4))
[ "$p3_pages" -le 12288 ] || p3_pages=12288
start_lat p1 3 --pages "$p1_pages" --seed 741 --mix 0,0,0,100
P1=$LAT_PID
check "a: P1 paged out $p1_pages random pages, holding" lat_held p1 "$P1"
check "a: writeback all puts P1's pages on A" vs_set writeback all
segs=$(($(tier_col "$TIER_A" 5) / 65536))
log "a: lower_pages=$(vs_get lower_pages) stored_pages=$(vs_get stored_pages), A uses $segs segments"
check_num "a: A holds >= 32 segments" "$segs" -ge 32
delay=2000
[ "$segs" -eq 0 ] || delay=$((DRAIN_MS / segs))
[ "$delay" -ge 20 ] || delay=20
[ "$delay" -le 2000 ] || delay=2000
start_lat p2 4 --pages "$p2_pages" --seed 742 --mix 0,10,90,0
P2=$LAT_PID
check "a: P2 paged out $p2_pages compressible pages into the pool, holding" lat_held p2 "$P2"
pool=$(vs_get mem_used_total)
check "a: mem_limit set to what the pool holds ($pool)" vs_set mem_limit "$pool"
require "a: lower_add $TIER_B" vs_set lower_add "$TIER_B"
check "a: A's reads delayed $delay ms (x $segs segments)" dm_table "$DM_A" "$(a_delay "$delay" 0)"
waits0=$(vs_get wb_waits)
fw0=$(vs_get failed_writes)
rs0=$(a_reads_started)
rm -f "$T_TMP/remove.rc"
(
	rc=0
	vs_set lower_remove "$TIER_A" >"$T_TMP/remove.log" 2>&1 || rc=$?
	echo "$rc" >"$T_TMP/remove.rc"
) &
REMOVER=$!
log "a: lower_remove $TIER_A started (pid $REMOVER)"
check "a: the drain is reading A" wait_until 60 a_reads_beyond "$rs0"
# progress: the drain's line, in segments, while it runs
prog=$(grep "^drain $TIER_A " "$VSWAP_SYS/progress" || true)
log "a: progress during the drain: ${prog:-(no line)}"
set -- $prog
check_str "a: progress names the drain of A, in segments" "$1 $2 $5" "drain $TIER_A segments"
check_num "a: progress total = A's segments in use at the start" "${4:-0}" -eq "$segs"
check_num "a: progress done <= total" "${3:-999999}" -le "${4:-0}"
start_lat p3 5 --pages "$p3_pages" --seed 743 --mix 0,10,90,0
P3=$LAT_PID
check "a: P3 paged out $p3_pages compressible pages" lat_held p3 "$P3"
if drain_running; then
	ok "a: P3's page-out finished while lower_remove was still draining A"
else
	not_ok "a: P3's page-out finished while lower_remove was still draining A" \
		"lower_remove returned first (status $(cat "$T_TMP/remove.rc"))"
fi
wait "$REMOVER" || true
check_str "a: lower_remove of A succeeded" "$(cat "$T_TMP/remove.rc" 2>/dev/null)" 0
check_str "a: progress lists no operation once the drain is over" \
	"$(cat "$VSWAP_SYS/progress")" "operation target done total unit"
log "FIGURE a: worst store latency during the drain: $(lat_field "$T_TMP/p3.log" 'paged out' pageout_max_us) us" \
	"(P3: $p3_pages pages, $(lat_field "$T_TMP/p3.log" 'paged out' swapped) swapped," \
	"page-out total $(lat_field "$T_TMP/p3.log" 'paged out' pageout_total_us) us);" \
	"wb_waits +$(sub "$(vs_get wb_waits)" "$waits0") failed_writes +$(sub "$(vs_get failed_writes)" "$fw0")"
check_str "a: lower_tiers lists B only" "$(tier_paths)" "$TIER_B"
check "a: mem_limit lifted" vs_set mem_limit 0
echo go >&5
lat_wait p3 "$P3"
check "a: P3 verifies byte for byte" lat_verified p3 "$LAT_RC"
echo go >&3
lat_wait p1 "$P1"
check "a: P1 verifies byte for byte (from B)" lat_verified p1 "$LAT_RC"
echo go >&4
lat_wait p2 "$P2"
check "a: P2 verifies byte for byte" lat_verified p2 "$LAT_RC"
check "a: lower_remove $TIER_B" vs_set lower_remove "$TIER_B"

# ---- b) a swap-in never waits for another page's lower read ----
check "b: A's table without delay" dm_table "$DM_A" "$A_FAST"
require "b: lower_add $TIER_A again" vs_set lower_add "$TIER_A"
start_lat pa 3 --pages "$PA_PAGES" --seed 744 --mix 0,0,0,100 --cpu 0
PA=$LAT_PID
check "b: PA (CPU 0) paged out $PA_PAGES random pages, holding" lat_held pa "$PA"
check "b: writeback all puts PA's pages on A" vs_set writeback all
check_num "b: lower_pages >= $PA_PAGES" "$(vs_get lower_pages)" -ge "$PA_PAGES"
start_lat pb 4 --pages "$PB_PAGES" --seed 745 --mix 0,10,90,0 --cpu 0
PB=$LAT_PID
check "b: PB (CPU 0) paged out $PB_PAGES compressible pages, holding" lat_held pb "$PB"
check_num "b: PB's pages are in vswap's memory (swapped=$PB_PAGES)" \
	"$(lat_field "$T_TMP/pb.log" 'paged out' swapped)" -eq "$PB_PAGES"
check "b: A's reads delayed $READ_DELAY_MS ms" dm_table "$DM_A" "$(a_delay "$READ_DELAY_MS" 0)"
rf0=$(vs_get wb_refaults)
rs0=$(a_reads_started)
echo go >&3
check "b: PA's first refault is reading A" wait_until 60 pa_reading "$rs0"
echo go >&4
check "b: PB read all its pages back before PA had its first page" pb_first
lat_wait pb "$PB"
check "b: PB verifies byte for byte" lat_verified pb "$LAT_RC"
lat_wait pa "$PA"
check "b: PA verifies byte for byte" lat_verified pa "$LAT_RC"
log "FIGURE b: worst swap-in of PB (pages in memory) next to PA's lower read:" \
	"$(lat_field "$T_TMP/pb.log" 'read back' read_max_us) us, total" \
	"$(lat_field "$T_TMP/pb.log" 'read back' read_total_us) us for $PB_PAGES pages;" \
	"PA worst $(lat_field "$T_TMP/pa.log" 'read back' read_max_us) us"
check_num "b: exactly PA's $PA_PAGES pages refaulted from A (wb_refaults)" \
	"$(sub "$(vs_get wb_refaults)" "$rf0")" -eq "$PA_PAGES"

# ---- c) admin writeback racing stores at mem_limit under memory pressure ----
check "c: A's writes delayed $WRITE_DELAY_MS ms" dm_table "$DM_A" "$(a_delay 0 "$WRITE_DELAY_MS")"
require "c: lower_add $TIER_B again" vs_set lower_add "$TIER_B"
per_proc=$((mt * 1024 / 8 / 4096 * 4096))
limit=$((mt * 1024 / 16 / 4096 * 4096))
check "c: mem_limit $limit" vs_set mem_limit "$limit"
# wb_high 100: the watermark never starts the worker early, so the stores
# that find the pool at mem_limit are the ones that make room.
check "c: wb_high 100" vs_set wb_high 100
require_cgroup stalls $((2 * per_proc / 3 / 4096 * 4096))
waits0=$(vs_get wb_waits)
wbp0=$(vs_get wb_pages)
rm -f "$T_TMP/stop" "$T_TMP/admin.ok" "$T_TMP/admin.nospc" "$T_TMP/admin.bad" "$T_TMP/admin.done"
admin_loop &
ADMIN=$!
log "c: admin loop started (pid $ADMIN)"
start_mixed "$T_TMP/c.log" "CGROUP=$CG" --size "$per_proc" --procs 2 --seed 746 \
	--mix 5,10,55,30 --rounds 2
finish_mixed "$T_TMP/c.log"
: >"$T_TMP/stop"
wait "$ADMIN" || true
log "c: admin ops: $(lines_of "$T_TMP/admin.ok") ok, $(lines_of "$T_TMP/admin.nospc") ENOSPC," \
	"$(lines_of "$T_TMP/admin.bad") other; wb_waits +$(sub "$(vs_get wb_waits)" "$waits0")" \
	"wb_pages +$(sub "$(vs_get wb_pages)" "$wbp0") failed_writes $(vs_get failed_writes);" \
	"memory.events: $(tr '\n' ' ' <"$CG/memory.events")"
[ ! -e "$T_TMP/admin.bad" ] || sed 's/^/  bad: /' "$T_TMP/admin.bad"
check "c: every page verifies (2 rounds)" mixed_verified "$T_TMP/c.log" "$MIXED_RC"
check_num "c: no OOM kill in the cgroup" "$(cg_event "$CG" oom_kill)" -eq 0
check_num "c: stores met mem_limit (wb_waits grew)" "$(vs_get wb_waits)" -gt "$waits0"
check_str "c: the admin loop finished" "$(cat "$T_TMP/admin.done" 2>/dev/null)" "done"
check_num "c: admin operations ran (> 6 succeeded)" "$(lines_of "$T_TMP/admin.ok")" -gt 6
check_num "c: no admin operation failed but with ENOSPC" "$(lines_of "$T_TMP/admin.bad")" -eq 0
check "c: cgroup removed" cg_destroy "$CG"

# ---- the end ----
check "A's table without delay" dm_table "$DM_A" "$A_FAST"
require "swapoff" swap_off
check_num "after swapoff: lower_pages 0" "$(vs_get lower_pages)" -eq 0
check_drained "after swapoff"
check "tiers removed" remove_all_tiers
check "vswap unloaded" vswap_unload
check "dm devices removed" dm_remove_both
test_end
