// SPDX-License-Identifier: GPL-2.0
/*
 * vswap page store: decides how each page is kept and keeps it.
 *
 * A page whose machine words are all equal is kept as that word, with no
 * payload.  Any other page is compressed into the zsmalloc pool behind a
 * small header naming its length and algorithm, so that switching the
 * algorithm leaves old pages readable; a page that would not shrink below
 * zsmalloc's huge class (where an object costs a whole page anyway) is
 * stored raw instead, as a page of its own, which also spares its
 * decompression.
 *
 * Writes never touch the old contents of a slot until the new ones are
 * safely in the pool: a refused write leaves the slot as it was.  The page
 * store owns the payloads: the slot table hands back the word a store or a
 * free replaced, and this layer releases it.  It knows nothing of
 * writeback: a store at mem_limit fails with -ENOSPC and the front end asks
 * the mover for room.
 */
#include <linux/highmem.h>
#include <linux/mempool.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vswap.h"
#include "vswap_compat.h"
#include "vswap_comp.h"
#include "vswap_pool.h"
#include "vswap_table.h"
#include "vswap_tier.h"

/**
 * struct vswap_obj_hdr - leads every compressed (not raw) pool object
 * @len:      compressed bytes that follow
 * @algo:     enum vswap_algo that compressed them
 * @reserved: zero
 */
struct vswap_obj_hdr {
	u16 len;
	u8 algo;
	u8 reserved;
};

#define VSWAP_HDR_SIZE	sizeof(struct vswap_obj_hdr)

/**
 * struct vswap_bounce - per-CPU buffer for loads from the pool
 * @lock:  owns the buffer (a stream may be taken while holding it, never
 *         the reverse); held for a copy and a decompression, never across
 *         I/O: a load from a lower tier reads into a buffer of its own
 *         (vswap.lower_bufs), so that no swap-in waits for another's disk
 * @buf:   PAGE_SIZE bytes of lowmem: a compressed object copied out of the
 *         pool, so that it can be decompressed without holding the slot lock
 */
struct vswap_bounce {
	struct mutex lock;	/* owns the buffer */
	u8 *buf;
};

/*
 * Lower-read buffers kept in reserve: a refault allocates its own (GFP_NOIO)
 * and waits for one of these only when that fails and all are in use.
 */
#define VSWAP_LOWER_RESERVE	2

/* ---------------------------------------------------------------------------
 * Same-filled pages
 */

static bool vswap_page_same_filled(struct page *page, unsigned long *value)
{
	unsigned long *words = kmap_local_page(page);
	unsigned int last = PAGE_SIZE / sizeof(*words) - 1;
	unsigned long val = words[0];
	bool same = words[last] == val;	/* cheap early exit */
	unsigned int i;

	for (i = 1; same && i < last; i++)
		same = words[i] == val;
	kunmap_local(words);
	*value = val;
	return same;
}

static void vswap_page_fill(struct page *page, unsigned long value)
{
	unsigned long *words = kmap_local_page(page);

	memset_l(words, value, PAGE_SIZE / sizeof(*words));
	kunmap_local(words);
}

/* ---------------------------------------------------------------------------
 * Pool objects
 */

/* Pages the device holds: zsmalloc's pages and the raw pages. */
unsigned long vswap_pool_pages(struct vswap *v)
{
	return zs_get_total_pages(v->pool) +
	       (unsigned long)atomic64_read(&v->stats.huge_pages);
}

/* Is the device at mem_limit (or @extra pages from it)? */
static bool vswap_at_limit(struct vswap *v, unsigned long extra)
{
	unsigned long limit = atomic_long_read(&v->limit_pages);

	return limit && vswap_pool_pages(v) + extra > limit;
}

/**
 * vswap_pool_at_limit - would a store need room first?
 * @v: the device
 */
bool vswap_pool_at_limit(struct vswap *v)
{
	return vswap_at_limit(v, 1);
}

static void vswap_note_max_used(struct vswap *v)
{
	unsigned long pages = vswap_pool_pages(v);

	if (pages > atomic_long_read(&v->stats.max_used_pages))
		atomic_long_set(&v->stats.max_used_pages, pages);
}

/*
 * Allocate @len bytes of pool, first without direct reclaim, then with
 * GFP_NOIO.  Fails with -ENOSPC over mem_limit, -ENOMEM without memory.
 */
static unsigned long vswap_pool_alloc(struct vswap *v, size_t len, int nid)
{
	const gfp_t zone = __GFP_HIGHMEM | __GFP_MOVABLE | __GFP_NOWARN;
	unsigned long handle;

	handle = vswap_zs_malloc(v->pool, len, __GFP_KSWAPD_RECLAIM | zone, nid);
	if (IS_ERR_VALUE(handle))
		handle = vswap_zs_malloc(v->pool, len, GFP_NOIO | zone, nid);
	if (IS_ERR_VALUE(handle))
		return handle;
	if (vswap_at_limit(v, 0)) {
		zs_free(v->pool, handle);
		return (unsigned long)ERR_PTR(-ENOSPC);
	}
	vswap_note_max_used(v);
	return handle;
}

/*
 * Slot word for a pool object or a raw page; the pointer's low bits must be
 * free for the tag.
 */
static int vswap_zs_word(unsigned long ptr, bool raw, unsigned long *word)
{
	if (WARN_ON_ONCE(ptr & VSWAP_ZS_TAG_MASK))
		return -EINVAL;
	*word = ptr | (raw ? VSWAP_ZS_RAW : 0);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Raw pages
 *
 * A page that does not compress would be a zsmalloc huge-class object, a
 * whole page anyway; as a page of its own it costs the same memory and
 * spares zsmalloc's zspage and handle allocations, which were most of the
 * time such a store took.  These pages are not movable (neither are brd's).
 */

static struct page *vswap_raw_page(unsigned long word)
{
	return (struct page *)(word & ~VSWAP_ZS_RAW);
}

/*
 * A page for a raw object and its slot word, counted in huge_pages.  Fails
 * with -ENOSPC at mem_limit, -ENOMEM without memory, as vswap_pool_alloc().
 */
static int vswap_raw_alloc(struct vswap *v, int nid, unsigned long *word)
{
	const gfp_t flags = __GFP_HIGHMEM | __GFP_NOWARN;
	struct page *page;

	if (vswap_at_limit(v, 1))
		return -ENOSPC;
	page = alloc_pages_node(nid, __GFP_KSWAPD_RECLAIM | flags, 0);
	if (!page)
		page = alloc_pages_node(nid, GFP_NOIO | flags, 0);
	if (!page)
		return -ENOMEM;
	if (vswap_zs_word((unsigned long)page, true, word)) {
		__free_page(page);
		return -EINVAL;
	}
	atomic64_inc(&v->stats.huge_pages);
	vswap_note_max_used(v);
	return 0;
}

/* Free a raw page; safe in atomic context. */
static void vswap_raw_free(struct vswap *v, unsigned long word)
{
	__free_page(vswap_raw_page(word));
	atomic64_dec(&v->stats.huge_pages);
}

/* Keep @page as it is; *@word receives the slot word. */
static int vswap_pool_store_raw(struct vswap *v, struct page *page,
				unsigned long *word)
{
	int ret = vswap_raw_alloc(v, page_to_nid(page), word);

	if (!ret)
		copy_highpage(vswap_raw_page(*word), page);
	return ret;
}

/* Copy the @len bytes at @obj into a new pool object; *@word names it. */
static int vswap_pool_put(struct vswap *v, const void *obj, u32 len, int nid,
			  unsigned long *word)
{
	unsigned long handle;
	int ret;

	handle = vswap_pool_alloc(v, len, nid);
	if (IS_ERR_VALUE(handle))
		return (int)handle;
	ret = vswap_zs_word(handle, false, word);
	if (ret) {
		zs_free(v->pool, handle);
		return ret;
	}
	vswap_zs_write(v->pool, handle, (void *)obj, len);
	return 0;
}

/* Put @comp's output, in the stream buffer @buf, in the pool behind a header. */
static int vswap_pool_store_compressed(struct vswap *v, struct vswap_comp *comp,
				       u8 *buf, unsigned int dlen, int nid,
				       unsigned long *word)
{
	struct vswap_obj_hdr *hdr = (struct vswap_obj_hdr *)buf;

	hdr->len = dlen;
	hdr->algo = vswap_comp_algo(comp);
	hdr->reserved = 0;
	return vswap_pool_put(v, buf, VSWAP_HDR_SIZE + dlen, nid, word);
}

/*
 * Compress @page and put it in the pool, raw if it does not shrink below
 * the huge class (or compression is off).  On success *@word is the slot
 * word and *@size the bytes taken from the pool.
 */
static int vswap_pool_store(struct vswap *v, struct page *page,
			    unsigned long *word, unsigned int *size)
{
	/* Pairs with vswap_set_algo(): its streams are set up. */
	int algo = smp_load_acquire(&v->algo);
	struct vswap_comp *comp;
	struct vswap_stream *s;
	unsigned int dlen;
	u8 *buf;
	int ret;

	*size = PAGE_SIZE;
	if (algo == VSWAP_ALGO_NONE)
		return vswap_pool_store_raw(v, page, word);

	comp = vswap_comp_get(v, algo);
	s = vswap_stream_get(comp);
	/* A compressor error only costs us the saving: keep the page raw. */
	ret = vswap_stream_compress(s, page, VSWAP_HDR_SIZE, &buf, &dlen);
	if (ret || VSWAP_HDR_SIZE + dlen >= v->huge_size) {
		ret = vswap_pool_store_raw(v, page, word);
	} else {
		*size = VSWAP_HDR_SIZE + dlen;
		ret = vswap_pool_store_compressed(v, comp, buf, dlen,
						  page_to_nid(page), word);
	}
	vswap_stream_put(s);
	return ret;
}

static void vswap_zs_release(struct vswap *v, unsigned long word)
{
	unsigned long handle = word & ~VSWAP_ZS_RAW;
	struct vswap_obj_hdr hdr;

	if (word & VSWAP_ZS_RAW) {
		atomic64_sub(PAGE_SIZE, &v->stats.compr_data_size);
		vswap_raw_free(v, word);
		return;
	}
	vswap_zs_read(v->pool, handle, &hdr, sizeof(hdr));
	atomic64_sub(VSWAP_HDR_SIZE + hdr.len, &v->stats.compr_data_size);
	zs_free(v->pool, handle);
}

/**
 * vswap_release_payload - free what a slot's word points to
 * @v:    the device
 * @kind: the slot's kind
 * @word: the slot's word
 *
 * Called once the word is no longer reachable from the slot table.  Safe
 * in atomic context (the swap core's slot-free notification).
 */
void vswap_release_payload(struct vswap *v, enum vswap_kind kind,
			   unsigned long word)
{
	switch (kind) {
	case VSWAP_SAME:
		atomic64_dec(&v->stats.same_pages);
		break;
	case VSWAP_ZS:
		vswap_zs_release(v, word);
		break;
	case VSWAP_LOWER:
		vswap_lower_release(v, word);
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

/* ---------------------------------------------------------------------------
 * Store and load
 */

/**
 * vswap_store_page - keep @page as the contents of @slot
 * @v:    the device
 * @slot: virtual slot, not 0
 * @page: the data
 * @raw:  set if the page was kept raw (it does not compress)
 *
 * Return: 0, or a negative errno with @slot unchanged (no memory; -ENOSPC
 * over mem_limit, where the caller may have writeback make room and try
 * again).  May sleep; allocations are GFP_NOIO.
 */
int vswap_store_page(struct vswap *v, u64 slot, struct page *page, bool *raw)
{
	enum vswap_kind old_kind = VSWAP_EMPTY;
	unsigned long word, old;
	unsigned int size;
	int ret;

	if (vswap_page_same_filled(page, &word)) {
		/* Count before publishing: a racing free may release it at once. */
		atomic64_inc(&v->stats.same_pages);
		ret = vswap_slot_replace(v, slot, VSWAP_SAME, word, &old_kind,
					 &old);
		if (ret)
			atomic64_dec(&v->stats.same_pages);
		goto out;
	}

	ret = vswap_pool_store(v, page, &word, &size);
	if (ret)
		return ret;
	atomic64_add(size, &v->stats.compr_data_size);
	if (word & VSWAP_ZS_RAW) {
		atomic64_inc(&v->stats.huge_pages_since);
		*raw = true;
	}
	ret = vswap_slot_replace(v, slot, VSWAP_ZS, word, &old_kind, &old);
	if (ret)
		vswap_zs_release(v, word);
out:
	if (old_kind != VSWAP_EMPTY)
		vswap_release_payload(v, old_kind, old);
	return ret;
}

/**
 * vswap_free_slot - free @slot and its payload
 * @v:      the device
 * @slot:   virtual slot
 * @atomic: only try the cluster lock (see vswap_slot_free())
 *
 * Never sleeps.  Return: 0, or -EBUSY if @atomic and the lock was held.
 */
int vswap_free_slot(struct vswap *v, u64 slot, bool atomic)
{
	enum vswap_kind kind;
	unsigned long word;
	int ret;

	ret = vswap_slot_free(v, slot, atomic, &kind, &word);
	if (kind != VSWAP_EMPTY)
		vswap_release_payload(v, kind, word);
	return ret;
}

/**
 * vswap_free_range - free @nr slots from @first (discard, drop)
 * @v:     the device
 * @first: first slot
 * @nr:    number of slots
 *
 * May sleep.  Clusters that do not exist are skipped without visiting
 * their slots, so this is cheap on a sparse device of any size.
 */
void vswap_free_range(struct vswap *v, u64 first, u64 nr)
{
	unsigned long index = first >> VSWAP_CLUSTER_SHIFT;
	unsigned long last = (first + nr - 1) >> VSWAP_CLUSTER_SHIFT;
	u64 end = first + nr;
	u64 slot, stop;

	if (!nr)
		return;
	while (vswap_table_next(v, &index, last)) {
		slot = max_t(u64, first, (u64)index << VSWAP_CLUSTER_SHIFT);
		stop = min_t(u64, end, ((u64)index + 1) << VSWAP_CLUSTER_SHIFT);
		for (; slot < stop; slot++)
			vswap_free_slot(v, slot, false);
		cond_resched();
		if (index++ == last)
			break;
	}
}

/**
 * vswap_store_drop - free every slot: the failsafe drop
 * @v: the device; the caller excludes every other user
 */
void vswap_store_drop(struct vswap *v)
{
	vswap_free_range(v, 0, v->nr_pages);
	WARN_ON_ONCE(!vswap_table_empty(v));
}

static struct vswap_bounce *vswap_bounce_get(struct vswap *v)
{
	struct vswap_bounce *b = raw_cpu_ptr(v->bounce);

	mutex_lock(&b->lock);
	return b;
}

static void vswap_bounce_put(struct vswap_bounce *b)
{
	mutex_unlock(&b->lock);
}

/*
 * Copy a compressed object into @buf.  Called with the slot's cluster
 * locked, which keeps the object alive.
 */
static int vswap_pool_copy(struct vswap *v, unsigned long handle, u8 *buf)
{
	struct vswap_obj_hdr *hdr = (struct vswap_obj_hdr *)buf;

	vswap_zs_read(v->pool, handle, hdr, VSWAP_HDR_SIZE);
	if (WARN_ON_ONCE(VSWAP_HDR_SIZE + hdr->len > PAGE_SIZE))
		return -EIO;
	vswap_zs_read(v->pool, handle, buf, VSWAP_HDR_SIZE + hdr->len);
	return 0;
}

/* Decompress the object copied to @buf into @page. */
static int vswap_pool_decompress(struct vswap *v, const u8 *buf,
				 struct page *page)
{
	const struct vswap_obj_hdr *hdr = (const struct vswap_obj_hdr *)buf;
	struct vswap_comp *comp = vswap_comp_get(v, hdr->algo);
	struct vswap_stream *s;
	int ret;

	/* A header from a tier passed its checksum, but is not ours to trust. */
	if (!comp)
		return -EIO;
	s = vswap_stream_get(comp);
	ret = vswap_stream_decompress(s, buf + VSWAP_HDR_SIZE, hdr->len, page);
	vswap_stream_put(s);
	return ret;
}

/*
 * Decompress an object of @len bytes that did not come from the pool (a
 * tier's): its header must describe exactly @len bytes.
 */
static int vswap_obj_decompress(struct vswap *v, const u8 *obj, u32 len,
				struct page *page)
{
	const struct vswap_obj_hdr *hdr = (const struct vswap_obj_hdr *)obj;

	if (len <= VSWAP_HDR_SIZE || VSWAP_HDR_SIZE + hdr->len != len)
		return -EIO;
	return vswap_pool_decompress(v, obj, page);
}

/*
 * Stage 2 of a load from a lower tier: read the object, unpack it.  The
 * slot's segment is pinned.
 */
static int vswap_load_lower(struct vswap *v, u64 slot, unsigned long word,
			    struct page *page)
{
	struct vswap_loc loc;
	u8 *buf, *obj;
	u32 len;
	int ret;

	vswap_loc_decode(word, &loc);
	len = loc.len - VSWAP_OBJ_CSUM_SIZE;
	buf = mempool_alloc(v->lower_bufs, GFP_NOIO);
	ret = vswap_lower_fetch(v, slot, word, buf, &obj);
	if (ret)
		goto out;
	if (len == PAGE_SIZE)
		memcpy_to_page(page, 0, obj, PAGE_SIZE);
	else
		ret = vswap_obj_decompress(v, obj, len, page);
	if (!ret)
		atomic64_inc(&v->wb_stats.wb_refaults);
out:
	mempool_free(buf, v->lower_bufs);
	vswap_lower_unpin(v, word);
	return ret;
}

/*
 * Stage 1 of a load, under the cluster lock: fill @page from a slot that
 * needs no decompression, or copy the compressed object to @buf.  Returns
 * 1 if @buf must be decompressed, 2 if the object must be read from a lower
 * tier (its segment is pinned), 0 if @page is done, or an errno.
 */
static int vswap_load_locked(struct vswap *v, enum vswap_kind kind,
			     unsigned long word, struct page *page, u8 *buf)
{
	switch (kind) {
	case VSWAP_EMPTY:
		clear_highpage(page);
		return 0;
	case VSWAP_SAME:
		vswap_page_fill(page, word);
		return 0;
	case VSWAP_ZS:
		if (!(word & VSWAP_ZS_RAW))
			return vswap_pool_copy(v, word, buf) ?: 1;
		copy_highpage(page, vswap_raw_page(word));
		return 0;
	case VSWAP_LOWER:
		return vswap_lower_pin(v, word) ?: 2;
	default:
		WARN_ON_ONCE(1);
		return -EIO;
	}
}

/**
 * vswap_load_page - read @slot into @page
 * @v:    the device
 * @slot: virtual slot, not 0
 * @page: receives the data
 *
 * Never-written and freed slots read as zeroes.  May sleep.
 */
int vswap_load_page(struct vswap *v, u64 slot, struct page *page)
{
	struct vswap_bounce *b = vswap_bounce_get(v);
	struct vswap_cluster *c;
	enum vswap_kind kind = VSWAP_EMPTY;
	unsigned long word = 0;
	int ret;

	c = vswap_cluster_lock(v, slot, VSWAP_FIND);
	if (c) {
		kind = vswap_slot_get(c, slot, &word);
		vswap_slot_touch(c, slot);
	}
	ret = vswap_load_locked(v, kind, word, page, b->buf);
	vswap_cluster_unlock(c);

	if (ret == 1)
		ret = vswap_pool_decompress(v, b->buf, page);
	vswap_bounce_put(b);
	/* A disk read: with no bounce buffer held (see struct vswap_bounce). */
	if (ret == 2)
		ret = vswap_load_lower(v, slot, word, page);
	return ret;
}

/* ---------------------------------------------------------------------------
 * Whole objects, for writeback and drain
 */

/**
 * vswap_obj_recompress - recompress an object with @algo if that shrinks it
 * @v:       the device
 * @obj:     the object as vswap_pool_obj_read() copied it; rewritten in
 *           place if it shrinks
 * @len:     its length (PAGE_SIZE: a raw page)
 * @algo:    the algorithm to try; its streams exist
 * @scratch: a page to decompress into
 * @lowbuf:  PAGE_SIZE bytes of lowmem
 *
 * Writeback calls this: cold pages are worth a slower, stronger compressor
 * (zstd against the pool's lz4), both for the bytes written to the device
 * and for the tier space they take.  Objects already compressed with @algo
 * are left alone; a raw page is tried too.  @obj may be vmalloc memory,
 * which a scatterlist cannot describe: the compressed input is copied to
 * @lowbuf first.  May sleep.
 *
 * Return: the object's length afterwards, never more than @len.
 */
u32 vswap_obj_recompress(struct vswap *v, u8 *obj, u32 len, unsigned int algo,
			 struct page *scratch, u8 *lowbuf)
{
	struct vswap_obj_hdr *hdr = (struct vswap_obj_hdr *)obj;
	struct vswap_comp *comp = vswap_comp_get(v, algo);
	struct vswap_stream *s;
	unsigned int dlen;
	u8 *out;

	if (WARN_ON_ONCE(!comp))
		return len;
	if (len == PAGE_SIZE) {
		memcpy_to_page(scratch, 0, obj, PAGE_SIZE);
	} else {
		if (hdr->algo == algo)
			return len;
		memcpy(lowbuf, obj, len);
		if (vswap_pool_decompress(v, lowbuf, scratch))
			return len;
	}
	s = vswap_stream_get(comp);
	if (!vswap_stream_compress(s, scratch, 0, &out, &dlen) &&
	    VSWAP_HDR_SIZE + dlen < len) {
		hdr->len = dlen;
		hdr->algo = algo;
		hdr->reserved = 0;
		memcpy(obj + VSWAP_HDR_SIZE, out, dlen);
		len = VSWAP_HDR_SIZE + dlen;
	}
	vswap_stream_put(s);
	return len;
}

/**
 * vswap_pool_obj_read - copy a slot's pool object as it is stored
 * @v:    the device
 * @word: the slot's VSWAP_ZS word; its cluster is locked
 * @dst:  destination
 * @room: bytes available at @dst
 *
 * Return: the object's length, or 0 if it does not fit in @room.
 */
u32 vswap_pool_obj_read(struct vswap *v, unsigned long word, u8 *dst, u32 room)
{
	struct vswap_obj_hdr hdr;
	u32 len;

	if (word & VSWAP_ZS_RAW) {
		if (room < PAGE_SIZE)
			return 0;
		memcpy_from_page(dst, vswap_raw_page(word), 0, PAGE_SIZE);
		return PAGE_SIZE;
	}
	vswap_zs_read(v->pool, word, &hdr, sizeof(hdr));
	len = VSWAP_HDR_SIZE + hdr.len;
	if (len > room)
		return 0;
	vswap_zs_read(v->pool, word, dst, len);
	return len;
}

/**
 * vswap_pool_put_object - store an object read back from a lower tier
 * @v:    the device
 * @obj:  the object as vswap_pool_obj_read() returned it
 * @len:  its length (PAGE_SIZE: a raw page)
 * @word: receives the VSWAP_ZS word; the caller publishes it, or releases it
 *        with vswap_release_payload() if it cannot
 *
 * Return: 0, -ENOMEM (no memory), -ENOSPC (at mem_limit) or -EIO (not an
 * object vswap wrote).
 */
int vswap_pool_put_object(struct vswap *v, const u8 *obj, u32 len,
			  unsigned long *word)
{
	const struct vswap_obj_hdr *hdr = (const struct vswap_obj_hdr *)obj;
	int ret;

	if (len != PAGE_SIZE &&
	    (len <= VSWAP_HDR_SIZE || VSWAP_HDR_SIZE + hdr->len != len))
		return -EIO;
	if (len == PAGE_SIZE) {
		ret = vswap_raw_alloc(v, NUMA_NO_NODE, word);
		if (!ret)
			memcpy_to_page(vswap_raw_page(*word), 0, obj, PAGE_SIZE);
	} else {
		ret = vswap_pool_put(v, obj, len, NUMA_NO_NODE, word);
	}
	if (!ret)
		atomic64_add(len, &v->stats.compr_data_size);
	return ret;
}

/* ---------------------------------------------------------------------------
 * Setup
 */

/**
 * vswap_lower_bufs_create - buffers for lower-tier reads
 * @v: the device
 *
 * Called at each attach; created with the first tier, kept until the
 * device goes (a handful of buffers).
 */
int vswap_lower_bufs_create(struct vswap *v)
{
	mempool_t *pool;

	if (READ_ONCE(v->lower_bufs))
		return 0;
	pool = mempool_create_kmalloc_pool(VSWAP_LOWER_RESERVE, VSWAP_LOWER_BUF);
	if (!pool)
		return -ENOMEM;
	/* Attach runs under tier_lock: no other creator. */
	smp_store_release(&v->lower_bufs, pool);
	return 0;
}

static void vswap_bounce_free(struct vswap *v)
{
	int cpu;

	if (!v->bounce)
		return;
	for_each_possible_cpu(cpu) {
		kfree(per_cpu_ptr(v->bounce, cpu)->buf);
	}
	free_percpu(v->bounce);
	v->bounce = NULL;
}

static int vswap_bounce_alloc(struct vswap *v)
{
	struct vswap_bounce *b;
	int cpu;

	v->bounce = alloc_percpu(struct vswap_bounce);
	if (!v->bounce)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(v->bounce, cpu);
		mutex_init(&b->lock);
		b->buf = kmalloc_node(PAGE_SIZE, GFP_KERNEL, cpu_to_node(cpu));
		if (!b->buf) {
			vswap_bounce_free(v);
			return -ENOMEM;
		}
	}
	return 0;
}

int vswap_pool_create(struct vswap *v)
{
	int ret;

	v->pool = zs_create_pool(VSWAP_NAME);
	if (!v->pool)
		return -ENOMEM;
	v->huge_size = zs_huge_class_size(v->pool);
	ret = vswap_bounce_alloc(v);
	if (ret) {
		zs_destroy_pool(v->pool);
		v->pool = NULL;
	}
	return ret;
}

void vswap_pool_destroy(struct vswap *v)
{
	vswap_bounce_free(v);
	mempool_destroy(v->lower_bufs);
	v->lower_bufs = NULL;
	if (v->pool)
		zs_destroy_pool(v->pool);
	v->pool = NULL;
}
