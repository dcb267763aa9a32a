#!/bin/sh
# shellcheck shell=dash
# init.sh: /init of the vswap test guest: set up the system, run the test
# scripts, report KTAP on the result channel, power off.
#
# Why this shape: the guest is a bare busybox system and this is its whole
# userspace. The harness reads results only from the second serial port
# (/dev/ttyS1, falling back to /dev/console), so nothing a test prints can be
# mistaken for a result, and a run that never writes "# vswap-suite-end" is
# known to be incomplete (panic, hang, timeout).
#
# Kernel command line: vswaptest.mode=check (default: all /tests/NN-*.sh),
# smoke (10-load and 20-header only), demo (/demo.sh instead of the tests) or
# bench (/bench/run.sh, which bench/run.sh appends to the initramfs);
# vswaptest.tests=NAME,NAME runs only these scripts ("30-integrity-pageout" or
# "integrity-pageout"); vswaptest.scale=N and vswaptest.integrity_scale=N
# become VSWAP_SCALE and VSWAP_INTEGRITY_SCALE (tests/guest/lib.sh);
# vswaptest.seed=N and vswaptest.soak_seconds=N become VSWAP_SEED and
# VSWAP_SOAK_SECONDS (85-soak: its driver's seed and duration);
# vswaptest.timeout=SECONDS raises every script's timeout to at least that
# (`make soak` sets it from its DURATION).
#
# KTAP v1 on the result channel, one flat list for the whole suite: every
# check of every script is one counted result line, numbered across the suite:
#   KTAP version 1
#   1..TOTAL
#   # 10-load: ...                       (a diagnostic line per script)
#   ok 1 load: modprobe vswap creates the device
#   not ok 7 header: ... # reason
#   ...
#   # vswap-suite-end
# TOTAL is known before anything runs: each script declares its number of
# checks (its "test_begin N" line); lib.sh adds one (all N reported) and this
# file three per script (ran to completion within its timeout, no kernel
# error in dmesg, vswap swapped off and unloadable afterwards). A script that
# ends early has its missing checks reported here as "not ok ... not
# reported", so the count always matches the plan and nothing is dropped
# silently; an unknown name in vswaptest.tests= is one "not ok" line.
#
# Each script runs in its own cgroup (/sys/fs/cgroup/vswap-tests/NN-name/main,
# VSWAP_CG points at the parent, where the script may create memory-limited
# siblings) so that on timeout every process it started can be killed at once,
# under a timeout read from its "# timeout: SECONDS" line (default 300).
#
# No `set -e` here on purpose: PID 1 must never exit (the kernel would panic
# before the results are written); every step checks its own status.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
RESULTS_DIR=/tmp/vswap-results
CG_ROOT=/sys/fs/cgroup/vswap-tests
DEFAULT_TIMEOUT=300
# Kernel messages that mean a bug (or an OOM kill, which no test may cause),
# whatever the script thought of its own checks.
KERNEL_ERRORS='(^|[^A-Za-z_])BUG|WARNING:|Oops|KFENCE|UBSAN|KASAN|general protection|Kernel panic|Call Trace|RIP:|invalid opcode|list_(add|del) corruption|Bad page|Poison overwritten|Redzone|Object padding|Freepointer|INFO: Slab|Slab cache still has objects|sleeping function called|possible (circular|recursive) locking|inconsistent lock state|blocked for more than|soft lockup|hard LOCKUP|rcu.*(stall|self-detected)|refcount_t:|Bad swap|swap_(info_get|free|duplicate):|Unable to handle|kernel NULL pointer'

say() {
	echo "[init] $*"
}

# mount_fs TYPE DIR [OPTIONS]
mount_fs() {
	if [ -n "${3:-}" ]; then
		mount -t "$1" -o "$3" "$1" "$2" || say "mount $1 on $2 failed"
	else
		mount -t "$1" "$1" "$2" || say "mount $1 on $2 failed"
	fi
}

# fio and stress-ng live on a read-only tools disk, the last virtio disk
# (/dev/vdc; see scripts/mkinitramfs.sh).
mount_tools() {
	local m
	for m in virtio_pci virtio_blk ext4; do
		modprobe "$m" 2>/dev/null || true
	done
	mkdir -p /opt/tools
	mount -t ext4 -o ro /dev/vdc /opt/tools || say "tools disk /dev/vdc not mounted: fio and stress-ng unavailable"
}

setup_system() {
	# The initramfs (fio's libraries are most of it) can fill the root tmpfs
	# at its default 50% of RAM in a small guest: let it grow.
	mount -o remount,size=90% / || say "could not grow the root filesystem"
	mount_fs proc /proc
	mount_fs sysfs /sys
	mount_fs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	mkdir -p /dev/pts /dev/shm /tmp /run
	mount_fs tmpfs /tmp mode=1777
	mount_fs tmpfs /run mode=755
	mount_fs cgroup2 /sys/fs/cgroup
	mount_fs debugfs /sys/kernel/debug
	mount_tools
	hostname vswap-guest
	# Pages must reach the device under test, not zswap in front of it.
	if [ -w /sys/module/zswap/parameters/enabled ]; then
		echo N >/sys/module/zswap/parameters/enabled ||
			say "could not disable zswap"
	fi
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control ||
		say "could not enable the memory controller"
	mkdir -p "$CG_ROOT" "$RESULTS_DIR"
	echo +memory >"$CG_ROOT/cgroup.subtree_control" ||
		say "could not enable the memory controller in $CG_ROOT"
}

# The harness's channel is the second UART; without it fall back to the console.
setup_channel() {
	RES=/dev/console
	if [ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null; then
		RES=/dev/ttyS1
	fi
	say "results go to $RES"
}

emit() {
	printf '%s\n' "$@" >>"$RES"
}

read_cmdline() {
	local cmdline word
	MODE=check
	TESTS=
	SCALE=1
	INTEGRITY_SCALE=1
	SEED=
	SOAK_SECONDS=
	MIN_TIMEOUT=0
	read -r cmdline </proc/cmdline
	# shellcheck disable=SC2086 # split the command line into words
	for word in $cmdline; do
		case $word in
		vswaptest.mode=*) MODE=${word#*=} ;;
		vswaptest.tests=*) TESTS=${word#*=} ;;
		vswaptest.scale=*) SCALE=${word#*=} ;;
		vswaptest.integrity_scale=*) INTEGRITY_SCALE=${word#*=} ;;
		vswaptest.seed=*) SEED=${word#*=} ;;
		vswaptest.soak_seconds=*) SOAK_SECONDS=${word#*=} ;;
		vswaptest.timeout=*) MIN_TIMEOUT=${word#*=} ;;
		esac
	done
}

# The scripts to run, one path per line; a name with no script is printed as
# "missing:NAME" so it is reported as a failure, never silently dropped.
select_tests() {
	local name list f
	if [ -n "$TESTS" ]; then
		list=$(echo "$TESTS" | tr ',' ' ')
	elif [ "$MODE" = smoke ]; then
		list="10-load 20-header"
	else
		# NN-debug-*.sh need the debug kernel's fault injection and kmemleak:
		# they belong to the debug lane (said on the console elsewhere).
		for f in /tests/[0-9][0-9]-*.sh; do
			case $f in
			*/[0-9][0-9]-debug-*)
				[ "$(cat /etc/vswap-lane 2>/dev/null)" = debug ] || {
					say "$f belongs to the debug lane: not run here" >&2
					continue
				}
				;;
			esac
			echo "$f"
		done
		return 0
	fi
	for name in $list; do
		name=${name%.sh}
		f=/tests/$name.sh
		[ -f "$f" ] || for f in /tests/[0-9][0-9]-"$name".sh; do break; done
		if [ -f "$f" ]; then
			echo "$f"
		else
			echo "missing:$name"
		fi
	done
}

script_timeout() {
	local t
	t=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1)
	t=${t:-$DEFAULT_TIMEOUT}
	case $MIN_TIMEOUT in
	'' | *[!0-9]*) ;;
	*) [ "$MIN_TIMEOUT" -le "$t" ] || t=$MIN_TIMEOUT ;;
	esac
	echo "$t"
}

# Kill whatever is left in a script's cgroup tree and remove it.
reap_cgroup() {
	local cg=$1 i=0 d
	[ -d "$cg" ] || return 0
	if ! grep -q '^populated 0' "$cg/cgroup.events"; then
		say "killing processes left in $cg"
		echo 1 >"$cg/cgroup.kill"
		while ! grep -q '^populated 0' "$cg/cgroup.events" && [ "$i" -lt 50 ]; do
			sleep 0.2
			i=$((i + 1))
		done
	fi
	for d in "$cg"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rmdir "$cg" 2>/dev/null || say "could not remove $cg (processes stuck?)"
}

# Swap off and unload vswap so the next script starts clean; prints why not.
cleanup_vswap() {
	if grep -q '^/dev/vswap ' /proc/swaps; then
		swapoff /dev/vswap 2>&1 || {
			echo "swapoff /dev/vswap failed"
			return 1
		}
	fi
	if [ -d /sys/module/vswap ]; then
		modprobe -r vswap 2>&1 || {
			echo "modprobe -r vswap failed (refcount $(cat /sys/module/vswap/refcnt 2>/dev/null))"
			return 1
		}
	fi
	return 0
}

# add_result FILE STATUS DESC [REASON]: append a check line to a script's results.
add_result() {
	local file=$1 status=$2 desc=$3 reason=${4:-} line
	line="$status $desc"
	[ -z "$reason" ] || line="$line # $(printf '%s' "$reason" | tr '#\n\r\t' '%   ')"
	echo "$line" >>"$file"
	say "$line"
}

# Checks a script declares ("test_begin N"), or 0 if it declares none.
declared_checks() {
	local n
	n=$(sed -n 's/^test_begin \([0-9][0-9]*\).*/\1/p' "$1" 2>/dev/null | head -n 1)
	echo "${n:-0}"
}

# Result lines a selected entry will produce: N checks + 1 (lib.sh's "all
# reported") + 3 (ours); a missing script is one line.
planned_lines() {
	case $1 in
	missing:*) echo 1 ;;
	*) echo $(($(declared_checks "$1") + 4)) ;;
	esac
}

# emit_numbered FILE: write FILE's result lines to the channel, numbered on from DONE.
emit_numbered() {
	local line
	while IFS= read -r line; do
		DONE=$((DONE + 1))
		case $line in
		"not ok "*) emit "not ok $DONE ${line#not ok }" ;;
		"ok "*) emit "ok $DONE ${line#ok }" ;;
		*) emit "# (malformed result line) $line" ;;
		esac
	done <"$1"
}

# run_script PATH: run one script and emit its results.
run_script() {
	local path=$1 name short results cg limit start rc elapsed errs why declared got nfail k
	if [ "${path#missing:}" != "$path" ]; then
		name=${path#missing:}
		say "no test script named $name"
		DONE=$((DONE + 1))
		emit "not ok $DONE $name: test script exists # no such test script in /tests"
		FAILED=$((FAILED + 1))
		return 0
	fi
	name=$(basename "$path" .sh)
	short=${name#[0-9][0-9]-}
	results=$RESULTS_DIR/$name.ktap
	: >"$results"
	declared=$(declared_checks "$path")
	cg=$CG_ROOT/$name
	mkdir -p "$cg/main"
	echo +memory >"$cg/cgroup.subtree_control" || say "no memory controller for $cg"
	limit=$(script_timeout "$path")
	emit "# $name: $declared checks + 4, timeout ${limit}s"
	dmesg -c >/dev/null
	say "==== $name: start (timeout ${limit}s, $(date))"
	start=$(date +%s)
	# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
	VSWAP_RESULTS=$results VSWAP_CG=$cg VSWAP_SCALE=$SCALE \
		VSWAP_INTEGRITY_SCALE=$INTEGRITY_SCALE VSWAP_SEED=$SEED \
		VSWAP_SOAK_SECONDS=$SOAK_SECONDS timeout -s TERM -k 10 "$limit" \
		sh -c 'echo $$ >"$0/cgroup.procs" && exec sh "$1"' "$cg/main" "$path" \
		</dev/null >/dev/console 2>&1
	rc=$?
	elapsed=$(($(date +%s) - start))
	reap_cgroup "$cg"
	say "==== $name: exit status $rc after ${elapsed}s"

	got=$(grep -c '^\(not \)\{0,1\}ok ' "$results")
	k=$got
	while [ "$k" -lt $((declared + 1)) ]; do
		k=$((k + 1))
		add_result "$results" "not ok" "$short: planned check $k of $((declared + 1)) reported" \
			"not reported: the script ended early"
	done
	if [ "$rc" -eq 0 ]; then
		add_result "$results" ok "$short: ran to completion"
	elif [ "$elapsed" -ge "$limit" ]; then
		add_result "$results" "not ok" "$short: ran to completion" "timed out after ${limit}s"
	else
		add_result "$results" "not ok" "$short: ran to completion" "exit status $rc"
	fi
	dmesg >"$RESULTS_DIR/$name.dmesg"
	errs=$(grep -E "$KERNEL_ERRORS" "$RESULTS_DIR/$name.dmesg" | head -n 3)
	if [ -z "$errs" ]; then
		add_result "$results" ok "$short: no kernel errors in dmesg"
	else
		say "kernel errors during $name:"
		printf '%s\n' "$errs"
		add_result "$results" "not ok" "$short: no kernel errors in dmesg" "$(echo "$errs" | head -n 1)"
	fi
	if why=$(cleanup_vswap); then
		add_result "$results" ok "$short: vswap swapped off and unloaded afterwards"
	else
		add_result "$results" "not ok" "$short: vswap swapped off and unloaded afterwards" "$why"
	fi

	emit_numbered "$results"
	nfail=$(grep -c '^not ok' "$results")
	emit "# $name: $(($(wc -l <"$results") - nfail)) of $(wc -l <"$results") checks passed"
	[ "$nfail" -eq 0 ] || FAILED=$((FAILED + 1))
}

run_tests() {
	local tests count total=0 path
	tests=$(select_tests)
	count=$(echo "$tests" | grep -c . || true)
	for path in $tests; do
		total=$((total + $(planned_lines "$path")))
	done
	FAILED=0
	DONE=0
	emit "KTAP version 1" "1..$total"
	emit "# vswap guest suite: lane $LANE, kernel $(uname -r), mode $MODE, MemTotal $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) kB, $(nproc) CPUs, $count scripts"
	for path in $tests; do
		run_script "$path"
	done
	emit "# vswap guest suite: $((count - FAILED)) of $count scripts passed, $DONE of $total results reported"
	say "suite done: $((count - FAILED)) of $count scripts passed"
}

run_demo() {
	local rc
	emit "KTAP version 1" "1..1"
	sh /demo.sh </dev/console >/dev/console 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		emit "ok 1 demo"
	else
		emit "not ok 1 demo # exit status $rc"
	fi
}

main() {
	setup_system
	setup_channel
	read_cmdline
	LANE=$(cat /etc/vswap-lane 2>/dev/null || echo unknown)
	say "vswap guest: lane $LANE, kernel $(uname -r), mode $MODE${TESTS:+, tests $TESTS}"
	case $MODE in
	demo) run_demo ;;
	bench) sh /bench/run.sh "$RES" </dev/console >/dev/console 2>&1 ;;
	check | smoke) run_tests ;;
	*)
		emit "KTAP version 1" "1..1" "not ok 1 mode # unknown vswaptest.mode=$MODE"
		say "unknown vswaptest.mode=$MODE"
		;;
	esac
	emit "# vswap-suite-end"
	sync
	say "powering off"
	poweroff -f
	# Only reached if poweroff failed: PID 1 must not exit.
	while :; do
		sleep 60
	done
}

main
