# lanes.sh: everything the host-side harness knows about a test lane, in one place.
#
# Sourced (never run) by the other scripts. A lane is a kernel we build and test
# vswap against: "6.1" (bookworm), "6.12" (bookworm-security), "7.3"
# (trixie-backports, inside the chroot that scripts/trixie.sh manages) and
# "debug" (Debian's 6.12 source with KASAN, lockdep, kmemleak and fault
# injection, built and cached by scripts/debug-kernel.sh). Each
# lane_* function takes the lane name and prints one fact, or dies with a hint.
# Paths printed by lane_kdir are as seen by lane_make (inside the chroot for 7.3);
# every other path is a host path.
#
# Also defines the shared basics: REPO (project root), BUILD (build/), CACHE
# (${VSWAP_CACHE:-/var/cache/vswap}), die/log helpers, and the module sources.

# shellcheck shell=bash

# shellcheck disable=SC2034 # these are for the scripts that source this file
{
	REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	BUILD=$REPO/build
	CACHE=${VSWAP_CACHE:-/var/cache/vswap}
	TRIXIE=$REPO/scripts/trixie.sh
	DEBUG_KERNEL=$REPO/scripts/debug-kernel.sh
	ALL_LANES="6.1 6.12 7.3 debug"
}

# Top-level files and directories that make up the module's sources (rsync filters).
MODULE_SOURCES=(--include=/Kbuild --include='/*.c' --include='/*.h' --include='/include/***'
	--include='/compat/***' --exclude='*')

# Under `set -e` a failing command ends a script silently: say which one it was.
set -E
# shellcheck disable=SC2154 # vswap_err is assigned inside the trap string
trap 'vswap_err=$?; [[ $BASH_SUBSHELL -gt 0 ]] ||
	echo "${0##*/}: error: \"$BASH_COMMAND\" failed (status $vswap_err, line $LINENO)" >&2' ERR

die() {
	echo "${0##*/}: error: $*" >&2
	exit 1
}

log() {
	echo "# ${0##*/}: $*"
}

# Newest installed Debian kernel release matching a glob, with image and headers.
host_kver() {
	local pattern=$1 dir kver found=
	for dir in /lib/modules/$pattern/; do
		[[ -d $dir ]] || continue
		kver=$(basename "$dir")
		[[ -e /boot/vmlinuz-$kver && -e /lib/modules/$kver/build/Makefile ]] || continue
		found+=$kver$'\n'
	done
	found=$(printf '%s' "$found" | sort -V | tail -n 1)
	[[ -n $found ]] || die "no kernel $pattern with image and headers installed (run: make deps)"
	echo "$found"
}

lane_check() {
	case $1 in
	6.1 | 6.12 | 7.3 | debug) ;;
	*) die "unknown lane '$1' (known: $ALL_LANES)" ;;
	esac
}

# Root of the filesystem holding the lane's kernel (/ on the host, the chroot for 7.3).
lane_root() {
	lane_check "$1"
	case $1 in
	7.3)
		[[ -x $TRIXIE ]] || die "$TRIXIE missing: the 7.3 lane needs it"
		"$TRIXIE" root
		;;
	debug) "$DEBUG_KERNEL" moddir ;;
	*) echo / ;;
	esac
}

lane_kver() {
	lane_check "$1"
	case $1 in
	6.1) host_kver '6.1.*-amd64' ;;
	6.12) host_kver '6.12.*-amd64' ;;
	7.3)
		[[ -x $TRIXIE ]] || die "$TRIXIE missing: the 7.3 lane needs it"
		"$TRIXIE" kver
		;;
	debug) "$DEBUG_KERNEL" kver ;;
	esac
}

# Kernel build directory, as seen by lane_make.
lane_kdir() {
	if [[ $1 == debug ]]; then
		"$DEBUG_KERNEL" builddir
	else
		echo "/lib/modules/$(lane_kver "$1")/build"
	fi
}

lane_vmlinuz() {
	local root kver
	[[ $1 != debug ]] || { "$DEBUG_KERNEL" vmlinuz; return; }
	root=$(lane_root "$1")
	kver=$(lane_kver "$1")
	echo "${root%/}/boot/vmlinuz-$kver"
}

lane_moddir() {
	local root kver
	root=$(lane_root "$1")
	kver=$(lane_kver "$1")
	echo "${root%/}/lib/modules/$kver"
}

# lane_make LANE ARGS...: run make against the lane's kernel build dir
# (inside the trixie chroot for 7.3: its headers need gcc-14).
lane_make() {
	local lane=$1 kdir
	shift
	kdir=$(lane_kdir "$lane")
	if [[ $lane == 7.3 ]]; then
		"$TRIXIE" run make -C "$kdir" "$@"
	else
		make -C "$kdir" "$@"
	fi
}

# sync_module_sources DEST: mirror the module's sources (from $VSWAP_SRC, default
# the project root) into DEST, keeping build products there for incremental builds.
# Only files whose content changed are rewritten, stamped with the current time,
# so make rebuilds exactly what changed (even when a source went back in time).
sync_module_sources() {
	local src=${VSWAP_SRC:-$REPO} dest=$1
	[[ -f $src/Kbuild ]] || die "no module sources: $src/Kbuild missing"
	mkdir -p "$dest"
	rsync -rlp --checksum --delete "${MODULE_SOURCES[@]}" "$src/" "$dest/"
}

# Output directory of a lane (module, initramfs, logs).
lane_out() {
	lane_check "$1"
	echo "$BUILD/$1"
}

# lane_lock LANE: hold build/LANE/.lock until this process ends, so that two runs
# (say `make check` and a `make check-lane`) never share a lane's files. Child
# scripts inherit the lock (VSWAP_LOCKED_LANE) instead of waiting for themselves.
lane_lock() {
	local lane=$1 out fd
	[[ ${VSWAP_LOCKED_LANE:-} != "$lane" ]] || return 0
	out=$(lane_out "$lane")
	mkdir -p "$out"
	exec {fd}>"$out/.lock"
	if ! flock -n "$fd"; then
		log "lane $lane: waiting for another run to finish with ${out#"$REPO"/}"
		flock "$fd"
	fi
	export VSWAP_LOCKED_LANE=$lane
}
