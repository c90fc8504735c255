/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * RAID geometry: where a logical block of a logical drive lives on its
 * member extents.  Pure arithmetic, shared by the kernel data path, the
 * rebuild engine and the tools.
 *
 * Layouts (n = members, c = stripe unit "chunk" in sectors, k = lba / c):
 *   RAID 0   member k % n, offset (k / n) * c + lba % c
 *   RAID 1   every member, offset lba
 *   RAID 10  near layout, 2 copies: pair p = k % (n/2) on members 2p, 2p+1,
 *            offset (k / (n/2)) * c + lba % c; n even, >= 4
 *   RAID 5   left-symmetric (md's default): row r = k / (n-1),
 *            parity member P = (n-1) - r % n, data member (P + 1 + k % (n-1)) % n,
 *            offset r * c + lba % c; n >= 3
 * Every member uses the same length: the shortest extent rounded down to a
 * whole chunk (RAID 1: to a whole 4 KiB block).
 */
#ifndef RC_GEOM_H
#define RC_GEOM_H

#include "rc_base.h"

#define RC_GEOM_MAX_COPIES 16	/* RAID 1 over up to RC_MAX_EXTENTS members */

struct rc_geom {
	u8 level;		/* enum rc_raid_level */
	u16 nmembers;
	u32 chunk;		/* sectors, power of 2 */
	u32 chunk_shift;	/* log2(chunk) */
	u64 member_sectors;	/* usable sectors per member */
	u64 capacity;		/* sectors exposed */
	u16 data_members;	/* members that hold distinct data per row */
};

/* Where one piece of a request lives. */
struct rc_loc {
	u64 offset;		/* sector within each member extent */
	u32 len;		/* sectors, never crosses a chunk boundary */
	u16 ncopies;		/* RAID 1/10: members holding copies; else 1 */
	u16 member[RC_GEOM_MAX_COPIES];	/* [0..ncopies) */
	u16 parity;		/* RAID 5: parity member of the row */
	u64 row;		/* RAID 0/5/10: stripe row number */
};

/*
 * Set up @g for @level over @nmembers extents of at least @min_extent_len
 * sectors with chunk @chunk.  Returns 0 or -EINVAL (level/member count/
 * chunk not supported; chunk must be a power of 2 in 8..2048).
 */
int rc_geom_init(struct rc_geom *g, unsigned int level, unsigned int nmembers,
		 u32 chunk, u64 min_extent_len);

/* Minimum members for @level (0 if the level is unknown). */
unsigned int rc_geom_min_members(unsigned int level);

/*
 * Map the first piece of [lba, lba + len) (lba + len <= capacity):
 * fills @loc; loc->len is the sectors mapped (<= len, stops at a chunk end).
 */
void rc_geom_map(const struct rc_geom *g, u64 lba, u32 len, struct rc_loc *loc);

/* RAID 5: member that holds data chunk @idx (0..n-2) of @row. */
u16 rc_geom_r5_data_member(const struct rc_geom *g, u64 row, unsigned int idx);

/* RAID 5: parity member of @row. */
u16 rc_geom_r5_parity_member(const struct rc_geom *g, u64 row);

/* Sectors of one full data stripe (chunk * data members). */
static inline u64 rc_geom_stripe_data_sectors(const struct rc_geom *g)
{
	return (u64)g->chunk * g->data_members;
}

#endif /* RC_GEOM_H */
