// SPDX-License-Identifier: GPL-2.0
/*
 * vswap mover, part two: objects that already live on a tier.
 *
 * Compaction empties sparse segments into new ones; drain (lower_remove)
 * empties every segment of a tier into other tiers or back into memory;
 * migration (lower_migrate) is a drain that never uses memory.  All read a
 * source segment whole, verify its summary and each object's checksum,
 * find the objects' slots through the summary (the reverse map) and move
 * those whose slot still points there, in the same batches as writeback
 * (vswap_writeback.c).  wb.lock is held one batch at a time: at most
 * VSWAP_MOVE_SRC_MAX segments read and one segment written per hold, so no
 * store or swap-in waits for a drain of any size.
 *
 * This file also holds the mover's side of attach and detach: it readies
 * the writeback buffers before the tier layer attaches a tier, and drains a
 * tier before the tier layer unpublishes and destroys it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32c.h>
#include <linux/sched/mm.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_mover.h"
#include "vswap_pool.h"
#include "vswap_table.h"
#include "vswap_tier.h"

/* ---------------------------------------------------------------------------
 * Moving objects that live on a tier: compaction and drain
 */

/* Move one lower object, read into @obj, to memory. */
static int vswap_move_to_memory(struct vswap *v, u64 slot, unsigned long word,
				const u8 *obj, u32 len)
{
	unsigned long nword;
	int ret;

	ret = vswap_pool_put_object(v, obj, len, &nword);
	if (ret)
		return ret;
	if (!vswap_slot_cmpxchg(v, slot, VSWAP_LOWER, word, VSWAP_ZS, nword)) {
		vswap_release_payload(v, VSWAP_ZS, nword);
		return 0;
	}
	atomic64_inc(&v->wb_stats.compact_moved);
	vswap_release_payload(v, VSWAP_LOWER, word);
	return 0;
}

/* Does @slot still point at (@t, @seg)?  Returns its word in @word. */
static bool vswap_slot_in_seg(struct vswap *v, u64 slot, struct vswap_tier *t,
			      u32 seg, unsigned long *word)
{
	struct vswap_cluster *c = vswap_cluster_lock(v, slot, VSWAP_FIND);
	struct vswap_loc loc;
	bool live = false;

	if (!IS_ERR_OR_NULL(c) && vswap_slot_get(c, slot, word) == VSWAP_LOWER) {
		vswap_loc_decode(*word, &loc);
		live = loc.tier == t->id && loc.seg == seg;
	}
	vswap_cluster_unlock(c);
	return live;
}

/*
 * Move one live object of segment @seg of @t, read into wb.rbuf, into batch
 * @b, or into memory if @b has no tier and may use memory.  The object is
 * verified first: wrong data is never moved (-EBADMSG: it stays where it
 * is, and its slot reads fail with an I/O error).
 */
static int vswap_move_object(struct vswap_batch *b, struct vswap_tier *t,
			     u32 seg, u64 slot, unsigned long word)
{
	struct vswap *v = b->v;
	struct vswap_loc loc;
	const u8 *obj;
	u32 len;
	int ret;

	vswap_loc_decode(word, &loc);
	if (!vswap_obj_check(t, seg, loc.off, slot, v->wb.rbuf + loc.off, loc.len))
		return -EBADMSG;
	obj = v->wb.rbuf + loc.off + VSWAP_OBJ_CSUM_SIZE;
	len = loc.len - VSWAP_OBJ_CSUM_SIZE;
	if (b->t && !vswap_batch_room(b, loc.len)) {
		ret = vswap_batch_write(b);
		if (ret)
			return ret;
		vswap_batch_open(b);
	}
	if (!b->t && !b->memory_ok)
		return -ENOSPC;
	if (!b->t)
		return vswap_move_to_memory(v, slot, word, obj, len);
	memcpy(v->wb.buf + b->fill + VSWAP_OBJ_CSUM_SIZE, obj, len);
	vswap_batch_stage(b, slot, VSWAP_LOWER, word, len);
	return 0;
}

/*
 * The summary of segment @seg read into wb.rbuf, or NULL if it is not what
 * was written there (a device returning other data than it was given).
 */
static const __le32 *vswap_seg_summary(struct vswap *v, u32 map_off, u32 nr,
				       u32 gen)
{
	const __le32 *map = (const __le32 *)(v->wb.rbuf + map_off);
	const struct vswap_seg_footer *f = (const void *)(map + nr);

	if (le32_to_cpu(f->magic) != VSWAP_SEG_MAGIC ||
	    le16_to_cpu(f->version) != VSWAP_SEG_VERSION ||
	    le32_to_cpu(f->nr) != nr || le32_to_cpu(f->gen) != gen ||
	    le32_to_cpu(f->crc) != crc32c(~0U, map, (const u8 *)&f->crc -
					   (const u8 *)map))
		return NULL;
	return map;
}

/*
 * Read segment @seg of @t whole into wb.rbuf; returns its summary, or
 * ERR_PTR(-EIO) if the read failed, ERR_PTR(-EBADMSG) if the summary does
 * not check out.
 */
static const __le32 *vswap_seg_load(struct vswap *v, struct vswap_tier *t,
				    u32 seg, u32 used, u32 map_off, u32 nr)
{
	const __le32 *map;

	if (vswap_tier_read(t, (u64)seg * t->seg_size, v->wb.rbuf, used)) {
		atomic64_inc(&t->errors);
		atomic64_inc(&v->wb_stats.lower_errors);
		return ERR_PTR(-EIO);
	}
	map = vswap_seg_summary(v, map_off, nr, READ_ONCE(t->segs[seg].gen));
	if (!map) {
		vswap_tier_csum_error(t, seg, map_off);
		return ERR_PTR(-EBADMSG);
	}
	return map;
}

/*
 * Empty segment @seg of @t: read it whole, then move every object its
 * summary names whose slot still points here, into batch @b (another
 * segment, maybe on another tier) or into memory (see vswap_move_object()).
 * What does not check out (an object, or the summary: then nothing of the
 * segment can be found) stays where it is, counted in b->bad, and the rest
 * moves on: one bad object must not keep a tier from being emptied of all
 * the others.  Returns 1 if it read the segment, 0 if it had nothing live,
 * or an errno (a read or write that failed: the move stops).
 */
static int vswap_seg_evacuate(struct vswap *v, struct vswap_tier *t, u32 seg,
			      struct vswap_batch *b)
{
	struct vswap_seg *s = &t->segs[seg];
	u32 i, nr, used, map_off;
	const __le32 *map;
	unsigned long word;
	u64 slot;
	int ret = 0;

	/*
	 * Pin the segment: moving its last live object would otherwise free
	 * it for reuse while objects staged from it still wait in @b.
	 */
	spin_lock(&t->lock);
	nr = s->state == VSWAP_SEG_FULL && s->live_bytes ? s->nr_objs : 0;
	if (nr)
		atomic_inc(&s->pins);
	used = s->used_bytes;
	map_off = s->map_off;
	spin_unlock(&t->lock);
	if (!nr)
		return 0;
	map = vswap_seg_load(v, t, seg, used, map_off, nr);
	if (IS_ERR(map)) {
		vswap_seg_unpin(t, seg);
		if (PTR_ERR(map) != -EBADMSG)
			return PTR_ERR(map);
		b->bad++;
		return 1;
	}
	for (i = 0; i < nr && !ret; i++) {
		slot = le32_to_cpu(map[i]);
		if (vswap_slot_in_seg(v, slot, t, seg, &word))
			ret = vswap_move_object(b, t, seg, slot, word);
		if (ret == -EBADMSG) {
			b->bad++;
			ret = 0;
		}
		if (!(i & 63))
			cond_resched();
	}
	/*
	 * Objects staged into @b are copied and still point here until @b is
	 * written, within this batch; the segment is freed when its last
	 * object commits.
	 */
	vswap_seg_unpin(t, seg);
	return ret ?: 1;
}

/* Segments one batch of compaction or drain reads at most. */
#define VSWAP_MOVE_SRC_MAX	4

/* Compaction's choice: a written segment less than half live. */
static bool vswap_seg_sparse(struct vswap_tier *t, u32 seg)
{
	struct vswap_seg *s = &t->segs[seg];
	bool sparse;

	spin_lock(&t->lock);
	sparse = s->state == VSWAP_SEG_FULL && s->live_bytes &&
		 s->live_bytes < s->used_bytes / 2;
	spin_unlock(&t->lock);
	return sparse;
}

/* Drain's choice: every segment (vswap_seg_evacuate() skips empty ones). */
static bool vswap_seg_any(struct vswap_tier *t, u32 seg)
{
	return true;
}

/*
 * One batch of compaction or drain, under wb.lock: from segment *@seg of
 * @t on, evacuate the segments @want picks into one new segment (on the
 * best tier, maybe @t itself) or, with no tier to take them and
 * @memory_ok, into memory; stop after VSWAP_MOVE_SRC_MAX segments or once
 * a segment has been written, so that the lock is held for a bounded
 * number of segment reads and writes.  Sparse segments merge.
 *
 * Objects that did not check out are added to *@bad.
 *
 * Return: 1 if segments of @t remain, 0 at its end, or an errno.
 */
static int vswap_move_batch(struct vswap *v, struct vswap_tier *t, u32 *seg,
			    bool memory_ok,
			    bool (*want)(struct vswap_tier *t, u32 seg),
			    unsigned int *bad)
{
	struct vswap_batch b = { .v = v, .memory_ok = memory_ok };
	unsigned int srcs = 0;
	int ret;

	lockdep_assert_held(&v->wb.lock);
	ret = vswap_batch_open(&b);
	if (ret && !memory_ok)
		return ret;
	for (ret = 0; *seg < t->nr_segs && srcs < VSWAP_MOVE_SRC_MAX &&
	     !b.written; (*seg)++) {
		if ((b.t == t && b.seg == *seg) || !want(t, *seg))
			continue;
		ret = vswap_seg_evacuate(v, t, *seg, &b);
		if (ret < 0)
			break;
		srcs += ret;
	}
	*bad += b.bad;
	if (ret < 0) {
		vswap_batch_abort(&b);
		return ret;
	}
	ret = vswap_batch_write(&b);
	return ret ?: *seg < t->nr_segs;
}

/**
 * vswap_tier_drain - move everything off a tier (state DRAINING)
 * @v:         the device
 * @t:         the tier; the caller holds tier_lock, which keeps it attached
 * @memory_ok: objects no other tier has room for go back into memory
 * @op:        its record in `progress`: segments emptied so far
 *
 * Objects go to the best other tier with room, else back into memory if
 * @memory_ok, else the drain stops with -ENOSPC.  wb.lock is taken one
 * batch at a time (vswap_move_batch()): stores and the automatic writeback
 * go on while a tier of any size drains.
 *
 * Return: 0 when nothing on @t is live; an errno otherwise (-EINTR if
 * killed), with every object still readable where it is or where it moved.
 */
static int vswap_tier_drain(struct vswap *v, struct vswap_tier *t,
			    bool memory_ok, struct vswap_op *op)
{
	unsigned int bad = 0;
	u32 seg = 0;
	int ret;

	lockdep_assert_held(&v->tier_lock);
	/* No other tier with room and nowhere else to go: stop before any I/O. */
	if (!memory_ok) {
		vswap_wb_lock(&v->wb);
		ret = vswap_tier_best(v) ? 0 : -ENOSPC;
		vswap_wb_unlock(&v->wb);
		if (ret)
			return vswap_tier_used_segs(t) ? ret : 0;
	}
	do {
		vswap_wb_lock(&v->wb);
		ret = vswap_move_batch(v, t, &seg, memory_ok, vswap_seg_any,
				       &bad);
		vswap_wb_unlock(&v->wb);
		vswap_wb_room(v);
		/* Segments emptied, by the drain or by frees meanwhile. */
		vswap_op_update(op, op->total -
				min_t(u64, op->total, vswap_tier_used_segs(t)));
		cond_resched();
		if (ret > 0 && fatal_signal_pending(current))
			ret = -EINTR;
	} while (ret > 0);
	/* Everything else moved; what did not check out keeps the tier. */
	return ret ?: bad ? -EIO : 0;
}

/*
 * Make room for writeback that found no free segment: one batch of
 * compaction on the first active tier with sparse segments.  wb.lock held.
 */
int vswap_compact_locked(struct vswap *v)
{
	struct vswap_tier *t;
	unsigned int id, bad = 0;
	u32 seg;
	int ret;

	lockdep_assert_held(&v->wb.lock);
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference_protected(v->tiers[id],
					      lockdep_is_held(&v->wb.lock));
		if (!t || READ_ONCE(t->state) != VSWAP_TIER_ACTIVE)
			continue;
		seg = 0;
		/* Bad objects stay, counted: writeback goes on around them. */
		ret = vswap_move_batch(v, t, &seg, false, vswap_seg_sparse, &bad);
		if (ret < 0 && ret != -ENOSPC)
			return ret;
		if (vswap_tier_best(v))
			return 0;
	}
	return -ENOSPC;
}

/* The active tier @id, if it is still the one attached as @seq. */
static struct vswap_tier *vswap_tier_again(struct vswap *v, unsigned int id,
					   u64 seq)
{
	struct vswap_tier *t = rcu_dereference_protected(v->tiers[id],
					lockdep_is_held(&v->wb.lock));

	if (!t || t->seq != seq || READ_ONCE(t->state) != VSWAP_TIER_ACTIVE)
		return NULL;
	return t;
}

/*
 * Compact tier @id batch by batch; it may be detached in between.  @op
 * counts the segments looked at, over all tiers.
 */
static int vswap_tier_compact(struct vswap *v, unsigned int id,
			      struct vswap_op *op)
{
	u64 base = op->done;
	struct vswap_tier *t;
	unsigned int bad = 0;
	u32 seg = 0;
	u64 seq = 0;
	int ret;

	vswap_wb_lock(&v->wb);
	t = rcu_dereference_protected(v->tiers[id], lockdep_is_held(&v->wb.lock));
	if (t)
		seq = t->seq;
	vswap_wb_unlock(&v->wb);
	if (!t)
		return 0;
	do {
		vswap_wb_lock(&v->wb);
		t = vswap_tier_again(v, id, seq);
		ret = t ? vswap_move_batch(v, t, &seg, false, vswap_seg_sparse,
					   &bad) : 0;
		vswap_wb_unlock(&v->wb);
		vswap_wb_room(v);
		vswap_op_update(op, base + seg);
		cond_resched();
		if (ret > 0 && fatal_signal_pending(current))
			ret = -EINTR;
	} while (ret > 0);
	/* Out of free segments: compaction did what it could. */
	if (ret == -ENOSPC)
		ret = 0;
	return ret ?: bad ? -EIO : 0;
}

/**
 * vswap_lower_compact - compact every active tier
 * @v: the device
 *
 * Segments with less than half their bytes live are emptied into new ones,
 * one batch per hold of wb.lock.
 *
 * Return: 0, an I/O error, or -EINTR if killed.
 */
int vswap_lower_compact(struct vswap *v)
{
	struct vswap_tier *t;
	struct vswap_op op;
	unsigned int id;
	u64 segs = 0;
	int ret = 0;

	rcu_read_lock();
	for (id = 0; id < VSWAP_MAX_TIERS; id++) {
		t = rcu_dereference(v->tiers[id]);
		if (t && READ_ONCE(t->state) == VSWAP_TIER_ACTIVE)
			segs += t->nr_segs;
	}
	rcu_read_unlock();
	vswap_op_begin(v, &op, "compact", "-", "segments", segs);
	for (id = 0; id < VSWAP_MAX_TIERS && !ret; id++)
		ret = vswap_tier_compact(v, id, &op);
	vswap_op_end(v, &op);
	return ret;
}

/* ---------------------------------------------------------------------------
 * Attach and detach: the mover's side
 */

/**
 * vswap_lower_add - attach a lower tier
 * @v:    the device
 * @path: a preallocated regular file or a block device
 * @prio: higher priorities are filled first
 *
 * Return: 0, or an errno with nothing changed.
 */
int vswap_lower_add(struct vswap *v, const char *path, int prio)
{
	int ret;

	mutex_lock(&v->tier_lock);
	/* Under tier_lock: segment_size cannot change until the tier is in. */
	ret = vswap_wb_buffers(v);
	if (!ret)
		ret = vswap_tier_attach(v, path, prio, READ_ONCE(v->wb.seg_size));
	if (ret) {
		vswap_wb_lock(&v->wb);
		vswap_wb_buffers_put(v);
		vswap_wb_unlock(&v->wb);
	}
	mutex_unlock(&v->tier_lock);
	return ret;
}

/*
 * Move everything off @t, which takes no writeback meanwhile; into memory
 * too if @memory_ok.  On failure @t gets its state back, and every object
 * is readable where it is or where it moved.
 */
static int vswap_tier_empty(struct vswap *v, struct vswap_tier *t,
			    bool memory_ok, const char *path)
{
	struct vswap_op op;
	int state, ret;

	lockdep_assert_held(&v->tier_lock);
	state = xchg(&t->state, VSWAP_TIER_DRAINING);
	vswap_op_begin(v, &op, memory_ok ? "drain" : "migrate", path,
		       "segments", vswap_tier_used_segs(t));
	ret = vswap_tier_drain(v, t, memory_ok, &op);
	vswap_op_end(v, &op);
	/* A write that failed meanwhile found it draining: keep the failure. */
	if (state == VSWAP_TIER_ACTIVE && READ_ONCE(t->failed))
		state = VSWAP_TIER_FAILING;
	if (ret || !memory_ok)
		WRITE_ONCE(t->state, state);
	return ret;
}

/* Detach an emptied tier once its last readers are gone. */
static int vswap_tier_remove(struct vswap *v, struct vswap_tier *t)
{
	int ret;

	lockdep_assert_held(&v->tier_lock);
	ret = vswap_tier_wait_readers(t);
	if (ret)
		return ret;
	pr_info("lower tier %u: %s detached\n", t->id, t->path);
	/* Batches look tiers up under wb.lock. */
	vswap_wb_lock(&v->wb);
	vswap_tier_unpublish(v, t);
	vswap_wb_buffers_put(v);
	vswap_wb_unlock(&v->wb);
	vswap_tier_destroy(t);
	return 0;
}

/**
 * vswap_lower_remove - drain a tier and detach it
 * @v:    the device
 * @path: the path it was attached with
 *
 * Live objects move to another tier or back into memory.
 *
 * Return: 0; -ENOENT if @path is no tier; another errno if its data could
 * not be moved (then the tier stays attached and nothing is lost); -EINTR
 * if killed (see docs/sysfs.md: a second lower_remove finishes the job).
 */
int vswap_lower_remove(struct vswap *v, const char *path)
{
	struct vswap_tier *t;
	int ret = -ENOENT, tries;

	mutex_lock(&v->tier_lock);
	t = vswap_tier_find(v, path);
	/*
	 * A second drain picks up what a first one could not see: a slot
	 * rewritten as it passed.  Data still there after it cannot leave.
	 */
	for (tries = 0; t && tries < 2; tries++) {
		ret = vswap_tier_empty(v, t, true, path);
		if (!ret)
			ret = vswap_tier_remove(v, t);
		if (ret != -EAGAIN)
			break;
	}
	if (ret == -EAGAIN) {
		pr_err("lower tier %s: data its summaries do not name is left on it: not detached\n",
		       path);
		ret = -EIO;
	}
	mutex_unlock(&v->tier_lock);
	return ret;
}

/**
 * vswap_lower_migrate - move a tier's data to the other tiers
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
int vswap_lower_migrate(struct vswap *v, const char *path)
{
	struct vswap_tier *t;
	int ret = -ENOENT;

	mutex_lock(&v->tier_lock);
	t = vswap_tier_find(v, path);
	if (t)
		ret = vswap_tier_empty(v, t, false, path);
	mutex_unlock(&v->tier_lock);
	return ret;
}

