#!/usr/bin/env bash
# demo.sh [LANE]: show vswap at work in a QEMU guest (lane 6.12 by default).
#
# Builds vswap.ko and the initramfs for the lane, then boots with
# vswaptest.mode=demo: the guest's /demo.sh runs and the console streams to this
# terminal (also logged to build/LANE/demo-console.log). Ctrl-C stops QEMU.
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lanes.sh"

main() {
	local lane=${1:-6.12} scripts=$REPO/scripts rc=0
	lane_lock "$lane"
	"$scripts/build-module.sh" "$lane"
	"$scripts/mkinitramfs.sh" "$lane"
	"$scripts/boot.sh" "$lane" demo || rc=$?
	log "console log: build/$lane/demo-console.log"
	exit "$rc"
}

main "$@"
