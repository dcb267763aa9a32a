/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap compressors (vswap_comp.c): per-CPU acomp streams per algorithm.
 */
#ifndef _VSWAP_COMP_H_
#define _VSWAP_COMP_H_

#include "vswap.h"

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

#endif /* _VSWAP_COMP_H_ */
