# mk/harness.mk: test, demo and lint targets of vswap (included by the top Makefile).
#
# The work is done by scripts/*.sh; this file only maps targets and variables:
#   make deps                          install packages, prepare the 7.3 chroot
#   make check                         deps, every lane (build, initramfs, boot,
#                                      verdict), lint, dkms-check; last line
#                                      "N passed, N failed"
#   make check-lane LANE=6.12 TESTS=a,b   one lane, no deps/lint/dkms (also check-lane-6.12)
#   make demo [LANE=6.12]              boot with vswaptest.mode=demo, console on the terminal
#   make soak DURATION=S [LANE=6.12] [SEED=N]   one lane running only 85-soak for S
#                                      seconds of workload (driver seeded with N)
#   make lint | checkpatch | sparse    static checks of the module sources
#   make dkms-check                    dkms add/build/remove in a scratch tree
#   make check-tools                   host tests of tools/ (vswapctl), no guest
# Variables: LANES, LANE, TESTS, GUEST_MEM, BOOT_TIMEOUT (seconds, per boot),
# VSWAP_APPEND (extra guest kernel parameters), VSWAP_CACHE.

# Keep the including Makefile's default goal: nothing here is a default.
harness_saved_goal := $(.DEFAULT_GOAL)

HARNESS_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
HARNESS_SCRIPTS := $(HARNESS_ROOT)/scripts

LANES ?= 6.1 6.12 7.3 debug
LANE ?= 6.12
TESTS ?=
GUEST_MEM ?= 384M
BOOT_TIMEOUT ?= 2400
VSWAP_APPEND ?=

harness_env = TESTS="$(TESTS)" GUEST_MEM="$(GUEST_MEM)" BOOT_TIMEOUT="$(BOOT_TIMEOUT)" \
	VSWAP_APPEND="$(VSWAP_APPEND)"

.PHONY: deps check check-debug check-lane demo soak lint checkpatch sparse dkms-check check-tools

deps:
	$(HARNESS_SCRIPTS)/deps.sh

check:
	$(harness_env) LANES="$(LANES)" CHECK_DEPS=1 $(HARNESS_SCRIPTS)/check.sh

# The whole guest suite on the debug kernel (KASAN, lockdep, kmemleak, fault
# injection); `make check` runs a subset of it as lane "debug".
check-debug:
	$(harness_env) LANES=debug DEBUG_SKIP= CHECK_DEPS=1 CHECK_LINT=0 CHECK_DKMS=0 CHECK_BENCH=0 CHECK_TOOLS=0 \
		$(HARNESS_SCRIPTS)/check.sh

check-lane:
	$(harness_env) LANES="$(LANE)" CHECK_LINT=0 CHECK_DKMS=0 CHECK_BENCH=0 CHECK_TOOLS=0 \
		$(HARNESS_SCRIPTS)/check.sh

check-lane-%:
	$(harness_env) LANES="$*" CHECK_LINT=0 CHECK_DKMS=0 CHECK_BENCH=0 CHECK_TOOLS=0 \
		$(HARNESS_SCRIPTS)/check.sh

# The chaos soak alone on one lane: vswaptest.soak_seconds=DURATION (the
# workload's rounds go on until then; the script stops them at 3 x DURATION +
# 120 s at the latest), vswaptest.seed=SEED (default: the guest's clock; the
# seed is printed as "soak seed: N"), the script's timeout raised to 3 x
# DURATION + 900 s and the boot's to 600 s more.
DURATION ?= 300
SEED ?=

soak:
	@case "$(DURATION)" in ''|*[!0-9]*) echo "make soak: DURATION must be a number of seconds" >&2; exit 2 ;; esac
	@case "$(SEED)" in *[!0-9]*) echo "make soak: SEED must be a number" >&2; exit 2 ;; esac
	$(harness_env) TESTS=85-soak BOOT_TIMEOUT=$$((3 * $(DURATION) + 1500)) \
		VSWAP_APPEND="$(strip $(VSWAP_APPEND) vswaptest.soak_seconds=$(DURATION) \
		$(if $(SEED),vswaptest.seed=$(SEED)) vswaptest.timeout=$$((3 * $(DURATION) + 900)))" \
		LANES="$(LANE)" CHECK_LINT=0 CHECK_DKMS=0 CHECK_BENCH=0 $(HARNESS_SCRIPTS)/check.sh

demo: deps
	$(harness_env) $(HARNESS_SCRIPTS)/demo.sh $(LANE)

lint:
	$(HARNESS_SCRIPTS)/lint.sh all

checkpatch:
	$(HARNESS_SCRIPTS)/lint.sh checkpatch

sparse:
	$(HARNESS_SCRIPTS)/lint.sh sparse

dkms-check:
	$(HARNESS_SCRIPTS)/dkms-check.sh

check-tools:
	$(HARNESS_ROOT)/tools/vswapctl/tests/run.sh --out $(HARNESS_ROOT)/build/tools

.DEFAULT_GOAL := $(harness_saved_goal)
