// SPDX-License-Identifier: GPL-2.0
/*
 * vswap segments: a tier's space, its reverse map and its checksums.
 *
 * A tier is cut into segments.  Writeback fills one segment at a time with
 * compressed objects packed back to back and writes it sequentially; space
 * is taken only then, never while a page is in memory.  Each segment ends
 * with its part of the reverse map, a summary naming the slot of every
 * object written to it, so the map costs no RAM per page: compaction and
 * drain read a segment whole anyway, and find its objects' slots in it.  A
 * slot whose word no longer points into the segment makes its entry stale,
 * so the map never needs updating on the hot path.  Every object is led by
 * a crc32c over it, its slot and the segment's write generation, checked
 * on every way out (the format: docs/design.md, "On-disk format").
 *
 * A freed segment of a tier whose device takes discards is not free yet:
 * it waits in state DISCARD, out of the free map, until the tier's discard
 * worker has discarded it on the device, so that no discard can land on a
 * segment written again.  Writeback that finds no free segment waits for
 * the worker (vswap_seg_open()).
 *
 * Locking: a tier's spinlock covers its segment table (but the pins) and
 * is taken from the swap core's atomic slot-free path; it nests inside no
 * other vswap lock and no other vswap lock nests inside it (queue_work()'s
 * own locks do).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32c.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_tier.h"

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
 * scan of the segment table would hold it for a whole tier.  With none
 * free but discards pending, waits for the discard worker once: it only
 * issues discards, so it makes progress whatever the caller holds (its
 * queue is WQ_MEM_RECLAIM, as the writeback worker's that may wait here).
 * May sleep.
 *
 * Return: 0 or -ENOSPC.
 */
int vswap_seg_open(struct vswap_tier *t, u32 *seg, u32 *gen)
{
	bool waited = false;
	unsigned long i;
	u32 pending;

again:
	spin_lock(&t->lock);
	i = find_next_bit(t->free_map, t->nr_segs, t->rotor);
	if (i >= t->nr_segs)
		i = find_first_bit(t->free_map, t->nr_segs);
	if (i >= t->nr_segs) {
		pending = t->nr_discard;
		spin_unlock(&t->lock);
		if (!pending || waited)
			return -ENOSPC;
		flush_work(&t->discard_work);
		waited = true;
		goto again;
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

/**
 * vswap_tier_used_segs - segments that hold data or are being written
 * @t: the tier
 *
 * Those neither free nor waiting for their discard (lower_tiers' used
 * column): one snapshot of both counts, under the lock.
 */
u32 vswap_tier_used_segs(struct vswap_tier *t)
{
	u32 used;

	spin_lock(&t->lock);
	used = t->nr_segs - t->nr_free - t->nr_discard;
	spin_unlock(&t->lock);
	return used;
}

/* Back into the free map. */
static void vswap_seg_free(struct vswap_tier *t, struct vswap_seg *s)
{
	lockdep_assert_held(&t->lock);
	s->state = VSWAP_SEG_FREE;
	__set_bit(s - t->segs, t->free_map);
	t->nr_free++;
}

/*
 * A segment with nothing live and no reader becomes free again, or, on a
 * tier that discards, waits for its discard first.
 */
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
	atomic64_inc(&st->seg_freed);
	if (!READ_ONCE(t->discard) || !READ_ONCE(t->v->lower_discard)) {
		vswap_seg_free(t, s);
		return;
	}
	/* Under the lock: the worker cannot free it before it is queued. */
	s->state = VSWAP_SEG_DISCARD;
	__set_bit(s - t->segs, t->discard_map);
	t->nr_discard++;
	queue_work(t->v->discard_wq, &t->discard_work);
}

/* Segments per discard request: a run of neighbours freed together. */
#define VSWAP_DISCARD_BATCH	64

/**
 * vswap_seg_discard_work - discard freed segments, then free them
 * @work: a tier's discard_work
 *
 * Takes runs of neighbouring segments out of the discard map (they stay
 * DISCARD, so nothing reuses them), discards each run on the device
 * through the extent map with no lock held, then puts them in the free map.
 * A discard is advice: if the device fails one the segments are freed all
 * the same; if it refuses discards altogether the tier stops asking.  With
 * lower_discard turned off meanwhile, queued segments are freed as they are.
 * In a noio scope: the allocations below submit_bio must not recurse into
 * swap.
 */
void vswap_seg_discard_work(struct work_struct *work)
{
	struct vswap_tier *t = container_of(work, struct vswap_tier,
					    discard_work);
	unsigned long first, end, i;
	unsigned int noio;
	bool issue;
	int ret;

	noio = memalloc_noio_save();
	for (;;) {
		spin_lock(&t->lock);
		first = find_first_bit(t->discard_map, t->nr_segs);
		if (first >= t->nr_segs) {
			spin_unlock(&t->lock);
			break;
		}
		end = find_next_zero_bit(t->discard_map,
					 min_t(unsigned long, t->nr_segs,
					       first + VSWAP_DISCARD_BATCH),
					 first);
		bitmap_clear(t->discard_map, first, end - first);
		spin_unlock(&t->lock);

		ret = 0;
		issue = READ_ONCE(t->discard) && READ_ONCE(t->v->lower_discard);
		if (issue)
			ret = vswap_tier_discard(t, (u64)first * t->seg_size,
						 (u64)(end - first) * t->seg_size);
		if (ret == -EOPNOTSUPP) {
			WRITE_ONCE(t->discard, false);
			pr_info("lower tier %s: the device refuses discards: freed segments are no longer discarded\n",
				t->path);
		} else if (ret) {
			pr_warn_ratelimited("lower tier %s: discard of segments %lu-%lu failed (%d)\n",
					    t->path, first, end - 1, ret);
		} else if (issue) {
			atomic64_add(end - first, &t->v->wb_stats.seg_discarded);
		}

		spin_lock(&t->lock);
		for (i = first; i < end; i++) {
			WARN_ON_ONCE(t->segs[i].state != VSWAP_SEG_DISCARD);
			vswap_seg_free(t, &t->segs[i]);
		}
		t->nr_discard -= end - first;
		spin_unlock(&t->lock);
		cond_resched();
	}
	memalloc_noio_restore(noio);
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
 * @t:   the tier, kept by the caller (wb.lock, tier_lock or RCU)
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
	/*
	 * Once the count is down, nothing but this RCU section keeps the tier:
	 * its drain may free the segment and detach it before we take the
	 * lock, and the tier is destroyed only after a grace period.
	 */
	rcu_read_lock();
	vswap_seg_unpin(vswap_tier_get(v, loc.tier), loc.seg);
	rcu_read_unlock();
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

