// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-hdr: read page 0 of a block device and check it is a swap header.
 *
 * Why: /dev/vswap must be usable by swapon without mkswap, so page 0 reads as
 * a synthesized header until it is written; after mkswap it must read back as
 * written. This checks the fields the kernel's swapon looks at (layout of
 * union swap_header in include/linux/swap.h):
 *   magic "SWAPSPACE2" in the last 10 bytes of the page, version == 1 at
 *   offset 1024, last_page at 1028, nr_badpages == 0 at 1032, uuid at 1036,
 *   volume label at 1052 (16 bytes).
 *
 * usage: vswap-hdr [--buffered] [--last-page N] [--label L] DEVICE
 *   --buffered     read through the page cache (default: O_DIRECT, so the
 *                  device itself answers, not a cached copy)
 *   --last-page N  require last_page == N
 *   --label L      require the label to be exactly L
 * Prints the fields; exit 0 if the header is valid and matches, 1 if not,
 * 2 on usage or I/O errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OFF_VERSION 1024
#define OFF_LAST_PAGE 1028
#define OFF_NR_BAD 1032
#define OFF_UUID 1036
#define OFF_LABEL 1052
#define LABEL_LEN 16

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void usage(void)
{
	fprintf(stderr, "usage: vswap-hdr [--buffered] [--last-page N] [--label L] DEVICE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *want_label = NULL;
	long long want_last = -1;
	int buffered = 0, fd, i, bad = 0;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *page;
	char label[LABEL_LEN + 1];
	uint32_t version, last, nr_bad;
	ssize_t n;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--buffered"))
			buffered = 1;
		else if (!strcmp(argv[i], "--last-page") && i + 1 < argc)
			want_last = strtoll(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			want_label = argv[++i];
		else if (argv[i][0] != '-' && !dev)
			dev = argv[i];
		else
			usage();
	}
	if (!dev)
		usage();
	if (posix_memalign((void **)&page, ps, ps))
		return 2;
	fd = open(dev, O_RDONLY | (buffered ? 0 : O_DIRECT));
	if (fd < 0) {
		fprintf(stderr, "vswap-hdr: open %s: %s\n", dev, strerror(errno));
		return 2;
	}
	n = pread(fd, page, ps, 0);
	if (n != (ssize_t)ps) {
		fprintf(stderr, "vswap-hdr: read of page 0 of %s: %s\n", dev,
			n < 0 ? strerror(errno) : "short read");
		return 2;
	}
	close(fd);

	version = le32(page + OFF_VERSION);
	last = le32(page + OFF_LAST_PAGE);
	nr_bad = le32(page + OFF_NR_BAD);
	memcpy(label, page + OFF_LABEL, LABEL_LEN);
	label[LABEL_LEN] = '\0';
	printf("vswap-hdr: %s (%s): magic=%.10s version=%" PRIu32 " last_page=%" PRIu32
	       " nr_badpages=%" PRIu32 " label='%s' uuid=", dev, buffered ? "buffered" : "direct",
	       (const char *)page + ps - 10, version, last, nr_bad, label);
	for (i = 0; i < 16; i++)
		printf("%02x", page[OFF_UUID + i]);
	printf("\n");

	if (memcmp(page + ps - 10, "SWAPSPACE2", 10)) {
		printf("vswap-hdr: FAIL no SWAPSPACE2 magic at offset %zu\n", ps - 10);
		bad = 1;
	}
	if (version != 1) {
		printf("vswap-hdr: FAIL version %" PRIu32 ", want 1\n", version);
		bad = 1;
	}
	if (nr_bad != 0) {
		printf("vswap-hdr: FAIL nr_badpages %" PRIu32 ", want 0\n", nr_bad);
		bad = 1;
	}
	if (want_last >= 0 && (long long)last != want_last) {
		printf("vswap-hdr: FAIL last_page %" PRIu32 ", want %lld\n", last, want_last);
		bad = 1;
	}
	if (want_label && strcmp(label, want_label)) {
		printf("vswap-hdr: FAIL label '%s', want '%s'\n", label, want_label);
		bad = 1;
	}
	return bad;
}
