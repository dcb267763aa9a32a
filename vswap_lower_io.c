// SPDX-License-Identifier: GPL-2.0
/*
 * vswap lower I/O: bios straight to a tier's block device.
 *
 * Byte ranges of a tier are turned into bios through its extent map, with
 * GFP_NOIO and no page cache.  Reads for a swap-in are handed to a worker
 * when issued inside vswap's own submit_bio, where a nested bio would only
 * be queued behind the current one.  Every object read back is verified
 * (vswap_obj_check()) before anyone sees it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_tier.h"

/* ---------------------------------------------------------------------------
 * Lower I/O: bios straight to the device through the extent map
 */

static const struct vswap_extent *vswap_extent_find(struct vswap_tier *t,
						    pgoff_t page)
{
	unsigned int lo = 0, hi = t->nr_extents;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct vswap_extent *e = &t->extents[mid];

		if (page < e->start_page)
			hi = mid;
		else if (page >= e->start_page + e->nr_pages)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

static struct page *vswap_buf_page(void *p)
{
	return is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);
}

/* One bio for bytes [@pos, @pos + @len) of one extent. */
static int vswap_tier_bio(struct vswap_tier *t, blk_opf_t opf, u64 pos,
			  u8 *buf, u32 len)
{
	const struct vswap_extent *e = vswap_extent_find(t, pos >> PAGE_SHIFT);
	unsigned int nr_vecs = DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
	struct bio *bio;
	u32 done, chunk;
	int ret;

	if (WARN_ON_ONCE(!e || nr_vecs > BIO_MAX_VECS))
		return -EIO;
	bio = bio_alloc(t->bdev, nr_vecs, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = e->start_sector +
		((pos - ((u64)e->start_page << PAGE_SHIFT)) >> SECTOR_SHIFT);
	for (done = 0; done < len; done += chunk) {
		chunk = min_t(u32, len - done, PAGE_SIZE - offset_in_page(buf + done));
		__bio_add_page(bio, vswap_buf_page(buf + done), chunk,
			       offset_in_page(buf + done));
	}
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

/* Split [@pos, @pos + @len) at extent and bio-size boundaries. */
static int vswap_tier_io(struct vswap_tier *t, blk_opf_t opf, u64 pos,
			 u8 *buf, u32 len)
{
	const struct vswap_extent *e;
	u8 *start = buf;
	u32 total = len;
	u64 ext_end;
	u32 run;
	int ret;

	if (is_vmalloc_addr(buf) && op_is_write(opf))
		flush_kernel_vmap_range(buf, len);
	while (len) {
		e = vswap_extent_find(t, pos >> PAGE_SHIFT);
		if (!e)
			return -EIO;
		ext_end = (u64)(e->start_page + e->nr_pages) << PAGE_SHIFT;
		run = min_t(u64, len, ext_end - pos);
		run = min_t(u32, run, (BIO_MAX_VECS - 1) * PAGE_SIZE);
		ret = vswap_tier_bio(t, opf, pos, buf, run);
		if (!op_is_write(opf))
			atomic64_inc(&t->reads);
		if (ret)
			return ret;
		pos += run;
		buf += run;
		len -= run;
	}
	if (is_vmalloc_addr(start) && !op_is_write(opf))
		invalidate_kernel_vmap_range(start, total);
	return 0;
}

/**
 * struct vswap_io_work - a lower read handed to a worker
 * @work: the work item
 * @t:    tier
 * @pos:  byte position on the tier
 * @buf:  destination
 * @len:  bytes
 * @ret:  result
 */
struct vswap_io_work {
	struct work_struct work;
	struct vswap_tier *t;
	u64 pos;
	u8 *buf;
	u32 len;
	int ret;
};

static void vswap_io_work_fn(struct work_struct *work)
{
	struct vswap_io_work *w = container_of(work, struct vswap_io_work, work);

	w->ret = vswap_tier_io(w->t, REQ_OP_READ | REQ_SYNC, w->pos, w->buf,
			       w->len);
}

/**
 * vswap_tier_read - read bytes of a tier, from any context that may sleep
 * @t:   the tier
 * @pos: byte position, logical-block aligned
 * @buf: destination (kmalloc or vmalloc memory)
 * @len: bytes, logical-block aligned
 *
 * Inside our own submit_bio (a swap-in), a bio we submit would only be
 * queued behind the current one and waiting for it would deadlock: hand the
 * read to a worker, as zram does.
 */
int vswap_tier_read(struct vswap_tier *t, u64 pos, void *buf, u32 len)
{
	struct vswap_io_work w = { .t = t, .pos = pos, .buf = buf, .len = len };

	if (!current->bio_list)
		return vswap_tier_io(t, REQ_OP_READ | REQ_SYNC, pos, buf, len);
	INIT_WORK_ONSTACK(&w.work, vswap_io_work_fn);
	queue_work(t->v->lower_wq, &w.work);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);
	return w.ret;
}

int vswap_tier_write(struct vswap_tier *t, u64 pos, void *buf, u32 len)
{
	int ret = vswap_tier_io(t, REQ_OP_WRITE | REQ_SYNC, pos, buf, len);

	if (!ret)
		atomic64_add(len, &t->written);
	return ret;
}

/**
 * vswap_tier_discard - discard bytes of a tier on its device
 * @t:   the tier (its device takes discards)
 * @pos: byte position, segment aligned
 * @len: bytes, whole segments
 *
 * Through the extent map, one request per extent: a file tier's blocks are
 * discarded on the block device under its filesystem, as the swap core does
 * for a swap file.  GFP_NOIO; the caller is in a noio scope.  Sleeps.
 *
 * Return: 0 or what the block layer said (-EOPNOTSUPP: no discard).
 */
int vswap_tier_discard(struct vswap_tier *t, u64 pos, u64 len)
{
	const struct vswap_extent *e;
	u64 ext_start, run;
	int ret;

	while (len) {
		e = vswap_extent_find(t, pos >> PAGE_SHIFT);
		if (WARN_ON_ONCE(!e))
			return -EIO;	/* segments lie within the extents */
		ext_start = (u64)e->start_page << PAGE_SHIFT;
		run = min_t(u64, len, ((u64)e->nr_pages << PAGE_SHIFT) -
				      (pos - ext_start));
		ret = blkdev_issue_discard(t->bdev, e->start_sector +
					   ((pos - ext_start) >> SECTOR_SHIFT),
					   run >> SECTOR_SHIFT, GFP_NOIO);
		if (ret)
			return ret;
		pos += run;
		len -= run;
	}
	return 0;
}

/* A write failed: keep the tier for reads, write no more to it. */
void vswap_tier_fail(struct vswap_tier *t)
{
	atomic64_inc(&t->errors);
	atomic64_inc(&t->v->wb_stats.lower_errors);
	/* Sticky: a drain's state, restored later, must not forget it. */
	if (!xchg(&t->failed, true))
		pr_warn("lower tier %s: write error, no more writeback to it\n",
			t->path);
	cmpxchg(&t->state, VSWAP_TIER_ACTIVE, VSWAP_TIER_FAILING);
}

/**
 * vswap_lower_fetch - read a slot's lower object and verify it
 * @v:    the device
 * @slot: the slot
 * @word: the slot's VSWAP_LOWER word, pinned with vswap_lower_pin()
 * @buf:  VSWAP_LOWER_BUF bytes: the object plus logical-block alignment
 * @obj:  receives where in @buf the object starts (past its checksum)
 *
 * Reads only the logical blocks that hold the object.
 *
 * Return: 0, or -EIO if the read failed or the object does not check out.
 */
int vswap_lower_fetch(struct vswap *v, u64 slot, unsigned long word, u8 *buf,
		      u8 **obj)
{
	struct vswap_loc loc;
	struct vswap_tier *t;
	u64 pos, start, end;
	int ret;

	vswap_loc_decode(word, &loc);
	t = vswap_tier_get(v, loc.tier);
	pos = (u64)loc.seg * t->seg_size + loc.off;
	start = round_down(pos, t->lbs);
	end = round_up(pos + loc.len, t->lbs);
	if (WARN_ON_ONCE(end - start > VSWAP_LOWER_BUF))
		return -EIO;
	ret = vswap_tier_read(t, start, buf, end - start);
	atomic64_inc(&v->wb_stats.lower_reads);
	if (ret) {
		atomic64_inc(&t->errors);
		atomic64_inc(&v->wb_stats.lower_errors);
		return -EIO;
	}
	if (!vswap_obj_check(t, loc.seg, loc.off, slot, buf + (pos - start),
			     loc.len))
		return -EIO;
	*obj = buf + (pos - start) + VSWAP_OBJ_CSUM_SIZE;
	return 0;
}

