/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap mover: writeback (vswap_writeback.c), compaction, drain and
 * migration (vswap_move.c).  It moves objects between the page store and
 * the tiers, through the slot table; nothing below it calls it.
 */
#ifndef _VSWAP_MOVER_H_
#define _VSWAP_MOVER_H_

#include "vswap.h"
#include "vswap_table.h"

/**
 * struct vswap_wb_item - one object staged into a writeback batch
 * @slot: its virtual slot
 * @kind: what the slot held when staged
 * @word: the slot's word when staged (the commit checks it is unchanged)
 * @off:  offset in the segment
 * @len:  bytes
 */
struct vswap_wb_item {
	u64 slot;
	enum vswap_kind kind;
	unsigned long word;
	u32 off;
	u32 len;
};

enum vswap_wb_mode { VSWAP_WB_IDLE, VSWAP_WB_HUGE, VSWAP_WB_ALL, VSWAP_WB_COUNT,
		     VSWAP_WB_AUTO };
void vswap_wb_lock(struct vswap_wb *wb);
void vswap_wb_unlock(struct vswap_wb *wb);
int vswap_wb_init(struct vswap *v);
void vswap_wb_exit(struct vswap *v);
int vswap_wb_buffers(struct vswap *v);
void vswap_wb_buffers_put(struct vswap *v);
int vswap_writeback(struct vswap *v, enum vswap_wb_mode mode, u64 nr);
void vswap_wb_kick(struct vswap *v);
bool vswap_wb_wait(struct vswap *v, unsigned long *deadline);
int vswap_lower_add(struct vswap *v, const char *path, int prio);
int vswap_lower_remove(struct vswap *v, const char *path);
int vswap_lower_migrate(struct vswap *v, const char *path);
int vswap_lower_compact(struct vswap *v);

/**
 * struct vswap_op - a long operation in progress (vswap_progress.c)
 * @node:   in wb.ops, under wb.ops_lock
 * @name:   what runs: "drain", "migrate", "writeback" or "compact"
 * @target: what it runs on: a tier's path, a writeback mode, or "-"
 * @unit:   what @done and @total count
 * @total:  how much there is to do, 0 if not known up front
 * @done:   how much is done (WRITE_ONCE by the operation, READ_ONCE by
 *          the reader of `progress`)
 */
struct vswap_op {
	struct list_head node;
	const char *name;
	const char *target;
	const char *unit;
	u64 total;
	u64 done;
};

void vswap_op_begin(struct vswap *v, struct vswap_op *op, const char *name,
		    const char *target, const char *unit, u64 total);
void vswap_op_update(struct vswap_op *op, u64 done);
void vswap_op_end(struct vswap *v, struct vswap_op *op);
ssize_t vswap_progress_show(struct vswap *v, char *buf);

/* Batches: shared by the mover's files (vswap_writeback.c, vswap_move.c). */
/**
 * struct vswap_batch - a segment being filled
 * @v:    the device
 * @t:    target tier, NULL when no batch is open
 * @seg:  target segment
 * @gen:  its write generation
 * @fill: bytes staged in wb.buf
 * @nr:   items staged in wb.items
 * @written: segments this batch has written (it reopens when one fills)
 * @bad:  objects (or segment summaries) met that did not check out and so
 *        were left where they are
 * @memory_ok: with no tier to move to, move lower objects into memory
 *             (drain); otherwise stop (compaction)
 */
struct vswap_batch {
	struct vswap *v;
	struct vswap_tier *t;
	u32 seg;
	u32 gen;
	u32 fill;
	u32 nr;
	unsigned int written;
	unsigned int bad;
	bool memory_ok;
};

int vswap_batch_open(struct vswap_batch *b);
bool vswap_batch_room(struct vswap_batch *b, u32 len);
void vswap_batch_stage(struct vswap_batch *b, u64 slot, enum vswap_kind kind,
		       unsigned long word, u32 len);
void vswap_batch_abort(struct vswap_batch *b);
int vswap_batch_write(struct vswap_batch *b);
struct vswap_tier *vswap_tier_best(struct vswap *v);
void vswap_wb_room(struct vswap *v);
int vswap_compact_locked(struct vswap *v);

#endif /* _VSWAP_MOVER_H_ */
