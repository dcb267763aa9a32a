// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-wr: write one value to a (sysfs) file with a single write(2) and
 * check the outcome against an expected errno.
 *
 * Why not `echo > file` in the shell: the shell cannot issue a write of
 * exactly the bytes we want (echo adds a newline, an empty printf issues no
 * write at all) and reports failures only as localised text. Tests of the
 * sysfs ABI need "this exact input fails with EINVAL" or "this input is
 * accepted in full", so this helper writes exactly VALUE (plus a newline with
 * -n), as one write(2), and compares the result:
 *   success  write returned the full length
 *   ERRNO    open or write failed with that errno (EINVAL, EBUSY, EACCES...)
 *   short    write returned fewer bytes than given (never expected)
 *
 * usage: vswap-wr [-n] [-e EXPECT] [-u UID] FILE VALUE
 *   -n         append "\n" to VALUE
 *   -e EXPECT  expected outcome: "ok" (default), an errno name, or "fail"
 *              (any errno)
 *   -u UID     drop to this uid and gid (and no groups) before opening
 * Prints the outcome; exit 0 when it matches EXPECT, 1 when not, 2 on usage
 * errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EINVAL", EINVAL }, { "EBUSY", EBUSY }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "ERANGE", ERANGE }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC }, { "EIO", EIO },
	{ "E2BIG", E2BIG }, { "ENODEV", ENODEV }, { "ENOENT", ENOENT }, { "EROFS", EROFS },
	{ "EFAULT", EFAULT }, { "EAGAIN", EAGAIN }, { "EEXIST", EEXIST }, { "ENXIO", ENXIO },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOTTY", ENOTTY }, { "EISDIR", EISDIR },
	{ "EDQUOT", EDQUOT }, { "EINTR", EINTR }, { "ETXTBSY", ETXTBSY },
};

static const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return "E?";
}

static int errno_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].err;
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: vswap-wr [-n] [-e ok|fail|ERRNO] [-u UID] FILE VALUE\n");
	exit(2);
}

/* A printable, shortened form of the value for messages. */
static void show(const char *v, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < outlen; i++) {
		if (i == 40) {
			o += (size_t)snprintf(out + o, outlen - o, "...");
			break;
		}
		if (v[i] == '\n')
			o += (size_t)snprintf(out + o, outlen - o, "\\n");
		else
			out[o++] = v[i];
	}
	out[o] = '\0';
}

int main(int argc, char **argv)
{
	const char *expect = "ok", *file, *value;
	char *buf, shown[64];
	int opt, newline = 0, fd, err = 0, want_err = 0;
	long uid = -1;
	size_t len;
	ssize_t n = 0;
	const char *outcome;

	while ((opt = getopt(argc, argv, "+ne:u:")) != -1) {
		switch (opt) {
		case 'n': newline = 1; break;
		case 'e': expect = optarg; break;
		case 'u': uid = strtol(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	file = argv[optind];
	value = argv[optind + 1];
	if (strcmp(expect, "ok") && strcmp(expect, "fail")) {
		want_err = errno_of(expect);
		if (want_err < 0) {
			fprintf(stderr, "vswap-wr: unknown errno name %s\n", expect);
			usage();
		}
	}
	len = strlen(value) + (size_t)newline;
	buf = malloc(len + 1);
	if (!buf)
		return 2;
	memcpy(buf, value, strlen(value));
	if (newline)
		buf[len - 1] = '\n';
	show(buf, len, shown, sizeof(shown));

	if (uid >= 0 && (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))) {
		fprintf(stderr, "vswap-wr: cannot drop to uid %ld: %s\n", uid, strerror(errno));
		return 2;
	}
	fd = open(file, O_WRONLY);
	if (fd < 0) {
		err = errno;
	} else {
		n = write(fd, buf, len);
		if (n < 0)
			err = errno;
		if (close(fd) && !err && n == (ssize_t)len)
			err = errno;
	}

	if (err)
		outcome = errno_name(err);
	else if (n != (ssize_t)len)
		outcome = "short";
	else
		outcome = "ok";
	printf("vswap-wr: %s <- '%s' (%zu bytes%s): %s%s%s\n", file, shown, len,
	       uid >= 0 ? ", as non-root" : "", outcome,
	       err ? " " : "", err ? strerror(err) : "");
	if (!strcmp(outcome, "short"))
		printf("vswap-wr: only %zd of %zu bytes were taken\n", n, len);

	if (!strcmp(expect, "ok"))
		return !strcmp(outcome, "ok") ? 0 : 1;
	if (!strcmp(expect, "fail"))
		return err ? 0 : 1;
	return err == want_err ? 0 : 1;
}
