/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap page store (vswap_pool.c): how each page is kept.
 *
 * Same-filled words, compressed objects in zsmalloc, raw pages, or objects
 * on a tier; it owns the payloads the slot table points to.
 */
#ifndef _VSWAP_POOL_H_
#define _VSWAP_POOL_H_

#include "vswap.h"
#include "vswap_table.h"

int vswap_pool_create(struct vswap *v);
void vswap_pool_destroy(struct vswap *v);
int vswap_store_page(struct vswap *v, u64 slot, struct page *page, bool *raw);
int vswap_free_slot(struct vswap *v, u64 slot, bool atomic);
void vswap_free_range(struct vswap *v, u64 first, u64 nr);
void vswap_store_drop(struct vswap *v);
int vswap_load_page(struct vswap *v, u64 slot, struct page *page);
int vswap_pool_put_object(struct vswap *v, const u8 *obj, u32 len,
			  unsigned long *word);
u32 vswap_obj_recompress(struct vswap *v, u8 *obj, u32 len, unsigned int algo,
			 struct page *scratch, u8 *lowbuf);
u32 vswap_pool_obj_read(struct vswap *v, unsigned long word, u8 *dst, u32 room);
int vswap_lower_bufs_create(struct vswap *v);
void vswap_release_payload(struct vswap *v, enum vswap_kind kind,
			   unsigned long word);
unsigned long vswap_pool_pages(struct vswap *v);
bool vswap_pool_at_limit(struct vswap *v);

#endif /* _VSWAP_POOL_H_ */
