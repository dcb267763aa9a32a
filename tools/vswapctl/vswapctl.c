// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl - show and control the vswap virtual swap device
 *
 * The admin tool of vswap, in the manner of util-linux's zramctl: with no
 * command it prints a table of /dev/vswap (zramctl's columns where vswap has
 * them, plus the lower tiers); commands write the sysfs files of
 * /sys/block/vswap (docs/sysfs.md) and translate the errno a rejected write
 * returns into what to do about it.
 *
 * Only libc: it must work early in boot and in an initramfs (build it with
 * LDFLAGS=-static there). The sysfs root can be moved with VSWAPCTL_SYSFS,
 * which is how tests/run.sh runs it against a fake tree.
 *
 * Every sysfs write is one write(2) of the whole value followed by a newline,
 * as `echo VALUE > FILE` does: sysfs hands one store() call per write.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef VSWAPCTL_VERSION
#define VSWAPCTL_VERSION "0.0.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* the kernel's spelling; userspace has no compiler_attributes.h */
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define DEFAULT_SYSFS "/sys/block/vswap"
#define DEVNAME "/dev/vswap"
#define MAX_TIERS 64
#define MAX_COLS 32

static const char *prog = "vswapctl";
static const char *sysfs_root = DEFAULT_SYSFS;

/* Output modes, as util-linux's -b -n -r -J. */
static bool opt_bytes, opt_noheadings, opt_raw, opt_json;

/* ---- messages ----------------------------------------------------------- */

static void warnx(const char *fmt, ...) __printf(1, 2);
static void warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static noreturn __printf(1, 2) void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(EXIT_FAILURE);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		warnx("out of memory");
		exit(EXIT_FAILURE);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		warnx("out of memory");
		exit(EXIT_FAILURE);
	}
	return p;
}

static char *xasprintf(const char *fmt, ...) __printf(1, 2);
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		warnx("out of memory");
		exit(EXIT_FAILURE);
	}
	return s;
}

/* ---- sizes -------------------------------------------------------------- */

/*
 * Human-readable size as util-linux prints it (SIZE_SUFFIX_1LETTER): the
 * largest binary unit not above the value, one decimal rounded half up and
 * left out when it is 0: "0B", "1023B", "1.5K", "4G".
 */
static char *human_size(uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	unsigned int shift = 0;
	uint64_t whole, rest, tenths;

	while (shift < 60 && bytes >= (1ULL << (shift + 10)))
		shift += 10;
	if (!shift)
		return xasprintf("%lluB", (unsigned long long)bytes);
	whole = bytes >> shift;
	rest = bytes & ((1ULL << shift) - 1);
	/* thousandths first, then rounded to tenths, as util-linux does */
	if (rest >= UINT64_MAX / 1000)
		rest = (rest / 1024) * 1000 / (1ULL << (shift - 10));
	else
		rest = rest * 1000 / (1ULL << shift);
	tenths = (rest + 50) / 100;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (tenths)
		return xasprintf("%llu.%llu%c", (unsigned long long)whole,
				 (unsigned long long)tenths, units[shift / 10]);
	return xasprintf("%llu%c", (unsigned long long)whole, units[shift / 10]);
}

static char *u64_str(uint64_t v)
{
	return xasprintf("%llu", (unsigned long long)v);
}

/*
 * Parse a size: digits, then optionally K, M, G, T, P or E (powers of 1024,
 * also written KiB, MiB...) or KB, MB... (powers of 1000), as util-linux's
 * strtosize. Returns 0, or -1 for anything else or an overflow.
 */
static int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGTPE";
	unsigned long long v;
	const char *u;
	char *end;
	uint64_t base = 1024, mult = 1;
	int i, exp;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u)
			return -1;
		exp = (int)(u - units) + 1;
		end++;
		if (!strcmp(end, "B"))
			base = 1000;
		else if (*end && strcmp(end, "iB"))
			return -1;
		for (i = 0; i < exp; i++)
			mult *= base;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* A decimal number, optionally signed when @sign; 0 or -1. */
static int parse_int(const char *s, bool sign, long long min, long long max,
		     long long *out)
{
	long long v;
	char *end;

	if (!sign && !isdigit((unsigned char)*s))
		return -1;
	if (sign && !isdigit((unsigned char)*s) && *s != '-' && *s != '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---- sysfs -------------------------------------------------------------- */

static char *attr_path(const char *name)
{
	return xasprintf("%s/%s", sysfs_root, name);
}

/* Read attribute @name whole into a new string; NULL with errno on failure. */
static char *read_attr(const char *name)
{
	char *path = attr_path(name), *buf;
	size_t len = 0, cap = 4096;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf) {
				warnx("out of memory");
				exit(EXIT_FAILURE);
			}
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	e = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		errno = e;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int read_u64(const char *name, uint64_t *out)
{
	char *s = read_attr(name), *end;
	unsigned long long v;
	int ret = -1;

	if (!s)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!errno && end != s && (*end == '\n' || !*end)) {
		*out = v;
		ret = 0;
	}
	free(s);
	return ret;
}

/* Where a write failed: opening the file, or the write the module rejected. */
enum { AT_OPEN, AT_WRITE };

/*
 * Write "@value\n" to attribute @name in one write(2). Returns 0, or the
 * errno with *@stage telling where it failed.
 */
static int write_attr(const char *name, const char *value, int *stage)
{
	char *path = attr_path(name), *buf;
	size_t len;
	ssize_t n;
	int fd, e = 0;

	*stage = AT_OPEN;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return errno;
	*stage = AT_WRITE;
	buf = xasprintf("%s\n", value);
	len = strlen(buf);
	/* no retry on EINTR: a store() may return it having done its part */
	n = write(fd, buf, len);
	if (n < 0)
		e = errno;
	else if ((size_t)n != len)
		e = EIO;
	free(buf);
	if (close(fd) && !e)
		e = errno;
	return e;
}

/* ---- error translation -------------------------------------------------- */

/*
 * What a rejected write means, per sysfs file (NULL: any file), in the words
 * of docs/sysfs.md, with what to do. %1$s is the value that was written.
 */
struct hint {
	const char *attr;
	int err;
	const char *what;		/* what it means */
	const char *todo;		/* what to do, or NULL */
};

static const struct hint hints[] = {
	{ "lower_add", ENOENT, "no such file or block device: %1$s", NULL },
	{ "lower_add", EISDIR, "%1$s is a directory", "give a file or a block device" },
	{ "lower_add", EACCES, "tier file is accessible by group or others, or not owned by you",
	  "chmod 600 %1$s" },
	{ "lower_add", EINVAL, "not usable as a tier; it must be",
	  "\n  the absolute path of a block device other than /dev/vswap, or of a file of at\n"
	  "  least two segments preallocated without holes (vswapctl tier add --create SIZE)\n"
	  "  on a filesystem that can map blocks (ext4, xfs, btrfs; not tmpfs or NFS)" },
	{ "lower_add", EBUSY,
	  "already a swap area or a tier, or mounted or open exclusively", NULL },
	{ "lower_add", ETXTBSY, "already a swap area or a tier", NULL },
	{ "lower_add", ENOSPC, "8 tiers are attached already",
	  "remove one first (vswapctl tier remove)" },
	{ "lower_remove", ENOENT, "not a tier: %1$s", "see vswapctl tiers" },
	{ "lower_remove", EIO,
	  "its pages could not be moved: the tier stays attached, nothing is lost",
	  "see vswapctl tiers and dmesg" },
	{ "lower_remove", ENOMEM,
	  "its pages could not be moved: the tier stays attached, nothing is lost",
	  "free memory or add a tier, then try again" },
	{ "lower_remove", ENOSPC,
	  "its pages could not be moved: the tier stays attached, nothing is lost",
	  "add a tier or raise mem_limit, then try again" },
	{ "lower_remove", EINTR, "interrupted: the tier stays attached, empty and draining",
	  "run the same command again to detach it" },
	{ "lower_migrate", ENOENT, "not a tier: %1$s", "see vswapctl tiers" },
	{ "lower_migrate", ENOSPC,
	  "the other tiers cannot take all its pages: what moved stays moved",
	  "add a tier (vswapctl tier add) and run it again" },
	{ "lower_migrate", EIO, "a read or write failed, nothing is lost",
	  "see vswapctl tiers (ERRORS) and dmesg" },
	{ "writeback", EINVAL, "expects idle, huge, all or a page count", NULL },
	{ "writeback", ENOSPC, "no tier with free space", "add one (vswapctl tier add)" },
	{ "writeback", EIO, "a tier failed", "see vswapctl tiers (STATE, ERRORS) and dmesg" },
	{ "writeback", EDQUOT, "the writeback budget stopped it",
	  "raise it (vswapctl set wb_budget=SIZE) or wait for the next wb_budget_period" },
	{ "idle", EINVAL, "expects all or a number of seconds", NULL },
	{ "disksize", EBUSY, DEVNAME " is in use (swapped on)", "swapoff " DEVNAME " first" },
	{ "disksize", EINVAL, "the size must be between 1M and 16T", NULL },
	{ "comp_algorithm", EINVAL, "unknown algorithm or not offered by this kernel",
	  "see cat /sys/block/vswap/comp_algorithm" },
	{ "segment_size", EBUSY, "cannot change while a tier is attached", NULL },
	{ "segment_size", EINVAL, "must be a power of two from 64K to 4M", NULL },
	{ "wb_high", EINVAL, "must be 1-100 and above wb_low", NULL },
	{ "wb_low", EINVAL, "must be 1-100 and below wb_high", NULL },
	{ "wb_comp_algorithm", EINVAL,
	  "unknown algorithm name (none is not allowed; keep is)", NULL },
	{ "mem_used_max", EINVAL, "only 0 can be written (restart from the current use)", NULL },
	{ NULL, EPERM, "needs CAP_SYS_ADMIN", NULL },
	{ NULL, EINVAL, "the module rejected the value %1$s", "see vswapctl(8) and docs/sysfs.md" },
};

/*
 * Report that writing @value to @attr failed with @err at @stage, in the
 * words of the command @what ("cannot add tier /x").
 */
static void report(const char *what, const char *attr, const char *value,
		   int err, int stage)
{
	const struct hint *h;
	char *path, *text = NULL;
	struct stat st;
	size_t i;

	if (stage == AT_OPEN) {
		path = attr_path(attr);
		if (err == ENOENT && access(sysfs_root, F_OK))
			text = xasprintf("%s does not exist: %s", sysfs_root,
					 "is the vswap module loaded? (modprobe vswap)");
		else if (err == ENOENT)
			text = xasprintf("%s does not exist: %s", path,
					 "unknown setting or a vswap module too old for it");
		else if (err == EACCES && !stat(path, &st) && !(st.st_mode & 0222))
			text = xasprintf("%s is read-only", attr);
		else if (err == EACCES || err == EPERM)
			text = xasprintf("cannot open %s for writing: needs root", path);
		else
			text = xasprintf("cannot open %s for writing", path);
		free(path);
		warnx("%s: %s: %s", what, strerror(err), text);
		free(text);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(hints); i++) {
		h = &hints[i];
		if (h->err == err && (!h->attr || !strcmp(h->attr, attr)))
			break;
	}
	if (i < ARRAY_SIZE(hints)) {
		text = xasprintf(h->what, value);
		if (h->todo) {
			char *todo = xasprintf(h->todo, value);

			/* a todo of several lines starts on a line of its own */
			warnx("%s: %s: %s:%s%s", what, strerror(err), text,
			      *todo == '\n' ? "" : " ", todo);
			free(todo);
		} else {
			warnx("%s: %s: %s", what, strerror(err), text);
		}
	} else {
		warnx("%s: %s (writing %s to %s/%s)", what, strerror(err), value,
		      sysfs_root, attr);
	}
	free(text);
}

/* Write and report; 0 or -1. */
static int do_write(const char *what, const char *attr, const char *value)
{
	int stage, err = write_attr(attr, value, &stage);

	if (!err)
		return 0;
	report(what, attr, value, err, stage);
	return -1;
}

/* ---- tables ------------------------------------------------------------- */

enum { CF_RIGHT = 1, CF_NUMBER = 2 };

struct coldef {
	const char *name;
	int flags;
	const char *help;
};

struct table {
	const char *name;		/* JSON array name */
	const struct coldef *defs;
	int ncols, cols[MAX_COLS];
	int nrows;
	char **cells;			/* nrows * ncols, NULL = no value */
};

static void table_add_row(struct table *t, char **row)
{
	size_t sz = (size_t)(t->nrows + 1) * (size_t)t->ncols * sizeof(char *);

	t->cells = realloc(t->cells, sz);
	if (!t->cells) {
		warnx("out of memory");
		exit(EXIT_FAILURE);
	}
	memcpy(t->cells + (size_t)t->nrows * (size_t)t->ncols, row,
	       (size_t)t->ncols * sizeof(char *));
	t->nrows++;
}

/* Raw output: values separated by one space, blanks and odd bytes as \xHH. */
static void put_raw(const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == '"' || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void put_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* A JSON number as we print them: digits with an optional fraction. */
static bool is_json_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return !*p;
}

static void json_key(const char *name)
{
	putchar('"');
	for (; *name; name++)
		putchar(tolower((unsigned char)*name));
	putchar('"');
}

static void table_print(const struct table *t)
{
	size_t w[MAX_COLS] = { 0 }, l;
	const struct coldef *d;
	const char *s;
	int r, c;

	if (opt_json) {
		printf("{\n   \"%s\": [\n", t->name);
		for (r = 0; r < t->nrows; r++) {
			printf("      {");
			for (c = 0; c < t->ncols; c++) {
				d = &t->defs[t->cols[c]];
				s = t->cells[r * t->ncols + c];
				printf(c ? ", " : "");
				json_key(d->name);
				printf(": ");
				if (!s)
					printf("null");
				else if ((d->flags & CF_NUMBER) && is_json_number(s))
					printf("%s", s);
				else
					put_json_string(s);
			}
			printf("}%s\n", r + 1 < t->nrows ? "," : "");
		}
		printf("   ]\n}\n");
		return;
	}
	if (opt_raw) {
		for (c = 0; !opt_noheadings && c < t->ncols; c++) {
			printf(c ? " " : "");
			put_raw(t->defs[t->cols[c]].name);
		}
		if (!opt_noheadings)
			putchar('\n');
		for (r = 0; r < t->nrows; r++) {
			for (c = 0; c < t->ncols; c++) {
				printf(c ? " " : "");
				put_raw(t->cells[r * t->ncols + c]);
			}
			putchar('\n');
		}
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		if (!opt_noheadings)
			w[c] = strlen(t->defs[t->cols[c]].name);
		for (r = 0; r < t->nrows; r++) {
			s = t->cells[r * t->ncols + c];
			l = s ? strlen(s) : 0;
			if (l > w[c])
				w[c] = l;
		}
	}
	for (r = opt_noheadings ? 0 : -1; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			d = &t->defs[t->cols[c]];
			s = r < 0 ? d->name : t->cells[r * t->ncols + c];
			if (!s)
				s = "";
			if (c)
				putchar(' ');
			if (d->flags & CF_RIGHT)
				printf("%*s", (int)w[c], s);
			else if (c + 1 < t->ncols)
				printf("%-*s", (int)w[c], s);
			else
				printf("%s", s);
		}
		putchar('\n');
	}
}

/*
 * Columns from -o LIST (comma separated names, any case; a leading '+'
 * appends to @defaults) into @t. Exits on an unknown name.
 */
static void table_columns(struct table *t, int ndefs, const char *list,
			  bool all, const int *defaults, int ndefaults)
{
	char *copy, *tok, *save = NULL;
	int i;

	t->ncols = 0;
	if (all) {
		for (i = 0; i < ndefs; i++)
			t->cols[t->ncols++] = i;
		return;
	}
	if (!list || *list == '+') {
		for (i = 0; i < ndefaults; i++)
			t->cols[t->ncols++] = defaults[i];
		if (list)
			list++;
	}
	if (!list)
		return;
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ndefs; i++)
			if (!strcasecmp(tok, t->defs[i].name))
				break;
		if (i == ndefs)
			usage_error("unknown column: %s", tok);
		if (t->ncols == MAX_COLS)
			usage_error("too many columns");
		t->cols[t->ncols++] = i;
	}
	free(copy);
	if (!t->ncols)
		usage_error("no columns in --output list");
}

static char *size_cell(uint64_t v)
{
	return opt_bytes ? u64_str(v) : human_size(v);
}

/* ---- lower_tiers -------------------------------------------------------- */

enum {
	TC_ID, TC_PATH, TC_PRIO, TC_SIZE, TC_USED, TC_WRITTEN, TC_READS,
	TC_ERRORS, TC_STATE, TC_CSUM, TC_NR
};

static const struct coldef tier_defs[] = {
	[TC_ID] = { "ID", CF_RIGHT | CF_NUMBER, "tier id" },
	[TC_PATH] = { "PATH", 0, "file or block device" },
	[TC_PRIO] = { "PRIO", CF_RIGHT | CF_NUMBER, "priority (higher is filled first)" },
	[TC_SIZE] = { "SIZE", CF_RIGHT | CF_NUMBER, "capacity (whole segments)" },
	[TC_USED] = { "USED", CF_RIGHT | CF_NUMBER, "space in segments in use" },
	[TC_WRITTEN] = { "WRITTEN", CF_RIGHT | CF_NUMBER, "bytes written to it" },
	[TC_READS] = { "READS", CF_RIGHT | CF_NUMBER, "read I/Os issued to it" },
	[TC_ERRORS] = { "ERRORS", CF_RIGHT | CF_NUMBER, "I/O errors" },
	[TC_STATE] = { "STATE", 0, "active, failing or draining" },
	[TC_CSUM] = { "CSUM-ERRORS", CF_RIGHT | CF_NUMBER,
		      "objects that failed their checksum (newer modules)" },
};

struct tier {
	char *path;
	char *field[TC_NR];		/* as read; NULL when absent */
};

struct tiers {
	int n;
	bool csum;			/* the module prints csum_errors */
	struct tier t[MAX_TIERS];
};

/*
 * Parse lower_tiers: a header line, then "id path priority size used written
 * reads errors state [csum_errors]". The number of columns comes from the
 * header; the path is what lies between the id and the last columns, so a
 * path with blanks survives. Returns 0, -1 with errno when unreadable, -2 when
 * malformed.
 */
static int read_tiers(struct tiers *ts)
{
	char *buf = read_attr("lower_tiers"), *line, *save = NULL, *tok;
	char *lsave;
	int ncols = 0, n, i, ret = 0;

	memset(ts, 0, sizeof(*ts));
	if (!buf)
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (!line) {
		free(buf);
		return -2;
	}
	for (tok = strtok_r(line, " \t", &lsave); tok; tok = strtok_r(NULL, " \t", &lsave))
		ncols++;
	if (ncols != 9 && ncols != 10) {
		free(buf);
		return -2;
	}
	ts->csum = ncols == 10;
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct tier *t = &ts->t[ts->n];
		char *p = line + strlen(line), *tail[8], *id;
		int k = ncols - 2;

		/* the last ncols - 2 words, from the end */
		for (i = k - 1; i >= 0; i--) {
			while (p > line && isspace((unsigned char)p[-1]))
				*--p = '\0';
			while (p > line && !isspace((unsigned char)p[-1]))
				p--;
			tail[i] = p;
		}
		while (p > line && isspace((unsigned char)p[-1]))
			*--p = '\0';
		/* the id, then the path up to the tail */
		id = line;
		while (isspace((unsigned char)*id))
			id++;
		if (!*id)
			continue;
		n = (int)strcspn(id, " \t");
		if (ts->n == MAX_TIERS || !id[n] || !*tail[0] || id + n >= p) {
			ret = -2;
			break;
		}
		id[n] = '\0';
		memset(t, 0, sizeof(*t));
		t->field[TC_ID] = xstrdup(id);
		t->path = xstrdup(id + n + 1);
		t->field[TC_PATH] = xstrdup(t->path);
		for (i = 0; i < k; i++)
			t->field[TC_PRIO + i] = xstrdup(tail[i]);
		ts->n++;
	}
	free(buf);
	return ret;
}

static void free_tiers(struct tiers *ts)
{
	int i, j;

	for (i = 0; i < ts->n; i++) {
		free(ts->t[i].path);
		for (j = 0; j < TC_NR; j++)
			free(ts->t[i].field[j]);
	}
	ts->n = 0;
}

static uint64_t field_u64(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}

/* ---- output: the device table and the tier table ------------------------ */

enum {
	C_NAME, C_DISKSIZE, C_DATA, C_COMPR, C_ALGORITHM, C_TOTAL, C_MEMLIMIT,
	C_MEMUSED, C_ZEROPAGES, C_COMPRATIO, C_TIERS, C_WBUSED, C_HUGEPAGES,
	C_MIGRATED, C_METADATA, C_WBPAGES, C_TIERSIZE, C_NR
};

static const struct coldef dev_defs[] = {
	[C_NAME] = { "NAME", 0, "device name" },
	[C_DISKSIZE] = { "DISKSIZE", CF_RIGHT | CF_NUMBER, "virtual size of the swap device" },
	[C_DATA] = { "DATA", CF_RIGHT | CF_NUMBER, "uncompressed size of stored data" },
	[C_COMPR] = { "COMPR", CF_RIGHT | CF_NUMBER, "compressed size of stored data in memory" },
	[C_ALGORITHM] = { "ALGORITHM", 0, "the selected compression algorithm" },
	[C_TOTAL] = { "TOTAL", CF_RIGHT | CF_NUMBER,
		      "all memory of the pool, including allocator fragmentation" },
	[C_MEMLIMIT] = { "MEM-LIMIT", CF_RIGHT | CF_NUMBER, "pool limit (0: none)" },
	[C_MEMUSED] = { "MEM-USED", CF_RIGHT | CF_NUMBER, "peak memory usage of the pool" },
	[C_ZEROPAGES] = { "ZERO-PAGES", CF_RIGHT | CF_NUMBER,
			  "same-filled pages, stored with no payload" },
	[C_COMPRATIO] = { "COMP-RATIO", CF_RIGHT | CF_NUMBER, "compression ratio: DATA/TOTAL" },
	[C_TIERS] = { "TIERS", CF_RIGHT | CF_NUMBER, "number of lower tiers attached" },
	[C_WBUSED] = { "WB-USED", CF_RIGHT | CF_NUMBER, "space in use on the lower tiers" },
	[C_HUGEPAGES] = { "HUGE-PAGES", CF_RIGHT | CF_NUMBER, "pages stored uncompressed" },
	[C_MIGRATED] = { "MIGRATED", CF_RIGHT | CF_NUMBER, "pages freed by pool compaction" },
	[C_METADATA] = { "METADATA", CF_RIGHT | CF_NUMBER, "slot metadata in memory" },
	[C_WBPAGES] = { "WB-PAGES", CF_RIGHT | CF_NUMBER, "pages on the lower tiers now" },
	[C_TIERSIZE] = { "TIER-SIZE", CF_RIGHT | CF_NUMBER, "capacity of the lower tiers" },
};

static const int dev_default_cols[] = {
	C_NAME, C_DISKSIZE, C_DATA, C_COMPR, C_ALGORITHM, C_TOTAL, C_MEMLIMIT,
	C_MEMUSED, C_ZEROPAGES, C_COMPRATIO, C_TIERS, C_WBUSED
};

/* mm_stat columns (docs/sysfs.md) */
enum {
	MM_ORIG, MM_COMPR, MM_TOTAL, MM_LIMIT, MM_MAX, MM_SAME, MM_COMPACTED,
	MM_HUGE, MM_HUGE_SINCE, MM_NR
};

/* "lz4 [zstd] none" -> "zstd", NULL when none is bracketed */
static char *current_algorithm(void)
{
	char *s = read_attr("comp_algorithm"), *l, *r, *ret = NULL;

	if (!s)
		return NULL;
	l = strchr(s, '[');
	r = l ? strchr(l, ']') : NULL;
	if (l && r && r > l + 1)
		ret = strndup(l + 1, (size_t)(r - l - 1));
	free(s);
	return ret;
}

static int device_present(void)
{
	struct stat st;

	if (stat(sysfs_root, &st) || !S_ISDIR(st.st_mode)) {
		warnx("%s: no such device: is the vswap module loaded? (modprobe vswap)",
		      sysfs_root);
		return -1;
	}
	return 0;
}

static int cmd_status(const char *outlist, bool all)
{
	struct table t = { .name = "vswap", .defs = dev_defs };
	uint64_t mm[MM_NR], v, used = 0, size = 0;
	bool have_mm = false, have_tiers;
	char *row[MAX_COLS], *s;
	struct tiers ts;
	int c, i;

	table_columns(&t, C_NR, outlist, all, dev_default_cols,
		      (int)ARRAY_SIZE(dev_default_cols));
	if (device_present())
		return EXIT_FAILURE;
	s = read_attr("mm_stat");
	if (s) {
		char *p = s, *end;

		have_mm = true;
		for (i = 0; i < MM_NR; i++) {
			errno = 0;
			mm[i] = strtoull(p, &end, 10);
			if (end == p || errno) {
				have_mm = false;
				break;
			}
			p = end;
		}
		free(s);
		if (!have_mm)
			warnx("%s/mm_stat: cannot parse it", sysfs_root);
	}
	have_tiers = !read_tiers(&ts);
	for (i = 0; have_tiers && i < ts.n; i++) {
		used += field_u64(ts.t[i].field[TC_USED]);
		size += field_u64(ts.t[i].field[TC_SIZE]);
	}
	for (c = 0; c < t.ncols; c++) {
		s = NULL;
		switch (t.cols[c]) {
		case C_NAME:
			s = xstrdup(DEVNAME);
			break;
		case C_DISKSIZE:
			if (!read_u64("disksize", &v))
				s = size_cell(v);
			break;
		case C_ALGORITHM:
			s = current_algorithm();
			break;
		case C_DATA:
		case C_COMPR:
		case C_TOTAL:
		case C_MEMLIMIT:
		case C_MEMUSED: {
			static const int mmcol[] = {
				[C_DATA] = MM_ORIG, [C_COMPR] = MM_COMPR,
				[C_TOTAL] = MM_TOTAL, [C_MEMLIMIT] = MM_LIMIT,
				[C_MEMUSED] = MM_MAX,
			};
			if (have_mm)
				s = size_cell(mm[mmcol[t.cols[c]]]);
			break;
		}
		case C_ZEROPAGES:
			if (have_mm)
				s = u64_str(mm[MM_SAME]);
			break;
		case C_HUGEPAGES:
			if (have_mm)
				s = u64_str(mm[MM_HUGE]);
			break;
		case C_MIGRATED:
			if (have_mm)
				s = u64_str(mm[MM_COMPACTED]);
			break;
		case C_COMPRATIO:
			/* as zramctl: orig_data_size / mem_used_total */
			if (have_mm && mm[MM_TOTAL])
				s = xasprintf("%.4f", (double)mm[MM_ORIG] / (double)mm[MM_TOTAL]);
			break;
		case C_TIERS:
			if (have_tiers)
				s = xasprintf("%d", ts.n);
			break;
		case C_WBUSED:
			if (have_tiers)
				s = size_cell(used);
			break;
		case C_TIERSIZE:
			if (have_tiers)
				s = size_cell(size);
			break;
		case C_METADATA:
			if (!read_u64("meta_bytes", &v))
				s = size_cell(v);
			break;
		case C_WBPAGES:
			if (!read_u64("lower_pages", &v))
				s = u64_str(v);
			break;
		}
		row[c] = s;
	}
	table_add_row(&t, row);
	table_print(&t);
	for (c = 0; c < t.ncols; c++)
		free(t.cells[c]);
	free(t.cells);
	if (have_tiers)
		free_tiers(&ts);
	return EXIT_SUCCESS;
}

static int cmd_tiers(const char *outlist, bool all)
{
	static const int defaults[] = {
		TC_PATH, TC_PRIO, TC_SIZE, TC_USED, TC_WRITTEN, TC_READS,
		TC_ERRORS, TC_STATE, TC_CSUM
	};
	struct table t = { .name = "tiers", .defs = tier_defs };
	char *row[MAX_COLS], *f;
	struct tiers ts;
	int c, i, ret, col;

	if (device_present())
		return EXIT_FAILURE;
	ret = read_tiers(&ts);
	if (ret == -1) {
		warnx("cannot read %s/lower_tiers: %s", sysfs_root, strerror(errno));
		return EXIT_FAILURE;
	}
	if (ret == -2) {
		warnx("%s/lower_tiers: unexpected format", sysfs_root);
		free_tiers(&ts);
		return EXIT_FAILURE;
	}
	/* CSUM-ERRORS is a default column only when the module has it */
	table_columns(&t, TC_NR, outlist, all, defaults,
		      (int)ARRAY_SIZE(defaults) - (ts.csum ? 0 : 1));
	for (i = 0; i < ts.n; i++) {
		for (c = 0; c < t.ncols; c++) {
			col = t.cols[c];
			f = ts.t[i].field[col];
			if (f && !opt_bytes &&
			    (col == TC_SIZE || col == TC_USED || col == TC_WRITTEN))
				row[c] = human_size(field_u64(f));
			else
				row[c] = f ? xstrdup(f) : NULL;
		}
		table_add_row(&t, row);
	}
	table_print(&t);
	for (i = 0; i < t.nrows * t.ncols; i++)
		free(t.cells[i]);
	free(t.cells);
	free_tiers(&ts);
	return EXIT_SUCCESS;
}

/* ---- commands ----------------------------------------------------------- */

/* set KEY=VALUE...: each key a sysfs file name, '-' read as '_'. */
static int cmd_set(int argc, char **argv)
{
	char *key, *eq, *what, *p;
	int i, ret = EXIT_SUCCESS;

	if (!argc)
		usage_error("set: expects KEY=VALUE arguments");
	/* all of them well-formed before anything is written */
	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i])
			usage_error("set: '%s' is not KEY=VALUE", argv[i]);
		if (memchr(argv[i], '/', (size_t)(eq - argv[i])) || argv[i][0] == '.')
			usage_error("set: '%.*s' is not a setting name", (int)(eq - argv[i]),
				    argv[i]);
		if (strchr(eq + 1, '\n'))
			usage_error("set: a value cannot contain a newline");
	}
	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		key = strndup(argv[i], (size_t)(eq - argv[i]));
		if (!key) {
			warnx("out of memory");
			exit(EXIT_FAILURE);
		}
		for (p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		what = xasprintf("cannot set %s to %s", key, eq + 1);
		if (do_write(what, key, eq + 1))
			ret = EXIT_FAILURE;
		free(what);
		free(key);
		if (ret)
			break;
	}
	return ret;
}

/* Is @path the path of an attached tier, as lower_tiers prints it? */
static bool is_tier(const char *path)
{
	struct tiers ts;
	bool found = false;
	int i;

	if (read_tiers(&ts))
		return false;
	for (i = 0; i < ts.n; i++)
		if (!strcmp(ts.t[i].path, path))
			found = true;
	free_tiers(&ts);
	return found;
}

/*
 * The module wants an absolute path and compares tiers by the path given at
 * attach: make a relative path absolute, resolve links when the path exists.
 */
static char *absolute_path(const char *path)
{
	char *r = realpath(path, NULL), *cwd;

	if (r)
		return r;
	if (path[0] == '/')
		return xstrdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);
	r = xasprintf("%s/%s", cwd, path);
	free(cwd);
	return r;
}

static void check_path(const char *path)
{
	if (!*path)
		usage_error("tier: empty path");
	if (strchr(path, '\n'))
		usage_error("tier: a path cannot contain a newline");
}

/* Create @path (mode 0600, never over an existing file) and allocate @size. */
static int create_tier_file(const char *path, uint64_t size)
{
	int fd, err;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		if (err == EEXIST)
			warnx("tier add: %s exists: refusing to overwrite it (%s)", path,
			      "leave out --create to attach it");
		else
			warnx("tier add: cannot create %s: %s", path, strerror(err));
		return -1;
	}
	err = fallocate(fd, 0, 0, (off_t)size) ? errno : 0;
	if (err == EOPNOTSUPP)
		err = posix_fallocate(fd, 0, (off_t)size);
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (err) {
		warnx("tier add: cannot allocate %s for %s: %s (removed it)",
		      human_size(size), path, strerror(err));
		unlink(path);
		return -1;
	}
	return 0;
}

static int cmd_tier(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "priority", required_argument, NULL, 'p' },
		{ "create", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub, *attr, *verb;
	char *path, *what, *value;
	long long prio = 0;
	uint64_t size = 0;
	bool create = false;
	int c, ret;

	if (argc < 1)
		usage_error("tier: expects add, remove or migrate");
	sub = argv[0];
	/* options before or after the path (0: getopt starts afresh, at argv[1]) */
	optind = 0;
	if (!strcmp(sub, "add")) {
		while ((c = getopt_long(argc, argv, "p:c:", opts, NULL)) != -1) {
			switch (c) {
			case 'p':
				if (parse_int(optarg, true, -1000, 1000, &prio))
					usage_error("tier add: bad priority '%s' (-1000..1000)",
						    optarg);
				break;
			case 'c':
				if (parse_size(optarg, &size) || !size || size > INT64_MAX)
					usage_error("tier add: bad size '%s'", optarg);
				create = true;
				break;
			default:
				usage_error("tier add: bad usage");
			}
		}
	} else if (!strcmp(sub, "remove") || !strcmp(sub, "migrate")) {
		optind = 1;
	} else {
		usage_error("tier: unknown subcommand '%s' (add, remove, migrate)", sub);
	}
	if (optind != argc - 1)
		usage_error("tier %s: expects one PATH", sub);
	check_path(argv[optind]);
	if (device_present())
		return EXIT_FAILURE;

	if (!strcmp(sub, "add")) {
		if (create && create_tier_file(argv[optind], size))
			return EXIT_FAILURE;
		path = absolute_path(argv[optind]);
		/* always with the priority: a path whose last word is a number stays a path */
		value = xasprintf("%s %lld", path, prio);
		what = xasprintf("cannot add tier %s", path);
		ret = write_attr("lower_add", value, &c);
		if (ret) {
			report(what, "lower_add", path, ret, c);
			if (create && !unlink(path))
				warnx("removed %s, which this command had created", path);
		}
		free(value);
		free(what);
		free(path);
		return ret ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	attr = !strcmp(sub, "remove") ? "lower_remove" : "lower_migrate";
	verb = !strcmp(sub, "remove") ? "remove" : "migrate";
	/* the path as attached if given so, else resolved */
	path = is_tier(argv[optind]) ? xstrdup(argv[optind]) : absolute_path(argv[optind]);
	what = xasprintf("cannot %s tier %s", verb, path);
	ret = do_write(what, attr, path);
	free(what);
	free(path);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_writeback(int argc, char **argv)
{
	long long n;
	char *what;
	int ret;

	if (argc != 1)
		usage_error("writeback: expects idle, huge, all or a page count");
	if (strcmp(argv[0], "idle") && strcmp(argv[0], "huge") && strcmp(argv[0], "all") &&
	    (parse_int(argv[0], false, 1, LLONG_MAX, &n)))
		usage_error("writeback: '%s' is not idle, huge, all or a page count", argv[0]);
	if (device_present())
		return EXIT_FAILURE;
	what = xasprintf("writeback %s", argv[0]);
	ret = do_write(what, "writeback", argv[0]);
	free(what);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_idle(int argc, char **argv)
{
	long long n;
	char *what;
	int ret;

	if (argc != 1)
		usage_error("idle: expects all or a number of seconds");
	if (strcmp(argv[0], "all") && parse_int(argv[0], false, 0, LLONG_MAX, &n))
		usage_error("idle: '%s' is not all or a number of seconds", argv[0]);
	if (device_present())
		return EXIT_FAILURE;
	what = xasprintf("idle %s", argv[0]);
	ret = do_write(what, "idle", argv[0]);
	free(what);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_compact(int argc)
{
	if (argc)
		usage_error("compact: takes no arguments");
	if (device_present())
		return EXIT_FAILURE;
	return do_write("compact", "compact", "1") ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * Is /dev/vswap swapped on? /proc/swaps (VSWAPCTL_SWAPS for the tests) lists
 * it by the path swapon was given: the name, or a node of the same device.
 */
static bool swapped_on(void)
{
	const char *file = getenv("VSWAPCTL_SWAPS");
	struct stat dev, st;
	bool have_dev, found = false;
	char line[4096], *end;
	FILE *f;

	if (!file || !*file)
		file = "/proc/swaps";
	f = fopen(file, "re");
	if (!f)
		return false;
	have_dev = !stat(DEVNAME, &dev) && S_ISBLK(dev.st_mode);
	/* the header, then "Filename Type Size Used Priority" */
	while (!found && fgets(line, sizeof(line), f)) {
		end = line + strcspn(line, " \t\n");
		*end = '\0';
		if (!strcmp(line, DEVNAME))
			found = true;
		else if (have_dev && !stat(line, &st) && S_ISBLK(st.st_mode) &&
			 st.st_rdev == dev.st_rdev)
			found = true;
	}
	fclose(f);
	return found;
}

/* The module refuses disksize while swapped on; say so before trying. */
static int refuse_if_swapped_on(const char *what)
{
	if (!swapped_on())
		return 0;
	warnx("%s: %s: %s is in use (swapped on): swapoff %s first", what, strerror(EBUSY),
	      DEVNAME, DEVNAME);
	return -1;
}

/*
 * reset: drop every page by writing disksize to itself (the device is born
 * again). swapoff is not ours to do: swapped on (in /proc/swaps) it is
 * refused with EBUSY's message, as the module itself would refuse it.
 */
static int cmd_reset(int argc)
{
	uint64_t size;
	char *value;
	int ret;

	if (argc)
		usage_error("reset: takes no arguments");
	if (device_present())
		return EXIT_FAILURE;
	if (read_u64("disksize", &size)) {
		warnx("reset: cannot read %s/disksize: %s", sysfs_root,
		      errno ? strerror(errno) : "not a number");
		return EXIT_FAILURE;
	}
	if (refuse_if_swapped_on("cannot reset " DEVNAME))
		return EXIT_FAILURE;
	value = u64_str(size);
	ret = do_write("cannot reset " DEVNAME, "disksize", value);
	free(value);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ---- main --------------------------------------------------------------- */

static noreturn void usage(void)
{
	size_t i;

	printf("Usage:\n"
	       " %1$s [options]                       show /dev/vswap\n"
	       " %1$s [options] tiers                 list the lower tiers\n"
	       " %1$s set KEY=VALUE...                write sysfs settings ('-' for '_')\n"
	       " %1$s tier add PATH [--priority N] [--create SIZE]\n"
	       " %1$s tier remove PATH                drain and detach a tier\n"
	       " %1$s tier migrate PATH               move a tier's pages to the others\n"
	       " %1$s writeback idle|huge|all|PAGES   write pages back to the tiers\n"
	       " %1$s idle all|SECONDS                mark pages idle\n"
	       " %1$s compact                         compact the pool and the tiers\n"
	       " %1$s reset                           drop every page (not while swapped on)\n"
	       "\nShow and control the vswap virtual swap device.\n"
	       "\nOptions:\n"
	       " -a, --algorithm <alg>     set the compression algorithm\n"
	       " -b, --bytes               print sizes in bytes, not in human-readable form\n"
	       " -J, --json                use JSON output format\n"
	       " -n, --noheadings          don't print headings\n"
	       " -o, --output <list>       columns to use for status output (+list appends)\n"
	       "     --output-all          output all columns\n"
	       " -r, --raw                 use raw output format\n"
	       " -s, --size <size>         set the virtual size (drops every page)\n"
	       "\n -h, --help                display this help\n"
	       " -V, --version             display version\n"
	       "\nArguments:\n"
	       " <size> and SIZE arguments may be followed by the suffixes for\n"
	       "   KiB (=1024), MiB, GiB, TiB, PiB or EiB (the \"iB\" is optional)\n"
	       "   or KB (=1000), MB, GB, TB, PB, EB\n"
	       "\nAvailable output columns (status):\n", prog);
	for (i = 0; i < ARRAY_SIZE(dev_defs); i++)
		printf(" %11s  %s\n", dev_defs[i].name, dev_defs[i].help);
	printf("\nAvailable output columns (tiers):\n");
	for (i = 0; i < ARRAY_SIZE(tier_defs); i++)
		printf(" %11s  %s\n", tier_defs[i].name, tier_defs[i].help);
	printf("\nFor more details see vswapctl(8).\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_OUTPUT_ALL = 256 };

static const struct option longopts[] = {
	{ "algorithm", required_argument, NULL, 'a' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, 'J' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "raw", no_argument, NULL, 'r' },
	{ "size", required_argument, NULL, 's' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char *opt_output, *opt_algorithm;
static bool opt_all, opt_size;
static uint64_t size_arg;

/* Options, from argv[0] on (as getopt sees it) up to the first non-option. */
static void parse_options(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "+a:bhJno:rs:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			opt_algorithm = optarg;
			break;
		case 'b':
			opt_bytes = true;
			break;
		case 'J':
			opt_json = true;
			break;
		case 'n':
			opt_noheadings = true;
			break;
		case 'o':
			opt_output = optarg;
			break;
		case OPT_OUTPUT_ALL:
			opt_all = true;
			break;
		case 'r':
			opt_raw = true;
			break;
		case 's':
			if (parse_size(optarg, &size_arg))
				usage_error("failed to parse size: '%s'", optarg);
			opt_size = true;
			break;
		case 'V':
			printf("%s from vswap %s\n", prog, VSWAPCTL_VERSION);
			exit(EXIT_SUCCESS);
		case 'h':
			usage();
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", prog);
			exit(EXIT_FAILURE);
		}
	}
}

/* -s SIZE and -a ALG, as zramctl: write disksize, then comp_algorithm. */
static int cmd_setup(void)
{
	char *value;
	int ret = 0;

	if (opt_algorithm && strchr(opt_algorithm, '\n'))
		usage_error("bad algorithm name");
	if (device_present())
		return EXIT_FAILURE;
	if (opt_size && refuse_if_swapped_on("cannot set the size"))
		return EXIT_FAILURE;
	if (opt_size) {
		value = u64_str(size_arg);
		ret = do_write("cannot set the size", "disksize", value);
		free(value);
	}
	if (!ret && opt_algorithm)
		ret = do_write("cannot set the compression algorithm", "comp_algorithm",
			       opt_algorithm);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	const char *cmd, *env;

	env = getenv("VSWAPCTL_SYSFS");
	if (env && *env)
		sysfs_root = env;
	/* '+': options stop at the command, whose own arguments may look like options */
	parse_options(argc, argv);
	cmd = optind < argc ? argv[optind] : NULL;
	if (cmd && !strcmp(cmd, DEVNAME)) {
		/* zramctl's <device>: the one device may be named, options after it */
		argc -= optind;
		argv += optind;
		optind = 1;
		parse_options(argc, argv);
		cmd = optind < argc ? argv[optind] : NULL;
	}
	if (cmd && !strcmp(cmd, "tiers")) {
		/* the output options may follow "tiers" too */
		argc -= optind;
		argv += optind;
		optind = 1;
		parse_options(argc, argv);
		if (optind < argc)
			usage_error("tiers: takes no arguments");
	}
	if (opt_json && opt_raw)
		usage_error("options --json and --raw are mutually exclusive");
	if (opt_size || opt_algorithm) {
		if (cmd)
			usage_error("options --size and --algorithm take no command");
		return cmd_setup();
	}
	if (!cmd)
		return cmd_status(opt_output, opt_all);
	if (!strcmp(cmd, "tiers"))
		return cmd_tiers(opt_output, opt_all);
	if (opt_output || opt_all)
		usage_error("--output and --output-all are for the tables only");
	argc -= optind + 1;
	argv += optind + 1;
	if (!strcmp(cmd, "set"))
		return cmd_set(argc, argv);
	if (!strcmp(cmd, "tier"))
		return cmd_tier(argc, argv);
	if (!strcmp(cmd, "writeback"))
		return cmd_writeback(argc, argv);
	if (!strcmp(cmd, "idle"))
		return cmd_idle(argc, argv);
	if (!strcmp(cmd, "compact"))
		return cmd_compact(argc);
	if (!strcmp(cmd, "reset"))
		return cmd_reset(argc);
	usage_error("unknown command '%s'", cmd);
}
