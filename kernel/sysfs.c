// SPDX-License-Identifier: GPL-2.0
/*
 * Status for people and scripts: /sys/block/rclN/raidcluster/ (one value
 * per file) and /proc/raidcluster (a short summary of everything).
 */
#include <linux/blkdev.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "rc.h"
#include "node.h"

static struct rc_ldev *rc_dev_ld(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static ssize_t level_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", rc_level_name(rc_dev_ld(dev)->geom.level));
}
static DEVICE_ATTR_RO(level);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  rc_ld_state_name(READ_ONCE(rc_dev_ld(dev)->state)));
}
static DEVICE_ATTR_RO(state);

static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", rc_dev_ld(dev)->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t stripe_sectors_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", rc_dev_ld(dev)->geom.chunk);
}
static DEVICE_ATTR_RO(stripe_sectors);

/* One line: "disk:name:state" per member, in member order. */
static ssize_t members_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct rc_ldev *ld = rc_dev_ld(dev);
	unsigned int i;
	int len = 0;

	/*
	 * A rebuild swaps a member's disk (rebuild.c); the old one may be
	 * detached right after.  Not rc.lock: it is held while the drive is
	 * deleted, which waits for this very read to end.
	 */
	spin_lock(&ld->mem_lock);
	for (i = 0; i < ld->nmem; i++) {
		struct rc_mdisk *md = ld->mem[i].md;

		len += sysfs_emit_at(buf, len, "%s%d:%s:%s", i ? " " : "",
				     md ? (int)md->index : -1,
				     md ? md->name : "-",
				     rc_mem_usable(ld, i) ? "online" : "failed");
	}
	spin_unlock(&ld->mem_lock);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(members);

/* The node holding the drive's reservation, "none" when nobody does. */
static ssize_t holder_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	u8 holder = rc_host_holder(rc_dev_ld(dev)->number);

	if (holder == RC_HOLDER_NONE)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u\n", holder);
}
static DEVICE_ATTR_RO(holder);

static ssize_t auto_reserve_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(rc_dev_ld(dev)->auto_reserve));
}

static ssize_t auto_reserve_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	WRITE_ONCE(rc_dev_ld(dev)->auto_reserve, on);
	return len;
}
static DEVICE_ATTR_RW(auto_reserve);

/*
 * Every drive's attributes first (RC_LD_COMMON_ATTRS of them), then those
 * of single levels, which only drives of that level show (its ops->attrs).
 */
#define RC_LD_COMMON_ATTRS 11
static struct attribute *rc_ld_attrs[] = {
	&dev_attr_level.attr,
	&dev_attr_state.attr,
	&dev_attr_name.attr,
	&dev_attr_stripe_sectors.attr,
	&dev_attr_members.attr,
	&dev_attr_rebuild.attr,
	&dev_attr_rebuild_speed_min.attr,
	&dev_attr_rebuild_speed_max.attr,
	&dev_attr_sync_action.attr,
	&dev_attr_holder.attr,
	&dev_attr_auto_reserve.attr,
	/* RAID 5 */
	&dev_attr_stripe_cache_size.attr,
	&dev_attr_stripe_cache_active.attr,
	&dev_attr_raid5_zero_copy.attr,
	NULL,
};

static umode_t rc_ld_attr_visible(struct kobject *kobj, struct attribute *a,
				  int n)
{
	struct rc_ldev *ld = rc_dev_ld(kobj_to_dev(kobj));
	struct attribute **own = ld->ops->attrs;

	if (n < RC_LD_COMMON_ATTRS)
		return a->mode;
	for (; own && *own; own++)
		if (*own == a)
			return a->mode;
	return 0;
}

static const struct attribute_group rc_ld_attr_group = {
	.name = "raidcluster",
	.attrs = rc_ld_attrs,
	.is_visible = rc_ld_attr_visible,
};

const struct attribute_group *rc_ld_attr_groups[] = {
	&rc_ld_attr_group,
	NULL,
};

/*
 * The cluster as this node sees it: /sys/class/misc/raidcluster/ (the
 * control device), one value per file, and "nodes" one line per node.
 */
static void rc_self_info(struct rc_ioc_node_info *a)
{
	memset(a, 0, sizeof(*a));
	a->id = rc.node_id;
	rc_host_node_info(a);
}

static ssize_t node_id_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", rc.node_id);
}
static DEVICE_ATTR_RO(node_id);

static ssize_t node_state_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct rc_ioc_node_info a;

	rc_self_info(&a);
	if (!(a.flags & RC_NODE_F_RUNNING))
		return sysfs_emit(buf, "not started\n");
	return sysfs_emit(buf, "%s/%s\n", a.state_name, a.info_name);
}
static DEVICE_ATTR_RO(node_state);

static ssize_t nexus_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct rc_ioc_node_info a;

	rc_self_info(&a);
	return sysfs_emit(buf, "%d\n", !!(a.flags & RC_NODE_F_NEXUS));
}
static DEVICE_ATTR_RO(nexus);

static ssize_t master_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct rc_ioc_node_info a;

	rc_self_info(&a);
	if (a.master == RC_IOC_NO_NODE)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u\n", a.master);
}
static DEVICE_ATTR_RO(master);

static ssize_t incarnation_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct rc_ioc_node_info a;

	rc_self_info(&a);
	return sysfs_emit(buf, "%u\n", a.incarnation);
}
static DEVICE_ATTR_RO(incarnation);

/* "ID STATE/INFO master M incarnation I age MS live|stale", self first. */
static ssize_t nodes_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct rc_ioc_node_info a;
	unsigned int k, id;
	int len = 0;

	for (k = 0; k < RC_MAX_NODES; k++) {
		id = (rc.node_id + k) % RC_MAX_NODES;
		memset(&a, 0, sizeof(a));
		a.id = id;
		if (rc_host_node_info(&a) ||
		    !(a.flags & (RC_NODE_F_SELF | RC_NODE_F_KNOWN)))
			continue;
		len += sysfs_emit_at(buf, len, "%u %s/%s master %d incarnation %u age %llu %s\n",
				     id, a.state_name, a.info_name,
				     a.master == RC_IOC_NO_NODE ? -1 : a.master,
				     a.incarnation,
				     (a.flags & RC_NODE_F_SELF) ? 0 : a.hb_age_ms,
				     (a.flags & RC_NODE_F_SELF) ? "self" :
				     (a.flags & RC_NODE_F_LIVE) ? "live" : "stale");
	}
	return len;
}
static DEVICE_ATTR_RO(nodes);

static struct attribute *rc_ctl_attrs[] = {
	&dev_attr_node_id.attr,
	&dev_attr_node_state.attr,
	&dev_attr_nexus.attr,
	&dev_attr_master.attr,
	&dev_attr_incarnation.attr,
	&dev_attr_nodes.attr,
	NULL,
};

static const struct attribute_group rc_ctl_attr_group = {
	.attrs = rc_ctl_attrs,
};

const struct attribute_group *rc_ctl_attr_groups[] = {
	&rc_ctl_attr_group,
	NULL,
};

static void rc_proc_disk(struct seq_file *m, unsigned int i)
{
	const struct rc_disk *d = &rc.cfg->disks[i];
	struct rc_mdisk *md = rc.disks[i];

	seq_printf(m, "disk %u %s %s serial '%s' wwn %*phN %llu sectors",
		   i, md ? md->name : "-",
		   rc_disk_state_name(rc_mdisk_usable(md) || !md ?
				      d->state : RC_DISK_FAILED),
		   d->serial, d->wwn_len, d->wwn, d->capacity);
	if (md)
		seq_printf(m, " at %u:%u:%u:%llu errors r%lld/w%lld",
			   md->host, md->channel, md->target, md->lun,
			   atomic64_read(&md->read_errors),
			   atomic64_read(&md->write_errors));
	seq_puts(m, md ? "\n" : " (not attached)\n");
}

static void rc_proc_ld(struct seq_file *m, unsigned int n)
{
	const struct rc_ld *rec = &rc.cfg->lds[n];
	struct rc_ldev *ld = rc.lds[n];
	struct rc_rebuild_progress p;
	unsigned int e;

	seq_printf(m, "rcl%u '%s' %s %s %llu sectors chunk %u sectors members",
		   n, rec->name, rc_level_name(rec->level),
		   rc_ld_state_name(ld ? READ_ONCE(ld->state) : rec->state),
		   rec->capacity, rec->stripe_sectors);
	for (e = 0; e < rec->nextents; e++)
		seq_printf(m, " %u:%s", rec->ext[e].disk,
			   ld && !rc_mem_usable(ld, e) ? "failed" :
			   rc_extent_state_name(rec->ext[e].state));
	if (rc_host_holder(n) != RC_HOLDER_NONE)
		seq_printf(m, " holder %u", rc_host_holder(n));
	rc_rebuild_progress(n, &p);
	if (p.total) {
		seq_printf(m, " %s %llu/%llu sectors (%llu.%llu%%) %llu sectors/s",
			   p.resync ? "resync" : "rebuild", p.done, p.total,
			   div64_u64(p.done * 100, p.total),
			   div64_u64(p.done * 1000, p.total) % 10, p.rate);
		if (p.node != RC_IOC_NO_NODE)
			seq_printf(m, " by node %u", p.node);
	}
	if (ld)
		seq_printf(m, " open %u read-retries %lld\n", rc_ld_openers(ld),
			   atomic64_read(&ld->read_retries));
	else
		seq_puts(m, " (not running)\n");
}

static int rc_proc_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&rc.lock);
	seq_printf(m, "raidcluster %s node %u\n", RC_MODULE_VERSION,
		   rc.node_id);
	if (!rc.have_cfg) {
		seq_puts(m, "no configuration (no member disk attached)\n");
		goto out;
	}
	seq_printf(m, "cluster %pUb generation %llu\n", rc.cfg->cluster_uuid,
		   rc.cfg->generation);
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (rc.cfg->disks[i].state != RC_DISK_UNUSED)
			rc_proc_disk(m, i);
	for (i = 0; i < RC_MAX_LDS; i++)
		if (rc.cfg->lds[i].state != RC_LD_UNUSED)
			rc_proc_ld(m, i);
out:
	rc_host_proc_show(m);
	mutex_unlock(&rc.lock);
	return 0;
}

int rc_proc_init(void)
{
	return proc_create_single("raidcluster", 0444, NULL, rc_proc_show) ?
	       0 : -ENOMEM;
}

void rc_proc_exit(void)
{
	remove_proc_entry("raidcluster", NULL);
}
