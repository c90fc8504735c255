// SPDX-License-Identifier: GPL-2.0
/*
 * Member disks: attach by path (exclusive open), identity from the SCSI
 * VPD pages (WWN from the NAA designator of page 0x83, serial from page
 * 0x80), adoption of the COD found on the disk, detach.  Every function
 * here runs with rc.lock held.
 *
 * Only SCSI disks are accepted: the cluster finds its disks again on every
 * node and after every reboot by WWN or serial, and a virtio-blk or loop
 * disk has neither, so it could silently be confused with another one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "rc.h"
#include "node.h"

#define RC_BDEV_MODE (FMODE_READ | FMODE_WRITE | FMODE_EXCL)
/* Smallest useful member: the metadata area plus one 1 MiB extent. */
#define RC_MIN_DISK_SECTORS (RC_DATA_START_SECTOR + 2048)

bool rc_mdisk_usable(const struct rc_mdisk *md)
{
	return md && !test_bit(RC_MD_FAILED, &md->flags);
}

static void rc_mdisk_put(struct rc_mdisk *md)
{
	blkdev_put(md->bdev, RC_BDEV_MODE);
	kfree(md);
}

/* Copy the VPD 0x80 serial without the padding blanks SCSI allows. */
static void rc_copy_serial(char *dst, const unsigned char *src, size_t len)
{
	while (len && (*src == ' ' || !*src)) {
		src++;
		len--;
	}
	while (len && (src[len - 1] == ' ' || !src[len - 1]))
		len--;
	len = min_t(size_t, len, RC_SERIAL_LEN);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Fill @id (WWN, serial, capacity, channel, target) for @md. */
static int rc_identify(struct rc_mdisk *md, struct rc_disk *id, char *msg)
{
	struct block_device *bdev = md->bdev;
	struct gendisk *disk = bdev->bd_disk;
	const struct scsi_vpd *vpd;
	struct scsi_device *sdev;
	struct device *parent;
	u8 uid[16];
	int len;

	if (bdev_is_partition(bdev)) {
		rc_msg(msg, "%s is a partition: attach the whole disk", md->name);
		return -EINVAL;
	}
	/*
	 * sd registers the disk under its scsi_device (Debian does not export
	 * scsi_device_from_queue()); the disk reference pins the parent.
	 */
	parent = disk_to_dev(disk)->parent;
	sdev = parent && scsi_is_sdev_device(parent) ? to_scsi_device(parent) :
						       NULL;
	if (!sdev || !disk->fops->get_unique_id) {
		rc_msg(msg, "%s is not a SCSI disk: no WWN/serial to find it by",
		       md->name);
		return -EOPNOTSUPP;
	}
	md->host = sdev->host->host_no;
	md->channel = sdev->channel;
	md->target = sdev->id;
	md->lun = sdev->lun;
	rcu_read_lock();
	vpd = rcu_dereference(sdev->vpd_pg80);
	if (vpd && vpd->len > 4)
		rc_copy_serial(id->serial, vpd->data + 4,
			       min_t(int, vpd->data[3], vpd->len - 4));
	rcu_read_unlock();

	len = disk->fops->get_unique_id(disk, uid, BLK_UID_NAA);
	if (len == 8 || len == 16) {
		memcpy(id->wwn, uid, len);
		id->wwn_len = len;
	}
	if (!id->wwn_len && !id->serial[0]) {
		rc_msg(msg, "%s has neither a WWN (VPD 0x83) nor a serial (VPD 0x80)",
		       md->name);
		return -EOPNOTSUPP;
	}
	id->capacity = bdev_nr_sectors(bdev);
	if (id->capacity < RC_MIN_DISK_SECTORS) {
		rc_msg(msg, "%s is too small (%llu sectors, need %llu)",
		       md->name, id->capacity, RC_MIN_DISK_SECTORS);
		return -ENOSPC;
	}
	/* The patent's channel is the SCSI bus: the HBA here. */
	id->channel = min_t(unsigned int, md->host, U8_MAX);
	id->target = min_t(unsigned int, md->target, U8_MAX);
	return 0;
}

static int rc_free_disk_record(const struct rc_config *cfg)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++)
		if (cfg->disks[i].state == RC_DISK_UNUSED)
			return i;
	return -ENOSPC;
}

void rc_config_recount(struct rc_config *cfg)
{
	unsigned int i;

	cfg->ndisks = 0;
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (cfg->disks[i].state != RC_DISK_UNUSED)
			cfg->ndisks = i + 1;
	cfg->nlds = 0;
	for (i = 0; i < RC_MAX_LDS; i++)
		if (cfg->lds[i].state != RC_LD_UNUSED)
			cfg->nlds = i + 1;
}

/*
 * What an attach changes in rc before it knows the disk is acceptable, so
 * that a refusal (validation after adopting a newer COD) puts back the old
 * configuration whole: its records, the disk table, each member disk's
 * record index, and whether a cluster was known at all.  The failure bits
 * a newer COD brings are not set until the attach is accepted
 * (@to_fail): the data path reads them without rc.lock, and a disk a
 * running drive uses must not look failed for a moment (its writes would
 * skip it) only because an attach is later refused.
 */
struct rc_cfg_undo {
	struct rc_config *cfg;
	struct rc_mdisk *disks[RC_MAX_DISKS];
	unsigned int index[RC_MAX_DISKS];	/* of disks[i] */
	DECLARE_BITMAP(to_fail, RC_MAX_DISKS);	/* by new record index */
	bool have_cfg;
};

static int rc_cfg_undo_save(struct rc_cfg_undo *u)
{
	unsigned int i;

	u->cfg = kvmalloc(sizeof(*u->cfg), GFP_KERNEL);
	if (!u->cfg)
		return -ENOMEM;
	memcpy(u->cfg, rc.cfg, sizeof(*u->cfg));
	memcpy(u->disks, rc.disks, sizeof(u->disks));
	for (i = 0; i < RC_MAX_DISKS; i++)
		u->index[i] = rc.disks[i] ? rc.disks[i]->index : 0;
	bitmap_zero(u->to_fail, RC_MAX_DISKS);
	u->have_cfg = rc.have_cfg;
	return 0;
}

/* Put the saved configuration back (the attach is refused). */
static void rc_cfg_undo_apply(struct rc_cfg_undo *u)
{
	unsigned int i;

	memcpy(rc.cfg, u->cfg, sizeof(*rc.cfg));
	memcpy(rc.disks, u->disks, sizeof(rc.disks));
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (rc.disks[i])
			rc.disks[i]->index = u->index[i];
	rc.have_cfg = u->have_cfg;
}

/* The attach is accepted: the disks the adopted COD calls failed are. */
static void rc_cfg_undo_commit(struct rc_cfg_undo *u)
{
	unsigned int i;

	for_each_set_bit(i, u->to_fail, RC_MAX_DISKS)
		if (rc.disks[i])
			set_bit(RC_MD_FAILED, &rc.disks[i]->flags);
}

static void rc_cfg_undo_free(struct rc_cfg_undo *u)
{
	kvfree(u->cfg);
	u->cfg = NULL;
}

/*
 * Make @newer (a valid COD of this cluster, or of a new one when the
 * kernel has none, with a higher generation) the configuration.  Disks
 * already attached are looked up again by identity, since record indexes
 * may differ between generations; one the newer COD does not know gets a
 * new record.  Returns -ENOSPC, changing nothing, if that does not fit.
 */
static int rc_adopt(struct rc_config *newer, struct rc_cfg_undo *u, char *msg)
{
	struct rc_mdisk *moved[RC_MAX_DISKS] = {};
	unsigned int i;
	int idx;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];
		const struct rc_disk *old = &rc.cfg->disks[i];

		if (!md)
			continue;
		idx = rc_config_find_disk(newer, old->wwn, old->wwn_len,
					  old->serial);
		if (idx < 0 || moved[idx]) {
			idx = rc_free_disk_record(newer);
			if (idx < 0) {
				rc_msg(msg, "configuration generation %llu has no room for %s",
				       newer->generation, md->name);
				return -ENOSPC;
			}
			newer->disks[idx] = *old;
		}
		moved[idx] = md;
	}
	for (i = 0; i < RC_MAX_DISKS; i++) {
		if (!moved[i])
			continue;
		moved[i]->index = i;
		if (newer->disks[i].state == RC_DISK_FAILED)
			set_bit(i, u->to_fail);	/* once the attach is accepted */
	}
	for (i = 0; i < RC_MAX_LDS; i++) {
		struct rc_ldev *ld = rc.lds[i];

		if (ld && memcmp(newer->lds[i].uuid, ld->uuid, 16))
			pr_warn("rcl%u is not in configuration generation %llu; it keeps running until deleted\n",
				i, newer->generation);
	}
	pr_info("using configuration generation %llu (cluster %pUb)\n",
		newer->generation, newer->cluster_uuid);
	memcpy(rc.cfg, newer, sizeof(*rc.cfg));
	memcpy(rc.disks, moved, sizeof(rc.disks));
	rc_config_recount(rc.cfg);
	rc.have_cfg = true;
	return 0;
}

/*
 * Look at both COD copies of the new disk: refuse another cluster's disk,
 * adopt a newer configuration of ours (or any, when we have none yet).
 * Returns 1 when the configuration changed, 0 when not, or an error.
 */
static int rc_merge_cod(struct rc_mdisk *md, struct rc_cfg_undo *u, char *msg)
{
	struct rc_config *copy[2];
	struct rc_cod_copy cand[2];
	unsigned int c;
	int ret, best;

	copy[0] = kvmalloc(sizeof(*copy[0]), GFP_KERNEL);
	copy[1] = kvmalloc(sizeof(*copy[1]), GFP_KERNEL);
	ret = -ENOMEM;
	if (!copy[0] || !copy[1])
		goto out;

	ret = rc_cod_read_disk(md->bdev, copy, cand);
	if (ret) {
		rc_msg(msg, "cannot read the configuration area of %s", md->name);
		goto out;
	}
	for (c = 0; c < 2; c++) {
		if (cand[c].status)
			continue;
		if (rc.want_uuid &&
		    memcmp(cand[c].cluster_uuid, rc.wanted_uuid, 16)) {
			rc_msg(msg, "%s belongs to cluster %pUb, not to this node's (cluster_uuid=%pUb)",
			       md->name, cand[c].cluster_uuid, rc.wanted_uuid);
			ret = -EXDEV;
			goto out;
		}
		if (!rc.have_cfg ||
		    !memcmp(cand[c].cluster_uuid, rc.cfg->cluster_uuid, 16))
			continue;
		rc_msg(msg, "%s belongs to another cluster (%pUb)", md->name,
		       cand[c].cluster_uuid);
		ret = -EXDEV;
		goto out;
	}
	best = rc_cod_pick(cand, 2, rc.have_cfg ? rc.cfg->cluster_uuid : NULL);
	if (best == -EXDEV) {
		rc_msg(msg, "%s: its two COD copies name different clusters",
		       md->name);
		ret = -EXDEV;
		goto out;
	}
	ret = 0;
	if (best >= 0 &&
	    (!rc.have_cfg || copy[best]->generation > rc.cfg->generation)) {
		ret = rc_adopt(copy[best], u, msg);
		if (!ret) {
			rc.cod_crc = cand[best].crc;
			ret = 1;
		}
	} else if (!rc.have_cfg) {
		u8 uuid[16];

		if (rc.want_uuid)
			memcpy(uuid, rc.wanted_uuid, 16);
		else
			generate_random_uuid(uuid);
		rc_config_init(rc.cfg, uuid);
		rc.cod_crc = 0;
		rc.have_cfg = true;
		pr_info("new cluster %pUb\n", uuid);
		ret = 1;
	}
out:
	kvfree(copy[1]);
	kvfree(copy[0]);
	return ret;
}

/*
 * The COD's channel of the bus @md sits on.  Host numbers are this
 * node's (they differ between nodes and with the probe order); the COD
 * names channels as the node that recorded each disk saw them.  The bus
 * is known here through another usable disk on the same SCSI host.
 * -ENOENT when there is none.  rc.lock held.
 */
int rc_member_cod_channel(const struct rc_mdisk *md)
{
	unsigned int i;

	if (!rc.have_cfg)
		return -ENOENT;
	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_mdisk *o = rc.disks[i];

		if (o && o != md && o->host == md->host &&
		    rc_mdisk_usable(o) &&
		    rc.cfg->disks[i].state != RC_DISK_UNUSED)
			return rc.cfg->disks[i].channel;
	}
	return -ENOENT;
}

/*
 * Where would blank disk @md (no COD) go?  In the slot (the COD's channel
 * and target) of a failed member's disk, when that drive runs here and
 * the disk is large enough for its members; anywhere under the policy
 * RC_COD_F_INSERT_SPARE.  0 or -ENOENT with the reason in @msg.
 */
static int rc_blank_fits(struct rc_mdisk *md, char *msg)
{
	int ch = rc_member_cod_channel(md), n;
	struct rc_ldev *ld;
	unsigned int m;
	u64 need;

	if (!rc.have_cfg) {
		rc_msg(msg, "%s has no COD and no drive lacks a member", md->name);
		return -ENOENT;
	}
	n = ch < 0 ? -ENOENT :
	    rc_config_find_replaced(rc.cfg, ch,
				    min_t(unsigned int, md->target, U8_MAX), &m);
	if (n >= 0) {
		ld = rc.lds[n];
		need = ld ? RC_DATA_START_SECTOR + ld->geom.member_sectors : 0;
		if (ld && bdev_nr_sectors(md->bdev) >= need)
			return 0;
		if (!(rc.cfg->flags & RC_COD_F_INSERT_SPARE)) {
			if (ld)
				rc_msg(msg, "%s replaces a member of rcl%d but is too small (needs %llu sectors)",
				       md->name, n, need);
			else
				rc_msg(msg, "%s replaces a member of rcl%d, which does not run here",
				       md->name, n);
			return -ENOENT;
		}
	}
	if (rc.cfg->flags & RC_COD_F_INSERT_SPARE)
		return 0;
	if (ch < 0)
		rc_msg(msg, "%s: no other member disk on its SCSI host here, so its channel is unknown",
		       md->name);
	else
		rc_msg(msg, "%s (channel %d, target %u) is not where a failed member's disk was, and new disks do not become spares (policy)",
		       md->name, ch, md->target);
	return -ENOENT;
}

/*
 * RC_ATTACH_REPLACEMENT (udev, a disk inserted on every node): a disk the
 * configuration knows, or that carries a valid COD, is attached as by
 * hand (the master may have written its COD already): 1.  A disk without
 * any COD (blank, the tool checked) only where rc_blank_fits() says: 2.
 * A damaged COD never.  The master decides what a blank disk becomes;
 * every node attaches it, so that the drive's holder can write it.  0: not
 * wanted (why in @msg), or a negative errno.
 */
static int rc_attach_wanted(struct rc_mdisk *md, const struct rc_disk *id,
			    char *msg)
{
	struct rc_config *copy[2];
	struct rc_cod_copy cand[2];
	unsigned int c;
	int ret;

	if (rc.have_cfg &&
	    rc_config_find_disk(rc.cfg, id->wwn, id->wwn_len, id->serial) >= 0)
		return 1;
	copy[0] = kvmalloc(sizeof(*copy[0]), GFP_KERNEL);
	copy[1] = kvmalloc(sizeof(*copy[1]), GFP_KERNEL);
	ret = -ENOMEM;
	if (!copy[0] || !copy[1])
		goto out;
	ret = rc_cod_read_disk(md->bdev, copy, cand);
	if (ret) {
		rc_msg(msg, "cannot read the configuration area of %s",
		       md->name);
		goto out;
	}
	for (c = 0; c < 2; c++) {
		if (!cand[c].status) {
			ret = 1;
			goto out;
		}
	}
	ret = 0;
	if (cand[0].status != RC_COD_ENOCOD || cand[1].status != RC_COD_ENOCOD)
		rc_msg(msg, "%s carries a damaged COD", md->name);
	else if (!rc_blank_fits(md, msg))
		ret = 2;
out:
	kvfree(copy[1]);
	kvfree(copy[0]);
	return ret;
}

/*
 * Record @md (identity @id) in the configuration: its own record when the
 * COD knows it, else a new one.  Returns 1 when the record changed.
 */
static int rc_record_disk(struct rc_mdisk *md, const struct rc_disk *id,
			  char *msg)
{
	struct rc_config *cfg = rc.cfg;
	struct rc_disk *rec;
	int idx, changed = 0;

	idx = rc_config_find_disk(cfg, id->wwn, id->wwn_len, id->serial);
	if (idx < 0) {
		idx = rc_free_disk_record(cfg);
		if (idx < 0) {
			rc_msg(msg, "no free disk record (at most %u disks)",
			       RC_MAX_DISKS);
			return idx;
		}
		rec = &cfg->disks[idx];
		*rec = *id;
		rec->state = RC_DISK_ONLINE;
		get_random_bytes(rec->uuid, sizeof(rec->uuid));
		changed = 1;
	} else {
		/* rc_member_attach() refused a disk attached already. */
		rec = &cfg->disks[idx];
		/*
		 * Where it was found now is recorded, but written only with
		 * the next real change: rewriting here could give a stale
		 * disk, attached first after a reload, a generation as high
		 * as the real newest COD of a disk not attached yet.
		 */
		rec->capacity = id->capacity;
		/*
		 * The channel and target stay as the COD has them: they name
		 * the bus for every node of the cluster (the protocol host
		 * numbers its channels from them), not this node's host.
		 */
		if (rec->state == RC_DISK_MISSING) {
			rec->state = RC_DISK_ONLINE;
			changed = 1;
		}
	}
	md->index = idx;
	if (rec->state != RC_DISK_ONLINE && rec->state != RC_DISK_SPARE)
		set_bit(RC_MD_FAILED, &md->flags);
	rc.disks[idx] = md;
	rc_config_recount(cfg);
	return changed;
}

/*
 * Disk @idx, which this node lost its path to (RC_MD_NOPATH: never
 * recorded failed, the other nodes kept using it), is back as @md: its
 * drives' members use it again.  The cluster's copy is current; what this
 * node wrote to the other members meanwhile was never acknowledged and
 * is in its write-intent bitmap, resynced by the next taker.  rc.lock held.
 */
static void rc_member_path_back(unsigned int idx, struct rc_mdisk *md)
{
	struct rc_mdisk *old = rc.disks[idx];
	unsigned int n, e;

	rc_host_disk_gone(idx);		/* no protocol I/O on the old path */
	md->index = idx;
	for (n = 0; n < RC_MAX_LDS; n++) {
		struct rc_ldev *ld = rc.lds[n];

		if (!ld)
			continue;
		for (e = 0; e < ld->nmem; e++) {
			if (ld->mem[e].md != old)
				continue;
			blk_mq_freeze_queue(ld->disk->queue);
			spin_lock(&ld->mem_lock);
			ld->mem[e].md = md;
			spin_unlock(&ld->mem_lock);
			clear_bit(RC_MEM_FAILED, &ld->mem[e].flags);
			clear_bit(e, &ld->unrecorded);
			rc_ld_update_state(ld);
			blk_mq_unfreeze_queue(ld->disk->queue);
		}
	}
	rc.disks[idx] = md;
	pr_info("%s: this node's path to disk %u is back (was %s)\n", md->name,
		idx, old->name);
	rc_mdisk_put(old);
	rc_host_disks_changed();
}

int rc_member_attach(const char *path, unsigned int flags, char *msg,
		     unsigned int *index, unsigned int *started,
		     unsigned int *result, u32 *rebuild_ld)
{
	struct rc_cfg_undo undo = {};
	struct rc_disk id = {};
	struct block_device *bdev;
	struct rc_mdisk *md;
	int ret, idx, changed;
	char why[RC_IOC_MSG_LEN];
	unsigned int i;

	bdev = blkdev_get_by_path(path, RC_BDEV_MODE, &rc);
	if (IS_ERR(bdev)) {
		ret = PTR_ERR(bdev);
		if (ret == -EBUSY)
			rc_msg(msg, "%s is in use (mounted, held or already attached)",
			       path);
		else if (ret == -ENOENT || ret == -ENXIO)
			rc_msg(msg, "%s: no such block device", path);
		else if (ret == -ENOTBLK)
			rc_msg(msg, "%s is not a block device", path);
		else
			rc_msg(msg, "cannot open %s (error %d)", path, ret);
		return ret;
	}
	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md) {
		blkdev_put(bdev, RC_BDEV_MODE);
		return -ENOMEM;
	}
	md->bdev = bdev;
	atomic64_set(&md->read_errors, 0);
	atomic64_set(&md->write_errors, 0);
	snprintf(md->name, sizeof(md->name), "%pg", bdev);

	ret = rc_identify(md, &id, msg);
	if (ret)
		goto out_put;
	/* The same disk through a second path (a second HBA). */
	if (rc.have_cfg) {
		idx = rc_config_find_disk(rc.cfg, id.wwn, id.wwn_len, id.serial);
		if (idx >= 0 && rc.disks[idx] &&
		    test_bit(RC_MD_NOPATH, &rc.disks[idx]->flags) &&
		    !disk_live(rc.disks[idx]->bdev->bd_disk) &&
		    (rc.cfg->disks[idx].state == RC_DISK_ONLINE ||
		     rc.cfg->disks[idx].state == RC_DISK_SPARE)) {
			rc_member_path_back(idx, md);
			*index = idx;
			*started = rc_ld_start_ready();
			return 0;
		}
		if (idx >= 0 && rc.disks[idx]) {
			/*
			 * A pulled and replugged disk: the failed one stays
			 * held until its drives are rebuilt, deleted or the
			 * module reloaded (its data is stale anyway).
			 */
			if (rc_mdisk_usable(rc.disks[idx]))
				rc_msg(msg, "%s is disk %d, already attached as %s",
				       md->name, idx, rc.disks[idx]->name);
			else
				rc_msg(msg, "%s is disk %d, failed as %s: delete its drives or reload first",
				       md->name, idx, rc.disks[idx]->name);
			ret = -EEXIST;
			goto out_put;
		}
	}
	if (flags & RC_ATTACH_REPLACEMENT) {
		ret = rc_attach_wanted(md, &id, msg);
		if (ret <= 0) {
			if (!ret)
				*result = RC_ATTACH_NOT_WANTED;
			goto out_put;
		}
		if (ret == 2)
			set_bit(RC_MD_INSERTED, &md->flags);
	}
	ret = rc_cfg_undo_save(&undo);
	if (ret)
		goto out_put;
	ret = rc_merge_cod(md, &undo, msg);
	if (ret < 0)
		goto out_undo;
	changed = ret;
	ret = rc_record_disk(md, &id, msg);
	if (ret < 0)
		goto out_undo;
	changed |= ret;

	ret = rc_config_validate(rc.cfg, why, sizeof(why));
	if (ret) {
		/* E.g. the disk shrank below one of its extents. */
		rc_msg(msg, "%s: %s", md->name, why);
		goto out_undo;
	}
	rc_cfg_undo_commit(&undo);
	rc_cfg_undo_free(&undo);
	pr_info("%s attached as disk %u (%u:%u:%u:%llu, serial '%s')\n",
		md->name, md->index, md->host, md->channel, md->target,
		md->lun, id.serial);
	*index = md->index;
	/*
	 * Only the master writes the COD: on a slave (or while joining) a
	 * disk found again is only recorded here, the master commits it.
	 */
	if (changed && !rc_host_may_write_cod())
		rc.cod_dirty = true;
	else if (changed && rc_cod_write_all())
		pr_warn("configuration not written after attaching %s\n",
			md->name);
	rc_host_disks_changed();
	*started = rc_ld_start_ready();
	/*
	 * A rebuild the master started onto this disk before it was here:
	 * the running drives now write it (rc_rebuild_follow()).
	 */
	for (i = 0; i < RC_MAX_LDS; i++)
		if (rc.lds[i])
			rc_rebuild_follow(rc.lds[i], &rc.cfg->lds[i]);
	/* A blank disk offered by udev: the master decides what it becomes. */
	if (test_bit(RC_MD_INSERTED, &md->flags))
		*result = rc_rebuild_inserted(md->index, rebuild_ld);
	return 0;

out_undo:
	rc_cfg_undo_apply(&undo);
	rc_cfg_undo_free(&undo);
out_put:
	rc_mdisk_put(md);
	return ret;
}

int rc_member_detach(unsigned int index, char *msg)
{
	struct rc_config *cfg = rc.cfg;
	struct rc_mdisk *md;
	unsigned int n, e;
	int ret;

	if (!rc.have_cfg || index >= RC_MAX_DISKS ||
	    cfg->disks[index].state == RC_DISK_UNUSED) {
		rc_msg(msg, "no disk %u", index);
		return -ENOENT;
	}
	for (n = 0; n < RC_MAX_LDS; n++) {
		const struct rc_ld *ld = &cfg->lds[n];

		if (ld->state == RC_LD_UNUSED)
			continue;
		for (e = 0; e < ld->nextents; e++) {
			if (ld->ext[e].disk != index)
				continue;
			rc_msg(msg, "disk %u is used by logical drive %u (%s)",
			       index, n, ld->name);
			return -EBUSY;
		}
	}
	md = rc.disks[index];
	/*
	 * A running drive that a newer configuration (adopted from another
	 * disk) no longer lists still sends I/O to its members: the COD
	 * records alone do not say the disk is free.
	 */
	for (n = 0; md && n < RC_MAX_LDS; n++) {
		const struct rc_ldev *ld = rc.lds[n];

		if (!ld)
			continue;
		for (e = 0; e < ld->nmem; e++) {
			if (ld->mem[e].md != md)
				continue;
			rc_msg(msg, "disk %u is still in use by running rcl%u (%s), which the configuration no longer lists: close it and reload the module first",
			       index, n, ld->name);
			return -EBUSY;
		}
	}
	if (md) {
		/* It leaves the cluster: it must not bring it back later. */
		if (rc_mdisk_usable(md) && rc_cod_wipe(md->bdev))
			pr_warn("%s: could not erase its COD\n", md->name);
		rc.disks[index] = NULL;
	}
	memset(&cfg->disks[index], 0, sizeof(cfg->disks[index]));
	rc_config_recount(cfg);
	if (md) {
		/*
		 * The protocol forgets the disk before its bdev goes (an I/O
		 * to a disk it still counts on, answered "no path", would be
		 * taken for this node's cable failure), then its I/O ends.
		 */
		rc_host_disks_changed();
		rc_host_disk_gone(index);
		pr_info("%s detached (disk %u)\n", md->name, index);
		rc_mdisk_put(md);
	}
	if (!cfg->ndisks && !cfg->nlds) {
		/* Nothing left: the next disk may start or bring any cluster. */
		rc.have_cfg = false;
		rc_events_reset();
		memset(cfg, 0, sizeof(*cfg));
		rc_host_disks_changed();
		return 0;
	}
	ret = rc_cod_write_all();
	rc_host_disks_changed();
	if (!ret)
		rc_host_config_changed();
	return ret;
}

/*
 * Decode the copy of generation @gen and CRC @crc from any attached disk
 * into @out.  When no disk holds it any more, the newest copy of this
 * cluster above @gen: the master wrote again before this node read the
 * disks (both copies of every member carry one generation, so two quick
 * changes leave no trace of the first), and the newest generation it
 * wrote is the cluster's configuration by the COD's own rule
 * (rc_cod_pick()); a copy of another writer is never taken.  Adopting
 * the older one instead would run this node a change behind, e.g.
 * without a rebuild's new member that its writes must reach.  *@crc is
 * set to the CRC of what was found.  0, or -ENOENT when no disk holds
 * @gen or newer.
 */
static int rc_find_cod(u64 gen, u32 *crc, struct rc_config *out)
{
	struct rc_config *copy[2];
	struct rc_cod_copy cand[2];
	u8 master = rc_host_master();
	u32 want = *crc;
	u64 newest = gen;
	unsigned int i, c;
	int ret = -ENOMEM;

	copy[0] = kvmalloc(sizeof(*copy[0]), GFP_KERNEL);
	copy[1] = kvmalloc(sizeof(*copy[1]), GFP_KERNEL);
	if (!copy[0] || !copy[1])
		goto out;
	ret = -ENOENT;
	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_mdisk *md = rc.disks[i];

		if (!rc_mdisk_usable(md) ||
		    rc_cod_read_disk(md->bdev, copy, cand))
			continue;
		for (c = 0; c < 2; c++) {
			if (cand[c].status ||
			    memcmp(cand[c].cluster_uuid, rc.cfg->cluster_uuid, 16))
				continue;
			if (cand[c].generation == gen && cand[c].crc == want) {
				memcpy(out, copy[c], sizeof(*out));
				*crc = want;
				ret = 0;
				goto out;
			}
			/* newer, and written by the master we follow */
			if (cand[c].generation > newest &&
			    copy[c]->writer_node == master) {
				newest = cand[c].generation;
				*crc = cand[c].crc;
				memcpy(out, copy[c], sizeof(*out));
				ret = 0;
			}
		}
	}
	if (!ret)
		pr_info("configuration generation %llu was superseded on the disks: adopting generation %llu\n",
			gen, newest);
out:
	kvfree(copy[1]);
	kvfree(copy[0]);
	return ret;
}

/*
 * A slave adopts the configuration its master wrote (generation @gen,
 * CRC @crc): read it from the shared disks, make it ours, stop the drives
 * it deleted (unless open: they keep running until closed and deleted
 * here too) and start the ones it created.
 */
int rc_member_reload_cod(u64 gen, u32 crc)
{
	struct rc_cfg_undo undo = {};
	struct rc_config *newer;
	char why[RC_IOC_MSG_LEN];
	unsigned int i, started;
	int ret;

	if (!rc.have_cfg)
		return -ENOENT;
	newer = kvmalloc(sizeof(*newer), GFP_KERNEL);
	if (!newer)
		return -ENOMEM;
	ret = rc_find_cod(gen, &crc, newer);
	if (ret)
		goto out;
	ret = rc_cfg_undo_save(&undo);
	if (ret)
		goto out;
	ret = rc_adopt(newer, &undo, why);
	if (!ret)
		ret = rc_config_validate(rc.cfg, why, sizeof(why));
	if (ret) {
		pr_err("configuration generation %llu refused: %s\n", gen, why);
		rc_cfg_undo_apply(&undo);
		rc_cfg_undo_free(&undo);
		goto out;
	}
	rc_cfg_undo_commit(&undo);
	rc_cfg_undo_free(&undo);
	rc.cod_crc = crc;
	rc.cod_dirty = false;		/* the master's configuration wins */
	rc_note_cod_states();
	for (i = 0; i < RC_MAX_LDS; i++) {
		struct rc_ldev *ld = rc.lds[i];

		if (!ld || (rc.cfg->lds[i].state != RC_LD_UNUSED &&
			    !memcmp(rc.cfg->lds[i].uuid, ld->uuid, 16)))
			continue;
		if (rc_ld_stop_if_idle(ld))
			pr_warn("rcl%u was deleted by the master but is open on this node: it keeps running until the module is reloaded\n",
				i);
		else
			pr_info("rcl%u deleted by the master\n", i);
	}
	/* Running drives follow the rebuilds the master started or ended. */
	for (i = 0; i < RC_MAX_LDS; i++)
		if (rc.lds[i])
			rc_rebuild_follow(rc.lds[i], &rc.cfg->lds[i]);
	started = rc_ld_start_ready();
	if (started)
		pr_info("%u logical drive(s) started from the master's configuration\n",
			started);
out:
	kvfree(newer);
	return ret;
}

void rc_member_release_all(void)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		if (!rc.disks[i])
			continue;
		rc_mdisk_put(rc.disks[i]);
		rc.disks[i] = NULL;
	}
}
