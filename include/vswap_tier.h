/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap tier layer: lower tiers (vswap_tier.c), their segments, reverse
 * map and checksums (vswap_seg.c), and their I/O (vswap_lower_io.c).
 *
 * It calls no other layer: the mover drives it, the page store reads and
 * releases objects through it.
 */
#ifndef _VSWAP_TIER_H_
#define _VSWAP_TIER_H_

#include <linux/workqueue.h>

#include "vswap.h"

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
	VSWAP_SEG_DISCARD,	/* freed, discard queued or in flight */
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
 * @state:      enum vswap_tier_state (READ_ONCE; DRAINING set and cleared
 *              under tier_lock, FAILING set by a failed write)
 * @failed:     a write failed: never written again (sticky, unlike @state,
 *              which a drain saves and restores)
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
 * @discard_map: bit set for each VSWAP_SEG_DISCARD segment whose discard
 *              the worker has not taken yet
 * @lock:       protects @segs (but pins), @free_map, @discard_map,
 *              @nr_free, @nr_discard, @rotor and @next_gen
 * @nr_free:    free segments
 * @nr_discard: VSWAP_SEG_DISCARD segments (queued or in flight)
 * @discard:    the device takes discards (bdev_max_discard_sectors() at
 *              attach); cleared if it refuses one.  READ_ONCE
 * @discard_work: discards @discard_map's segments, then frees them
 *              (vswap_seg_discard_work(), on vswap.discard_wq)
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
	bool failed;
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
	unsigned long *discard_map;
	spinlock_t lock;	/* see above */
	u32 nr_free;
	u32 nr_discard;
	bool discard;
	struct work_struct discard_work;
	u32 rotor;
	u32 next_gen;
	atomic64_t written;
	atomic64_t reads;
	atomic64_t errors;
	atomic64_t csum_errors;
};

/*
 * The tier a slot word names.  Only for callers that hold something keeping
 * it attached: a slot pointing into it (cluster lock), a pinned segment, or
 * a live object being released.
 */
static inline struct vswap_tier *vswap_tier_get(struct vswap *v, unsigned int id)
{
	return rcu_dereference_check(v->tiers[id], true);
}

/*
 * Room for writeback: a free segment, or one whose discard is pending
 * (vswap_seg_open() waits for those).  Lockless: an answer for choosing a
 * tier.
 */
static inline bool vswap_tier_has_room(struct vswap_tier *t)
{
	return READ_ONCE(t->nr_free) || READ_ONCE(t->nr_discard);
}

int vswap_tier_attach(struct vswap *v, const char *path, int prio,
		      u32 seg_size);
struct vswap_tier *vswap_tier_find(struct vswap *v, const char *path);
int vswap_tier_wait_readers(struct vswap_tier *t);
void vswap_tier_unpublish(struct vswap *v, struct vswap_tier *t);
void vswap_tier_destroy(struct vswap_tier *t);
int vswap_tier_layer_init(struct vswap *v);
void vswap_tier_layer_exit(struct vswap *v);
void vswap_tiers_destroy(struct vswap *v);
ssize_t vswap_tiers_show(struct vswap *v, char *buf);
bool vswap_has_tiers(struct vswap *v);
bool vswap_tiers_writable(struct vswap *v);
int vswap_seg_open(struct vswap_tier *t, u32 *seg, u32 *gen);
u32 vswap_tier_used_segs(struct vswap_tier *t);
void vswap_seg_discard_work(struct work_struct *work);
int vswap_tier_discard(struct vswap_tier *t, u64 pos, u64 len);
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

#endif /* _VSWAP_TIER_H_ */
