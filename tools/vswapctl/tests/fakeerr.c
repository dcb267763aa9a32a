// SPDX-License-Identifier: GPL-2.0
/*
 * fakeerr.so: LD_PRELOAD shim for tests/run.sh, to make the fake sysfs tree
 * fail the way the module does. A write(2) to FILE fails with errno N when
 * FILE.errno holds N (the module's store() returning -N); an open(2) of FILE
 * fails with N when FILE.open-errno holds N (a non-root open of a root-only
 * file, which root itself cannot see on a regular file). Whatever else is
 * passed through to libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The errno that PATH.SUFFIX holds, 0 when there is none. */
static int injected(const char *path, const char *suffix)
{
	char name[PATH_MAX + 32];
	int err = 0;
	FILE *f;

	if (snprintf(name, sizeof(name), "%s.%s", path, suffix) >= (int)sizeof(name))
		return 0;
	f = fopen(name, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &err) != 1)
		err = 0;
	fclose(f);
	return err;
}

typedef ssize_t (*write_fn)(int fd, const void *buf, size_t len);
typedef int (*open_fn)(const char *path, int flags, ...);

ssize_t write(int fd, const void *buf, size_t len)
{
	static write_fn real;
	char link[64], path[PATH_MAX];
	ssize_t n;
	int err;

	if (!real)
		real = (write_fn)dlsym(RTLD_NEXT, "write");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		err = injected(path, "errno");
		if (err) {
			errno = err;
			return -1;
		}
	}
	return real(fd, buf, len);
}

static int do_open(const char *sym, const char *path, int flags, mode_t mode)
{
	open_fn real;
	int err = injected(path, "open-errno");

	if (err) {
		errno = err;
		return -1;
	}
	real = (open_fn)dlsym(RTLD_NEXT, sym);
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return do_open("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return do_open("open64", path, flags, mode);
}
