// SPDX-License-Identifier: GPL-2.0
/*
 * vswap tier layer: lower tiers, their attach and detach.
 *
 * A lower tier is a preallocated regular file or a block device that cold
 * pages are written back to.  At attach, a file's blocks are mapped once
 * into extents (through the filesystem's own swap_activate, as swapon does,
 * so fallocated files work; or bmap), the inode is pinned like an active
 * swapfile and its dirty page cache written out; a block device is opened
 * exclusively.  From then on all I/O is bios straight to the block device
 * (vswap_lower_io.c), with no page cache and no filesystem allocation, so
 * writeback cannot recurse into the filesystem under memory pressure.  The
 * tier's segments are vswap_seg.c's.
 *
 * This layer calls nothing above it: the mover (vswap_writeback.c,
 * vswap_move.c) drains a tier before it asks this layer to unpublish and
 * destroy it.
 *
 * Locking: tier_lock (mutex) serializes attach, detach, drain and migrate;
 * readers look tiers up under RCU, or under wb.lock, which the mover holds
 * when it unpublishes one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "vswap.h"
#include "vswap_compat.h"

#include "vswap_tier.h"

/* ---------------------------------------------------------------------------
 * Tier lookup
 */

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
 * Open @path for @t.  It is looked at first through an O_PATH handle, which
 * opens nothing: a block device is then opened by number with the strictest
 * open the kernel has (a writable open of it first would itself count as
 * the other writer BLK_OPEN_RESTRICT_WRITES refuses), and a regular file
 * for reading and writing.  What was opened is checked again: the path may
 * have changed in between.
 */
static int vswap_tier_open(struct vswap_tier *t, const char *path)
{
	struct file *probe;
	umode_t mode;
	dev_t dev;

	probe = filp_open(path, O_PATH, 0);
	if (IS_ERR(probe))
		return PTR_ERR(probe);
	mode = file_inode(probe)->i_mode;
	dev = file_inode(probe)->i_rdev;
	filp_close(probe, NULL);
	if (S_ISDIR(mode))
		return -EISDIR;
	if (!S_ISBLK(mode)) {
		t->file = filp_open(path, O_RDWR | O_LARGEFILE, 0);
		if (IS_ERR(t->file))
			return PTR_ERR(t->file);
		return S_ISBLK(file_inode(t->file)->i_mode) ? -EBUSY : 0;
	}
	/* Checked on the node: an exclusive open would claim us. */
	if (dev == disk_devt(t->v->disk)) {
		pr_warn("lower tier %s: that is %s itself: refused\n", path,
			t->v->disk->disk_name);
		return -EINVAL;
	}
	t->file = vswap_bdev_open_excl(dev, path, t);
	return PTR_ERR_OR_ZERO(t->file);
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

/* RAM of @t's segment table, free map and discard map. */
static u64 vswap_tier_table_bytes(struct vswap_tier *t)
{
	return (u64)t->nr_segs * sizeof(*t->segs) +
	       2 * BITS_TO_LONGS(t->nr_segs) * sizeof(long);
}

static void vswap_tier_free(struct vswap_tier *t)
{
	if (t->segs && t->free_map && t->discard_map)
		atomic64_sub(vswap_tier_table_bytes(t),
			     &t->v->wb_stats.revmap_bytes);
	vfree(t->segs);
	bitmap_free(t->free_map);
	bitmap_free(t->discard_map);
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
	t->discard_map = bitmap_zalloc(t->nr_segs, GFP_KERNEL);
	if (!t->segs || !t->free_map || !t->discard_map)
		return -ENOMEM;
	bitmap_fill(t->free_map, t->nr_segs);
	atomic64_add(vswap_tier_table_bytes(t), &t->v->wb_stats.revmap_bytes);
	t->nr_free = t->nr_segs;
	t->discard = bdev_max_discard_sectors(t->bdev) > 0;
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
 * vswap_tier_attach - open, map and publish a lower tier
 * @v:        the device
 * @path:     a preallocated regular file or a block device
 * @prio:     higher priorities are filled first
 * @seg_size: bytes per segment
 *
 * The caller holds tier_lock and has made the mover ready for a tier.
 *
 * Return: 0, or an errno with nothing changed.
 */
int vswap_tier_attach(struct vswap *v, const char *path, int prio,
		      u32 seg_size)
{
	struct vswap_tier *t;
	unsigned int id;
	int ret;

	lockdep_assert_held(&v->tier_lock);
	ret = vswap_tier_check_path(v, path, &id);
	if (ret)
		return ret;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->v = v;
	t->prio = prio;
	t->id = id;
	t->seg_size = seg_size;
	spin_lock_init(&t->lock);
	INIT_WORK(&t->discard_work, vswap_seg_discard_work);
	t->path = kstrdup(path, GFP_KERNEL);
	if (!t->path) {
		ret = -ENOMEM;
		goto fail;
	}
	/* A block device is made ours alone; files are pinned below. */
	ret = vswap_tier_open(t, path);
	if (ret)
		goto fail;
	ret = vswap_tier_map(v, t);
	if (ret)
		goto fail;
	/* swap_activate may map onto another device than s_bdev (btrfs). */
	ret = vswap_tier_not_on_self(t, t->bdev);
	if (!ret)
		ret = vswap_tier_segments(t);
	if (ret) {
		vswap_tier_unmap(t);
		goto fail;
	}
	t->seq = ++v->tier_seq;
	/*
	 * Generations start anywhere: a lost write on a tier used before (by
	 * an earlier attach of the same file) must not find an old segment
	 * with the same generation and slot.
	 */
	t->next_gen = get_random_u32();
	rcu_assign_pointer(v->tiers[id], t);
	pr_info("lower tier %u: %s, %u segments of %u KiB, priority %d%s\n",
		id, path, t->nr_segs, t->seg_size >> 10, prio,
		t->discard ? ", discards freed segments" : "");
	return 0;

fail:
	vswap_tier_free(t);
	return ret;
}

/**
 * vswap_tier_unpublish - take @t out of the device's tiers
 * @v: the device
 * @t: an emptied tier (nothing live, no pin: vswap_tier_wait_readers())
 *
 * The caller excludes every user that looks tiers up without RCU (the
 * mover's batches, by holding wb.lock) and then frees it with
 * vswap_tier_destroy().
 */
void vswap_tier_unpublish(struct vswap *v, struct vswap_tier *t)
{
	lockdep_assert_held(&v->tier_lock);
	RCU_INIT_POINTER(v->tiers[t->id], NULL);
}

/**
 * vswap_tier_destroy - free an unpublished tier
 * @t: what vswap_tier_unpublish() took out
 *
 * Waits for RCU readers (lower_tiers, the lockless lookups) and for the
 * discard worker to return (it freed the last segments: nothing queues it
 * again), gives the file back to its filesystem and closes it.
 */
void vswap_tier_destroy(struct vswap_tier *t)
{
	synchronize_rcu();
	flush_work(&t->discard_work);
	vswap_tier_unmap(t);
	vswap_tier_free(t);
}

/*
 * Is @t empty, with only pinned segments left to free themselves?  Returns
 * 1 if every segment is free, 0 if some wait for their last reader or for
 * their discard, or
 * -EAGAIN if one still holds data: a slot freed or rewritten just before
 * the drain passed, whose release has not yet reached the segment (it is
 * cleared under the cluster lock and released after), or data its summary
 * does not name (corruption that passed its checks, or a bug).
 */
static int vswap_tier_drained(struct vswap_tier *t)
{
	int ret = 1;
	u32 i;

	if (READ_ONCE(t->nr_free) == t->nr_segs)
		return 1;
	for (i = 0; i < t->nr_segs; i++) {
		switch (READ_ONCE(t->segs[i].state)) {
		case VSWAP_SEG_FREE:
			break;
		case VSWAP_SEG_FREEING:
		case VSWAP_SEG_DISCARD:
			ret = 0;
			break;
		default:
			return -EAGAIN;
		}
	}
	return ret;
}

/**
 * vswap_tier_wait_readers - wait for the pins and discards on an emptied tier
 * @t: a tier with nothing live left on it
 *
 * The reads that pinned a segment before its objects moved: a lower read
 * each, so short; and the discards of its freed segments (a segment is
 * free only once discarded).  The wait is interruptible: a stuck device (or
 * a bug) costs the writer of lower_remove a signal, never a task in D state.
 *
 * Return: 0; -EINTR on a signal; -EAGAIN if a segment still holds data
 * after a second (see vswap_tier_drained(): the caller drains again).
 */
int vswap_tier_wait_readers(struct vswap_tier *t)
{
	unsigned int held = 0;
	int ret;

	for (;;) {
		ret = vswap_tier_drained(t);
		if (ret > 0)
			return 0;
		if (ret == -EAGAIN && ++held > 50)
			return -EAGAIN;
		if (signal_pending(current))
			return -EINTR;
		msleep_interruptible(20);
	}
}

/**
 * vswap_tier_find - the tier attached as @path
 * @v:    the device; tier_lock held
 * @path: as given to lower_add
 *
 * Return: the tier, or NULL.
 */
struct vswap_tier *vswap_tier_find(struct vswap *v, const char *path)
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

/**
 * vswap_tier_layer_init - the tier layer's share of a new device
 * @v: the device
 */
int vswap_tier_layer_init(struct vswap *v)
{
	mutex_init(&v->tier_lock);
	WRITE_ONCE(v->lower_discard, true);
	/*
	 * Lower reads for loads (vswap_tier_read()) get a queue of their own:
	 * a load waits for its read, and the writeback worker may be waiting
	 * for that load's stream or pool; on a shared WQ_MEM_RECLAIM queue
	 * the rescuer could run the read only after the worker.
	 */
	v->lower_wq = alloc_workqueue(VSWAP_NAME "_rd",
				      WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	/*
	 * Discards of freed segments: WQ_MEM_RECLAIM because writeback, which
	 * runs in reclaim, waits for them when it finds no free segment
	 * (vswap_seg_open()).
	 */
	v->discard_wq = alloc_workqueue(VSWAP_NAME "_discard",
					WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return v->lower_wq && v->discard_wq ? 0 : -ENOMEM;
}

void vswap_tier_layer_exit(struct vswap *v)
{
	if (v->discard_wq)
		destroy_workqueue(v->discard_wq);
	v->discard_wq = NULL;
	if (v->lower_wq)
		destroy_workqueue(v->lower_wq);
	v->lower_wq = NULL;
}

/* Device teardown: nothing points to any tier any more, nothing reads one. */
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
		/* Every slot is gone, so is every reader; discards finish. */
		flush_work(&t->discard_work);
		WARN_ON_ONCE(READ_ONCE(t->nr_free) != t->nr_segs);
		vswap_tier_unpublish(v, t);
		vswap_tier_destroy(t);
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
				    (u64)vswap_tier_used_segs(t) * t->seg_size,
				    (s64)atomic64_read(&t->written),
				    (s64)atomic64_read(&t->reads),
				    (s64)atomic64_read(&t->errors),
				    vswap_tier_states[READ_ONCE(t->state)],
				    (s64)atomic64_read(&t->csum_errors));
	}
	rcu_read_unlock();
	return sz;
}
