# mk/bench.mk: benchmark targets of vswap (included by the top Makefile).
#
# The work is done by bench/run.sh; this file only maps targets and variables:
#   make bench          vswap against zram, zswap and brd, one QEMU boot per kernel
#                       (BENCH_LANES, default 6.12 7.3), BENCH_REPS (5)
#                       repetitions; results in bench/results/ (CSV, results.md, PNG)
#   make bench-smoke    the same pipeline, 1 repetition, tiny sizes, lane 6.12, a few
#                       minutes; results in build/bench/smoke/; fails if any part fails
#                       (part of `make check`)
#   make bench-report   remake bench/results/ from each lane's last full run (no
#                       boot): `make bench BENCH_LANES=6.1` then this joins 6.1 in
# Variables: BENCH_LANES, BENCH_REPS, BENCH_FTRACE (0/1: function_graph profile),
# BENCH_DEPS (0: skip scripts/deps.sh), GUEST_MEM, BENCH_TIMEOUT, BENCH_APPEND.

# Keep the including Makefile's default goal: nothing here is a default.
bench_saved_goal := $(.DEFAULT_GOAL)

BENCH_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

.PHONY: bench bench-smoke bench-report

bench:
	$(BENCH_ROOT)/bench/run.sh full

bench-smoke:
	$(BENCH_ROOT)/bench/run.sh smoke

bench-report:
	$(BENCH_ROOT)/bench/run.sh report

.DEFAULT_GOAL := $(bench_saved_goal)
