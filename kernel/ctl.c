// SPDX-License-Identifier: GPL-2.0
/*
 * The control device /dev/raidcluster: the ioctls of
 * include/raidcluster/ioctl.h.  Every call needs CAP_SYS_ADMIN, the
 * version and size of its struct, zero reserved fields and valid values;
 * a refusal carries a one-line reason back in hdr.msg.  Configuration
 * changes are serialized by rc.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "rc.h"
#include "node.h"
#include "ctl_remote.h"

#define RC_DEFAULT_STRIPE 128	/* 64 KiB */

static bool rc_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static int rc_reserved(const void *p, size_t len, char *msg)
{
	if (rc_zero(p, len))
		return 0;
	rc_msg(msg, "reserved fields must be zero");
	return -EINVAL;
}

static unsigned int rc_count(bool disks)
{
	unsigned int i, n = 0;

	if (!rc.have_cfg)
		return 0;
	for (i = 0; i < (disks ? RC_MAX_DISKS : RC_MAX_LDS); i++)
		n += disks ? rc.cfg->disks[i].state != RC_DISK_UNUSED :
			     rc.cfg->lds[i].state != RC_LD_UNUSED;
	return n;
}

static int rc_ioc_info(void *arg)
{
	struct rc_ioc_info *a = arg;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	strscpy(a->module_version, RC_MODULE_VERSION, sizeof(a->module_version));
	a->max_disks = RC_MAX_DISKS;
	a->max_lds = RC_MAX_LDS;
	a->max_extents = RC_MAX_EXTENTS;
	a->ndisks = rc_count(true);
	a->nlds = rc_count(false);
	a->node_id = rc.node_id;
	a->cod_generation = rc.have_cfg ? rc.cfg->generation : 0;
	memset(a->cluster_uuid, 0, sizeof(a->cluster_uuid));
	a->cod_flags = rc.have_cfg ? rc.cfg->flags : 0;
	if (rc.have_cfg)
		memcpy(a->cluster_uuid, rc.cfg->cluster_uuid, 16);
	return 0;
}

static int rc_ioc_attach(void *arg)
{
	struct rc_ioc_attach *a = arg;
	char *msg = a->hdr.msg;

	if (rc_reserved(a->reserved, sizeof(a->reserved), msg))
		return -EINVAL;
	if (!memchr(a->path, '\0', sizeof(a->path))) {
		rc_msg(msg, "path is not NUL terminated within %zu bytes",
		       sizeof(a->path));
		return -EINVAL;
	}
	if (a->path[0] != '/') {
		rc_msg(msg, "path '%s' is not absolute", a->path);
		return -EINVAL;
	}
	if (a->flags & ~RC_ATTACH_FLAGS) {
		rc_msg(msg, "unknown flags 0x%x", a->flags & ~RC_ATTACH_FLAGS);
		return -EINVAL;
	}
	a->index = 0;
	a->nlds_found = 0;
	a->result = RC_ATTACH_DONE;
	a->rebuild_ld = 0;
	return rc_member_attach(a->path, a->flags, msg, &a->index,
				&a->nlds_found, &a->result, &a->rebuild_ld);
}

/* RC_IOC_POLICY.  rc.lock held; on the master (or a node alone). */
static int rc_ioc_policy(void *arg)
{
	struct rc_ioc_policy *a = arg;
	u32 old;
	int ret;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	if ((a->mask | a->flags) & ~RC_COD_FLAGS) {
		rc_msg(a->hdr.msg, "unknown policy flags 0x%x",
		       (a->mask | a->flags) & ~RC_COD_FLAGS);
		return -EINVAL;
	}
	if (!rc.have_cfg) {
		rc_msg(a->hdr.msg, "no configuration yet: attach a disk first");
		return -ENOENT;
	}
	old = rc.cfg->flags;
	rc.cfg->flags = (old & ~a->mask) | (a->flags & a->mask);
	if (rc.cfg->flags != old) {
		ret = rc_cod_write_all();
		if (ret) {
			rc.cfg->flags = old;
			rc_msg(a->hdr.msg, "configuration not written (%d)", ret);
			return ret;
		}
	}
	a->flags = rc.cfg->flags;
	return 0;
}

static int rc_ioc_detach(void *arg)
{
	struct rc_ioc_detach *a = arg;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	return rc_member_detach(a->index, a->hdr.msg);
}

static int rc_ioc_disk_info(void *arg)
{
	struct rc_ioc_disk_info *a = arg;
	const struct rc_disk *d;
	struct rc_mdisk *md;
	unsigned int index = a->index;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	if (!rc.have_cfg || index >= RC_MAX_DISKS ||
	    rc.cfg->disks[index].state == RC_DISK_UNUSED) {
		rc_msg(a->hdr.msg, "no disk %u", index);
		return -ENOENT;
	}
	d = &rc.cfg->disks[index];
	md = rc.disks[index];
	memset((char *)a + sizeof(a->hdr), 0, sizeof(*a) - sizeof(a->hdr));
	a->index = index;
	/*
	 * A failure the worker has not recorded yet already shows; a disk
	 * this node lost its path to is not failed: it is not present here.
	 */
	if (md && test_bit(RC_MD_NOPATH, &md->flags))
		md = NULL;
	a->state = md && !rc_mdisk_usable(md) ? RC_DISK_FAILED : d->state;
	a->wwn_len = d->wwn_len;
	memcpy(a->wwn, d->wwn, sizeof(a->wwn));
	memcpy(a->serial, d->serial, strnlen(d->serial, sizeof(a->serial)));
	a->capacity = d->capacity;
	if (md) {
		a->present = 1;
		a->major = MAJOR(md->bdev->bd_dev);
		a->minor = MINOR(md->bdev->bd_dev);
		a->read_errors = atomic64_read(&md->read_errors);
		a->write_errors = atomic64_read(&md->write_errors);
		strscpy(a->name, md->name, sizeof(a->name));
		a->pr_state = rc_host_disk_pr(index, &a->pr_key);
	}
	return 0;
}

static bool rc_name_ok(const char *name, size_t size)
{
	size_t i, len = strnlen(name, size);

	if (!len || len >= size)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

/* Field checks of RC_IOC_CREATE that need no configuration. */
static int rc_create_check(struct rc_ioc_create *a, char *msg)
{
	unsigned int i;

	if (!rc_name_ok(a->name, sizeof(a->name))) {
		rc_msg(msg, "name must be 1-31 characters of A-Z a-z 0-9 _ . -");
		return -EINVAL;
	}
	if (a->level == RC_RAID5 && !rc_level_ops_find(a->level)) {
		rc_msg(msg, "RAID %u is not implemented yet", a->level);
		return -EOPNOTSUPP;
	}
	if (!rc_level_ops_find(a->level)) {
		rc_msg(msg, "unknown RAID level %u", a->level);
		return -EINVAL;
	}
	if (!a->stripe_sectors)
		a->stripe_sectors = RC_DEFAULT_STRIPE;
	if (!is_power_of_2(a->stripe_sectors) || a->stripe_sectors < 8 ||
	    a->stripe_sectors > 2048) {
		rc_msg(msg, "stripe size %u sectors: must be a power of 2 in 8..2048",
		       a->stripe_sectors);
		return -EINVAL;
	}
	if (!a->nextents || a->nextents > RC_MAX_EXTENTS) {
		rc_msg(msg, "%u members: must be 1..%u", a->nextents,
		       RC_MAX_EXTENTS);
		return -EINVAL;
	}
	for (i = 0; i < RC_MAX_EXTENTS; i++) {
		const struct rc_ioc_extent *x = &a->extents[i];

		if (i >= a->nextents) {
			if (!rc_zero(x, sizeof(*x))) {
				rc_msg(msg, "extent %u is past nextents and not zero",
				       i);
				return -EINVAL;
			}
			continue;
		}
		if (x->state || x->rebuild_pos) {
			rc_msg(msg, "extent %u: state and rebuild_pos are output, must be 0",
			       i);
			return -EINVAL;
		}
		if (x->disk >= RC_MAX_DISKS || !x->length) {
			rc_msg(msg, "extent %u: bad disk %u or zero length",
			       i, x->disk);
			return -EINVAL;
		}
	}
	return 0;
}

static int rc_ioc_create(void *arg)
{
	struct rc_ioc_create *a = arg;
	struct rc_config *cfg = rc.cfg;
	char *msg = a->hdr.msg;
	char why[RC_IOC_MSG_LEN];
	struct rc_geom g;
	struct rc_ld *rec;
	bool changed = false;
	u64 minlen = U64_MAX;
	unsigned int i;
	int ret, n;

	if (rc_reserved(a->reserved, sizeof(a->reserved), msg))
		return -EINVAL;
	if (a->flags & ~RC_CREATE_F_ASSUME_CLEAN) {
		rc_msg(msg, "unknown create flags 0x%x", a->flags);
		return -EINVAL;
	}
	ret = rc_create_check(a, msg);
	if (ret)
		return ret;
	if (!rc.have_cfg) {
		rc_msg(msg, "no member disk attached");
		return -ENODEV;
	}
	for (i = 0; i < a->nextents; i++) {
		const struct rc_ioc_extent *x = &a->extents[i];
		struct rc_mdisk *md = rc.disks[x->disk];
		unsigned int lbs;

		if (!md || !rc_mdisk_usable(md)) {
			rc_msg(msg, "extent %u: disk %u is %s", i, x->disk,
			       md ? "failed" : "not attached");
			return -ENODEV;
		}
		/* A 4 KiB-sector member cannot take 512-byte aligned I/O. */
		lbs = bdev_logical_block_size(md->bdev) >> SECTOR_SHIFT;
		if ((x->start | x->length) & (lbs - 1)) {
			rc_msg(msg, "extent %u: start and length must be multiples of %u sectors on %s",
			       i, lbs, md->name);
			return -EINVAL;
		}
		minlen = min(minlen, x->length);
	}
	for (n = 0; n < RC_MAX_LDS; n++)
		if (cfg->lds[n].state == RC_LD_UNUSED && !rc.lds[n])
			break;
	if (n == RC_MAX_LDS) {
		rc_msg(msg, "no free logical drive number (at most %u)",
		       RC_MAX_LDS);
		return -ENOSPC;
	}
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->number = n;
	rec->state = RC_LD_OPTIMAL;
	rec->level = a->level;
	rec->nextents = a->nextents;
	rec->stripe_sectors = a->stripe_sectors;
	strscpy(rec->name, a->name, sizeof(rec->name));
	for (i = 0; i < a->nextents; i++) {
		rec->ext[i].disk = a->extents[i].disk;
		rec->ext[i].state = RC_EXT_ONLINE;
		rec->ext[i].start = a->extents[i].start;
		rec->ext[i].length = a->extents[i].length;
	}
	why[0] = '\0';
	ret = rc_config_check_new_ld(cfg, rec, why, sizeof(why));
	if (ret) {
		rc_msg(msg, "%s", why);
		goto out;
	}
	ret = rc_geom_init(&g, a->level, a->nextents, a->stripe_sectors,
			   minlen);
	if (ret || !g.capacity) {
		rc_msg(msg, "extents too small for RAID %u with a %u-sector stripe",
		       a->level, a->stripe_sectors);
		ret = -EINVAL;
		goto out;
	}
	rec->capacity = g.capacity;
	/*
	 * New mirrors are not resynced: blocks never written may differ, and
	 * every write reaches every copy.  A new RAID 5 builds its parity
	 * (rebuild.c's resync), unless the admin says it already holds.
	 */
	rec->resync_pos = g.capacity;
	if (a->level == RC_RAID5 && !(a->flags & RC_CREATE_F_ASSUME_CLEAN))
		rec->resync_pos = 0;
	get_random_bytes(rec->uuid, sizeof(rec->uuid));

	cfg->lds[n] = *rec;
	rc_config_recount(cfg);
	ret = rc_ld_start(n, false, msg, &changed);
	if (ret)
		goto out_forget;
	ret = rc_cod_write_all();
	if (ret) {
		rc_msg(msg, "cannot write the configuration to any member");
		rc_ld_stop(rc.lds[n]);
		goto out_forget;
	}
	a->number = n;
	a->capacity = g.capacity;
	goto out;

out_forget:
	memset(&cfg->lds[n], 0, sizeof(cfg->lds[n]));
	rc_config_recount(cfg);
out:
	kfree(rec);
	return ret;
}

static int rc_ld_number(unsigned int number, char *msg)
{
	if (!rc.have_cfg || number >= RC_MAX_LDS ||
	    rc.cfg->lds[number].state == RC_LD_UNUSED) {
		rc_msg(msg, "no logical drive %u", number);
		return -ENOENT;
	}
	return 0;
}

static int rc_ioc_delete(void *arg)
{
	struct rc_ioc_delete *a = arg;
	char *msg = a->hdr.msg;
	struct rc_ldev *ld;
	int ret;

	if (rc_reserved(a->reserved, sizeof(a->reserved), msg))
		return -EINVAL;
	ret = rc_ld_number(a->number, msg);
	if (ret)
		return ret;
	/*
	 * A drive another node holds is in use there: its number would be
	 * given to a new drive while that node still writes the old one.
	 */
	if (rc_host_holder(a->number) != RC_HOLDER_NONE &&
	    rc_host_holder(a->number) != rc.node_id) {
		rc_msg(msg, "rcl%u is reserved by node %u: release it there first",
		       a->number, rc_host_holder(a->number));
		return -EBUSY;
	}
	ld = rc.lds[a->number];
	if (ld && rc_ld_stop_unless_open(ld)) {
		rc_msg(msg, "rcl%u is open", a->number);
		return -EBUSY;
	}
	pr_info("logical drive %u (%s) deleted\n", a->number,
		rc.cfg->lds[a->number].name);
	memset(&rc.cfg->lds[a->number], 0, sizeof(rc.cfg->lds[a->number]));
	rc_config_recount(rc.cfg);
	ret = rc_cod_write_all();
	if (ret)
		rc_msg(msg, "deleted, but the configuration could not be written");
	return ret;
}

static int rc_ioc_ld_info(void *arg)
{
	struct rc_ioc_ld_info *a = arg;
	unsigned int i, number = a->number;
	struct rc_rebuild_progress p;
	const struct rc_ld *rec;
	struct rc_ldev *ld;
	int ret;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	ret = rc_ld_number(number, a->hdr.msg);
	if (ret)
		return ret;
	rec = &rc.cfg->lds[number];
	ld = rc.lds[number];
	memset((char *)a + sizeof(a->hdr), 0, sizeof(*a) - sizeof(a->hdr));
	a->number = number;
	a->state = ld ? READ_ONCE(ld->state) : rec->state;
	a->level = rec->level;
	a->stripe_sectors = rec->stripe_sectors;
	a->nextents = rec->nextents;
	a->open_count = ld ? rc_ld_openers(ld) : 0;
	a->flags = ld ? RC_LD_F_RUNNING : 0;
	a->capacity = rec->capacity;
	rc_rebuild_progress(number, &p);
	a->rebuild_done = p.done;
	a->rebuild_total = p.total;
	a->rebuild_rate = p.rate;
	a->rebuild_node = p.node;
	if (p.resync)
		a->flags |= RC_LD_F_RESYNC;
	a->holder = rc_host_holder(number);
	strscpy(a->name, rec->name, sizeof(a->name));
	for (i = 0; i < rec->nextents; i++) {
		struct rc_ioc_extent *x = &a->extents[i];

		x->disk = rec->ext[i].disk;
		x->state = rc_rebuild_target(ld, i) ? RC_EXT_REBUILDING :
			   ld && !rc_mem_usable(ld, i) ? RC_EXT_FAILED :
			   rec->ext[i].state;
		x->start = rec->ext[i].start;
		x->length = rec->ext[i].length;
		x->rebuild_pos = rec->ext[i].rebuild_pos;
	}
	return 0;
}

static int rc_ioc_run(void *arg)
{
	struct rc_ioc_run *a = arg;
	char *msg = a->hdr.msg;
	bool changed = false;
	int ret;

	if (rc_reserved(a->reserved, sizeof(a->reserved), msg))
		return -EINVAL;
	ret = rc_ld_number(a->number, msg);
	if (ret)
		return ret;
	if (rc.lds[a->number]) {
		rc_msg(msg, "rcl%u is already running", a->number);
		return -EALREADY;
	}
	ret = rc_ld_start(a->number, true, msg, &changed);
	if (ret)
		return ret;
	if (changed && rc_cod_write_all())
		pr_warn("configuration not written after starting rcl%u\n",
			a->number);
	return 0;
}

static int rc_ioc_node_info(void *arg)
{
	struct rc_ioc_node_info *a = arg;

	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg) ||
	    rc_reserved(a->reserved0, sizeof(a->reserved0), a->hdr.msg))
		return -EINVAL;
	return rc_host_node_info(a);
}

/* Reserve or release: waits for the other nodes, so without rc.lock. */
static int rc_ioc_resv(struct rc_ioc_reserve *a, bool reserve)
{
	char *msg = a->hdr.msg;
	struct rc_ldev *ld;
	int ret;

	if (rc_reserved(a->reserved, sizeof(a->reserved), msg))
		return -EINVAL;
	if (a->flags) {
		rc_msg(msg, "unknown flags 0x%x", a->flags);
		return -EINVAL;
	}
	mutex_lock(&rc.lock);
	ret = rc_ld_number(a->number, msg);
	ld = ret ? NULL : rc.lds[a->number];
	mutex_unlock(&rc.lock);
	if (ret)
		return ret;
	if (reserve) {
		ret = rc_host_reserve(a->number, msg);
		/* Held on purpose now: a close must not release it. */
		if (!ret)
			clear_bit(a->number, &rc.auto_held);
		/* every node's dirty regions resynced before it is served */
		mutex_lock(&rc.lock);
		ld = rc.lds[a->number];
		if (!ret && ld)
			rc_wib_take(ld);
		mutex_unlock(&rc.lock);
	} else {
		rc_host_release_begin(a->number);
		/*
		 * Our writes in flight reach the disks before the other
		 * nodes hear of the release.  A running drive stays while
		 * rc.lock is not held only because a delete waits for
		 * openers, and the caller of a release has none of its own.
		 */
		mutex_lock(&rc.lock);
		ld = rc.lds[a->number];
		if (ld) {
			blk_mq_freeze_queue(ld->disk->queue);
			blk_mq_unfreeze_queue(ld->disk->queue);
			rc_wib_quiesce(ld);
		}
		mutex_unlock(&rc.lock);
		ret = rc_host_release(a->number, msg);
		if (!ret)
			clear_bit(a->number, &rc.auto_held);
	}
	a->holder = rc_host_holder(a->number);
	return ret;
}

static int rc_ioc_reserve(void *arg)
{
	return rc_ioc_resv(arg, true);
}

static int rc_ioc_release(void *arg)
{
	return rc_ioc_resv(arg, false);
}

static int rc_ioc_node_cmd_check(struct rc_ioc_node_cmd *a)
{
	if (rc_reserved(a->reserved, sizeof(a->reserved), a->hdr.msg))
		return -EINVAL;
	if (a->flags) {
		rc_msg(a->hdr.msg, "unknown flags 0x%x", a->flags);
		return -EINVAL;
	}
	return 0;
}

static int rc_ioc_node_resume(void *arg)
{
	struct rc_ioc_node_cmd *a = arg;
	int ret = rc_ioc_node_cmd_check(a);

	if (ret)
		return ret;
	if (a->id != rc.node_id) {
		rc_msg(a->hdr.msg, "node %u is not this node (%u): resume a node on itself",
		       a->id, rc.node_id);
		return -EINVAL;
	}
	return rc_host_resume(a->hdr.msg);
}

static int rc_ioc_node_kill(void *arg)
{
	struct rc_ioc_node_cmd *a = arg;
	int ret = rc_ioc_node_cmd_check(a);

	return ret ? ret : rc_host_kill(a->id, a->hdr.msg);
}

/* rc_ioc_handler.flags */
#define RC_IOC_NOLOCK 0x1	/* the handler takes what it needs itself */
#define RC_IOC_CONFIG 0x2	/* changes the configuration: master only */

struct rc_ioc_handler {
	unsigned int cmd;
	size_t size;
	int (*fn)(void *arg);
	unsigned int flags;
};

static const struct rc_ioc_handler rc_ioc_handlers[] = {
	{ RC_IOC_INFO, sizeof(struct rc_ioc_info), rc_ioc_info, 0 },
	{ RC_IOC_ATTACH, sizeof(struct rc_ioc_attach), rc_ioc_attach, 0 },
	{ RC_IOC_DETACH, sizeof(struct rc_ioc_detach), rc_ioc_detach,
	  RC_IOC_CONFIG },
	{ RC_IOC_DISK_INFO, sizeof(struct rc_ioc_disk_info), rc_ioc_disk_info,
	  0 },
	{ RC_IOC_CREATE, sizeof(struct rc_ioc_create), rc_ioc_create,
	  RC_IOC_CONFIG },
	{ RC_IOC_DELETE, sizeof(struct rc_ioc_delete), rc_ioc_delete,
	  RC_IOC_CONFIG },
	{ RC_IOC_LD_INFO, sizeof(struct rc_ioc_ld_info), rc_ioc_ld_info, 0 },
	{ RC_IOC_RUN, sizeof(struct rc_ioc_run), rc_ioc_run, RC_IOC_CONFIG },
	{ RC_IOC_REBUILD, sizeof(struct rc_ioc_rebuild), rc_ioc_rebuild,
	  RC_IOC_CONFIG },
	{ RC_IOC_SPARE, sizeof(struct rc_ioc_spare), rc_ioc_spare,
	  RC_IOC_CONFIG },
	{ RC_IOC_NODE_INFO, sizeof(struct rc_ioc_node_info), rc_ioc_node_info,
	  RC_IOC_NOLOCK },
	{ RC_IOC_RESERVE, sizeof(struct rc_ioc_reserve), rc_ioc_reserve,
	  RC_IOC_NOLOCK },
	{ RC_IOC_RELEASE, sizeof(struct rc_ioc_reserve), rc_ioc_release,
	  RC_IOC_NOLOCK },
	{ RC_IOC_NODE_RESUME, sizeof(struct rc_ioc_node_cmd),
	  rc_ioc_node_resume, RC_IOC_NOLOCK },
	{ RC_IOC_NODE_KILL, sizeof(struct rc_ioc_node_cmd), rc_ioc_node_kill,
	  RC_IOC_NOLOCK },
	{ RC_IOC_POLICY, sizeof(struct rc_ioc_policy), rc_ioc_policy,
	  RC_IOC_CONFIG },
};

/*
 * Run a configuration change here, on the master (or a node without a
 * cluster), and distribute the COD it wrote.  @gen: the generation
 * written.  -EREMOTE when this node is a slave.
 */
static int rc_ioc_config_here(const struct rc_ioc_handler *h,
			      struct rc_ioc_hdr *hdr, u64 *gen)
{
	u64 before;
	int ret;

	mutex_lock(&rc.lock);
	ret = rc_host_may_configure(hdr->msg);
	if (ret) {
		mutex_unlock(&rc.lock);
		return ret;
	}
	before = rc.have_cfg ? rc.cfg->generation : 0;
	ret = h->fn(hdr);
	*gen = rc.have_cfg ? rc.cfg->generation : 0;
	if (rc.have_cfg && rc.cfg->generation != before)
		rc_host_config_changed();
	mutex_unlock(&rc.lock);
	return ret;
}

#define RC_ADOPT_WAIT_MS 15000

/*
 * A slave sends the change to the master (Node_Host_Request) and returns
 * its outcome, once this node runs the configuration that holds it: the
 * master writes the change as @gen, commits it once more (figure 15) and
 * pushes it, so a command that returns has its result visible here too.
 */
static int rc_ioc_forward(const struct rc_ioc_handler *h,
			  struct rc_ioc_hdr *hdr)
{
	struct rc_wire_host_request *w;
	void *reply;
	unsigned int waited = 0;
	u32 rlen = 0;
	u64 gen = 0;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	reply = kzalloc(RC_WIRE_MAX_PAYLOAD, GFP_KERNEL);
	ret = -ENOMEM;
	if (!w || !reply)
		goto out;
	ret = rc_remote_encode(h->cmd, hdr, w);
	if (ret)
		goto out;
	memset(hdr->msg, 0, sizeof(hdr->msg));
	ret = rc_host_request(w, sizeof(*w), reply, &rlen, hdr->msg);
	if (ret)
		goto out;
	ret = rc_remote_result_decode(reply, rlen, h->cmd, hdr, &gen);
	while (!ret && gen && READ_ONCE(rc.cfg->generation) < gen &&
	       waited < RC_ADOPT_WAIT_MS && !signal_pending(current)) {
		msleep(50);
		waited += 50;
	}
out:
	kfree(reply);
	kfree(w);
	return ret;
}

/*
 * A configuration change: only the master in nexus makes it (a node still
 * joining waits for the nexus first, without rc.lock, since joining takes
 * it), and the master distributes the COD it wrote to the other nodes; a
 * slave forwards the change to the master.
 */
static int rc_ioc_config(const struct rc_ioc_handler *h,
			 struct rc_ioc_hdr *hdr)
{
	u64 gen;
	int ret;

	ret = rc_host_may_configure(NULL);
	if (ret == -EAGAIN && rc_host_wait_nexus(NULL) == -EINTR)
		return -EINTR;
	ret = rc_ioc_config_here(h, hdr, &gen);
	if (ret == -EREMOTE && rc_remote_supported(h->cmd))
		return rc_ioc_forward(h, hdr);
	return ret == -EREMOTE ? -EAGAIN : ret;
}

/* rc_ioc_create is the largest struct a request carries. */
#define RC_REMOTE_ARG_SIZE sizeof(struct rc_ioc_create)

/* The master carries out a slave's configuration command (node.h). */
static int rc_ctl_remote_request(const void *req, u32 len, void *reply,
				 u32 *rlen)
{
	const struct rc_ioc_handler *h = NULL;
	struct rc_ioc_hdr *arg;
	unsigned int cmd = 0, i;
	u64 gen = 0;
	int ret;

	arg = kzalloc(RC_REMOTE_ARG_SIZE, GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	ret = rc_remote_decode(req, len, &cmd, arg, RC_REMOTE_ARG_SIZE,
			       arg->msg);
	for (i = 0; !ret && i < ARRAY_SIZE(rc_ioc_handlers); i++)
		if (rc_ioc_handlers[i].cmd == cmd)
			h = &rc_ioc_handlers[i];
	if (!ret && h) {
		ret = rc_ioc_config_here(h, arg, &gen);
		if (ret == -EREMOTE)
			ret = -EAGAIN;	/* no longer the master */
	} else if (!ret) {
		ret = -EINVAL;
	}
	if (ret)
		pr_info("configuration request refused: %s\n", arg->msg);
	rc_remote_result_encode(reply, cmd, arg, ret, gen);
	*rlen = sizeof(struct rc_wire_host_result);
	kfree(arg);
	return 0;
}

static long rc_ctl_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct rc_ioc_handler *h = NULL;
	struct rc_ioc_hdr *hdr;
	unsigned int i;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	for (i = 0; i < ARRAY_SIZE(rc_ioc_handlers); i++)
		if (rc_ioc_handlers[i].cmd == cmd)
			h = &rc_ioc_handlers[i];
	if (!h)
		return -ENOTTY;

	hdr = memdup_user(uarg, h->size);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	memset(hdr->msg, 0, sizeof(hdr->msg));
	if (hdr->version != RC_IOCTL_VERSION) {
		rc_msg(hdr->msg, "ioctl version %u, the module speaks %u",
		       hdr->version, RC_IOCTL_VERSION);
		ret = -EPROTO;
	} else if (hdr->size != h->size) {
		rc_msg(hdr->msg, "struct size %u, the module expects %zu",
		       hdr->size, h->size);
		ret = -EINVAL;
	} else if (h->flags & RC_IOC_NOLOCK) {
		ret = h->fn(hdr);
	} else if (h->flags & RC_IOC_CONFIG) {
		ret = rc_ioc_config(h, hdr);
	} else {
		mutex_lock(&rc.lock);
		ret = h->fn(hdr);
		mutex_unlock(&rc.lock);
	}
	/* On failure only the header (with its reason) goes back. */
	if (copy_to_user(uarg, hdr, ret ? sizeof(*hdr) : h->size))
		ret = -EFAULT;
	kfree(hdr);
	return ret;
}

static const struct file_operations rc_ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = rc_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice rc_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = RC_CTL_NAME,
	.fops = &rc_ctl_fops,
	.mode = 0600,
	.groups = rc_ctl_attr_groups,
};

int rc_ctl_init(void)
{
	int ret = misc_register(&rc_ctl_dev);

	if (!ret)
		rc_host_set_request_handler(rc_ctl_remote_request);
	return ret;
}

void rc_ctl_exit(void)
{
	rc_host_set_request_handler(NULL);
	misc_deregister(&rc_ctl_dev);
}
