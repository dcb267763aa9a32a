#!/usr/bin/env bash
# trixie.sh: the build environment of the 7.3 lane.
#
# Why: the newest Debian kernel (trixie-backports) is built with gcc-14 and ships
# its kbuild tools for trixie's libc, neither of which bookworm has. So we keep a
# minimal trixie chroot in the cache dir holding that kernel's headers (to build
# the module) and its image (vmlinuz + /lib/modules/KVER for the QEMU guests).
#
# Usage: trixie.sh setup         create or complete the chroot (idempotent)
#        trixie.sh kver          print the 7.3 lane's kernel release
#        trixie.sh root          print the chroot path
#        trixie.sh run CMD...    run CMD in the chroot, the project root bind-mounted
#                                at its own path, cwd kept when inside the project
#
# Every command inside the chroot runs in a private mount namespace (unshare -m):
# /proc, /dev and the project are mounted only there, unmounted by a trap when
# the command ends, and in any case vanish with the namespace, so an interrupted
# run never leaves mounts behind on the host.
# A chroot is "ready" only once its stamp file, written last, holds the current
# package list; a chroot without its base stamp (debootstrap interrupted) is
# thrown away and rebuilt, one with a stale or missing ready stamp is completed.
# To move to a newer backports kernel, delete ROOT/.vswap-ready and run setup:
# the install step upgrades the kernel metapackages and kver picks the newest.
# Package manager output goes to CACHE/trixie-setup.log (shown on failure).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
SELF=$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")
readonly SELF
PROJECT_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
readonly PROJECT_ROOT
readonly CACHE=${VSWAP_CACHE:-/var/cache/vswap}
readonly ROOT=$CACHE/trixie
readonly STAGE=$CACHE/trixie.new
readonly LOCK=$CACHE/trixie.lock
readonly SETUP_LOG=$CACHE/trixie-setup.log
readonly SUITE=trixie
readonly BASE_STAMP=.vswap-base-done
readonly READY_STAMP=.vswap-ready
# From trixie: the toolchain the 7.3 headers are built for, and tools the lane uses.
readonly PACKAGES="gcc-14 make libc6-dev libelf-dev bc kmod xz-utils zstd"
# From trixie-backports: the newest kernel's headers and image.
readonly BPO_PACKAGES="linux-headers-amd64 linux-image-amd64"
readonly CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "trixie.sh: $*" >&2; exit 1; }
log() { echo "trixie.sh: $*" >&2; }

usage() {
	echo "usage: trixie.sh setup | kver | root | run CMD..." >&2
	exit 2
}

need_root() {
	[[ $(id -u) -eq 0 ]] || die "must run as root"
}

# Run CMD with its output appended to the setup log; on failure show the log's tail.
logged() {
	echo "+ $*" >>"$SETUP_LOG"
	if ! "$@" >>"$SETUP_LOG" 2>&1; then
		tail -n 40 "$SETUP_LOG" >&2
		die "failed: $* (full log: $SETUP_LOG)"
	fi
}

# Host tools: debootstrap is the only one not in a minimal Debian.
need_host_tools() {
	command -v debootstrap >/dev/null && return 0
	log "installing debootstrap on the host"
	apt-get install -y -q debootstrap >>"$SETUP_LOG" 2>&1 ||
		{ logged apt-get update -q && logged apt-get install -y -q debootstrap; }
}

# The Debian mirror this host's apt uses (first non-security URI): never hard-coded.
host_mirror() {
	local uri
	uri=$({
		grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources |
			awk '{ for (i = 2; i <= NF; i++) print $i }'
		grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
			sed -E 's/\[[^]]*\]//' | awk '{ print $2 }'
	} | grep -v -- '-security' | grep -E '^https?://' | head -n 1) || true
	[[ -n $uri ]] || die "no Debian mirror found in the host's apt sources"
	echo "${uri%/}"
}

stamp_text() {
	echo "$PACKAGES | $SUITE-backports: $BPO_PACKAGES"
}

is_ready() {
	[[ -f $ROOT/$READY_STAMP ]] && [[ $(cat "$ROOT/$READY_STAMP") == "$(stamp_text)" ]]
}

require_ready() {
	is_ready || die "chroot $ROOT not ready: run '$SELF setup' first"
}

# Mount points at or below $1 in this namespace (deepest first).
mounts_below() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo |
		sort -r
}

# Delete a chroot tree, refusing if anything is still mounted inside it.
remove_tree() {
	local dir=$1 m
	[[ -e $dir ]] || return 0
	for m in $(mounts_below "$dir"); do
		umount -R "$m" 2>/dev/null || umount -l "$m" || true
	done
	[[ -z $(mounts_below "$dir") ]] || die "still mounted below $dir, not deleting it"
	rm -rf --one-file-system "$dir"
}

# --- inside the private mount namespace --------------------------------------

NS_MOUNTS=()

ns_cleanup() {
	local rc=$? i
	for ((i = ${#NS_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -R "${NS_MOUNTS[i]}" 2>/dev/null || umount -l "${NS_MOUNTS[i]}" || true
	done
	exit "$rc"
}

ns_mount() {
	local target=${*: -1}
	mkdir -p "$target"
	mount "$@"
	NS_MOUNTS+=("$target")
}

# __ns WITH_PROJECT ROOTDIR CWD CMD...: mount, chroot, run, unmount.
ns_main() {
	local with_project=$1 root=$2 cwd=$3
	shift 3
	trap ns_cleanup EXIT
	ns_mount -t proc proc "$root/proc"
	ns_mount --rbind /dev "$root/dev"
	if [[ $with_project == 1 ]]; then
		ns_mount --bind "$PROJECT_ROOT" "$root$PROJECT_ROOT"
	fi
	chroot "$root" /usr/bin/env -i -C "$cwd" PATH="$CHROOT_PATH" HOME=/root \
		LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive INITRD=No "$@"
}

# in_chroot WITH_PROJECT ROOTDIR CWD CMD...
in_chroot() {
	unshare --mount --propagation private -- bash "$SELF" __ns "$@"
}

# --- setup ---------------------------------------------------------------------

write_sources() {
	local root=$1 mirror=$2
	rm -f "$root/etc/apt/sources.list"
	cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates $SUITE-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	# No daemon may start from a package script inside the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
}

# Debootstrap into a staging dir, then move it into place complete with its stamp.
build_base() {
	local mirror
	mirror=$(host_mirror)
	log "debootstrap $SUITE from $mirror into $STAGE"
	remove_tree "$STAGE"
	remove_tree "$ROOT"
	logged unshare --mount --propagation private -- \
		debootstrap --variant=minbase --components=main \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$SUITE" "$STAGE" "$mirror"
	write_sources "$STAGE" "$mirror"
	touch "$STAGE/$BASE_STAMP"
	mv "$STAGE" "$ROOT"
}

install_packages() {
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	rm -f "$ROOT/$READY_STAMP"
	local apt=(apt-get -y -q -o Dpkg::Options::=--force-confnew --no-install-recommends)
	log "installing packages into $ROOT"
	logged in_chroot 0 "$ROOT" / dpkg --configure -a
	logged in_chroot 0 "$ROOT" / apt-get -q update
	# shellcheck disable=SC2086 # word splitting of the package lists is wanted
	logged in_chroot 0 "$ROOT" / "${apt[@]}" install $PACKAGES
	# shellcheck disable=SC2086
	logged in_chroot 0 "$ROOT" / "${apt[@]}" -t "$SUITE-backports" install $BPO_PACKAGES
	logged in_chroot 0 "$ROOT" / apt-get clean
	[[ -n $(find_kver) ]] || die "no kernel with headers found in $ROOT"
	stamp_text >"$ROOT/$READY_STAMP"
}

cmd_setup() {
	need_root
	mkdir -p "$CACHE"
	exec 9>"$LOCK"
	flock 9
	if is_ready; then
		log "ready: $ROOT ($(find_kver))"
		return 0
	fi
	: >"$SETUP_LOG"
	need_host_tools
	[[ -f $ROOT/$BASE_STAMP ]] || build_base
	install_packages
	log "ready: $ROOT ($(find_kver))"
}

# --- queries -------------------------------------------------------------------

# Newest kernel release that has both modules and headers in the chroot.
find_kver() {
	local dir kver found=
	for dir in "$ROOT"/lib/modules/*/; do
		[[ -d $dir ]] || continue
		kver=$(basename "$dir")
		[[ -e $ROOT/boot/vmlinuz-$kver && -d $ROOT/usr/src/linux-headers-$kver ]] || continue
		found+="$kver"$'\n'
	done
	printf '%s' "$found" | sort -V | tail -n 1
}

cmd_kver() {
	require_ready
	local kver
	kver=$(find_kver)
	[[ -n $kver ]] || die "no kernel found in $ROOT"
	echo "$kver"
}

cmd_run() {
	need_root
	require_ready
	[[ $# -gt 0 ]] || usage
	local cwd=/
	case $PWD/ in "$PROJECT_ROOT"/*) cwd=$PWD ;; esac
	in_chroot 1 "$ROOT" "$cwd" "$@"
}

main() {
	[[ $# -gt 0 ]] || usage
	local sub=$1
	shift
	case $sub in
	setup) cmd_setup ;;
	kver) cmd_kver ;;
	root) echo "$ROOT" ;;
	run) cmd_run "$@" ;;
	__ns) ns_main "$@" ;;
	*) usage ;;
	esac
}

main "$@"
