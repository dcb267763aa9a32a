#!/bin/sh
# shellcheck shell=dash
# bench/guest/run.sh RESULT_CHANNEL: the benchmark, inside the guest.
#
# Why in one boot: the figures are ratios between devices (vswap against zram,
# zswap and brd), and only devices measured in the same boot, on the same
# (emulated) CPU, interleaved in time, can be compared fairly. Started by /init
# for vswaptest.mode=bench; the host side is bench/run.sh, which reads the rows
# this writes to RESULT_CHANNEL (the second serial port).
#
# Kernel command line: vswapbench.profile=full|smoke (sizes, below),
# vswapbench.reps=N (repetitions; rep 0 is an unrecorded warm-up),
# vswapbench.only=micro,wb (workloads to run; default all), vswapbench.profile_ftrace=1
# (append a function-graph profile of the micro workload, see profile.sh).
# Each repetition runs every workload on every device, the device order rotated
# per repetition so that no device always runs first.

# shellcheck source-path=SCRIPTDIR source=../../tests/guest/lib.sh
. /tests/lib.sh
# shellcheck source=lib.sh
. /bench/lib.sh
# shellcheck source=workloads.sh
. /bench/workloads.sh
# shellcheck source=profile.sh
. /bench/profile.sh

RES=${1:-/dev/ttyS1}
WORKLOADS="micro pressure stress wb meta empty"
MICRO_DEVS="vswap zram zswap brd vswap-none"
PRESS_DEVS="vswap zram zswap brd"
STRESS_DEVS="vswap zram zswap"
WB_DEVS="vswap-wb vswap-wb-t zram-wb"
# vswap-wb-t's mix (zero,same,text,random %): the test suite's (75-wb-basic).
WB_MIX_T=10,15,60,15
# Kernel messages that mean a bug (the list /init uses for the test suite).
KERNEL_ERRORS='(^|[^A-Za-z_])BUG|WARNING:|Oops|KFENCE|UBSAN|KASAN|general protection|Kernel panic|Call Trace|RIP:|invalid opcode|list_(add|del) corruption|Bad page|Poison overwritten|Redzone|Object padding|Freepointer|INFO: Slab|sleeping function called|blocked for more than|soft lockup|hard LOCKUP|rcu.*(stall|self-detected)|refcount_t:|Bad swap|Unable to handle|kernel NULL pointer|Out of memory|oom-kill'

# Sizes. The whole working set of a run stays in the tens of MiB: the guest is
# emulated (TCG) and has 384 MiB of RAM.
profile_full() {
	SWAP_SIZE_MB=256
	LOWER_SIZE=128M
	MICRO_MB=16
	MICRO_RUNS=3
	PRESS_MB=24
	PRESS_PROCS=2
	PRESS_MAX=20M
	PRESS_ACCESSES=40000
	STRESS_VM_MB=24
	STRESS_MAX=16M
	STRESS_TIME=6
	WB_MB=32
	WB_LIMIT=4M
	META_CLUSTERS=8
	PROFILE_MB=2
	PROFILE_DEVS="vswap zram vswap-none brd zswap"
	RUN_TIMEOUT=600
}

profile_smoke() {
	SWAP_SIZE_MB=64
	LOWER_SIZE=16M
	MICRO_MB=4
	MICRO_RUNS=1
	PRESS_MB=4
	PRESS_PROCS=2
	PRESS_MAX=4M
	PRESS_ACCESSES=10000
	STRESS_VM_MB=8
	STRESS_MAX=8M
	STRESS_TIME=2
	WB_MB=4
	WB_LIMIT=512K
	META_CLUSTERS=2
	PROFILE_MB=1
	PROFILE_DEVS=vswap
	RUN_TIMEOUT=180
}

read_params() {
	local word
	PROFILE=full
	REPS=5
	ONLY=
	FTRACE=0
	# shellcheck disable=SC2013 # words, not lines
	for word in $(cat /proc/cmdline); do
		case $word in
		vswapbench.profile=*) PROFILE=${word#*=} ;;
		vswapbench.reps=*) REPS=${word#*=} ;;
		vswapbench.only=*) ONLY=$(echo "${word#*=}" | tr ',' ' ') ;;
		vswapbench.profile_ftrace=*) FTRACE=${word#*=} ;;
		esac
	done
	case $PROFILE in
	full) profile_full ;;
	smoke) profile_smoke ;;
	*)
		fail setup - - "unknown vswapbench.profile=$PROFILE"
		profile_smoke
		;;
	esac
	SWAP_SIZE=${SWAP_SIZE_MB}M
	[ -n "$ONLY" ] || ONLY=$WORKLOADS
}

# rotate N WORD...: the words, rotated left by N.
rotate() {
	local n=$1 i
	shift
	i=$((n % $#))
	while [ "$i" -gt 0 ]; do
		set -- "$@" "$1"
		shift
		i=$((i - 1))
	done
	echo "$@"
}

devices_of() {
	case $1 in
	micro) echo "$MICRO_DEVS" ;;
	pressure) echo "$PRESS_DEVS" ;;
	stress) echo "$STRESS_DEVS" ;;
	wb) echo "$WB_DEVS" ;;
	meta | empty) echo vswap ;;
	esac
}

# kernel_errors: error lines the kernel logged since the last call (dmesg -c),
# less memory-cgroup OOM reports: the workloads run in cgroups and count their
# OOM kills as a figure. A global OOM stays an error; a report with no end in
# sight (over 300 lines) stops being skipped. Also less the ORC unwinder's
# "stack going in the wrong direction? at return_to_handler": a stack trace
# (slub_debug=U takes one per allocation) that meets function_graph's return
# trampoline, which only the profile's tracing puts there; it is printed
# once, is no WARN() and says nothing of vswap.
kernel_errors() {
	dmesg -c | awk '
		/WARNING: stack going in the wrong direction\? at return_to_handler/ { next }
		/invoked oom-killer/ { skip = 1; n = 0; next }
		skip && /Memory cgroup out of memory: Killed process/ { skip = 0; next }
		skip && /Out of memory: Killed process/ { skip = 0; print; next }
		skip && ++n > 300 { skip = 0 }
		!skip' | grep -E "$KERNEL_ERRORS"
}

# kernel_check WORKLOAD DEVICE REP: fail if the kernel logged an error since
# the last check.
kernel_check() {
	local errs
	errs=$(kernel_errors | head -n 5)
	[ -z "$errs" ] || {
		echo "$errs" | sed 's/^/[bench] kernel: /'
		fail "$1" "$2" "$3" "kernel errors: $(echo "$errs" | head -n 1)"
	}
}

# run_workload WORKLOAD REP: every device of it, in rotated order.
run_workload() {
	local wl=$1 rep=$2 dev start
	start=$(date +%s)
	# shellcheck disable=SC2046 # the device list is words
	for dev in $(rotate "$rep" $(devices_of "$wl")); do
		echo "[bench] ==== rep $rep: $wl on $dev ($(date +%T))"
		case $wl in
		meta) wl_meta "$rep" ;;
		empty)
			if [ $((rep % 2)) -eq 0 ]; then
				wl_empty_vswap "$rep" && wl_empty_zram "$rep"
			else
				wl_empty_zram "$rep" && wl_empty_vswap "$rep"
			fi
			;;
		*) "wl_$wl" "$dev" "$rep" ;;
		esac || echo "[bench] $wl on $dev failed (rep $rep)"
		kernel_check "$wl" "$dev" "$rep"
	done
	info "seconds_${wl}_rep$rep" $(($(date +%s) - start))
}

describe_run() {
	info lane "$(cat /etc/vswap-lane 2>/dev/null || echo unknown)"
	info kernel "$(uname -r)"
	info mem_total_kb "$(mem_total_kb)"
	info cpus "$(nproc)"
	info profile "$PROFILE"
	info reps "$REPS"
	info workloads "$ONLY"
	info sizes "swap ${SWAP_SIZE_MB} MiB; micro ${MICRO_RUNS}x${MICRO_MB} MiB (median per repetition); pressure ${PRESS_PROCS}x${PRESS_MB} MiB in memory.max $PRESS_MAX, $PRESS_ACCESSES accesses each (90% to the hottest 20%); stress-ng vm ${STRESS_VM_MB} MiB in memory.max $STRESS_MAX for ${STRESS_TIME} s; writeback ${WB_MB} MiB, vswap mem_limit $WB_LIMIT; meta $META_CLUSTERS clusters"
	info profile_mb "${PROFILE_MB} MiB"
	info content "mixed pages: 10% zero, 10% same-filled, 50% text, 30% random (vswap-wb-t: 10% zero, 15% same-filled, 60% text, 15% random)"
	info cmdline "$(cat /proc/cmdline)"
	info zswap_params "$(for f in "$ZSWAP_PAR"/*; do printf '%s=%s ' "${f##*/}" "$(cat "$f")"; done)"
}

main() {
	local rep wl start errs
	start=$(date +%s)
	read_params
	describe_run
	dmesg -c >/dev/null
	if ! disks_setup; then
		fail setup - - "scratch disks could not be set up"
		emit "END,fail,$ERRORS"
		return 1
	fi
	cg_setup || fail setup - - "cgroup setup failed"
	echo N >"$ZSWAP_PAR"/enabled 2>/dev/null
	rep=0
	while [ "$rep" -le "$REPS" ]; do
		if [ "$rep" -eq 0 ]; then
			# Warm-up (rows with rep 0 are dropped by the host).
			wl_micro vswap 0
			wl_micro zram 0
		else
			for wl in $ONLY; do
				run_workload "$wl" "$rep"
			done
		fi
		rep=$((rep + 1))
	done
	# shellcheck disable=SC2086 # a list of device names
	[ "$FTRACE" != 1 ] || profile_micro $PROFILE_DEVS
	dev_down
	umount "$BENCH_MNT" || fail setup - - "could not unmount $BENCH_MNT"
	kernel_check kernel - -
	info seconds_total $(($(date +%s) - start))
	if [ "$ERRORS" -eq 0 ]; then
		emit "END,ok"
	else
		emit "END,fail,$ERRORS"
	fi
}

main
