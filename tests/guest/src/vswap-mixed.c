// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-mixed: a swap integrity workload with content of known kinds.
 *
 * Why: a swap device must hand back every byte it was given, whatever the
 * page looks like. vswap stores pages differently by content (same-filled
 * pages as one word, compressible pages in zsmalloc, incompressible pages
 * raw), so the workload mixes four kinds of pages, chosen per page by a
 * deterministic hash of (seed, page index, generation):
 *   zero    all bytes 0
 *   same    one random non-zero 64-bit word repeated
 *   text    words from a small dictionary plus the page index (compresses)
 *   random  xorshift output (does not compress)
 * Every page can be regenerated from its index, so verification compares
 * every byte of every page (memcmp against the regenerated page).
 *
 * Flow per process (--procs N forks N children, each with its own region and
 * seed = --seed + child index):
 *   fill every page; [--pageout: MADV_PAGEOUT in chunks, then count the pages
 *   that /proc/self/pagemap shows swapped (bit 62) and require --min-swapped
 *   percent]; [--hold: all children stop at a barrier while the parent sleeps,
 *   so a test can read the device's counters]; verify in sequential order;
 *   [pageout again]; verify in random order; for --rounds > 1, re-dirty about
 *   one page in eight and repeat.
 * --parts K --step: fill and page out the region one part at a time and wait
 *   for a line on stdin after each part (a test switches the compressor in
 *   between), then check the whole region is still swapped and verify it.
 * --thp: madvise(MADV_HUGEPAGE) the region (exercises huge page swap paths).
 * --corrupt-page N: self-test of the verifier: child 0 damages one byte of
 *   page N before verifying, which must then fail with exit status 1.
 *
 * Output: progress and a summary on stdout; exit status 0 only if every page
 * verified and every pageout reached --min-swapped. 1: data mismatch;
 * 3: too few pages swapped (data intact); 2: usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "content.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#endif

#define PAGEMAP_SWAPPED (1ULL << 62)
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEOUT_CHUNK (2UL << 20)
#define HUGE_ALIGN (2UL << 20)
#define MAX_REPORTED 8

enum { EXIT_OK = 0, EXIT_MISMATCH = 1, EXIT_ERROR = 2, EXIT_SWAP_SHORT = 3 };
static const char *const kind_name[K_NR] = { "zero", "same", "text", "random" };

struct opts {
	size_t size;		/* bytes per process */
	uint64_t seed;
	unsigned int procs;
	int pageout;
	unsigned int min_swapped; /* percent */
	struct mix mix;
	unsigned int rounds;
	unsigned int hold;	/* seconds */
	unsigned int parts;
	int step;
	int thp;
	long long corrupt_page;	/* self-test: damage this page of child 0, -1 = off */
};

/* Per-child results, in a shared mapping so the parent can add them up. */
struct result {
	uint64_t pages;
	uint64_t written_bytes;
	uint64_t swapped_pages;	/* sum over pageouts of pages seen swapped */
	uint64_t mismatches;
	uint64_t kind_count[K_NR];
	unsigned int pageouts;
	unsigned int min_pct;	/* lowest swapped percentage seen */
	int swap_short;
	int error;
};

struct region {
	unsigned char *mem;
	size_t pages;
	size_t page_size;
	uint8_t *gen;		/* generation of each page (bumped by re-dirtying) */
	uint64_t seed;
	unsigned int id;
	const struct opts *o;
	struct result *res;
	int pagemap_fd;
	unsigned int reported;
};

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > 0xffffffffUL)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vswap-mixed --size BYTES[K|M|G] [--seed N] [--procs N] [--pageout]\n"
		"       [--min-swapped PERCENT] [--mix zero,same,text,random] [--rounds N]\n"
		"       [--hold SECONDS] [--parts K --step] [--thp] [--corrupt-page N]\n");
	exit(EXIT_ERROR);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->procs = 1;
	o->min_swapped = 90;
	o->rounds = 1;
	o->parts = 1;
	o->corrupt_page = -1;
	parse_mix("10,10,50,30", &o->mix);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (!strcmp(a, "--pageout")) { o->pageout = 1; continue; }
		if (!strcmp(a, "--step")) { o->step = 1; continue; }
		if (!strcmp(a, "--thp")) { o->thp = 1; continue; }
		if (!v)
			usage();
		if (!strcmp(a, "--size"))
			bad = parse_size(v, &o->size);
		else if (!strcmp(a, "--seed")) {
			char *end;

			errno = 0;
			o->seed = strtoull(v, &end, 0);
			bad = errno || end == v || *end;
		} else if (!strcmp(a, "--procs"))
			bad = parse_uint(v, &o->procs) || o->procs < 1 || o->procs > 64;
		else if (!strcmp(a, "--min-swapped"))
			bad = parse_uint(v, &o->min_swapped) || o->min_swapped > 100;
		else if (!strcmp(a, "--mix"))
			bad = parse_mix(v, &o->mix);
		else if (!strcmp(a, "--rounds"))
			bad = parse_uint(v, &o->rounds) || o->rounds < 1;
		else if (!strcmp(a, "--hold"))
			bad = parse_uint(v, &o->hold);
		else if (!strcmp(a, "--parts"))
			bad = parse_uint(v, &o->parts) || o->parts < 1;
		else if (!strcmp(a, "--corrupt-page")) {
			char *end;

			errno = 0;
			o->corrupt_page = strtoll(v, &end, 0);
			bad = errno || end == v || *end || o->corrupt_page < 0;
		}
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "vswap-mixed: bad option %s %s\n", a, v);
			usage();
		}
		i++;
	}
	if (!o->size) {
		fprintf(stderr, "vswap-mixed: --size is required\n");
		usage();
	}
	if (o->step && (o->procs != 1 || !o->pageout)) {
		fprintf(stderr, "vswap-mixed: --step needs --procs 1 and --pageout\n");
		usage();
	}
	if (o->parts > 1 && !o->step) {
		fprintf(stderr, "vswap-mixed: --parts needs --step\n");
		usage();
	}
}

/* ---- pageout and pagemap ---------------------------------------------------- */

/* Count pages of [first, first+count) that pagemap shows swapped (and present). */
static int count_swapped(struct region *r, size_t first, size_t count,
			 size_t *swapped, size_t *present)
{
	uint64_t buf[512];
	size_t done = 0;

	*swapped = 0;
	*present = 0;
	while (done < count) {
		size_t n = count - done, i;
		uintptr_t va = (uintptr_t)(r->mem + (first + done) * r->page_size);
		off_t off = (off_t)(va / r->page_size * sizeof(uint64_t));
		ssize_t got;

		if (n > 512)
			n = 512;
		got = pread(r->pagemap_fd, buf, n * sizeof(uint64_t), off);
		if (got != (ssize_t)(n * sizeof(uint64_t))) {
			say("vswap-mixed[%u]: pagemap read failed: %s\n", r->id,
			    got < 0 ? strerror(errno) : "short read");
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] & PAGEMAP_SWAPPED)
				(*swapped)++;
			if (buf[i] & PAGEMAP_PRESENT)
				(*present)++;
		}
		done += n;
	}
	return 0;
}

static int do_pageout(struct region *r, size_t first, size_t count)
{
	size_t off = first * r->page_size, end = (first + count) * r->page_size;

	while (off < end) {
		size_t len = end - off < PAGEOUT_CHUNK ? end - off : PAGEOUT_CHUNK;

		if (madvise(r->mem + off, len, MADV_PAGEOUT)) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			say("vswap-mixed[%u]: madvise(MADV_PAGEOUT) failed: %s\n", r->id,
			    strerror(errno));
			return -1;
		}
		off += len;
	}
	return 0;
}

/* Check that at least --min-swapped percent of the pages are swapped; record it. */
static int check_swapped(struct region *r, size_t first, size_t count, const char *what)
{
	size_t swapped, present;
	unsigned int pct;

	if (count_swapped(r, first, count, &swapped, &present))
		return -1;
	pct = count ? (unsigned int)(swapped * 100 / count) : 100;
	say("vswap-mixed[%u]: %s: %zu/%zu pages swapped (%u%%), %zu present\n",
	    r->id, what, swapped, count, pct, present);
	r->res->pageouts++;
	r->res->swapped_pages += swapped;
	if (pct < r->res->min_pct)
		r->res->min_pct = pct;
	if (swapped * 100 < (size_t)r->o->min_swapped * count) {
		say("vswap-mixed[%u]: %s: FAIL only %u%% swapped, want >= %u%%\n",
		    r->id, what, pct, r->o->min_swapped);
		r->res->swap_short = 1;
	}
	return 0;
}

static int pageout_and_check(struct region *r, size_t first, size_t count, const char *what)
{
	double t = now();

	if (do_pageout(r, first, count))
		return -1;
	if (check_swapped(r, first, count, what))
		return -1;
	say("vswap-mixed[%u]: %s took %.1fs\n", r->id, what, now() - t);
	return 0;
}

/* ---- fill and verify -------------------------------------------------------- */

static void fill_pages(struct region *r, size_t first, size_t count)
{
	size_t i;

	for (i = first; i < first + count; i++) {
		enum kind k = gen_page(&r->o->mix, r->mem + i * r->page_size, r->page_size,
				       "vswap-mixed", r->seed, i, r->gen[i]);

		r->res->kind_count[k]++;
	}
	r->res->written_bytes += (uint64_t)count * r->page_size;
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void report_mismatch(struct region *r, size_t index, const unsigned char *want,
			    enum kind k)
{
	const unsigned char *got = r->mem + index * r->page_size;
	size_t off = 0;
	uint64_t w = 0, g = 0;

	r->res->mismatches++;
	if (r->reported >= MAX_REPORTED)
		return;
	r->reported++;
	while (off < r->page_size && got[off] == want[off])
		off++;
	off &= ~(size_t)7;
	memcpy(&w, want + off, sizeof(w));
	memcpy(&g, got + off, sizeof(g));
	say("vswap-mixed[%u]: MISMATCH page %zu (kind %s, generation %u) at offset %zu: "
	    "want %016" PRIx64 " got %016" PRIx64 "%s\n", r->id, index, kind_name[k],
	    r->gen[index], off, w, g,
	    all_zero(got, r->page_size) ? " (page reads as all zeros)" : "");
}

static void verify_page(struct region *r, size_t index, unsigned char *scratch)
{
	enum kind k = gen_page(&r->o->mix, scratch, r->page_size, "vswap-mixed", r->seed, index,
				 r->gen[index]);

	if (memcmp(scratch, r->mem + index * r->page_size, r->page_size))
		report_mismatch(r, index, scratch, k);
}

static void verify(struct region *r, int random_order, unsigned int round)
{
	unsigned char *scratch = malloc(r->page_size);
	uint32_t *perm = NULL;
	uint64_t before = r->res->mismatches, s;
	double t = now();
	size_t i;

	if (!scratch) {
		r->res->error = 1;
		return;
	}
	if (random_order) {
		perm = malloc(r->pages * sizeof(*perm));
		if (!perm) {
			say("vswap-mixed[%u]: out of memory for the permutation\n", r->id);
			r->res->error = 1;
			free(scratch);
			return;
		}
		for (i = 0; i < r->pages; i++)
			perm[i] = (uint32_t)i;
		s = splitmix64(r->seed ^ (0x7ea1ULL + round)) | 1;
		for (i = r->pages - 1; i > 0; i--) {
			size_t j = (size_t)(xorshift64(&s) % (i + 1));
			uint32_t tmp = perm[i];

			perm[i] = perm[j];
			perm[j] = tmp;
		}
	}
	for (i = 0; i < r->pages; i++)
		verify_page(r, random_order ? perm[i] : i, scratch);
	say("vswap-mixed[%u]: round %u verify (%s order): %" PRIu64 " mismatches in %zu pages, %.1fs\n",
	    r->id, round, random_order ? "random" : "sequential",
	    r->res->mismatches - before, r->pages, now() - t);
	free(perm);
	free(scratch);
}

/* Give about one page in eight a new generation (new content, maybe a new kind). */
static void redirty(struct region *r, unsigned int round)
{
	size_t i, n = 0;

	for (i = 0; i < r->pages; i++) {
		if (splitmix64(r->seed ^ splitmix64(i) ^ (0xd1a7ULL * round)) % 8)
			continue;
		r->gen[i]++;
		fill_pages(r, i, 1);
		n++;
	}
	say("vswap-mixed[%u]: round %u: re-dirtied %zu pages\n", r->id, round, n);
}

/* ---- hold barrier and step control ------------------------------------------ */

struct barrier {
	int ready[2];	/* children write one byte when they reach the hold */
	int go[2];	/* the parent closes the write end to release them */
};

static void hold_point(struct region *r, struct barrier *b)
{
	char c = 'r';

	if (!r->o->hold)
		return;
	if (write(b->ready[1], &c, 1) != 1)
		say("vswap-mixed[%u]: barrier write failed: %s\n", r->id, strerror(errno));
	/* Closed so the parent sees EOF if another child dies before the hold. */
	close(b->ready[1]);
	/* Blocks until the parent closes the go pipe. */
	while (read(b->go[0], &c, 1) < 0 && errno == EINTR)
		;
}

static int wait_step(struct region *r, const char *what)
{
	char line[64];

	say("vswap-mixed[%u]: %s, waiting for a line on stdin\n", r->id, what);
	if (!fgets(line, sizeof(line), stdin)) {
		say("vswap-mixed[%u]: stdin closed while waiting to continue\n", r->id);
		return -1;
	}
	return 0;
}

/* ---- one process ------------------------------------------------------------ */

static int map_region(struct region *r)
{
	size_t len = r->pages * r->page_size;
	unsigned char *m;

	m = mmap(NULL, len + HUGE_ALIGN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		say("vswap-mixed[%u]: mmap of %zu bytes failed: %s\n", r->id, len, strerror(errno));
		return -1;
	}
	r->mem = (unsigned char *)(((uintptr_t)m + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
	if (r->o->thp && madvise(r->mem, len, MADV_HUGEPAGE)) {
		say("vswap-mixed[%u]: madvise(MADV_HUGEPAGE) failed: %s\n", r->id, strerror(errno));
		return -1;
	}
	r->gen = calloc(r->pages, 1);
	if (!r->gen) {
		say("vswap-mixed[%u]: out of memory\n", r->id);
		return -1;
	}
	return 0;
}

static void print_thp(struct region *r)
{
	char line[256];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			say("vswap-mixed[%u]: after fill %s", r->id, line);
	fclose(f);
}

static int fill_phase(struct region *r, struct barrier *b)
{
	size_t per = (r->pages + r->o->parts - 1) / r->o->parts, first;
	unsigned int part = 0;
	char what[64];
	double t = now();

	for (first = 0; first < r->pages; first += per, part++) {
		size_t count = r->pages - first < per ? r->pages - first : per;

		fill_pages(r, first, count);
		if (!r->o->step)
			continue;
		snprintf(what, sizeof(what), "part %u/%u paged out", part + 1, r->o->parts);
		if (pageout_and_check(r, first, count, what) || wait_step(r, what))
			return -1;
	}
	say("vswap-mixed[%u]: filled %zu pages in %.1fs (zero %" PRIu64 " same %" PRIu64
	    " text %" PRIu64 " random %" PRIu64 ")\n", r->id, r->pages, now() - t,
	    r->res->kind_count[K_ZERO], r->res->kind_count[K_SAME],
	    r->res->kind_count[K_TEXT], r->res->kind_count[K_RANDOM]);
	if (r->o->thp)
		print_thp(r);
	if (r->o->step) {
		/* Earlier parts must still be out (stored under earlier settings). */
		if (check_swapped(r, 0, r->pages, "all parts before verify"))
			return -1;
	} else if (r->o->pageout && pageout_and_check(r, 0, r->pages, "round 1 pageout 1")) {
		return -1;
	}
	hold_point(r, b);
	if (r->o->corrupt_page >= 0 && r->id == 0) {
		size_t i = (size_t)r->o->corrupt_page % r->pages;

		r->mem[i * r->page_size + 123] ^= 0x5a;
		say("vswap-mixed[%u]: self-test: damaged page %zu at offset 123\n", r->id, i);
	}
	return 0;
}

static int run_rounds(struct region *r)
{
	unsigned int round;
	char what[64];

	for (round = 1; round <= r->o->rounds; round++) {
		if (round > 1) {
			redirty(r, round);
			snprintf(what, sizeof(what), "round %u pageout 1", round);
			if (r->o->pageout && pageout_and_check(r, 0, r->pages, what))
				return -1;
		}
		verify(r, 0, round);
		snprintf(what, sizeof(what), "round %u pageout 2", round);
		if (r->o->pageout && pageout_and_check(r, 0, r->pages, what))
			return -1;
		verify(r, 1, round);
	}
	return 0;
}

static int child_main(const struct opts *o, unsigned int id, struct result *res,
		      struct barrier *b)
{
	struct region r;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.id = id;
	r.res = res;
	r.seed = o->seed + id;
	r.page_size = (size_t)sysconf(_SC_PAGESIZE);
	r.pages = (o->size + r.page_size - 1) / r.page_size;
	res->pages = r.pages;
	res->min_pct = 100;
	if (r.pages > UINT32_MAX) {
		say("vswap-mixed[%u]: region too large\n", id);
		return EXIT_ERROR;
	}
	r.pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (r.pagemap_fd < 0) {
		say("vswap-mixed[%u]: open /proc/self/pagemap: %s\n", id, strerror(errno));
		return EXIT_ERROR;
	}
	if (map_region(&r) || fill_phase(&r, b) || run_rounds(&r) || res->error) {
		res->error = 1;
		return EXIT_ERROR;
	}
	say("vswap-mixed[%u]: pages=%" PRIu64 " written_bytes=%" PRIu64 " pageouts=%u"
	    " swapped_pages=%" PRIu64 " min_swapped_pct=%u mismatches=%" PRIu64 " result=%s\n",
	    id, res->pages, res->written_bytes, res->pageouts, res->swapped_pages,
	    res->pageouts ? res->min_pct : 0, res->mismatches,
	    res->mismatches ? "FAIL" : res->swap_short ? "SWAP-SHORT" : "PASS");
	if (res->mismatches)
		return EXIT_MISMATCH;
	return res->swap_short ? EXIT_SWAP_SHORT : EXIT_OK;
}

/* ---- parent ----------------------------------------------------------------- */

static void release_hold(const struct opts *o, struct barrier *b)
{
	unsigned int ready = 0;
	char c;

	close(b->ready[1]);
	close(b->go[0]);
	if (o->hold) {
		while (ready < o->procs) {
			ssize_t n = read(b->ready[0], &c, 1);

			if (n == 1)
				ready++;
			else if (n == 0 || errno != EINTR)
				break;
		}
		if (ready == o->procs) {
			say("vswap-mixed: holding %u s (all %u procs ready)\n", o->hold, o->procs);
			sleep(o->hold);
			say("vswap-mixed: hold over\n");
		} else {
			say("vswap-mixed: only %u of %u procs reached the hold\n", ready, o->procs);
		}
	}
	close(b->go[1]);
	close(b->ready[0]);
}

static int worst(int a, int b)
{
	static const int rank[] = { [EXIT_OK] = 0, [EXIT_SWAP_SHORT] = 1,
				    [EXIT_ERROR] = 2, [EXIT_MISMATCH] = 3 };

	return rank[b] > rank[a] ? b : a;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct result *res, tot;
	struct barrier b;
	pid_t *pids;
	unsigned int i, min_pct = 100;
	int status, rc = EXIT_OK;

	parse_args(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	res = mmap(NULL, o.procs * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(o.procs, sizeof(*pids));
	if (res == MAP_FAILED || !pids || pipe(b.ready) || pipe(b.go)) {
		perror("vswap-mixed: setup");
		return EXIT_ERROR;
	}
	memset(res, 0, o.procs * sizeof(*res));
	say("vswap-mixed: procs=%u size=%zu seed=%" PRIu64 " mix=%u,%u,%u,%u rounds=%u%s%s%s\n",
	    o.procs, o.size, o.seed, o.mix.weight[0], o.mix.weight[1], o.mix.weight[2], o.mix.weight[3], o.rounds,
	    o.pageout ? " pageout" : "", o.step ? " step" : "", o.thp ? " thp" : "");
	for (i = 0; i < o.procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("vswap-mixed: fork");
			return EXIT_ERROR;
		}
		if (pids[i] == 0) {
			close(b.ready[0]);
			close(b.go[1]);
			_exit(child_main(&o, i, &res[i], &b));
		}
	}
	release_hold(&o, &b);
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < o.procs; i++) {
		int crc;

		if (waitpid(pids[i], &status, 0) < 0) {
			perror("vswap-mixed: waitpid");
			return EXIT_ERROR;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) <= EXIT_SWAP_SHORT) {
			crc = WEXITSTATUS(status);
		} else {
			say("vswap-mixed[%u]: ended abnormally (%s %d)\n", i,
			    WIFSIGNALED(status) ? "signal" : "status",
			    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			crc = EXIT_ERROR;
		}
		rc = worst(rc, crc);
		tot.pages += res[i].pages;
		tot.written_bytes += res[i].written_bytes;
		tot.swapped_pages += res[i].swapped_pages;
		tot.mismatches += res[i].mismatches;
		tot.pageouts += res[i].pageouts;
		if (res[i].pageouts && res[i].min_pct < min_pct)
			min_pct = res[i].min_pct;
	}
	say("vswap-mixed: total procs=%u pages=%" PRIu64 " written_bytes=%" PRIu64
	    " swapped_bytes=%" PRIu64 " pageouts=%u min_swapped_pct=%u mismatches=%" PRIu64
	    " result=%s\n", o.procs, tot.pages, tot.written_bytes,
	    tot.swapped_pages * (uint64_t)sysconf(_SC_PAGESIZE), tot.pageouts,
	    tot.pageouts ? min_pct : 0, tot.mismatches,
	    rc == EXIT_OK ? "PASS" : rc == EXIT_MISMATCH ? "FAIL" :
	    rc == EXIT_SWAP_SHORT ? "SWAP-SHORT" : "ERROR");
	return rc;
}
