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

/* Member @i of @ld returned an I/O error.  Any context. */
void rc_member_failed(struct rc_ldev *ld, unsigned int i, bool write)
{
	struct rc_member *mem = &ld->mem[i];
	struct rc_mdisk *md = mem->md;

	if (md) {
		atomic64_inc(write ? &md->write_errors : &md->read_errors);
		if (!test_and_set_bit(RC_MD_FAILED, &md->flags))
			pr_err("%s: %s error, disk %u failed (member %u of rcl%u)\n",
			       md->name, write ? "write" : "read", md->index,
			       i, ld->number);
	}
	set_bit(RC_MEM_FAILED, &mem->flags);
	rc_ld_update_state(ld);
	queue_work(rc.cfg_wq, &rc.cfg_work);
}

/*
 * Carry the failure bits into the configuration.  Returns true when it
 * changed (the caller rewrites the COD).  rc.lock held.
 */
bool rc_sync_failures(void)
{
	struct rc_config *cfg = rc.cfg;
	bool changed = false;
	unsigned int i, e;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!md || !test_bit(RC_MD_FAILED, &md->flags) ||
		    (cfg->disks[i].state != RC_DISK_ONLINE &&
		     cfg->disks[i].state != RC_DISK_SPARE))
			continue;
		cfg->disks[i].state = RC_DISK_FAILED;
		changed = true;
	}
	for (i = 0; i < RC_MAX_LDS; i++) {
		struct rc_ldev *ld = rc.lds[i];
		struct rc_ld *rec = &cfg->lds[i];
		u8 state;

		if (!ld)
			continue;
		for (e = 0; e < ld->nmem; e++) {
			struct rc_member *mem = &ld->mem[e];

			/* Another drive's error on a shared disk. */
			if (!rc_mdisk_usable(mem->md))
				set_bit(RC_MEM_FAILED, &mem->flags);
		}
		rc_ld_update_state(ld);
		state = READ_ONCE(ld->state);
		/* A drive a newer COD dropped keeps running, unrecorded. */
		if (rec->state == RC_LD_UNUSED ||
		    memcmp(rec->uuid, ld->uuid, sizeof(ld->uuid)))
			continue;
		if (rc_rebuild_sync(ld, rec))
			changed = true;
		for (e = 0; e < ld->nmem; e++) {
			if (!test_bit(RC_MEM_FAILED, &ld->mem[e].flags) ||
			    rec->ext[e].state != RC_EXT_ONLINE)
				continue;
			rec->ext[e].state = RC_EXT_FAILED;
			changed = true;
		}
		if (rec->state != state) {
			rec->state = state;
			changed = true;
		}
	}
	return changed;
}

/* Mark members whose disk went away (hot-remove).  rc.lock held. */
static void rc_check_removed(void)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!rc_mdisk_usable(md) || disk_live(md->bdev->bd_disk))
			continue;
		if (!test_and_set_bit(RC_MD_FAILED, &md->flags))
			pr_err("%s: disk removed, disk %u failed\n", md->name, i);
	}
}

void rc_cfg_work_fn(struct work_struct *work)
{
	unsigned int i;

	mutex_lock(&rc.lock);
	if (rc.exiting || !rc.have_cfg)
		goto out;
	rc_check_removed();
	/*
	 * A change that could not be written before (the node was not the
	 * master in nexus yet) is written as soon as it is.
	 */
	if ((rc_sync_failures() || (rc.cod_dirty && rc_host_may_write_cod())) &&
	    rc_cod_write_all() && rc_host_may_write_cod())
		pr_err("configuration could not be written after a failure\n");
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
out:
	mutex_unlock(&rc.lock);
}

/* Hot spares for the drives a failure degraded (rc_cfg_work_fn()). */
void rc_spare_work_fn(struct work_struct *work)
{
	mutex_lock(&rc.lock);
	if (!rc.exiting)
		rc_rebuild_spares();
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
	mutex_unlock(&rc.lock);
	if (gone)
		queue_work(rc.cfg_wq, &rc.cfg_work);
	if (rc.check_interval_ms && !READ_ONCE(rc.exiting))
		queue_delayed_work(rc.cfg_wq, &rc.poll_work,
				   msecs_to_jiffies(rc.check_interval_ms));
}
