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

/* REGISTER AND IGNORE EXISTING KEY: this nexus's key becomes @key (0: none). */
enum rc_pr_result rc_disk_pr_register(struct block_device *bdev, u64 key);

/* READ KEYS: up to @max registered keys into @keys, their count in @n. */
enum rc_pr_result rc_disk_pr_read_keys(struct block_device *bdev, u64 *keys,
				       unsigned int max, unsigned int *n);

#endif /* RC_DISK_PR_H */
