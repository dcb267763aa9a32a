/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap - a virtual swap device: the device and what every layer shares.
 *
 * The module is layered; each layer has its header, and a file includes the
 * headers of the layers it uses, which are all below it:
 *
 *   front end    vswap_mod.c      block device, swap core
 *   ABI          vswap_sysfs.c    parses, calls one layer, reports
 *   page store   vswap_pool.h     same-filled | compressed | raw | on a tier
 *   mover        vswap_mover.h    writeback, compaction, drain, migrate
 *   slot table   vswap_table.h    one word per virtual slot, in clusters
 *   compressors  vswap_comp.h
 *   tier layer   vswap_tier.h     attach, segments, checksums, lower I/O
 *
 * The front end calls the page store and the mover; the mover calls the
 * page store, the slot table and the tier layer; the page store calls the
 * slot table, the compressors and the tier layer (to read an object back or
 * release it).  No layer calls one above it.  Lock order, outermost first:
 * tier_lock, wb.lock, a stream or bounce mutex, a cluster lock, a tier's
 * lock, xa_lock (docs/design.md).
 *
 * This header holds struct vswap and the counters every layer updates;
 * nothing here is visible outside the module.
 */
#ifndef _VSWAP_H_
#define _VSWAP_H_

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/blkdev.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#define VSWAP_NAME		"vswap"

/* Slots per cluster: 512 x 4 KiB = 2 MiB, the swap core's own cluster size. */
#define VSWAP_CLUSTER_SHIFT	9
#define VSWAP_CLUSTER_SLOTS	BIT(VSWAP_CLUSTER_SHIFT)
#define VSWAP_CLUSTER_MASK	(VSWAP_CLUSTER_SLOTS - 1)

#define VSWAP_SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)

/*
 * Virtual size limits: room for a header and a cluster; at the top, what a
 * swap header can describe (last_page is 32 bits: 16 TiB).
 */
#define VSWAP_MIN_DISKSIZE	SZ_1M
#define VSWAP_MAX_DISKSIZE	BIT_ULL(32 + PAGE_SHIFT)

/**
 * struct vswap_stats - counters; all atomic, read without locks
 * @stored_pages:     used slots (page 0 not included)
 * @same_pages:       slots of kind VSWAP_SAME
 * @huge_pages:       raw pages held: slots stored raw because they compress
 *                    poorly (or compression is off)
 * @huge_pages_since: raw stores since load (never decremented)
 * @compr_data_size:  bytes of compressed payload in the pool
 * @failed_reads:     reads that returned an I/O error
 * @failed_writes:    writes refused (no memory, mem_limit, compressor)
 * @miss_free:        slot-free notifications dropped: none since frees
 *                    wait for a contended cluster lock (zram's column,
 *                    kept for tools that read mm_stat's neighbours)
 * @free_waits:       slot-free notifications that found the cluster lock
 *                    held and waited for it
 * @notify_free:      slot-free notifications received
 * @nr_clusters:      clusters currently allocated
 * @max_used_pages:   high watermark of pool pages
 */
struct vswap_stats {
	atomic64_t stored_pages;
	atomic64_t same_pages;
	atomic64_t huge_pages;
	atomic64_t huge_pages_since;
	atomic64_t compr_data_size;
	atomic64_t failed_reads;
	atomic64_t failed_writes;
	atomic64_t miss_free;
	atomic64_t free_waits;
	atomic64_t notify_free;
	atomic64_t nr_clusters;
	atomic_long_t max_used_pages;
};

struct vswap_comp;
struct vswap_bounce;
struct vswap_tier;
struct vswap_wb_item;

/* Lower tiers: how many, and the segment sizes they may be cut into. */
#define VSWAP_MAX_TIERS		8
#define VSWAP_SEG_MIN		SZ_64K
#define VSWAP_SEG_MAX		SZ_4M
#define VSWAP_SEG_DEFAULT	SZ_1M

/*
 * How long a store at mem_limit waits for writeback to make room before it
 * fails (the swap core then keeps the page in RAM), by default and at most
 * (wb_wait_ms): vswap_wb_wait().  On real disks a batch takes milliseconds;
 * the bound is for a tier that cannot keep up, or a stuck one.
 */
#define VSWAP_WB_WAIT_MS	1000
#define VSWAP_WB_WAIT_MAX_MS	10000

/**
 * struct vswap_wb - writeback state; one batch at a time
 * @lock:      serializes batches of writeback, compaction and drain (one
 *             segment each, see vswap_wb_lock()) and their buffers; keeps
 *             tiers attached while held
 * @noio:      the holder's saved noio scope (vswap_wb_lock())
 * @buf:       segment being filled (seg_size bytes), while tiers exist
 * @rbuf:      segment being compacted or drained (seg_size bytes)
 * @items:     staged objects of @buf
 * @cap:       room in @items
 * @seg_size:  segment size for tiers attached from now on
 * @work:      automatic writeback (mem_limit watermarks, huge_direct)
 * @wq:        runs @work; WQ_MEM_RECLAIM, because a store in reclaim waits
 *             for it (vswap_wb_wait())
 * @high:      start automatic writeback above this % of mem_limit
 * @low:       ...and stop below this %
 * @huge_direct: write back incompressible pages as soon as they are stored
 * @algo:      enum vswap_algo objects are recompressed with as they are
 *             written back, or VSWAP_WB_KEEP (a created vswap.comp entry
 *             once a tier is attached; release/acquire, as vswap.algo)
 * @scratch:   a page to decompress into for recompression, while tiers exist
 * @lowbuf:    PAGE_SIZE bytes of lowmem: an object to recompress is copied
 *             out of @buf (vmalloc) into it, for the compressor's scatterlist
 * @budget:    bytes per @period that may be written (0 = unlimited)
 * @period:    budget period in seconds
 * @period_start: jiffies when the current period began
 * @period_bytes: bytes written in the current period
 * @stall_until: jiffies before which a store at mem_limit does not wait
 *               for writeback, because the last wait saw nothing written
 *               back (READ_ONCE/WRITE_ONCE, no lock)
 * @room:      stores at mem_limit wait here for a batch to make room
 * @wait_ms:   ...for at most this long (wb_wait_ms; READ_ONCE)
 * @ops:       long operations running, for the `progress` file (struct
 *             vswap_op, vswap_progress.c)
 * @ops_lock:  guards @ops; innermost, held only to link, unlink and list
 */
struct vswap_wb {
	struct mutex lock;	/* see above */
	unsigned int noio;
	u8 *buf;
	u8 *rbuf;
	struct vswap_wb_item *items;
	u32 cap;
	u32 seg_size;
	struct work_struct work;
	struct workqueue_struct *wq;
	unsigned int high;
	unsigned int low;
	bool huge_direct;
	unsigned int algo;
	struct page *scratch;
	u8 *lowbuf;
	u64 budget;
	unsigned int period;
	unsigned long period_start;
	u64 period_bytes;
	unsigned long stall_until;
	wait_queue_head_t room;
	unsigned int wait_ms;
	struct list_head ops;
	spinlock_t ops_lock;	/* see above */
};

/**
 * struct vswap_wb_stats - writeback counters
 * @wb_pages:      pages written back
 * @wb_bytes:      bytes written to lower tiers
 * @lower_reads:   read I/Os issued to lower tiers
 * @lower_pages:   pages currently on lower tiers
 * @wb_refaults:   pages read back from lower tiers
 * @revmap_bytes:  RAM held for the reverse map: the segment tables (the
 *                 map itself is on the tiers, in segment summaries)
 * @seg_written:   segments written
 * @seg_freed:     segments freed
 * @seg_discarded: freed segments discarded on their tier's device
 * @compact_moved: objects moved by compaction and drain
 * @lower_errors:  lower I/O errors, checksum mismatches included
 * @lower_csum_errors: objects and segment summaries read from a tier that
 *                 did not check out (each also counts in @lower_errors)
 * @budget_stops:  writebacks cut short by the budget
 * @recompressed:  objects written back smaller, recompressed with wb.algo
 * @wb_waits:      stores at mem_limit that waited for writeback to make room
 * @wb_wait_fails: ...and failed after wb.wait_ms without it
 */
struct vswap_wb_stats {
	atomic64_t wb_pages;
	atomic64_t wb_bytes;
	atomic64_t lower_reads;
	atomic64_t lower_pages;
	atomic64_t wb_refaults;
	atomic64_t revmap_bytes;
	atomic64_t seg_written;
	atomic64_t seg_freed;
	atomic64_t seg_discarded;
	atomic64_t compact_moved;
	atomic64_t lower_errors;
	atomic64_t lower_csum_errors;
	atomic64_t budget_stops;
	atomic64_t recompressed;
	atomic64_t wb_waits;
	atomic64_t wb_wait_fails;
};

/* Compression algorithms vswap knows, in the order comp_algorithm lists them. */
enum vswap_algo {
	VSWAP_ALGO_LZ4,
	VSWAP_ALGO_LZO_RLE,
	VSWAP_ALGO_LZO,
	VSWAP_ALGO_ZSTD,
	VSWAP_ALGO_DEFLATE,
	VSWAP_ALGO_NONE,	/* no compression: pages are stored raw */
	VSWAP_NR_ALGOS,
};

/* wb.algo: write objects back as they are stored. */
#define VSWAP_WB_KEEP	VSWAP_NR_ALGOS

/**
 * struct vswap - the device
 * @disk:        the gendisk; its open_mutex serializes open/release with
 *               resizing and the final drop
 * @clusters:    cluster number -> struct vswap_cluster (RCU lookups)
 * @pool:        zsmalloc pool holding compressed pages (raw pages are
 *               pages of their own, counted in @stats.huge_pages)
 * @huge_size:   objects this big cost a whole page: store such pages raw
 * @nr_pages:    virtual size in pages; changed only with no opener
 * @header:      page 0 as last written (e.g. by mkswap), or NULL: zeroes
 *               if @header_zeroed, else a synthesized swap header; under
 *               @header_lock
 * @header_zeroed: page 0 was write-zeroed
 * @header_lock: protects @header
 * @claimed:     an exclusive opener (swapon) has been seen since the device
 *               was last idle; under disk->open_mutex
 * @comp:        compressors by enum vswap_algo; created on selection, kept
 *               until unload so that old pages stay readable
 * @algo:        algorithm for new pages, a created @comp entry: published
 *               with smp_store_release() once its streams exist, read with
 *               smp_load_acquire()
 * @comp_lock:   serializes creation of @comp entries and changes of @algo
 * @bounce:      per-CPU buffer for copying compressed objects out of the pool
 * @lower_bufs:  buffers for reads from lower tiers (VSWAP_LOWER_BUF bytes);
 *               created with the first tier
 * @limit_pages: pool page limit, 0 = none
 * @stats:       counters
 * @tiers:       lower tiers by id (RCU; changed under @tier_lock)
 * @tier_lock:   serializes attach, detach, drain and migrate
 * @tier_seq:    attaches so far (struct vswap_tier.seq); under @tier_lock
 * @lower_wq:    runs lower-tier reads for loads (vswap_tier_read())
 * @discard_wq:  runs the tiers' discards of freed segments
 *               (vswap_seg_discard_work())
 * @lower_discard: discard freed segments on tiers whose device supports it
 *               (READ_ONCE; default true)
 * @wb:          writeback state
 * @wb_stats:    writeback counters
 */
struct vswap {
	struct gendisk *disk;
	struct xarray clusters;
	struct zs_pool *pool;
	size_t huge_size;
	u64 nr_pages;
	struct page *header;
	bool header_zeroed;
	spinlock_t header_lock;		/* protects @header */
	bool claimed;
	struct vswap_comp *comp[VSWAP_NR_ALGOS];
	int algo;
	struct mutex comp_lock;		/* see above */
	struct vswap_bounce __percpu *bounce;
	mempool_t *lower_bufs;
	atomic_long_t limit_pages;
	struct vswap_stats stats;
	struct vswap_tier __rcu *tiers[VSWAP_MAX_TIERS];
	struct mutex tier_lock;		/* see above */
	u64 tier_seq;
	struct workqueue_struct *lower_wq;
	struct workqueue_struct *discard_wq;
	bool lower_discard;
	struct vswap_wb wb;
	struct vswap_wb_stats wb_stats;
};

/* vswap_sysfs.c */
extern const struct attribute_group *vswap_attr_groups[];

/* vswap_mod.c */
int vswap_resize(struct vswap *v, u64 bytes);

#endif /* _VSWAP_H_ */
