// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reservations on rclN: the block layer's pr_ops (IOC_PR_*
 * ioctls) mapped onto the cluster's reservation of the drive, so that
 * tools and fence agents that speak PR work on a logical drive.
 *
 * The model:
 *  - REGISTER keeps a key for the drive on this node (the cluster's table
 *    knows holders, not keys).  Key 0 unregisters; a node that held the
 *    drive releases it then, as a SCSI target does.
 *  - RESERVE with the registered key is the cluster Reserve (figure 10),
 *    RELEASE with it the Release (figure 19).
 *  - PREEMPT with our key takes the reservation from whichever node holds
 *    it: the victim's key cannot be checked, no node knows the others'.
 *    The node preempted fences the drive and drains it before it answers.
 *  - CLEAR with our key ends the reservation, whoever holds it, and our
 *    registration.
 *  - Types WRITE EXCLUSIVE and EXCLUSIVE ACCESS; both fence the other
 *    nodes' reads too (the cluster's one kind of reservation).  The
 *    REGISTRANTS types would need a cluster-wide registrant list:
 *    -EOPNOTSUPP.
 * A wrong key, or a drive another node holds, is -EBADE: the block layer's
 * reservation conflict.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/pr.h>

#include "rc.h"
#include "node.h"

static struct rc_ldev *rc_pr_ld(struct block_device *bdev)
{
	return bdev->bd_disk->private_data;
}

static int rc_pr_errno(int ret)
{
	/* The cluster's conflict is the block layer's. */
	return ret == -EBUSY ? -EBADE : ret;
}

static int rc_pr_type_ok(enum pr_type type)
{
	return type == PR_WRITE_EXCLUSIVE || type == PR_EXCLUSIVE_ACCESS ?
	       0 : -EOPNOTSUPP;
}

/* The release, with the block layer's conflict errno. */
static int rc_pr_do_release(struct rc_ldev *ld)
{
	char msg[RC_IOC_MSG_LEN] = "";
	int ret = rc_ld_release_reservation(ld, msg);

	if (ret)
		pr_warn("rcl%u: persistent reservation release: %s\n",
			ld->number, msg);
	return rc_pr_errno(ret);
}

static bool rc_pr_key_ok(struct rc_ldev *ld, u64 key)
{
	return key && key == ld->pr_key;
}

static int rc_pr_register(struct block_device *bdev, u64 old_key, u64 new_key,
			  u32 flags)
{
	struct rc_ldev *ld = rc_pr_ld(bdev);
	int ret = 0;

	if (flags & ~PR_FL_IGNORE_KEY)
		return -EOPNOTSUPP;
	mutex_lock(&ld->pr_lock);
	if (!(flags & PR_FL_IGNORE_KEY) && old_key != ld->pr_key) {
		ret = -EBADE;
		goto out;
	}
	if (!new_key && ld->pr_key &&
	    rc_host_holder(ld->number) == rc.node_id)
		ret = rc_pr_do_release(ld);
	if (!ret)
		ld->pr_key = new_key;
out:
	mutex_unlock(&ld->pr_lock);
	return ret;
}

static int rc_pr_reserve(struct block_device *bdev, u64 key,
			 enum pr_type type, u32 flags)
{
	struct rc_ldev *ld = rc_pr_ld(bdev);
	char msg[RC_IOC_MSG_LEN] = "";
	int ret = rc_pr_type_ok(type);

	if (ret)
		return ret;
	if (flags)
		return -EOPNOTSUPP;
	mutex_lock(&ld->pr_lock);
	ret = -EBADE;
	if (rc_pr_key_ok(ld, key)) {
		ret = rc_host_reserve(ld->number, msg);
		if (!ret) {
			clear_bit(ld->number, &rc.auto_held);
			rc_wib_take(ld);
		} else {
			pr_info_ratelimited("rcl%u: persistent reservation refused: %s\n",
					    ld->number, msg);
		}
		ret = rc_pr_errno(ret);
	}
	mutex_unlock(&ld->pr_lock);
	return ret;
}

static int rc_pr_release(struct block_device *bdev, u64 key,
			 enum pr_type type)
{
	struct rc_ldev *ld = rc_pr_ld(bdev);
	int ret = rc_pr_type_ok(type);

	if (ret)
		return ret;
	mutex_lock(&ld->pr_lock);
	ret = -EBADE;
	if (rc_pr_key_ok(ld, key))
		ret = rc_host_holder(ld->number) == rc.node_id ?
		      rc_pr_do_release(ld) : 0;	/* not ours: nothing to do */
	mutex_unlock(&ld->pr_lock);
	return ret;
}

static int rc_pr_preempt(struct block_device *bdev, u64 old_key, u64 new_key,
			 enum pr_type type, bool abort)
{
	struct rc_ldev *ld = rc_pr_ld(bdev);
	char msg[RC_IOC_MSG_LEN] = "";
	int ret = rc_pr_type_ok(type);

	if (ret)
		return ret;
	mutex_lock(&ld->pr_lock);
	ret = -EBADE;
	if (rc_pr_key_ok(ld, old_key)) {
		ret = rc_host_preempt(ld->number, msg);
		if (!ret) {
			clear_bit(ld->number, &rc.auto_held);
			pr_info("rcl%u: reservation preempted by this node\n",
				ld->number);
			rc_wib_take(ld);
		} else {
			pr_info_ratelimited("rcl%u: preempt refused: %s\n",
					    ld->number, msg);
		}
		ret = rc_pr_errno(ret);
	}
	mutex_unlock(&ld->pr_lock);
	return ret;
}

static int rc_pr_clear(struct block_device *bdev, u64 key)
{
	struct rc_ldev *ld = rc_pr_ld(bdev);
	char msg[RC_IOC_MSG_LEN] = "";
	u8 holder;
	int ret = -EBADE;

	mutex_lock(&ld->pr_lock);
	if (!rc_pr_key_ok(ld, key))
		goto out;
	holder = rc_host_holder(ld->number);
	ret = 0;
	if (holder != RC_HOLDER_NONE && holder != rc.node_id)
		ret = rc_pr_errno(rc_host_preempt(ld->number, msg));
	if (!ret && holder != RC_HOLDER_NONE)
		ret = rc_pr_do_release(ld);
	if (!ret)
		ld->pr_key = 0;
out:
	mutex_unlock(&ld->pr_lock);
	return ret;
}

const struct pr_ops rc_pr_ops = {
	.pr_register = rc_pr_register,
	.pr_reserve = rc_pr_reserve,
	.pr_release = rc_pr_release,
	.pr_preempt = rc_pr_preempt,
	.pr_clear = rc_pr_clear,
};
