#!/usr/bin/env bash
# debug-kernel.sh build|kver|vmlinuz|builddir|moddir: the kernel of the `debug` lane.
#
# Why: Debian's kernels have no KASAN, lockdep, kmemleak or fault injection, so
# the debug lane runs the guest suite on a kernel of our own: Debian's
# linux-source-6.12 configured with `make allnoconfig` plus tests/debug.config
# (see the comment at its top). Building it takes minutes, so it is cached in
#   ${VSWAP_CACHE:-/var/cache/vswap}/debug-kernel/KEY/
#     linux/           the build tree (bzImage, .config, Module.symvers):
#                      build vswap with `make -C linux M=DIR modules`
#     modroot/         modules_install output: modroot/lib/modules/KVER/
#                      (its `build` link points at linux/)
#     build.log        the whole build's output
#     stamp            written last: the cache entry is complete
# KEY hashes tests/debug.config and the linux-source-6.12 package version, so
# editing the fragment or a Debian source update builds anew; `build` removes
# the entries of other keys after a success (each holds a few GiB).
#
# Subcommands:
#   build     build unless the cache entry is complete (installs the build
#             dependencies with apt-get when missing); resumes a failed build
#   kver      the kernel release, e.g. 6.12.117-vswap-debug
#   vmlinuz   path of the bzImage
#   builddir  path of the kernel build tree (for M= module builds)
#   moddir    path of the modules root (contains lib/modules/KVER/)
# The path subcommands need a finished build and print nothing else.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRAGMENT=$REPO/tests/debug.config
SOURCE_PKG=linux-source-6.12
SOURCE_TARBALL=/usr/src/$SOURCE_PKG.tar.xz
TOP=${VSWAP_CACHE:-/var/cache/vswap}/debug-kernel
BUILD_DEPS=(build-essential bc bison flex libelf-dev libssl-dev kmod xz-utils "$SOURCE_PKG")

die() {
	echo "${0##*/}: error: $*" >&2
	exit 1
}

log() {
	echo "# ${0##*/}: $*"
}

# --- the cache entry -------------------------------------------------------------

source_version() {
	dpkg-query -W -f='${Version}' "$SOURCE_PKG" 2>/dev/null ||
		die "$SOURCE_PKG is not installed (run: debug-kernel.sh build)"
}

cache_key() {
	[[ -r $FRAGMENT ]] || die "$FRAGMENT missing"
	{
		cat "$FRAGMENT"
		echo "$SOURCE_PKG $(source_version)"
	} | sha256sum | cut -c1-16
}

entry_dir() {
	echo "$TOP/$(cache_key)"
}

# The finished entry's directory, or die with a hint.
built_entry() {
	local dir
	dir=$(entry_dir)
	[[ -f $dir/stamp ]] || die "debug kernel not built for this config (run: ${0##*/} build)"
	echo "$dir"
}

# --- build steps -------------------------------------------------------------------

install_build_deps() {
	local pkg missing=()
	for pkg in "${BUILD_DEPS[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$pkg")
	done
	[[ ${#missing[@]} -gt 0 ]] || return 0
	log "installing ${missing[*]}"
	apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

# The build steps run under step()'s `if`, where bash ignores set -e: each
# command checks its own status.

# Unpack the source once per entry (marked by linux/.unpacked).
unpack_source() {
	local dir=$1
	[[ ! -f $dir/linux/.unpacked ]] || return 0
	[[ -r $SOURCE_TARBALL ]] || { echo "$SOURCE_TARBALL missing ($SOURCE_PKG)"; return 1; }
	rm -rf "$dir/linux" "$dir/unpack" &&
		mkdir -p "$dir/unpack" &&
		tar -xf "$SOURCE_TARBALL" -C "$dir/unpack" &&
		mv "$dir/unpack/$SOURCE_PKG" "$dir/linux" &&
		rmdir "$dir/unpack" &&
		touch "$dir/linux/.unpacked"
}

# allnoconfig with the fragment forced (what merge_config.sh -n does), then
# olddefconfig to settle anything left.
configure() {
	local tree=$1
	make -C "$tree" allnoconfig KCONFIG_ALLCONFIG="$FRAGMENT" &&
		make -C "$tree" olddefconfig
}

# Every line of the fragment must be in the final .config as written; a
# "# CONFIG_X is not set" line must not have become set.
verify_config() {
	local config=$1 line sym dropped=()
	while read -r line; do
		if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			! grep -q "^$sym=" "$config" || dropped+=("$line (now: $(grep "^$sym=" "$config"))")
		elif [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
			sym=${BASH_REMATCH[1]}
			grep -qxF -- "$line" "$config" ||
				dropped+=("$line (now: $(grep -E "^$sym=|^# $sym is not set" "$config" || echo absent))")
		fi
	done <"$FRAGMENT"
	[[ ${#dropped[@]} -eq 0 ]] && return 0
	for line in "${dropped[@]}"; do
		echo "${0##*/}: error: option not in the final .config: $line" >&2
	done
	return 1
}

compile() {
	local tree=$1 modroot=$2 kver
	make -C "$tree" -j"$(nproc)" bzImage modules || return 1
	make -C "$tree" modules_prepare || return 1
	kver=$(cat "$tree/include/config/kernel.release") || return 1
	rm -rf "$modroot" &&
		make -C "$tree" modules_install INSTALL_MOD_PATH="$modroot" &&
		ln -sfn "$tree" "$modroot/lib/modules/$kver/build" &&
		[[ -f $modroot/lib/modules/$kver/modules.dep ]]
}

# Run one build step with its output appended to the log; on failure show the tail.
step() {
	local logfile=$1 what=$2
	shift 2
	echo "=== $what" >>"$logfile"
	if ! "$@" >>"$logfile" 2>&1; then
		echo "--- last lines of $logfile:" >&2
		tail -n 40 "$logfile" >&2
		die "$what failed"
	fi
}

# Remove finished or abandoned entries of other keys (each holds a few GiB).
prune_other_entries() {
	local keep=$1 dir
	for dir in "$TOP"/*/; do
		dir=${dir%/}
		[[ $dir != "$keep" && -d $dir ]] || continue
		log "removing stale cache entry $dir"
		rm -rf "$dir"
	done
}

cmd_build() {
	local dir tree logfile start
	install_build_deps
	dir=$(entry_dir)
	[[ -f $dir/stamp ]] && return 0
	mkdir -p "$TOP"
	exec 9>"$TOP/.lock"
	flock 9
	# Another build may have finished while we waited for the lock.
	[[ -f $dir/stamp ]] && return 0
	tree=$dir/linux
	logfile=$dir/build.log
	mkdir -p "$dir"
	: >"$logfile"
	start=$SECONDS
	log "building the debug kernel in $dir (log: $logfile)"
	step "$logfile" "unpacking $SOURCE_TARBALL" unpack_source "$dir"
	step "$logfile" "configuring" configure "$tree"
	step "$logfile" "checking the .config against ${FRAGMENT#"$REPO"/}" verify_config "$tree/.config"
	step "$logfile" "compiling" compile "$tree" "$dir/modroot"
	date -u +%Y-%m-%dT%H:%M:%SZ >"$dir/stamp"
	log "built $(cat "$tree/include/config/kernel.release") in $((SECONDS - start)) s"
	prune_other_entries "$dir"
}

main() {
	[[ $# -eq 1 ]] || die "usage: ${0##*/} build|kver|vmlinuz|builddir|moddir"
	local dir
	case $1 in
	build) cmd_build ;;
	kver)
		dir=$(built_entry)
		cat "$dir/linux/include/config/kernel.release"
		;;
	vmlinuz)
		dir=$(built_entry)
		echo "$dir/linux/arch/x86/boot/bzImage"
		;;
	builddir)
		dir=$(built_entry)
		echo "$dir/linux"
		;;
	moddir)
		dir=$(built_entry)
		echo "$dir/modroot"
		;;
	*) die "unknown subcommand '$1' (build|kver|vmlinuz|builddir|moddir)" ;;
	esac
}

main "$@"
