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
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
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
	VSWAP_ZS,		/* word = zsmalloc handle | VSWAP_ZS_RAW */
	VSWAP_LOWER,		/* word = location in a lower tier (writeback) */
};

/*
 * A zsmalloc handle is the address of a word-sized slab object, so its low
 * bits are clear; bit 0 marks an object stored raw (PAGE_SIZE, no header).
 * vswap_zs_word() refuses a handle that breaks this assumption.
 */
#define VSWAP_ZS_RAW		1UL
#define VSWAP_ZS_TAG_MASK	(sizeof(unsigned long) - 1)

/**
 * struct vswap_cluster - slot metadata for VSWAP_CLUSTER_SLOTS virtual slots
 * @lock:    protects every field below except @index and @rcu
 * @nr_used: slots whose kind is not VSWAP_EMPTY
 * @dead:    set (under @lock) when the cluster is unlinked from the table;
 *           a lookup that finds a dead cluster retries
 * @index:   cluster number (slot >> VSWAP_CLUSTER_SHIFT); constant
 * @slots:   one word per slot, meaning given by the slot's kind
 * @kind_lo: bit 0 of each slot's enum vswap_kind
 * @kind_hi: bit 1 of each slot's enum vswap_kind
 * @rcu:     deferred free; lookups run under rcu_read_lock()
 *
 * A cluster is allocated by the first write into its range and freed, after
 * an RCU grace period, when its last used slot is freed.
 */
struct vswap_cluster {
	spinlock_t lock;		/* see above */
	u16 nr_used;
	bool dead;
	unsigned long index;
	unsigned long *slots;
	DECLARE_BITMAP(kind_lo, VSWAP_CLUSTER_SLOTS);
	DECLARE_BITMAP(kind_hi, VSWAP_CLUSTER_SLOTS);
	struct rcu_head rcu;
};

/**
 * struct vswap_stats - counters; all atomic, read without locks
 * @stored_pages:     used slots (page 0 not included)
 * @same_pages:       slots of kind VSWAP_SAME
 * @huge_pages:       slots stored raw because they compress poorly
 * @huge_pages_since: raw stores since load (never decremented)
 * @compr_data_size:  bytes of compressed payload in the pool
 * @failed_reads:     reads that returned an I/O error
 * @failed_writes:    writes refused (no memory, mem_limit, compressor)
 * @miss_free:        slot-free notifications dropped on lock contention
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
	atomic64_t notify_free;
	atomic64_t nr_clusters;
	atomic_long_t max_used_pages;
};

struct vswap_comp;
struct vswap_bounce;

/* Compression algorithms vswap knows, in the order comp_algorithm lists them. */
enum vswap_algo {
	VSWAP_ALGO_LZ4,
	VSWAP_ALGO_LZO_RLE,
	VSWAP_ALGO_LZO,
	VSWAP_ALGO_ZSTD,
	VSWAP_ALGO_DEFLATE,
	VSWAP_NR_ALGOS,
};

/**
 * struct vswap - the device
 * @disk:        the gendisk; its open_mutex serializes open/release with
 *               resizing and the final drop
 * @clusters:    cluster number -> struct vswap_cluster (RCU lookups)
 * @pool:        zsmalloc pool holding compressed and raw pages
 * @huge_size:   objects this big cost a whole page: store such pages raw
 * @nr_pages:    virtual size in pages; changed only with no opener
 * @header:      page 0 as last written (e.g. by mkswap), or NULL to
 *               synthesize a swap header; under @header_lock
 * @header_lock: protects @header
 * @claimed:     an exclusive opener (swapon) has been seen since the device
 *               was last idle; under disk->open_mutex
 * @comp:        compressors by enum vswap_algo; created on selection, kept
 *               until unload so that old pages stay readable
 * @algo:        algorithm for new pages (READ_ONCE; a created @comp entry)
 * @comp_lock:   serializes creation of @comp entries and changes of @algo
 * @bounce:      per-CPU buffer for copying compressed objects out of the pool
 * @limit_pages: pool page limit, 0 = none
 * @stats:       counters
 */
struct vswap {
	struct gendisk *disk;
	struct xarray clusters;
	struct zs_pool *pool;
	size_t huge_size;
	u64 nr_pages;
	struct page *header;
	spinlock_t header_lock;		/* protects @header */
	bool claimed;
	struct vswap_comp *comp[VSWAP_NR_ALGOS];
	int algo;
	struct mutex comp_lock;		/* see above */
	struct vswap_bounce __percpu *bounce;
	atomic_long_t limit_pages;
	struct vswap_stats stats;
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
int vswap_slot_replace(struct vswap *v, u64 slot, enum vswap_kind kind,
		       unsigned long word);
int vswap_slot_free(struct vswap *v, u64 slot, bool atomic);
void vswap_slots_free_range(struct vswap *v, u64 first, u64 nr);
void vswap_table_drop(struct vswap *v);
u64 vswap_meta_bytes(struct vswap *v);

/* vswap_pool.c: the page store */
int vswap_pool_create(struct vswap *v);
void vswap_pool_destroy(struct vswap *v);
int vswap_store_page(struct vswap *v, u64 slot, struct page *page);
int vswap_load_page(struct vswap *v, u64 slot, struct page *page);
void vswap_release_payload(struct vswap *v, enum vswap_kind kind,
			   unsigned long word);
unsigned long vswap_pool_pages(struct vswap *v);

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
void vswap_comp_release_all(struct vswap *v);

/* vswap_sysfs.c */
extern const struct attribute_group *vswap_attr_groups[];

/* vswap_mod.c */
int vswap_resize(struct vswap *v, u64 bytes);

#endif /* _VSWAP_H_ */
