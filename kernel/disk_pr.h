/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI-3 persistent reservations on a member disk: the commands, nothing
 * of when or why (the protocol host decides that, kernel/node.c).
 */
#ifndef RC_DISK_PR_H
#define RC_DISK_PR_H

#include <linux/blkdev.h>
#include <linux/types.h>

/* What a PR command came to; also the value of rc_ioc_disk_info.pr_state. */
enum rc_pr_result {
	RC_PRR_GOOD = 0,
	RC_PRR_UNSUPPORTED,	/* ILLEGAL REQUEST: the disk has no PR */
	RC_PRR_CONFLICT,	/* RESERVATION CONFLICT */
	RC_PRR_ERROR,		/* any other failure (no path, timeout) */
};

/*
 * The reservation the cluster keeps on each member disk: WRITE EXCLUSIVE,
 * REGISTRANTS ONLY.  Every registered node may write; a node whose key is
 * gone (fenced) may still read, and its writes end with RESERVATION
 * CONFLICT.
 */
#define RC_PR_TYPE_WE_RO 5

/* REGISTER AND IGNORE EXISTING KEY: this nexus's key becomes @key (0: none). */
enum rc_pr_result rc_disk_pr_register(struct block_device *bdev, u64 key);

/* RESERVE, WE-RO, as the registrant of @key (GOOD if it holds it already). */
enum rc_pr_result rc_disk_pr_reserve(struct block_device *bdev, u64 key);

/*
 * PREEMPT AND ABORT (PREEMPT where the disk has no abort variant): remove
 * the registration of @victim; if @victim held the reservation, it is ours
 * (WE-RO) from now on.  The caller is the registrant of @key.
 */
enum rc_pr_result rc_disk_pr_preempt(struct block_device *bdev, u64 key,
				     u64 victim);

/* READ KEYS: up to @max registered keys into @keys, their count in @n. */
enum rc_pr_result rc_disk_pr_read_keys(struct block_device *bdev, u64 *keys,
				       unsigned int max, unsigned int *n);

#endif /* RC_DISK_PR_H */
