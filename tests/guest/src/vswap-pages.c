// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-pages: write pages of known content to a block device and read them
 * back one by one, telling right data, wrong data and I/O errors apart.
 *
 * Why: the lower-tier integrity test (79-wb-corrupt) corrupts what a tier
 * holds and needs, for every page, whether it came back byte for byte,
 * failed with EIO, or came back wrong (and if wrong, whether it is the
 * page's previous content: a lost write).  One dd per page under TCG is slow
 * and cannot tell EIO from other errors reliably; this does it in one
 * process with O_DIRECT, one 4 KiB pread per page.
 *
 *   vswap-pages write  DEV AT PAGES SEED GEN MIX
 *   vswap-pages verify DEV AT PAGES SEED GEN MIX [OLDGEN [STRIDE]]
 *   vswap-pages punch  DEV AT PAGES STRIDE
 *
 * AT is a page offset on DEV, MIX "zero,same,text,random" weights.  Page i
 * is page AT + i of DEV; its kind depends on SEED and i only, so that a
 * page keeps its kind (and, for raw and text pages, its stored size) from
 * one generation to the next; its bytes depend on GEN too (text pages
 * differ only in the generation digits of their first line).
 * verify compares page i with generation GEN, and a wrong page with
 * generation OLDGEN (0: none) as well; with STRIDE it checks only the pages
 * i % STRIDE == 0.  punch discards every page i % STRIDE != 0.
 * verify prints one line
 *   vswap-pages: verify pages=N right=N eio=N wrong=N old=N other=N
 *     wrong_same=N wrong_text=N wrong_random=N
 * and exits 0 when wrong and other are 0 (EIO is allowed: the script
 * counts it), 1 otherwise, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "content.h"

#define PS 4096U
#define WHO "vswap-pages"

static const char *const kind_name[K_NR] = { "zero", "same", "text", "random" };

/* Page @index at generation @gen; the kind comes from generation 0. */
static enum kind make_page(const struct mix *m, unsigned char *p, uint64_t seed,
			   uint64_t index, unsigned int gen)
{
	uint64_t h0 = page_hash(seed, index, 0);
	enum kind k = page_kind(m, h0);
	uint64_t *w = (uint64_t *)p, s, word;
	size_t i;

	switch (k) {
	case K_ZERO:
		memset(p, 0, PS);
		break;
	case K_SAME:
		word = splitmix64(page_hash(seed, index, gen)) | 0x0100000000000001ULL;
		for (i = 0; i < PS / 8; i++)
			w[i] = word;
		break;
	case K_TEXT:
		/* Same words every generation: the same compressed size. */
		fill_text(p, PS, WHO, index, gen % 10, h0);
		break;
	default:
		s = splitmix64(page_hash(seed, index, gen)) | 1;
		for (i = 0; i < PS / 8; i++)
			w[i] = xorshift64(&s);
		break;
	}
	return k;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static int do_write(int fd, const struct mix *m, uint64_t at, uint64_t pages,
		    uint64_t seed, unsigned int gen, unsigned char *buf)
{
	uint64_t i, n[K_NR] = { 0 };

	for (i = 0; i < pages; i++) {
		n[make_page(m, buf, seed, i, gen)]++;
		if (pwrite(fd, buf, PS, (off_t)((at + i) * PS)) != (ssize_t)PS) {
			say("vswap-pages: write of page %" PRIu64 " failed: %s\n", at + i,
			    strerror(errno));
			return 1;
		}
	}
	if (fsync(fd)) {
		say("vswap-pages: fsync: %s\n", strerror(errno));
		return 1;
	}
	say("vswap-pages: wrote pages=%" PRIu64 " at=%" PRIu64 " gen=%u zero=%" PRIu64
	    " same=%" PRIu64 " text=%" PRIu64 " random=%" PRIu64 "\n", pages, at, gen,
	    n[K_ZERO], n[K_SAME], n[K_TEXT], n[K_RANDOM]);
	return 0;
}

static int do_verify(int fd, const struct mix *m, uint64_t at, uint64_t pages,
		     uint64_t seed, unsigned int gen, unsigned int oldgen,
		     uint64_t stride, unsigned char *buf)
{
	unsigned char *want = buf + PS;
	uint64_t i, n = 0, right = 0, eio = 0, wrong = 0, old = 0, other = 0;
	uint64_t wrong_kind[K_NR] = { 0 };
	unsigned int shown = 0;
	enum kind k;
	ssize_t got;

	for (i = 0; i < pages; i += stride) {
		n++;
		got = pread(fd, buf, PS, (off_t)((at + i) * PS));
		if (got < 0 && errno == EIO) {
			eio++;
			continue;
		}
		if (got != (ssize_t)PS) {
			other++;
			say("vswap-pages: page %" PRIu64 ": read failed: %s\n", at + i,
			    got < 0 ? strerror(errno) : "short read");
			continue;
		}
		k = make_page(m, want, seed, i, gen);
		if (!memcmp(buf, want, PS)) {
			right++;
			continue;
		}
		wrong++;
		wrong_kind[k]++;
		if (oldgen) {
			make_page(m, want, seed, i, oldgen);
			if (!memcmp(buf, want, PS))
				old++;
		}
		if (shown++ < 5)
			say("vswap-pages: page %" PRIu64 " (%s) read back WRONG%s\n", at + i,
			    kind_name[k], oldgen && !memcmp(buf, want, PS) ?
			    " (its previous content)" : "");
	}
	say("vswap-pages: verify pages=%" PRIu64 " right=%" PRIu64 " eio=%" PRIu64
	    " wrong=%" PRIu64 " old=%" PRIu64 " other=%" PRIu64 " wrong_same=%" PRIu64
	    " wrong_text=%" PRIu64 " wrong_random=%" PRIu64 "\n", n, right, eio, wrong, old,
	    other, wrong_kind[K_SAME], wrong_kind[K_TEXT], wrong_kind[K_RANDOM]);
	return wrong || other ? 1 : 0;
}

static int do_punch(int fd, uint64_t at, uint64_t pages, uint64_t stride)
{
	uint64_t i, range[2], n = 0;

	for (i = 0; i < pages; i++) {
		if (i % stride == 0)
			continue;
		range[0] = (at + i) * PS;
		range[1] = PS;
		if (ioctl(fd, BLKDISCARD, range)) {
			say("vswap-pages: discard of page %" PRIu64 " failed: %s\n", at + i,
			    strerror(errno));
			return 1;
		}
		n++;
	}
	say("vswap-pages: discarded %" PRIu64 " of %" PRIu64 " pages\n", n, pages);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: vswap-pages write DEV AT PAGES SEED GEN MIX\n"
		"       vswap-pages verify DEV AT PAGES SEED GEN MIX [OLDGEN [STRIDE]]\n"
		"       vswap-pages punch DEV AT PAGES STRIDE\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t at, pages, seed, gen, oldgen = 0, stride = 1;
	unsigned char *buf;
	struct mix m;
	const char *op;
	int fd, rc;

	if (argc < 6)
		return usage();
	op = argv[1];
	if (parse_u64(argv[3], &at) || parse_u64(argv[4], &pages))
		return usage();
	if (!strcmp(op, "punch")) {
		if (argc != 6 || parse_u64(argv[5], &stride) || !stride)
			return usage();
	} else if (argc < 8 || parse_u64(argv[5], &seed) || parse_u64(argv[6], &gen) ||
		   parse_mix(argv[7], &m) || (argc > 8 && parse_u64(argv[8], &oldgen)) ||
		   (argc > 9 && (parse_u64(argv[9], &stride) || !stride)) || argc > 10 ||
		   (strcmp(op, "write") && strcmp(op, "verify")) ||
		   (!strcmp(op, "write") && argc != 8)) {
		return usage();
	}
	fd = open(argv[2], (!strcmp(op, "verify") ? O_RDONLY : O_WRONLY) | O_DIRECT);
	if (fd < 0) {
		say("vswap-pages: open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&buf, PS, 2 * PS))
		return 1;
	if (!strcmp(op, "write"))
		rc = do_write(fd, &m, at, pages, seed, (unsigned int)gen, buf);
	else if (!strcmp(op, "verify"))
		rc = do_verify(fd, &m, at, pages, seed, (unsigned int)gen,
			       (unsigned int)oldgen, stride, buf);
	else
		rc = do_punch(fd, at, pages, stride);
	free(buf);
	close(fd);
	return rc;
}
