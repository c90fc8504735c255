/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O of the protocol host: one READ, WRITE or TEST UNIT READY action
 * of lib/proto performed on a member disk (node_io.c).  Lower than node.c:
 * it knows nothing of the protocol and calls nothing of the host; an I/O
 * ends by calling the completion it was given, exactly once.
 */
#ifndef RC_KERNEL_NODE_IO_H
#define RC_KERNEL_NODE_IO_H

#include <linux/blkdev.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "proto/node.h"

/* The largest READ the library asks: all 32 slots of one channel. */
#define RC_NIO_MAX_BYTES (RC_MAX_NODES * RC_SLOT_BYTES)
#define RC_NIO_MAX_PAGES (RC_NIO_MAX_BYTES / PAGE_SIZE)

struct rc_nio;
typedef void (*rc_nio_done_fn)(struct rc_nio *io);

/*
 * What the caller counts of its I/O: each counter goes down, and @wq is
 * woken, when an I/O is freed, i.e. when its bio or TEST UNIT READY has
 * really ended, not when it was answered (a timed-out I/O still runs).
 */
struct rc_nio_count {
	atomic_t *count[2];
	wait_queue_head_t *wq;
};

struct rc_nio {
	struct rc_action act;		/* the library's, echoed back */
	int error;			/* 0 or negative errno, once answered */
	struct llist_node node;		/* the host's completion list */
	/* private to node_io.c */
	struct block_device *bdev;
	struct scsi_device *sdev;	/* of bdev: valid while it is open */
	bool sdev_ref;			/* a reference taken for the TUR */
	rc_nio_done_fn done;
	struct rc_nio_count cnt;
	atomic_t answered;
	refcount_t ref;
	struct timer_list timer;
	struct work_struct work;	/* TUR, which sleeps */
	unsigned int npages;
	struct page *pages[RC_NIO_MAX_PAGES];
};

/*
 * Perform @a on @bdev (READ/WRITE: bio on own pages, bypassing every
 * cache; TUR: scsi_test_unit_ready() from a work item).  @done runs once,
 * from any context (interrupt included), when the disk answers or after
 * @timeout_ms (error -ETIMEDOUT), whichever comes first; a late answer is
 * dropped; @done may run before this returns.  The caller keeps @bdev
 * open until the I/O is freed (@cnt says when).  Memory for the I/O is
 * waited for, never failed.  The copy of a WRITE's buffer is taken here,
 * so the caller's buffer may change as soon as this returns.
 */
void rc_nio_submit(struct block_device *bdev, const struct rc_action *a,
		   unsigned int timeout_ms, rc_nio_done_fn done,
		   const struct rc_nio_count *cnt);

/*
 * In process context, for an answered @io: its error, with "no path"
 * (-ENOLINK) narrowed to "this disk is gone" (-ENODEV) when other disks
 * of the same SCSI host still run.  A disk pulled from a working bus is
 * not a cable failure (figure 15 would take it for this node's own).
 */
int rc_nio_error(const struct rc_nio *io);

/* Copy what a READ that ended without error read into @dst (act.len). */
void rc_nio_copy_data(const struct rc_nio *io, void *dst);

/* The caller is done with an answered @io. */
void rc_nio_put(struct rc_nio *io);

#endif /* RC_KERNEL_NODE_IO_H */
