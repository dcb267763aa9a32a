#!/usr/bin/env bash
# boot.sh LANE [MODE]: boot the lane's kernel and initramfs in a QEMU TCG guest.
#
# MODE is "check" (default: run the suite, console to build/LANE/console.log)
# or "demo" (the console streams to this terminal and is logged to
# build/LANE/demo-console.log). The guest reports on a channel of its own, its
# second serial port (ttyS1), captured in build/LANE/results.ktap (demo:
# demo-results.ktap); the first (ttyS0) is the kernel console, with printk
# timestamps forced on (verdict.sh tells kernel messages by them). Disks, made
# anew for each boot: /dev/vda, a 512 MiB ext4 scratch disk (virtio,
# build/LANE/disk.img), and /dev/vdb, 256 MiB blank (build/LANE/disk2.img).
# Never KVM: the guests must behave the same on any host.
#
# Environment: GUEST_MEM (384M), GUEST_SMP (2), BOOT_TIMEOUT (seconds, 1200),
# TESTS (comma list -> vswaptest.tests=), VSWAP_APPEND (extra kernel parameters),
# DISK_SIZE (512M).
# Exit status: 0 when QEMU ended by itself, 124 when the boot timed out (QEMU
# killed), other values for QEMU errors. build/LANE/boot.status records it
# (demo: demo-boot.status).
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"

GUEST_MEM=${GUEST_MEM:-384M}
GUEST_SMP=${GUEST_SMP:-2}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1200}
DISK_SIZE=${DISK_SIZE:-512M}
TESTS=${TESTS:-}
VSWAP_APPEND=${VSWAP_APPEND:-}

kernel_cmdline() {
	local mode=$1 cmdline
	cmdline="console=ttyS0 panic=-1 oops=panic slub_debug=FZPU page_poison=1"
	cmdline+=" kfence.sample_interval=10 panic_on_warn=1 printk.time=1 vswaptest.mode=$mode"
	[[ -z $TESTS ]] || cmdline+=" vswaptest.tests=$TESTS"
	# The debug kernel scans for leaks only when asked (tests/debug.config).
	[[ $lane != debug ]] || cmdline+=" kmemleak=on"
	[[ -z $VSWAP_APPEND ]] || cmdline+=" $VSWAP_APPEND"
	echo "$cmdline"
}

make_disk() {
	local img=$1
	rm -f "$img"
	truncate -s "$DISK_SIZE" "$img"
	mkfs.ext4 -q -F -L vswap-scratch "$img" || die "mkfs.ext4 $img failed"
}

# Printk time (seconds) of the kernel starting /init, or "?" when not reached.
init_time() {
	sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' "$1" | head -n 1 | grep . ||
		echo "?"
}

main() {
	[[ $# -ge 1 && $# -le 2 ]] || die "usage: boot.sh LANE [check|demo]"
	local lane=$1 mode=${2:-check} out vmlinuz initrd prefix console results status start
	local rc=0 elapsed
	lane_lock "$lane"
	out=$(lane_out "$lane")
	vmlinuz=$(lane_vmlinuz "$lane")
	initrd=$out/initramfs.cpio.zst
	[[ -r $vmlinuz ]] || die "kernel image $vmlinuz not readable"
	[[ -f $initrd ]] || die "$initrd missing (scripts/mkinitramfs.sh $lane)"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (make deps)"
	case $mode in
	check) prefix= ;;
	demo) prefix=demo- ;;
	*) die "unknown mode '$mode' (check or demo)" ;;
	esac
	console=$out/${prefix}console.log
	results=$out/${prefix}results.ktap
	status=$out/${prefix}boot.status
	rm -f "$console" "$results" "$status"
	make_disk "$out/disk.img"
	# /dev/vdb: blank, for tests that need a raw device (dm targets, tiers).
	rm -f "$out/disk2.img"
	truncate -s 256M "$out/disk2.img"
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	local qemu=(qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp "$GUEST_SMP"
		-m "$GUEST_MEM" -nodefaults -display none -no-reboot
		-kernel "$vmlinuz" -initrd "$initrd" -append "$(kernel_cmdline "$mode")"
		-chardev "file,id=results,path=$results"
		-drive "file=$out/disk.img,format=raw,if=virtio,cache=unsafe"
		-drive "file=$out/disk2.img,format=raw,if=virtio,cache=unsafe"
		-drive "file=$out/tools.img,format=raw,if=virtio,readonly=on")
	log "lane $lane: booting $(basename "$vmlinuz") ($mode, ${GUEST_MEM} RAM, timeout ${BOOT_TIMEOUT}s)"
	start=$(date +%s)
	if [[ $mode == demo ]]; then
		timeout --foreground -k 10 "$BOOT_TIMEOUT" "${qemu[@]}" \
			-chardev "stdio,id=con,logfile=$console" -serial chardev:con \
			-serial chardev:results || rc=$?
	else
		timeout -k 10 "$BOOT_TIMEOUT" "${qemu[@]}" \
			-chardev "file,id=con,path=$console" -serial chardev:con \
			-serial chardev:results </dev/null || rc=$?
	fi
	elapsed=$(($(date +%s) - start))
	if [[ $rc -eq 124 || $rc -eq 137 ]]; then
		rc=124
		echo "timeout $BOOT_TIMEOUT" >"$status"
		log "lane $lane: TIMEOUT after ${elapsed}s, QEMU killed (console: ${console#"$REPO"/})"
	else
		echo "exit $rc" >"$status"
		log "lane $lane: QEMU ended (status $rc) after ${elapsed}s;" \
			"/init started at $(init_time "$console")s guest time (console: ${console#"$REPO"/})"
	fi
	exit "$rc"
}

main "$@"
