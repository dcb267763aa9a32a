#!/usr/bin/env bash
# deps.sh [all|packages|trixie|debug-kernel]: install what the build, the lint
# and the QEMU test lanes need.
#
#   packages      the host's Debian packages (all that the 6.1 and 6.12 lanes,
#                 the lint and the DKMS check need)
#   trixie        the trixie chroot of the 7.3 lane (scripts/trixie.sh setup)
#   debug-kernel  the debug lane's kernel (scripts/debug-kernel.sh build), if
#                 LANES (default: all) has the debug lane
#   all           the three, in that order (the default; `make deps`)
# `make check` runs "packages" first and the other two in the background while
# the first lanes boot (scripts/check.sh). Each step is idempotent: packages
# already installed are skipped, and apt is not touched at all when nothing is
# missing (so re-runs work offline); the chroot and the kernel are cached.
# Must run as root on Debian 12 with only the Debian archive reachable.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"

PACKAGES=(
	# kernels of the 6.1 and 6.12 lanes, with headers to build against
	linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64
	# module build, static guest programs, checkpatch
	make gcc libc6-dev perl
	# guest machine and its userspace
	qemu-system-x86 busybox-static fio stress-ng dmsetup
	# initramfs and module tree handling
	kmod cpio xz-utils zstd e2fsprogs rsync
	# 7.3 lane chroot, lint, packaging check, benchmarks plots
	debootstrap sparse linux-source-6.12 dkms gnuplot-nox
	# vswapctl's tests: the man page check (man --warnings; groff-base comes with it)
	man-db
)

# Names from PACKAGES that dpkg does not report as installed.
missing_packages() {
	local pkg status
	for pkg in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		[[ $status == ii* ]] || echo "$pkg"
	done
}

install_packages() {
	local missing
	mapfile -t missing < <(missing_packages)
	if [[ ${#missing[@]} -eq 0 ]]; then
		log "all ${#PACKAGES[@]} packages present"
		return 0
	fi
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update || die "apt-get update failed"
	apt-get -y -q -o Dpkg::Options::=--force-confold install "${missing[@]}" ||
		die "apt-get install failed for: ${missing[*]}"
}

prepare_trixie() {
	[[ -x $TRIXIE ]] || die "$TRIXIE missing: cannot prepare the 7.3 lane"
	"$TRIXIE" setup
}

# The debug lane's kernel: built once, cached (about 8 minutes on 2 cores).
prepare_debug_kernel() {
	if [[ " ${LANES:-$ALL_LANES} " == *" debug "* ]]; then
		"$DEBUG_KERNEL" build
	else
		log "no debug lane in LANES: its kernel is not built"
	fi
}

main() {
	[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages)"
	case ${1:-all} in
	packages) install_packages ;;
	trixie) prepare_trixie ;;
	debug-kernel) prepare_debug_kernel ;;
	all)
		install_packages
		prepare_trixie
		prepare_debug_kernel
		;;
	*) die "unknown step '$1' (known: all packages trixie debug-kernel)" ;;
	esac
}

main "$@"
