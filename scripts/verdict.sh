#!/usr/bin/env bash
# verdict.sh LANE: judge one lane's boot from its result channel and its console.
#
# Prints the guest's KTAP (build/LANE/results.ktap, CRs stripped) as it is,
# then one "# lane L FAILED: why" line per lane-level failure, each counted as
# one failed result: the boot timed out or QEMU failed; the end marker
# "# vswap-suite-end" is missing (else: the results disagree with the plan
# line, or there are none); the kernel console shows a report (oops, BUG,
# WARNING, SLUB/KFENCE report, lockdep, hung task...: the lines are printed).
# Leaves the tally in build/LANE/verdict.counts; exits non-zero on any failure.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"
# shellcheck source=scripts/ktap.sh
source "$(dirname "${BASH_SOURCE[0]}")/ktap.sh"

readonly END_MARKER='# vswap-suite-end'

# Kernel reports that fail a lane (extended regexes, matched case-sensitively
# after the printk timestamp). Checked against clean boots of all three lanes.
# Only kernel messages are scanned, told from what the guest's programs print
# on the same console by their "[ seconds.micros]" timestamp (printk.time=1).
readonly REPORT_PATTERNS=(
	'Oops' 'BUG:' '^BUG [^ ]+ \(' 'WARNING:' 'Kernel panic' 'KFENCE' 'general protection'
	'Call Trace' '={20,}' 'Poison overwritten' 'Redzone' 'Object padding' 'Slab corruption'
	'INFO: Slab' 'Slab cache still has objects' 'Objects remaining' '^FIX [^ ]+: '
	'UBSAN' 'KASAN' 'possible circular locking' 'possible recursive locking'
	'inconsistent lock state' 'sleeping function called' 'suspected memory leak'
	'unreferenced object 0x' 'hung_task' 'Initramfs unpacking failed'
	'blocked for more than' 'soft lockup' 'hard LOCKUP' 'detected stall' 'RIP:'
	'list_(add|del) corruption' 'Bad page (state|map)' 'invalid opcode'
)
# Lines never taken as reports: the kernel echoing its own command line.
readonly IGNORE_PATTERNS=('^(Kernel c|C)ommand line: ')

LANE_FAILS=0

# lane_failure LANE WHY...: report one lane-level failure.
lane_failure() {
	local lane=$1
	shift
	echo "# lane $lane FAILED: $*"
	LANE_FAILS=$((LANE_FAILS + 1))
}

# Kernel messages on the console (from their timestamp on, which may follow
# a guest program's unfinished line), timestamps stripped.
kernel_messages() {
	tr -d '\r' <"$1" | grep -aoE '\[ *[0-9]+\.[0-9]{6}\].*' | sed -E 's/^\[ *[0-9.]+\] ?//'
}

# Kernel messages that look like kernel reports.
console_reports() {
	local console=$1 re ign
	re=$(IFS='|' && echo "${REPORT_PATTERNS[*]}")
	ign=$(IFS='|' && echo "${IGNORE_PATTERNS[*]}")
	kernel_messages "$console" | grep -E -- "$re" | grep -Ev -- "$ign" || true
}

main() {
	[[ $# -eq 1 ]] || die "usage: verdict.sh LANE"
	local lane=$1 out ktap console status pass fail skip plan reports total_fail skipped=
	lane_lock "$lane"
	out=$(lane_out "$lane")
	ktap=$out/results.txt
	console=$out/console.log
	if [[ -f $out/results.ktap ]]; then
		tr -d '\r' <"$out/results.ktap" >"$ktap"
	else
		: >"$ktap"
	fi
	cat "$ktap"
	read -r pass fail skip plan < <(ktap_tally "$ktap")
	status=$(cat "$out/boot.status" 2>/dev/null || echo "missing")
	case $status in
	"exit 0") ;;
	timeout*) lane_failure "$lane" "timeout: no end after ${status#timeout }s, QEMU killed" ;;
	*) lane_failure "$lane" "QEMU did not run cleanly (boot status: $status)" ;;
	esac
	if ! grep -qxF "$END_MARKER" "$ktap"; then
		lane_failure "$lane" "end marker '$END_MARKER' missing; the console ended with:"
		[[ ! -f $console ]] || tail -n 25 "$console" | tr -d '\r' | sed 's/^/#   /'
	elif [[ $plan != - && $plan -ne $((pass + fail)) ]]; then
		lane_failure "$lane" "plan 1..$plan but $((pass + fail)) results"
	elif [[ $((pass + fail)) -eq 0 ]]; then
		lane_failure "$lane" "no test results"
	fi
	if [[ ! -f $console ]]; then
		lane_failure "$lane" "no console log"
	else
		reports=$(console_reports "$console")
		if [[ -n $reports ]]; then
			lane_failure "$lane" "kernel reports on the console (${console#"$REPO"/}):"
			head -n 40 <<<"$reports" | sed 's/^/#   /'
			[[ $(wc -l <<<"$reports") -le 40 ]] ||
				echo "#   ... $(($(wc -l <<<"$reports") - 40)) more matching lines"
		fi
	fi
	total_fail=$((fail + LANE_FAILS))
	write_counts "$out" "$pass" "$total_fail" "$skip"
	[[ $skip -eq 0 ]] || skipped=" ($skip of the passed skipped)"
	echo "# lane $lane: $pass passed, $total_fail failed$skipped"
	[[ $total_fail -eq 0 ]] || exit 1
}

main "$@"
