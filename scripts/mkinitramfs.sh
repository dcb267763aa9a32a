#!/usr/bin/env bash
# mkinitramfs.sh LANE: build the guest's initramfs, build/LANE/initramfs.cpio.zst.
#
# Why our own: the guest is a bare busybox system that must hold exactly the
# test suite (tests/guest/), vswap.ko, the kernel modules the tests load on
# demand (compressors, brd, zram, dm targets...) with a modules.dep that busybox
# modprobe understands, and fio/stress-ng/dmsetup with their shared libraries.
# Layout (the contract with tests/guest/):
#   /init /tests/*.sh /tests/lib.sh /demo.sh    from tests/guest/ (GUEST_DIR)
#   /bin/busybox + applet links, /bin/NAME      static builds of tests/guest/src/NAME.c
#   /sbin/dmsetup /sbin/mke2fs (mkfs.ext4)      + their libraries
#   /usr/bin/fio /usr/bin/stress-ng             wrappers for the tools disk
# and build/LANE/tools.img: fio, stress-ng and their libraries (read-only).
#   /lib/modules/KVER/extra/vswap.ko + kernel modules, depmod'ed
#   /etc/vswap-lane                             the lane name
# The tree is kept in build/LANE/initramfs/ for inspection.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"

GUEST_DIR=${GUEST_DIR:-$REPO/tests/guest}
GUEST_BIN=$BUILD/guest
# Kernel modules (or aliases) the guest needs besides vswap.ko's own dependencies.
KMODS=(zsmalloc crypto-lz4 crypto-lz4hc crypto-lzo crypto-lzo-rle crypto-zstd crypto-deflate
	brd zram loop dm-mod dm-flakey dm-delay ext4 vfat nls_cp437 nls_ascii virtio_pci virtio_blk
	null_blk crypto-crc32c)
DYN_PROGRAMS=(/sbin/dmsetup /sbin/mke2fs)
# Big programs (fio alone needs 82 MB of libraries) live on a read-only ext4
# "tools disk" instead (build/LANE/tools.img, /dev/vdc in the guest, mounted
# by /init on /opt/tools): in the initramfs they would pin that much guest RAM
# and overflow the root tmpfs of a small guest. /usr/bin/NAME runs them.
TOOL_PROGRAMS=(/usr/bin/fio /usr/bin/stress-ng)
TOOLS_MNT=/opt/tools
ZSTD_LEVEL=${ZSTD_LEVEL:-9}

# --- userspace -------------------------------------------------------------------

readonly GUEST_CFLAGS=(-static -O2 -Wall -Wextra -Werror)

# Compile tests/guest/src/NAME.c into build/guest/NAME unless an up-to-date
# build exists: NAME.key records the hash of the flags, the source and the
# headers beside it.
build_static_programs() {
	local src name bin key
	[[ -d $GUEST_DIR/src ]] || return 0
	mkdir -p "$GUEST_BIN"
	for src in "$GUEST_DIR"/src/*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		bin=$GUEST_BIN/$name
		key=$( (echo "${GUEST_CFLAGS[*]}" && cat "$src" &&
			find "$GUEST_DIR/src" -name '*.h' -exec cat {} +) | sha256sum | cut -d' ' -f1)
		if [[ -x $bin && -f $bin.key && $(cat "$bin.key") == "$key" ]]; then
			continue
		fi
		log "compiling ${src#"$REPO"/}"
		gcc "${GUEST_CFLAGS[@]}" -o "$bin.tmp" "$src" || die "compiling $src failed"
		mv "$bin.tmp" "$bin"
		echo "$key" >"$bin.key"
	done
}

install_busybox() {
	local root=$1 path
	[[ -x /bin/busybox ]] || die "/bin/busybox missing (install busybox-static: make deps)"
	file_is_static /bin/busybox || die "/bin/busybox is not static (install busybox-static)"
	install -D -m 755 /bin/busybox "$root/bin/busybox"
	while read -r path; do
		[[ -n $path && $path != bin/busybox ]] || continue
		mkdir -p "$root/$(dirname "$path")"
		ln -sfn /bin/busybox "$root/$path"
	done < <(/bin/busybox --list-full)
}

file_is_static() {
	! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'
}

# Copy a file to the same path under root, replacing a symlink (busybox applet) there.
put_file() {
	local root=$1 file=$2
	mkdir -p "$root/$(dirname "$file")"
	rm -f "$root/$file"
	cp -L "$file" "$root/$file"
}

# Shared libraries (and the dynamic loader) of a program, as absolute paths.
shared_libs() {
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# install_dyn_programs ROOT PROGRAM...: programs and their libraries under ROOT.
install_dyn_programs() {
	local root=$1 prog lib
	shift
	for prog in "$@"; do
		[[ -x $prog ]] || die "$prog missing (make deps)"
		put_file "$root" "$prog"
		ldd "$prog" >/dev/null 2>&1 || die "ldd $prog failed"
		if ldd "$prog" | grep -q 'not found'; then
			die "$prog has unresolved libraries: $(ldd "$prog" | grep 'not found' | tr -s ' \t\n' ' ')"
		fi
		while read -r lib; do
			[[ -e $root/$lib ]] || put_file "$root" "$lib"
		done < <(shared_libs "$prog")
	done
	[[ -e $root/lib64/ld-linux-x86-64.so.2 ]] || die "dynamic loader not copied"
}

# Every directory holding one of PROG's libraries (some are found through a
# library's RUNPATH, e.g. ceph/), as they will be on the mounted tools disk.
tool_lib_path() {
	shared_libs "$1" | xargs -n 1 dirname | awk -v m="$TOOLS_MNT" '!seen[$0]++ { printf "%s%s%s", sep, m, $0; sep = ":" }'
}

# The tools disk image, and a wrapper per program in the initramfs that runs it
# from the mounted disk with the disk's libraries.
make_tools_disk() {
	local root=$1 tools=$2 img=$3 prog
	rm -rf "$tools"
	mkdir -p "$tools"
	install_dyn_programs "$tools" "${TOOL_PROGRAMS[@]}"
	rm -f "$img"
	mkfs.ext4 -q -F -L vswap-tools -d "$tools" "$img" \
		"$(($(du -sm "$tools" | cut -f1) * 5 / 4 + 16))M" ||
		die "mkfs.ext4 of the tools disk failed"
	for prog in "${TOOL_PROGRAMS[@]}"; do
		mkdir -p "$root/$(dirname "$prog")"
		rm -f "$root/$prog"
		{
			echo '#!/bin/sh'
			echo "# $(basename "$prog") lives on the tools disk (see scripts/mkinitramfs.sh)."
			echo "export LD_LIBRARY_PATH=$(tool_lib_path "$prog")"
			echo "exec $TOOLS_MNT$prog \"\$@\""
		} >"$root/$prog"
		chmod 755 "$root/$prog"
	done
}

# Install build/guest/NAME as /bin/NAME, dropping any busybox applet of that
# name (in /usr/bin or /sbin it would come first in PATH).
install_static_programs() {
	local root=$1 bin name dir
	for bin in "$GUEST_BIN"/*; do
		[[ -f $bin && -x $bin && $bin != *.tmp && $bin != *.key ]] || continue
		name=$(basename "$bin")
		[[ -e $GUEST_DIR/src/$name.c ]] || continue
		for dir in bin sbin usr/bin usr/sbin; do
			rm -f "$root/$dir/$name"
		done
		install -m 755 "$bin" "$root/bin/"
	done
}

install_guest_scripts() {
	local root=$1 f
	[[ -f $GUEST_DIR/init.sh ]] || die "$GUEST_DIR/init.sh missing: no guest /init"
	install -m 755 "$GUEST_DIR/init.sh" "$root/init"
	mkdir -p "$root/tests"
	for f in "$GUEST_DIR"/tests/*.sh; do
		if [[ -e $f ]]; then
			install -m 755 "$f" "$root/tests/"
		fi
	done
	if [[ -f $GUEST_DIR/lib.sh ]]; then
		install -m 644 "$GUEST_DIR/lib.sh" "$root/tests/lib.sh"
	else
		log "note: $GUEST_DIR/lib.sh missing, the image has no /tests/lib.sh"
	fi
	if [[ -f $GUEST_DIR/demo.sh ]]; then
		install -m 755 "$GUEST_DIR/demo.sh" "$root/demo.sh"
	else
		log "note: $GUEST_DIR/demo.sh missing, the image has no /demo.sh"
	fi
}

make_skeleton() {
	local root=$1 lane=$2
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,dev,proc,sys,tmp,run,mnt,root}
	chmod 1777 "$root/tmp"
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	echo "$lane" >"$root/etc/vswap-lane"
}

# --- kernel modules --------------------------------------------------------------

# Copy one module file (maybe compressed) to DEST as a plain .ko.
put_module() {
	local file=$1 dest=$2
	mkdir -p "$(dirname "$dest")"
	case $file in
	*.ko.xz) xz -dc "$file" >"$dest" ;;
	*.ko.zst) zstd -q -dc "$file" >"$dest" ;;
	*.ko.gz) gzip -dc "$file" >"$dest" ;;
	*.ko) cp "$file" "$dest" ;;
	*) die "unexpected module file $file" ;;
	esac
}

# install_kmod ROOT MODROOT KVER NAME: NAME and its dependencies into ROOT.
install_kmod() {
	local root=$1 modroot=$2 kver=$3 name=$4 out line file rel
	if ! out=$(modprobe -C /dev/null -d "$modroot" -S "$kver" --show-depends "$name" 2>&1); then
		die "kernel module $name: neither built into $kver nor found ($out)"
	fi
	while read -r line; do
		case $line in
		builtin\ *) continue ;;
		insmod\ *)
			file=$(awk '{ print $2 }' <<<"$line")
			rel=${file#*/lib/modules/"$kver"/}
			[[ $rel != "$file" ]] || die "module path outside the module tree: $file"
			rel=${rel%.xz}
			rel=${rel%.zst}
			rel=${rel%.gz}
			[[ -e $root/lib/modules/$kver/$rel ]] ||
				put_module "$file" "$root/lib/modules/$kver/$rel"
			;;
		*) die "kernel module $name: unexpected modprobe output: $line" ;;
		esac
	done <<<"$out"
}

install_kernel_modules() {
	local root=$1 lane=$2 ko=$3 modroot kver moddir dest name f deps
	modroot=$(lane_root "$lane")
	kver=$(lane_kver "$lane")
	moddir=$(lane_moddir "$lane")
	dest=$root/lib/modules/$kver
	mkdir -p "$dest/extra"
	cp "$ko" "$dest/extra/vswap.ko"
	deps=$(modinfo -F depends "$ko" | tr ',' ' ')
	# shellcheck disable=SC2086 # deps is a space-separated list of names
	for name in "${KMODS[@]}" $deps; do
		install_kmod "$root" "$modroot" "$kver" "$name"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[[ -e $moddir/$f ]] && cp "$moddir/$f" "$dest/"
	done
	depmod -b "$root" "$kver" || die "depmod failed for $root ($kver)"
	grep -q '^extra/vswap.ko:' "$dest/modules.dep" || die "vswap.ko missing from modules.dep"
}

# --- archive ---------------------------------------------------------------------

make_archive() {
	local root=$1 out=$2
	(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | zstd -q -T0 "-$ZSTD_LEVEL" -o "$out.tmp" -f
	mv "$out.tmp" "$out"
}

main() {
	[[ $# -eq 1 ]] || die "usage: mkinitramfs.sh LANE"
	local lane=$1 out root ko
	lane_lock "$lane"
	out=$(lane_out "$lane")
	root=$out/initramfs
	ko=$out/vswap.ko
	[[ -f $ko ]] || die "$ko missing: build the module first (scripts/build-module.sh $lane)"
	build_static_programs
	rm -rf "$root"
	make_skeleton "$root" "$lane"
	install_busybox "$root"
	install_dyn_programs "$root" "${DYN_PROGRAMS[@]}"
	# mke2fs picks ext4 from its name, as on the host.
	ln -sf mke2fs "$root/sbin/mkfs.ext4"
	make_tools_disk "$root" "$out/tools" "$out/tools.img"
	install_static_programs "$root"
	install_guest_scripts "$root"
	install_kernel_modules "$root" "$lane" "$ko"
	make_archive "$root" "$out/initramfs.cpio.zst"
	log "lane $lane: ${out#"$REPO"/}/initramfs.cpio.zst" \
		"($(du -sh --apparent-size "$root" | cut -f1) unpacked," \
		"$(du -h --apparent-size "$out/initramfs.cpio.zst" | cut -f1) compressed)"
}

main "$@"
