// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-lat: page out a region one page at a time, read it back one page at
 * a time, and report the worst and total latency of each step; every byte
 * is verified.
 *
 * Why: the stall tests (74-wb-stalls.sh) need to know when a process's
 * stores (page-out) and swap-ins (refaults) are done, relative to what else
 * runs on the device, and how long the slowest one took; a store or a load
 * that waits behind another operation shows up as one huge page latency.
 *
 * Flow: [pin to --cpu C]; mmap --pages N anonymous pages (no THP), fill
 * each with the content.h page of its index (seed --seed, mix --mix);
 * MADV_PAGEOUT each page on its own, timing each call (a store into
 * vswap happens inside the call, synchronously); count the pages that
 * /proc/self/pagemap shows swapped; print
 *   "vswap-lat: paged out pages=N swapped=K pageout_max_us=.. pageout_total_us=.."
 * [--hold: print "vswap-lat: holding" and wait for a line on stdin];
 * read every page back in order, timing the first touch of each (the
 * fault), print "vswap-lat: page 0 back" after the first one, compare each
 * page with its regenerated content and print
 *   "vswap-lat: read back pages=N swapped=K mismatches=M read_max_us=.. read_total_us=.."
 * Latencies are figures to report, never assertions.
 *
 * Exit status: 0 every page verified; 1 a mismatch; 2 usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "content.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

#define PAGEMAP_SWAPPED (1ULL << 62)
#define MAX_REPORTED 8

struct lat {
	double max;
	double total;
};

static void lat_add(struct lat *l, double dt)
{
	if (dt > l->max)
		l->max = dt;
	l->total += dt;
}

static void usage(void)
{
	fprintf(stderr, "usage: vswap-lat --pages N [--seed S] [--mix z,s,t,r] [--cpu C] [--hold]\n");
	exit(2);
}

static int parse_ul(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

/* Pages of [base, base + n pages) that pagemap shows swapped, or -1. */
static long count_swapped(unsigned char *base, size_t n, size_t ps)
{
	uint64_t e;
	size_t i;
	long swapped = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++) {
		off_t off = (off_t)(((uintptr_t)base + i * ps) / ps * sizeof(e));

		if (pread(fd, &e, sizeof(e), off) != (ssize_t)sizeof(e)) {
			close(fd);
			return -1;
		}
		if (e & PAGEMAP_SWAPPED)
			swapped++;
	}
	close(fd);
	return swapped;
}

int main(int argc, char **argv)
{
	unsigned long pages = 0, seed = 1, cpu = 0, v;
	int pin = 0, hold = 0, i;
	struct mix mix = { { 0, 10, 90, 0 }, 100 };
	struct lat out = { 0, 0 }, in = { 0, 0 };
	unsigned char *base, *want;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), n;
	unsigned long mismatches = 0;
	long swapped_out, swapped_in;
	char line[64];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hold")) {
			hold = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--pages") && !parse_ul(argv[i + 1], &v) && v)
			pages = v;
		else if (!strcmp(argv[i], "--seed") && !parse_ul(argv[i + 1], &v))
			seed = v;
		else if (!strcmp(argv[i], "--cpu") && !parse_ul(argv[i + 1], &v))
			cpu = v, pin = 1;
		else if (!strcmp(argv[i], "--mix") && !parse_mix(argv[i + 1], &mix))
			;
		else
			usage();
		i++;
	}
	if (!pages)
		usage();
	n = pages;

	if (pin) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("vswap-lat: sched_setaffinity");
			return 2;
		}
	}
	base = mmap(NULL, n * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(ps);
	if (base == MAP_FAILED || !want) {
		perror("vswap-lat: mmap");
		return 2;
	}
	/* One small folio per page: each MADV_PAGEOUT is one store. */
	madvise(base, n * ps, MADV_NOHUGEPAGE);
	for (size_t p = 0; p < n; p++)
		gen_page(&mix, base + p * ps, ps, "vswap-lat", seed, p, 0);

	for (size_t p = 0; p < n; p++) {
		double t0 = now();

		if (madvise(base + p * ps, ps, MADV_PAGEOUT)) {
			perror("vswap-lat: madvise(MADV_PAGEOUT)");
			return 2;
		}
		lat_add(&out, now() - t0);
	}
	swapped_out = count_swapped(base, n, ps);
	say("vswap-lat: paged out pages=%zu swapped=%ld pageout_max_us=%.0f pageout_total_us=%.0f%s\n",
	    n, swapped_out, out.max * 1e6, out.total * 1e6, pin ? " (pinned)" : "");

	if (hold) {
		say("vswap-lat: holding\n");
		if (!fgets(line, sizeof(line), stdin))
			say("vswap-lat: stdin closed, going on\n");
	}

	swapped_in = count_swapped(base, n, ps);
	for (size_t p = 0; p < n; p++) {
		volatile unsigned char *q = base + p * ps;
		double t0 = now();

		(void)*q;	/* the fault: a swap-in if the page is out */
		lat_add(&in, now() - t0);
		gen_page(&mix, want, ps, "vswap-lat", seed, p, 0);
		if (memcmp(want, base + p * ps, ps)) {
			if (mismatches < MAX_REPORTED)
				say("vswap-lat: MISMATCH page %zu\n", p);
			mismatches++;
		}
		if (!p)
			say("vswap-lat: page 0 back\n");
	}
	say("vswap-lat: read back pages=%zu swapped=%ld mismatches=%lu read_max_us=%.0f read_total_us=%.0f\n",
	    n, swapped_in, mismatches, in.max * 1e6, in.total * 1e6);
	return mismatches ? 1 : 0;
}
