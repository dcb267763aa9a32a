# shellcheck shell=dash
# bench/guest/lib.sh: result rows, measurements and the swap devices under test
# (sourced by /bench/run.sh, after /tests/lib.sh).
#
# Why one place: every workload runs against every device the same way
# (dev_up NAME, the workload, dev_down NAME), so a figure differs between
# devices only by the device. Devices (one swapped on at a time, all
# $SWAP_SIZE):
#   vswap        /dev/vswap, lz4
#   vswap-none   /dev/vswap, comp_algorithm none (pages stored raw)
#   vswap-wb     vswap, lz4, lower tier $LOWER (file on ext4 on /dev/vda) and
#                mem_limit $WB_LIMIT: the pool overflows to the tier by itself
#   zram         /dev/zram0, lz4
#   zram-wb      zram, lz4, backing_dev /dev/vdb (raw virtio disk)
#   zswap        zswap (lz4, zsmalloc) in front of $SWAPFILE on ext4 on /dev/vda
#   brd          /dev/ram0 (RAM disk): the swap path without compression
# Result rows go to the result channel ($RES), comma separated:
#   R,workload,metric,device,rep,value,unit,flag   flag: measured | extrapolated
#   I,key,value                                    facts about the run
#   E,workload,device,rep,message                  a failure (the bench fails)
#   END,ok | END,fail,N

BENCH_MNT=/mnt/bench
SWAPFILE=$BENCH_MNT/swapfile
LOWER=$BENCH_MNT/lower
FS_DISK=vda
WB_DISK=vdb
ZRAM_SYS=/sys/block/zram0
ZSWAP_PAR=/sys/module/zswap/parameters
ZSWAP_DBG=/sys/kernel/debug/zswap
CG_BENCH=/sys/fs/cgroup/bench
ERRORS=0
SWAPDEV=

# ---- result rows ----------------------------------------------------------------

emit() {
	printf '%s\n' "$1" >>"$RES"
	echo "[bench] $1"
}

# row WORKLOAD METRIC DEVICE REP VALUE UNIT [FLAG]
row() {
	emit "R,$1,$2,$3,$4,$5,$6,${7:-measured}"
}

info() {
	emit "I,$1,$(printf '%s' "$2" | tr ',\n' '; ')"
}

# fail WORKLOAD DEVICE REP MESSAGE
fail() {
	ERRORS=$((ERRORS + 1))
	emit "E,$1,$2,$3,$(printf '%s' "$4" | tr ',\n' '; ')"
}

# calc EXPR [VAR=VALUE...]: awk arithmetic, 6 significant digits ("nan" on error).
calc() {
	local expr=$1
	shift
	awk "$@" "BEGIN { v = $expr; printf \"%.6g\n\", v }" 2>/dev/null || echo nan
}

# field FILE KEY: KEY=VALUE from the last "vswap-bench: " summary line of FILE.
field() {
	awk -v k="$2=" '/^vswap-bench: (micro|pressure) / { line = $0 }
		END { n = split(line, f, " "); for (i = 1; i <= n; i++)
			if (index(f[i], k) == 1) print substr(f[i], length(k) + 1) }' "$1"
}

# ---- memory snapshots -------------------------------------------------------------

# memsnap: "MemAvailable kmem" in KiB after dropping clean caches; kmem is
# SUnreclaim + VmallocUsed + Percpu, where a driver's own allocations land.
memsnap() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 0.3
	awk '$1 == "MemAvailable:" { a = $2 } $1 == "SUnreclaim:" || $1 == "VmallocUsed:" ||
		$1 == "Percpu:" { k += $2 } END { print a, k }' /proc/meminfo
}

slab_osize() {
	cat "/sys/kernel/slab/$1/object_size" 2>/dev/null || echo 0
}

# Bytes the slab allocator holds for vswap's slot metadata (objects in use x object_size).
vswap_slab_bytes() {
	echo $(($(slab_in_use vswap_cluster) * $(slab_osize vswap_cluster) +
		$(slab_in_use vswap_slots) * $(slab_osize vswap_slots)))
}

# disk_stat DISK FIELD: /sys/block/DISK/stat field (1 read I/Os, 3 sectors read,
# 5 write I/Os, 7 sectors written).
disk_stat() {
	awk -v f="$2" '{ print $f }' "/sys/block/$1/stat"
}

# Pages swapped in / out so far, to any device: zswap's loads and stores count
# as zswpin / zswpout, not as pswpin / pswpout.
swapped_in() {
	awk '$1 == "pswpin" || $1 == "zswpin" { s += $2 } END { print s + 0 }' /proc/vmstat
}

swapped_out() {
	awk '$1 == "pswpout" || $1 == "zswpout" { s += $2 } END { print s + 0 }' /proc/vmstat
}

# ---- disks ------------------------------------------------------------------------

_blk() {
	[ -b "$1" ]
}

# disks_setup: the ext4 scratch disk (made by the host) mounted on $BENCH_MNT with
# the zswap swap file and the vswap lower file; /dev/vdb stays raw for zram.
disks_setup() {
	modprobe virtio_pci 2>/dev/null || true
	modprobe virtio_blk || return 1
	wait_until 10 _blk /dev/$FS_DISK || return 1
	wait_until 10 _blk /dev/$WB_DISK || return 1
	modprobe ext4 || return 1
	mkdir -p "$BENCH_MNT"
	mount -t ext4 /dev/$FS_DISK "$BENCH_MNT" || return 1
	fallocate -l "$SWAP_SIZE" "$SWAPFILE" || return 1
	chmod 600 "$SWAPFILE"
	mkswap "$SWAPFILE" >/dev/null || return 1
	fallocate -l "$LOWER_SIZE" "$LOWER" || return 1
	# a tier file must be private: lower_add refuses others (EACCES)
	chmod 600 "$LOWER"
	sync
}

# ---- devices ----------------------------------------------------------------------

vswap_up() {
	local comp=$1
	modprobe vswap disksize="$SWAP_SIZE" || return 1
	wait_until 10 _dev_ready || return 1
	vs_set comp_algorithm "$comp" >/dev/null || return 1
	[ "$(current_comp)" = "$comp" ] || return 1
}

zram_up() {
	local backing=${1:-}
	modprobe zram num_devices=1 || return 1
	wait_until 10 _blk /dev/zram0 || return 1
	if [ -n "$backing" ]; then
		echo "$backing" >"$ZRAM_SYS"/backing_dev || return 1
	fi
	echo lz4 >"$ZRAM_SYS"/comp_algorithm || return 1
	echo "$SWAP_SIZE" >"$ZRAM_SYS"/disksize || return 1
	mkswap /dev/zram0 >/dev/null || return 1
	SWAPDEV=/dev/zram0
}

# zswap_up: lz4 and zsmalloc, checked by reading them back (6.1 defaults to zbud,
# 7.x has no zpool parameter: zsmalloc is the only pool), shrinker on.
zswap_up() {
	modprobe crypto-lz4 2>/dev/null || true
	if [ -e "$ZSWAP_PAR"/zpool ]; then
		modprobe zsmalloc 2>/dev/null || true
		echo zsmalloc >"$ZSWAP_PAR"/zpool || return 1
		[ "$(current_knob "$ZSWAP_PAR"/zpool)" = zsmalloc ] || return 1
	fi
	# With its pool charged to the cgroup, zswap needs its shrinker (6.8+) to
	# write back to the swap file under memory.max, or the cgroup OOMs.
	[ ! -e "$ZSWAP_PAR"/shrinker_enabled ] || echo Y >"$ZSWAP_PAR"/shrinker_enabled || return 1
	echo lz4 >"$ZSWAP_PAR"/compressor || return 1
	[ "$(current_knob "$ZSWAP_PAR"/compressor)" = lz4 ] || return 1
	echo Y >"$ZSWAP_PAR"/enabled || return 1
	[ "$(cat "$ZSWAP_PAR"/enabled)" = Y ] || return 1
	SWAPDEV=$SWAPFILE
}

brd_up() {
	modprobe brd rd_nr=1 rd_size=$((SWAP_SIZE_MB * 1024)) max_part=0 || return 1
	wait_until 10 _blk /dev/ram0 || return 1
	mkswap /dev/ram0 >/dev/null || return 1
	SWAPDEV=/dev/ram0
}

# dev_up NAME: set the device up and swap on it (and nothing else).
dev_up() {
	SWAPDEV=$VSWAP_DEV
	case $1 in
	vswap) vswap_up lz4 ;;
	vswap-none) vswap_up none ;;
	vswap-wb | vswap-wb-t)
		vswap_up lz4 && vs_set lower_add "$LOWER" >/dev/null &&
			vs_set mem_limit "$WB_LIMIT" >/dev/null
		;;
	zram) zram_up ;;
	zram-wb) zram_up /dev/$WB_DISK ;;
	zswap) zswap_up ;;
	brd) brd_up ;;
	*) return 1 ;;
	esac || return 1
	swapon "$SWAPDEV" || return 1
	grep -q "^$SWAPDEV " /proc/swaps
}

# dev_down: swap off and unload whatever a dev_up left (also after a failure).
dev_down() {
	local d rc=0
	# shellcheck disable=SC2013 # device paths have no spaces
	for d in $(awk 'NR > 1 { print $1 }' /proc/swaps); do
		swapoff "$d" || rc=1
	done
	if [ -d "$VSWAP_SYS" ] && [ -n "$(vs_get lower_tiers | awk 'NR > 1')" ]; then
		vs_set lower_remove "$LOWER" >/dev/null || rc=1
	fi
	if [ "$(cat "$ZSWAP_PAR"/enabled 2>/dev/null)" = Y ]; then
		echo N >"$ZSWAP_PAR"/enabled || rc=1
	fi
	# rmmod, not modprobe -r: zsmalloc (a module on 6.1) may stay in use by
	# zswap's pool, which would make modprobe -r fail on the dependency.
	for d in vswap zram brd; do
		[ ! -d /sys/module/$d ] || rmmod $d || rc=1
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	return $rc
}

# pool_bytes NAME: memory the device holds for its data now (compressed pool,
# plus slot metadata for vswap); brd: its pages (one per stored page).
pool_bytes() {
	case $1 in
	vswap*) echo $(($(vs_get mem_used_total) + $(vs_get meta_bytes))) ;;
	zram*) awk '{ print $3 }' "$ZRAM_SYS"/mm_stat ;;
	zswap) cat "$ZSWAP_DBG"/pool_total_size 2>/dev/null || echo 0 ;;
	*) echo 0 ;;
	esac
}

# ---- cgroups ----------------------------------------------------------------------

cg_setup() {
	mkdir -p "$CG_BENCH" || return 1
	grep -qw memory "$CG_BENCH/cgroup.subtree_control" ||
		echo +memory >"$CG_BENCH/cgroup.subtree_control"
}

# cg_make NAME MAX: a fresh cgroup under $CG_BENCH; prints its path.
cg_make() {
	local cg=$CG_BENCH/$1
	[ ! -d "$cg" ] || cg_destroy "$cg" || return 1
	mkdir "$cg" && echo "$2" >"$cg/memory.max" && echo "$cg"
}

# ---- vswap-bench runs with a pause point --------------------------------------------

# bench_start LOG ARGS...: vswap-bench in the background reading fd 3 (a fifo);
# sets BENCH_PID.
bench_start() {
	local log=$1
	shift
	rm -f /tmp/bench.ctl
	mkfifo /tmp/bench.ctl
	exec 3<>/tmp/bench.ctl
	timeout -s KILL "$RUN_TIMEOUT" vswap-bench "$@" <&3 >"$log" 2>&1 &
	BENCH_PID=$!
}

# bench_go: release the run at its pause point.
bench_go() {
	echo go >&3
}

# bench_finish LOG: wait for it; sets BENCH_RC and shows the output.
# shellcheck disable=SC2034 # BENCH_RC is read by the workloads
bench_finish() {
	BENCH_RC=0
	wait "$BENCH_PID" || BENCH_RC=$?
	exec 3>&-
	sed 's/^/  | /' "$1"
}
