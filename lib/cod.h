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
#include "geom.h"
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
	u32 flags;			/* RC_COD_F_* */
	u32 writer_node;
	u64 stamp;
	u32 ndisks;			/* disks[0..ndisks) may be in use */
	u32 nlds;			/* lds[0..nlds) may be in use */
	struct rc_disk disks[RC_MAX_DISKS];
	struct rc_ld lds[RC_MAX_LDS];
};

/*
 * A @why buffer of this size holds every reason of this file untruncated
 * for names and serials of any length and sector numbers of up to 11
 * digits (reasons are one line, no newline); it is RC_IOC_MSG_LEN, the
 * message field of the control ioctls.
 *
 * COD buffers (@buf below) must be 8-byte aligned: the codec reads them as
 * the on-disk structs.  kmalloc, vmalloc, page and malloc buffers are.
 */
#define RC_COD_WHY_LEN 96

/* Why a COD copy was refused (negative errno values). */
#define RC_COD_ENOCOD	(-ENOENT)	/* no magic: not a raidcluster disk */
#define RC_COD_ECRC	(-EBADMSG)	/* torn or corrupt copy */
#define RC_COD_EVERSION	(-EPROTO)	/* written by a newer format */
#define RC_COD_EINVAL	(-EINVAL)	/* a field out of bounds */

/* Zero @cfg: no disks, no drives, generation 0. */
void rc_config_init(struct rc_config *cfg, const u8 cluster_uuid[16]);

/*
 * Encode @cfg into @buf (RC_COD_BYTES, fully written, CRC set).
 * Returns 0, or RC_COD_EINVAL if a count or string does not fit or
 * rc_config_validate() refuses @cfg: whatever encodes, decodes, so a node
 * never writes a COD that it (or a peer) would refuse to read back.  Free
 * records (state UNUSED) are written as zeros whatever they hold, and
 * ndisks/nlds are written as highest record in use + 1.
 */
int rc_cod_encode(const struct rc_config *cfg, void *buf);

/*
 * Decode one copy of @len bytes (must be RC_COD_BYTES).  Returns 0 with
 * @cfg filled, or an RC_COD_E* code; @cfg is undefined on error.
 * Includes rc_config_validate().
 *
 * Checks run in this order, so the code says what a reader must do:
 * length (EINVAL), magic (ENOCOD: not ours), CRC (ECRC: torn or corrupt,
 * try the other copy), version (EVERSION: a newer format, leave the disk
 * alone; version 0 is EINVAL), then every field (EINVAL).  Magic, version
 * and crc keep their offsets and the CRC rule in every future version, so
 * a newer copy is told apart from a corrupt one.
 */
int rc_cod_decode(const void *buf, size_t len, struct rc_config *cfg);

/* rc_cod_decode() that also says why in @why (may be NULL). */
int rc_cod_decode_why(const void *buf, size_t len, struct rc_config *cfg,
		      char *why, size_t whylen);

/* Short text for an rc_cod_decode() result ("bad CRC (torn or corrupt)"). */
const char *rc_cod_strerror(int err);

/*
 * Every rule of a configuration in memory: counts, states, levels, WWN
 * lengths, printable serials and names, no two disks with one identity,
 * and per drive: number == index, valid name unique among drives, member
 * count for the level, stripe, extents on disks in use, past
 * RC_DATA_START_SECTOR, inside their disk, no disk twice, no overlap with
 * any other extent, capacity == rc_ld_geom() capacity, resync_pos and
 * rebuild_pos in range.  Records with state UNUSED are ignored.
 * Returns 0 or -EINVAL with a one-line reason in @why (may be NULL).
 */
int rc_config_validate(const struct rc_config *cfg, char *why, size_t whylen);

/*
 * Would @ld (number/state/capacity/uuid ignored) be a valid new drive in
 * @cfg (assumed valid)?  Checks the name, level, member count, stripe, a
 * free drive number, that each extent is on an ONLINE disk, inside it, past
 * RC_DATA_START_SECTOR, overlapping nothing and on a disk no other member
 * uses, and that the members hold at least one chunk.  Returns 0,
 * -EINVAL (bad request), -EEXIST (name taken), -EBUSY (extent overlaps),
 * -ENOSPC (extent past the end, members too small, no free number),
 * -ENODEV (no such disk, or disk not online) with @why set.
 */
int rc_config_check_new_ld(const struct rc_config *cfg, const struct rc_ld *ld,
			   char *why, size_t whylen);

/*
 * The geometry of @ld from its level, members and stripe; the member length
 * is its shortest extent.  Returns rc_geom_init()'s result.
 */
int rc_ld_geom(const struct rc_ld *ld, struct rc_geom *g);

/* Is @name a valid drive name: 1..RC_NAME_LEN of A-Z a-z 0-9 . _ -, the
 * first a letter or digit?
 */
bool rc_ld_name_ok(const char *name);

/* Number of the drive named @name, or -ENOENT. */
int rc_config_find_ld(const struct rc_config *cfg, const char *name);

/* Lowest free drive number, or -ENOSPC when all RC_MAX_LDS are in use. */
int rc_config_free_ld(const struct rc_config *cfg);

/* One decoded copy offered to rc_cod_pick(). */
struct rc_cod_copy {
	int status;			/* rc_cod_decode() result */
	u32 crc;			/* header CRC of the copy (when status 0) */
	u64 generation;
	u8 cluster_uuid[16];
};

/*
 * Pick the copy to use among @n candidates from all disks: the highest
 * generation among valid copies whose cluster UUID matches @cluster_uuid
 * (NULL: any cluster, but all valid copies must agree on one UUID, else
 * -EXDEV).  Returns the index, or -ENOENT when no copy is valid, or -EXDEV
 * when valid copies exist but none is of @cluster_uuid.  Among copies of
 * equal generation the first wins.  Copies with status != 0 (torn, newer,
 * foreign magic) are skipped.
 */
int rc_cod_pick(const struct rc_cod_copy *c, unsigned int n,
		const u8 *cluster_uuid);

/* Fill @c from an rc_cod_decode() result and the config it decoded. */
void rc_cod_copy_set(struct rc_cod_copy *c, int status,
		     const struct rc_config *cfg);

/* Index of the disk with this identity, or -ENOENT. WWN wins, else serial. */
int rc_config_find_disk(const struct rc_config *cfg, const u8 *wwn,
			unsigned int wwn_len, const char *serial);

/*
 * A disk inserted at @channel:@target, where a failed member's disk was,
 * replaces that member (the patent's "removal and insertion of a physical
 * drive"): the lowest-numbered drive, not RAID 0, that has a FAILED
 * extent on a FAILED or MISSING disk recorded at @channel:@target (a drive
 * with another member being rebuilt too: its rebuild starts after that
 * one).  Returns the drive number with *@member set to that
 * extent, or -ENOENT.  A disk that carried extents of several drives is
 * replaced for the first of them; the others need a spare or a rebuild.
 */
int rc_config_find_replaced(const struct rc_config *cfg, unsigned int channel,
			    unsigned int target, unsigned int *member);

/* Names for states and levels, for logs and tools ("optimal", "raid5"). */
const char *rc_disk_state_name(unsigned int state);
const char *rc_ld_state_name(unsigned int state);
const char *rc_extent_state_name(unsigned int state);
const char *rc_level_name(unsigned int level);

#endif /* RC_COD_H */
