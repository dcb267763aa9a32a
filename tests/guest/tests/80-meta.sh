#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 80-meta.sh: slot metadata costs what the design says and nothing for empty
# space: meta_bytes equals allocated clusters times the two slab objects per
# cluster (vswap_cluster + vswap_slots, 512 slots each), about 8 bytes per
# stored page, 0 for an empty device however large; a 1 TiB empty device
# costs no more memory than a 1 GiB one.
#
# Why: the point of a virtual device is that its size is free until used.
# The figures come from three independent places: meta_bytes (the module's
# own account), /proc/slabinfo object counts plus the objects KFENCE serves
# from its own pool (what the allocators hold; see slab_in_use in lib.sh)
# and /sys/kernel/slab/*/object_size (what one object costs), and MemAvailable
# for the empty huge device. slub_debug on the guest's command line keeps the
# two caches unmerged, so their rows are vswap's alone.
# Note: slabinfo's objsize column includes slub_debug's red zones and tracking
# (s->size); the per-object cost the module can know is object_size.
# timeout: 180
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

CLUSTERS=8
SLOTS_PER_CLUSTER=512
# Pages 1 .. 8*512-1: exactly clusters 0..7 when slot == page offset.
NPAGES=$((CLUSTERS * SLOTS_PER_CLUSTER - 1))
AVAIL_TOLERANCE_KB=256

slab_active() {
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

# slab_drained CACHE: no object of CACHE in use, once RCU-deferred frees have
# run (up to 10 s) and KASAN's quarantine (debug lane) has let go of them:
# shrinking a cache flushes its objects out of the quarantine.
slab_drained() {
	local i n
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null || true
		n=$(slab_active "$1")
		[ "$n" != 0 ] || return 0
		sleep 1
	done
	echo "$1: $n objects still in use after $i s"
	return 1
}

slab_object_size() {
	cat "/sys/kernel/slab/$1/object_size" 2>/dev/null || echo missing
}

caches_exist() {
	local c
	for c in vswap_cluster vswap_slots; do
		grep -q "^$c " /proc/slabinfo || {
			echo "$c missing from /proc/slabinfo"
			return 1
		}
		[ -d "/sys/kernel/slab/$c" ] || {
			echo "/sys/kernel/slab/$c missing"
			return 1
		}
	done
	grep -E '^(vswap_cluster|vswap_slots) ' /proc/slabinfo
}

# avail_same_for_huge_device: MemAvailable with an empty 1T device no more than
# the tolerance below the one with a 1G device (retried: MemAvailable has
# some noise; more available is not a cost).
avail_same_for_huge_device() {
	local try a b
	for try in 1 2 3 4 5; do
		vs_set disksize 1G >/dev/null || return 1
		a=$(mem_available_kb)
		vs_set disksize 1T >/dev/null || return 1
		b=$(mem_available_kb)
		echo "try $try: MemAvailable 1G device $a kB, 1T device $b kB, change $((b - a)) kB"
		[ "$b" -lt $((a - AVAIL_TOLERANCE_KB)) ] || return 0
		sleep 1
	done
	return 1
}

test_begin 15
require "load vswap with disksize=64M" vswap_fresh disksize=64M
check_num "empty device: meta_bytes == 0" "$(vs_get meta_bytes)" -eq 0
require "write $NPAGES random pages from page 1 (O_DIRECT)" \
	dd if=/dev/urandom of="$VSWAP_DEV" bs=4096 seek=1 count="$NPAGES" oflag=direct
check_num "stored_pages == $NPAGES" "$(vs_get stored_pages)" -eq "$NPAGES"
check "slab caches vswap_cluster and vswap_slots exist" caches_exist

osz_cluster=$(slab_object_size vswap_cluster)
osz_slots=$(slab_object_size vswap_slots)
meta=$(vs_get meta_bytes)
stored=$(vs_get stored_pages)
per_cluster=unknown
! is_uint "$osz_cluster" || ! is_uint "$osz_slots" || per_cluster=$((osz_cluster + osz_slots))
log "object_size vswap_cluster=$osz_cluster vswap_slots=$osz_slots; meta_bytes=$meta" \
	"stored_pages=$stored; slabinfo active objects: vswap_cluster=$(slab_active vswap_cluster)" \
	"vswap_slots=$(slab_active vswap_slots); with KFENCE's:" \
	"vswap_cluster=$(slab_in_use vswap_cluster) vswap_slots=$(slab_in_use vswap_slots)"
want_meta=unknown
! is_uint "$per_cluster" || want_meta=$((CLUSTERS * per_cluster))
check_num "meta_bytes == $CLUSTERS clusters x (object sizes of vswap_cluster + vswap_slots)" \
	"$meta" -eq "$want_meta"
check_num "slabinfo + KFENCE: $CLUSTERS vswap_cluster objects in use" \
	"$(slab_in_use vswap_cluster)" -eq "$CLUSTERS"
check_num "slabinfo + KFENCE: $CLUSTERS vswap_slots objects in use" \
	"$(slab_in_use vswap_slots)" -eq "$CLUSTERS"
per_page=unknown
! is_uint "$meta" || ! is_uint "$stored" || [ "$stored" -eq 0 ] ||
	per_page=$(awk -v m="$meta" -v s="$stored" 'BEGIN { printf "%.3f", m / s }')
log "metadata per stored page: $per_page bytes"
# The 8.5 B target is for production kernels, where struct vswap_cluster is
# 232 bytes; lockdep (the debug lane) grows its spinlock, and the bound by
# that growth spread over a cluster's 512 slots.
bound=8.5
if [ -e /proc/lockdep ] && is_uint "$osz_cluster" && [ "$osz_cluster" -gt 232 ]; then
	bound=$(awk -v o="$osz_cluster" 'BEGIN { printf "%.3f", 8.5 + (o - 232) / 512 }')
	log "lockdep kernel: vswap_cluster is $osz_cluster B, bound $bound"
fi
check "meta_bytes / stored_pages <= $bound ($per_page)" \
	awk -v p="$per_page" -v b="$bound" 'BEGIN { exit !(p ~ /^[0-9.]+$/ && p <= b) }'

require "discard every written page" blkdiscard -o 4096 -l $((NPAGES * 4096)) "$VSWAP_DEV"
check_drained "after discarding every page"
check "slabinfo: no vswap_cluster objects left" slab_drained vswap_cluster
check "slabinfo: no vswap_slots objects left" slab_drained vswap_slots

check "1 TiB empty device: MemAvailable no more than $AVAIL_TOLERANCE_KB KiB below a 1 GiB one's" \
	avail_same_for_huge_device
check_num "1 TiB empty device: meta_bytes == 0" "$(vs_get meta_bytes)" -eq 0
test_end
