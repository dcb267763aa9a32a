#!/usr/bin/env bash
# dkms-check.sh: check that the project packages and builds as a DKMS module.
#
# Copies the tree (without build/ and .git) to a temporary source tree, then runs
# dkms add, dkms build for the installed kernels of the 6.1 and 6.12 lanes, and
# dkms remove, with --sourcetree/--dkmstree pointing into the temporary dir:
# the system's DKMS state (/usr/src, /var/lib/dkms, a vswap installed with
# `make dkms`) is never touched. Results as KTAP in build/dkms/results.ktap and
# build/dkms/verdict.counts; dkms's make logs are kept as build/dkms/make-KVER.log.
# VSWAP_DKMS_CONF may name a dkms.conf to use when the tree has none (testing).
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"
# shellcheck source=scripts/ktap.sh
source "$(dirname "${BASH_SOURCE[0]}")/ktap.sh"

readonly DKMS_LANES=(6.1 6.12)
OUT=$BUILD/dkms
KTAP=$OUT/results.ktap
N=0
TMP=

cleanup() {
	[[ -z $TMP ]] || rm -rf "$TMP"
}

# dkms.conf's "PACKAGE_NAME PACKAGE_VERSION", evaluated as dkms does (sourced).
package_id() {
	(
		set +eu
		cd "$1" || exit 1
		# shellcheck disable=SC1091 # the project's dkms.conf
		source ./dkms.conf
		echo "${PACKAGE_NAME:-} ${PACKAGE_VERSION:-}"
	)
}

# step NAME CMD...: run one dkms step as a KTAP result, its output as diagnostics.
step() {
	local name=$1 out lines
	shift
	N=$((N + 1))
	if out=$("$@" 2>&1); then
		ktap_result "$KTAP" "$N" 1 "$name"
		return 0
	fi
	ktap_result "$KTAP" "$N" 0 "$name"
	mapfile -t lines < <(tail -n 30 <<<"$out")
	ktap_note "$KTAP" "${lines[@]}"
	return 1
}

# Copy the project (or VSWAP_SRC) to DEST, with VSWAP_DKMS_CONF if it has no dkms.conf.
stage_tree() {
	local src=${VSWAP_SRC:-$REPO} dest=$1
	mkdir -p "$dest"
	rsync -a --exclude=/build --exclude=/.git --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' "$src/" "$dest/"
	if [[ ! -f $dest/dkms.conf && -n ${VSWAP_DKMS_CONF:-} ]]; then
		cp "$VSWAP_DKMS_CONF" "$dest/dkms.conf"
	fi
}

# keep_make_log DIR KVER: save dkms's make.log of a build (kept per kernel on
# success, left in the build dir on failure) as build/dkms/make-KVER.log.
keep_make_log() {
	local log
	for log in "$1/$2"/*/log/make.log "$1/build/make.log"; do
		if [[ -f $log ]]; then
			cp "$log" "$OUT/make-$2.log"
			return 0
		fi
	done
}

# dkms_steps NAME VERSION: add, build for each lane's kernel, remove.
dkms_steps() {
	local name=$1 version=$2 opts lane kver
	opts=(-m "$name" -v "$version" --sourcetree "$TMP/src" --dkmstree "$TMP/dkms")
	step "dkms add $name/$version" dkms add "${opts[@]}" || return 0
	for lane in "${DKMS_LANES[@]}"; do
		kver=$(lane_kver "$lane")
		step "dkms build $kver" dkms build "${opts[@]}" -k "$kver" || true
		keep_make_log "$TMP/dkms/$name/$version" "$kver"
	done
	step "dkms remove $name/$version" dkms remove "${opts[@]}" --all || true
}

main() {
	local stage name version pass fail skip
	command -v dkms >/dev/null || die "dkms missing (make deps)"
	mkdir -p "$OUT"
	rm -f "$OUT"/make-*.log
	echo "KTAP version 1" | tee "$KTAP"
	echo "# dkms-check"
	TMP=$(mktemp -d /tmp/vswap-dkms.XXXXXX)
	trap cleanup EXIT
	stage=$TMP/stage
	stage_tree "$stage"
	if [[ ! -f $stage/dkms.conf ]]; then
		N=$((N + 1))
		ktap_result "$KTAP" "$N" 0 "dkms: no dkms.conf in the tree"
	else
		read -r name version < <(package_id "$stage")
		if [[ -z $name || -z $version ]]; then
			N=$((N + 1))
			ktap_result "$KTAP" "$N" 0 "dkms: dkms.conf lacks PACKAGE_NAME or PACKAGE_VERSION"
		else
			mkdir -p "$TMP/src" "$TMP/dkms"
			mv "$stage" "$TMP/src/$name-$version"
			dkms_steps "$name" "$version"
		fi
	fi
	echo "1..$N" | tee -a "$KTAP"
	read -r pass fail skip _ < <(ktap_tally "$KTAP")
	write_counts "$OUT" "$pass" "$fail" "$skip"
	echo "# dkms-check: $pass passed, $fail failed"
	[[ $fail -eq 0 ]] || exit 1
}

main "$@"
