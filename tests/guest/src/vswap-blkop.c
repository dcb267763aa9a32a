// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-blkop: block-range operations the shell cannot do precisely.
 *
 * Why: vswap frees pages on discard and on write-zeroes, and reads freed or
 * never-written pages as zeros. busybox has blkdiscard but nothing for
 * BLKZEROOUT, and checking that a range reads as zeros through the shell
 * means piping megabytes through md5sum. One small program does all three:
 *
 *   vswap-blkop discard  DEVICE OFFSET LENGTH   ioctl(BLKDISCARD)
 *   vswap-blkop zeroout  DEVICE OFFSET LENGTH   ioctl(BLKZEROOUT)
 *   vswap-blkop readzero DEVICE OFFSET LENGTH   O_DIRECT read, require zeros
 *
 * OFFSET and LENGTH are bytes (K/M/G suffixes accepted), multiples of 4096.
 * Exit 0 on success, 1 if the operation failed or the range is not all
 * zeros (the first non-zero byte is reported), 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define CHUNK (1U << 20)

static int parse_bytes(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v % 4096)
		return -1;
	*out = v;
	return 0;
}

static int read_zero(int fd, const char *dev, uint64_t off, uint64_t len)
{
	unsigned char *buf;
	uint64_t done = 0;
	size_t i;

	if (posix_memalign((void **)&buf, 4096, CHUNK))
		return 2;
	while (done < len) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		ssize_t got = pread(fd, buf, n, (off_t)(off + done));

		if (got != (ssize_t)n) {
			printf("vswap-blkop: read of %s at %" PRIu64 " failed: %s\n", dev,
			       off + done, got < 0 ? strerror(errno) : "short read");
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (buf[i]) {
				printf("vswap-blkop: %s byte %" PRIu64 " (page %" PRIu64
				       ") is 0x%02x, want 0\n", dev, off + done + i,
				       (off + done + i) / 4096, buf[i]);
				return 1;
			}
		}
		done += n;
	}
	printf("vswap-blkop: %s [%" PRIu64 ", +%" PRIu64 ") reads as zeros\n", dev, off, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t range[2];
	const char *op, *dev;
	int fd, rc;

	if (argc != 5 || parse_bytes(argv[3], &range[0]) || parse_bytes(argv[4], &range[1])) {
		fprintf(stderr, "usage: vswap-blkop discard|zeroout|readzero DEVICE OFFSET LENGTH\n");
		return 2;
	}
	op = argv[1];
	dev = argv[2];
	fd = open(dev, !strcmp(op, "readzero") ? O_RDONLY | O_DIRECT : O_WRONLY);
	if (fd < 0) {
		printf("vswap-blkop: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (!strcmp(op, "readzero"))
		return read_zero(fd, dev, range[0], range[1]);
	if (!strcmp(op, "discard"))
		rc = ioctl(fd, BLKDISCARD, range);
	else if (!strcmp(op, "zeroout"))
		rc = ioctl(fd, BLKZEROOUT, range);
	else {
		fprintf(stderr, "vswap-blkop: unknown operation %s\n", op);
		return 2;
	}
	if (rc) {
		printf("vswap-blkop: %s of %s [%" PRIu64 ", +%" PRIu64 ") failed: %s\n", op, dev,
		       range[0], range[1], strerror(errno));
		return 1;
	}
	printf("vswap-blkop: %s of %s [%" PRIu64 ", +%" PRIu64 ") done\n", op, dev, range[0],
	       range[1]);
	return close(fd) ? 1 : 0;
}
