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
 * whole chunk (RAID 1: to a whole 4 KiB block, 8 sectors).  Capacity is
 * member length x data members (RAID 0: n, RAID 1: 1, RAID 10: n/2,
 * RAID 5: n-1).
 *
 * Example, RAID 5 over 4 members (D = data chunk number k, P = parity):
 *
 *   row   member 0  member 1  member 2  member 3
 *   0     D0        D1        D2        P
 *   1     D4        D5        P         D3
 *   2     D8        P         D6        D7
 *   3     P         D9        D10       D11
 *   4     D12       D13       D14       P        (repeats every n rows)
 *
 * Within a row every member uses the same offsets (row * c .. row * c + c),
 * so the parity of a sector is the XOR of that same offset on the other
 * members of the row: a degraded read of member m rebuilds it from
 * rc_geom_r5_row_members() minus m.
 *
 * Minimum members: RAID 0: 2, RAID 1: 2, RAID 5: 3, RAID 10: 4 (even);
 * at most RC_MAX_EXTENTS.  The chunk is validated for every level (it also
 * sets io_min/io_opt), RAID 1 included.
 */
#ifndef RC_GEOM_H
#define RC_GEOM_H

#include "rc_base.h"

#define RC_GEOM_MAX_COPIES 16	/* RAID 1 over up to RC_MAX_EXTENTS members */
#define RC_GEOM_MAX_MEMBERS 16	/* == RC_MAX_EXTENTS */
#define RC_GEOM_MIN_CHUNK 8	/* sectors: 4 KiB */
#define RC_GEOM_MAX_CHUNK 2048	/* sectors: 1 MiB */
#define RC_GEOM_NO_MEMBER 0xffffu	/* rc_loc.parity when there is none */

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
	u16 parity;		/* RAID 5: parity member; else NO_MEMBER */
	u64 row;		/* RAID 0/5/10: stripe row number */
};

/*
 * Set up @g for @level over @nmembers extents of at least @min_extent_len
 * sectors with chunk @chunk.  Returns 0 or -EINVAL (level/member count/
 * chunk not supported; chunk must be a power of 2 in 8..2048), or -ENOSPC
 * when the members are too small to hold one chunk (one 4 KiB block for
 * RAID 1) or the capacity would not fit in 64 bits.  @g is zeroed on error.
 */
int rc_geom_init(struct rc_geom *g, unsigned int level, unsigned int nmembers,
		 u32 chunk, u64 min_extent_len);

/* Minimum members for @level (0 if the level is unknown). */
unsigned int rc_geom_min_members(unsigned int level);

/*
 * Map the first piece of [lba, lba + len) (lba + len <= capacity):
 * fills @loc; loc->len is the sectors mapped (<= len, stops at a chunk end).
 * A request past the capacity is clamped to it; at or past the end (or
 * len 0) loc->len is 0, so a caller loop always terminates.
 */
void rc_geom_map(const struct rc_geom *g, u64 lba, u32 len, struct rc_loc *loc);

/* Is @chunk a supported stripe unit (power of 2 in 8..2048 sectors)? */
bool rc_geom_chunk_ok(u32 chunk);

/* RAID 5: member that holds data chunk @idx (0..n-2) of @row. */
u16 rc_geom_r5_data_member(const struct rc_geom *g, u64 row, unsigned int idx);

/* RAID 5: parity member of @row. */
u16 rc_geom_r5_parity_member(const struct rc_geom *g, u64 row);

/*
 * RAID 5: data chunk index (0..n-2) that @member holds in @row, or -1 when
 * it holds the row's parity.  Inverse of rc_geom_r5_data_member().
 */
int rc_geom_r5_data_index(const struct rc_geom *g, u64 row, u16 member);

/*
 * RAID 5: the members of @row in order: @members[0..n-2] hold data chunks
 * 0..n-2, @members[n-1] the parity (n = g->nmembers entries written).
 */
void rc_geom_r5_row_members(const struct rc_geom *g, u64 row, u16 *members);

/*
 * Inverse of rc_geom_map(): the logical sector stored at sector @offset of
 * member @member.  Returns 0 with *@lba set, -ENOENT when that sector holds
 * RAID 5 parity, -ERANGE when @member or @offset is out of range.  For
 * RAID 1/10 every copy maps back to the same lba.  Rebuild and resync walk
 * members with it.
 */
int rc_geom_unmap(const struct rc_geom *g, u16 member, u64 offset, u64 *lba);

/* Sectors of one full data stripe (chunk * data members). */
static inline u64 rc_geom_stripe_data_sectors(const struct rc_geom *g)
{
	return (u64)g->chunk * g->data_members;
}

#endif /* RC_GEOM_H */
