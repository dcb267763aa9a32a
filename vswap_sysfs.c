// SPDX-License-Identifier: GPL-2.0
/*
 * vswap sysfs ABI: tuning and statistics under /sys/block/vswap/.
 *
 * One value per file, plus zram's mm_stat line so that tools written for
 * zram can read vswap.  Writes are root-only by file mode; a rejected write
 * returns -EINVAL (or -EBUSY) and changes nothing.  docs/sysfs.md documents
 * every file.
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vswap.h"
#include "vswap_compat.h"

static struct vswap *dev_to_vswap(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/*
 * Parse a size: a decimal number with an optional K, M, G or T suffix and an
 * optional trailing newline.  Unlike memparse(), overflow and trailing junk
 * are errors.
 */
static int vswap_parse_size(const char *buf, u64 *size)
{
	static const char suffixes[] = "KMGT";
	char num[32], *suffix;
	unsigned int shift = 0;
	size_t len;
	u64 val;
	int ret;

	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, len);
	num[len] = '\0';

	suffix = strchr(suffixes, toupper(num[len - 1]));
	if (suffix && *suffix) {
		shift = 10 * (suffix - suffixes + 1);
		num[len - 1] = '\0';
	}
	ret = kstrtou64(num, 10, &val);
	if (ret)
		return -EINVAL;
	if (shift && val > (U64_MAX >> shift))
		return -EINVAL;
	*size = val << shift;
	return 0;
}

/* ---------------------------------------------------------------------------
 * Tunables
 */

static ssize_t disksize_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", dev_to_vswap(dev)->nr_pages << PAGE_SHIFT);
}

static ssize_t disksize_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	u64 size;
	int ret;

	ret = vswap_parse_size(buf, &size);
	if (ret)
		return ret;
	size = round_down(size, PAGE_SIZE);
	if (size < VSWAP_MIN_DISKSIZE || size > VSWAP_MAX_DISKSIZE)
		return -EINVAL;
	ret = vswap_resize(dev_to_vswap(dev), size);
	return ret ?: len;
}
static DEVICE_ATTR_RW(disksize);

static ssize_t comp_algorithm_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	int current_algo = READ_ONCE(dev_to_vswap(dev)->algo);
	ssize_t sz = 0;
	int algo;

	for (algo = 0; algo < VSWAP_NR_ALGOS; algo++) {
		if (!vswap_algo_available(algo))
			continue;
		sz += sysfs_emit_at(buf, sz, algo == current_algo ? "[%s] " : "%s ",
				    vswap_algo_names[algo]);
	}
	if (sz)
		buf[sz - 1] = '\n';
	return sz;
}

static ssize_t comp_algorithm_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	char name[16];
	int algo, ret;

	if (strscpy(name, buf, sizeof(name)) < 0)
		return -EINVAL;
	algo = vswap_algo_lookup(strim(name));
	if (algo < 0)
		return -EINVAL;
	ret = vswap_set_algo(dev_to_vswap(dev), algo);
	if (ret == -ENOENT)
		return -EINVAL;
	return ret ?: len;
}
static DEVICE_ATTR_RW(comp_algorithm);

static ssize_t mem_limit_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	u64 pages = atomic_long_read(&dev_to_vswap(dev)->limit_pages);

	return sysfs_emit(buf, "%llu\n", pages << PAGE_SHIFT);
}

static ssize_t mem_limit_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	u64 limit;

	if (vswap_parse_size(buf, &limit) || limit > LONG_MAX)
		return -EINVAL;
	atomic_long_set(&dev_to_vswap(dev)->limit_pages,
			DIV_ROUND_UP_ULL(limit, PAGE_SIZE));
	return len;
}
static DEVICE_ATTR_RW(mem_limit);

static ssize_t mem_used_max_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	u64 pages = atomic_long_read(&dev_to_vswap(dev)->stats.max_used_pages);

	return sysfs_emit(buf, "%llu\n", pages << PAGE_SHIFT);
}

/* Only "0" is accepted: restart the watermark from the current use. */
static ssize_t mem_used_max_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	struct vswap *v = dev_to_vswap(dev);
	unsigned long val;

	if (kstrtoul(buf, 10, &val) || val)
		return -EINVAL;
	atomic_long_set(&v->stats.max_used_pages, vswap_pool_pages(v));
	return len;
}
static DEVICE_ATTR_RW(mem_used_max);

/* "1" compacts the pool now; zsmalloc also compacts under memory pressure. */
static ssize_t compact_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	unsigned int val;

	if (kstrtouint(buf, 10, &val) || val != 1)
		return -EINVAL;
	zs_compact(dev_to_vswap(dev)->pool);
	return len;
}
static DEVICE_ATTR_WO(compact);

/* ---------------------------------------------------------------------------
 * Statistics
 */

/*
 * One read-only file per counter.  checkpatch flags the reuse of @name; it is
 * a token pasted into identifiers, never an expression with side effects.
 */
#define VSWAP_STAT_ATTR(name)						\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
		(long long)atomic64_read(&dev_to_vswap(dev)->stats.name)); \
}									\
static DEVICE_ATTR_RO(name)

VSWAP_STAT_ATTR(stored_pages);
VSWAP_STAT_ATTR(same_pages);
VSWAP_STAT_ATTR(huge_pages);
VSWAP_STAT_ATTR(compr_data_size);
VSWAP_STAT_ATTR(failed_reads);
VSWAP_STAT_ATTR(failed_writes);
VSWAP_STAT_ATTR(miss_free);
VSWAP_STAT_ATTR(notify_free);

static ssize_t mem_used_total_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	u64 pages = vswap_pool_pages(dev_to_vswap(dev));

	return sysfs_emit(buf, "%llu\n", pages << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(mem_used_total);

static ssize_t meta_bytes_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", vswap_meta_bytes(dev_to_vswap(dev)));
}
static DEVICE_ATTR_RO(meta_bytes);

/* zram's column order, so that zram tools can read vswap. */
static ssize_t mm_stat_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct vswap *v = dev_to_vswap(dev);
	struct vswap_stats *st = &v->stats;
	struct zs_pool_stats pool_stats = {};

	zs_pool_stats(v->pool, &pool_stats);
	return sysfs_emit(buf, "%8llu %8llu %8llu %8llu %8llu %8llu %8lu %8llu %8llu\n",
			  (u64)atomic64_read(&st->stored_pages) << PAGE_SHIFT,
			  (u64)atomic64_read(&st->compr_data_size),
			  (u64)vswap_pool_pages(v) << PAGE_SHIFT,
			  (u64)atomic_long_read(&v->limit_pages) << PAGE_SHIFT,
			  (u64)atomic_long_read(&st->max_used_pages) << PAGE_SHIFT,
			  (u64)atomic64_read(&st->same_pages),
			  (unsigned long)atomic_long_read(&pool_stats.pages_compacted),
			  (u64)atomic64_read(&st->huge_pages),
			  (u64)atomic64_read(&st->huge_pages_since));
}
static DEVICE_ATTR_RO(mm_stat);

static struct attribute *vswap_attrs[] = {
	&dev_attr_disksize.attr,
	&dev_attr_comp_algorithm.attr,
	&dev_attr_mem_limit.attr,
	&dev_attr_mem_used_max.attr,
	&dev_attr_compact.attr,
	&dev_attr_stored_pages.attr,
	&dev_attr_same_pages.attr,
	&dev_attr_huge_pages.attr,
	&dev_attr_compr_data_size.attr,
	&dev_attr_mem_used_total.attr,
	&dev_attr_meta_bytes.attr,
	&dev_attr_failed_reads.attr,
	&dev_attr_failed_writes.attr,
	&dev_attr_miss_free.attr,
	&dev_attr_notify_free.attr,
	&dev_attr_mm_stat.attr,
	NULL,
};

static const struct attribute_group vswap_attr_group = {
	.attrs = vswap_attrs,
};

const struct attribute_group *vswap_attr_groups[] = {
	&vswap_attr_group,
	NULL,
};
