/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Configuration on disk (COD): the cluster's configuration, written in two
 * copies (A then B, see layout.h) on every member disk.  A reader takes the
 * valid copy with the highest generation among all copies on all disks of
 * its cluster; a torn write therefore costs at most one copy.
 *
 * One copy is RC_COD_BYTES long:
 *
 *   offset  size                       content
 *   0       256                        struct rc_cod_header
 *   256     64 x 128   = 8192          struct rc_cod_disk[RC_MAX_DISKS]
 *   8448    32 x 640   = 20480         struct rc_cod_ld[RC_MAX_LDS]
 *   28928   36608                      zero (room for later versions)
 *
 * The CRC32C (Castagnoli, seed ~0, final xor ~0) covers all RC_COD_BYTES
 * with the crc field taken as zero.  All integers are little-endian.
 */
#ifndef RAIDCLUSTER_COD_H
#define RAIDCLUSTER_COD_H

#include "abi.h"
#include "layout.h"

#define RC_COD_MAGIC 0x3130444f434c4352ull	/* "RCLCOD01" read as LE u64 */
#define RC_COD_VERSION 1u

/* struct rc_cod_disk.state */
enum rc_disk_state {
	RC_DISK_UNUSED = 0,	/* record free */
	RC_DISK_ONLINE = 1,	/* member, working */
	RC_DISK_FAILED = 2,	/* an I/O error or a pull took it out */
	RC_DISK_SPARE = 3,	/* hot spare: rebuild target */
	RC_DISK_REBUILDING = 4,	/* being rebuilt onto */
	RC_DISK_MISSING = 5,	/* in the COD but not found at attach */
	RC_DISK_STATE_MAX
};

/* struct rc_cod_ld.level: the RAID level as the admin writes it */
enum rc_raid_level {
	RC_RAID0 = 0,
	RC_RAID1 = 1,
	RC_RAID5 = 5,
	RC_RAID10 = 10,
};

/* struct rc_cod_ld.state */
enum rc_ld_state {
	RC_LD_UNUSED = 0,	/* record free */
	RC_LD_OPTIMAL = 1,
	RC_LD_DEGRADED = 2,	/* redundancy lost, data served */
	RC_LD_OFFLINE = 3,	/* beyond redundancy: every I/O fails */
	RC_LD_REBUILDING = 4,	/* degraded, a rebuild is running */
	RC_LD_STATE_MAX
};

/* struct rc_cod_extent.state: state of one member extent */
enum rc_extent_state {
	RC_EXT_ONLINE = 0,
	RC_EXT_FAILED = 1,
	RC_EXT_REBUILDING = 2,	/* valid below rebuild_pos only */
	RC_EXT_STATE_MAX
};

/*
 * struct rc_cod_header.flags: the cluster's policies.
 * RC_COD_F_INSERT_SPARE: a blank disk inserted where no failed member's
 * disk was (RC_ATTACH_REPLACEMENT) becomes a hot spare; without it such a
 * disk is left alone.  A module that predates a flag refuses the COD.
 */
#define RC_COD_F_INSERT_SPARE 0x1u
#define RC_COD_FLAGS RC_COD_F_INSERT_SPARE

struct rc_cod_header {
	__le64 magic;		/* RC_COD_MAGIC */
	__le32 version;		/* RC_COD_VERSION */
	__le32 crc;		/* CRC32C of the copy, this field as 0 */
	__le64 generation;	/* +1 on every write of the configuration */
	__u8 cluster_uuid[16];	/* set when the cluster is created */
	__le32 ndisks;		/* records in use (highest index + 1) */
	__le32 nlds;		/* records in use (highest number + 1) */
	__le32 writer_node;	/* node ID that wrote this copy */
	__le32 flags;		/* RC_COD_F_*; unknown bits: refused */
	__le64 stamp;		/* writer's wall clock, ns; informational */
	__le32 disk_rec_size;	/* sizeof(struct rc_cod_disk) */
	__le32 ld_rec_size;	/* sizeof(struct rc_cod_ld) */
	__le32 extent_size;	/* sizeof(struct rc_cod_extent) */
	__le32 max_extents;	/* RC_MAX_EXTENTS */
	__u8 reserved[176];	/* zero */
};
RC_STATIC_ASSERT(sizeof(struct rc_cod_header) == 256, "rc_cod_header size");

/* A member disk, identified by WWN (or serial when it has no WWN). */
struct rc_cod_disk {
	__u8 wwn[RC_WWN_LEN];		/* NAA designator, zero padded */
	__u8 serial[RC_SERIAL_LEN];	/* VPD 0x80, NUL padded */
	__le64 capacity;		/* sectors, when attached */
	__u8 wwn_len;			/* 0 (none), 8 or 16 */
	__u8 state;			/* enum rc_disk_state */
	__u8 channel;			/* channel (HBA) it was found on */
	__u8 target;			/* SCSI target on that channel */
	__le32 flags;			/* none defined, must be 0 */
	__u8 disk_uuid[16];		/* random, set at first attach */
	__u8 reserved[40];		/* zero */
};
RC_STATIC_ASSERT(sizeof(struct rc_cod_disk) == 128, "rc_cod_disk size");

/* One member of a logical drive: a contiguous range of one disk. */
struct rc_cod_extent {
	__le16 disk;		/* index into the disk records */
	__u8 state;		/* enum rc_extent_state */
	__u8 reserved0;
	__le32 reserved1;
	__le64 start;		/* first sector, >= RC_DATA_START_SECTOR */
	__le64 length;		/* sectors */
	__le64 rebuild_pos;	/* REBUILDING: sectors of this extent done */
};
RC_STATIC_ASSERT(sizeof(struct rc_cod_extent) == 32, "rc_cod_extent size");

struct rc_cod_ld {
	__le32 number;			/* N of /dev/rclN, == record index */
	__u8 state;			/* enum rc_ld_state */
	__u8 level;			/* enum rc_raid_level */
	__le16 nextents;		/* members in use */
	__le32 stripe_sectors;		/* stripe unit (chunk), power of 2 */
	__le32 flags;			/* none defined, must be 0 */
	__le64 capacity;		/* sectors exposed, from the geometry */
	__u8 name[RC_NAME_LEN];		/* NUL padded, unique */
	__u8 ld_uuid[16];
	__le64 resync_pos;		/* sectors of the drive known in sync */
	__u8 reserved[48];		/* zero */
	struct rc_cod_extent extents[RC_MAX_EXTENTS];
};
RC_STATIC_ASSERT(sizeof(struct rc_cod_ld) == 640, "rc_cod_ld size");

#define RC_COD_DISKS_OFFSET 256u
#define RC_COD_LDS_OFFSET \
	(RC_COD_DISKS_OFFSET + RC_MAX_DISKS * sizeof(struct rc_cod_disk))
#define RC_COD_USED_BYTES \
	(RC_COD_LDS_OFFSET + RC_MAX_LDS * sizeof(struct rc_cod_ld))

RC_STATIC_ASSERT(RC_COD_LDS_OFFSET == 8448, "COD LD records offset");
RC_STATIC_ASSERT(RC_COD_USED_BYTES == 28928, "COD used bytes");
RC_STATIC_ASSERT(RC_COD_USED_BYTES <= RC_COD_BYTES, "COD too large");

#endif /* RAIDCLUSTER_COD_H */
