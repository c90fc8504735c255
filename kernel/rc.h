/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raidcluster.ko internals shared by the files of kernel/.
 *
 * One global state (struct rc_state, "rc") holds the configuration (the
 * in-memory COD, lib/cod.h), the member disks opened on this node and the
 * running logical drives.  Configuration changes take rc.lock; the data
 * path never does: it reads per-member failure bits and a per-drive state
 * that only ever get worse until the drive is rebuilt or recreated.
 */
#ifndef RC_KERNEL_RC_H
#define RC_KERNEL_RC_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <raidcluster/ioctl.h>

#include "cod.h"
#include "geom.h"

#define RC_MODULE_VERSION "0.1"
#define RC_LD_MINORS 16		/* minors per rclN: the disk and 15 partitions */
#define RC_LD_PREFIX "rcl"
#define RC_LD_MAX_SECTORS 2048		/* 1 MiB per request at most */

/* A member disk opened (exclusively) on this node. */
struct rc_mdisk {
	struct block_device *bdev;
	unsigned int index;		/* record in rc.cfg->disks */
	unsigned long flags;		/* RC_MD_* bits */
	atomic64_t read_errors;
	atomic64_t write_errors;
	char name[BDEVNAME_SIZE];	/* kernel name, "sdb" */
	unsigned int host, channel, target;
	u64 lun;
	unsigned long nopath_at;	/* jiffies RC_MD_NOPATH was set */
	unsigned long failed_at;	/* jiffies RC_MD_ERR_SETTLING was set */
};

/* rc_mdisk.flags */
#define RC_MD_FAILED 0		/* an I/O error took it out */
#define RC_MD_NOPATH 1		/* ... because this node's path to it went
				 * (every disk of its SCSI host failed):
				 * not the disk's failure (failure.c)
				 */
#define RC_MD_LOSS_TOLD 2	/* its NOPATH is settled: handed to the
				 * protocol, or kept (our cable) (failure.c)
				 */
#define RC_MD_INSERTED 3	/* a blank disk udev offered (attach
				 * RC_ATTACH_REPLACEMENT): the master decides
				 * what it becomes, again after every
				 * configuration pass (rc_rebuild_spares())
				 */
#define RC_MD_ERR_SETTLING 4	/* RC_MD_FAILED by an I/O error that may be
				 * the first sign of a lost path: not
				 * recorded until it settled (failure.c)
				 */

/* One member extent of a running logical drive. */
struct rc_member {
	struct rc_mdisk *md;		/* NULL: absent when the drive started */
	u64 start;			/* first sector on the member disk */
	unsigned long flags;		/* RC_MEM_* bits */
	u64 next_read;			/* where its last read ended (balancing) */
	atomic_t reads;			/* reads in flight (balancing) */
};

/* rc_member.flags */
#define RC_MEM_FAILED 0		/* extent failed (COD) or absent at start */
#define RC_MEM_REBUILDING 1	/* rebuild target: gets writes, not reads */

struct rc_ldev;
struct rc_cmd;

/*
 * A member bio: a clone of (part of) a request's bio, or an empty flush,
 * sent to one member.  Allocated from rc.bioset whose front_pad holds the
 * fields before @bio.
 */
struct rc_mbio {
	struct rc_cmd *cmd;
	struct bio *src;		/* request bio cloned; NULL for a flush */
	u64 lba;			/* drive sector of the piece */
	u32 off;			/* sectors into @src */
	u32 len;			/* sectors */
	u64 moff;			/* sector in the member extent */
	u16 member;			/* index in ld->mem */
	u16 next;			/* retry: member to read from */
	u32 tried;			/* members tried for this piece (reads) */
	struct work_struct work;	/* read retry on another mirror */
	struct bio bio;			/* must be last */
};

/* Per-request driver data (blk-mq pdu). */
struct rc_cmd {
	struct rc_ldev *ld;
	atomic_t pending;		/* member bios + 1 while submitting */
	blk_status_t status;
	bool write_masked;		/* a member write failed, masked */
	u8 rb_epoch;			/* rebuild fence epoch + 1, 0: none */
	bool wib_mark;			/* its regions must be marked first */
	u32 wib_r0, wib_n;		/* write-intent regions held */
	struct work_struct work;	/* submission that must wait: rc.io_wq */
	struct list_head park;		/* on rc.parked (failure.c) */
	unsigned long parked_at;	/* jiffies */
};

/* The level's space after @cmd in the request's pdu (ld->cmd_extra bytes). */
static inline void *rc_cmd_priv(struct rc_cmd *cmd)
{
	return cmd + 1;
}

/* What a RAID level does differently; one table per level. */
struct rc_level_ops {
	unsigned int level;		/* enum rc_raid_level */
	/* Send piece @loc of @src (sectors @off.. of it) to the members. */
	void (*submit)(struct rc_cmd *cmd, struct bio *src, u32 off,
		       const struct rc_loc *loc);
	/*
	 * A member bio failed (the member is already marked failed).
	 * Return true when the level retried it elsewhere; otherwise it
	 * set what the request ends with.
	 */
	bool (*member_error)(struct rc_mbio *m);
	/* Drive state from its members' usability (enum rc_ld_state). */
	u8 (*state)(struct rc_ldev *ld);
	/* Queue limits that depend on the level (io_min, io_opt...). */
	void (*limits)(struct rc_ldev *ld, struct request_queue *q);
	/*
	 * Instead of @submit per piece: take the whole read/write request
	 * (RAID 5's row work).  Called from queue_rq() itself unless
	 * @needs_worker says otherwise, then from rc.io_wq (may sleep).
	 */
	void (*submit_rq)(struct rc_cmd *cmd, struct request *rq);
	/*
	 * Must @rq go through rc.io_wq (it waits for its own member I/O, or
	 * sleeps for locks or buffers)?  NULL: never, for this level's own
	 * reasons (the generic ones, write-intent marks and a running
	 * rebuild, are io.c's).  Called from queue_rq(), must not sleep.
	 */
	bool (*needs_worker)(struct rc_cmd *cmd, struct request *rq);
	/*
	 * The level's own state (ld->priv) and request space (ld->cmd_extra
	 * bytes after each struct rc_cmd), made before the drive's first I/O,
	 * freed after its last (md's personality run/free).  rc.lock held.
	 */
	int (*start)(struct rc_ldev *ld);
	void (*stop)(struct rc_ldev *ld);
	/* sysfs attributes of rclN only this level has (NULL ended). */
	struct attribute **attrs;
};

/* A running logical drive: the gendisk rclN. */
struct rc_ldev {
	unsigned int number;
	char name[RC_NAME_LEN + 1];
	u8 uuid[16];			/* of its COD record */
	struct rc_geom geom;
	const struct rc_level_ops *ops;
	u16 nmem;
	struct rc_member mem[RC_MAX_EXTENTS];
	spinlock_t state_lock;		/* orders updates of @state */
	spinlock_t mem_lock;		/* mem[].md/start swaps vs sysfs readers */
	u8 state;			/* enum rc_ld_state, READ_ONCE */
	/*
	 * Members failed on this node whose failure is not yet in the
	 * configuration the cluster runs (the COD): a write completed
	 * without them is acknowledged only once it is (failure.c).
	 */
	unsigned long unrecorded;
	u8 reported_state;		/* last one sent in a uevent; rc.lock */
	bool deleting;			/* under disk->open_mutex */
	atomic64_t read_retries;	/* reads served by another mirror */
	struct rc_rebuild *rb;		/* rebuild.c; set with the queue frozen */
	/*
	 * Writes take the rebuild fence (rc_rebuild_write_begin(), in
	 * rc.io_wq): set with the queue frozen when an engine is set up,
	 * cleared once it has stopped for good (rc_rebuild_retire()).
	 */
	bool rb_fence;
	/*
	 * rebuild.c: a member is being rebuilt onto a disk this node has
	 * not attached (target_absent), and this node took the drive since
	 * (writes_refused, READ_ONCE in queue_rq): its writes would miss the
	 * new member below a position another node reached, so they fail
	 * until the disk is here.  rc.lock.
	 */
	bool target_absent;
	bool writes_refused;
	struct rc_wib *wib;		/* bitmap.c; NULL: none (RAID 0, off) */
	void *priv;			/* the level's (ops->start) */
	unsigned int speed_min;		/* rebuild KiB/s, 0: module's (sysfs) */
	unsigned int speed_max;
	unsigned int cmd_extra;		/* level bytes after each rc_cmd */
	unsigned int writers;		/* opens for writing; open_mutex */
	bool part_scanned;		/* rescanned once readable; open_mutex */
	bool auto_reserve;		/* sysfs: reserve on open for writing */
	struct work_struct release_work;	/* the automatic release */
	struct mutex pr_lock;		/* persistent reservations (pr.c) */
	u64 pr_key;			/* this node's registered PR key */
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

struct rc_state {
	struct mutex lock;		/* every configuration change */
	struct rc_config *cfg;		/* in-memory COD */
	bool have_cfg;			/* cluster exists (cfg valid) */
	struct rc_mdisk *disks[RC_MAX_DISKS];	/* by record index */
	struct rc_ldev *lds[RC_MAX_LDS];	/* running drives by number */
	u32 cod_crc;			/* CRC of the COD copy in use */
	bool cod_dirty;			/* changed, not written (not master) */
	u8 cod_disk_state[RC_MAX_DISKS];	/* disk states of the COD on the
						 * disks (written or adopted)
						 */
	void *cod_buf;			/* RC_COD_BYTES, contiguous; rc.lock */
	struct workqueue_struct *io_wq;	/* request submission, retries */
	struct workqueue_struct *cfg_wq;	/* COD rewrites after failures */
	struct work_struct cfg_work;
	struct work_struct spare_work;	/* may allocate: system_unbound_wq */
	struct delayed_work poll_work;	/* looks for removed members */
	spinlock_t park_lock;
	struct list_head parked;	/* writes waiting for a failure record */
	struct delayed_work park_work;
	unsigned int check_interval_ms;	/* module parameter; 0: off */
	struct bio_set bioset;		/* struct rc_mbio */
	struct bio_set page_bioset;	/* rc_mbio on own pages (RAID 5) */
	int major;
	unsigned int node_id;
	/*
	 * cluster_uuid=: the only cluster this node may join (a disk of any
	 * other is refused), and the UUID a new cluster gets.
	 */
	bool want_uuid;
	u8 wanted_uuid[16];
	unsigned long auto_held;	/* drives reserved by an open (ld.c) */
	bool exiting;
};

extern struct rc_state rc;

/* main.c */
void rc_msg(char *msg, const char *fmt, ...) __printf(2, 3);

/* events.c: uevents of the COD's disk and member states; rc.lock held */
void rc_events_cod_noted(void);
void rc_events_reset(void);

/* cod_io.c: the COD on the member disks; rc.lock held */
int rc_cod_read_disk(struct block_device *bdev, struct rc_config *copy[2],
		     struct rc_cod_copy out[2]);
int rc_cod_write_all(void);
int rc_cod_wipe(struct block_device *bdev);

/* member.c: member disks; rc.lock held */
int rc_member_attach(const char *path, unsigned int flags, char *msg,
		     unsigned int *index, unsigned int *started,
		     unsigned int *result, u32 *rebuild_ld);
int rc_member_detach(unsigned int index, char *msg);
void rc_member_release_all(void);
int rc_member_reload_cod(u64 gen, u32 crc);
int rc_member_cod_channel(const struct rc_mdisk *md);
bool rc_mdisk_usable(const struct rc_mdisk *md);
void rc_config_recount(struct rc_config *cfg);

/* ld.c: logical drives; rc.lock held unless noted */
int rc_ld_start(unsigned int number, bool force, char *msg, bool *changed);
void rc_ld_stop(struct rc_ldev *ld);
int rc_ld_stop_unless_open(struct rc_ldev *ld);
int rc_ld_stop_if_idle(struct rc_ldev *ld);
int rc_ld_release_reservation(struct rc_ldev *ld, char *msg);	/* no rc.lock */
unsigned int rc_ld_start_ready(void);
void rc_ld_update_state(struct rc_ldev *ld);	/* any context */
void rc_ld_notify(struct rc_ldev *ld);
unsigned int rc_ld_openers(struct rc_ldev *ld);

/* failure.c: member failures; rc_member_failed() from any context */
void rc_member_failed(struct rc_ldev *ld, unsigned int i, bool write);
bool rc_member_io_failed(struct rc_ldev *ld, unsigned int i, bool write,
			 blk_status_t sts);
bool rc_member_bio_failed(struct rc_ldev *ld, unsigned int i, struct bio *bio);
void rc_cfg_work_fn(struct work_struct *work);
void rc_park_write(struct rc_cmd *cmd);		/* any context */
void rc_disk_io_error(unsigned int index, bool write);
void rc_note_cod_states(void);			/* rc.lock held */
void rc_park_work_fn(struct work_struct *work);
void rc_spare_work_fn(struct work_struct *work);
void rc_poll_work_fn(struct work_struct *work);
bool rc_sync_failures(bool *failed);

/* io.c: the data path */
extern const struct blk_mq_ops rc_mq_ops;
bool rc_mem_usable(const struct rc_ldev *ld, unsigned int i);
void rc_submit_piece(struct rc_cmd *cmd, struct bio *src, u32 off, u32 len,
		     u64 moff, unsigned int member, u32 tried);
void rc_retry_piece(struct rc_mbio *m, unsigned int member);
void rc_defer_piece(struct rc_cmd *cmd, struct bio *src, u32 off, u32 len,
		    work_func_t fn);
void rc_cmd_fail(struct rc_cmd *cmd);
void rc_cmd_put(struct rc_cmd *cmd);

/* raid0.c, raid1.c, raid10.c */
extern const struct rc_level_ops rc_raid0_ops;
extern const struct rc_level_ops rc_raid1_ops;
extern const struct rc_level_ops rc_raid10_ops;
extern const struct rc_level_ops rc_raid5_ops;
void rc_mirror_submit(struct rc_cmd *cmd, struct bio *src, u32 off,
		      const struct rc_loc *loc);	/* RAID 1 and 10 */

/* raid5.c helpers: xor.c (parity), stripe_lock.c (per-row locks) */
void rc_xor(void *dest, void **srcs, unsigned int count, unsigned int bytes);
void rc_stripe_lock(const struct rc_ldev *ld, u64 row);
bool rc_stripe_trylock(const struct rc_ldev *ld, u64 row);
void rc_stripe_unlock(const struct rc_ldev *ld, u64 row);
void rc_stripe_lock_rows(const struct rc_ldev *ld, u64 first, u64 count);
void rc_stripe_unlock_rows(const struct rc_ldev *ld, u64 first, u64 count);
int rc_raid5_resync_row(struct rc_ldev *ld, u64 row);

/* bitmap.c: write-intent bitmap, resync of dirty regions at start */
struct rc_wib;
void rc_wib_start(struct rc_ldev *ld);			/* rc.lock held */
void rc_wib_stop(struct rc_ldev *ld);			/* rc.lock held */
void rc_wib_take(struct rc_ldev *ld);
void rc_wib_quiesce(struct rc_ldev *ld);
bool rc_wib_write_begin(struct rc_cmd *cmd, struct request *rq);
void rc_wib_write_mark(struct rc_cmd *cmd);
void rc_wib_write_end(struct rc_cmd *cmd);		/* any context */

/* rebuild.c: local rebuild onto a new disk */
struct rc_rebuild;
int rc_ioc_rebuild(void *arg);				/* rc.lock held */
int rc_ioc_spare(void *arg);				/* rc.lock held */
void rc_rebuild_spares(void);				/* rc.lock held */
u32 rc_rebuild_inserted(unsigned int disk, u32 *ld);	/* rc.lock held */
bool rc_rebuild_gets_writes(const struct rc_ldev *ld, unsigned int member);
bool rc_rebuild_writable(const struct rc_ldev *ld, unsigned int member,
			 u64 mend);				/* any context */
bool rc_rebuild_target(const struct rc_ldev *ld, unsigned int i);
void rc_rebuild_write_begin(struct rc_cmd *cmd, struct request *rq);
void rc_rebuild_write_end(struct rc_cmd *cmd);		/* any context */
int rc_rebuild_prepare(struct rc_ldev *ld, const struct rc_ld *rec);
void rc_rebuild_kick(struct rc_ldev *ld);
void rc_rebuild_stop(struct rc_ldev *ld);
void rc_rebuild_free(struct rc_ldev *ld);
void rc_rebuild_retire(struct rc_ldev *ld);
bool rc_rebuild_sync(struct rc_ldev *ld, struct rc_ld *rec);
bool rc_rebuild_info(struct rc_ldev *ld, u64 *done, u64 *total, u64 *rate);

/* A drive's rebuild or resync as this node reports it (rc.lock held). */
struct rc_rebuild_progress {
	u64 done, total;	/* sectors */
	u64 rate;		/* sectors per second, recent */
	u8 node;		/* the node running it, RC_IOC_NO_NODE */
	bool resync;		/* a RAID 5 resync, not a rebuild */
};
void rc_rebuild_progress(unsigned int n, struct rc_rebuild_progress *p);
bool rc_rebuild_r5_in_sync(const struct rc_ldev *ld, u64 row);	/* any context */
void rc_rebuild_take(struct rc_ldev *ld);		/* rc.lock held */
void rc_rebuild_follow(struct rc_ldev *ld, const struct rc_ld *rec); /* rc.lock */
void rc_rebuild_init_host(void);
void rc_rebuild_exit_host(void);
extern struct device_attribute dev_attr_rebuild;	/* sysfs.c lists it */
const struct rc_level_ops *rc_level_ops_find(unsigned int level);

/* pr.c: persistent reservations of rclN */
extern const struct pr_ops rc_pr_ops;

/* ctl.c: /dev/raidcluster */
int rc_ctl_init(void);
void rc_ctl_exit(void);

/* sysfs.c: attribute group of rclN, /proc/raidcluster */
extern const struct attribute_group *rc_ld_attr_groups[];
extern const struct attribute_group *rc_ctl_attr_groups[];	/* misc dev */
/* the level-specific attributes it lists (raid5_sysfs.c, rebuild.c) */
extern struct attribute *rc_raid5_attrs[];
extern struct device_attribute dev_attr_stripe_cache_size;
extern struct device_attribute dev_attr_stripe_cache_active;
extern struct device_attribute dev_attr_raid5_zero_copy;
extern struct device_attribute dev_attr_rebuild_speed_min;
extern struct device_attribute dev_attr_rebuild_speed_max;
extern struct device_attribute dev_attr_sync_action;
int rc_proc_init(void);
void rc_proc_exit(void);

#endif /* RC_KERNEL_RC_H */
