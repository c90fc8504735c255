// SPDX-License-Identifier: GPL-2.0
/*
 * raidcluster.ko: cluster-aware host RAID over shared SCSI disks.
 *
 * Module parameters, global state, init and exit.  The pieces live in
 * ctl.c (control device), member.c (member disks), cod_io.c (COD on disk),
 * ld.c (logical drives), io.c + raid0.c + raid1.c (data path), failure.c
 * (member failures) and sysfs.c (sysfs and /proc).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/gfp.h>

#include "rc.h"
#include "node.h"

struct rc_state rc;

static unsigned int node_id;

static int rc_node_id_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, RC_MAX_NODES - 1);
}

static const struct kernel_param_ops rc_node_id_ops = {
	.set = rc_node_id_set,
	.get = param_get_uint,
};

/* Read-only once loaded: the node ID is written into every COD copy. */
module_param_cb(node_id, &rc_node_id_ops, &node_id, 0444);
MODULE_PARM_DESC(node_id, "this node's ID in the cluster, 0..31 (default 0)");

/*
 * Read-only once loaded: the cluster this node belongs to.  Empty: the
 * first cluster whose disk is attached (a blank disk makes a new one).
 */
static char *cluster_uuid = "";
module_param(cluster_uuid, charp, 0444);
MODULE_PARM_DESC(cluster_uuid,
		 "the cluster this node belongs to (a UUID): another cluster's disk is refused, a new cluster gets this UUID (default: none)");

static unsigned int check_interval_ms = 1000;
module_param(check_interval_ms, uint, 0444);
MODULE_PARM_DESC(check_interval_ms,
		 "how often to look for removed member disks, ms (0: only on I/O errors; default 1000)");

/* Format a one-line reason for user space into @msg (RC_IOC_MSG_LEN). */
void rc_msg(char *msg, const char *fmt, ...)
{
	va_list ap;

	if (!msg)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, RC_IOC_MSG_LEN, fmt, ap);
	va_end(ap);
}

static void rc_free_state(void)
{
	if (bioset_initialized(&rc.bioset))
		bioset_exit(&rc.bioset);
	if (bioset_initialized(&rc.page_bioset))
		bioset_exit(&rc.page_bioset);
	if (rc.cfg_wq)
		destroy_workqueue(rc.cfg_wq);
	if (rc.io_wq)
		destroy_workqueue(rc.io_wq);
	if (rc.cod_buf)
		free_pages((unsigned long)rc.cod_buf, get_order(RC_COD_BYTES));
	kvfree(rc.cfg);
}

static int __init rc_init(void)
{
	int ret = -ENOMEM;

	mutex_init(&rc.lock);
	INIT_WORK(&rc.cfg_work, rc_cfg_work_fn);
	INIT_WORK(&rc.spare_work, rc_spare_work_fn);
	INIT_DELAYED_WORK(&rc.poll_work, rc_poll_work_fn);
	spin_lock_init(&rc.park_lock);
	INIT_LIST_HEAD(&rc.parked);
	INIT_DELAYED_WORK(&rc.park_work, rc_park_work_fn);
	rc.node_id = node_id;
	rc.check_interval_ms = check_interval_ms;
	if (cluster_uuid && *cluster_uuid) {
		uuid_t u;

		if (uuid_parse(cluster_uuid, &u)) {
			pr_err("cluster_uuid=%s is not a UUID\n", cluster_uuid);
			return -EINVAL;
		}
		memcpy(rc.wanted_uuid, u.b, 16);
		rc.want_uuid = true;
	}

	rc.cfg = kvzalloc(sizeof(*rc.cfg), GFP_KERNEL);
	/* Contiguous, so one bio vector can carry it. */
	rc.cod_buf = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					      get_order(RC_COD_BYTES));
	/* Submission and read retries must progress under memory pressure. */
	rc.io_wq = alloc_workqueue("raidcluster_io",
				   WQ_MEM_RECLAIM | WQ_UNBOUND | WQ_HIGHPRI, 0);
	rc.cfg_wq = alloc_ordered_workqueue("raidcluster_cfg", WQ_MEM_RECLAIM);
	if (!rc.cfg || !rc.cod_buf || !rc.io_wq || !rc.cfg_wq)
		goto out_free;
	/*
	 * Clones are allocated in the submitter's context, where bios already
	 * queued on its bio_list cannot complete: the rescuer sends them on
	 * when the pool runs dry, as for dm and md.
	 */
	ret = bioset_init(&rc.bioset, BIO_POOL_SIZE,
			  offsetof(struct rc_mbio, bio), BIOSET_NEED_RESCUER);
	if (ret)
		goto out_free;
	ret = bioset_init(&rc.page_bioset, BIO_POOL_SIZE,
			  offsetof(struct rc_mbio, bio), BIOSET_NEED_BVECS);
	if (ret)
		goto out_free;

	ret = rc_host_init(rc.node_id);
	if (ret)
		goto out_free;
	rc_rebuild_init_host();
	ret = register_blkdev(0, RC_LD_PREFIX);
	if (ret < 0)
		goto out_host;
	rc.major = ret;

	ret = rc_proc_init();
	if (ret)
		goto out_blkdev;
	ret = rc_ctl_init();
	if (ret)
		goto out_proc;
	if (rc.check_interval_ms)
		queue_delayed_work(rc.cfg_wq, &rc.poll_work,
				   msecs_to_jiffies(rc.check_interval_ms));
	if (rc.want_uuid)
		pr_info("version %s loaded, node %u of cluster %pUb\n",
			RC_MODULE_VERSION, rc.node_id, rc.wanted_uuid);
	else
		pr_info("version %s loaded, node %u\n", RC_MODULE_VERSION,
			rc.node_id);
	return 0;

out_proc:
	rc_proc_exit();
out_blkdev:
	unregister_blkdev(rc.major, RC_LD_PREFIX);
out_host:
	rc_host_exit();
out_free:
	rc_free_state();
	return ret;
}

static void __exit rc_exit(void)
{
	unsigned int i;

	/* No new ioctls; then no COD rewrite may still be queued. */
	rc_ctl_exit();
	rc_rebuild_exit_host();
	mutex_lock(&rc.lock);
	rc.exiting = true;
	mutex_unlock(&rc.lock);
	cancel_delayed_work_sync(&rc.poll_work);
	flush_work(&rc.cfg_work);
	flush_work(&rc.spare_work);
	/* No protocol I/O on the members once they are released. */
	rc_host_stop();

	/*
	 * The drives are closed (an open rclN pins the module), so stopping
	 * them cannot fail.  The configuration on disk is left as it is:
	 * attaching the disks again brings the drives back.
	 */
	mutex_lock(&rc.lock);
	for (i = 0; i < RC_MAX_LDS; i++)
		if (rc.lds[i])
			rc_ld_stop(rc.lds[i]);
	rc_member_release_all();
	mutex_unlock(&rc.lock);
	/* the stops above ended every parked write (rc.exiting) */
	cancel_delayed_work_sync(&rc.park_work);

	rc_proc_exit();
	unregister_blkdev(rc.major, RC_LD_PREFIX);
	rc_host_exit();
	rc_free_state();
	pr_info("unloaded\n");
}

module_init(rc_init);
module_exit(rc_exit);

MODULE_DESCRIPTION("raidcluster: cluster-aware host RAID over shared SCSI disks");
MODULE_AUTHOR("raidcluster authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(RC_MODULE_VERSION);
