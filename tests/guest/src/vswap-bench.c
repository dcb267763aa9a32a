// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-bench: timed swap workloads for `make bench` (bench/guest/run.sh).
 *
 * Why a program of its own: the benchmark compares swap devices (vswap, zram,
 * zswap, brd) on the swap path itself, so the timed part must contain nothing
 * but swap-out or swap-in work, and every byte must still be verified after
 * the clock stops. Content is the same mix as vswap-mixed (zero, same-filled,
 * text, random pages, chosen per page by a hash of seed and index), so every
 * page can be regenerated and compared.
 *
 * vswap-bench micro --size BYTES [--seed N] [--mix z,s,t,r] [--wait]
 *                   [--one-round] [--min-swapped PCT]
 *   Fill the region, then two rounds of: MADV_PAGEOUT of the whole region
 *   (timed), check in /proc/self/pagemap that >= PCT % of the pages are
 *   swapped, [--wait, first round only: print "vswap-bench: paged out,
 *   waiting" and wait for a line on stdin, so the caller can read or act on
 *   the device], fault every page back in (timed; round 1 in sequential
 *   order, round 2 in a random order computed beforehand), verify every page
 *   (not timed). Faults write the byte they read back, so the swap slot is
 *   freed as on any write fault and round 2 swaps out every page again.
 *   --one-round stops after round 1 (writeback runs: the read-back is then
 *   the refault of what was written back, nothing else).
 *   Summary line: "vswap-bench: micro pages=N swapped1=.. swapped2=.."
 *   " out1_s=.. inseq_s=.. out2_s=.. inrand_s=.. mismatches=M".
 *
 * vswap-bench pressure --size BYTES --procs P --accesses A [--seed N]
 *                      [--mix ...] [--hot-pct H] [--hot-prob Q] [--write-pct W]
 *   P processes (meant to run in a memory-limited cgroup) each fill a region,
 *   wait at a barrier, then make A accesses: with probability Q % to a page of
 *   the hot set (the first H % of the region), else to a cold page, one word
 *   read, written back unchanged in W % of the accesses. The access phase is
 *   timed (wall time from the barrier to the last process done, user and
 *   system time of the processes, pages swapped in and out from /proc/vmstat:
 *   pswpin + zswpin, pswpout + zswpout, zswap's loads and stores counting
 *   only in the latter), then every page is verified.
 *   Summary line: "vswap-bench: pressure procs=P pages=N accesses=A
 *   elapsed_s=.. user_s=.. sys_s=.. swpin=.. swpout=.. mismatches=M".
 *
 * Exit status: 0 all verified (and swapped enough); 1 data mismatch;
 * 3 too few pages swapped; 2 usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "content.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

#define PAGEMAP_SWAPPED (1ULL << 62)
#define PAGEOUT_CHUNK (2UL << 20)
#define MAX_PROCS 16

enum { EXIT_OK = 0, EXIT_MISMATCH = 1, EXIT_ERROR = 2, EXIT_SWAP_SHORT = 3 };

struct opts {
	int pressure;
	size_t size;
	uint64_t seed;
	struct mix mix;
	int wait;
	int one_round;
	unsigned int min_swapped;
	unsigned int procs;
	uint64_t accesses;
	unsigned int hot_pct;
	unsigned int hot_prob;
	unsigned int write_pct;
};

static size_t page_size;

/* ---- region -------------------------------------------------------------------- */

struct region {
	unsigned char *mem;
	size_t pages;
	uint64_t seed;
};

static int map_fill(const struct opts *o, struct region *r, uint64_t seed)
{
	size_t i;

	r->pages = (o->size + page_size - 1) / page_size;
	r->seed = seed;
	r->mem = mmap(NULL, r->pages * page_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->mem == MAP_FAILED) {
		say("vswap-bench: mmap of %zu pages failed: %s\n", r->pages, strerror(errno));
		return -1;
	}
	/* Base pages only: every device sees the same 4 KiB swap path. */
	madvise(r->mem, r->pages * page_size, MADV_NOHUGEPAGE);
	for (i = 0; i < r->pages; i++)
		gen_page(&o->mix, r->mem + i * page_size, page_size, "vswap-bench", seed, i, 0);
	return 0;
}

static uint64_t verify(const struct opts *o, const struct region *r)
{
	unsigned char *want = malloc(page_size);
	uint64_t bad = 0;
	size_t i;

	if (!want)
		return 1;
	for (i = 0; i < r->pages; i++) {
		gen_page(&o->mix, want, page_size, "vswap-bench", r->seed, i, 0);
		if (memcmp(want, r->mem + i * page_size, page_size)) {
			if (bad < 4)
				say("vswap-bench: MISMATCH page %zu\n", i);
			bad++;
		}
	}
	free(want);
	return bad;
}

static int pageout(const struct region *r)
{
	size_t off = 0, end = r->pages * page_size;

	while (off < end) {
		size_t len = end - off < PAGEOUT_CHUNK ? end - off : PAGEOUT_CHUNK;

		if (madvise(r->mem + off, len, MADV_PAGEOUT)) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			say("vswap-bench: madvise(MADV_PAGEOUT): %s\n", strerror(errno));
			return -1;
		}
		off += len;
	}
	return 0;
}

/* Pages of the region that pagemap shows swapped, or -1. */
static long count_swapped(const struct region *r)
{
	uint64_t buf[512];
	size_t done = 0, i, n;
	long swapped = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	while (done < r->pages) {
		uintptr_t va = (uintptr_t)(r->mem + done * page_size);
		off_t off = (off_t)(va / page_size * sizeof(uint64_t));

		n = r->pages - done < 512 ? r->pages - done : 512;
		if (pread(fd, buf, n * sizeof(uint64_t), off) != (ssize_t)(n * sizeof(uint64_t))) {
			close(fd);
			return -1;
		}
		for (i = 0; i < n; i++)
			swapped += !!(buf[i] & PAGEMAP_SWAPPED);
		done += n;
	}
	close(fd);
	return swapped;
}

/* Fault pages in, in the order given (or sequentially when ORDER is NULL). */
static void fault_in(const struct region *r, const uint32_t *order)
{
	size_t i;

	for (i = 0; i < r->pages; i++) {
		volatile unsigned char *p = r->mem + (order ? order[i] : i) * page_size;

		*p = *p;
	}
}

static uint32_t *random_order(size_t n, uint64_t seed)
{
	uint32_t *perm = malloc(n * sizeof(*perm));
	uint64_t s = splitmix64(seed ^ 0x7ea1ULL) | 1;
	size_t i;

	if (!perm)
		return NULL;
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	for (i = n - 1; i > 0; i--) {
		size_t j = (size_t)(xorshift64(&s) % (i + 1));
		uint32_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	return perm;
}

/* ---- micro ----------------------------------------------------------------------- */

/* Timed pageout plus the swapped check; returns seconds, or < 0 on error. */
static double timed_pageout(const struct region *r, long *swapped)
{
	double t = now();

	if (pageout(r))
		return -1;
	t = now() - t;
	*swapped = count_swapped(r);
	if (*swapped < 0) {
		say("vswap-bench: reading pagemap failed\n");
		return -1;
	}
	return t;
}

static int run_micro(const struct opts *o)
{
	struct region r;
	uint32_t *perm;
	long sw1, sw2;
	double out1, out2, inseq, inrand, t;
	uint64_t bad;
	char line[64];

	if (map_fill(o, &r, o->seed))
		return EXIT_ERROR;
	perm = random_order(r.pages, o->seed);
	if (!perm)
		return EXIT_ERROR;
	out1 = timed_pageout(&r, &sw1);
	if (out1 < 0)
		return EXIT_ERROR;
	if (o->wait) {
		say("vswap-bench: paged out, waiting\n");
		if (!fgets(line, sizeof(line), stdin))
			say("vswap-bench: stdin closed, going on\n");
	}
	t = now();
	fault_in(&r, NULL);
	inseq = now() - t;
	bad = verify(o, &r);
	out2 = inrand = 0;
	sw2 = sw1;
	if (!o->one_round) {
		out2 = timed_pageout(&r, &sw2);
		if (out2 < 0)
			return EXIT_ERROR;
		t = now();
		fault_in(&r, perm);
		inrand = now() - t;
		bad += verify(o, &r);
	}
	say("vswap-bench: micro pages=%zu swapped1=%ld swapped2=%ld out1_s=%.6f inseq_s=%.6f"
	    " out2_s=%.6f inrand_s=%.6f mismatches=%" PRIu64 "\n", r.pages, sw1, sw2, out1,
	    inseq, out2, inrand, bad);
	if (bad)
		return EXIT_MISMATCH;
	if ((uint64_t)sw1 * 100 < (uint64_t)o->min_swapped * r.pages ||
	    (uint64_t)sw2 * 100 < (uint64_t)o->min_swapped * r.pages) {
		say("vswap-bench: too few pages swapped (want >= %u%%)\n", o->min_swapped);
		return EXIT_SWAP_SHORT;
	}
	return EXIT_OK;
}

/* ---- pressure -------------------------------------------------------------------- */

struct child_result {
	double start, end, user, sys;
	uint64_t mismatches;
	int error;
};

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Sum of the /proc/vmstat counters KEY1 and KEY2 (a missing one counts 0). */
static uint64_t vmstat(const char *key1, const char *key2)
{
	char name[64];
	unsigned long long v;
	uint64_t found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strcmp(name, key1) || !strcmp(name, key2))
			found += v;
	fclose(f);
	return found;
}

static void access_phase(const struct opts *o, const struct region *r, uint64_t seed)
{
	size_t hot = r->pages * o->hot_pct / 100, words = page_size / sizeof(uint64_t);
	uint64_t s = splitmix64(seed ^ 0xacce55ULL) | 1, sink = 0, i, x;
	size_t page;

	if (hot < 1)
		hot = 1;
	for (i = 0; i < o->accesses; i++) {
		volatile uint64_t *w;

		x = xorshift64(&s);
		if (x % 100 < o->hot_prob || hot >= r->pages)
			page = (size_t)((x >> 8) % hot);
		else
			page = hot + (size_t)((x >> 8) % (r->pages - hot));
		w = (volatile uint64_t *)(r->mem + page * page_size) + (x >> 40) % words;
		if ((x >> 32) % 100 < o->write_pct)
			*w = *w;
		else
			sink += *w;
	}
	if (sink == 0x5a5a5a5a5a5a5a5aULL)
		say("vswap-bench: (sink)\n");
}

static int pressure_child(const struct opts *o, unsigned int id, struct child_result *res,
			  int ready_fd, int go_fd, int done_fd)
{
	struct region r;
	struct rusage ru0, ru1;
	char c = 'r';

	if (map_fill(o, &r, o->seed + id))
		return EXIT_ERROR;
	if (write(ready_fd, &c, 1) != 1)
		return EXIT_ERROR;
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	getrusage(RUSAGE_SELF, &ru0);
	res->start = now();
	access_phase(o, &r, o->seed + id);
	res->end = now();
	getrusage(RUSAGE_SELF, &ru1);
	res->user = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime);
	res->sys = tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);
	c = 'd';
	if (write(done_fd, &c, 1) != 1)
		return EXIT_ERROR;
	res->mismatches = verify(o, &r);
	return res->mismatches ? EXIT_MISMATCH : EXIT_OK;
}

/* Read N bytes from FD, one per child; returns how many arrived. */
static unsigned int collect(int fd, unsigned int n)
{
	unsigned int got = 0;
	char c;

	while (got < n) {
		ssize_t k = read(fd, &c, 1);

		if (k == 1)
			got++;
		else if (k == 0 || errno != EINTR)
			break;
	}
	return got;
}

static int run_pressure(const struct opts *o)
{
	struct child_result *res;
	int ready[2], go[2], done[2], status, rc = EXIT_OK;
	unsigned int i;
	uint64_t in0, out0, in1, out1, bad = 0;
	double start = 1e300, end = 0, user = 0, sys = 0;
	pid_t pids[MAX_PROCS];

	res = mmap(NULL, o->procs * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED || pipe(ready) || pipe(go) || pipe(done)) {
		perror("vswap-bench: setup");
		return EXIT_ERROR;
	}
	memset(res, 0, o->procs * sizeof(*res));
	for (i = 0; i < o->procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("vswap-bench: fork");
			return EXIT_ERROR;
		}
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			close(done[0]);
			_exit(pressure_child(o, i, &res[i], ready[1], go[0], done[1]));
		}
	}
	close(ready[1]);
	close(go[0]);
	close(done[1]);
	if (collect(ready[0], o->procs) != o->procs) {
		say("vswap-bench: a process died while filling its region\n");
		rc = EXIT_ERROR;
	}
	in0 = vmstat("pswpin", "zswpin");
	out0 = vmstat("pswpout", "zswpout");
	close(go[1]);
	if (collect(done[0], o->procs) != o->procs)
		rc = EXIT_ERROR;
	in1 = vmstat("pswpin", "zswpin");
	out1 = vmstat("pswpout", "zswpout");
	for (i = 0; i < o->procs; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != EXIT_OK) {
			say("vswap-bench: process %u failed (status %#x)\n", i, status);
			if (rc == EXIT_OK)
				rc = WIFEXITED(status) && WEXITSTATUS(status) == EXIT_MISMATCH ?
				     EXIT_MISMATCH : EXIT_ERROR;
		}
		if (res[i].start < start)
			start = res[i].start;
		if (res[i].end > end)
			end = res[i].end;
		user += res[i].user;
		sys += res[i].sys;
		bad += res[i].mismatches;
	}
	say("vswap-bench: pressure procs=%u pages=%zu accesses=%" PRIu64 " elapsed_s=%.6f"
	    " user_s=%.6f sys_s=%.6f swpin=%" PRIu64 " swpout=%" PRIu64
	    " mismatches=%" PRIu64 "\n", o->procs, (o->size + page_size - 1) / page_size * o->procs,
	    o->accesses * o->procs, end - start, user, sys, in1 - in0, out1 - out0, bad);
	return bad ? EXIT_MISMATCH : rc;
}

/* ---- options ---------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: vswap-bench micro --size BYTES[K|M|G] [--seed N] [--mix z,s,t,r] [--wait]\n"
		"                         [--one-round] [--min-swapped PCT]\n"
		"       vswap-bench pressure --size BYTES --procs P --accesses A [--seed N]\n"
		"                         [--mix z,s,t,r] [--hot-pct H] [--hot-prob Q] [--write-pct W]\n");
	exit(EXIT_ERROR);
}

static int parse_u64(const char *s, uint64_t *out, int suffix)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (suffix && *end) {
		switch (*end++) {
		case 'k': case 'K': v <<= 10; break;
		case 'm': case 'M': v <<= 20; break;
		case 'g': case 'G': v <<= 30; break;
		default: return -1;
		}
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_pct(const char *s, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(s, &v, 0) || v > 100)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	uint64_t v;
	int i, bad;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->min_swapped = 90;
	o->procs = 1;
	o->hot_pct = 20;
	o->hot_prob = 90;
	o->write_pct = 12;
	parse_mix("10,10,50,30", &o->mix);
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "pressure"))
		o->pressure = 1;
	else if (strcmp(argv[1], "micro"))
		usage();
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--wait")) {
			o->wait = 1;
			continue;
		}
		if (!strcmp(a, "--one-round")) {
			o->one_round = 1;
			continue;
		}
		if (!val)
			usage();
		bad = 0;
		if (!strcmp(a, "--size")) {
			bad = parse_u64(val, &v, 1) || !v;
			o->size = (size_t)v;
		} else if (!strcmp(a, "--seed")) {
			bad = parse_u64(val, &o->seed, 0);
		} else if (!strcmp(a, "--mix")) {
			bad = parse_mix(val, &o->mix);
		} else if (!strcmp(a, "--min-swapped")) {
			bad = parse_pct(val, &o->min_swapped);
		} else if (!strcmp(a, "--procs")) {
			bad = parse_u64(val, &v, 0) || !v || v > MAX_PROCS;
			o->procs = (unsigned int)v;
		} else if (!strcmp(a, "--accesses")) {
			bad = parse_u64(val, &o->accesses, 0);
		} else if (!strcmp(a, "--hot-pct")) {
			bad = parse_pct(val, &o->hot_pct);
		} else if (!strcmp(a, "--hot-prob")) {
			bad = parse_pct(val, &o->hot_prob);
		} else if (!strcmp(a, "--write-pct")) {
			bad = parse_pct(val, &o->write_pct);
		} else {
			bad = 1;
		}
		if (bad) {
			fprintf(stderr, "vswap-bench: bad option %s %s\n", a, val);
			usage();
		}
		i++;
	}
	if (!o->size || (o->size + 4095) / 4096 > UINT32_MAX)
		usage();
}

int main(int argc, char **argv)
{
	struct opts o;

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	parse_args(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return o.pressure ? run_pressure(&o) : run_micro(&o);
}
