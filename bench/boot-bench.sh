#!/usr/bin/env bash
# bench/boot-bench.sh LANE PROFILE REPS [FTRACE]: boot one benchmark guest.
#
# Why not scripts/boot.sh: that one boots the lane's own initramfs in mode
# check or demo and writes into build/LANE/, which a concurrent `make check`
# owns. This boots build/bench/LANE/initramfs.cpio.zst (the lane's initramfs
# with /bench appended, made by bench/run.sh) with vswaptest.mode=bench, and
# keeps everything under build/bench/LANE/. The machine is the test suite's:
# same QEMU flags (q35, TCG, -cpu max, -smp 2, GUEST_MEM 384M), same guest
# command line (slub_debug, page_poison, kfence, panic_on_warn), so the figures
# come from the guests the suite tests in.
# Disks, made anew: /dev/vda a 768 MiB ext4 (zswap's swap file, vswap's lower
# file), /dev/vdb 256 MiB raw (zram's backing_dev), /dev/vdc the lane's tools
# disk (fio, stress-ng; read-only) when the lane has one.
# Output: build/bench/LANE/console.log (ttyS0), results.txt (ttyS1: the rows),
# boot.status. Exit status: 0 QEMU ended by itself, 124 timeout, else QEMU's.
# Environment: GUEST_MEM (384M), GUEST_SMP (2), BENCH_TIMEOUT (seconds, 3600),
# BENCH_APPEND (extra kernel parameters).
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lanes.sh"

GUEST_MEM=${GUEST_MEM:-384M}
GUEST_SMP=${GUEST_SMP:-2}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-3600}
BENCH_APPEND=${BENCH_APPEND:-}

kernel_cmdline() {
	local profile=$1 reps=$2 ftrace=$3 cmdline
	cmdline="console=ttyS0 panic=-1 oops=panic slub_debug=FZPU page_poison=1"
	cmdline+=" kfence.sample_interval=10 panic_on_warn=1 printk.time=1 vswaptest.mode=bench"
	cmdline+=" vswapbench.profile=$profile vswapbench.reps=$reps vswapbench.profile_ftrace=$ftrace"
	[[ -z $BENCH_APPEND ]] || cmdline+=" $BENCH_APPEND"
	echo "$cmdline"
}

make_disks() {
	local out=$1
	rm -f "$out/disk.img" "$out/disk2.img"
	truncate -s 768M "$out/disk.img"
	mkfs.ext4 -q -F -L vswap-bench "$out/disk.img" || die "mkfs.ext4 $out/disk.img failed"
	truncate -s 256M "$out/disk2.img"
}

main() {
	[[ $# -ge 3 && $# -le 4 ]] || die "usage: boot-bench.sh LANE full|smoke REPS [FTRACE 0|1]"
	local lane=$1 profile=$2 reps=$3 ftrace=${4:-0} out vmlinuz rc=0 start
	out=$BUILD/bench/$lane
	vmlinuz=$(lane_vmlinuz "$lane")
	[[ -r $vmlinuz ]] || die "kernel image $vmlinuz not readable"
	[[ -f $out/initramfs.cpio.zst ]] || die "$out/initramfs.cpio.zst missing (bench/run.sh makes it)"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (make deps)"
	rm -f "$out/console.log" "$out/results.txt" "$out/boot.status"
	make_disks "$out"
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	local qemu=(qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp "$GUEST_SMP"
		-m "$GUEST_MEM" -nodefaults -display none -no-reboot
		-kernel "$vmlinuz" -initrd "$out/initramfs.cpio.zst"
		-append "$(kernel_cmdline "$profile" "$reps" "$ftrace")"
		-chardev "file,id=con,path=$out/console.log" -serial chardev:con
		-chardev "file,id=results,path=$out/results.txt" -serial chardev:results
		-drive "file=$out/disk.img,format=raw,if=virtio,cache=unsafe"
		-drive "file=$out/disk2.img,format=raw,if=virtio,cache=unsafe")
	[[ ! -f $out/tools.img ]] ||
		qemu+=(-drive "file=$out/tools.img,format=raw,if=virtio,readonly=on")
	log "lane $lane: benchmark boot ($profile, $reps reps, ${GUEST_MEM} RAM, timeout ${BENCH_TIMEOUT}s)"
	start=$(date +%s)
	# timeout runs QEMU in a process group of its own: if this script is
	# stopped (make interrupted), stop QEMU too.
	timeout -k 10 "$BENCH_TIMEOUT" "${qemu[@]}" </dev/null &
	QEMU_PID=$!
	trap 'kill "$QEMU_PID" 2>/dev/null; exit 143' INT TERM
	wait "$QEMU_PID" || rc=$?
	trap - INT TERM
	[[ $rc -ne 137 ]] || rc=124
	echo "exit $rc" >"$out/boot.status"
	log "lane $lane: QEMU ended (status $rc) after $(($(date +%s) - start))s" \
		"(console: ${out#"$REPO"/}/console.log)"
	exit "$rc"
}

main "$@"
