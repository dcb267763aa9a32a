# ktap.sh: counting KTAP results, shared by the harness stages (sourced).
#
# Every stage of `make check` (each lane, the lint, the dkms check) prints its
# results as KTAP "ok N name" / "not ok N name" lines and leaves its tally in a
# counts file "PASSED FAILED SKIPPED" (build/STAGE/verdict.counts); check.sh adds
# them up into the final "N passed, N failed" line. Only top-level (unindented)
# result lines count: nested subtests are summarised by their parent line.
# A "# SKIP" result is an "ok" in KTAP and counts as passed (also tallied apart).

# shellcheck shell=bash

# ktap_tally FILE: print "PASSED FAILED SKIPPED PLAN" for a KTAP file
# (PLAN is N of a top-level "1..N" line, or - when there is none or several).
ktap_tally() {
	awk '
		/^ok [0-9]+/ { pass++; if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skip++ }
		/^not ok [0-9]+/ { fail++ }
		/^1\.\.[0-9]+[ \t]*$/ { plans++; plan = substr($0, 4) + 0 }
		END { printf "%d %d %d %s\n", pass, fail, skip, (plans == 1 ? plan : "-") }
	' "$1"
}

# ktap_result FILE N OK NAME: append one result line to a KTAP file and echo it.
ktap_result() {
	local file=$1 n=$2 ok=$3 name=$4 line
	if [[ $ok == 1 ]]; then
		line="ok $n $name"
	else
		line="not ok $n $name"
	fi
	echo "$line" | tee -a "$file"
}

# ktap_note FILE TEXT...: append text as KTAP diagnostic ("# ") lines and echo them.
ktap_note() {
	local file=$1
	shift
	printf '%s\n' "$@" | sed 's/^/# /' | tee -a "$file"
}

# write_counts DIR PASSED FAILED SKIPPED
write_counts() {
	mkdir -p "$1"
	echo "$2 $3 $4" >"$1/verdict.counts"
}
