#!/usr/bin/env bash
# check.sh: the whole test run behind `make check`, ending in "N passed, N failed".
#
# For each lane in LANES (default "6.1 6.12 7.3"), one after the other (the
# machine has 2 cores and each guest uses -smp 2): build vswap.ko, build the
# initramfs, boot it under QEMU TCG and judge it (verdict.sh prints the guest's
# KTAP). Then the lint (checkpatch, sparse), the DKMS check and the bench
# smoke run (bench/run.sh smoke), unless CHECK_LINT=0 / CHECK_DKMS=0 /
# CHECK_BENCH=0. CHECK_DEPS=1 runs scripts/deps.sh first.
# A lane whose module or initramfs does not build counts as one failure.
# The last line sums every stage's results: "N passed, N failed"; the exit
# status is non-zero if anything failed. Logs: build/LANE/{build.log,console.log,
# results.ktap}, build/lint/, build/dkms/, build/bench/smoke/.
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
SCRIPTS=$REPO/scripts
# This run's tallies, one file per stage ("PASSED FAILED SKIPPED"), copied from
# the stages' verdict.counts while they still hold their lane's lock.
RUN_DIR=
STAGES=0

cleanup() {
	[[ -z $RUN_DIR ]] || rm -rf "$RUN_DIR"
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

# Install/prepare dependencies; a failure counts once and the lanes still run
# (those that lack something then fail on their own, with a hint).
run_deps() {
	echo "# ======== deps ========"
	if "$SCRIPTS/deps.sh"; then
		echo "0 0 0" >"$RUN_DIR/deps"
	else
		echo "# deps FAILED: scripts/deps.sh"
		echo "0 1 0" >"$RUN_DIR/deps"
	fi
	record deps "$RUN_DIR/deps"
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

# The debug lane (KASAN, lockdep, kmemleak: 10-15 times slower under TCG)
# runs, within `make check`, the whole suite with data sizes divided by
# DEBUG_SCALE (vswaptest.scale=, see tests/guest/lib.sh: the same paths with
# less data) except DEBUG_SKIP, to keep CI within its time: those scripts'
# paths (the swap-out/in path under a cgroup, stress-ng on top of it, the
# header) are covered on this kernel by the rest. `make check-debug` runs
# all of it (DEBUG_SKIP=).
DEBUG_SCALE=${DEBUG_SCALE:-8}
DEBUG_SKIP=${DEBUG_SKIP-20-header,35-integrity-cgroup,45-stress}
DEBUG_MEM=${DEBUG_MEM:-448M}

# debug_tests: every guest test script but DEBUG_SKIP, as a TESTS= list.
debug_tests() {
	local f name list=
	for f in "$REPO"/tests/guest/tests/[0-9][0-9]-*.sh; do
		name=$(basename "$f" .sh)
		[[ ,$DEBUG_SKIP, == *,$name,* ]] || list+=${list:+,}$name
	done
	echo "$list"
}

run_lane() {
	local lane=$1
	echo "# ======== lane $lane ========"
	# A subshell: the lane's lock is released when it ends.
	if [[ $lane == debug ]]; then
		(TESTS=${TESTS:-$(debug_tests)} GUEST_MEM=$DEBUG_MEM \
			VSWAP_APPEND="${VSWAP_APPEND:-} vswaptest.scale=$DEBUG_SCALE" \
			lane_steps "$lane") || true
	else
		(lane_steps "$lane") || true
	fi
	record "lane-$lane" "$RUN_DIR/lane-$lane"
	rm -f "$RUN_DIR/lane-$lane"
}

# run_stage NAME DIR CMD...: a non-lane stage that leaves DIR/verdict.counts.
run_stage() {
	local name=$1 dir=$2
	shift 2
	echo "# ======== $name ========"
	rm -f "$dir/verdict.counts"
	"$@" || true
	record "$name" "$dir/verdict.counts"
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
	for lane in $LANES; do
		run_lane "$lane"
	done
	[[ $CHECK_LINT == 0 ]] || run_stage lint "$BUILD/lint" "$SCRIPTS/lint.sh"
	[[ $CHECK_DKMS == 0 ]] || run_stage dkms-check "$BUILD/dkms" "$SCRIPTS/dkms-check.sh"
	# The benchmark's pipeline, tiny and once, so that `make bench` cannot rot.
	[[ $CHECK_BENCH == 0 ]] ||
		run_stage bench-smoke "$BUILD/bench/smoke" env BENCH_DEPS=0 "$REPO/bench/run.sh" smoke
	summary
}

main "$@"
