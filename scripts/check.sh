#!/usr/bin/env bash
# check.sh: the whole test run behind `make check`, ending in "N passed, N failed".
#
# For each lane in LANES (default "6.1 6.12 7.3 debug"): build vswap.ko, build
# the initramfs, boot it under QEMU TCG and judge it (verdict.sh prints the
# guest's KTAP). Also the lint (checkpatch, sparse), the DKMS check and the
# bench smoke run (bench/run.sh smoke), and first, in the foreground (a few
# seconds on the host), the host tests of tools/ (vswapctl), unless
# CHECK_LINT=0 / CHECK_DKMS=0 / CHECK_BENCH=0 / CHECK_TOOLS=0. CHECK_DEPS=1 installs the host's packages first
# (scripts/deps.sh packages).
#
# Why some of it runs in the background: CI has 2 cores and 45 minutes, and a
# TCG guest with -smp 2 keeps only about 1.4 of them busy. So the 7.3 chroot,
# and in a second job the debug kernel (both only when CHECK_DEPS=1 and they
# are missing), the lint, the DKMS check and the bench smoke run, run at
# nice 19 on the CPU the test guests leave idle. The lanes that need none of
# it (6.12, 6.1) boot first; 7.3 waits for its chroot and debug for its kernel.
# The test guests run one at a time, at normal priority: their timing is what
# the tests see. A background step's output is printed, whole, when its
# result is recorded.
#
# A lane whose module or initramfs does not build counts as one failure.
# The last line sums every stage's results: "N passed, N failed"; the exit
# status is non-zero if anything failed. Logs: build/LANE/{build.log,console.log,
# results.ktap}, build/lint/, build/dkms/, build/bench/smoke/, build/check/
# (the background steps' logs).
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"
# shellcheck source=scripts/ktap.sh
source "$(dirname "${BASH_SOURCE[0]}")/ktap.sh"

LANES=${LANES:-$ALL_LANES}
CHECK_DEPS=${CHECK_DEPS:-0}
CHECK_LINT=${CHECK_LINT:-1}
CHECK_DKMS=${CHECK_DKMS:-1}
CHECK_BENCH=${CHECK_BENCH:-1}
CHECK_TOOLS=${CHECK_TOOLS:-1}
SCRIPTS=$REPO/scripts
# This run's tallies, one file per stage ("PASSED FAILED SKIPPED"), copied from
# the stages' verdict.counts while they still hold their lane's lock.
RUN_DIR=
STAGES=0

cleanup() {
	[[ -z $RUN_DIR ]] || rm -rf "$RUN_DIR"
	# Stopped early: end the background jobs' steps too.
	local pid
	for pid in "${BG_PIDS[@]}"; do
		pkill -TERM -P "$pid" 2>/dev/null || true
	done
}

# record NAME FILE: tally a stage from its counts FILE; none means one failure.
record() {
	local name=$1 file=$2 dest
	STAGES=$((STAGES + 1))
	dest=$RUN_DIR/$(printf '%02d' "$STAGES")-$name
	if [[ -f $file ]]; then
		cp "$file" "$dest"
	else
		echo "# $name FAILED: it stopped before reporting"
		echo "0 1 0" >"$dest"
	fi
}

# Install the host's packages; a failure counts once and the lanes still run
# (those that lack something then fail on their own, with a hint).
run_deps() {
	echo "# ======== deps ========"
	if "$SCRIPTS/deps.sh" packages; then
		echo "0 0 0" >"$RUN_DIR/deps"
	else
		echo "# deps FAILED: scripts/deps.sh packages"
		echo "0 1 0" >"$RUN_DIR/deps"
	fi
	record deps "$RUN_DIR/deps"
}

# The host tests of the userspace tools (tools/vswapctl/tests/run.sh: a fake
# sysfs tree, no guest); they leave build/tools/verdict.counts.
run_tools() {
	local out=$BUILD/tools
	echo "# ======== tools ========"
	rm -f "$out/verdict.counts"
	"$REPO/tools/vswapctl/tests/run.sh" --out "$out" || true
	record tools "$out/verdict.counts"
}

# ---- the background jobs -----------------------------------------------------
# Two subshells at nice 19, each running its steps in order: the 7.3 chroot
# (mostly download and unpacking), and the CPU-bound chain: the debug kernel,
# lint, dkms-check, then the bench smoke run (a guest of its own, which
# therefore only gets the CPU the foreground guest leaves idle: its figures
# are not used, only that the pipeline works). Step NAME leaves its output in
# BG_DIR/NAME.log and its exit status in BG_DIR/NAME.rc.
BG_DIR=$BUILD/check
BG_PIDS=()

bg_step() {
	local name=$1 rc=0
	shift
	nice -n 19 "$@" >"$BG_DIR/$name.log" 2>&1 </dev/null || rc=$?
	echo "$rc" >"$BG_DIR/$name.rc"
}

has_lane() {
	[[ " $LANES " == *" $1 "* ]]
}

bg_start() {
	mkdir -p "$BG_DIR"
	rm -f "$BG_DIR"/*.rc "$BG_DIR"/*.log "$BUILD/lint/verdict.counts" \
		"$BUILD/dkms/verdict.counts" "$BUILD/bench/smoke/verdict.counts"
	if [[ $CHECK_DEPS != 0 ]] && has_lane 7.3; then
		bg_step trixie "$SCRIPTS/deps.sh" trixie &
		BG_PIDS+=($!)
	fi
	(
		if [[ $CHECK_DEPS != 0 ]] && has_lane debug; then
			bg_step debug-kernel "$SCRIPTS/deps.sh" debug-kernel
		fi
		[[ $CHECK_LINT == 0 ]] || bg_step lint "$SCRIPTS/lint.sh"
		[[ $CHECK_DKMS == 0 ]] || bg_step dkms-check "$SCRIPTS/dkms-check.sh"
		# The benchmark's pipeline, tiny and once, so that `make bench` cannot rot.
		[[ $CHECK_BENCH == 0 ]] ||
			bg_step bench-smoke env BENCH_DEPS=0 "$REPO/bench/run.sh" smoke
	) &
	BG_PIDS+=($!)
	echo "# background jobs (pids ${BG_PIDS[*]}, nice 19): chroot and debug kernel if" \
		"missing, lint, dkms-check, bench smoke; logs in ${BG_DIR#"$REPO"/}/"
}

bg_running() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		! kill -0 "$pid" 2>/dev/null || return 0
	done
	return 1
}

# bg_wait NAME: wait for background step NAME, print its output; its status.
bg_wait() {
	local name=$1 start
	start=$(date +%s)
	while [[ ! -f $BG_DIR/$name.rc ]]; do
		if ! bg_running; then
			echo "# background step $name never ran (the jobs ended)"
			return 1
		fi
		sleep 2
	done
	echo "# ---- background step $name (waited $(($(date +%s) - start))s) ----"
	cat "$BG_DIR/$name.log"
	return "$(cat "$BG_DIR/$name.rc")"
}

# bg_prepared NAME: before a lane that needs it, wait for a preparation step;
# its failure counts once (the lane then fails on its own, with a hint).
bg_prepared() {
	local name=$1
	[[ $CHECK_DEPS != 0 ]] || return 0
	echo "# ======== deps: $name ========"
	if bg_wait "$name"; then
		echo "0 0 0" >"$RUN_DIR/deps-$name"
	else
		echo "# deps FAILED: scripts/deps.sh $name"
		echo "0 1 0" >"$RUN_DIR/deps-$name"
	fi
	record "deps-$name" "$RUN_DIR/deps-$name"
}

# bg_stage NAME DIR: record a background stage that leaves DIR/verdict.counts.
bg_stage() {
	local name=$1 dir=$2
	echo "# ======== $name ========"
	bg_wait "$name" || true
	record "$name" "$dir/verdict.counts"
}

# lane_steps LANE: build, boot and judge one lane, holding the lane's lock;
# leaves the tally in RUN_DIR/lane-LANE.
lane_steps() {
	local lane=$1 out start
	start=$(date +%s)
	lane_lock "$lane"
	out=$(lane_out "$lane")
	rm -f "$out/verdict.counts"
	if ! "$SCRIPTS/build-module.sh" "$lane"; then
		echo "# lane $lane FAILED: vswap.ko did not build"
		write_counts "$out" 0 1 0
	elif ! "$SCRIPTS/mkinitramfs.sh" "$lane"; then
		echo "# lane $lane FAILED: the initramfs did not build"
		write_counts "$out" 0 1 0
	else
		"$SCRIPTS/boot.sh" "$lane" check || true
		"$SCRIPTS/verdict.sh" "$lane" || true
		echo "# lane $lane took $(($(date +%s) - start))s"
	fi
	if [[ -f $out/verdict.counts ]]; then
		cp "$out/verdict.counts" "$RUN_DIR/lane-$lane"
	fi
}

# Data volume per lane (vswaptest.scale=N: tests size their data from
# MemTotal/N, see tests/guest/lib.sh; the same code paths, less data), as
# LANE:N words; a lane not named runs at full volume (CHECK_SCALES= runs every
# lane so). The scripts that prove a volume the spec asks of every Debian
# kernel (30, 35: mixed content totalling 3 x guest RAM; 76: 3 x guest RAM
# through the device under a pool limit) run at full volume on every Debian
# kernel: only CHECK_INTEGRITY_SCALES (vswaptest.integrity_scale=) shrinks
# them, on the debug lane. The rest moves a quarter of the data, an eighth on
# the debug kernel (KASAN, lockdep, kmemleak: 10-15 times slower under TCG):
# within CI's 45 minutes on 2 cores, coverage counts over volume.
CHECK_SCALES=${CHECK_SCALES-6.1:4 6.12:4 7.3:4 debug:8}
CHECK_INTEGRITY_SCALES=${CHECK_INTEGRITY_SCALES-debug:8}

# scale_of LANE LIST: the N of LANE's "LANE:N" word in LIST, else 1.
scale_of() {
	local word
	for word in $2; do
		[[ ${word%%:*} != "$1" ]] || { echo "${word#*:}"; return; }
	done
	echo 1
}

# The debug lane runs, within `make check`, the whole suite except DEBUG_SKIP,
# to keep CI within its time. The paths of 20, 35 and 45 (the header, the
# swap-out/in path under a cgroup, stress-ng on top of it) are covered on this
# kernel by the rest; 75 takes 3.5 minutes there, and its own paths (attach's
# input checks, the writeback modes, tier priorities) run on this kernel only
# in `make check-debug`, which runs all of it (DEBUG_SKIP=). 74 (stores and
# swap-ins next to a drain over dm-delay: ordering checks that assume the
# guest is not 10-15 times slower than the delays it sets) and 76 (automatic
# writeback at volume) exercise the writeback lock and the bounded wait that
# 77, 78 and 79 run on this kernel under lockdep too. 85-soak takes about 9
# minutes here (3 x RAM/8 under KASAN): `make check-debug` and
# `make soak LANE=debug` run it.
DEBUG_SKIP=${DEBUG_SKIP-20-header,35-integrity-cgroup,45-stress,74-wb-stalls,75-wb-basic,76-wb-auto,85-soak}
DEBUG_MEM=${DEBUG_MEM:-448M}

# Scripts the Debian lanes skip within `make check`, as LANE:NAME,NAME words
# (`make check-lane` runs every script; CHECK_SKIPS= runs them all here too).
# 74-wb-stalls proves bounds of vswap's own code (a store next to a drain, a
# swap-in next to a slow read) that no kernel difference touches: it runs on
# 6.12, and on the others in check-lane. 85-soak runs on 6.12 and 7.3, the
# oldest kernel's swap core being the one the other suites cover longest.
CHECK_SKIPS=${CHECK_SKIPS-6.1:74-wb-stalls,85-soak 7.3:74-wb-stalls}

# tests_but SKIP: every guest test script but those in the comma list SKIP,
# as a TESTS= list.
tests_but() {
	local f name list=
	for f in "$REPO"/tests/guest/tests/[0-9][0-9]-*.sh; do
		name=$(basename "$f" .sh)
		[[ ,$1, == *,$name,* ]] || list+=${list:+,}$name
	done
	echo "$list"
}

# debug_tests: every guest test script but DEBUG_SKIP, as a TESTS= list.
debug_tests() {
	tests_but "$DEBUG_SKIP"
}

# lane_tests LANE: the TESTS= list of a Debian lane: all but its CHECK_SKIPS
# and, as /init does for an empty list, the NN-debug-* scripts, which need
# the debug kernel.
lane_tests() {
	local word f skip=
	for word in $CHECK_SKIPS; do
		[[ ${word%%:*} != "$1" ]] || skip=${word#*:}
	done
	for f in "$REPO"/tests/guest/tests/[0-9][0-9]-debug-*.sh; do
		[[ -e $f ]] && skip+=${skip:+,}$(basename "$f" .sh)
	done
	tests_but "$skip"
}

run_lane() {
	local lane=$1 scale iscale append=${VSWAP_APPEND:-}
	scale=$(scale_of "$lane" "$CHECK_SCALES")
	iscale=$(scale_of "$lane" "$CHECK_INTEGRITY_SCALES")
	[[ $scale == 1 ]] || append+=" vswaptest.scale=$scale"
	[[ $iscale == 1 ]] || append+=" vswaptest.integrity_scale=$iscale"
	echo "# ======== lane $lane (data scale 1/$scale, integrity scripts 1/$iscale) ========"
	# A subshell: the lane's lock is released when it ends.
	if [[ $lane == debug ]]; then
		(TESTS=${TESTS:-$(debug_tests)} GUEST_MEM=$DEBUG_MEM VSWAP_APPEND=$append \
			lane_steps "$lane") || true
	else
		(TESTS=${TESTS:-$(lane_tests "$lane")} VSWAP_APPEND=$append \
			lane_steps "$lane") || true
	fi
	record "lane-$lane" "$RUN_DIR/lane-$lane"
	rm -f "$RUN_DIR/lane-$lane"
}

# The lanes in the order they run: those that need nothing from the background
# jobs first, then 7.3 (its chroot), then debug (its kernel).
lane_order() {
	local lane
	for lane in 6.12 6.1 7.3 debug; do
		! has_lane "$lane" || echo "$lane"
	done
}

summary() {
	local f p s k pass=0 fail=0 skip=0
	echo "# ======== summary ========"
	for f in "$RUN_DIR"/[0-9]*; do
		[[ -f $f ]] || continue
		read -r p s k <"$f"
		pass=$((pass + p))
		fail=$((fail + s))
		skip=$((skip + k))
	done
	[[ $skip -eq 0 ]] || echo "# $skip of the passed results were skips"
	echo "$pass passed, $fail failed"
	[[ $fail -eq 0 ]] || exit 1
}

main() {
	local lane
	for lane in $LANES; do
		lane_check "$lane"
	done
	RUN_DIR=$(mktemp -d /tmp/vswap-check.XXXXXX)
	trap cleanup EXIT
	[[ $CHECK_DEPS == 0 ]] || run_deps
	bg_start
	[[ $CHECK_TOOLS == 0 ]] || run_tools
	for lane in $(lane_order); do
		case $lane in
		7.3) bg_prepared trixie ;;
		debug) bg_prepared debug-kernel ;;
		esac
		run_lane "$lane"
	done
	[[ $CHECK_LINT == 0 ]] || bg_stage lint "$BUILD/lint"
	[[ $CHECK_DKMS == 0 ]] || bg_stage dkms-check "$BUILD/dkms"
	[[ $CHECK_BENCH == 0 ]] || bg_stage bench-smoke "$BUILD/bench/smoke"
	wait "${BG_PIDS[@]}" || true
	summary
}

main "$@"
