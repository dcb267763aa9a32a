/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap - a virtual swap device: shared types.
 *
 * The module is layered.  The front end (vswap_mod.c) speaks to the block
 * layer and the swap core; below it the page store (vswap_pool.c) decides per
 * page how to keep it (same-filled, compressed, raw) on top of the slot table
 * (vswap_cluster.c), which maps a virtual slot to one machine word.  The
 * compressors live in vswap_comp.c and the sysfs ABI in vswap_sysfs.c.
 *
 * Everything here is shared by those files; nothing here is visible outside
 * the module.
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

/*
 * What a slot holds.  The kind is kept in two per-cluster bitmaps so that the
 * slot word itself can hold a full machine word (a same-fill pattern).
 */
enum vswap_kind {
	VSWAP_EMPTY = 0,	/* never written or freed: reads as zeroes */
	VSWAP_SAME,		/* word = the repeated machine word */
	VSWAP_ZS,		/* word = zsmalloc handle, or page | VSWAP_ZS_RAW */
	VSWAP_LOWER,		/* word = location in a lower tier (writeback) */
};

/*
 * A compressed page is a zsmalloc object; its handle is the address of a
 * word-sized slab object, so its low bits are clear.  A page that does not
 * compress is kept as a page of its own, its struct page pointer tagged with
 * VSWAP_ZS_RAW (bit 0).  vswap_zs_word() refuses a pointer that breaks this
 * assumption.
 *
 * VSWAP_ZS_STAGED (bit 1) is set in the stored word, under the cluster lock,
 * when writeback copies the object into a batch; the batch's commit moves
 * the slot to the tier only if the bit is still there.  Comparing the word
 * alone would not do: a slot freed and written again meanwhile may get the
 * very same handle or page back (both are reused at once), and would then
 * point to the old data on the tier.  Any store clears the bit, as it writes
 * a new word.  vswap_slot_get() hides it: only the commit sees it.
 */
#define VSWAP_ZS_RAW		1UL
#define VSWAP_ZS_STAGED		2UL
#define VSWAP_ZS_TAG_MASK	(sizeof(unsigned long) - 1)

/**
 * struct vswap_cluster - slot metadata for VSWAP_CLUSTER_SLOTS virtual slots
 * @lock:    protects every field below except @index and @rcu
 * @nr_used: slots whose kind is not VSWAP_EMPTY
 * @dead:    set (under @lock) when the cluster is unlinked from the table;
 *           a lookup that finds a dead cluster retries
 * @index:   cluster number (slot >> VSWAP_CLUSTER_SHIFT); constant
 * @stamp:   time of the last store into the cluster (seconds since boot):
 *           the writeback policy's measure of coldness
 * @slots:   one word per slot, meaning given by the slot's kind
 * @kind_lo: bit 0 of each slot's enum vswap_kind
 * @kind_hi: bit 1 of each slot's enum vswap_kind
 * @idle:    slots marked idle and not read or written since
 * @rcu:     deferred free; lookups run under rcu_read_lock()
 *
 * A cluster is allocated by the first write into its range and freed, after
 * an RCU grace period, when its last used slot is freed.
 */
struct vswap_cluster {
	spinlock_t lock;		/* see above */
	u16 nr_used;
	bool dead;
	u32 index;
	u32 stamp;
	unsigned long *slots;
	DECLARE_BITMAP(kind_lo, VSWAP_CLUSTER_SLOTS);
	DECLARE_BITMAP(kind_hi, VSWAP_CLUSTER_SLOTS);
	DECLARE_BITMAP(idle, VSWAP_CLUSTER_SLOTS);
	struct rcu_head rcu;
};

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

/* ---------------------------------------------------------------------------
 * Lower tiers (vswap_revmap.c) and writeback (vswap_writeback.c)
 */

#define VSWAP_MAX_TIERS		8
#define VSWAP_SEG_MIN		SZ_64K
#define VSWAP_SEG_MAX		SZ_4M
#define VSWAP_SEG_DEFAULT	SZ_1M

/*
 * A VSWAP_LOWER slot word: where the object lives.  On the tier an object is
 * a __le32 checksum (vswap_obj_csum()) followed by the pool object as it was
 * (header + compressed data, or a raw page of PAGE_SIZE bytes), so reading it
 * back needs no other metadata; @len counts both.
 */
#define VSWAP_LOC_LEN_BITS	13
#define VSWAP_LOC_OFF_BITS	22	/* byte offset in a segment: 4 MiB */
#define VSWAP_LOC_SEG_BITS	26
#define VSWAP_LOC_TIER_BITS	3

struct vswap_loc {
	unsigned int tier;
	u32 seg;
	u32 off;
	u32 len;
};

/* Bytes of checksum in front of each object on a tier. */
#define VSWAP_OBJ_CSUM_SIZE	sizeof(__le32)

/*
 * A buffer for one object read from a tier: up to a page and its checksum,
 * plus less than a logical block (at most a page) of alignment on each side.
 */
#define VSWAP_LOWER_BUF		(3 * PAGE_SIZE)

static inline unsigned long vswap_loc_word(const struct vswap_loc *loc)
{
	return (unsigned long)loc->len |
	       (unsigned long)loc->off << VSWAP_LOC_LEN_BITS |
	       (unsigned long)loc->seg << (VSWAP_LOC_LEN_BITS + VSWAP_LOC_OFF_BITS) |
	       (unsigned long)loc->tier << (VSWAP_LOC_LEN_BITS + VSWAP_LOC_OFF_BITS +
					    VSWAP_LOC_SEG_BITS);
}

static inline void vswap_loc_decode(unsigned long word, struct vswap_loc *loc)
{
	loc->len = word & GENMASK(VSWAP_LOC_LEN_BITS - 1, 0);
	word >>= VSWAP_LOC_LEN_BITS;
	loc->off = word & GENMASK(VSWAP_LOC_OFF_BITS - 1, 0);
	word >>= VSWAP_LOC_OFF_BITS;
	loc->seg = word & GENMASK(VSWAP_LOC_SEG_BITS - 1, 0);
	word >>= VSWAP_LOC_SEG_BITS;
	loc->tier = word & GENMASK(VSWAP_LOC_TIER_BITS - 1, 0);
}

enum vswap_tier_state {
	VSWAP_TIER_ACTIVE,
	VSWAP_TIER_FAILING,	/* a write failed: no new writeback */
	VSWAP_TIER_DRAINING,	/* being emptied for detach */
};

enum vswap_seg_state {
	VSWAP_SEG_FREE,
	VSWAP_SEG_OPEN,		/* being filled by a writeback batch */
	VSWAP_SEG_FULL,		/* written; holds live and dead objects */
	VSWAP_SEG_FREEING,	/* no live object, reads still in flight */
};

/**
 * struct vswap_seg - one segment of a lower tier
 * @state:      enum vswap_seg_state
 * @live_bytes: bytes of objects a slot still points to
 * @used_bytes: bytes written into the segment (objects and summary)
 * @map_off:    where the segment's summary starts in it
 * @nr_objs:    entries in the summary
 * @gen:        write generation, from the tier's counter when the segment
 *              was opened: part of every checksum in it, so that data left
 *              by an earlier use of the same place (a lost or misdirected
 *              write) does not check out
 * @pins:       reads in flight; the last unpin releases a FREEING segment
 *
 * The reverse map lives on the tier, not in RAM: each segment ends with a
 * summary naming the slot of each of its objects (struct vswap_seg_footer),
 * read along with the segment by compaction and drain, which read the whole
 * segment anyway.  An entry is stale once its slot no longer points into the
 * segment, so liveness is always checked against the slot.
 *
 * All fields but @pins are under the tier's lock.
 */
struct vswap_seg {
	u8 state;
	u32 live_bytes;
	u32 used_bytes;
	u32 map_off;
	u32 nr_objs;
	u32 gen;
	atomic_t pins;
};

#define VSWAP_SEG_MAGIC		0x53575356	/* "VSWS", little endian */
#define VSWAP_SEG_VERSION	2

/**
 * struct vswap_seg_footer - ends a segment's summary on the tier
 * @magic:    VSWAP_SEG_MAGIC
 * @version:  VSWAP_SEG_VERSION: the layout described in docs/design.md
 * @reserved: zero
 * @nr:       __le32 slot numbers in the summary, just before the footer
 * @gen:      the segment's write generation (struct vswap_seg)
 * @crc:      crc32c of the slot numbers and of the footer up to @crc
 *
 * On the tier a segment is: objects packed from offset 0, each led by its
 * checksum, then at map_off (4-byte aligned) the summary and this footer,
 * then zeroes to a logical block.  Cost: 8 bytes per object (checksum and
 * summary entry), 20 per segment.
 */
struct vswap_seg_footer {
	__le32 magic;
	__le16 version;
	__le16 reserved;
	__le32 nr;
	__le32 gen;
	__le32 crc;
};

/* Tier bytes a segment's summary takes for @nr objects. */
static inline u32 vswap_seg_summary_size(u32 nr)
{
	return nr * sizeof(__le32) + sizeof(struct vswap_seg_footer);
}

/**
 * struct vswap_extent - a run of tier pages contiguous on the block device
 * @start_page:   first page of the run in the tier
 * @nr_pages:     pages in the run
 * @start_sector: where the run starts on the device
 */
struct vswap_extent {
	pgoff_t start_page;
	pgoff_t nr_pages;
	sector_t start_sector;
};

/**
 * struct vswap_tier - a lower swap file or device
 * @v:          the device it serves
 * @id:         index in vswap.tiers and in slot words
 * @seq:        attach number (vswap.tier_seq): tells this tier from a later
 *              one attached under the same @id
 * @prio:       higher is filled first
 * @state:      enum vswap_tier_state (READ_ONCE; changed under tier_lock)
 * @path:       as given to lower_add
 * @file:       open file; holds the block device open for a device tier
 * @bdev:       where bios go
 * @activated:  the filesystem's swap_activate mapped it: deactivate on detach
 * @extents:    tier page -> sector map, sorted by page
 * @nr_extents: entries in @extents
 * @lbs:        logical block size of @bdev: I/O granularity
 * @seg_size:   bytes per segment
 * @nr_segs:    segments on the tier
 * @segs:       the segments
 * @free_map:   bit set for each VSWAP_SEG_FREE segment
 * @lock:       protects @segs (but pins), @nr_free, @rotor and @next_gen
 * @nr_free:    free segments
 * @rotor:      where the next free-segment search starts, so that segments
 *              are used round-robin and writes stay sequential
 * @next_gen:   write generation the next opened segment gets
 * @written:    bytes written
 * @reads:      read I/Os
 * @errors:     I/O errors, checksum mismatches included
 * @csum_errors: objects or summaries read back that did not check out
 */
struct vswap_tier {
	struct vswap *v;
	unsigned int id;
	u64 seq;
	int prio;
	int state;
	char *path;
	struct file *file;
	struct block_device *bdev;
	bool activated;
	struct vswap_extent *extents;
	unsigned int nr_extents;
	unsigned int lbs;
	u32 seg_size;
	u32 nr_segs;
	struct vswap_seg *segs;
	unsigned long *free_map;
	spinlock_t lock;	/* see above */
	u32 nr_free;
	u32 rotor;
	u32 next_gen;
	atomic64_t written;
	atomic64_t reads;
	atomic64_t errors;
	atomic64_t csum_errors;
};

/**
 * struct vswap_wb_item - one object staged into a writeback batch
 * @slot: its virtual slot
 * @kind: what the slot held when staged
 * @word: the slot's word when staged (the commit checks it is unchanged)
 * @off:  offset in the segment
 * @len:  bytes
 */
struct vswap_wb_item {
	u64 slot;
	enum vswap_kind kind;
	unsigned long word;
	u32 off;
	u32 len;
};

/*
 * The longest a store at mem_limit waits for writeback to make room before
 * it fails (the swap core then keeps the page in RAM): vswap_wb_wait().
 */
#define VSWAP_WB_WAIT_MS	200

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
 * @read_wq:   runs lower-tier reads for loads (vswap_tier_read()); its own
 *             queue, because a load waits for its read holding its bounce
 *             buffer's lock, which @work may be waiting for: on a shared
 *             WQ_MEM_RECLAIM queue the rescuer could run the read only after
 *             @work (lockdep on the debug lane)
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
	struct workqueue_struct *read_wq;
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
 * @compact_moved: objects moved by compaction and drain
 * @lower_errors:  lower I/O errors, checksum mismatches included
 * @lower_csum_errors: objects and segment summaries read from a tier that
 *                 did not check out (each also counts in @lower_errors)
 * @budget_stops:  writebacks cut short by the budget
 * @recompressed:  objects written back smaller, recompressed with wb.algo
 * @wb_waits:      stores at mem_limit that waited for writeback to make room
 * @wb_wait_fails: ...and failed after VSWAP_WB_WAIT_MS without it
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
	struct vswap_wb wb;
	struct vswap_wb_stats wb_stats;
};

/* vswap_cluster.c: the slot table */
int vswap_cluster_init(void);
void vswap_cluster_exit(void);
void vswap_table_init(struct vswap *v);
enum vswap_lock_mode { VSWAP_FIND, VSWAP_CREATE, VSWAP_TRY };
struct vswap_cluster *vswap_cluster_lock(struct vswap *v, u64 slot,
					 enum vswap_lock_mode mode)
	__acquires(vswap_slot);
void vswap_cluster_unlock(struct vswap_cluster *c) __releases(vswap_slot);
enum vswap_kind vswap_slot_get(const struct vswap_cluster *c, u64 slot,
			       unsigned long *word);
void vswap_slot_stage(struct vswap_cluster *c, u64 slot);
int vswap_slot_replace(struct vswap *v, u64 slot, enum vswap_kind kind,
		       unsigned long word);
int vswap_slot_free(struct vswap *v, u64 slot, bool atomic);
bool vswap_slot_cmpxchg(struct vswap *v, u64 slot, enum vswap_kind old_kind,
			unsigned long old, enum vswap_kind kind,
			unsigned long word);
void vswap_slot_touch(struct vswap_cluster *c, u64 slot);
bool vswap_slot_is_idle(const struct vswap_cluster *c, u64 slot);
void vswap_idle_mark(struct vswap *v, u32 max_stamp);
unsigned int vswap_clusters_coldest(struct vswap *v, u64 from, u64 *keys,
				    unsigned int max);
void vswap_slots_free_range(struct vswap *v, u64 first, u64 nr);
void vswap_table_drop(struct vswap *v);
u64 vswap_meta_bytes(struct vswap *v);

/* vswap_pool.c: the page store */
int vswap_pool_create(struct vswap *v);
void vswap_pool_destroy(struct vswap *v);
int vswap_store_page(struct vswap *v, u64 slot, struct page *page);
int vswap_load_page(struct vswap *v, u64 slot, struct page *page);
int vswap_pool_put_object(struct vswap *v, const u8 *obj, u32 len,
			  unsigned long *word);
u32 vswap_obj_recompress(struct vswap *v, u8 *obj, u32 len, unsigned int algo,
			 struct page *scratch, u8 *lowbuf);
u32 vswap_pool_obj_read(struct vswap *v, unsigned long word, u8 *dst, u32 room);
int vswap_lower_bufs_create(struct vswap *v);
void vswap_release_payload(struct vswap *v, enum vswap_kind kind,
			   unsigned long word);
unsigned long vswap_pool_pages(struct vswap *v);
bool vswap_pool_at_limit(struct vswap *v);

/* vswap_comp.c: compressors */
struct vswap_stream;
int vswap_comp_init(void);
void vswap_comp_exit(void);
extern const char * const vswap_algo_names[VSWAP_NR_ALGOS];
bool vswap_algo_available(enum vswap_algo algo);
int vswap_algo_lookup(const char *name);
struct vswap_comp *vswap_comp_create(enum vswap_algo algo);
void vswap_comp_destroy(struct vswap_comp *comp);
enum vswap_algo vswap_comp_algo(const struct vswap_comp *comp);
struct vswap_comp *vswap_comp_get(struct vswap *v, unsigned int algo);
struct vswap_stream *vswap_stream_get(struct vswap_comp *comp);
void vswap_stream_put(struct vswap_stream *s);
int vswap_stream_compress(struct vswap_stream *s, struct page *page,
			  unsigned int headroom, u8 **out, unsigned int *dlen);
int vswap_stream_decompress(struct vswap_stream *s, const void *src,
			    unsigned int slen, struct page *page);
int vswap_set_algo(struct vswap *v, enum vswap_algo algo);
int vswap_comp_prepare(struct vswap *v, enum vswap_algo algo);
void vswap_comp_release_all(struct vswap *v);

/* vswap_revmap.c: lower tiers and the reverse map */
int vswap_tier_attach(struct vswap *v, const char *path, int prio);
int vswap_tier_detach(struct vswap *v, const char *path);
int vswap_tier_migrate(struct vswap *v, const char *path);
void vswap_tiers_destroy(struct vswap *v);
ssize_t vswap_tiers_show(struct vswap *v, char *buf);
struct vswap_tier *vswap_tier_best(struct vswap *v);
bool vswap_has_tiers(struct vswap *v);
bool vswap_tiers_writable(struct vswap *v);
int vswap_seg_open(struct vswap_tier *t, u32 *seg, u32 *gen);
u32 vswap_obj_csum(u64 slot, u32 gen, const u8 *obj, u32 len);
bool vswap_obj_check(struct vswap_tier *t, u32 seg, u32 off, u64 slot,
		     const u8 *obj, u32 len);
void vswap_tier_csum_error(struct vswap_tier *t, u32 seg, u32 off);
void vswap_seg_close(struct vswap_tier *t, u32 seg, u32 used, u32 live,
		     u32 map_off, u32 nr_objs);
int vswap_tier_write(struct vswap_tier *t, u64 pos, void *buf, u32 len);
int vswap_tier_read(struct vswap_tier *t, u64 pos, void *buf, u32 len);
void vswap_tier_fail(struct vswap_tier *t);
int vswap_lower_pin(struct vswap *v, unsigned long word);
void vswap_lower_unpin(struct vswap *v, unsigned long word);
void vswap_seg_unpin(struct vswap_tier *t, u32 seg);
int vswap_lower_fetch(struct vswap *v, u64 slot, unsigned long word, u8 *buf,
		      u8 **obj);
void vswap_lower_release(struct vswap *v, unsigned long word);

/* vswap_writeback.c */
enum vswap_wb_mode { VSWAP_WB_IDLE, VSWAP_WB_HUGE, VSWAP_WB_ALL, VSWAP_WB_COUNT,
		     VSWAP_WB_AUTO };
void vswap_wb_lock(struct vswap_wb *wb);
void vswap_wb_unlock(struct vswap_wb *wb);
int vswap_wb_init(struct vswap *v);
void vswap_wb_exit(struct vswap *v);
int vswap_wb_buffers(struct vswap *v);
void vswap_wb_buffers_put(struct vswap *v);
int vswap_writeback(struct vswap *v, enum vswap_wb_mode mode, u64 nr);
void vswap_wb_kick(struct vswap *v);
bool vswap_wb_wait(struct vswap *v);
int vswap_tier_drain(struct vswap *v, struct vswap_tier *t, bool memory_ok);
int vswap_lower_compact(struct vswap *v);

/* vswap_sysfs.c */
extern const struct attribute_group *vswap_attr_groups[];

/* vswap_mod.c */
int vswap_resize(struct vswap *v, u64 bytes);

#endif /* _VSWAP_H_ */
