// SPDX-License-Identifier: GPL-2.0
/*
 * vswap slot table: dynamic clusters of slot metadata.
 *
 * A virtual slot is described by one machine word plus a two-bit kind.  The
 * words of 512 consecutive slots form a cluster, allocated by the first write
 * into its range and freed with its last used slot, and found through an
 * xarray keyed by cluster number.  An empty device therefore costs nothing
 * whatever its virtual size, and a full cluster costs 8 bytes per slot plus
 * its header (zram pays its per-slot table for the whole device up front).
 *
 * Locking: each cluster has a spinlock that covers its slots.  Lookups run
 * under RCU; a cluster is unlinked from the xarray under its own lock, marked
 * dead, and freed after a grace period, so a lookup that finds it either
 * locks it before it dies or sees it dead and retries.  For sparse, a
 * vswap_cluster_lock() section is one context ("vswap_slot") whatever the
 * lookup found.  Lock order:
 * cluster lock -> xa_lock.  The table stores words and frees nothing else:
 * replacing or freeing a slot hands its old word back to the caller (the
 * page store), which releases the payload after the lock is dropped.
 */
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "vswap.h"
#include "vswap_table.h"

static struct kmem_cache *vswap_cluster_cache;
static struct kmem_cache *vswap_slots_cache;

/* ---------------------------------------------------------------------------
 * Slot accessors: the only code that knows how a kind is encoded.
 */

static unsigned int slot_pos(u64 slot)
{
	return slot & VSWAP_CLUSTER_MASK;
}

static enum vswap_kind slot_kind(const struct vswap_cluster *c, unsigned int i)
{
	return (test_bit(i, c->kind_hi) << 1) | test_bit(i, c->kind_lo);
}

static void slot_set(struct vswap_cluster *c, unsigned int i,
		     enum vswap_kind kind, unsigned long word)
{
	lockdep_assert_held(&c->lock);
	__assign_bit(i, c->kind_lo, kind & 1);
	__assign_bit(i, c->kind_hi, kind & 2);
	__clear_bit(i, c->idle);
	c->slots[i] = word;
}

/**
 * vswap_slot_get - read a slot of a locked cluster
 * @c:    the cluster, locked by vswap_cluster_lock()
 * @slot: virtual slot number within @c's range
 * @word: receives the slot's word (meaning depends on the kind), without
 *        the VSWAP_ZS_STAGED mark of a pool object
 */
enum vswap_kind vswap_slot_get(const struct vswap_cluster *c, u64 slot,
			       unsigned long *word)
{
	unsigned int i = slot_pos(slot);
	enum vswap_kind kind;

	lockdep_assert_held(&c->lock);
	kind = slot_kind(c, i);
	*word = c->slots[i];
	if (kind == VSWAP_ZS)
		*word &= ~VSWAP_ZS_STAGED;
	return kind;
}

/**
 * vswap_slot_stage - mark a pool object as copied by writeback
 * @c:    the cluster, locked
 * @slot: a slot of kind VSWAP_ZS
 *
 * See VSWAP_ZS_STAGED: the commit of the batch checks for the mark.
 */
void vswap_slot_stage(struct vswap_cluster *c, u64 slot)
{
	unsigned int i = slot_pos(slot);

	lockdep_assert_held(&c->lock);
	if (!WARN_ON_ONCE(slot_kind(c, i) != VSWAP_ZS))
		c->slots[i] |= VSWAP_ZS_STAGED;
}

/**
 * vswap_slot_staged - is @slot's object in the open writeback batch?
 * @c:    the cluster, locked
 * @slot: a slot of kind VSWAP_ZS
 *
 * One batch is open at a time and an abandoned one clears its marks
 * (vswap_slot_unstage()), so a mark means this batch has the object
 * already: staging it twice could commit the older copy.
 */
bool vswap_slot_staged(const struct vswap_cluster *c, u64 slot)
{
	lockdep_assert_held(&c->lock);
	return c->slots[slot_pos(slot)] & VSWAP_ZS_STAGED;
}

/**
 * vswap_slot_unstage - take the mark off a slot whose batch was abandoned
 * @v:    the device
 * @slot: virtual slot
 * @word: its word when staged (without the mark)
 *
 * Nothing happens if the slot has moved on since.
 */
void vswap_slot_unstage(struct vswap *v, u64 slot, unsigned long word)
{
	struct vswap_cluster *c = vswap_cluster_lock(v, slot, VSWAP_FIND);
	unsigned int i = slot_pos(slot);

	if (!IS_ERR_OR_NULL(c) && slot_kind(c, i) == VSWAP_ZS &&
	    c->slots[i] == (word | VSWAP_ZS_STAGED))
		c->slots[i] = word;
	vswap_cluster_unlock(c);
}

/**
 * vswap_slot_touch - note a read of @slot: it is no longer idle
 * @c:    the cluster, locked
 * @slot: virtual slot
 */
void vswap_slot_touch(struct vswap_cluster *c, u64 slot)
{
	lockdep_assert_held(&c->lock);
	__clear_bit(slot_pos(slot), c->idle);
}

/**
 * vswap_slot_is_idle - has @slot been marked idle and not touched since?
 * @c:    the cluster, locked
 * @slot: virtual slot
 */
bool vswap_slot_is_idle(const struct vswap_cluster *c, u64 slot)
{
	lockdep_assert_held(&c->lock);
	return test_bit(slot_pos(slot), c->idle);
}

/* ---------------------------------------------------------------------------
 * Cluster lifecycle
 */

static struct vswap_cluster *vswap_cluster_alloc(u32 index)
{
	struct vswap_cluster *c;

	c = kmem_cache_zalloc(vswap_cluster_cache, GFP_NOIO | __GFP_NOWARN);
	if (!c)
		return NULL;
	c->slots = kmem_cache_zalloc(vswap_slots_cache,
				     GFP_NOIO | __GFP_NOWARN);
	if (!c->slots) {
		kmem_cache_free(vswap_cluster_cache, c);
		return NULL;
	}
	spin_lock_init(&c->lock);
	c->index = index;
	return c;
}

static void vswap_cluster_free(struct vswap_cluster *c)
{
	kmem_cache_free(vswap_slots_cache, c->slots);
	kmem_cache_free(vswap_cluster_cache, c);
}

static void vswap_cluster_free_rcu(struct rcu_head *head)
{
	vswap_cluster_free(container_of(head, struct vswap_cluster, rcu));
}

/*
 * Unlink an empty cluster.  The caller frees it with call_rcu() once it has
 * dropped the lock.
 */
static void vswap_cluster_retire(struct vswap *v, struct vswap_cluster *c)
{
	lockdep_assert_held(&c->lock);
	WARN_ON_ONCE(c->nr_used);
	c->dead = true;
	xa_erase(&v->clusters, c->index);
	atomic64_dec(&v->stats.nr_clusters);
}

/* Publish a new cluster for @index unless another writer beat us to it. */
static int vswap_cluster_insert(struct vswap *v, u32 index)
{
	struct vswap_cluster *c, *old;

	c = vswap_cluster_alloc(index);
	if (!c)
		return -ENOMEM;
	old = xa_cmpxchg(&v->clusters, index, NULL, c, GFP_NOIO | __GFP_NOWARN);
	if (old) {
		/* Never published: nobody can see it, free it at once. */
		vswap_cluster_free(c);
		return xa_is_err(old) ? xa_err(old) : 0;
	}
	atomic64_inc(&v->stats.nr_clusters);
	return 0;
}

/**
 * vswap_cluster_lock - find the cluster holding @slot and lock it
 * @v:    the device
 * @slot: virtual slot
 * @mode: VSWAP_FIND, VSWAP_CREATE (allocate a missing cluster; may sleep,
 *        GFP_NOIO) or VSWAP_TRY (never wait for the lock)
 *
 * Every call is paired with vswap_cluster_unlock(), whatever it returned,
 * which keeps the lock annotations balanced for sparse.
 *
 * Return: the locked cluster; NULL if it does not exist (not VSWAP_CREATE);
 * ERR_PTR(-ENOMEM) if it could not be created; ERR_PTR(-EBUSY) if
 * VSWAP_TRY found it locked.
 */
struct vswap_cluster *vswap_cluster_lock(struct vswap *v, u64 slot,
					 enum vswap_lock_mode mode)
	__acquires(vswap_slot)
{
	u32 index = slot >> VSWAP_CLUSTER_SHIFT;
	struct vswap_cluster *c;
	int err;

	for (;;) {
		rcu_read_lock();
		c = xa_load(&v->clusters, index);
		if (!c) {
			rcu_read_unlock();
			err = mode == VSWAP_CREATE ? vswap_cluster_insert(v, index) : 0;
			if (err || mode != VSWAP_CREATE) {
				__acquire(vswap_slot);
				return err ? ERR_PTR(err) : NULL;
			}
			continue;
		}
		if (mode != VSWAP_TRY) {
			spin_lock(&c->lock);
		} else if (!spin_trylock(&c->lock)) {
			rcu_read_unlock();
			__acquire(vswap_slot);
			return ERR_PTR(-EBUSY);
		}
		/* Locked and alive, it cannot be freed: RCU is no longer needed. */
		rcu_read_unlock();
		if (likely(!c->dead))
			return c;
		/* Emptied and unlinked under us: look again. */
		spin_unlock(&c->lock);
	}
}

/**
 * vswap_cluster_unlock - end a vswap_cluster_lock() section
 * @c: what vswap_cluster_lock() returned
 */
void vswap_cluster_unlock(struct vswap_cluster *c)
	__releases(vswap_slot)
{
	if (IS_ERR_OR_NULL(c))
		__release(vswap_slot);
	else
		spin_unlock(&c->lock);
}

/* ---------------------------------------------------------------------------
 * Slot updates
 */

/**
 * vswap_slot_replace - make @slot hold (@kind, @word)
 * @v:        the device
 * @slot:     virtual slot
 * @kind:     what @word is (not VSWAP_EMPTY)
 * @word:     the slot's new word
 * @old_kind: receives what the slot held (VSWAP_EMPTY: nothing)
 * @old:      ...and its word, without the VSWAP_ZS_STAGED mark
 *
 * The table only stores words: the caller releases the old payload, as
 * zram's table accessors leave it to the driver.  Fails only if a new
 * cluster cannot be allocated; the slot is then unchanged.
 */
int vswap_slot_replace(struct vswap *v, u64 slot, enum vswap_kind kind,
		       unsigned long word, enum vswap_kind *old_kind,
		       unsigned long *old)
{
	struct vswap_cluster *c;

	*old_kind = VSWAP_EMPTY;
	if (WARN_ON_ONCE(kind == VSWAP_EMPTY))
		return -EINVAL;
	c = vswap_cluster_lock(v, slot, VSWAP_CREATE);
	if (IS_ERR(c)) {
		vswap_cluster_unlock(c);
		return PTR_ERR(c);
	}
	*old_kind = vswap_slot_get(c, slot, old);
	slot_set(c, slot_pos(slot), kind, word);
	WRITE_ONCE(c->stamp, (u32)ktime_get_seconds());
	if (*old_kind == VSWAP_EMPTY) {
		c->nr_used++;
		atomic64_inc(&v->stats.stored_pages);
	}
	vswap_cluster_unlock(c);
	return 0;
}

/**
 * vswap_slot_cmpxchg - move @slot from one place to another
 * @v:        the device
 * @slot:     virtual slot
 * @old_kind: what the slot must still hold...
 * @old:      ...for the move to happen
 * @kind:     the new kind
 * @word:     the new word
 *
 * Writeback and compaction copy a slot's data and commit with this once the
 * copy is on a tier: if the slot was freed or rewritten meanwhile, nothing
 * changes.  A pool object (@old_kind VSWAP_ZS) must still carry the
 * VSWAP_ZS_STAGED mark its copy set: a word equal to @old is not enough, as
 * the same handle or page may have been freed and stored again.  A lower
 * location cannot come back this way: its segment stays pinned, or under
 * wb.lock, until the copy commits.  The caller releases the old payload on
 * success.
 *
 * Return: true if the slot now holds (@kind, @word).
 */
bool vswap_slot_cmpxchg(struct vswap *v, u64 slot, enum vswap_kind old_kind,
			unsigned long old, enum vswap_kind kind,
			unsigned long word)
{
	struct vswap_cluster *c = vswap_cluster_lock(v, slot, VSWAP_FIND);
	unsigned int i = slot_pos(slot);
	bool done;

	if (old_kind == VSWAP_ZS)
		old |= VSWAP_ZS_STAGED;
	done = !IS_ERR_OR_NULL(c) && slot_kind(c, i) == old_kind &&
	       c->slots[i] == old;
	if (done)
		slot_set(c, slot_pos(slot), kind, word);
	vswap_cluster_unlock(c);
	return done;
}

/* Empty slot @slot of locked cluster @c; returns true if @c must be retired. */
static bool vswap_slot_clear(struct vswap *v, struct vswap_cluster *c, u64 slot)
{
	slot_set(c, slot_pos(slot), VSWAP_EMPTY, 0);
	atomic64_dec(&v->stats.stored_pages);
	if (--c->nr_used)
		return false;
	vswap_cluster_retire(v, c);
	return true;
}

/**
 * vswap_slot_free - empty a slot
 * @v:      the device
 * @slot:   virtual slot
 * @atomic: only try the cluster lock
 * @kind:   receives what the slot held (VSWAP_EMPTY: nothing)
 * @word:   ...and its word: the caller releases the payload
 *
 * Never sleeps: callable from the swap core's slot-free notification.
 *
 * Return: 0, or -EBUSY if @atomic and the cluster lock was contended; the
 * slot is then left as it was.
 */
int vswap_slot_free(struct vswap *v, u64 slot, bool atomic,
		    enum vswap_kind *kind, unsigned long *word)
{
	struct vswap_cluster *c;
	bool retired;

	*kind = VSWAP_EMPTY;
	c = vswap_cluster_lock(v, slot, atomic ? VSWAP_TRY : VSWAP_FIND);
	if (IS_ERR_OR_NULL(c)) {
		vswap_cluster_unlock(c);
		return PTR_ERR_OR_ZERO(c);
	}
	*kind = vswap_slot_get(c, slot, word);
	retired = *kind != VSWAP_EMPTY && vswap_slot_clear(v, c, slot);
	vswap_cluster_unlock(c);

	if (retired)
		call_rcu(&c->rcu, vswap_cluster_free_rcu);
	return 0;
}

/**
 * vswap_table_next - the next live cluster at or after *@index
 * @v:     the device
 * @index: cluster number to start at; receives the one found
 * @last:  last cluster number wanted
 *
 * For walks over a range (discard, drop) that skip clusters that do not
 * exist, so that a sparse device of any size is cheap to walk.
 *
 * Return: true if one was found.
 */
bool vswap_table_next(struct vswap *v, unsigned long *index, unsigned long last)
{
	return xa_find(&v->clusters, index, last, XA_PRESENT);
}

/* Is every cluster gone (after a drop)? */
bool vswap_table_empty(struct vswap *v)
{
	return xa_empty(&v->clusters);
}

/**
 * vswap_idle_mark - mark idle the used slots of clusters not written since
 * @v:         the device
 * @max_stamp: clusters whose last store is at or before this time (seconds
 *             since boot; U32_MAX for all)
 */
void vswap_idle_mark(struct vswap *v, u32 max_stamp)
{
	struct vswap_cluster *c;
	unsigned long index;

	xa_for_each(&v->clusters, index, c) {
		c = vswap_cluster_lock(v, (u64)index << VSWAP_CLUSTER_SHIFT,
				       VSWAP_FIND);
		if (c && c->stamp <= max_stamp)
			bitmap_or(c->idle, c->kind_lo, c->kind_hi,
				  VSWAP_CLUSTER_SLOTS);
		vswap_cluster_unlock(c);
		cond_resched();
	}
}

/**
 * vswap_clusters_coldest - the coldest live clusters in a range of keys
 * @v:     the device
 * @from:  smallest key wanted (0 for the coldest of all)
 * @until: largest key wanted
 * @keys:  receives up to @max keys, ascending
 * @max:   room in @keys
 *
 * A key is a cluster's stamp (time of its last store) in the high half and
 * its number in the low half: ascending keys are coldest first, and a walk
 * that asks again from its last key + 1 visits every cluster once, however
 * many there are, with no allocation (writeback runs in reclaim).  A
 * cluster written meanwhile gets a larger key and may come again, unless
 * @until (a stamp taken when the walk began) stops it: a walk under steady
 * stores ends.  A cluster in the list may die before it is used: users
 * look each one up.  May sleep (it yields every so often on a big table).
 *
 * Return: the number of keys in @keys.
 */
unsigned int vswap_clusters_coldest(struct vswap *v, u64 from, u64 until,
				    u64 *keys, unsigned int max)
{
	XA_STATE(xas, &v->clusters, 0);
	unsigned int n = 0, seen = 0, lo, hi, mid;
	struct vswap_cluster *c;
	u64 key;

	rcu_read_lock();
	xas_for_each(&xas, c, ULONG_MAX) {
		if (xas_retry(&xas, c))
			continue;
		key = (u64)READ_ONCE(c->stamp) << 32 | xas.xa_index;
		if (key >= from && key <= until &&
		    (n < max || key < keys[max - 1])) {
			/* Insert in order, dropping the largest when full. */
			for (lo = 0, hi = n; lo < hi;) {
				mid = (lo + hi) / 2;
				if (keys[mid] < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (n < max)
				n++;
			memmove(&keys[lo + 1], &keys[lo],
				(n - 1 - lo) * sizeof(*keys));
			keys[lo] = key;
		}
		if (!(++seen & 1023)) {
			xas_pause(&xas);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return n;
}

/* ---------------------------------------------------------------------------
 * Accounting and setup
 */

/* Bytes of slot metadata: every live cluster's header and slot words. */
u64 vswap_meta_bytes(struct vswap *v)
{
	u64 per_cluster = kmem_cache_size(vswap_cluster_cache) +
			  kmem_cache_size(vswap_slots_cache);

	return atomic64_read(&v->stats.nr_clusters) * per_cluster;
}

void vswap_table_init(struct vswap *v)
{
	xa_init(&v->clusters);
}

int vswap_cluster_init(void)
{
	/* Kinds live in two bitmaps; a raw-object tag must fit a handle's slack. */
	BUILD_BUG_ON(VSWAP_LOWER > 3);
	BUILD_BUG_ON((VSWAP_ZS_RAW | VSWAP_ZS_STAGED) & ~VSWAP_ZS_TAG_MASK);
	BUILD_BUG_ON(VSWAP_CLUSTER_SLOTS > U16_MAX);

	vswap_cluster_cache = kmem_cache_create("vswap_cluster",
						sizeof(struct vswap_cluster),
						0, 0, NULL);
	vswap_slots_cache = kmem_cache_create("vswap_slots",
					      VSWAP_CLUSTER_SLOTS *
					      sizeof(unsigned long), 0, 0, NULL);
	if (!vswap_cluster_cache || !vswap_slots_cache) {
		vswap_cluster_exit();
		return -ENOMEM;
	}
	return 0;
}

void vswap_cluster_exit(void)
{
	/* Clusters retired by call_rcu() must be gone before the caches. */
	rcu_barrier();
	kmem_cache_destroy(vswap_slots_cache);
	kmem_cache_destroy(vswap_cluster_cache);
	vswap_slots_cache = NULL;
	vswap_cluster_cache = NULL;
}
