// SPDX-License-Identifier: GPL-2.0
/*
 * vswap writeback: moving cold pages from memory to lower tiers.
 *
 * Writeback works in batches, one segment each, in four stages:
 *   select  - slots of the wanted kind, coldest clusters first;
 *   stage   - copy each object as it is stored (still compressed) into the
 *             segment buffer, under the slot's cluster lock;
 *   write   - one sequential write of the packed segment, no slot locked;
 *   commit  - point each slot at its lower copy if it still holds what was
 *             staged (it may have been freed or rewritten meanwhile), then
 *             release the memory copy.
 * A failed write changes no slot: the pages stay in memory and the tier is
 * marked failing.
 *
 * The same batches move objects that already live on a tier: compaction
 * empties sparse segments into new ones, and drain (on detach) empties every
 * segment of a tier into another tier or back into memory.  Both read the
 * old segment whole and find its objects through the reverse map, the
 * summary at the segment's end.
 *
 * Objects are recompressed as they are staged, with zstd by default
 * (wb_comp_algorithm): cold pages are worth a stronger compressor than the
 * pool's, both in bytes written and in tier space.
 *
 * Policy: a worker starts when the pool passes wb.high % of mem_limit and
 * writes back the coldest clusters until it is under wb.low %; a store that
 * finds the pool at mem_limit waits for that worker rather than fail; by
 * hand, `writeback` takes idle, huge, all or a page count.  A byte budget
 * per period bounds device wear.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32c.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_comp.h"
#include "vswap_mover.h"
#include "vswap_pool.h"
#include "vswap_table.h"
#include "vswap_tier.h"

/**
 * vswap_wb_lock - take wb.lock for one batch
 * @wb: the writeback state
 *
 * Everything under wb.lock runs in a noio scope: a batch may be taken by
 * a task in reclaim (the automatic worker, or an admin's task that reclaim
 * entered), and an allocation that started I/O could swap into vswap and
 * wait for writeback, which needs this lock.  Held one batch at a time,
 * never across a whole pass or drain: stores at mem_limit wait for the
 * worker (vswap_wb_wait()), which waits for this lock.
 */
void vswap_wb_lock(struct vswap_wb *wb)
{
	mutex_lock(&wb->lock);
	wb->noio = memalloc_noio_save();
}

void vswap_wb_unlock(struct vswap_wb *wb)
{
	memalloc_noio_restore(wb->noio);
	mutex_unlock(&wb->lock);
}

/* ---------------------------------------------------------------------------
 * Tier choice
 */

/**
 * vswap_tier_best - the active tier with room and the highest priority
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
		    !vswap_tier_has_room(t))
			continue;
		if (!best || t->prio > best->prio)
			best = t;
	}
	return best;
}

/* ---------------------------------------------------------------------------
 * Budget
 */

static bool vswap_budget_allows(struct vswap_wb *wb, u32 bytes)
{
	lockdep_assert_held(&wb->lock);
	if (!wb->budget)
		return true;
	if (time_after(jiffies, wb->period_start + wb->period * HZ)) {
		wb->period_start = jiffies;
		wb->period_bytes = 0;
	}
	return wb->period_bytes + bytes <= wb->budget;
}

/* ---------------------------------------------------------------------------
 * Batches
 */

/* No tier to write to: -EIO if every attached tier failed, else -ENOSPC. */
static int vswap_no_tier(struct vswap *v)
{
	struct vswap_tier *t;
	bool failing = false;
	unsigned int id;

	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference_protected(v->tiers[id],
					      lockdep_is_held(&v->wb.lock));
		if (!t)
			continue;
		if (READ_ONCE(t->state) != VSWAP_TIER_FAILING)
			return -ENOSPC;
		failing = true;
	}
	return failing ? -EIO : -ENOSPC;
}

int vswap_batch_open(struct vswap_batch *b)
{
	b->t = vswap_tier_best(b->v);
	b->fill = 0;
	b->nr = 0;
	if (!b->t)
		return vswap_no_tier(b->v);
	if (vswap_seg_open(b->t, &b->seg, &b->gen)) {
		b->t = NULL;
		return -ENOSPC;
	}
	return 0;
}

/*
 * Bytes the next object may take in the open batch: what the segment has
 * left once the summary has room for one more entry (and up to 3 bytes to
 * align it); 0 when the item array is full.
 */
static u32 vswap_batch_space(struct vswap_batch *b)
{
	u32 reserve = vswap_seg_summary_size(b->nr + 1) + sizeof(__le32) - 1;

	if (b->nr >= b->v->wb.cap || b->fill + reserve >= b->t->seg_size)
		return 0;
	return b->t->seg_size - b->fill - reserve;
}

/* Room for @len more bytes in the open batch? */
bool vswap_batch_room(struct vswap_batch *b, u32 len)
{
	return len <= vswap_batch_space(b);
}

/* Room for an object after its checksum, or 0. */
static u32 vswap_batch_obj_space(struct vswap_batch *b)
{
	u32 space = vswap_batch_space(b);

	return space > VSWAP_OBJ_CSUM_SIZE ? space - VSWAP_OBJ_CSUM_SIZE : 0;
}

/*
 * Add the object of @len bytes just copied to wb.buf past b->fill's
 * checksum room; the checksum goes in front of it, for its slot and this
 * segment's generation.
 */
void vswap_batch_stage(struct vswap_batch *b, u64 slot, enum vswap_kind kind,
		       unsigned long word, u32 len)
{
	u8 *at = b->v->wb.buf + b->fill;

	put_unaligned_le32(vswap_obj_csum(slot, b->gen, at + VSWAP_OBJ_CSUM_SIZE,
					  len), at);
	len += VSWAP_OBJ_CSUM_SIZE;
	b->v->wb.items[b->nr++] = (struct vswap_wb_item) {
		.slot = slot, .kind = kind, .word = word, .off = b->fill,
		.len = len,
	};
	b->fill += len;
}

/* Commit one item: true if its slot now points to the lower copy. */
static bool vswap_item_commit(struct vswap_batch *b,
			      const struct vswap_wb_item *it)
{
	struct vswap *v = b->v;
	struct vswap_loc loc = {
		.tier = b->t->id, .seg = b->seg, .off = it->off, .len = it->len,
	};

	atomic64_inc(&v->wb_stats.lower_pages);
	if (!vswap_slot_cmpxchg(v, it->slot, it->kind, it->word, VSWAP_LOWER,
				vswap_loc_word(&loc))) {
		atomic64_dec(&v->wb_stats.lower_pages);
		return false;
	}
	if (it->kind == VSWAP_LOWER)
		atomic64_inc(&v->wb_stats.compact_moved);
	else
		atomic64_inc(&v->wb_stats.wb_pages);
	vswap_release_payload(v, it->kind, it->word);
	return true;
}

/* Abandon an open batch: nothing was written, every slot is unchanged. */
void vswap_batch_abort(struct vswap_batch *b)
{
	u32 i;

	for (i = 0; i < b->nr; i++)
		if (b->v->wb.items[i].kind == VSWAP_ZS)
			vswap_slot_unstage(b->v, b->v->wb.items[i].slot,
					   b->v->wb.items[i].word);
	b->nr = 0;
	if (b->t)
		vswap_seg_close(b->t, b->seg, 0, 0, 0, 0);
	b->t = NULL;
}

/*
 * Append the batch's summary to wb.buf (see struct vswap_seg_footer): the
 * slot of each staged object, in order.  Returns the summary's offset.
 */
static u32 vswap_batch_summary(struct vswap_batch *b)
{
	struct vswap_wb *wb = &b->v->wb;
	u32 map_off = round_up(b->fill, sizeof(__le32));
	__le32 *map = (__le32 *)(wb->buf + map_off);
	struct vswap_seg_footer *f = (struct vswap_seg_footer *)(map + b->nr);
	u32 i;

	memset(wb->buf + b->fill, 0, map_off - b->fill);
	for (i = 0; i < b->nr; i++)
		map[i] = cpu_to_le32(wb->items[i].slot);
	f->magic = cpu_to_le32(VSWAP_SEG_MAGIC);
	f->version = cpu_to_le16(VSWAP_SEG_VERSION);
	f->reserved = 0;
	f->nr = cpu_to_le32(b->nr);
	f->gen = cpu_to_le32(b->gen);
	f->crc = cpu_to_le32(crc32c(~0U, map, (u8 *)&f->crc - (u8 *)map));
	return map_off;
}

/* Write the batch and commit its items. */
int vswap_batch_write(struct vswap_batch *b)
{
	struct vswap_wb *wb = &b->v->wb;
	struct vswap_tier *t = b->t;
	u32 used, end, map_off, live = 0, i;
	int ret;

	if (!t || !b->nr) {
		vswap_batch_abort(b);
		return 0;
	}
	map_off = vswap_batch_summary(b);
	end = map_off + vswap_seg_summary_size(b->nr);
	used = round_up(end, t->lbs);
	if (!vswap_budget_allows(wb, used)) {
		atomic64_inc(&b->v->wb_stats.budget_stops);
		vswap_batch_abort(b);
		return -EDQUOT;
	}
	memset(wb->buf + end, 0, used - end);
	ret = vswap_tier_write(t, (u64)b->seg * t->seg_size, wb->buf, used);
	if (ret) {
		vswap_tier_fail(t);
		vswap_batch_abort(b);
		return -EIO;
	}
	wb->period_bytes += used;
	b->written++;
	atomic64_add(used, &b->v->wb_stats.wb_bytes);
	atomic64_inc(&b->v->wb_stats.seg_written);

	for (i = 0; i < b->nr; i++)
		if (vswap_item_commit(b, &wb->items[i]))
			live += wb->items[i].len;
	vswap_seg_close(t, b->seg, used, live, map_off, b->nr);
	b->t = NULL;
	return 0;
}

/* ---------------------------------------------------------------------------
 * Writeback from memory
 */

static bool vswap_wb_wanted(struct vswap_cluster *c, u64 slot,
			    unsigned long word, enum vswap_wb_mode mode)
{
	switch (mode) {
	case VSWAP_WB_IDLE:
		return vswap_slot_is_idle(c, slot);
	case VSWAP_WB_HUGE:
		return word & VSWAP_ZS_RAW;
	default:
		return true;
	}
}

/*
 * Recompress the object just copied into the batch with wb.algo, unless
 * told to keep objects as they are.  Returns its length afterwards.
 */
static u32 vswap_stage_recompress(struct vswap_batch *b, u32 len)
{
	struct vswap_wb *wb = &b->v->wb;
	/* Pairs with wb_comp_algorithm_store(): its streams exist. */
	unsigned int algo = smp_load_acquire(&wb->algo);
	u32 nlen;

	lockdep_assert_held(&wb->lock);
	if (algo == VSWAP_WB_KEEP)
		return len;
	nlen = vswap_obj_recompress(b->v, wb->buf + b->fill + VSWAP_OBJ_CSUM_SIZE,
				    len, algo, wb->scratch, wb->lowbuf);
	if (nlen < len)
		atomic64_inc(&b->v->wb_stats.recompressed);
	return nlen;
}

/*
 * Stage @slot if it is in memory and wanted.  Returns its length, 0 if it
 * is not wanted, or -ENOSPC if the batch is full.
 */
static int vswap_stage_slot(struct vswap_batch *b, u64 slot,
			    enum vswap_wb_mode mode)
{
	struct vswap *v = b->v;
	struct vswap_cluster *c;
	unsigned long word;
	u32 len = 0;
	int ret = 0;

	c = vswap_cluster_lock(v, slot, VSWAP_FIND);
	if (IS_ERR_OR_NULL(c) || vswap_slot_get(c, slot, &word) != VSWAP_ZS ||
	    vswap_slot_staged(c, slot) || !vswap_wb_wanted(c, slot, word, mode))
		goto out;
	len = vswap_pool_obj_read(v, word, v->wb.buf + b->fill +
				  VSWAP_OBJ_CSUM_SIZE, vswap_batch_obj_space(b));
	ret = len ? len : -ENOSPC;
	if (len)
		vswap_slot_stage(c, slot);
out:
	vswap_cluster_unlock(c);
	if (len) {
		len = vswap_stage_recompress(b, len);
		vswap_batch_stage(b, slot, VSWAP_ZS, word, len);
	}
	return ret;
}

/**
 * struct vswap_wb_goal - when a writeback pass is done
 * @mode:  what to write back
 * @pages: pages still wanted (VSWAP_WB_COUNT)
 * @bytes: pool bytes still to free (VSWAP_WB_AUTO)
 * @staged: pages staged so far, for `progress`
 */
struct vswap_wb_goal {
	enum vswap_wb_mode mode;
	u64 pages;
	u64 bytes;
	u64 staged;
};

static bool vswap_goal_met(const struct vswap_wb_goal *g)
{
	return (g->mode == VSWAP_WB_COUNT && !g->pages) ||
	       (g->mode == VSWAP_WB_AUTO && !g->bytes);
}

static void vswap_goal_staged(struct vswap_wb_goal *g, u32 len)
{
	if (g->pages)
		g->pages--;
	g->bytes -= min_t(u64, g->bytes, len);
	g->staged++;
}

/* Clusters a writeback pass picks at a time, coldest first. */
#define VSWAP_WB_PICK	32

/**
 * struct vswap_wb_cursor - where a writeback pass is, between batches
 * @keys:  the clusters picked (vswap_clusters_coldest()), coldest first
 * @nr:    entries in @keys
 * @i:     the cluster being staged
 * @pos:   the next slot in it
 * @from:  the key to pick from when @keys is used up
 * @until: the largest key the pass takes: clusters stored into after the
 *         pass began are not its business, so it ends under steady stores
 *
 * Kept across batches, which each hold wb.lock on their own: a pass is
 * many batches, and the swap path must not wait for a whole pass.
 */
struct vswap_wb_cursor {
	u64 keys[VSWAP_WB_PICK];
	unsigned int nr;
	unsigned int i;
	unsigned int pos;
	u64 from;
	u64 until;
};

/*
 * The slot the cursor is at; false when the picked clusters are used up
 * (vswap_cursor_pick() picks more).
 */
static bool vswap_cursor_slot(struct vswap_wb_cursor *cur, u64 *slot)
{
	if (cur->pos == VSWAP_CLUSTER_SLOTS) {
		cur->pos = 0;
		cur->i++;
	}
	if (cur->i == cur->nr)
		return false;
	*slot = (u64)(u32)cur->keys[cur->i] << VSWAP_CLUSTER_SHIFT | cur->pos;
	return true;
}

/* Pick the next clusters; false at the end of the pass. */
static bool vswap_cursor_pick(struct vswap *v, struct vswap_wb_cursor *cur)
{
	if (cur->nr)
		cur->from = cur->keys[cur->nr - 1] + 1;
	cur->nr = vswap_clusters_coldest(v, cur->from, cur->until, cur->keys,
					 VSWAP_WB_PICK);
	cur->i = 0;
	cur->pos = 0;
	return cur->nr;
}

/* Picks one batch may scan: what bounds a batch that finds little it wants. */
#define VSWAP_WB_BATCH_PICKS	4

/*
 * Fill batch @b from the cursor with what @g wants, until the batch is
 * full or has scanned VSWAP_WB_BATCH_PICKS picks of clusters (1: the pass
 * goes on), the pass is over (0) or an error.  A slot that did not fit is
 * tried again by the next batch.  A cluster stored into meanwhile may come
 * back in a later pick of the same batch: vswap_stage_slot() skips what the
 * batch has already (vswap_slot_staged()).
 */
static int vswap_wb_fill(struct vswap_batch *b, struct vswap_wb_cursor *cur,
			 struct vswap_wb_goal *g)
{
	unsigned int picks = 0;
	u64 slot;
	int ret;

	while (!vswap_goal_met(g)) {
		if (!vswap_cursor_slot(cur, &slot)) {
			if (picks++ == VSWAP_WB_BATCH_PICKS)
				return 1;
			if (!vswap_cursor_pick(b->v, cur))
				return 0;
			continue;
		}
		ret = vswap_stage_slot(b, slot, g->mode);
		if (ret == -ENOSPC)
			return 1;
		if (ret > 0)
			vswap_goal_staged(g, ret);
		cur->pos++;
		if (!(cur->pos & 63))
			cond_resched();
	}
	return 0;
}

/*
 * One batch of a writeback pass, under wb.lock: open a segment on the best
 * tier (compacting once if none is free), fill it, write it.  Returns 1 if
 * the pass goes on, 0 when it is over, or an errno.
 */
static int vswap_wb_batch(struct vswap *v, struct vswap_wb_cursor *cur,
			  struct vswap_wb_goal *g, bool *compacted)
{
	struct vswap_batch b = { .v = v };
	int more, ret;

	lockdep_assert_held(&v->wb.lock);
	if (!v->wb.buf)
		return -ENOSPC;
	ret = vswap_batch_open(&b);
	if (ret == -ENOSPC && !*compacted) {
		/* Out of segments: make room by compaction, then try once more. */
		*compacted = true;
		ret = vswap_compact_locked(v);
		if (!ret)
			ret = vswap_batch_open(&b);
	}
	if (ret)
		return ret;
	more = vswap_wb_fill(&b, cur, g);
	ret = vswap_batch_write(&b);
	return ret ?: more;
}

/* Wake the stores waiting at mem_limit (vswap_wb_wait()): room may be there. */
void vswap_wb_room(struct vswap *v)
{
	if (wq_has_sleeper(&v->wb.room))
		wake_up_all(&v->wb.room);
}

/*
 * A writeback pass: batch after batch, each holding wb.lock on its own.
 * An admin's pass (@op set) shows in `progress` and stops with -EINTR on a
 * fatal signal.
 */
static int vswap_wb_pass(struct vswap *v, struct vswap_wb_goal *g,
			 struct vswap_op *op)
{
	struct vswap_wb_cursor cur = {
		.until = (u64)(u32)ktime_get_seconds() << 32 | U32_MAX,
	};
	bool compacted = false;
	int ret;

	do {
		vswap_wb_lock(&v->wb);
		ret = vswap_wb_batch(v, &cur, g, &compacted);
		vswap_wb_unlock(&v->wb);
		vswap_wb_room(v);
		if (op)
			vswap_op_update(op, g->staged);
		cond_resched();
		if (ret > 0 && op && fatal_signal_pending(current))
			ret = -EINTR;
	} while (ret > 0);
	return ret;
}

/*
 * Pages an admin's writeback of @mode can write at most, as far as the
 * counters tell without a walk: 0 (not known) for idle pages.
 */
static u64 vswap_wb_total(struct vswap *v, enum vswap_wb_mode mode, u64 nr)
{
	s64 in_pool = atomic64_read(&v->stats.stored_pages) -
		      atomic64_read(&v->stats.same_pages) -
		      atomic64_read(&v->wb_stats.lower_pages);

	switch (mode) {
	case VSWAP_WB_COUNT:
		return nr;
	case VSWAP_WB_ALL:
		return max_t(s64, in_pool, 0);
	case VSWAP_WB_HUGE:
		return max_t(s64, atomic64_read(&v->stats.huge_pages), 0);
	default:
		return 0;
	}
}

static const char * const vswap_wb_mode_names[] = {
	[VSWAP_WB_IDLE]		= "idle",
	[VSWAP_WB_HUGE]		= "huge",
	[VSWAP_WB_ALL]		= "all",
	[VSWAP_WB_COUNT]	= "count",
};

/* Pool bytes above the low watermark: what an automatic pass frees. */
static u64 vswap_wb_excess(struct vswap *v)
{
	unsigned long limit = atomic_long_read(&v->limit_pages);
	u64 low = mult_frac((u64)limit, READ_ONCE(v->wb.low), 100);
	u64 used = vswap_pool_pages(v);

	return limit && used > low ? (used - low) << PAGE_SHIFT : 0;
}

/* The automatic worker's passes: no record in `progress`, not killable. */
static void vswap_wb_auto(struct vswap *v)
{
	struct vswap_wb_goal g = { .mode = VSWAP_WB_HUGE };

	if (READ_ONCE(v->wb.huge_direct))
		vswap_wb_pass(v, &g, NULL);	/* best effort */
	g = (struct vswap_wb_goal){ .mode = VSWAP_WB_AUTO,
				    .bytes = vswap_wb_excess(v) };
	if (g.bytes)
		vswap_wb_pass(v, &g, NULL);
}

/**
 * vswap_writeback - write pages back to the lower tiers now, for an admin
 * @v:    the device
 * @mode: which pages (not VSWAP_WB_AUTO)
 * @nr:   how many, for VSWAP_WB_COUNT
 *
 * wb.lock is held one batch (one segment) at a time, so stores and the
 * automatic worker go on while a long writeback runs; `progress` shows how
 * far it got.
 *
 * Return: 0; -ENOSPC if there is no tier with room; -EIO if a tier failed;
 * -EDQUOT if the budget stopped it; -EINTR if killed (what was written
 * stays written).
 */
int vswap_writeback(struct vswap *v, enum vswap_wb_mode mode, u64 nr)
{
	struct vswap_wb_goal g = { .mode = mode, .pages = nr };
	struct vswap_op op;
	int ret;

	if (WARN_ON_ONCE(mode == VSWAP_WB_AUTO))
		return -EINVAL;
	vswap_op_begin(v, &op, "writeback", vswap_wb_mode_names[mode], "pages",
		       vswap_wb_total(v, mode, nr));
	ret = vswap_wb_pass(v, &g, &op);
	vswap_op_end(v, &op);
	return ret;
}

static void vswap_wb_work(struct work_struct *work)
{
	struct vswap *v = container_of(work, struct vswap, wb.work);

	vswap_wb_auto(v);
	vswap_wb_room(v);
}

/**
 * vswap_wb_kick - start background writeback
 * @v: the device
 */
void vswap_wb_kick(struct vswap *v)
{
	if (vswap_has_tiers(v) && !work_pending(&v->wb.work))
		queue_work(v->wb.wq, &v->wb.work);
}

/**
 * vswap_wb_wait - make room for a store that found the pool at mem_limit
 * @v:        the device
 * @deadline: 0 on a store's first wait, which sets it; the same store's
 *            later waits (room made, then taken by another store before
 *            its retry) share it, so that a store waits wb.wait_ms in all
 *
 * Kicks the writeback worker and waits until the pool is under mem_limit,
 * for at most wb.wait_ms (VSWAP_WB_WAIT_MS by default): refusing the page
 * at once would make the swap core keep it in RAM while a tier could take
 * the coldest pages, but
 * a store must never wait for more than that (an admin's drain or a slow
 * tier could otherwise stall every swap-out).  It does not wait at all
 * when no tier can take writeback, nor for a second after a wait that saw
 * no page written back (tiers full, budget spent, tier failing).
 *
 * Return: true if the pool is under the limit: worth retrying the store.
 */
bool vswap_wb_wait(struct vswap *v, unsigned long *deadline)
{
	unsigned int ms = READ_ONCE(v->wb.wait_ms);
	long left;
	u64 before;

	might_sleep();
	if (!ms || !vswap_tiers_writable(v) ||
	    time_before(jiffies, READ_ONCE(v->wb.stall_until)))
		return false;
	if (!*deadline) {
		atomic64_inc(&v->wb_stats.wb_waits);
		*deadline = jiffies + msecs_to_jiffies(ms);
	}
	left = (long)(*deadline - jiffies);
	if (left <= 0)
		goto fail;
	before = atomic64_read(&v->wb_stats.wb_pages);
	vswap_wb_kick(v);
	if (wait_event_timeout(v->wb.room, !vswap_pool_at_limit(v), left))
		return true;
	if (atomic64_read(&v->wb_stats.wb_pages) == before)
		WRITE_ONCE(v->wb.stall_until, jiffies + HZ);
fail:
	atomic64_inc(&v->wb_stats.wb_wait_fails);
	return false;
}

/* ---------------------------------------------------------------------------
 * Setup
 */

static void vswap_wb_buffers_free(struct vswap_wb *wb)
{
	if (wb->scratch)
		__free_page(wb->scratch);
	wb->scratch = NULL;
	kfree(wb->lowbuf);
	wb->lowbuf = NULL;
	kvfree(wb->items);
	vfree(wb->rbuf);
	vfree(wb->buf);
	wb->items = NULL;
	wb->rbuf = NULL;
	wb->buf = NULL;
	wb->cap = 0;
}

/*
 * Streams for recompression at writeback.  The default, zstd, falls back
 * to keeping objects as they are on a kernel without it.
 */
static int vswap_wb_algo_prepare(struct vswap *v)
{
	/* As in vswap_stage_recompress(). */
	unsigned int algo = smp_load_acquire(&v->wb.algo);
	int ret;

	if (algo == VSWAP_WB_KEEP)
		return 0;
	ret = vswap_comp_prepare(v, algo);
	if (ret == -ENOENT) {
		/* Readers use acquire; keep needs no streams. */
		smp_store_release(&v->wb.algo, VSWAP_WB_KEEP);
		ret = 0;
	}
	return ret;
}

/**
 * vswap_wb_buffers - allocate what writeback needs, on the first attach
 * @v: the device
 *
 * Buffers hold one segment (segment_size cannot change while a tier is
 * attached); the smallest object is a header and a few bytes, so a
 * segment holds at most segment_size / 16 objects.
 */
int vswap_wb_buffers(struct vswap *v)
{
	struct vswap_wb *wb = &v->wb;
	int ret = 0;

	vswap_wb_lock(wb);
	if (wb->buf)
		goto out;
	ret = vswap_lower_bufs_create(v);
	if (!ret)
		ret = vswap_wb_algo_prepare(v);
	if (ret)
		goto out;
	wb->cap = wb->seg_size / 16;
	wb->items = kvmalloc_array(wb->cap, sizeof(*wb->items), GFP_KERNEL);
	wb->rbuf = vmalloc(wb->seg_size);
	wb->buf = vmalloc(wb->seg_size);
	wb->scratch = alloc_page(GFP_KERNEL);
	wb->lowbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!wb->items || !wb->rbuf || !wb->buf || !wb->scratch || !wb->lowbuf) {
		vswap_wb_buffers_free(wb);
		ret = -ENOMEM;
	}
out:
	vswap_wb_unlock(wb);
	return ret;
}

/**
 * vswap_wb_buffers_put - the last tier is gone: return the buffers
 * @v: the device
 */
void vswap_wb_buffers_put(struct vswap *v)
{
	lockdep_assert_held(&v->wb.lock);
	if (!vswap_has_tiers(v))
		vswap_wb_buffers_free(&v->wb);
}

int vswap_wb_init(struct vswap *v)
{
	struct vswap_wb *wb = &v->wb;

	mutex_init(&wb->lock);
	INIT_WORK(&wb->work, vswap_wb_work);
	init_waitqueue_head(&wb->room);
	INIT_LIST_HEAD(&wb->ops);
	spin_lock_init(&wb->ops_lock);
	wb->seg_size = VSWAP_SEG_DEFAULT;
	wb->algo = VSWAP_ALGO_ZSTD;
	wb->wait_ms = VSWAP_WB_WAIT_MS;
	wb->high = 90;
	wb->low = 75;
	wb->period = 3600;
	wb->period_start = jiffies;
	wb->wq = alloc_workqueue(VSWAP_NAME "_wb", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return wb->wq ? 0 : -ENOMEM;
}

void vswap_wb_exit(struct vswap *v)
{
	struct vswap_wb *wb = &v->wb;

	cancel_work_sync(&wb->work);
	if (wb->wq)
		destroy_workqueue(wb->wq);
	wb->wq = NULL;
	vswap_wb_buffers_free(wb);
}
