#!/usr/bin/env bash
# lint.sh [checkpatch|sparse|all]: static checks of the module sources, as KTAP.
#
# checkpatch: the kernel's checkpatch.pl --strict, one result per source file
# (*.c, *.h, include/*.h). Debian ships no checkpatch outside the kernel source,
# so checkpatch.pl and the data files it reads are extracted once from
# /usr/src/linux-source-6.12.tar.xz into ${VSWAP_CACHE}/checkpatch (re-extracted
# when the tarball changes or the copy is missing).
# sparse: `make C=2` against the 6.12 lane's headers, in build/lint/sparse-src;
# any warning or error fails it.
# Results: build/lint/results.ktap and build/lint/verdict.counts (see ktap.sh);
# logs: build/lint/sparse.log, build/lint/checkpatch-FILE.log.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"
# shellcheck source=scripts/ktap.sh
source "$(dirname "${BASH_SOURCE[0]}")/ktap.sh"

readonly SOURCE_TARBALL=/usr/src/linux-source-6.12.tar.xz
readonly CHECKPATCH_DIR=$CACHE/checkpatch
readonly CHECKPATCH_FILES=(scripts/checkpatch.pl scripts/spelling.txt
	scripts/const_structs.checkpatch Documentation/dev-tools/checkpatch.rst)
readonly SPARSE_LANE=6.12
OUT=$BUILD/lint
KTAP=$OUT/results.ktap
N=0

# checkpatch_cached STAMP: true when the cache is complete and from that tarball.
checkpatch_cached() {
	local f
	[[ -f $CHECKPATCH_DIR/.stamp && $(cat "$CHECKPATCH_DIR/.stamp") == "$1" ]] || return 1
	for f in "${CHECKPATCH_FILES[@]}"; do
		[[ -f $CHECKPATCH_DIR/$f ]] || return 1
	done
}

# Extract checkpatch.pl and its data files unless the cached copy matches the tarball.
checkpatch_setup() {
	local stamp top
	[[ -f $SOURCE_TARBALL ]] || die "$SOURCE_TARBALL missing (install linux-source-6.12: make deps)"
	stamp=$(stat -c '%s %Y' "$SOURCE_TARBALL")
	checkpatch_cached "$stamp" && return 0
	log "extracting checkpatch from $SOURCE_TARBALL into $CHECKPATCH_DIR"
	rm -rf "$CHECKPATCH_DIR"
	mkdir -p "$CHECKPATCH_DIR"
	top=$(basename "$SOURCE_TARBALL" .tar.xz)
	tar -xJf "$SOURCE_TARBALL" -C "$CHECKPATCH_DIR" --strip-components=1 \
		"${CHECKPATCH_FILES[@]/#/$top/}" || die "extracting checkpatch failed"
	echo "$stamp" >"$CHECKPATCH_DIR/.stamp"
}

# The module's source files to check, relative to the source root.
lint_files() {
	local src=$1
	(cd "$src" && find . -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -printf '%P\n' &&
		if [[ -d include ]]; then find include -type f -name '*.h'; fi) | LC_ALL=C sort
}

run_checkpatch() {
	local src=${VSWAP_SRC:-$REPO} files f log lines
	checkpatch_setup
	mapfile -t files < <(lint_files "$src")
	if [[ ${#files[@]} -eq 0 ]]; then
		N=$((N + 1))
		ktap_result "$KTAP" "$N" 0 "checkpatch: no module sources found in $src"
		return
	fi
	for f in "${files[@]}"; do
		N=$((N + 1))
		log=$OUT/checkpatch-${f//\//_}.log
		# shellcheck disable=SC2046 # the ignore list is split into options on purpose
		if (cd "$src" && perl "$CHECKPATCH_DIR/scripts/checkpatch.pl" --strict --no-tree \
			--show-types $(checkpatch_ignores "$f") --file "$f") >"$log" 2>&1; then
			ktap_result "$KTAP" "$N" 1 "checkpatch $f"
		else
			ktap_result "$KTAP" "$N" 0 "checkpatch $f"
			mapfile -t lines < <(sed -n '/^NOTE: /q; /^$/!p' "$log")
			ktap_note "$KTAP" "${lines[@]}"
		fi
	done
}

# --ignore TYPES for FILE from scripts/checkpatch-exceptions (each justified
# in a comment in the code it covers).
checkpatch_ignores() {
	local types
	types=$(awk -v f="$1" '!/^#/ && $1 == f { print $2 }' "$REPO/scripts/checkpatch-exceptions")
	[[ -z $types ]] || echo "--ignore $types"
}

run_sparse() {
	local src=$OUT/sparse-src log=$OUT/sparse.log ok=1 lines
	N=$((N + 1))
	command -v sparse >/dev/null || die "sparse missing (make deps)"
	sync_module_sources "$src"
	log "sparse (C=2) against $(lane_kver "$SPARSE_LANE") (log: ${log#"$REPO"/})"
	lane_make "$SPARSE_LANE" M="$src" C=2 modules >"$log" 2>&1 || ok=0
	grep -qE '(warning|error):' "$log" && ok=0
	ktap_result "$KTAP" "$N" "$ok" "sparse $(lane_kver "$SPARSE_LANE")"
	if [[ $ok == 0 ]]; then
		mapfile -t lines < <(grep -E '(warning|error):' "$log" || tail -n 20 "$log")
		ktap_note "$KTAP" "${lines[@]}"
	fi
}

main() {
	local what=${1:-all} pass fail skip
	mkdir -p "$OUT"
	rm -f "$OUT"/checkpatch-*.log
	echo "KTAP version 1" >"$KTAP"
	echo "KTAP version 1"
	echo "# lint: $what"
	case $what in
	checkpatch) run_checkpatch ;;
	sparse) run_sparse ;;
	all)
		run_checkpatch
		run_sparse
		;;
	*) die "usage: lint.sh [checkpatch|sparse|all]" ;;
	esac
	echo "1..$N" | tee -a "$KTAP"
	read -r pass fail skip _ < <(ktap_tally "$KTAP")
	write_counts "$OUT" "$pass" "$fail" "$skip"
	echo "# lint: $pass passed, $fail failed"
	[[ $fail -eq 0 ]] || exit 1
}

main "$@"
