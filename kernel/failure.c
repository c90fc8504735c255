// SPDX-License-Identifier: GPL-2.0
/*
 * Member failures.  The data path only sets bits (rc_member_failed(), any
 * context, never sleeps); the configuration worker then, under rc.lock and
 * in process context, turns the bits into COD states, rewrites the COD on
 * the surviving members and sends the uevents.
 *
 * A pulled disk (hot-remove: sd deletes its gendisk while we hold it) is
 * seen by the first I/O that fails on it, and also by a periodic check of
 * the members' gendisks (6.1 has no holder notification), so an idle drive
 * reports the loss too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "rc.h"
#include "node.h"

/*
 * Disk @md returned an I/O error: count it; true when it fails now.  The
 * failure is not recorded at once (RC_MD_ERR_SETTLING): a command that
 * was under way when the path went away (a cable pulled, the disk
 * deleted from under us) ends with an error before the disk is seen
 * gone, and that is this node's path, not the disk (rc_settle_errors()).
 */
static bool rc_mdisk_io_failed(struct rc_mdisk *md, bool write)
{
	atomic64_inc(write ? &md->write_errors : &md->read_errors);
	if (test_bit(RC_MD_FAILED, &md->flags))
		return false;
	WRITE_ONCE(md->failed_at, jiffies);
	set_bit(RC_MD_ERR_SETTLING, &md->flags);
	return !test_and_set_bit(RC_MD_FAILED, &md->flags);
}

/*
 * An I/O to @ld's member @i ended with @sts: the member fails (true),
 * except on RESERVATION CONFLICT.  That one says nothing of the
 * disk: another node took our key off it, i.e. fenced us (kernel/node.c),
 * and every other member refuses us the same way, so the request fails
 * without a retry and the node suspends.  Any context.
 */
bool rc_member_io_failed(struct rc_ldev *ld, unsigned int i, bool write,
			 blk_status_t sts)
{
	if (sts == BLK_STS_NEXUS) {
		rc_host_fenced_at_disk();
		return false;
	}
	rc_member_failed(ld, i, write);
	return true;
}

bool rc_member_bio_failed(struct rc_ldev *ld, unsigned int i, struct bio *bio)
{
	return rc_member_io_failed(ld, i, op_is_write(bio_op(bio)),
				   bio->bi_status);
}

/* Member @i of @ld returned an I/O error.  Any context. */
void rc_member_failed(struct rc_ldev *ld, unsigned int i, bool write)
{
	struct rc_member *mem = &ld->mem[i];
	struct rc_mdisk *md = mem->md;

	if (md && rc_mdisk_io_failed(md, write))
		pr_err("%s: %s error, disk %u failed (member %u of rcl%u)\n",
		       md->name, write ? "write" : "read", md->index, i,
		       ld->number);
	set_bit(i, &ld->unrecorded);	/* before any write can skip it */
	set_bit(RC_MEM_FAILED, &mem->flags);
	rc_ld_update_state(ld);
	queue_work(rc.cfg_wq, &rc.cfg_work);
}

/*
 * Protocol I/O (@write or a read) to disk record @index failed with a disk
 * error (node.c): the disk is failed as on a data error.  Any context but
 * atomic; no rc.lock (the worker carries it into the configuration).
 */
void rc_disk_io_error(unsigned int index, bool write)
{
	struct rc_mdisk *md = index < RC_MAX_DISKS ? READ_ONCE(rc.disks[index]) :
			      NULL;

	if (!md)
		return;
	if (rc_mdisk_io_failed(md, write))
		pr_err("%s: metadata %s error, disk %u failed\n", md->name,
		       write ? "write" : "read", index);
	queue_work(rc.cfg_wq, &rc.cfg_work);
}

/* --- writes that skipped a member whose failure is not recorded yet ------ */

#define RC_PARK_MAX_MS 30000	/* the cluster had this long to record it */
#define RC_PARK_POLL_MS 50

void rc_park_write(struct rc_cmd *cmd)
{
	unsigned long flags;

	cmd->parked_at = jiffies;
	spin_lock_irqsave(&rc.park_lock, flags);
	list_add_tail(&cmd->park, &rc.parked);
	spin_unlock_irqrestore(&rc.park_lock, flags);
	mod_delayed_work(system_wq, &rc.park_work,
			 msecs_to_jiffies(RC_PARK_POLL_MS));
}

/*
 * Parked writes end once their drive's failed members are recorded, or
 * fail when that cannot happen any more: the drive went offline, this
 * node is suspended or leaving, or the cluster did not record it in time
 * (the master found the member healthy: this node's own path to it is
 * gone, and a write that misses it must not be acknowledged).
 */
void rc_park_work_fn(struct work_struct *work)
{
	struct rc_cmd *cmd, *tmp;
	unsigned long flags;
	LIST_HEAD(list);
	LIST_HEAD(keep);

	spin_lock_irqsave(&rc.park_lock, flags);
	list_splice_init(&rc.parked, &list);
	spin_unlock_irqrestore(&rc.park_lock, flags);
	list_for_each_entry_safe(cmd, tmp, &list, park) {
		struct rc_ldev *ld = cmd->ld;
		blk_status_t status = BLK_STS_OK;

		if (READ_ONCE(ld->unrecorded)) {
			if (READ_ONCE(ld->state) == RC_LD_OFFLINE ||
			    READ_ONCE(rc.exiting) ||
			    rc_host_gate(ld->number, true) == RC_GATE_OFFLINE ||
			    time_after(jiffies, cmd->parked_at +
				       msecs_to_jiffies(RC_PARK_MAX_MS))) {
				pr_err_ratelimited("rcl%u: a write that missed a failed member fails: the cluster has not recorded the failure\n",
						   ld->number);
				status = BLK_STS_IOERR;
			} else {
				list_move_tail(&cmd->park, &keep);
				continue;
			}
		}
		list_del_init(&cmd->park);
		blk_mq_end_request(blk_mq_rq_from_pdu(cmd), status);
	}
	if (list_empty(&keep))
		return;
	spin_lock_irqsave(&rc.park_lock, flags);
	list_splice(&keep, &rc.parked);
	spin_unlock_irqrestore(&rc.park_lock, flags);
	mod_delayed_work(system_wq, &rc.park_work,
			 msecs_to_jiffies(RC_PARK_POLL_MS));
}

/*
 * The COD on the disks (just written by us, or adopted from the master's)
 * says these disk states: a member whose disk it records failed is
 * recorded, and the writes that skipped it may be acknowledged.  rc.lock
 * held.
 */
void rc_note_cod_states(void)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++)
		rc.cod_disk_state[i] = rc.cfg->disks[i].state;
	rc_events_cod_noted();
}

/*
 * Does the COD on the disks record disk @i failed?  Then every node fails
 * its members on adoption (a disk no node reaches, pulled from a shared
 * shelf, is committed FAILED too: rc_host_commit()), and the writes that
 * skipped it may end.
 */
static bool rc_cod_disk_gone(unsigned int i)
{
	return rc.cod_disk_state[i] == RC_DISK_FAILED;
}

/*
 * Is disk @md's failure not this node's to record (yet)?  Its error has
 * not settled (RC_MD_ERR_SETTLING), or it is gone from this node only
 * (RC_MD_NOPATH) while the COD still has it in use: its members stay
 * online in the COD.  Once the cluster recorded it missing (no node
 * reaches it), its members fail like any.
 */
static bool rc_failure_undecided(const struct rc_mdisk *md)
{
	u8 state;

	if (!md)
		return false;
	if (test_bit(RC_MD_ERR_SETTLING, &md->flags))
		return true;
	if (!test_bit(RC_MD_NOPATH, &md->flags))
		return false;
	state = rc.cfg->disks[md->index].state;
	return state == RC_DISK_ONLINE || state == RC_DISK_SPARE;
}

static void rc_note_recorded(void)
{
	unsigned int n, i;

	for (n = 0; n < RC_MAX_LDS; n++) {
		struct rc_ldev *ld = rc.lds[n];

		if (!ld || !READ_ONCE(ld->unrecorded))
			continue;
		for (i = 0; i < ld->nmem; i++) {
			const struct rc_mdisk *md = ld->mem[i].md;

			if (test_bit(i, &ld->unrecorded) &&
			    (!md || rc_cod_disk_gone(md->index)))
				clear_bit(i, &ld->unrecorded);
		}
	}
	mod_delayed_work(system_wq, &rc.park_work, 0);
}

/*
 * Carry the failure bits (and rebuild checkpoints) into the configuration.
 * Returns true when it changed (the caller rewrites the COD); *@failed
 * says whether a disk, extent or drive state changed (what a slave
 * proposes to the master).  rc.lock held.
 */
bool rc_sync_failures(bool *failed)
{
	struct rc_config *cfg = rc.cfg;
	bool changed = false, fail = false;
	unsigned int i, e;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || !test_bit(RC_MD_FAILED, &md->flags) ||
		    rc_failure_undecided(md) ||
		    (cfg->disks[i].state != RC_DISK_ONLINE &&
		     cfg->disks[i].state != RC_DISK_SPARE))
			continue;
		cfg->disks[i].state = RC_DISK_FAILED;
		changed = fail = true;
	}
	for (i = 0; i < RC_MAX_LDS; i++) {
		struct rc_ldev *ld = rc.lds[i];
		struct rc_ld *rec = &cfg->lds[i];
		bool nopath = false;
		u8 state;

		if (!ld)
			continue;
		for (e = 0; e < ld->nmem; e++) {
			struct rc_member *mem = &ld->mem[e];

			/* Another drive's error on a shared disk. */
			if (!rc_mdisk_usable(mem->md) &&
			    !test_and_set_bit(RC_MEM_FAILED, &mem->flags))
				set_bit(e, &ld->unrecorded);
			nopath |= rc_failure_undecided(mem->md);
		}
		rc_ld_update_state(ld);
		state = READ_ONCE(ld->state);
		/* A drive a newer COD dropped keeps running, unrecorded. */
		if (rec->state == RC_LD_UNUSED ||
		    memcmp(rec->uuid, ld->uuid, sizeof(ld->uuid)))
			continue;
		/* a checkpoint: the holder's to write, nothing to propose */
		if (rc_rebuild_sync(ld, rec))
			changed = true;
		/* a member this node lost its path to stays online in it */
		for (e = 0; e < ld->nmem; e++) {
			const struct rc_mdisk *md = ld->mem[e].md;

			if (!test_bit(RC_MEM_FAILED, &ld->mem[e].flags) ||
			    rec->ext[e].state != RC_EXT_ONLINE ||
			    rc_failure_undecided(md))
				continue;
			rec->ext[e].state = RC_EXT_FAILED;
			changed = fail = true;
		}
		if (!nopath && rec->state != state) {
			rec->state = state;
			changed = fail = true;
		}
	}
	*failed = fail;
	return changed;
}

/* A disk of @md's channel (SCSI host) that this node still reaches. */
static bool rc_channel_answers(const struct rc_mdisk *md)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_mdisk *o = rc.disks[i];

		if (o && o != md && o->host == md->host &&
		    !test_bit(RC_MD_NOPATH, &o->flags) &&
		    disk_live(o->bdev->bd_disk))
			return true;
	}
	return false;
}

#define RC_LOSS_SETTLE_MS 1500

/*
 * The disks this node lost a path to, RC_LOSS_SETTLE_MS after the last
 * loss on their channel: a disk whose channel still has a disk here is
 * handed to the protocol (true), which has it recorded failed when no
 * node reaches it (pulled from the shelf).  A whole channel gone is our
 * cable: the node keeps the rest (its communication moved to another
 * channel) and proposes nothing, since the master would find the disks
 * answering and suspend us.  The wait lets a cable pull, whose disks
 * vanish one by one, show as one.  Known limit: a channel with a single
 * disk never shows the difference, so its loss is kept as our cable and
 * the writes that skip it fail after RC_PARK_MAX_MS.  rc.lock held.
 */
static bool rc_settle_losses(void)
{
	unsigned long settle = msecs_to_jiffies(RC_LOSS_SETTLE_MS);
	bool tell = false;
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || !test_bit(RC_MD_NOPATH, &md->flags) ||
		    test_bit(RC_MD_LOSS_TOLD, &md->flags) ||
		    time_before(jiffies, md->nopath_at + settle))
			continue;
		set_bit(RC_MD_LOSS_TOLD, &md->flags);
		if (rc_channel_answers(md)) {
			pr_info("%s: disk %u is gone while its channel answers: the cluster checks whether any node still reaches it\n",
				md->name, i);
			tell = true;
		}
	}
	return tell;
}

/*
 * The I/O errors of a cluster member RC_LOSS_SETTLE_MS after the last
 * error or loss on their channel: a disk that is gone by then is a lost
 * path (rc_check_removed() took it over as RC_MD_NOPATH), one that is
 * still here failed and is recorded.  A lone node records at once.
 * rc.lock held.
 */
static void rc_settle_errors(bool cluster)
{
	unsigned long settle = msecs_to_jiffies(RC_LOSS_SETTLE_MS);
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || !test_bit(RC_MD_ERR_SETTLING, &md->flags))
			continue;
		if (cluster && !test_bit(RC_MD_NOPATH, &md->flags) &&
		    time_before(jiffies, READ_ONCE(md->failed_at) + settle))
			continue;
		clear_bit(RC_MD_ERR_SETTLING, &md->flags);
	}
}

/* A new loss on SCSI host @host: its unsettled losses and errors wait again. */
static void rc_loss_restart(unsigned int host)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || md->host != host)
			continue;
		if (test_bit(RC_MD_NOPATH, &md->flags) &&
		    !test_bit(RC_MD_LOSS_TOLD, &md->flags))
			md->nopath_at = jiffies;
		if (test_bit(RC_MD_ERR_SETTLING, &md->flags))
			WRITE_ONCE(md->failed_at, jiffies);
	}
}

/* A lost path or an error not settled yet: the poll runs the worker again. */
static bool rc_losses_pending(void)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_mdisk *md = rc.disks[i];

		if (md && ((test_bit(RC_MD_NOPATH, &md->flags) &&
			    !test_bit(RC_MD_LOSS_TOLD, &md->flags)) ||
			   test_bit(RC_MD_ERR_SETTLING, &md->flags)))
			return true;
	}
	return false;
}

/*
 * Mark members whose disk went away (hot-remove).  In a cluster, a disk
 * that vanishes from this node may be this node's path (a cable, the HBA)
 * or the disk (pulled from the shelf: gone from every node).  This node
 * cannot tell, so it records nothing itself: it stops using the disk
 * (RC_MD_NOPATH), its communication moves to another channel (figure 17,
 * step 1755), and once the loss settled (rc_settle_losses()) it returns
 * true so that the caller hands the loss to the protocol, which decides:
 * our cable (we suspend), or a disk no node reaches (the COD records it
 * missing, and its members fail everywhere).
 * A lone node has nobody else to serve the drives: it records the disk
 * failed.  rc.lock held.
 */
static bool rc_check_removed(void)
{
	bool cluster = rc_host_in_cluster();
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || disk_live(md->bdev->bd_disk))
			continue;
		if (cluster && !test_bit(RC_MD_NOPATH, &md->flags)) {
			rc_loss_restart(md->host);
			md->nopath_at = jiffies;
			set_bit(RC_MD_NOPATH, &md->flags);
			pr_warn("%s: disk %u is gone from this node: its path is lost\n",
				md->name, i);
		}
		if (!test_and_set_bit(RC_MD_FAILED, &md->flags) && !cluster)
			pr_err("%s: disk removed, disk %u failed\n", md->name, i);
	}
	rc_settle_errors(cluster);
	return rc_settle_losses();
}

void rc_cfg_work_fn(struct work_struct *work)
{
	char why[RC_IOC_MSG_LEN];
	bool changed, failed, lost;
	unsigned int i;

	mutex_lock(&rc.lock);
	if (rc.exiting || !rc.have_cfg)
		goto out;
	lost = rc_check_removed();
	/*
	 * A change that could not be written before (the node was not the
	 * master in nexus yet) is written as soon as it is.
	 */
	changed = rc_sync_failures(&failed);
	if ((changed || (rc.cod_dirty && rc_host_may_write_cod())) &&
	    rc_cod_write_all() && rc_host_may_write_cod())
		pr_err("configuration could not be written after a failure\n");
	/*
	 * A slave cannot write the COD: it proposes the failure to the
	 * master, which checks the drive itself (figure 15) before it
	 * commits; the slave then adopts that configuration.
	 */
	/*
	 * A lost path goes to the protocol too: figure 15 on our own
	 * channels first (our cable: we suspend), then the disk is proposed
	 * missing, and committed failed only when no node reaches it (the
	 * master tests it itself, or has a slave test what the master
	 * lost).  Until then the writes that skip it wait (rc_park_write()).
	 */
	if ((failed && rc_host_may_configure(why) == -EREMOTE) || lost)
		rc_host_config_changed();
	rc_note_recorded();
	/* the protocol's view of which disks this node reaches */
	rc_host_disks_changed();
	/*
	 * A degraded drive takes a hot spare, but not here: starting a
	 * rebuild allocates its buffers (GFP_KERNEL, megabytes) and freezes
	 * the drive's queue, and this worker is on a reclaim workqueue that
	 * memory reclaim may be waiting for.
	 */
	queue_work(system_unbound_wq, &rc.spare_work);
	for (i = 0; i < RC_MAX_LDS; i++)
		if (rc.lds[i])
			rc_ld_notify(rc.lds[i]);
	/* without the periodic check, come back for what has not settled */
	if (!rc.check_interval_ms && rc_losses_pending())
		mod_delayed_work(rc.cfg_wq, &rc.poll_work,
				 msecs_to_jiffies(RC_LOSS_SETTLE_MS));
out:
	mutex_unlock(&rc.lock);
}

/*
 * After rc_cfg_work_fn(): the rebuilds that ended give their buffers back,
 * and the drives a failure degraded take hot spares.
 */
void rc_spare_work_fn(struct work_struct *work)
{
	unsigned int i;

	mutex_lock(&rc.lock);
	if (!rc.exiting) {
		for (i = 0; i < RC_MAX_LDS; i++)
			if (rc.lds[i])
				rc_rebuild_retire(rc.lds[i]);
		rc_rebuild_spares();
	}
	mutex_unlock(&rc.lock);
}

/* Periodic: look for removed members, then let the worker record them. */
void rc_poll_work_fn(struct work_struct *work)
{
	unsigned int i;
	bool gone = false;

	mutex_lock(&rc.lock);
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (rc_mdisk_usable(rc.disks[i]) &&
		    !disk_live(rc.disks[i]->bdev->bd_disk))
			gone = true;
	gone |= rc_losses_pending();
	mutex_unlock(&rc.lock);
	if (gone)
		queue_work(rc.cfg_wq, &rc.cfg_work);
	if (rc.check_interval_ms && !READ_ONCE(rc.exiting))
		queue_delayed_work(rc.cfg_wq, &rc.poll_work,
				   msecs_to_jiffies(rc.check_interval_ms));
}
