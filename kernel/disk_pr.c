// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI-3 persistent reservations on member disks (SPC-4 6.15, 6.16),
 * issued through the disk's scsi_device rather than the block layer's
 * pr_ops: those print every failure (a disk without PR answers every
 * command with ILLEGAL REQUEST, which here is an answer, not an error) and
 * in 6.1 cannot read the keys back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <asm/unaligned.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>

#include "disk_pr.h"

#define RC_PR_TIMEOUT (5 * HZ)	/* a disk that takes longer has no path */
#define RC_PR_RETRIES 1
/*
 * The midlayer does not retry a passthrough command that ends with CHECK
 * CONDITION (scsi_noretry_cmd()), so a UNIT ATTENTION after a reset or a
 * registration change elsewhere is retried here.
 */
#define RC_PR_UA_TRIES 4
#define RC_PR_OUT_LEN 24	/* the basic PR OUT parameter list */

/* PERSISTENT RESERVE OUT service actions */
#define RC_PRO_RESERVE 0x01
#define RC_PRO_PREEMPT 0x04
#define RC_PRO_PREEMPT_ABORT 0x05
#define RC_PRO_REGISTER_IGNORE 0x06
/* PERSISTENT RESERVE IN service actions */
#define RC_PRI_READ_KEYS 0x00

/* sd registers the disk under its scsi_device (see rc_mdisk_identify()). */
static struct scsi_device *rc_pr_sdev(struct block_device *bdev)
{
	struct device *parent = disk_to_dev(bdev->bd_disk)->parent;

	return parent && scsi_is_sdev_device(parent) ? to_scsi_device(parent) :
						       NULL;
}

static enum rc_pr_result rc_pr_exec(struct block_device *bdev, const u8 *cdb,
				    int dir, void *buf, unsigned int len)
{
	struct scsi_device *sdev = rc_pr_sdev(bdev);
	struct scsi_sense_hdr sshdr;
	int result, tries;

	if (!sdev)
		return RC_PRR_UNSUPPORTED;
	for (tries = 0; tries < RC_PR_UA_TRIES; tries++) {
		result = scsi_execute_req(sdev, cdb, dir, buf, len, &sshdr,
					  RC_PR_TIMEOUT, RC_PR_RETRIES, NULL);
		if (result <= 0 || !scsi_sense_valid(&sshdr) ||
		    sshdr.sense_key != UNIT_ATTENTION)
			break;
	}
	if (!result)
		return RC_PRR_GOOD;
	if (result > 0 && (result & 0xff) == SAM_STAT_RESERVATION_CONFLICT)
		return RC_PRR_CONFLICT;
	if (result > 0 && scsi_sense_valid(&sshdr) &&
	    sshdr.sense_key == ILLEGAL_REQUEST)
		return RC_PRR_UNSUPPORTED;
	return RC_PRR_ERROR;
}

/* PR OUT @sa with the basic parameter list: @key, @sa_key, @type. */
static enum rc_pr_result rc_pr_out(struct block_device *bdev, u8 sa, u64 key,
				   u64 sa_key, u8 type)
{
	u8 cdb[10] = { PERSISTENT_RESERVE_OUT, sa, type };
	enum rc_pr_result r;
	u8 *p;

	p = kzalloc(RC_PR_OUT_LEN, GFP_KERNEL);
	if (!p)
		return RC_PRR_ERROR;
	put_unaligned_be64(key, p);		/* reservation key */
	put_unaligned_be64(sa_key, p + 8);	/* service action key */
	put_unaligned_be32(RC_PR_OUT_LEN, cdb + 5);
	r = rc_pr_exec(bdev, cdb, DMA_TO_DEVICE, p, RC_PR_OUT_LEN);
	kfree(p);
	return r;
}

enum rc_pr_result rc_disk_pr_register(struct block_device *bdev, u64 key)
{
	return rc_pr_out(bdev, RC_PRO_REGISTER_IGNORE, 0, key, 0);
}

enum rc_pr_result rc_disk_pr_reserve(struct block_device *bdev, u64 key)
{
	return rc_pr_out(bdev, RC_PRO_RESERVE, key, 0, RC_PR_TYPE_WE_RO);
}

enum rc_pr_result rc_disk_pr_preempt(struct block_device *bdev, u64 key,
				     u64 victim)
{
	enum rc_pr_result r;

	/* ... and abort: its commands queued at the disk die with its key */
	r = rc_pr_out(bdev, RC_PRO_PREEMPT_ABORT, key, victim, RC_PR_TYPE_WE_RO);
	if (r == RC_PRR_UNSUPPORTED)
		r = rc_pr_out(bdev, RC_PRO_PREEMPT, key, victim,
			      RC_PR_TYPE_WE_RO);
	return r;
}

enum rc_pr_result rc_disk_pr_read_keys(struct block_device *bdev, u64 *keys,
				       unsigned int max, unsigned int *n)
{
	u8 cdb[10] = { PERSISTENT_RESERVE_IN, RC_PRI_READ_KEYS };
	unsigned int len = 8 + 8 * max, i, have;
	enum rc_pr_result r;
	u8 *p;

	*n = 0;
	p = kzalloc(len, GFP_KERNEL);
	if (!p)
		return RC_PRR_ERROR;
	put_unaligned_be16(len, cdb + 7);
	r = rc_pr_exec(bdev, cdb, DMA_FROM_DEVICE, p, len);
	if (r == RC_PRR_GOOD) {
		/* ADDITIONAL LENGTH counts every key, also those cut off */
		have = get_unaligned_be32(p + 4) / 8;
		for (i = 0; i < have && i < max; i++)
			keys[i] = get_unaligned_be64(p + 8 + 8 * i);
		*n = i;
		/* a key we did not see may be the one to remove */
		if (have > max)
			r = RC_PRR_ERROR;
	}
	kfree(p);
	return r;
}
