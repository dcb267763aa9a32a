// SPDX-License-Identifier: GPL-2.0
/*
 * vswap: a virtual swap device.
 *
 * This file is the module and its block front end: the only code that speaks
 * to the block layer and the swap core.  It turns bios (and, on kernels that
 * still have it, ->rw_page) into page stores and loads on virtual slots, turns
 * the swap core's slot-free notification and discards into slot frees, and
 * owns page 0, which reads as a valid swap header until something writes it,
 * so that `swapon /dev/vswap` works with no mkswap.
 *
 * The device is a swap session's scratch space: when its last user closes it
 * after an exclusive open (swapon), every page but the header is dropped, so
 * swapoff returns all the memory vswap holds even if the swap core missed
 * freeing some slots.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/swap.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_comp.h"
#include "vswap_mover.h"
#include "vswap_pool.h"
#include "vswap_table.h"
#include "vswap_tier.h"

static int vswap_major;
static struct vswap *vswap_dev;

/* Bytes; 0 picks the default (twice RAM). */
static u64 vswap_param_disksize;

static int vswap_param_set_size(const char *val, const struct kernel_param *kp)
{
	char *end;
	u64 size = memparse(val, &end);

	if (end == val || (*end && *end != '\n'))
		return -EINVAL;
	if (size && (size < VSWAP_MIN_DISKSIZE || size > VSWAP_MAX_DISKSIZE))
		return -EINVAL;
	*(u64 *)kp->arg = size;
	return 0;
}

static int vswap_param_get_size(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%llu\n", *(u64 *)kp->arg);
}

static const struct kernel_param_ops vswap_size_ops = {
	.set = vswap_param_set_size,
	.get = vswap_param_get_size,
};

module_param_cb(disksize, &vswap_size_ops, &vswap_param_disksize, 0444);
MODULE_PARM_DESC(disksize,
		 "virtual size (K/M/G/T suffixes); default twice the RAM");

/*
 * Default size: twice RAM, whole clusters.  The swap core spends about 3
 * bytes per slot of its own at swapon (swap_map, swap cgroup ids, cluster
 * info), ~0.15% of RAM at this size; vswap itself spends nothing until pages
 * arrive.
 */
static u64 vswap_default_disksize(void)
{
	u64 size = (u64)totalram_pages() << (PAGE_SHIFT + 1);

	size = round_down(size, (u64)VSWAP_CLUSTER_SLOTS << PAGE_SHIFT);
	return clamp_t(u64, size, VSWAP_MIN_DISKSIZE, VSWAP_MAX_DISKSIZE);
}

/* ---------------------------------------------------------------------------
 * Page 0: the swap header
 */

static void vswap_header_synthesize(struct vswap *v, struct page *page)
{
	union swap_header *hdr = kmap_local_page(page);
	static const char label[] = VSWAP_NAME;

	memset(hdr, 0, PAGE_SIZE);
	hdr->info.version = 1;
	hdr->info.last_page = v->nr_pages - 1;
	memcpy(hdr->info.sws_volume, label, sizeof(label));
	memcpy(hdr->magic.magic, "SWAPSPACE2", sizeof(hdr->magic.magic));
	kunmap_local(hdr);
}

static void vswap_header_read(struct vswap *v, struct page *page)
{
	spin_lock(&v->header_lock);
	if (v->header)
		copy_highpage(page, v->header);
	else if (v->header_zeroed)
		clear_highpage(page);
	else
		vswap_header_synthesize(v, page);
	spin_unlock(&v->header_lock);
}

/*
 * Make page 0 read as @page, as zeroes if @page is NULL and @set, or as the
 * born header if !@set.  Only a copy of @page allocates: discard and
 * write-zeroes of page 0 cannot fail.
 */
static int vswap_header_set(struct vswap *v, struct page *page, bool set)
{
	struct page *new = NULL, *old;

	if (page) {
		new = alloc_page(GFP_NOIO | __GFP_NOWARN);
		if (!new)
			return -ENOMEM;
		copy_highpage(new, page);
	}
	spin_lock(&v->header_lock);
	old = v->header;
	v->header = new;
	v->header_zeroed = set && !page;
	spin_unlock(&v->header_lock);
	if (old)
		__free_page(old);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Slots: page 0 is the header, the rest go to the page store
 */

static int vswap_read_slot(struct vswap *v, u64 slot, struct page *page)
{
	if (!slot) {
		vswap_header_read(v, page);
		return 0;
	}
	return vswap_load_page(v, slot, page);
}

/* Start background writeback if the pool is past its high watermark. */
static void vswap_wb_check(struct vswap *v, bool raw)
{
	unsigned long limit = atomic_long_read(&v->limit_pages);
	unsigned long high = mult_frac(limit, READ_ONCE(v->wb.high), 100);

	if ((raw && READ_ONCE(v->wb.huge_direct)) ||
	    (limit && vswap_pool_pages(v) > high))
		vswap_wb_kick(v);
}

static int vswap_write_slot(struct vswap *v, u64 slot, struct page *page)
{
	unsigned long deadline = 0;
	bool raw = false;
	int ret;

	if (!slot)
		return vswap_header_set(v, page, true);
	ret = vswap_store_page(v, slot, page, &raw);
	/* At mem_limit: a lower tier may make room, within a short bound. */
	while (ret == -ENOSPC && vswap_wb_wait(v, &deadline))
		ret = vswap_store_page(v, slot, page, &raw);
	if (!ret)
		vswap_wb_check(v, raw);
	return ret;
}

/*
 * A bio segment that covers only part of a page (direct I/O with a buffer
 * aligned to less than a page): read the whole page, patch it, write it.
 */
static int vswap_rw_partial(struct vswap *v, struct bio_vec *bv, u64 slot,
			    unsigned int offset, bool write)
{
	struct page *page = alloc_page(GFP_NOIO | __GFP_NOWARN);
	void *mem;
	int ret;

	if (!page)
		return -ENOMEM;
	ret = vswap_read_slot(v, slot, page);
	if (ret)
		goto out;
	mem = kmap_local_page(page);
	if (write)
		memcpy_from_bvec(mem + offset, bv);
	else
		memcpy_to_bvec(bv, mem + offset);
	kunmap_local(mem);
	if (write)
		ret = vswap_write_slot(v, slot, page);
out:
	__free_page(page);
	return ret;
}

static int vswap_rw_segment(struct vswap *v, struct bio_vec *bv, u64 slot,
			    unsigned int offset, bool write)
{
	if (bv->bv_len != PAGE_SIZE)
		return vswap_rw_partial(v, bv, slot, offset, write);
	if (write)
		return vswap_write_slot(v, slot, bv->bv_page);
	return vswap_read_slot(v, slot, bv->bv_page);
}

static void vswap_bio_rw(struct vswap *v, struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	struct bvec_iter iter = bio->bi_iter;
	struct bio_vec bv;
	unsigned int offset;
	u64 slot;

	do {
		bv = bio_iter_iovec(bio, iter);
		slot = iter.bi_sector >> VSWAP_SECTORS_PER_PAGE_SHIFT;
		offset = (iter.bi_sector << SECTOR_SHIFT) & ~PAGE_MASK;
		bv.bv_len = min_t(u32, bv.bv_len, PAGE_SIZE - offset);

		if (vswap_rw_segment(v, &bv, slot, offset, write)) {
			atomic64_inc(write ? &v->stats.failed_writes :
					     &v->stats.failed_reads);
			bio->bi_status = BLK_STS_IOERR;
			break;
		}
		if (!write)
			flush_dcache_page(bv.bv_page);
		bio_advance_iter_single(bio, &iter, bv.bv_len);
	} while (iter.bi_size);
	bio_endio(bio);
}

/*
 * Discard and write-zeroes: free the slots, so they read as zeroes.  The
 * queue's page-sized logical blocks keep the range page aligned.  Page 0
 * goes back to the born header on discard and to zeroes on write-zeroes.
 */
static void vswap_bio_discard(struct vswap *v, struct bio *bio)
{
	u64 first = bio->bi_iter.bi_sector >> VSWAP_SECTORS_PER_PAGE_SHIFT;
	u64 nr = bio->bi_iter.bi_size >> PAGE_SHIFT;

	if (!first && nr) {
		vswap_header_set(v, NULL, bio_op(bio) == REQ_OP_WRITE_ZEROES);
		first++;
		nr--;
	}
	vswap_free_range(v, first, nr);
	bio_endio(bio);
}

static void vswap_submit_bio(struct bio *bio)
{
	struct vswap *v = bio->bi_bdev->bd_disk->private_data;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		vswap_bio_rw(v, bio);
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		vswap_bio_discard(v, bio);
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
	}
}

#ifdef VSWAP_HAVE_RW_PAGE
/*
 * 6.1's synchronous swap path.  On failure return the error without ending
 * the page: the swap core retries with a bio, whose failure is then counted
 * and handled (the page stays dirty in memory).
 */
static int vswap_rw_page(struct block_device *bdev, sector_t sector,
			 struct page *page, enum req_op op)
{
	struct vswap *v = bdev->bd_disk->private_data;
	u64 slot = sector >> VSWAP_SECTORS_PER_PAGE_SHIFT;
	bool write = op_is_write(op);
	int ret;

	if (PageTransHuge(page))
		return -EOPNOTSUPP;
	ret = write ? vswap_write_slot(v, slot, page) :
		      vswap_read_slot(v, slot, page);
	if (!ret)
		page_endio(page, write, 0);
	return ret;
}
#endif

/*
 * Runs under the swap core's locks with preemption off: never sleep.  A
 * notification that finds the cluster locked waits for the lock rather
 * than drop the free (zram counts it in miss_free and leaks the page until
 * the slot is reused): a cluster lock is a spinlock held for a few slot
 * updates or one object copy, never across anything that sleeps or
 * allocates, and its holders take none of the swap core's locks, so the
 * wait is short and cannot deadlock.  Contention is counted in free_waits.
 */
static void vswap_slot_free_notify(struct block_device *bdev,
				   unsigned long slot)
{
	struct vswap *v = bdev->bd_disk->private_data;

	atomic64_inc(&v->stats.notify_free);
	if (vswap_free_slot(v, slot, true)) {
		atomic64_inc(&v->stats.free_waits);
		vswap_free_slot(v, slot, false);
	}
}

/* ---------------------------------------------------------------------------
 * Open, release and the failsafe drop
 */

/* Free every page but the header.  Caller excludes openers. */
static void vswap_drop(struct vswap *v)
{
	vswap_store_drop(v);
	WARN_ON_ONCE(atomic64_read(&v->stats.stored_pages));
}

static int vswap_open(VSWAP_OPEN_ARGS)
{
	struct vswap *v = VSWAP_OPEN_DISK->private_data;

	lockdep_assert_held(&VSWAP_OPEN_DISK->open_mutex);
	if (VSWAP_OPEN_EXCL(mode))
		v->claimed = true;
	return 0;
}

static void vswap_release(VSWAP_RELEASE_ARGS)
{
	struct vswap *v = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	if (disk_openers(disk) || !v->claimed)
		return;
	v->claimed = false;
	vswap_drop(v);
}

/**
 * vswap_resize - give the device a new virtual size
 * @v:     the device
 * @bytes: new size, a multiple of PAGE_SIZE within the supported range
 *
 * Only while nobody has it open.  The device is born again: all pages are
 * dropped and page 0 reads as a header for the new size.
 *
 * Return: 0, or -EBUSY if the device is open.
 */
int vswap_resize(struct vswap *v, u64 bytes)
{
	struct gendisk *disk = v->disk;
	int ret = 0;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk)) {
		ret = -EBUSY;
		goto out;
	}
	vswap_drop(v);
	vswap_header_set(v, NULL, false);
	v->nr_pages = bytes >> PAGE_SHIFT;
	set_capacity_and_notify(disk, bytes >> SECTOR_SHIFT);
out:
	mutex_unlock(&disk->open_mutex);
	return ret;
}

static const struct block_device_operations vswap_fops = {
	.owner			= THIS_MODULE,
	.open			= vswap_open,
	.release		= vswap_release,
	.submit_bio		= vswap_submit_bio,
	.swap_slot_free_notify	= vswap_slot_free_notify,
#ifdef VSWAP_HAVE_RW_PAGE
	.rw_page		= vswap_rw_page,
#endif
};

/* ---------------------------------------------------------------------------
 * Device lifetime
 */

static int vswap_default_algo(struct vswap *v)
{
	int algo;

	for (algo = 0; algo < VSWAP_NR_ALGOS; algo++)
		if (!vswap_set_algo(v, algo))
			return 0;
	pr_err("no compressor available among lz4, lzo-rle, lzo, zstd, deflate\n");
	return -ENOENT;
}

static int vswap_disk_add(struct vswap *v, u64 bytes)
{
	struct gendisk *disk = vswap_alloc_disk();
	int ret;

	if (IS_ERR_OR_NULL(disk))
		return disk ? PTR_ERR(disk) : -ENOMEM;
	disk->major = vswap_major;
	disk->first_minor = 0;
	disk->minors = 1;
	disk->fops = &vswap_fops;
	disk->private_data = v;
	strscpy(disk->disk_name, VSWAP_NAME, sizeof(disk->disk_name));
	v->nr_pages = bytes >> PAGE_SHIFT;
	set_capacity(disk, bytes >> SECTOR_SHIFT);
	v->disk = disk;

	ret = device_add_disk(NULL, disk, vswap_attr_groups);
	if (ret) {
		put_disk(disk);
		v->disk = NULL;
	}
	return ret;
}

static void vswap_destroy(struct vswap *v)
{
	if (v->disk) {
		del_gendisk(v->disk);
		put_disk(v->disk);
	}
	cancel_work_sync(&v->wb.work);
	/* Slots first: they hold the lower objects the tiers must see freed. */
	vswap_store_drop(v);
	vswap_tiers_destroy(v);
	vswap_wb_exit(v);
	vswap_tier_layer_exit(v);
	vswap_header_set(v, NULL, false);
	vswap_comp_release_all(v);
	vswap_pool_destroy(v);
	kfree(v);
}

static struct vswap *vswap_create(u64 bytes)
{
	struct vswap *v;
	int ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	vswap_table_init(v);
	spin_lock_init(&v->header_lock);
	mutex_init(&v->comp_lock);
	ret = vswap_tier_layer_init(v);
	if (ret)
		goto fail;
	ret = vswap_wb_init(v);
	if (ret)
		goto fail;
	ret = vswap_pool_create(v);
	if (ret)
		goto fail;
	ret = vswap_default_algo(v);
	if (ret)
		goto fail;
	ret = vswap_disk_add(v, bytes);
	if (ret)
		goto fail;
	return v;
fail:
	vswap_destroy(v);
	return ERR_PTR(ret);
}

/* ---------------------------------------------------------------------------
 * Module
 */

static int __init vswap_init(void)
{
	u64 bytes = vswap_param_disksize ?: vswap_default_disksize();
	int ret;

	ret = vswap_comp_init();
	if (ret)
		return ret;
	ret = vswap_cluster_init();
	if (ret)
		goto out_comp;
	ret = register_blkdev(0, VSWAP_NAME);
	if (ret < 0)
		goto out_cluster;
	vswap_major = ret;

	vswap_dev = vswap_create(round_down(bytes, PAGE_SIZE));
	if (IS_ERR(vswap_dev)) {
		ret = PTR_ERR(vswap_dev);
		goto out_blkdev;
	}
	return 0;

out_blkdev:
	unregister_blkdev(vswap_major, VSWAP_NAME);
out_cluster:
	vswap_cluster_exit();
out_comp:
	vswap_comp_exit();
	return ret;
}

static void __exit vswap_exit(void)
{
	vswap_destroy(vswap_dev);
	unregister_blkdev(vswap_major, VSWAP_NAME);
	vswap_cluster_exit();
	vswap_comp_exit();
}

module_init(vswap_init);
module_exit(vswap_exit);

MODULE_DESCRIPTION("vswap: virtual swap device with compressed in-memory storage");
MODULE_AUTHOR("The vswap developers");
MODULE_LICENSE("GPL");
