/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * User ABI of the control device /dev/raidcluster (misc device, every
 * ioctl needs CAP_SYS_ADMIN).
 *
 * Every argument struct starts with struct rc_ioc_hdr.  The caller sets
 * version = RC_IOCTL_VERSION and size = sizeof(the whole struct); the
 * kernel refuses anything else with -EPROTO (version) or -EINVAL (size), so
 * a newer struct is never misread.  Reserved fields must be zero in and are
 * zero out.  On failure the kernel still copies the header back with a
 * NUL-terminated one-line reason in msg[] (empty when it has none), and the
 * ioctl returns -1 with errno set.
 */
#ifndef RAIDCLUSTER_IOCTL_H
#define RAIDCLUSTER_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RC_CTL_NAME "raidcluster"	/* /dev/raidcluster */
#define RC_IOCTL_VERSION 1u
#define RC_IOC_MSG_LEN 96

struct rc_ioc_hdr {
	__u32 version;
	__u32 size;
	char msg[RC_IOC_MSG_LEN];	/* out: reason of a failure */
};

/* RC_IOC_INFO: module and cluster summary. */
struct rc_ioc_info {
	struct rc_ioc_hdr hdr;
	char module_version[32];	/* out */
	__u32 max_disks;		/* out: RC_MAX_DISKS */
	__u32 max_lds;			/* out: RC_MAX_LDS */
	__u32 max_extents;		/* out: RC_MAX_EXTENTS */
	__u32 ndisks;			/* out: disk records in use */
	__u32 nlds;			/* out: logical drives in use */
	__u32 node_id;			/* out: this node's ID */
	__u64 cod_generation;		/* out: generation last written/read */
	__u8 cluster_uuid[16];		/* out: zero until a COD exists */
	__u32 cod_flags;		/* out: the policies, RC_COD_F_* */
	__u32 reserved[7];
};

/*
 * RC_IOC_ATTACH: open a disk exclusively and make it a member disk.
 *
 * RC_ATTACH_REPLACEMENT (udev, a disk inserted): a disk that carries no
 * COD is attached only when it sits at the channel and target of a failed
 * or missing disk whose member a degraded drive still lacks
 * (rc_config_find_replaced()); on the master (or a node alone) that
 * member's rebuild onto it is then started.  Anywhere else it is attached
 * only under the policy RC_COD_F_INSERT_SPARE, and the master makes it a
 * hot spare (RC_ATTACH_SPARE).  Otherwise nothing is done:
 * 0 is returned with @result RC_ATTACH_NOT_WANTED and the reason in
 * hdr.msg.  A disk that carries a COD is attached as without the flag.
 * The caller checks that the disk is blank (the kernel only that it has
 * no COD).
 */
#define RC_ATTACH_PATH_LEN 256
#define RC_ATTACH_REPLACEMENT 0x1u
#define RC_ATTACH_FLAGS RC_ATTACH_REPLACEMENT

/* struct rc_ioc_attach.result */
enum rc_attach_result {
	RC_ATTACH_DONE = 0,		/* attached */
	RC_ATTACH_NOT_WANTED = 1,	/* left alone (RC_ATTACH_REPLACEMENT) */
	RC_ATTACH_REBUILDING = 2,	/* attached, a rebuild onto it started */
	RC_ATTACH_SPARE = 3,		/* attached as a hot spare (policy) */
};

struct rc_ioc_attach {
	struct rc_ioc_hdr hdr;
	char path[RC_ATTACH_PATH_LEN];	/* in: block device, NUL terminated */
	__u32 flags;			/* in: RC_ATTACH_* */
	__u32 index;			/* out: disk record index */
	__u32 nlds_found;		/* out: drives re-created from its COD */
	__u32 result;			/* out: enum rc_attach_result */
	__u32 rebuild_ld;		/* out: RC_ATTACH_REBUILDING: the drive */
	__u32 reserved[3];
};

/* RC_IOC_DETACH: forget a member disk that no logical drive uses. */
struct rc_ioc_detach {
	struct rc_ioc_hdr hdr;
	__u32 index;			/* in */
	__u32 reserved[7];
};

/* RC_IOC_DISK_INFO: one disk record and its runtime state. */
struct rc_ioc_disk_info {
	struct rc_ioc_hdr hdr;
	__u32 index;			/* in */
	__u32 state;			/* out: enum rc_disk_state */
	__u32 present;			/* out: 1 when opened on this node */
	__u32 major, minor;		/* out: when present */
	__u32 wwn_len;			/* out */
	__u8 wwn[16];			/* out */
	/*
	 * out: NUL padded, and not NUL terminated when the serial has all 40
	 * bytes (VPD 0x80 allows it): read it with strnlen(serial, 40).
	 */
	char serial[40];
	__u64 capacity;			/* out: sectors */
	__u64 read_errors;		/* out: since attach */
	__u64 write_errors;		/* out: since attach */
	char name[32];			/* out: kernel name, e.g. "sdb" */
	__u32 pr_state;			/* out: enum rc_disk_pr_state */
	__u32 reserved2;
	__u64 pr_key;			/* out: this node's key on it, or 0 */
	__u32 reserved[4];
};

/*
 * rc_ioc_disk_info.pr_state: this node's SCSI-3 persistent reservation
 * registration on the disk (Documentation/kernel.md, "Persistent
 * reservations").
 */
enum rc_disk_pr_state {
	RC_DISK_PR_UNKNOWN = 0,		/* not tried: not present, no life yet */
	RC_DISK_PR_REGISTERED = 1,	/* pr_key is registered */
	RC_DISK_PR_UNSUPPORTED = 2,	/* the disk has no PR (ILLEGAL REQUEST) */
	RC_DISK_PR_FAILED = 3,		/* PR, but the registration failed */
	RC_DISK_PR_OFF = 4,		/* not tried: module option pr_fencing=0 */
};

struct rc_ioc_extent {
	__u32 disk;			/* disk record index */
	__u32 state;			/* out: enum rc_extent_state */
	__u64 start;			/* sectors, >= RC_DATA_START_SECTOR */
	__u64 length;			/* sectors */
	__u64 rebuild_pos;		/* out */
};

/* RC_IOC_CREATE: a new logical drive from extents of member disks. */
struct rc_ioc_create {
	struct rc_ioc_hdr hdr;
	char name[32];			/* in: unique, [A-Za-z0-9_.-], NUL ended */
	__u32 level;			/* in: 0, 1, 5 or 10 */
	__u32 stripe_sectors;		/* in: power of 2, 8..2048; 0 = 128 */
	__u32 nextents;			/* in */
	__u32 number;			/* out: N of /dev/rclN */
	__u64 capacity;			/* out: sectors */
	struct rc_ioc_extent extents[16];	/* in */
	__u32 flags;			/* in: RC_CREATE_F_* */
	__u32 reserved[7];
};

/*
 * rc_ioc_create.flags.  A new RAID 5 builds its parity in the background
 * (a resync; until it has passed a row, writes there use reconstruct-
 * write).  ASSUME_CLEAN skips that, as mdadm --assume-clean: only right
 * when every member is known to hold consistent parity already (e.g. all
 * zeroed).  RAID 0/1/10 are never resynced at creation.
 */
#define RC_CREATE_F_ASSUME_CLEAN 0x1u

/* RC_IOC_DELETE: remove a logical drive that nobody has open. */
struct rc_ioc_delete {
	struct rc_ioc_hdr hdr;
	__u32 number;			/* in */
	__u32 reserved[7];
};

/*
 * RC_IOC_RUN: bring up a logical drive whose members are not all attached
 * (e.g. a disk was pulled while the module was down).  Missing members are
 * marked failed and the drive starts degraded, or refuses with -ENODEV if
 * it would be offline.  Drives whose members are all present start by
 * themselves when the last one is attached.
 */
struct rc_ioc_run {
	struct rc_ioc_hdr hdr;
	__u32 number;			/* in */
	__u32 reserved[7];
};

/* RC_IOC_LD_INFO: one logical drive. */
struct rc_ioc_ld_info {
	struct rc_ioc_hdr hdr;
	__u32 number;			/* in */
	__u32 state;			/* out: enum rc_ld_state */
	__u32 level;			/* out */
	__u32 stripe_sectors;		/* out */
	__u32 nextents;			/* out */
	__u32 open_count;		/* out */
	__u64 capacity;			/* out: sectors */
	char name[32];			/* out */
	__u64 rebuild_done;		/* out: sectors rebuilt, 0 if none */
	__u64 rebuild_total;		/* out: sectors to rebuild */
	__u64 rebuild_rate;		/* out: sectors per second, recent */
	struct rc_ioc_extent extents[16];	/* out */
	__u32 flags;			/* out: RC_LD_F_* */
	__u32 holder;			/* out: node holding its reservation,
					 * RC_IOC_NO_NODE when none
					 */
	__u32 rebuild_node;		/* out: node running the rebuild,
					 * RC_IOC_NO_NODE when none or not
					 * known (a resync runs here)
					 */
	__u32 reserved[5];
};

/*
 * rc_ioc_ld_info.flags: RUNNING when /dev/rclN exists.  A drive known from
 * the COD whose members are not all attached yet is not running (start it
 * degraded with RC_IOC_RUN).
 */
#define RC_LD_F_RUNNING 0x1u
/* The rebuild_* progress fields describe a RAID 5 resync, not a rebuild. */
#define RC_LD_F_RESYNC 0x2u

/*
 * RC_IOC_REBUILD: rebuild the failed member of running drive @number onto
 * attached disk @disk (a disk record no drive uses).  The new extent starts
 * at RC_DATA_START_SECTOR; the copy runs in the background while the drive
 * serves I/O, its position checkpointed in the COD (a reload resumes it).
 * Progress: RC_IOC_LD_INFO rebuild_done/total/rate.
 */
struct rc_ioc_rebuild {
	struct rc_ioc_hdr hdr;
	__u32 number;			/* in: drive */
	__u32 disk;			/* in: disk record index of the new disk */
	__u32 member;			/* out: extent (member) being rebuilt */
	__u32 reserved[5];
};

/*
 * RC_IOC_SPARE: make attached disk @disk (no drive uses it) a hot spare
 * (@spare = 1; COD disk state SPARE) or an ordinary free disk again (0).
 * When a RAID 1/5/10 drive is degraded, the module starts a rebuild onto a
 * spare that is large enough by itself (and at once if one is degraded).
 */
struct rc_ioc_spare {
	struct rc_ioc_hdr hdr;
	__u32 disk;			/* in: disk record index */
	__u32 spare;			/* in: 1 = hot spare, 0 = not */
	__u32 reserved[6];
};

/*
 * RC_IOC_POLICY: the cluster's policies, RC_COD_F_* in the COD header
 * (cod.h).  The bits of @mask are set to those of @flags (@mask 0 only
 * reads); @flags returns all of them.  A configuration change: on a slave
 * it goes to the master.
 */
struct rc_ioc_policy {
	struct rc_ioc_hdr hdr;
	__u32 mask;			/* in: RC_COD_F_* to change */
	__u32 flags;			/* in: their new values; out: all */
	__u32 reserved[6];
};

/* No node: rc_ioc_ld_info.holder, rc_ioc_node_info.master. */
#define RC_IOC_NO_NODE 0xffu

/*
 * RC_IOC_NODE_INFO: the cluster as this node sees it.  The caller sets @id
 * (0..31); the answer says what this node knows of node @id from its slot
 * on the shared disks, and always this node's own ID (@self) and whether
 * its protocol node runs.  For @id == @self the values are this node's.
 * The state and info names are the patent's (figure 7), e.g.
 * "active_slave" / "completed_startup".
 */
struct rc_ioc_node_info {
	struct rc_ioc_hdr hdr;
	__u32 id;			/* in */
	__u32 self;			/* out: this node's ID */
	__u32 flags;			/* out: RC_NODE_F_* */
	__u8 state;			/* out: enum rc_node_state */
	__u8 info;			/* out: enum rc_node_info */
	__u8 master;			/* out: the master it names, or NO_NODE */
	__u8 connected;			/* out: Connected_Channels bitmap */
	__u8 comm_channel;		/* out: node-communications channel */
	__u8 reserved0[3];
	__u32 incarnation;		/* out */
	__u64 heartbeat;		/* out: heartbeat counter of its slot */
	__u64 hb_age_ms;		/* out: since its heartbeat last moved */
	char state_name[24];		/* out */
	char info_name[32];		/* out */
	__u32 reserved[4];
};

/* rc_ioc_node_info.flags */
#define RC_NODE_F_RUNNING 0x01u		/* this node's protocol node runs */
#define RC_NODE_F_KNOWN 0x02u		/* a valid slot of @id was read */
#define RC_NODE_F_LIVE 0x04u		/* its heartbeat advances */
#define RC_NODE_F_BOOTING 0x08u		/* its slot says it is starting */
#define RC_NODE_F_SUSPENDED 0x10u	/* its slot says it is suspended */
#define RC_NODE_F_SELF 0x20u		/* @id is this node */
#define RC_NODE_F_NEXUS 0x40u		/* this node is in nexus */
/*
 * This node fences at the disks: its persistent-reservation key is on
 * every member disk it reaches (else it runs on the lease alone).  Set
 * whatever @id is: it is this node's mode.
 */
#define RC_NODE_F_DISK_PR 0x80u
/*
 * This node's view: the life of @id its slot shows is fenced -- killed
 * (Node_Kill, or declared failed), its lease waited out and, with disk
 * PR, its key off the member disks.  A new life (a reboot, 'node resume')
 * clears it.  What fence_raidcluster's "status" reports as OFF.
 */
#define RC_NODE_F_FENCED 0x100u

/*
 * RC_IOC_RESERVE / RC_IOC_RELEASE: the SCSI Reserve() / Release() of
 * logical drive @number, forwarded to every node (figures 10 and 19).
 * Reserve fails with EBUSY when another node holds the drive (@holder says
 * which, msg too) and EAGAIN when this node is not in nexus.  While a node
 * holds a drive, the other nodes' I/O to it ends with a reservation
 * conflict and their opens for writing are refused.
 */
struct rc_ioc_reserve {
	struct rc_ioc_hdr hdr;
	__u32 number;			/* in: drive */
	__u32 flags;			/* in: none defined, must be 0 */
	__u32 holder;			/* out: holder now, RC_IOC_NO_NODE */
	__u32 reserved[5];
};

/*
 * RC_IOC_NODE_RESUME: this node, suspended (killed, or it lost its cables,
 * or timed out joining), starts again with a new incarnation and joins the
 * cluster as a slave; the call returns once it is in nexus.  @id must be
 * this node's ID.  EALREADY when it is not suspended, EAGAIN when it does
 * not get into nexus within the module's join timeout (msg says why).
 *
 * RC_IOC_NODE_KILL: Node_Kill to node @id (an administrator, a fence
 * agent): the cluster declares it failed and it suspends itself when it
 * reads the kill.  Returns once it is fenced -- its lease has run out and
 * its writes in flight have ended (Documentation/protocol.md) -- so its
 * drives may be taken over.  ENOENT when no node @id is known on the
 * disks, EINVAL for this node's own ID.
 */
struct rc_ioc_node_cmd {
	struct rc_ioc_hdr hdr;
	__u32 id;			/* in: node ID */
	__u32 flags;			/* in: none defined, must be 0 */
	__u32 reserved[6];
};

/* Fixed sizes: no implicit padding, identical for every compiler. */
#ifdef __cplusplus
#define RC_IOC_ASSERT(t, n) static_assert(sizeof(struct t) == (n), #t " size")
#else
#define RC_IOC_ASSERT(t, n) _Static_assert(sizeof(struct t) == (n), #t " size")
#endif
RC_IOC_ASSERT(rc_ioc_hdr, 104);
RC_IOC_ASSERT(rc_ioc_info, 216);
RC_IOC_ASSERT(rc_ioc_attach, 392);
RC_IOC_ASSERT(rc_ioc_detach, 136);
RC_IOC_ASSERT(rc_ioc_disk_info, 272);
RC_IOC_ASSERT(rc_ioc_extent, 32);
RC_IOC_ASSERT(rc_ioc_create, 704);
RC_IOC_ASSERT(rc_ioc_delete, 136);
RC_IOC_ASSERT(rc_ioc_ld_info, 736);
RC_IOC_ASSERT(rc_ioc_run, 136);
RC_IOC_ASSERT(rc_ioc_rebuild, 136);
RC_IOC_ASSERT(rc_ioc_spare, 136);
RC_IOC_ASSERT(rc_ioc_policy, 136);
RC_IOC_ASSERT(rc_ioc_node_info, 216);
RC_IOC_ASSERT(rc_ioc_reserve, 136);
RC_IOC_ASSERT(rc_ioc_node_cmd, 136);
#undef RC_IOC_ASSERT

#define RC_IOC_MAGIC 0xcb	/* unused in ioctl-number.rst */

#define RC_IOC_INFO _IOWR(RC_IOC_MAGIC, 0x00, struct rc_ioc_info)
#define RC_IOC_ATTACH _IOWR(RC_IOC_MAGIC, 0x01, struct rc_ioc_attach)
#define RC_IOC_DETACH _IOWR(RC_IOC_MAGIC, 0x02, struct rc_ioc_detach)
#define RC_IOC_DISK_INFO _IOWR(RC_IOC_MAGIC, 0x03, struct rc_ioc_disk_info)
#define RC_IOC_CREATE _IOWR(RC_IOC_MAGIC, 0x04, struct rc_ioc_create)
#define RC_IOC_DELETE _IOWR(RC_IOC_MAGIC, 0x05, struct rc_ioc_delete)
#define RC_IOC_LD_INFO _IOWR(RC_IOC_MAGIC, 0x06, struct rc_ioc_ld_info)
#define RC_IOC_RUN _IOWR(RC_IOC_MAGIC, 0x07, struct rc_ioc_run)
#define RC_IOC_REBUILD _IOWR(RC_IOC_MAGIC, 0x08, struct rc_ioc_rebuild)
#define RC_IOC_SPARE _IOWR(RC_IOC_MAGIC, 0x09, struct rc_ioc_spare)
#define RC_IOC_NODE_INFO _IOWR(RC_IOC_MAGIC, 0x0a, struct rc_ioc_node_info)
#define RC_IOC_RESERVE _IOWR(RC_IOC_MAGIC, 0x0b, struct rc_ioc_reserve)
#define RC_IOC_RELEASE _IOWR(RC_IOC_MAGIC, 0x0c, struct rc_ioc_reserve)
#define RC_IOC_NODE_RESUME _IOWR(RC_IOC_MAGIC, 0x0d, struct rc_ioc_node_cmd)
#define RC_IOC_NODE_KILL _IOWR(RC_IOC_MAGIC, 0x0e, struct rc_ioc_node_cmd)
#define RC_IOC_POLICY _IOWR(RC_IOC_MAGIC, 0x0f, struct rc_ioc_policy)

#endif /* RAIDCLUSTER_IOCTL_H */
