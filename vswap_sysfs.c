// SPDX-License-Identifier: GPL-2.0
/*
 * vswap sysfs ABI: tuning and statistics under /sys/block/vswap/.
 *
 * One value per file, plus zram's mm_stat line so that tools written for
 * zram can read vswap.  Writes are root-only by file mode and need
 * CAP_SYS_ADMIN (-EPERM otherwise); a rejected write returns -EINVAL (or
 * -EBUSY...) and changes nothing.  docs/sysfs.md documents
 * every file.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_comp.h"
#include "vswap_mover.h"
#include "vswap_pool.h"
#include "vswap_table.h"
#include "vswap_tier.h"

static struct vswap *dev_to_vswap(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/*
 * Every write changes the device, its data or its tiers: like swapon(2) and
 * zram's writeback, it needs CAP_SYS_ADMIN, whatever the file mode says.
 * The first thing each store handler does.
 */
static bool vswap_may_write(void)
{
	return capable(CAP_SYS_ADMIN);
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

	if (!vswap_may_write())
		return -EPERM;
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

	if (!vswap_may_write())
		return -EPERM;
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

	if (!vswap_may_write())
		return -EPERM;
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

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtoul(buf, 10, &val) || val)
		return -EINVAL;
	atomic_long_set(&v->stats.max_used_pages, vswap_pool_pages(v));
	return len;
}
static DEVICE_ATTR_RW(mem_used_max);

/*
 * "1" compacts the pool and the lower tiers now; zsmalloc also compacts
 * under memory pressure, and writeback compacts tiers when they fill.
 */
static ssize_t compact_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct vswap *v = dev_to_vswap(dev);
	unsigned int val;
	int ret;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtouint(buf, 10, &val) || val != 1)
		return -EINVAL;
	zs_compact(v->pool);
	ret = vswap_lower_compact(v);
	return ret ?: len;
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
VSWAP_STAT_ATTR(free_waits);
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

/* ---------------------------------------------------------------------------
 * Lower tiers and writeback (docs/sysfs.md, "Writeback")
 */

/* Copy a written path, without its newline; it must be absolute. */
static char *vswap_path_dup(const char *buf, size_t len)
{
	char *path;

	if (!len || len >= PATH_MAX)
		return ERR_PTR(-EINVAL);
	path = kmemdup_nul(buf, len, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	strim(path);
	if (path[0] != '/') {
		kfree(path);
		return ERR_PTR(-EINVAL);
	}
	return path;
}

/* An optionally signed run of digits. */
static bool vswap_is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit(*s))
			return false;
	return true;
}

/* "PATH" or "PATH PRIORITY" */
static ssize_t lower_add_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	char *path, *space;
	int prio = 0, ret;

	if (!vswap_may_write())
		return -EPERM;
	path = vswap_path_dup(buf, len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	/* A last word that is a number is the priority, even out of range. */
	space = strrchr(path, ' ');
	if (space && vswap_is_number(space + 1)) {
		if (kstrtoint(space + 1, 10, &prio) || prio < -1000 || prio > 1000) {
			kfree(path);
			return -EINVAL;
		}
		*space = '\0';
		strim(path);
	}
	ret = vswap_lower_add(dev_to_vswap(dev), path, prio);
	kfree(path);
	return ret ?: len;
}
static DEVICE_ATTR_WO(lower_add);

static ssize_t lower_remove_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	char *path;
	int ret;

	if (!vswap_may_write())
		return -EPERM;
	path = vswap_path_dup(buf, len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = vswap_lower_remove(dev_to_vswap(dev), path);
	kfree(path);
	return ret ?: len;
}
static DEVICE_ATTR_WO(lower_remove);

static ssize_t lower_migrate_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t len)
{
	char *path;
	int ret;

	if (!vswap_may_write())
		return -EPERM;
	path = vswap_path_dup(buf, len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = vswap_lower_migrate(dev_to_vswap(dev), path);
	kfree(path);
	return ret ?: len;
}
static DEVICE_ATTR_WO(lower_migrate);

static ssize_t lower_tiers_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return vswap_tiers_show(dev_to_vswap(dev), buf);
}
static DEVICE_ATTR_RO(lower_tiers);

static ssize_t progress_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return vswap_progress_show(dev_to_vswap(dev), buf);
}
static DEVICE_ATTR_RO(progress);

/* "idle", "huge", "all" or a page count */
static ssize_t writeback_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	static const char * const modes[] = {
		[VSWAP_WB_IDLE] = "idle", [VSWAP_WB_HUGE] = "huge",
		[VSWAP_WB_ALL] = "all",
	};
	int mode = sysfs_match_string(modes, buf);
	u64 nr = 0;
	int ret;

	if (!vswap_may_write())
		return -EPERM;
	if (mode < 0) {
		if (kstrtou64(buf, 10, &nr) || !nr)
			return -EINVAL;
		mode = VSWAP_WB_COUNT;
	}
	ret = vswap_writeback(dev_to_vswap(dev), mode, nr);
	return ret ?: len;
}
static DEVICE_ATTR_WO(writeback);

/* "all", or seconds: pages whose cluster was not written for that long */
static ssize_t idle_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	u32 max_stamp = U32_MAX;
	unsigned int age;
	time64_t now;

	if (!vswap_may_write())
		return -EPERM;
	if (!sysfs_streq(buf, "all")) {
		if (kstrtouint(buf, 10, &age))
			return -EINVAL;
		now = ktime_get_seconds();
		max_stamp = now > age ? now - age : 0;
	}
	vswap_idle_mark(dev_to_vswap(dev), max_stamp);
	return len;
}
static DEVICE_ATTR_WO(idle);

static ssize_t wb_high_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(dev_to_vswap(dev)->wb.high));
}

static ssize_t wb_low_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(dev_to_vswap(dev)->wb.low));
}

/* Set a watermark, keeping 1 <= low < high <= 100. */
static ssize_t vswap_watermark_store(struct device *dev, const char *buf,
				     size_t len, bool high)
{
	struct vswap_wb *wb = &dev_to_vswap(dev)->wb;
	unsigned int val;
	int ret = 0;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtouint(buf, 10, &val) || !val || val > 100)
		return -EINVAL;
	vswap_wb_lock(wb);
	if (high ? val <= wb->low : val >= wb->high)
		ret = -EINVAL;
	else if (high)
		WRITE_ONCE(wb->high, val);
	else
		WRITE_ONCE(wb->low, val);
	vswap_wb_unlock(wb);
	return ret ?: len;
}

static ssize_t wb_high_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	return vswap_watermark_store(dev, buf, len, true);
}
static DEVICE_ATTR_RW(wb_high);

static ssize_t wb_low_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	return vswap_watermark_store(dev, buf, len, false);
}
static DEVICE_ATTR_RW(wb_low);

static ssize_t wb_budget_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(dev_to_vswap(dev)->wb.budget));
}

static ssize_t wb_budget_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct vswap_wb *wb = &dev_to_vswap(dev)->wb;
	u64 budget;

	if (!vswap_may_write())
		return -EPERM;
	if (vswap_parse_size(buf, &budget))
		return -EINVAL;
	vswap_wb_lock(wb);
	wb->budget = budget;
	wb->period_start = jiffies;
	wb->period_bytes = 0;
	vswap_wb_unlock(wb);
	return len;
}
static DEVICE_ATTR_RW(wb_budget);

static ssize_t wb_budget_period_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(dev_to_vswap(dev)->wb.period));
}

static ssize_t wb_budget_period_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct vswap_wb *wb = &dev_to_vswap(dev)->wb;
	unsigned int period;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtouint(buf, 10, &period) || !period || period > 86400)
		return -EINVAL;
	vswap_wb_lock(wb);
	wb->period = period;
	vswap_wb_unlock(wb);
	return len;
}
static DEVICE_ATTR_RW(wb_budget_period);

static ssize_t wb_huge_direct_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(dev_to_vswap(dev)->wb.huge_direct));
}

static ssize_t wb_huge_direct_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	bool val;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtobool(buf, &val))
		return -EINVAL;
	WRITE_ONCE(dev_to_vswap(dev)->wb.huge_direct, val);
	return len;
}
static DEVICE_ATTR_RW(wb_huge_direct);

static ssize_t wb_wait_ms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(dev_to_vswap(dev)->wb.wait_ms));
}

/* 0 (never wait) up to VSWAP_WB_WAIT_MAX_MS */
static ssize_t wb_wait_ms_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	unsigned int ms;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtouint(buf, 10, &ms) || ms > VSWAP_WB_WAIT_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(dev_to_vswap(dev)->wb.wait_ms, ms);
	return len;
}
static DEVICE_ATTR_RW(wb_wait_ms);

/* Like comp_algorithm, with "keep" (no recompression) in place of "none". */
static ssize_t wb_comp_algorithm_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	unsigned int current_algo = READ_ONCE(dev_to_vswap(dev)->wb.algo);
	ssize_t sz;
	int algo;

	sz = sysfs_emit(buf, current_algo == VSWAP_WB_KEEP ? "[keep]" : "keep");
	for (algo = 0; algo < VSWAP_NR_ALGOS; algo++) {
		if (algo == VSWAP_ALGO_NONE || !vswap_algo_available(algo))
			continue;
		sz += sysfs_emit_at(buf, sz, algo == current_algo ? " [%s]" : " %s",
				    vswap_algo_names[algo]);
	}
	return sz + sysfs_emit_at(buf, sz, "\n");
}

static ssize_t wb_comp_algorithm_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t len)
{
	struct vswap *v = dev_to_vswap(dev);
	char name[16];
	int algo, ret;

	if (!vswap_may_write())
		return -EPERM;
	if (strscpy(name, buf, sizeof(name)) < 0)
		return -EINVAL;
	if (sysfs_streq(name, "keep")) {
		/* Writeback reads it with acquire (no streams needed). */
		smp_store_release(&v->wb.algo, VSWAP_WB_KEEP);
		return len;
	}
	algo = vswap_algo_lookup(strim(name));
	if (algo < 0 || algo == VSWAP_ALGO_NONE)
		return -EINVAL;
	ret = vswap_comp_prepare(v, algo);
	if (ret)
		return ret == -ENOENT ? -EINVAL : ret;
	/* After its streams: writeback reads it with acquire. */
	smp_store_release(&v->wb.algo, algo);
	return len;
}
static DEVICE_ATTR_RW(wb_comp_algorithm);

static ssize_t segment_size_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(dev_to_vswap(dev)->wb.seg_size));
}

/* Applies to tiers attached later; only while none is attached. */
static ssize_t segment_size_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	struct vswap *v = dev_to_vswap(dev);
	u64 size;
	int ret = 0;

	if (!vswap_may_write())
		return -EPERM;
	if (vswap_parse_size(buf, &size) || !is_power_of_2(size) ||
	    size < VSWAP_SEG_MIN || size > VSWAP_SEG_MAX)
		return -EINVAL;
	mutex_lock(&v->tier_lock);
	if (vswap_has_tiers(v))
		ret = -EBUSY;
	else
		WRITE_ONCE(v->wb.seg_size, size);
	mutex_unlock(&v->tier_lock);
	return ret ?: len;
}
static DEVICE_ATTR_RW(segment_size);

static ssize_t lower_discard_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(dev_to_vswap(dev)->lower_discard));
}

/* For segments freed from now on (and those still queued: see vswap_seg.c). */
static ssize_t lower_discard_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t len)
{
	bool val;

	if (!vswap_may_write())
		return -EPERM;
	if (kstrtobool(buf, &val))
		return -EINVAL;
	WRITE_ONCE(dev_to_vswap(dev)->lower_discard, val);
	return len;
}
static DEVICE_ATTR_RW(lower_discard);

/* As VSWAP_STAT_ATTR, for the writeback counters. */
#define VSWAP_WB_STAT_ATTR(name)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
		(long long)atomic64_read(&dev_to_vswap(dev)->wb_stats.name)); \
}									\
static DEVICE_ATTR_RO(name)

VSWAP_WB_STAT_ATTR(wb_pages);
VSWAP_WB_STAT_ATTR(wb_bytes);
VSWAP_WB_STAT_ATTR(lower_reads);
VSWAP_WB_STAT_ATTR(lower_pages);
VSWAP_WB_STAT_ATTR(wb_refaults);
VSWAP_WB_STAT_ATTR(revmap_bytes);
VSWAP_WB_STAT_ATTR(seg_written);
VSWAP_WB_STAT_ATTR(seg_freed);
VSWAP_WB_STAT_ATTR(seg_discarded);
VSWAP_WB_STAT_ATTR(compact_moved);
VSWAP_WB_STAT_ATTR(lower_errors);
VSWAP_WB_STAT_ATTR(lower_csum_errors);
VSWAP_WB_STAT_ATTR(budget_stops);
VSWAP_WB_STAT_ATTR(recompressed);
VSWAP_WB_STAT_ATTR(wb_waits);
VSWAP_WB_STAT_ATTR(wb_wait_fails);

/* zram's bd_stat: pages on lower tiers, pages read back, pages written. */
static ssize_t bd_stat_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct vswap_wb_stats *st = &dev_to_vswap(dev)->wb_stats;

	return sysfs_emit(buf, "%8lld %8lld %8lld\n",
			  (long long)atomic64_read(&st->lower_pages),
			  (long long)atomic64_read(&st->wb_refaults),
			  (long long)atomic64_read(&st->wb_pages));
}
static DEVICE_ATTR_RO(bd_stat);

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
	&dev_attr_free_waits.attr,
	&dev_attr_notify_free.attr,
	&dev_attr_mm_stat.attr,
	&dev_attr_lower_add.attr,
	&dev_attr_lower_remove.attr,
	&dev_attr_lower_migrate.attr,
	&dev_attr_lower_tiers.attr,
	&dev_attr_progress.attr,
	&dev_attr_writeback.attr,
	&dev_attr_idle.attr,
	&dev_attr_wb_high.attr,
	&dev_attr_wb_low.attr,
	&dev_attr_wb_budget.attr,
	&dev_attr_wb_budget_period.attr,
	&dev_attr_wb_huge_direct.attr,
	&dev_attr_wb_wait_ms.attr,
	&dev_attr_wb_comp_algorithm.attr,
	&dev_attr_segment_size.attr,
	&dev_attr_lower_discard.attr,
	&dev_attr_wb_pages.attr,
	&dev_attr_wb_bytes.attr,
	&dev_attr_lower_reads.attr,
	&dev_attr_lower_pages.attr,
	&dev_attr_wb_refaults.attr,
	&dev_attr_revmap_bytes.attr,
	&dev_attr_seg_written.attr,
	&dev_attr_seg_freed.attr,
	&dev_attr_seg_discarded.attr,
	&dev_attr_compact_moved.attr,
	&dev_attr_lower_errors.attr,
	&dev_attr_lower_csum_errors.attr,
	&dev_attr_budget_stops.attr,
	&dev_attr_recompressed.attr,
	&dev_attr_wb_waits.attr,
	&dev_attr_wb_wait_fails.attr,
	&dev_attr_bd_stat.attr,
	NULL,
};

static const struct attribute_group vswap_attr_group = {
	.attrs = vswap_attrs,
};

const struct attribute_group *vswap_attr_groups[] = {
	&vswap_attr_group,
	NULL,
};
