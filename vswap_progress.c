// SPDX-License-Identifier: GPL-2.0
/*
 * vswap mover: progress of long operations.
 *
 * A drain (lower_remove), a migration (lower_migrate), a manual writeback
 * and a compaction can run for minutes on a big tier, in the write() of the
 * sysfs file that started them.  Each registers a struct vswap_op for as
 * long as it runs and updates it after every batch; the read-only sysfs file
 * `progress` lists them, one line each, so that vswapctl (or an admin with
 * watch(1)) can show how far they got without any say in how they run.
 *
 * The records live on the stack of the writer that runs the operation; the
 * list is under wb.ops_lock, a spinlock taken only here, never with another
 * lock held, and for a few instructions at a time.
 */
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "vswap.h"
#include "vswap_mover.h"

/**
 * vswap_op_begin - make a long operation visible in `progress`
 * @v:      the device
 * @op:     the operation's record, on the caller's stack
 * @name:   what runs ("drain", "migrate", "writeback", "compact")
 * @target: what it runs on (a tier's path, a writeback mode, "-")
 * @unit:   what @total and the done figure are in ("segments", "pages")
 * @total:  how much there is to do, 0 if that is not known up front
 *
 * Every vswap_op_begin() is paired with a vswap_op_end() before @op goes
 * out of scope.
 */
void vswap_op_begin(struct vswap *v, struct vswap_op *op, const char *name,
		    const char *target, const char *unit, u64 total)
{
	op->name = name;
	op->target = target;
	op->unit = unit;
	op->total = total;
	op->done = 0;
	spin_lock(&v->wb.ops_lock);
	list_add_tail(&op->node, &v->wb.ops);
	spin_unlock(&v->wb.ops_lock);
}

/**
 * vswap_op_update - record how much of a long operation is done
 * @op:   its record
 * @done: units done so far; never above the total, when it is known
 *
 * Only the operation's own task writes its record: no lock.
 */
void vswap_op_update(struct vswap_op *op, u64 done)
{
	if (op->total)
		done = min(done, op->total);
	WRITE_ONCE(op->done, done);
}

/**
 * vswap_op_end - a long operation is over
 * @v:  the device
 * @op: its record, unlisted before the caller returns
 */
void vswap_op_end(struct vswap *v, struct vswap_op *op)
{
	spin_lock(&v->wb.ops_lock);
	list_del(&op->node);
	spin_unlock(&v->wb.ops_lock);
}

/**
 * vswap_progress_show - the `progress` sysfs file
 * @v:   the device
 * @buf: a PAGE_SIZE sysfs buffer
 *
 * A header line, then "name target done total unit" per running operation,
 * oldest first (total 0: not known).  Lines that would not fit are left
 * out: at most a tier per path can drain at a time, so that needs dozens of
 * concurrent writers.
 *
 * Return: bytes in @buf.
 */
ssize_t vswap_progress_show(struct vswap *v, char *buf)
{
	struct vswap_op *op;
	ssize_t sz, n;

	sz = sysfs_emit(buf, "operation target done total unit\n");
	spin_lock(&v->wb.ops_lock);
	list_for_each_entry(op, &v->wb.ops, node) {
		n = snprintf(buf + sz, PAGE_SIZE - sz, "%s %s %llu %llu %s\n",
			     op->name, op->target, READ_ONCE(op->done),
			     op->total, op->unit);
		if (n >= PAGE_SIZE - sz)
			break;
		sz += n;
	}
	spin_unlock(&v->wb.ops_lock);
	return sz;
}
