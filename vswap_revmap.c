// SPDX-License-Identifier: GPL-2.0
/*
 * vswap lower tiers and the reverse map.
 *
 * A lower tier is a preallocated regular file or a block device that cold
 * pages are written back to.  At attach, a file's blocks are mapped once
 * into extents (through the filesystem's own swap_activate, as swapon does,
 * so fallocated files work; or bmap) and the inode is pinned like an active
 * swapfile; from then on all I/O is bios straight to the block device, with
 * no page cache and no filesystem allocation, so writeback cannot recurse
 * into the filesystem under memory pressure.
 *
 * A tier is cut into segments.  Writeback fills one segment at a time with
 * compressed objects packed back to back and writes it sequentially; space
 * is taken only then, never while a page is in memory.  Each segment ends
 * with its part of the reverse map, a summary naming the slot of every
 * object written to it, so the map costs no RAM per page: compaction and
 * drain read a segment whole anyway, and find its objects' slots in it.  A
 * slot whose word no longer points into the segment makes its entry stale,
 * so the map never needs updating on the hot path; compaction and drain keep
 * what is still live, without walking page tables.
 *
 * Locking: tier_lock (mutex) serializes attach and detach; a tier's
 * spinlock covers its segment table and is taken from the swap core's
 * atomic slot-free path, never with a cluster lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/crc32c.h>
#include <linux/delay.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "vswap.h"
#include "vswap_compat.h"

/* ---------------------------------------------------------------------------
 * Tier lookup
 */

/*
 * The tier a slot word names.  Only for callers that hold something keeping
 * it attached: a slot pointing into it (cluster lock), a pinned segment, or
 * a live object being released.
 */
static struct vswap_tier *vswap_tier_get(struct vswap *v, unsigned int id)
{
	return rcu_dereference_check(v->tiers[id], true);
}

bool vswap_has_tiers(struct vswap *v)
{
	unsigned int id;

	for (id = 0; id < VSWAP_MAX_TIERS; id++)
		if (rcu_access_pointer(v->tiers[id]))
			return true;
	return false;
}

/**
 * vswap_tiers_writable - can writeback make progress at all?
 * @v: the device
 *
 * True if an active tier is attached (it may be full: writeback then
 * compacts).  Lockless: an answer for deciding whether to wait.
 */
bool vswap_tiers_writable(struct vswap *v)
{
	struct vswap_tier *t;
	unsigned int id;
	bool ret = false;

	rcu_read_lock();
	for (id = 0; id < VSWAP_MAX_TIERS && !ret; id++) {
		t = rcu_dereference(v->tiers[id]);
		ret = t && READ_ONCE(t->state) == VSWAP_TIER_ACTIVE;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * vswap_tier_best - the active tier with free space and the highest priority
 * @v: the device
 *
 * Caller holds wb.lock, which keeps tiers from being detached.
 */
struct vswap_tier *vswap_tier_best(struct vswap *v)
{
	struct vswap_tier *t, *best = NULL;
	unsigned int id;

	lockdep_assert_held(&v->wb.lock);
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference_protected(v->tiers[id],
					      lockdep_is_held(&v->wb.lock));
		if (!t || READ_ONCE(t->state) != VSWAP_TIER_ACTIVE ||
		    !READ_ONCE(t->nr_free))
			continue;
		if (!best || t->prio > best->prio)
			best = t;
	}
	return best;
}

/* ---------------------------------------------------------------------------
 * Segments and the reverse map
 */

/**
 * vswap_seg_open - take a free segment for writing
 * @t:   the tier
 * @seg: receives the segment number
 * @gen: receives its write generation (see struct vswap_seg)
 *
 * Free segments are found in @t->free_map, starting at the rotor, so that
 * the tier is written round-robin: atomic frees take the same lock, and a
 * scan of the segment table would hold it for a whole tier.
 *
 * Return: 0 or -ENOSPC.
 */
int vswap_seg_open(struct vswap_tier *t, u32 *seg, u32 *gen)
{
	unsigned long i;

	spin_lock(&t->lock);
	i = find_next_bit(t->free_map, t->nr_segs, t->rotor);
	if (i >= t->nr_segs)
		i = find_first_bit(t->free_map, t->nr_segs);
	if (i >= t->nr_segs) {
		spin_unlock(&t->lock);
		return -ENOSPC;
	}
	__clear_bit(i, t->free_map);
	t->segs[i].state = VSWAP_SEG_OPEN;
	t->segs[i].gen = t->next_gen++;
	t->nr_free--;
	t->rotor = i + 1;
	*gen = t->segs[i].gen;
	spin_unlock(&t->lock);
	*seg = i;
	return 0;
}

/* A segment with nothing live and no reader becomes free again. */
static void vswap_seg_release(struct vswap_tier *t, struct vswap_seg *s)
{
	struct vswap_wb_stats *st = &t->v->wb_stats;

	lockdep_assert_held(&t->lock);
	if (atomic_read(&s->pins)) {
		s->state = VSWAP_SEG_FREEING;
		return;
	}
	s->nr_objs = 0;
	s->map_off = 0;
	s->used_bytes = 0;
	s->live_bytes = 0;
	s->state = VSWAP_SEG_FREE;
	__set_bit(s - t->segs, t->free_map);
	t->nr_free++;
	atomic64_inc(&st->seg_freed);
}

/**
 * vswap_seg_close - end a writeback batch into a segment
 * @t:       the tier
 * @seg:     the segment from vswap_seg_open()
 * @used:    bytes written (0: the batch failed, free the segment)
 * @live:    bytes of objects committed to slots
 * @map_off: where the segment's summary starts
 * @nr_objs: entries in the summary
 *
 * Slots freed since their commit have already taken their bytes off @live
 * through vswap_lower_release(), which saw the segment open.
 */
void vswap_seg_close(struct vswap_tier *t, u32 seg, u32 used, u32 live,
		     u32 map_off, u32 nr_objs)
{
	struct vswap_seg *s = &t->segs[seg];

	spin_lock(&t->lock);
	s->used_bytes = used;
	s->live_bytes += live;
	s->map_off = map_off;
	s->nr_objs = nr_objs;
	s->state = VSWAP_SEG_FULL;
	if (!s->live_bytes)
		vswap_seg_release(t, s);
	spin_unlock(&t->lock);
}

/**
 * vswap_lower_release - a slot stops pointing to its lower object
 * @v:    the device
 * @word: the slot's VSWAP_LOWER word
 *
 * Safe in atomic context.  Frees the segment once nothing in it is live.
 */
void vswap_lower_release(struct vswap *v, unsigned long word)
{
	struct vswap_loc loc;
	struct vswap_tier *t;
	struct vswap_seg *s;

	vswap_loc_decode(word, &loc);
	t = vswap_tier_get(v, loc.tier);
	if (WARN_ON_ONCE(!t || loc.seg >= t->nr_segs))
		return;
	s = &t->segs[loc.seg];
	spin_lock(&t->lock);
	/* An open segment is accounted at close: the byte count may dip. */
	s->live_bytes -= loc.len;
	if (!s->live_bytes && s->state == VSWAP_SEG_FULL)
		vswap_seg_release(t, s);
	spin_unlock(&t->lock);
	atomic64_dec(&v->wb_stats.lower_pages);
}

/**
 * vswap_lower_pin - keep a slot's segment from being reused while it is read
 * @v:    the device
 * @word: the slot's VSWAP_LOWER word, read under the cluster lock
 *
 * Called under the cluster lock: the slot still points into the segment, so
 * the segment is live and its tier attached.
 */
int vswap_lower_pin(struct vswap *v, unsigned long word)
{
	struct vswap_loc loc;
	struct vswap_tier *t;

	vswap_loc_decode(word, &loc);
	t = vswap_tier_get(v, loc.tier);
	if (WARN_ON_ONCE(!t || loc.seg >= t->nr_segs))
		return -EIO;
	atomic_inc(&t->segs[loc.seg].pins);
	return 0;
}

/**
 * vswap_seg_unpin - drop a pin; the last one releases a FREEING segment
 * @t:   the tier
 * @seg: the segment
 *
 * The last pin checks the state under t->lock, never before it: a release
 * may have read the pin count under the lock and not yet marked the segment
 * FREEING, and a segment left FREEING with no pin would never be freed
 * (lower_remove would wait for it forever).
 */
void vswap_seg_unpin(struct vswap_tier *t, u32 seg)
{
	struct vswap_seg *s = &t->segs[seg];

	if (!atomic_dec_and_test(&s->pins))
		return;
	spin_lock(&t->lock);
	if (s->state == VSWAP_SEG_FREEING && !atomic_read(&s->pins))
		vswap_seg_release(t, s);
	spin_unlock(&t->lock);
}

void vswap_lower_unpin(struct vswap *v, unsigned long word)
{
	struct vswap_loc loc;

	vswap_loc_decode(word, &loc);
	vswap_seg_unpin(vswap_tier_get(v, loc.tier), loc.seg);
}

/* ---------------------------------------------------------------------------
 * Checksums: every object on a tier is led by one
 */

/**
 * vswap_obj_csum - the checksum an object is written with
 * @slot: the virtual slot it belongs to
 * @gen:  the write generation of the segment it is written to
 * @obj:  the object (pool header and data, or a raw page)
 * @len:  its length
 *
 * crc32c over the slot, the generation and the object: besides bit rot and
 * torn writes it catches a device that returns another place's data (a
 * misdirected write: another slot) or an earlier use of this place (a lost
 * write: another generation).
 */
u32 vswap_obj_csum(u64 slot, u32 gen, const u8 *obj, u32 len)
{
	__le32 key[2] = { cpu_to_le32((u32)slot), cpu_to_le32(gen) };

	return crc32c(crc32c(~0U, key, sizeof(key)), obj, len);
}

/**
 * vswap_tier_csum_error - count data read from @t that does not check out
 * @t:   the tier
 * @seg: segment
 * @off: offset in it (of an object, or of the segment's summary)
 *
 * Data from a device is never a WARN: counted, logged (rate limited), and
 * the caller fails with -EIO.
 */
void vswap_tier_csum_error(struct vswap_tier *t, u32 seg, u32 off)
{
	atomic64_inc(&t->errors);
	atomic64_inc(&t->csum_errors);
	atomic64_inc(&t->v->wb_stats.lower_errors);
	atomic64_inc(&t->v->wb_stats.lower_csum_errors);
	pr_err_ratelimited("lower tier %s: segment %u offset %u does not check out: I/O error\n",
			   t->path, seg, off);
}

/**
 * vswap_obj_check - verify an object read back from a tier
 * @t:    the tier
 * @seg:  its segment, pinned or under wb.lock (its generation is stable)
 * @off:  where it starts in the segment (its checksum)
 * @slot: the slot that points to it
 * @obj:  what was read at @off: the checksum, then the object
 * @len:  bytes at @obj, checksum included
 *
 * Return: true if it is what was written there for @slot; otherwise the
 * mismatch is counted and the caller fails with -EIO.
 */
bool vswap_obj_check(struct vswap_tier *t, u32 seg, u32 off, u64 slot,
		     const u8 *obj, u32 len)
{
	u32 gen = READ_ONCE(t->segs[seg].gen);

	if (len > VSWAP_OBJ_CSUM_SIZE &&
	    get_unaligned_le32(obj) == vswap_obj_csum(slot, gen,
						      obj + VSWAP_OBJ_CSUM_SIZE,
						      len - VSWAP_OBJ_CSUM_SIZE))
		return true;
	vswap_tier_csum_error(t, seg, off);
	return false;
}

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
	queue_work(t->v->wb.read_wq, &w.work);
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

/* A write failed: keep the tier for reads, write no more to it. */
void vswap_tier_fail(struct vswap_tier *t)
{
	atomic64_inc(&t->errors);
	atomic64_inc(&t->v->wb_stats.lower_errors);
	if (cmpxchg(&t->state, VSWAP_TIER_ACTIVE, VSWAP_TIER_FAILING) ==
	    VSWAP_TIER_ACTIVE)
		pr_warn("lower tier %s: write error, no more writeback to it\n",
			t->path);
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

/* ---------------------------------------------------------------------------
 * Attach: map the file, pin it, build the segment table
 */

static int vswap_tier_add_extent(struct vswap_tier *t, pgoff_t page,
				 pgoff_t nr, sector_t sector, unsigned int *cap)
{
	struct vswap_extent *e;

	if (t->nr_extents) {
		e = &t->extents[t->nr_extents - 1];
		if (e->start_page + e->nr_pages == page &&
		    e->start_sector + (e->nr_pages << (PAGE_SHIFT - SECTOR_SHIFT)) ==
		    sector) {
			e->nr_pages += nr;
			return 0;
		}
	}
	if (t->nr_extents == *cap) {
		*cap = max(16U, *cap * 2);
		e = krealloc_array(t->extents, *cap, sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		t->extents = e;
	}
	t->extents[t->nr_extents++] = (struct vswap_extent) {
		.start_page = page, .nr_pages = nr, .start_sector = sector,
	};
	return 0;
}

/*
 * Map through the filesystem's swap_activate (ext4, xfs, btrfs...): it
 * accepts fallocated (unwritten) extents, refuses holes, and reports the
 * extents the way swapon sees them.  The swap_info_struct is a scratch one,
 * never registered with the swap core.
 */
static int vswap_map_activate(struct vswap_tier *t, struct inode *inode)
{
	const struct address_space_operations *aops = t->file->f_mapping->a_ops;
	struct swap_info_struct *sis;
	struct swap_extent *se;
	struct rb_node *node;
	unsigned int cap = 0;
	sector_t span;
	int ret;

	sis = kzalloc(sizeof(*sis), GFP_KERNEL);
	if (!sis)
		return -ENOMEM;
	sis->bdev = inode->i_sb->s_bdev;
	sis->swap_extent_root = RB_ROOT;
	sis->max = min_t(u64, i_size_read(inode) >> PAGE_SHIFT, UINT_MAX);
	ret = aops->swap_activate(sis, t->file, &span);
	if (ret >= 0) {
		t->activated = true;
		/* NFS and the like do their own I/O: no block map for us. */
		ret = vswap_swap_fs_ops(sis) || !sis->bdev ? -EINVAL : 0;
		t->bdev = sis->bdev;
	}
	while ((node = rb_first(&sis->swap_extent_root))) {
		se = rb_entry(node, struct swap_extent, rb_node);
		if (!ret)
			ret = vswap_tier_add_extent(t, se->start_page, se->nr_pages,
						    se->start_block <<
						    (PAGE_SHIFT - SECTOR_SHIFT), &cap);
		rb_erase(node, &sis->swap_extent_root);
		kfree(se);
	}
	kfree(sis);
	return ret;
}

/* Map with bmap: every block of every page present and page-contiguous. */
static int vswap_map_bmap(struct vswap_tier *t, struct inode *inode)
{
	unsigned int blkbits = inode->i_blkbits, per_page = PAGE_SIZE >> blkbits;
	pgoff_t page, pages = i_size_read(inode) >> PAGE_SHIFT;
	unsigned int cap = 0, i;
	sector_t first, block;
	int ret;

	if (!t->file->f_mapping->a_ops->bmap || blkbits > PAGE_SHIFT)
		return -EINVAL;
	t->bdev = inode->i_sb->s_bdev;
	for (page = 0; page < pages; page++) {
		for (i = 0; i < per_page; i++) {
			block = (sector_t)page * per_page + i;
			ret = bmap(inode, &block);
			if (ret || !block)
				return -EINVAL;	/* a hole */
			if (!i)
				first = block;
			else if (block != first + i)
				return -EINVAL;	/* page not contiguous */
		}
		if (first & (per_page - 1))
			return -EINVAL;		/* page not aligned */
		ret = vswap_tier_add_extent(t, page, 1,
					    first << (blkbits - SECTOR_SHIFT), &cap);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int vswap_tier_map_file(struct vswap_tier *t, struct inode *inode)
{
	int ret;

	inode_lock(inode);
	if (IS_SWAPFILE(inode)) {
		ret = -EBUSY;	/* swap, or another tier */
		goto out;
	}
	if (t->file->f_mapping->a_ops->swap_activate)
		ret = vswap_map_activate(t, inode);
	else
		ret = vswap_map_bmap(t, inode);
	if (!ret) {
		/*
		 * As swapon: pin the file, then drain what is in flight or
		 * dirty in its page cache, which would otherwise be written
		 * later over segments we wrote (bmap maps without flushing).
		 */
		inode->i_flags |= S_SWAPFILE;
		ret = inode_drain_writes(inode);
		if (ret)
			inode->i_flags &= ~S_SWAPFILE;
	}
	if (ret && t->activated && t->file->f_mapping->a_ops->swap_deactivate)
		t->file->f_mapping->a_ops->swap_deactivate(t->file);
out:
	inode_unlock(inode);
	return ret;
}

/*
 * Is @bdev vswap's disk, or a disk stacked directly on it?  dm, md and
 * bcache record what they stack on with bd_link_disk_holder(), which puts
 * a link named after the upper disk in the lower device's holders/
 * directory: look for the upper disk's name in vswap's.
 */
static bool vswap_bdev_is_self(struct vswap *v, struct block_device *bdev)
{
	struct kobject *holders = v->disk->part0->bd_holder_dir;
	struct kernfs_node *kn;

	if (!bdev)
		return false;
	if (bdev->bd_disk == v->disk)
		return true;
	if (!holders || !holders->sd)
		return false;
	kn = kernfs_find_and_get(holders->sd,
				 dev_name(disk_to_dev(bdev->bd_disk)));
	kernfs_put(kn);
	return kn;
}

/* Refuse a tier that would store vswap's pages on vswap. */
static int vswap_tier_not_on_self(struct vswap_tier *t,
				  struct block_device *bdev)
{
	if (!vswap_bdev_is_self(t->v, bdev))
		return 0;
	pr_warn("lower tier %s: %s is %s or stacked on it: refused\n",
		t->path, bdev->bd_disk->disk_name, t->v->disk->disk_name);
	return -EINVAL;
}

/*
 * A regular file tier holds swapped data and is written behind its
 * filesystem: like a swapfile it must be private to its owner, and that
 * owner must be the caller.  Block devices are exempt from the mode check:
 * their nodes are 0660 root:disk by convention, and the exclusive open
 * keeps others off.
 */
static int vswap_tier_check_file(struct vswap_tier *t, struct inode *inode)
{
	if (inode->i_mode & 0077) {
		pr_warn("lower tier %s: mode %04o gives access to others: run chmod 600 %s\n",
			t->path, inode->i_mode & 07777, t->path);
		return -EACCES;
	}
	if (!uid_eq(inode->i_uid, current_fsuid())) {
		pr_warn("lower tier %s: owned by uid %u, not by the caller (uid %u): chown it\n",
			t->path, from_kuid_munged(current_user_ns(), inode->i_uid),
			from_kuid_munged(current_user_ns(), current_fsuid()));
		return -EACCES;
	}
	return 0;
}

static int vswap_tier_map(struct vswap *v, struct vswap_tier *t)
{
	struct inode *inode = t->file->f_mapping->host;
	unsigned int cap = 0;
	int ret;

	if (S_ISREG(inode->i_mode)) {
		ret = vswap_tier_check_file(t, inode);
		if (!ret)
			ret = vswap_tier_not_on_self(t, inode->i_sb->s_bdev);
		return ret ?: vswap_tier_map_file(t, inode);
	}
	if (!S_ISBLK(inode->i_mode))
		return -EINVAL;
	t->bdev = vswap_file_bdev(t->file);
	ret = vswap_tier_not_on_self(t, t->bdev);
	if (ret)
		return ret;
	return vswap_tier_add_extent(t, 0, bdev_nr_bytes(t->bdev) >> PAGE_SHIFT,
				     0, &cap);
}

/*
 * Open @path for @t.  Not exclusively at first: a block device is then
 * reopened by number with the strictest open the kernel has.
 */
static int vswap_tier_open(struct vswap_tier *t, const char *path)
{
	struct file *excl;

	t->file = filp_open(path, O_RDWR | O_LARGEFILE, 0);
	if (IS_ERR(t->file))
		return PTR_ERR(t->file);
	if (!S_ISBLK(file_inode(t->file)->i_mode))
		return 0;
	/* Checked on the opened node: an exclusive open would claim us. */
	if (file_inode(t->file)->i_rdev == disk_devt(t->v->disk)) {
		pr_warn("lower tier %s: that is %s itself: refused\n", path,
			t->v->disk->disk_name);
		return -EINVAL;
	}
	excl = vswap_bdev_open_excl(t->file, path, t);
	filp_close(t->file, NULL);
	t->file = excl;
	return PTR_ERR_OR_ZERO(excl);
}

static void vswap_tier_unmap(struct vswap_tier *t)
{
	struct inode *inode = t->file->f_mapping->host;

	if (!S_ISREG(inode->i_mode))
		return;
	inode_lock(inode);
	if (t->activated && t->file->f_mapping->a_ops->swap_deactivate)
		t->file->f_mapping->a_ops->swap_deactivate(t->file);
	inode->i_flags &= ~S_SWAPFILE;
	inode_unlock(inode);
}

/* RAM of @t's segment table and free map. */
static u64 vswap_tier_table_bytes(struct vswap_tier *t)
{
	return (u64)t->nr_segs * sizeof(*t->segs) +
	       BITS_TO_LONGS(t->nr_segs) * sizeof(long);
}

static void vswap_tier_free(struct vswap_tier *t)
{
	if (t->segs && t->free_map)
		atomic64_sub(vswap_tier_table_bytes(t),
			     &t->v->wb_stats.revmap_bytes);
	vfree(t->segs);
	bitmap_free(t->free_map);
	if (!IS_ERR_OR_NULL(t->file))
		filp_close(t->file, NULL);
	kfree(t->extents);
	kfree(t->path);
	kfree(t);
}

/* Size the segment table from the mapped pages. */
static int vswap_tier_segments(struct vswap_tier *t)
{
	u64 pages = 0;
	unsigned int i;

	for (i = 0; i < t->nr_extents; i++)
		pages += t->extents[i].nr_pages;
	/* Extents must be dense from page 0 for segment arithmetic. */
	if (t->nr_extents && t->extents[0].start_page)
		return -EINVAL;
	for (i = 1; i < t->nr_extents; i++)
		if (t->extents[i].start_page !=
		    t->extents[i - 1].start_page + t->extents[i - 1].nr_pages)
			return -EINVAL;
	t->lbs = bdev_logical_block_size(t->bdev);
	if (t->lbs > PAGE_SIZE)
		return -EINVAL;
	t->nr_segs = min_t(u64, (pages << PAGE_SHIFT) / t->seg_size,
			   BIT(VSWAP_LOC_SEG_BITS));
	if (t->nr_segs < 2)
		return -EINVAL;		/* too small */
	t->segs = vzalloc(array_size(t->nr_segs, sizeof(*t->segs)));
	t->free_map = bitmap_zalloc(t->nr_segs, GFP_KERNEL);
	if (!t->segs || !t->free_map)
		return -ENOMEM;
	bitmap_fill(t->free_map, t->nr_segs);
	atomic64_add(vswap_tier_table_bytes(t), &t->v->wb_stats.revmap_bytes);
	t->nr_free = t->nr_segs;
	return 0;
}

/*
 * Refuse /dev/vswap itself before opening it: an exclusive open of the
 * device starts a swap session, whose end would drop every stored page.
 */
static int vswap_tier_not_self(struct vswap *v, const char *path)
{
	struct path p;
	int ret;

	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	if (S_ISBLK(d_inode(p.dentry)->i_mode) &&
	    d_inode(p.dentry)->i_rdev == disk_devt(v->disk))
		ret = -EINVAL;
	path_put(&p);
	return ret;
}

static int vswap_tier_check_path(struct vswap *v, const char *path,
				 unsigned int *id)
{
	struct vswap_tier *t;
	unsigned int i;
	int ret;

	ret = vswap_tier_not_self(v, path);
	if (ret)
		return ret;

	*id = VSWAP_MAX_TIERS;
	for (i = 0; i < VSWAP_MAX_TIERS; i++) {
		t = rcu_dereference_protected(v->tiers[i],
					      lockdep_is_held(&v->tier_lock));
		if (t && !strcmp(t->path, path))
			return -EBUSY;
		if (!t && *id == VSWAP_MAX_TIERS)
			*id = i;
	}
	return *id == VSWAP_MAX_TIERS ? -ENOSPC : 0;
}

/**
 * vswap_tier_attach - add a lower tier
 * @v:    the device
 * @path: a preallocated regular file or a block device
 * @prio: higher priorities are filled first
 *
 * Return: 0, or an errno with nothing changed.
 */
int vswap_tier_attach(struct vswap *v, const char *path, int prio)
{
	struct vswap_tier *t;
	unsigned int id;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->v = v;
	t->prio = prio;
	spin_lock_init(&t->lock);
	t->path = kstrdup(path, GFP_KERNEL);
	if (!t->path) {
		ret = -ENOMEM;
		goto fail;
	}

	mutex_lock(&v->tier_lock);
	ret = vswap_tier_check_path(v, path, &id);
	if (ret)
		goto unlock;
	/* Under tier_lock: segment_size cannot change until we publish. */
	ret = vswap_wb_buffers(v);
	if (ret)
		goto unlock;
	t->id = id;
	t->seq = ++v->tier_seq;
	t->seg_size = READ_ONCE(v->wb.seg_size);
	/* A block device is made ours alone; files are pinned below. */
	ret = vswap_tier_open(t, path);
	if (ret)
		goto unlock;
	ret = vswap_tier_map(v, t);
	if (ret)
		goto unlock;
	/* swap_activate may map onto another device than s_bdev (btrfs). */
	ret = vswap_tier_not_on_self(t, t->bdev);
	if (!ret)
		ret = vswap_tier_segments(t);
	if (ret) {
		vswap_tier_unmap(t);
		goto unlock;
	}
	rcu_assign_pointer(v->tiers[id], t);
	mutex_unlock(&v->tier_lock);
	pr_info("lower tier %u: %s, %u segments of %u KiB, priority %d\n",
		id, path, t->nr_segs, t->seg_size >> 10, prio);
	return 0;

unlock:
	vswap_wb_lock(&v->wb);
	vswap_wb_buffers_put(v);
	vswap_wb_unlock(&v->wb);
	mutex_unlock(&v->tier_lock);
fail:
	vswap_tier_free(t);
	return ret;
}

/* Unpublish @t and free it: no slot points to it, nothing reads it. */
static void vswap_tier_release(struct vswap *v, struct vswap_tier *t)
{
	lockdep_assert_held(&v->tier_lock);
	/* Writeback looks tiers up under wb.lock. */
	vswap_wb_lock(&v->wb);
	RCU_INIT_POINTER(v->tiers[t->id], NULL);
	vswap_wb_buffers_put(v);
	vswap_wb_unlock(&v->wb);
	synchronize_rcu();
	vswap_tier_unmap(t);
	vswap_tier_free(t);
}

/*
 * Wait for the reads that pinned a segment of drained @t before the drain
 * moved their objects: a lower read each, so short.  Killable, so that a
 * stuck device (or a bug) costs the writer of lower_remove a signal, not
 * a process in D state for good.
 */
static int vswap_tier_wait_readers(struct vswap_tier *t)
{
	while (READ_ONCE(t->nr_free) != t->nr_segs) {
		if (fatal_signal_pending(current))
			return -EINTR;
		msleep(20);
	}
	return 0;
}

/* Free a drained tier once its last readers are gone. */
static int vswap_tier_remove(struct vswap *v, struct vswap_tier *t)
{
	lockdep_assert_held(&v->tier_lock);
	if (vswap_tier_wait_readers(t))
		return -EINTR;
	pr_info("lower tier %u: %s detached\n", t->id, t->path);
	vswap_tier_release(v, t);
	return 0;
}

/* The tier attached as @path, or NULL. */
static struct vswap_tier *vswap_tier_find(struct vswap *v, const char *path)
{
	struct vswap_tier *t;
	unsigned int id;

	lockdep_assert_held(&v->tier_lock);
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference_protected(v->tiers[id],
					      lockdep_is_held(&v->tier_lock));
		if (t && !strcmp(t->path, path))
			return t;
	}
	return NULL;
}

/*
 * Move everything off @t, which takes no writeback meanwhile; into memory
 * too if @memory_ok.  On failure @t gets its state back, and every object
 * is readable where it is or where it moved.
 */
static int vswap_tier_empty(struct vswap *v, struct vswap_tier *t,
			    bool memory_ok)
{
	int state, ret;

	lockdep_assert_held(&v->tier_lock);
	state = xchg(&t->state, VSWAP_TIER_DRAINING);
	ret = vswap_tier_drain(v, t, memory_ok);
	if (ret || !memory_ok)
		WRITE_ONCE(t->state, state);
	return ret;
}

/**
 * vswap_tier_detach - drain a tier and remove it
 * @v:    the device
 * @path: the path it was attached with
 *
 * Live objects move to another tier or back into memory.
 *
 * Return: 0; -ENOENT if @path is no tier; another errno if its data could
 * not be moved (then the tier stays attached and nothing is lost); -EINTR
 * if killed while reads were still in flight (the tier stays attached,
 * empty and draining, and a second lower_remove finishes the job).
 */
int vswap_tier_detach(struct vswap *v, const char *path)
{
	struct vswap_tier *t;
	int ret = -ENOENT;

	mutex_lock(&v->tier_lock);
	t = vswap_tier_find(v, path);
	if (t)
		ret = vswap_tier_empty(v, t, true);
	if (t && !ret)
		ret = vswap_tier_remove(v, t);
	mutex_unlock(&v->tier_lock);
	return ret;
}

/**
 * vswap_tier_migrate - move a tier's data to the other tiers
 * @v:    the device
 * @path: the path it was attached with
 *
 * Live objects move, through the reverse map, to the other tiers by
 * priority (never into memory); the tier stays attached, in the state it
 * was.  For rebalancing onto a new tier, or emptying one before it is
 * replaced, without touching memory.
 *
 * Return: 0; -ENOENT if @path is no tier; -ENOSPC if the other tiers
 * cannot take it all (what moved stays moved; the rest stays where it is).
 */
int vswap_tier_migrate(struct vswap *v, const char *path)
{
	struct vswap_tier *t;
	int ret = -ENOENT;

	mutex_lock(&v->tier_lock);
	t = vswap_tier_find(v, path);
	if (t)
		ret = vswap_tier_empty(v, t, false);
	mutex_unlock(&v->tier_lock);
	return ret;
}

/* Device teardown: nothing points to any tier any more. */
void vswap_tiers_destroy(struct vswap *v)
{
	struct vswap_tier *t;
	unsigned int id;

	mutex_lock(&v->tier_lock);
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference_protected(v->tiers[id],
					      lockdep_is_held(&v->tier_lock));
		if (!t)
			continue;
		/* Every slot is gone, so is every reader. */
		WARN_ON_ONCE(READ_ONCE(t->nr_free) != t->nr_segs);
		vswap_tier_release(v, t);
	}
	mutex_unlock(&v->tier_lock);
}

static const char * const vswap_tier_states[] = {
	[VSWAP_TIER_ACTIVE]	= "active",
	[VSWAP_TIER_FAILING]	= "failing",
	[VSWAP_TIER_DRAINING]	= "draining",
};

ssize_t vswap_tiers_show(struct vswap *v, char *buf)
{
	struct vswap_tier *t;
	unsigned int id;
	ssize_t sz;

	sz = sysfs_emit(buf, "id path priority size used written reads errors state csum_errors\n");
	/* Not tier_lock: a drain holds it for as long as it runs. */
	rcu_read_lock();
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference(v->tiers[id]);
		if (!t)
			continue;
		sz += sysfs_emit_at(buf, sz, "%u %s %d %llu %llu %lld %lld %lld %s %lld\n",
				    t->id, t->path, t->prio,
				    (u64)t->nr_segs * t->seg_size,
				    (u64)(t->nr_segs - READ_ONCE(t->nr_free)) *
				    t->seg_size,
				    (s64)atomic64_read(&t->written),
				    (s64)atomic64_read(&t->reads),
				    (s64)atomic64_read(&t->errors),
				    vswap_tier_states[READ_ONCE(t->state)],
				    (s64)atomic64_read(&t->csum_errors));
	}
	rcu_read_unlock();
	return sz;
}
