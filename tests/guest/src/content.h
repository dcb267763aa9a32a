/* SPDX-License-Identifier: GPL-2.0 */
/*
 * content.h: page contents of known kinds for the guest workloads
 * (vswap-mixed, vswap-bench).
 *
 * vswap keeps a page differently by what it holds (same-filled, compressed,
 * raw), so the workloads write zero, same-filled, text and random pages in a
 * chosen mix.  The kind and the bytes of page INDEX at generation GEN follow
 * from a hash of seed, index and generation alone: any page can be made again
 * to verify it, in any order, in any process.  Header-only because each guest
 * program is one static binary built from one .c file.
 */
#ifndef VSWAP_CONTENT_H
#define VSWAP_CONTENT_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum kind { K_ZERO, K_SAME, K_TEXT, K_RANDOM, K_NR };

/* Percentages (or any weights) of each kind; total is their sum, not 0. */
struct mix {
	unsigned int weight[K_NR];
	unsigned int total;
};

struct word {
	const char *s;
	size_t len;
};

#define CONTENT_WORD(w) { w, sizeof(w) - 1 }

/* Text pages are words of a small dictionary: about 2:1 with lz4, 3:1 with zstd. */
static const struct word content_dict[] = {
	CONTENT_WORD("swap"), CONTENT_WORD("page"), CONTENT_WORD("memory"),
	CONTENT_WORD("kernel"), CONTENT_WORD("device"), CONTENT_WORD("cluster"),
	CONTENT_WORD("slot"), CONTENT_WORD("compress"), CONTENT_WORD("zsmalloc"),
	CONTENT_WORD("virtual"), CONTENT_WORD("block"), CONTENT_WORD("header"),
	CONTENT_WORD("reclaim"), CONTENT_WORD("cgroup"), CONTENT_WORD("anon"),
	CONTENT_WORD("folio"), CONTENT_WORD("the"), CONTENT_WORD("of"),
	CONTENT_WORD("and"), CONTENT_WORD("to"), CONTENT_WORD("in"),
	CONTENT_WORD("is"), CONTENT_WORD("that"), CONTENT_WORD("for"),
	CONTENT_WORD("write"), CONTENT_WORD("read"), CONTENT_WORD("free"),
	CONTENT_WORD("store"), CONTENT_WORD("verify"), CONTENT_WORD("random"),
	CONTENT_WORD("text"), CONTENT_WORD("zero"),
};

#define CONTENT_DICT_SIZE (sizeof(content_dict) / sizeof(content_dict[0]))

static inline uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint64_t page_hash(uint64_t seed, uint64_t index, uint64_t gen)
{
	return splitmix64(splitmix64(seed) ^ splitmix64(index ^ (gen << 40)) ^ 0x5eedULL);
}

static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* printf, flushed at once: the guest scripts wait for these lines. */
static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* parse_mix "z,s,t,r" into @m; -1 if malformed or all zero. */
static inline int parse_mix(const char *s, struct mix *m)
{
	unsigned int *v = m->weight;

	if (sscanf(s, "%u,%u,%u,%u", &v[0], &v[1], &v[2], &v[3]) != 4)
		return -1;
	m->total = v[0] + v[1] + v[2] + v[3];
	return m->total ? 0 : -1;
}

static inline enum kind page_kind(const struct mix *m, uint64_t h)
{
	unsigned int pick = (unsigned int)((h >> 8) % m->total);
	unsigned int k;

	for (k = 0; k < K_NR; k++) {
		if (pick < m->weight[k])
			return (enum kind)k;
		pick -= m->weight[k];
	}
	return K_RANDOM;
}

static inline void fill_text(unsigned char *p, size_t ps, const char *who, uint64_t index,
			     unsigned int gen, uint64_t h)
{
	uint64_t s = h | 1;
	size_t pos;
	unsigned int words = 0;
	int n;

	n = snprintf((char *)p, ps, "%s page %" PRIu64 " generation %u\n", who, index, gen);
	pos = n > 0 ? (size_t)n : 0;
	while (pos < ps) {
		const struct word *w = &content_dict[xorshift64(&s) % CONTENT_DICT_SIZE];
		size_t len = w->len;

		if (len > ps - pos)
			len = ps - pos;
		memcpy(p + pos, w->s, len);
		pos += len;
		if (pos < ps)
			p[pos++] = (++words % 12) ? ' ' : '\n';
	}
}

/*
 * gen_page: write the content of page INDEX at generation GEN (of the run
 * SEED, text pages signed by WHO) into the PS bytes at P; returns its kind.
 */
static inline enum kind gen_page(const struct mix *m, unsigned char *p, size_t ps,
				 const char *who, uint64_t seed, uint64_t index,
				 unsigned int gen)
{
	uint64_t h = page_hash(seed, index, gen);
	enum kind k = page_kind(m, h);
	uint64_t *w = (uint64_t *)p, s, word;
	size_t i, n = ps / sizeof(uint64_t);

	switch (k) {
	case K_ZERO:
		memset(p, 0, ps);
		break;
	case K_SAME:
		word = splitmix64(h) | 0x0100000000000001ULL;
		for (i = 0; i < n; i++)
			w[i] = word;
		break;
	case K_TEXT:
		fill_text(p, ps, who, index, gen, h);
		break;
	default:
		s = splitmix64(h) | 1;
		for (i = 0; i < n; i++)
			w[i] = xorshift64(&s);
		break;
	}
	return k;
}

#endif /* VSWAP_CONTENT_H */
