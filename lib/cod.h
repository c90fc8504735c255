/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The configuration in memory (host byte order) and its COD codec.
 *
 * struct rc_config is what the kernel keeps and what the tools decode; the
 * on-disk form is include/raidcluster/cod.h.  Encoding is total (any valid
 * config encodes); decoding checks magic, version, CRC and every bound, and
 * rc_config_validate() checks the cross-record rules (extents inside their
 * disk and the data area, no overlaps, member counts per level, unique
 * names), so a COD written by a buggy or hostile peer is refused, not used.
 */
#ifndef RC_COD_H
#define RC_COD_H

#include "rc_base.h"
#include "../include/raidcluster/cod.h"

struct rc_disk {
	u8 wwn[RC_WWN_LEN];
	u8 wwn_len;			/* 0, 8 or 16 */
	u8 state;			/* enum rc_disk_state */
	u8 channel, target;
	char serial[RC_SERIAL_LEN + 1];	/* NUL terminated */
	u64 capacity;			/* sectors */
	u8 uuid[16];
};

struct rc_extent {
	u16 disk;			/* index into rc_config.disks */
	u8 state;			/* enum rc_extent_state */
	u64 start, length;		/* sectors */
	u64 rebuild_pos;		/* sectors of the extent rebuilt */
};

struct rc_ld {
	u32 number;			/* == index in rc_config.lds */
	u8 state;			/* enum rc_ld_state; UNUSED = free */
	u8 level;			/* enum rc_raid_level */
	u16 nextents;
	u32 stripe_sectors;
	u64 capacity;			/* sectors, rc_geom_capacity() */
	char name[RC_NAME_LEN + 1];	/* NUL terminated */
	u8 uuid[16];
	u64 resync_pos;
	struct rc_extent ext[RC_MAX_EXTENTS];
};

struct rc_config {
	u8 cluster_uuid[16];
	u64 generation;
	u32 writer_node;
	u64 stamp;
	u32 ndisks;			/* disks[0..ndisks) may be in use */
	u32 nlds;			/* lds[0..nlds) may be in use */
	struct rc_disk disks[RC_MAX_DISKS];
	struct rc_ld lds[RC_MAX_LDS];
};

/* Why a COD copy was refused (negative errno values). */
#define RC_COD_ENOCOD	(-ENOENT)	/* no magic: not a raidcluster disk */
#define RC_COD_ECRC	(-EBADMSG)	/* torn or corrupt copy */
#define RC_COD_EVERSION	(-EPROTO)	/* written by a newer format */
#define RC_COD_EINVAL	(-EINVAL)	/* a field out of bounds */

/* Zero @cfg: no disks, no drives, generation 0. */
void rc_config_init(struct rc_config *cfg, const u8 cluster_uuid[16]);

/*
 * Encode @cfg into @buf (RC_COD_BYTES, fully written, CRC set).
 * Returns 0, or RC_COD_EINVAL if a count or string does not fit.
 */
int rc_cod_encode(const struct rc_config *cfg, void *buf);

/*
 * Decode one copy of @len bytes (must be RC_COD_BYTES).  Returns 0 with
 * @cfg filled, or an RC_COD_E* code; @cfg is undefined on error.
 * Includes rc_config_validate().
 */
int rc_cod_decode(const void *buf, size_t len, struct rc_config *cfg);

/*
 * Cross-record checks.  Returns 0 or -EINVAL with a one-line reason in
 * @why (may be NULL).
 */
int rc_config_validate(const struct rc_config *cfg, char *why, size_t whylen);

/*
 * Would @ld (number/state ignored) be a valid new drive in @cfg?  Checks the
 * name, level, member count, stripe, that each extent is on an ONLINE disk,
 * inside it, past RC_DATA_START_SECTOR and overlapping nothing.  Returns 0,
 * -EINVAL (bad request), -EEXIST (name taken), -EBUSY (extent overlaps),
 * -ENOSPC (extent past the end), -ENODEV (no such disk) with @why set.
 */
int rc_config_check_new_ld(const struct rc_config *cfg, const struct rc_ld *ld,
			   char *why, size_t whylen);

/* One decoded copy offered to rc_cod_pick(). */
struct rc_cod_copy {
	int status;			/* rc_cod_decode() result */
	u64 generation;
	u8 cluster_uuid[16];
};

/*
 * Pick the copy to use among @n candidates from all disks: the highest
 * generation among valid copies whose cluster UUID matches @cluster_uuid
 * (NULL: any cluster, but all valid copies must agree on one UUID, else
 * -EXDEV).  Returns the index, or -ENOENT when no copy is valid.
 */
int rc_cod_pick(const struct rc_cod_copy *c, unsigned int n,
		const u8 *cluster_uuid);

/* Index of the disk with this identity, or -ENOENT. WWN wins, else serial. */
int rc_config_find_disk(const struct rc_config *cfg, const u8 *wwn,
			unsigned int wwn_len, const char *serial);

/* Names for states and levels, for logs and tools ("optimal", "raid5"). */
const char *rc_disk_state_name(unsigned int state);
const char *rc_ld_state_name(unsigned int state);
const char *rc_extent_state_name(unsigned int state);
const char *rc_level_name(unsigned int level);

#endif /* RC_COD_H */
