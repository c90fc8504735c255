// SPDX-License-Identifier: GPL-2.0
/*
 * Logical drives: the blk-mq gendisk rclN of a COD drive record, its queue
 * limits, its state and the uevents that announce state changes.
 * Functions run with rc.lock held unless their comment says otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/delay.h>
#include <linux/blkdev.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "rc.h"
#include "node.h"

#define RC_LD_QUEUE_DEPTH 128
#define RC_LD_MAX_HW_QUEUES 64	/* bounds the tags' memory on big machines */

static bool auto_reserve = true;
module_param(auto_reserve, bool, 0444);
MODULE_PARM_DESC(auto_reserve,
		 "default of each drive's auto_reserve: an open for writing reserves a drive nobody holds, its last close releases it (default 1)");

/*
 * The first open that may read the drive scans its partitions again: on a
 * node that could not read it when it started (not yet in nexus, or the
 * drive held elsewhere) the scan of add_disk found nothing.
 */
static void rc_ld_rescan_once(struct rc_ldev *ld)
{
	if (ld->part_scanned || !rc_host_may_read(ld->number))
		return;
	ld->part_scanned = true;
	set_bit(GD_NEED_PART_SCAN, &ld->disk->state);
}

/*
 * An open for writing needs this node to hold the drive's reservation:
 * refused with a message naming the holder, or (auto_reserve) reserved
 * now when nobody holds it.  open_mutex held.
 */
static int rc_ld_open_write(struct rc_ldev *ld)
{
	char msg[RC_IOC_MSG_LEN];
	u8 holder;
	int ret;

	if (rc_host_may_write(ld->number))
		return 0;
	holder = rc_host_holder(ld->number);
	if (holder != RC_HOLDER_NONE) {
		pr_warn_ratelimited("rcl%u: open for writing refused: reserved by node %u\n",
				    ld->number, holder);
		return -EBUSY;
	}
	if (!READ_ONCE(ld->auto_reserve)) {
		pr_warn_ratelimited("rcl%u: open for writing refused: this node does not hold its reservation (raidclusterctl reserve %u)\n",
				    ld->number, ld->number);
		return -EBUSY;
	}
	ret = rc_host_reserve(ld->number, msg);
	if (ret) {
		pr_warn_ratelimited("rcl%u: open for writing refused: %s\n",
				    ld->number, msg);
		return ret == -EINTR ? -EINTR : -EBUSY;
	}
	set_bit(ld->number, &rc.auto_held);
	return 0;
}

static int rc_ld_open(struct block_device *bdev, fmode_t mode)
{
	struct rc_ldev *ld = bdev->bd_disk->private_data;
	char msg[RC_IOC_MSG_LEN];
	int ret;

	/* Called under disk->open_mutex, as the delete check is. */
	if (ld->deleting)
		return -ENXIO;
	/* A node still joining does not know who holds the drive yet. */
	ret = rc_host_wait_nexus(msg);
	if (ret) {
		pr_warn_ratelimited("rcl%u: open refused: %s\n", ld->number,
				    msg);
		return ret;
	}
	if (mode & FMODE_WRITE) {
		ret = rc_ld_open_write(ld);
		if (ret)
			return ret;
		ld->writers++;
	}
	/* the dirty regions of every node are resynced before we serve it */
	rc_wib_take(ld);
	rc_ld_rescan_once(ld);
	return 0;
}

/*
 * Release this node's reservation of running drive @ld: its writes stop
 * at once, those in flight end (the queue's freeze), and only then do the
 * other nodes hear of it.  The caller keeps @ld from being stopped.
 */
int rc_ld_release_reservation(struct rc_ldev *ld, char *msg)
{
	int ret;

	rc_host_release_begin(ld->number);
	blk_mq_freeze_queue(ld->disk->queue);
	blk_mq_unfreeze_queue(ld->disk->queue);
	rc_wib_quiesce(ld);
	ret = rc_host_release(ld->number, msg);
	if (!ret)
		clear_bit(ld->number, &rc.auto_held);
	return ret;
}

/* The last writer closed a drive it reserved by opening it: release it. */
static void rc_ld_release_work(struct work_struct *work)
{
	struct rc_ldev *ld = container_of(work, struct rc_ldev, release_work);
	char msg[RC_IOC_MSG_LEN];

	mutex_lock(&ld->disk->open_mutex);
	if (!ld->writers && test_and_clear_bit(ld->number, &rc.auto_held) &&
	    rc_ld_release_reservation(ld, msg))
		pr_warn("rcl%u: automatic release failed: %s\n", ld->number,
			msg);
	mutex_unlock(&ld->disk->open_mutex);
}

static void rc_ld_release(struct gendisk *disk, fmode_t mode)
{
	struct rc_ldev *ld = disk->private_data;

	/*
	 * The block layer opens the whole disk once for all the openers of
	 * a partition and closes it with the last one's mode, so the count
	 * may meet a close for writing it never saw open: it stays at 0.
	 */
	if (!(mode & FMODE_WRITE) || !ld->writers)
		return;
	if (!--ld->writers && test_bit(ld->number, &rc.auto_held))
		queue_work(system_unbound_wq, &ld->release_work);
}

static const struct block_device_operations rc_ld_fops = {
	.owner = THIS_MODULE,	/* an open drive pins the module */
	.open = rc_ld_open,
	.release = rc_ld_release,
	.pr_ops = &rc_pr_ops,
};

unsigned int rc_ld_openers(struct rc_ldev *ld)
{
	return disk_openers(ld->disk);
}

/* Any context: recompute the state from the members' failure bits. */
void rc_ld_update_state(struct rc_ldev *ld)
{
	unsigned long flags;

	spin_lock_irqsave(&ld->state_lock, flags);
	WRITE_ONCE(ld->state, ld->ops->state(ld));
	spin_unlock_irqrestore(&ld->state_lock, flags);
}

/* Tell user space (udev) that the drive changed state. */
void rc_ld_notify(struct rc_ldev *ld)
{
	u8 state = READ_ONCE(ld->state);
	char env_state[48], env_ld[32];
	char *envp[3];

	if (state == ld->reported_state)
		return;
	pr_warn("rcl%u (%s) is %s\n", ld->number, ld->name,
		rc_ld_state_name(state));
	snprintf(env_state, sizeof(env_state), "RAIDCLUSTER_STATE=%s",
		 rc_ld_state_name(state));
	snprintf(env_ld, sizeof(env_ld), "RAIDCLUSTER_LD=%u", ld->number);
	envp[0] = env_state;
	envp[1] = env_ld;
	envp[2] = NULL;
	kobject_uevent_env(&disk_to_dev(ld->disk)->kobj, KOBJ_CHANGE, envp);
	ld->reported_state = state;
}

/*
 * The members' limits stacked (blk_stack_limits(), as md and dm do):
 * block sizes, alignment, DMA and segment constraints, so a request fits
 * every member it is cloned to.  Not stacked: the transfer size (requests
 * are cut at chunk ends and the members split what they get), discard,
 * write-zeroes and secure erase (queue_rq() serves none of them).  Not
 * rotational when no member present is (SSDs, RAM-backed targets), as md
 * decides: a new queue is rotational, and user space (lsblk's ROTA,
 * tuned, swapon's SSD mode) and filesystems (btrfs's ssd mode) read the
 * flag.
 */
static void rc_ld_set_limits(struct rc_ldev *ld, struct request_queue *q)
{
	struct queue_limits *lim = &q->limits;
	bool nonrot = true;
	unsigned int i;

	blk_set_stacking_limits(lim);
	for (i = 0; i < ld->nmem; i++) {
		struct rc_mdisk *md = ld->mem[i].md;

		if (!md)
			continue;
		if (blk_stack_limits(lim, &bdev_get_queue(md->bdev)->limits,
				     get_start_sect(md->bdev) +
				     ld->mem[i].start) < 0)
			pr_info("rcl%u: member %u is not aligned to the others' physical blocks\n",
				ld->number, i);
		nonrot &= bdev_nonrot(md->bdev);
	}
	if (nonrot)
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	else
		blk_queue_flag_clear(QUEUE_FLAG_NONROT, q);
	lim->max_dev_sectors = 0;
	lim->chunk_sectors = 0;
	blk_queue_max_hw_sectors(q, RC_LD_MAX_SECTORS);
	blk_queue_max_discard_sectors(q, 0);
	blk_queue_max_secure_erase_sectors(q, 0);
	blk_queue_max_write_zeroes_sectors(q, 0);
	lim->max_zone_append_sectors = 0;
	blk_queue_io_min(q, ld->geom.chunk << SECTOR_SHIFT);
	blk_queue_io_opt(q, rc_geom_stripe_data_sectors(&ld->geom) <<
			 SECTOR_SHIFT);
	/* Write-through: pass flushes and FUA down to every member. */
	blk_queue_write_cache(q, true, true);
	if (ld->ops->limits)
		ld->ops->limits(ld, q);
}

static int rc_ld_add_disk(struct rc_ldev *ld)
{
	struct blk_mq_tag_set *set = &ld->tag_set;
	struct gendisk *disk;
	int ret;

	set->ops = &rc_mq_ops;
	/*
	 * A hardware context per CPU, as null_blk and nvme: submitters on
	 * different CPUs take tags and dispatch without sharing one context's
	 * lock and tag bitmap.  Nothing in the driver is per context.
	 */
	set->nr_hw_queues = min_t(unsigned int, num_possible_cpus(),
				  RC_LD_MAX_HW_QUEUES);
	set->queue_depth = RC_LD_QUEUE_DEPTH;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct rc_cmd) + ld->cmd_extra;
	/*
	 * No I/O scheduler by default: the member disks schedule their own
	 * queues, and a second elevator in front of them only adds latency
	 * (md, bio-based, has none either).  An admin may still set one.
	 */
	set->flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_NO_SCHED_BY_DEFAULT;
	/* queue_rq() clones to the members itself and may sleep doing so. */
	set->flags |= BLK_MQ_F_BLOCKING;
	set->driver_data = ld;
	ret = blk_mq_alloc_tag_set(set);
	if (ret)
		return ret;

	disk = blk_mq_alloc_disk(set, ld);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_tags;
	}
	disk->major = rc.major;
	disk->first_minor = ld->number * RC_LD_MINORS;
	disk->minors = RC_LD_MINORS;
	disk->fops = &rc_ld_fops;
	disk->private_data = ld;
	snprintf(disk->disk_name, DISK_NAME_LEN, RC_LD_PREFIX "%u", ld->number);
	set_capacity(disk, ld->geom.capacity);
	rc_ld_set_limits(ld, disk->queue);
	ld->disk = disk;

	/*
	 * No partition scan now: it would open the drive, and an open waits
	 * for the nexus, which needs the rc.lock held here.  The first open
	 * that may read the drive scans instead (rc_ld_rescan_once()).
	 */
	set_bit(GD_SUPPRESS_PART_SCAN, &disk->state);
	ret = device_add_disk(NULL, disk, rc_ld_attr_groups);
	clear_bit(GD_SUPPRESS_PART_SCAN, &disk->state);
	if (ret)
		goto out_disk;
	rc_host_ld_queue(ld->number, disk->queue);
	return 0;

out_disk:
	ld->disk = NULL;
	put_disk(disk);
out_tags:
	blk_mq_free_tag_set(set);
	return ret;
}

/* Is member @e of @rec usable, absent, or failed according to the COD? */
enum rc_ext_avail { RC_EXT_USABLE, RC_EXT_ABSENT, RC_EXT_DEAD };

static enum rc_ext_avail rc_ext_avail(const struct rc_extent *ext)
{
	const struct rc_disk *d = &rc.cfg->disks[ext->disk];
	struct rc_mdisk *md = rc.disks[ext->disk];

	/* A rebuild target resumes once attached: wait for it as a member. */
	if (ext->state == RC_EXT_REBUILDING && !md &&
	    d->state != RC_DISK_FAILED)
		return RC_EXT_ABSENT;
	if (ext->state != RC_EXT_ONLINE || d->state == RC_DISK_FAILED)
		return RC_EXT_DEAD;
	if (!md)
		return RC_EXT_ABSENT;
	return rc_mdisk_usable(md) ? RC_EXT_USABLE : RC_EXT_DEAD;
}

/*
 * Start drive @number of the configuration.  Without @force every member
 * the COD calls online must be attached (-EAGAIN otherwise); with @force
 * (RC_IOC_RUN) absent members are marked failed in the configuration.
 * Either way a drive that would be offline does not start (-ENODEV).
 * Sets *@changed when the drive record changed (the caller writes the COD).
 */
int rc_ld_start(unsigned int number, bool force, char *msg, bool *changed)
{
	struct rc_ld *rec = &rc.cfg->lds[number];
	const struct rc_level_ops *ops;
	unsigned int i, absent = 0;
	struct rc_ldev *ld;
	u64 minlen = U64_MAX;
	int ret;

	ops = rc_level_ops_find(rec->level);
	if (!ops) {
		rc_msg(msg, "rcl%u: RAID %u is not supported by this module",
		       number, rec->level);
		return -EOPNOTSUPP;
	}
	ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	if (!ld)
		return -ENOMEM;
	ld->number = number;
	strscpy(ld->name, rec->name, sizeof(ld->name));
	memcpy(ld->uuid, rec->uuid, sizeof(ld->uuid));
	ld->ops = ops;
	ld->nmem = rec->nextents;
	spin_lock_init(&ld->state_lock);
	spin_lock_init(&ld->mem_lock);
	INIT_WORK(&ld->release_work, rc_ld_release_work);
	mutex_init(&ld->pr_lock);
	ld->auto_reserve = auto_reserve;
	atomic64_set(&ld->read_retries, 0);

	for (i = 0; i < rec->nextents; i++) {
		const struct rc_extent *ext = &rec->ext[i];
		struct rc_member *mem = &ld->mem[i];

		mem->md = rc.disks[ext->disk];
		mem->start = ext->start;
		minlen = min(minlen, ext->length);
		switch (rc_ext_avail(ext)) {
		case RC_EXT_USABLE:
			break;
		case RC_EXT_ABSENT:
			absent++;
			mem->md = NULL;
			set_bit(RC_MEM_FAILED, &mem->flags);
			break;
		case RC_EXT_DEAD:
			set_bit(RC_MEM_FAILED, &mem->flags);
			break;
		}
	}
	ret = -EAGAIN;
	if (absent && !force) {
		rc_msg(msg, "rcl%u: %u member(s) not attached", number, absent);
		goto out_free;
	}
	ret = rc_geom_init(&ld->geom, rec->level, rec->nextents,
			   rec->stripe_sectors, minlen);
	if (ret || ld->geom.capacity != rec->capacity) {
		rc_msg(msg, "rcl%u: geometry does not match its record", number);
		ret = -EINVAL;
		goto out_free;
	}
	ld->state = ops->state(ld);
	if (ld->state == RC_LD_OFFLINE) {
		rc_msg(msg, "rcl%u (%s) would be offline: too many members missing or failed",
		       number, rec->name);
		ret = -ENODEV;
		goto out_free;
	}

	if (ops->start) {
		ret = ops->start(ld);
		if (ret) {
			rc_msg(msg, "rcl%u: no memory for its buffers (%d)", number,
			       ret);
			goto out_free;
		}
	}
	/* resume a checkpointed rebuild or resync */
	ret = rc_rebuild_prepare(ld, rec);
	if (ret) {
		rc_msg(msg, "rcl%u: no memory to resume its resync", number);
		goto out_free;
	}
	rc_wib_start(ld);		/* resync what a crash left dirty */
	ret = rc_ld_add_disk(ld);
	if (ret) {
		rc_msg(msg, "rcl%u: cannot create the block device (%d)",
		       number, ret);
		goto out_free;
	}
	ld->reported_state = ld->state;
	rc.lds[number] = ld;
	rc_rebuild_kick(ld);

	/* What RUN forced, and failures found at start, go into the COD. */
	for (i = 0; i < rec->nextents; i++) {
		struct rc_extent *ext = &rec->ext[i];
		struct rc_disk *d = &rc.cfg->disks[ext->disk];

		if (!test_bit(RC_MEM_FAILED, &ld->mem[i].flags))
			continue;
		if (!rc.disks[ext->disk] && d->state != RC_DISK_FAILED) {
			pr_warn("rcl%u: disk %u missing, marked failed\n",
				number, ext->disk);
			d->state = RC_DISK_FAILED;
			*changed = true;
		}
		if (ext->state == RC_EXT_ONLINE) {
			ext->state = RC_EXT_FAILED;
			*changed = true;
		}
	}
	if (rec->state != ld->state) {
		rec->state = ld->state;
		*changed = true;
	}
	pr_info("rcl%u (%s): %s, %u members, %llu sectors, %s\n", number,
		ld->name, rc_level_name(rec->level), ld->nmem,
		ld->geom.capacity, rc_ld_state_name(ld->state));
	return 0;

out_free:
	rc_wib_stop(ld);
	rc_rebuild_free(ld);
	if (ld->priv)
		ops->stop(ld);
	kfree(ld);
	return ret;
}

/*
 * Start every drive of the configuration that is not running and whose
 * members are all attached (after a module load, the last attach).
 * Returns how many started.
 */
unsigned int rc_ld_start_ready(void)
{
	unsigned int n, started = 0;
	bool changed = false;
	char why[RC_IOC_MSG_LEN];

	for (n = 0; n < RC_MAX_LDS; n++) {
		if (rc.lds[n] || rc.cfg->lds[n].state == RC_LD_UNUSED)
			continue;
		why[0] = '\0';
		switch (rc_ld_start(n, false, why, &changed)) {
		case 0:
			started++;
			break;
		case -EAGAIN:
			break;	/* waits for more disks, or RC_IOC_RUN */
		default:
			pr_warn("%s\n", why);
			break;
		}
	}
	if (changed && !rc_host_may_write_cod())
		rc.cod_dirty = true;
	else if (changed && rc_cod_write_all())
		pr_warn("configuration not written after starting drives\n");
	return started;
}

/* Tear down a running drive nobody has open (or at module exit). */
void rc_ld_stop(struct rc_ldev *ld)
{
	/* A pending automatic release is done, not dropped. */
	flush_work(&ld->release_work);
	rc.lds[ld->number] = NULL;
	rc_host_ld_queue(ld->number, NULL);
	rc_rebuild_stop(ld);
	/* Drains the queue: no request, retry or member bio survives. */
	del_gendisk(ld->disk);
	put_disk(ld->disk);
	blk_mq_free_tag_set(&ld->tag_set);
	rc_wib_stop(ld);
	rc_rebuild_free(ld);
	if (ld->priv)
		ld->ops->stop(ld);
	pr_info("rcl%u (%s) stopped\n", ld->number, ld->name);
	kfree(ld);
}

#define RC_LD_TRYLOCK_TRIES 20		/* x 50 ms: a probe's open ends */

static int rc_ld_stop_idle(struct rc_ldev *ld, bool wait)
{
	struct gendisk *disk = ld->disk;
	unsigned int tries = 0;

	if (wait) {
		mutex_lock(&disk->open_mutex);
	} else {
		while (!mutex_trylock(&disk->open_mutex)) {
			if (++tries == RC_LD_TRYLOCK_TRIES)
				return -EBUSY;
			msleep(50);
		}
	}
	if (disk_openers(disk)) {
		mutex_unlock(&disk->open_mutex);
		return -EBUSY;
	}
	ld->deleting = true;	/* rc_ld_open() refuses from now on */
	mutex_unlock(&disk->open_mutex);
	rc_ld_stop(ld);
	return 0;
}

int rc_ld_stop_unless_open(struct rc_ldev *ld)
{
	return rc_ld_stop_idle(ld, true);
}

/*
 * The same without waiting for open_mutex: from the protocol's
 * configuration step, which an opener waiting for the nexus (under
 * open_mutex) may itself be waiting for.
 */
int rc_ld_stop_if_idle(struct rc_ldev *ld)
{
	return rc_ld_stop_idle(ld, false);
}
