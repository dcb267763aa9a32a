// SPDX-License-Identifier: GPL-2.0
/*
 * vswap compressors: per-CPU compression streams over the kernel crypto API.
 *
 * Each algorithm in use has a struct vswap_comp with one stream per CPU: an
 * acomp transform, a request and a 2 x PAGE_SIZE output buffer (a page that
 * does not compress may expand).  Streams are set up and torn down with a
 * dynamic CPU-hotplug state, so only online CPUs pay for them.  A stream is
 * guarded by a mutex rather than by disabling preemption, because the store
 * path allocates from the pool (and may sleep) while it still holds the
 * compressed data.
 *
 * The device keeps every algorithm it has used until it is destroyed: pages
 * compressed before a switch still name their algorithm and must still
 * decompress.
 */
#include <crypto/acompress.h>
#include <linux/cpuhotplug.h>
#include <linux/crypto.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "vswap.h"
#include "vswap_comp.h"

const char * const vswap_algo_names[VSWAP_NR_ALGOS] = {
	[VSWAP_ALGO_LZ4]	= "lz4",
	[VSWAP_ALGO_LZO_RLE]	= "lzo-rle",
	[VSWAP_ALGO_LZO]	= "lzo",
	[VSWAP_ALGO_ZSTD]	= "zstd",
	[VSWAP_ALGO_DEFLATE]	= "deflate",
	[VSWAP_ALGO_NONE]	= "none",
};

/**
 * struct vswap_stream - one CPU's compression context
 * @lock:   owns the stream; a stream whose CPU went offline has @tfm NULL
 * @tfm:    acomp transform, NULL while the CPU is offline
 * @req:    request bound to @tfm
 * @wait:   completion for @req
 * @buffer: 2 x PAGE_SIZE compression output
 */
struct vswap_stream {
	struct mutex lock;		/* owns the stream */
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	struct crypto_wait wait;
	u8 *buffer;
};

/**
 * struct vswap_comp - an algorithm and its per-CPU streams
 * @algo:    which algorithm
 * @streams: per-CPU streams
 * @node:    instance of the CPU-hotplug state
 */
struct vswap_comp {
	enum vswap_algo algo;
	struct vswap_stream __percpu *streams;
	struct hlist_node node;
};

static enum cpuhp_state vswap_cpuhp_state;

/* ---------------------------------------------------------------------------
 * CPU hotplug: streams follow the online CPUs
 */

static int vswap_stream_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct vswap_comp *comp = hlist_entry(node, struct vswap_comp, node);
	struct vswap_stream *s = per_cpu_ptr(comp->streams, cpu);
	const char *name = vswap_algo_names[comp->algo];
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	u8 *buffer;

	buffer = kmalloc_node(2 * PAGE_SIZE, GFP_KERNEL, cpu_to_node(cpu));
	if (!buffer)
		return -ENOMEM;
	tfm = crypto_alloc_acomp_node(name, 0, 0, cpu_to_node(cpu));
	if (IS_ERR(tfm)) {
		pr_err("cannot allocate %s transform: %ld\n", name, PTR_ERR(tfm));
		kfree(buffer);
		return PTR_ERR(tfm);
	}
	req = acomp_request_alloc(tfm);
	if (!req) {
		crypto_free_acomp(tfm);
		kfree(buffer);
		return -ENOMEM;
	}
	crypto_init_wait(&s->wait);
	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &s->wait);

	mutex_lock(&s->lock);
	s->buffer = buffer;
	s->tfm = tfm;
	s->req = req;
	mutex_unlock(&s->lock);
	return 0;
}

static int vswap_stream_dead(unsigned int cpu, struct hlist_node *node)
{
	struct vswap_comp *comp = hlist_entry(node, struct vswap_comp, node);
	struct vswap_stream *s = per_cpu_ptr(comp->streams, cpu);
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	u8 *buffer;

	/* A task migrated off @cpu may still hold this stream: wait for it. */
	mutex_lock(&s->lock);
	tfm = s->tfm;
	req = s->req;
	buffer = s->buffer;
	s->tfm = NULL;
	s->req = NULL;
	s->buffer = NULL;
	mutex_unlock(&s->lock);

	if (req)
		acomp_request_free(req);
	if (tfm)
		crypto_free_acomp(tfm);
	kfree(buffer);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Algorithms
 */

bool vswap_algo_available(enum vswap_algo algo)
{
	if (algo == VSWAP_ALGO_NONE)
		return true;
	/* Loads the "crypto-<name>" module if needed. */
	return crypto_has_acomp(vswap_algo_names[algo], 0, 0);
}

int vswap_algo_lookup(const char *name)
{
	return match_string(vswap_algo_names, VSWAP_NR_ALGOS, name);
}

struct vswap_comp *vswap_comp_create(enum vswap_algo algo)
{
	struct vswap_comp *comp;
	int cpu, ret;

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->algo = algo;
	comp->streams = alloc_percpu(struct vswap_stream);
	if (!comp->streams) {
		kfree(comp);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(comp->streams, cpu)->lock);

	ret = cpuhp_state_add_instance(vswap_cpuhp_state, &comp->node);
	if (ret) {
		free_percpu(comp->streams);
		kfree(comp);
		return ERR_PTR(ret);
	}
	return comp;
}

void vswap_comp_destroy(struct vswap_comp *comp)
{
	cpuhp_state_remove_instance(vswap_cpuhp_state, &comp->node);
	free_percpu(comp->streams);
	kfree(comp);
}

enum vswap_algo vswap_comp_algo(const struct vswap_comp *comp)
{
	return comp->algo;
}

/* ---------------------------------------------------------------------------
 * Streams
 */

/* Take this CPU's stream; it stays ours if we migrate. */
struct vswap_stream *vswap_stream_get(struct vswap_comp *comp)
{
	struct vswap_stream *s;

	for (;;) {
		s = raw_cpu_ptr(comp->streams);
		mutex_lock(&s->lock);
		if (likely(s->tfm))
			return s;
		/* Its CPU went offline between the lookup and the lock. */
		mutex_unlock(&s->lock);
	}
}

void vswap_stream_put(struct vswap_stream *s)
{
	mutex_unlock(&s->lock);
}

/**
 * vswap_stream_compress - compress @page into the stream's buffer
 * @s:        a stream from vswap_stream_get()
 * @page:     source page
 * @headroom: bytes to leave free at the start of the buffer (object header)
 * @out:      receives the buffer; the data starts at @headroom
 * @dlen:     receives the compressed length, which may exceed PAGE_SIZE
 */
int vswap_stream_compress(struct vswap_stream *s, struct page *page,
			  unsigned int headroom, u8 **out, unsigned int *dlen)
{
	struct scatterlist input, output;
	int ret;

	sg_init_table(&input, 1);
	sg_set_page(&input, page, PAGE_SIZE, 0);
	sg_init_one(&output, s->buffer + headroom, 2 * PAGE_SIZE - headroom);
	acomp_request_set_params(s->req, &input, &output, PAGE_SIZE,
				 2 * PAGE_SIZE - headroom);
	ret = crypto_wait_req(crypto_acomp_compress(s->req), &s->wait);
	*out = s->buffer;
	*dlen = s->req->dlen;
	return ret;
}

/* Decompress @slen bytes at @src into @page, which must come out whole. */
int vswap_stream_decompress(struct vswap_stream *s, const void *src,
			    unsigned int slen, struct page *page)
{
	struct scatterlist input, output;
	int ret;

	sg_init_one(&input, src, slen);
	sg_init_table(&output, 1);
	sg_set_page(&output, page, PAGE_SIZE, 0);
	acomp_request_set_params(s->req, &input, &output, slen, PAGE_SIZE);
	ret = crypto_wait_req(crypto_acomp_decompress(s->req), &s->wait);
	if (!ret && s->req->dlen != PAGE_SIZE)
		ret = -EIO;
	return ret;
}

/* ---------------------------------------------------------------------------
 * The device's algorithms
 */

/* Create @algo's streams unless they exist; comp_lock held. */
static int vswap_comp_prepare_locked(struct vswap *v, enum vswap_algo algo)
{
	struct vswap_comp *comp;

	lockdep_assert_held(&v->comp_lock);
	if (algo == VSWAP_ALGO_NONE || v->comp[algo])
		return 0;
	comp = vswap_comp_create(algo);
	if (IS_ERR(comp))
		return PTR_ERR(comp);
	/* Publish after setup: readers use it without comp_lock. */
	smp_store_release(&v->comp[algo], comp);
	return 0;
}

/**
 * vswap_comp_prepare - make @algo usable by the device
 * @v:    the device
 * @algo: the algorithm
 *
 * Creates @algo's streams on first use; they stay until unload.
 *
 * Return: 0, -ENOENT if the kernel does not have @algo, or -ENOMEM.
 */
int vswap_comp_prepare(struct vswap *v, enum vswap_algo algo)
{
	int ret;

	if (!vswap_algo_available(algo))
		return -ENOENT;
	mutex_lock(&v->comp_lock);
	ret = vswap_comp_prepare_locked(v, algo);
	mutex_unlock(&v->comp_lock);
	return ret;
}

/**
 * vswap_set_algo - compress new pages with @algo
 * @v:    the device
 * @algo: the algorithm
 *
 * Creates @algo's streams on first use.  Pages stored earlier keep the
 * algorithm that compressed them.
 */
int vswap_set_algo(struct vswap *v, enum vswap_algo algo)
{
	int ret;

	if (!vswap_algo_available(algo))
		return -ENOENT;
	mutex_lock(&v->comp_lock);
	ret = vswap_comp_prepare_locked(v, algo);
	if (!ret)
		/* Pairs with the stores' acquire: they see its streams. */
		smp_store_release(&v->algo, algo);
	mutex_unlock(&v->comp_lock);
	return ret;
}

/* The algorithm that compressed an object, or NULL if never created. */
struct vswap_comp *vswap_comp_get(struct vswap *v, unsigned int algo)
{
	if (algo >= VSWAP_NR_ALGOS)
		return NULL;
	/* Pairs with vswap_set_algo(): see the streams set up, not just the pointer. */
	return smp_load_acquire(&v->comp[algo]);
}

void vswap_comp_release_all(struct vswap *v)
{
	int algo;

	for (algo = 0; algo < VSWAP_NR_ALGOS; algo++) {
		if (v->comp[algo])
			vswap_comp_destroy(v->comp[algo]);
		v->comp[algo] = NULL;
	}
}

int vswap_comp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "block/vswap:prepare",
				      vswap_stream_prepare, vswap_stream_dead);
	if (ret < 0)
		return ret;
	vswap_cpuhp_state = ret;
	return 0;
}

void vswap_comp_exit(void)
{
	cpuhp_remove_multi_state(vswap_cpuhp_state);
}
