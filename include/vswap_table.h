/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap slot table (vswap_table.c): one word per virtual slot, in clusters.
 *
 * A pure container: it stores words and kinds, and hands a replaced or
 * freed word back to its caller, which releases the payload.  It calls no
 * other layer.
 */
#ifndef _VSWAP_TABLE_H_
#define _VSWAP_TABLE_H_

#include "vswap.h"

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
bool vswap_slot_staged(const struct vswap_cluster *c, u64 slot);
void vswap_slot_unstage(struct vswap *v, u64 slot, unsigned long word);
int vswap_slot_replace(struct vswap *v, u64 slot, enum vswap_kind kind,
		       unsigned long word, enum vswap_kind *old_kind,
		       unsigned long *old);
int vswap_slot_free(struct vswap *v, u64 slot, bool atomic,
		    enum vswap_kind *kind, unsigned long *word);
bool vswap_table_next(struct vswap *v, unsigned long *index, unsigned long last);
bool vswap_table_empty(struct vswap *v);
bool vswap_slot_cmpxchg(struct vswap *v, u64 slot, enum vswap_kind old_kind,
			unsigned long old, enum vswap_kind kind,
			unsigned long word);
void vswap_slot_touch(struct vswap_cluster *c, u64 slot);
bool vswap_slot_is_idle(const struct vswap_cluster *c, u64 slot);
void vswap_idle_mark(struct vswap *v, u32 max_stamp);
unsigned int vswap_clusters_coldest(struct vswap *v, u64 from, u64 until,
				    u64 *keys, unsigned int max);
u64 vswap_meta_bytes(struct vswap *v);

#endif /* _VSWAP_TABLE_H_ */
