#!/usr/bin/env bash
# bench/run.sh [full|smoke|report]: the benchmark behind `make bench` (full),
# `make bench-smoke` (smoke) and `make bench-report` (report), host side.
#
# Why: users choose between vswap, zram and zswap; this measures them (and brd,
# the swap path with no compression) against each other in one VM boot per
# kernel, so every figure is also a ratio against zram from the same boot.
# Per lane (BENCH_LANES): build vswap.ko and the suite's initramfs with the
# harness's own scripts, append bench/guest/ as /bench (a second cpio archive:
# the kernel unpacks concatenated archives), boot it with vswaptest.mode=bench
# (bench/boot-bench.sh), then check the run: every repetition reported, no
# failure row, no kernel error on the console. Then bench/report.sh turns the
# rows into CSV, a markdown table and PNG plots.
#   full   lanes 6.12 and 7.3 (6.1 adds a third of the time: BENCH_LANES),
#          BENCH_REPS (5) repetitions, the sizes of bench/guest/run.sh's full
#          profile, an ftrace profile of the micro workload; results in
#          bench/results/
#   smoke  1 repetition, tiny sizes, lane 6.12; results in build/bench/smoke/
#          (the committed results are left alone)
#   report no boot: bench/results/ remade from the last full run of each lane
#          (so lanes run separately, e.g. BENCH_LANES=6.1, join one report)
# Exit status non-zero if any lane failed or the report could not be made;
# smoke also leaves OUTDIR/verdict.counts ("PASSED FAILED 0", one result per
# lane and one for the report) for scripts/check.sh's run_stage.
# Environment: BENCH_LANES, BENCH_REPS, BENCH_FTRACE (0/1), BENCH_DEPS (1: run
# scripts/deps.sh first), BENCH_OUT, GUEST_MEM, BENCH_TIMEOUT, BENCH_APPEND.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lanes.sh"

BENCH=$REPO/bench
SCRIPTS=$REPO/scripts
# Kernel messages that mean a bug, as printk-timestamped console lines.
KERNEL_ERRORS='^\[ *[0-9]+\.[0-9]+\].*((^|[^A-Za-z_])BUG|WARNING:|Oops|KFENCE|UBSAN|general protection|Kernel panic|Call Trace|invalid opcode|list_(add|del) corruption|Bad page|Poison overwritten|Redzone|sleeping function called|blocked for more than|soft lockup|hard LOCKUP|rcu.*(stall|self-detected)|refcount_t:|Bad swap|Unable to handle|kernel NULL pointer|Out of memory)'

# initramfs_current LANE: the lane's initramfs was built from this vswap.ko and
# from the current guest files and scripts (so it need not be rebuilt).
initramfs_current() {
	local out=$1 ko
	[[ -f $out/initramfs.cpio.zst && -f $out/vswap.ko ]] || return 1
	ko=$(find "$out/initramfs/lib/modules" -path '*/extra/vswap.ko' 2>/dev/null | head -n 1)
	[[ -n $ko ]] && cmp -s "$ko" "$out/vswap.ko" || return 1
	[[ -z $(find "$REPO/tests/guest" "$SCRIPTS/mkinitramfs.sh" "$SCRIPTS/lanes.sh" \
		-newer "$out/initramfs.cpio.zst" -print -quit) ]]
}

# bench_archive DEST: bench/guest/*.sh as /bench/*.sh, one zstd-compressed cpio.
bench_archive() {
	local dest=$1 tree
	tree=$(mktemp -d)
	mkdir -p "$tree/bench"
	install -m 755 "$BENCH"/guest/*.sh "$tree/bench/"
	(cd "$tree" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | zstd -q -19 -o "$dest" -f
	rm -rf "$tree"
}

# prepare_lane LANE: module, the suite's initramfs (holding the lane's lock while
# reading its files), then build/bench/LANE/initramfs.cpio.zst = it + /bench.
prepare_lane() {
	local lane=$1 out bout
	out=$(lane_out "$lane")
	bout=$BUILD/bench/$lane
	mkdir -p "$bout"
	(
		lane_lock "$lane"
		"$SCRIPTS/build-module.sh" "$lane"
		if initramfs_current "$out"; then
			log "lane $lane: the initramfs is up to date"
		else
			"$SCRIPTS/mkinitramfs.sh" "$lane"
		fi
		cp "$out/initramfs.cpio.zst" "$bout/suite.cpio.zst"
		rm -f "$bout/tools.img"
		[[ ! -f $out/tools.img ]] || cp --sparse=always "$out/tools.img" "$bout/tools.img"
	)
	bench_archive "$bout/bench.cpio.zst"
	cat "$bout/suite.cpio.zst" "$bout/bench.cpio.zst" >"$bout/initramfs.cpio.zst"
}

# console_errors CONSOLE: the kernel's error lines, less memory-cgroup OOM
# reports (the workloads count their cgroups' OOM kills as a figure; the guest
# filters its own log the same way, see kernel_errors in guest/run.sh, also
# for the unwinder's note on function_graph's trampoline). A global OOM stays
# an error.
console_errors() {
	awk '
		/WARNING: stack going in the wrong direction\? at return_to_handler/ { next }
		/invoked oom-killer/ { skip = 1; n = 0; next }
		skip && /Memory cgroup out of memory: Killed process/ { skip = 0; next }
		skip && /Out of memory: Killed process/ { skip = 0; print; next }
		skip && ++n > 300 { skip = 0 }
		!skip' "$1" | grep -E "$KERNEL_ERRORS"
}

# judge_lane LANE REPS: the run ended with END,ok, reported every repetition,
# and the console shows no kernel error. Prints why not.
judge_lane() {
	local lane=$1 reps=$2 bout res con bad=0 got
	bout=$BUILD/bench/$lane
	res=$bout/results.txt
	con=$bout/console.log
	if [[ ! -s $res ]]; then
		echo "lane $lane: no results (console: $con)"
		tail -n 30 "$con" 2>/dev/null | sed 's/^/#   /'
		return 1
	fi
	tr -d '\r' <"$res" >"$res.tmp" && mv "$res.tmp" "$res"
	if grep -q '^E,' "$res"; then
		echo "lane $lane: failures reported by the guest:"
		grep '^E,' "$res" | sed 's/^/#   /'
		bad=1
	fi
	if ! grep -q '^END,ok' "$res"; then
		echo "lane $lane: the run did not end with END,ok ($(grep '^END' "$res" || echo 'no END line'))"
		tail -n 30 "$con" | sed 's/^/#   /'
		bad=1
	fi
	got=$(awk -F, '$1 == "R" && $5 > 0 { print $5 }' "$res" | sort -u | wc -l)
	if [[ $got -ne $reps ]]; then
		echo "lane $lane: rows for $got repetitions, want $reps"
		bad=1
	fi
	if console_errors "$con" >/dev/null; then
		echo "lane $lane: kernel errors on the console:"
		console_errors "$con" | head -n 5 | sed 's/^/#   /'
		bad=1
	fi
	return "$bad"
}

# report_only: remake the full report from the last full run of each lane
# (BENCH_LANES, default every lane whose last run was a full one).
report_only() {
	local lanes=() lane res
	for lane in ${BENCH_LANES:-6.12 7.3 6.1}; do
		res=$BUILD/bench/$lane/results.txt
		grep -qx 'I,profile,full' "$res" 2>/dev/null && lanes+=("$lane")
	done
	[[ ${#lanes[@]} -gt 0 ]] || die "no full benchmark results in build/bench/ (make bench)"
	"$BENCH/report.sh" "${BENCH_OUT:-$BENCH/results}" full "${lanes[@]}"
}

main() {
	local mode=${1:-full} lanes reps ftrace outdir lane start failed=0 t0 have=() total
	case $mode in
	full)
		lanes=${BENCH_LANES:-6.12 7.3}
		reps=${BENCH_REPS:-5}
		ftrace=${BENCH_FTRACE:-1}
		outdir=${BENCH_OUT:-$BENCH/results}
		;;
	smoke)
		lanes=${BENCH_LANES:-6.12}
		reps=${BENCH_REPS:-1}
		ftrace=${BENCH_FTRACE:-1}
		outdir=${BENCH_OUT:-$BUILD/bench/smoke}
		;;
	report)
		report_only
		return
		;;
	*) die "usage: bench/run.sh [full|smoke|report]" ;;
	esac
	start=$(date +%s)
	if [[ ${BENCH_DEPS:-1} == 1 ]]; then
		LANES=$lanes "$SCRIPTS/deps.sh"
	fi
	command -v gnuplot >/dev/null || die "gnuplot missing (scripts/deps.sh installs gnuplot-nox)"
	for lane in $lanes; do
		t0=$(date +%s)
		log "==== lane $lane: $mode benchmark, $reps repetitions"
		rm -f "$BUILD/bench/$lane/results.txt"
		if ! prepare_lane "$lane"; then
			echo "# lane $lane FAILED: module or initramfs did not build"
			failed=$((failed + 1))
			continue
		fi
		"$BENCH/boot-bench.sh" "$lane" "$mode" "$reps" "$ftrace" || true
		if ! judge_lane "$lane" "$reps" | sed 's/^/# /'; then
			echo "# lane $lane FAILED"
			failed=$((failed + 1))
		fi
		# Whatever the verdict, the rows the lane has go into the report.
		[[ ! -s $BUILD/bench/$lane/results.txt ]] || have+=("$lane")
		log "lane $lane took $(($(date +%s) - t0))s"
	done
	if [[ ${#have[@]} -eq 0 ]]; then
		echo "# no lane produced results"
		failed=$((failed + 1))
	elif ! "$BENCH/report.sh" "$outdir" "$mode" "${have[@]}"; then
		echo "# report FAILED"
		failed=$((failed + 1))
	fi
	log "$mode benchmark: $failed failure(s), $(($(date +%s) - start))s; results in ${outdir#"$REPO"/}/"
	# For scripts/check.sh's run_stage: "PASSED FAILED SKIPPED" (lanes + report).
	if [[ $mode == smoke ]]; then
		total=$(($(wc -w <<<"$lanes") + 1))
		mkdir -p "$outdir"
		echo "$((total > failed ? total - failed : 0)) $failed 0" >"$outdir/verdict.counts"
	fi
	[[ $failed -eq 0 ]] || exit 1
}

main "$@"
exit
