/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap - the one place where kernel versions differ.
 *
 * Every version test of the module lives here and is turned into a feature
 * name (VSWAP_HAVE_*); the rest of the module is written against those
 * names or against the helpers below, which are shaped like the newest API
 * so the core code reads like upstream.  Supported: Debian's 6.1, 6.12 and
 * the newest Debian kernel (7.3).
 */
#ifndef _VSWAP_COMPAT_H_
#define _VSWAP_COMPAT_H_

#include <linux/blkdev.h>
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/swap.h>
#include <linux/version.h>
#include <linux/zsmalloc.h>

/*
 * The single version test.  checkpatch warns about LINUX_VERSION_CODE, which
 * upstream code never needs; an out-of-tree module built for several kernels
 * does, and confines it to this one macro.
 */
#define VSWAP_KERNEL_AT_LEAST(a, b, c) (LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, c))

/* 6.12 moved the unaligned accessors (get_unaligned_le32...) to linux/. */
#if VSWAP_KERNEL_AT_LEAST(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.1: the swap core treats a device as synchronous only when it has
 * ->rw_page; queue limits are set by helper calls after the disk exists.
 * 6.9+: ->rw_page is gone and limits (with BLK_FEAT_* feature bits since
 * 6.11) are passed to blk_alloc_disk().
 */
#if !VSWAP_KERNEL_AT_LEAST(6, 3, 0)
#define VSWAP_HAVE_RW_PAGE
#endif
#if VSWAP_KERNEL_AT_LEAST(6, 11, 0)
#define VSWAP_HAVE_QUEUE_FEATURES
#endif

/* 6.5+: ->open takes the gendisk and blk_mode_t; ->release loses the mode. */
#if VSWAP_KERNEL_AT_LEAST(6, 5, 0)
#define VSWAP_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define VSWAP_OPEN_DISK		disk
#define VSWAP_OPEN_EXCL(mode)	((mode) & BLK_OPEN_EXCL)
#define VSWAP_RELEASE_ARGS	struct gendisk *disk
#else
#define VSWAP_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define VSWAP_OPEN_DISK		bdev->bd_disk
#define VSWAP_OPEN_EXCL(mode)	((mode) & FMODE_EXCL)
#define VSWAP_RELEASE_ARGS	struct gendisk *disk, fmode_t mode
#endif

/*
 * Allocate a gendisk with the limits of a page-granular, synchronous,
 * stable-page RAM device that accepts discard and write-zeroes.
 */
static inline struct gendisk *vswap_alloc_disk(void)
{
#ifdef VSWAP_HAVE_QUEUE_FEATURES
	struct queue_limits lim = {
		.logical_block_size	= PAGE_SIZE,
		.physical_block_size	= PAGE_SIZE,
		.io_min			= PAGE_SIZE,
		.io_opt			= PAGE_SIZE,
		.max_hw_discard_sectors	= UINT_MAX,
		.discard_granularity	= PAGE_SIZE,
		.max_write_zeroes_sectors = UINT_MAX,
		.features		= BLK_FEAT_SYNCHRONOUS |
					  BLK_FEAT_STABLE_WRITES,
	};

	return blk_alloc_disk(&lim, NUMA_NO_NODE);
#else
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);
	struct request_queue *q;

	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
	blk_queue_logical_block_size(q, PAGE_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_io_min(q, PAGE_SIZE);
	blk_queue_io_opt(q, PAGE_SIZE);
	blk_queue_max_discard_sectors(q, UINT_MAX);
	q->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	return disk;
#endif
}

/* 6.9+: an opened block device is a file; file_bdev() gets it back. */
static inline struct block_device *vswap_file_bdev(struct file *file)
{
#if VSWAP_KERNEL_AT_LEAST(6, 9, 0)
	return file_bdev(file);
#else
	return I_BDEV(file->f_mapping->host);
#endif
}

/*
 * Did a filesystem's swap_activate ask to do the I/O itself (NFS) instead
 * of giving block extents?  7.x says so with sis->ops (swap_fs_activate()),
 * older kernels with SWP_FS_OPS.
 */
static inline bool vswap_swap_fs_ops(const struct swap_info_struct *sis)
{
#if VSWAP_KERNEL_AT_LEAST(7, 0, 0)
	return sis->ops;
#else
	return sis->flags & SWP_FS_OPS;
#endif
}

/*
 * zsmalloc.  Up to 6.16 objects are mapped with zs_map_object(); later
 * kernels copy in and out with zs_obj_write() and zs_obj_read_begin()/_end(),
 * and zs_malloc() takes a NUMA node (6.18).  The cutoffs between the
 * supported kernels (6.1, 6.12, 7.3) are from the kernel history; only those
 * three are built and tested.  Neither API may sleep while an object is open.
 */
#if VSWAP_KERNEL_AT_LEAST(6, 17, 0)
#define VSWAP_HAVE_ZS_OBJ_API
#endif
#if VSWAP_KERNEL_AT_LEAST(6, 18, 0)
#define VSWAP_HAVE_ZS_MALLOC_NID
#endif

static inline void vswap_zs_write(struct zs_pool *pool, unsigned long handle,
				  void *src, size_t len)
{
#ifdef VSWAP_HAVE_ZS_OBJ_API
	zs_obj_write(pool, handle, src, len);
#else
	void *dst = zs_map_object(pool, handle, ZS_MM_WO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
#endif
}

/* Copy the first @len bytes of object @handle to @dst. */
static inline void vswap_zs_read(struct zs_pool *pool, unsigned long handle,
				 void *dst, size_t len)
{
#ifdef VSWAP_HAVE_ZS_OBJ_API
	/* @dst doubles as the copy buffer for an object that spans pages. */
	void *src = zs_obj_read_begin(pool, handle, len, dst);

	if (src != dst)
		memcpy(dst, src, len);
	zs_obj_read_end(pool, handle, len, src);
#else
	const void *src = zs_map_object(pool, handle, ZS_MM_RO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
#endif
}

static inline unsigned long vswap_zs_malloc(struct zs_pool *pool, size_t size,
					    gfp_t gfp, int nid)
{
#ifdef VSWAP_HAVE_ZS_MALLOC_NID
	return zs_malloc(pool, size, gfp, nid);
#else
	return zs_malloc(pool, size, gfp);
#endif
}

/*
 * The slot word packs page-granular offsets and flags into an unsigned long:
 * only 64-bit kernels with 4 KiB pages are supported (Kbuild refuses others).
 */
static_assert(BITS_PER_LONG == 64 && PAGE_SIZE == 4096,
	      "vswap needs a 64-bit kernel with 4 KiB pages");

/*
 * Open a block device tier for our exclusive use, restricting other writers
 * where the kernel can.  @file is the device opened by path (not exclusive),
 * @path that path, @holder our claim.
 *
 * 6.9+: bdev_file_open_by_dev() with BLK_OPEN_EXCL | BLK_OPEN_RESTRICT_WRITES
 * (6.8 had the flag with bdev_open_by_dev(), not supported here): no other
 * exclusive opener, and while we hold it nobody may open it for writing,
 * nor may we open it while someone writes it (-EBUSY).  The restriction
 * is void when the kernel runs with bdev_allow_write_mounted=1, the default
 * of CONFIG_BLK_DEV_WRITE_MOUNTED=y (Debian 6.12 and 7.3): bdev_may_open()
 * and bdev_block_writes() then return early, and only the exclusive claim
 * remains.  Boot with bdev_allow_write_mounted=0 to get it.
 * 6.1: no such restriction exists; an O_EXCL open is
 * blkdev_get_by_dev(FMODE_EXCL) with the file as holder, done by
 * blkdev_open(); the device is reopened that way and must be the same one.
 */
#if VSWAP_KERNEL_AT_LEAST(6, 9, 0)
#define VSWAP_HAVE_BDEV_FILE
#endif

static inline struct file *vswap_bdev_open_excl(dev_t dev, const char *path,
						void *holder)
{
	struct file *excl;

#ifdef VSWAP_HAVE_BDEV_FILE
	excl = bdev_file_open_by_dev(dev, BLK_OPEN_READ | BLK_OPEN_WRITE |
				     BLK_OPEN_EXCL | BLK_OPEN_RESTRICT_WRITES,
				     holder, NULL);
#else
	excl = filp_open(path, O_RDWR | O_LARGEFILE | O_EXCL, 0);
	if (!IS_ERR(excl) && (!S_ISBLK(file_inode(excl)->i_mode) ||
			      file_inode(excl)->i_rdev != dev)) {
		filp_close(excl, NULL);
		excl = ERR_PTR(-EBUSY);	/* the path changed under us */
	}
#endif
	return excl;
}

/*
 * Discard of a tier's freed segments: blkdev_issue_discard(bdev, sector,
 * nr_sects, gfp) and bdev_max_discard_sectors() have the same shape on 6.1,
 * 6.12 and 7.3 (the flags argument went in 5.19), so they are called as
 * they are.  (__blkdev_issue_discard() does differ: int on 6.1 and 6.12,
 * void on 7.3; it is not used.)
 */

#endif /* _VSWAP_COMPAT_H_ */
