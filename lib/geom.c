// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RAID geometry (see geom.h for the layouts).  Every 64-bit division goes
 * through div_u64()/div_u64_rem(), which a 32-bit kernel needs; divisions
 * by the chunk are shifts.
 */
#include "rc_base.h"
#include "geom.h"
#include "../include/raidcluster/cod.h"

/* RAID 1 members are used in whole 4 KiB blocks. */
#define RC_GEOM_R1_ALIGN 8u

RC_STATIC_ASSERT(RC_GEOM_MAX_MEMBERS == RC_MAX_EXTENTS,
		 "a drive's members are its extents");
RC_STATIC_ASSERT(RC_GEOM_MAX_COPIES >= RC_MAX_EXTENTS,
		 "RAID 1 over every extent needs a copy slot each");

bool rc_geom_chunk_ok(u32 chunk)
{
	return chunk >= RC_GEOM_MIN_CHUNK && chunk <= RC_GEOM_MAX_CHUNK &&
	       (chunk & (chunk - 1)) == 0;
}

unsigned int rc_geom_min_members(unsigned int level)
{
	switch (level) {
	case RC_RAID0:
	case RC_RAID1:
		return 2;
	case RC_RAID5:
		return 3;
	case RC_RAID10:
		return 4;
	default:
		return 0;
	}
}

static u32 rc_ilog2(u32 v)
{
	u32 r = 0;

	while (v > 1) {
		v >>= 1;
		r++;
	}
	return r;
}

int rc_geom_init(struct rc_geom *g, unsigned int level, unsigned int nmembers,
		 u32 chunk, u64 min_extent_len)
{
	unsigned int min = rc_geom_min_members(level);
	u64 member;
	u16 data;

	memset(g, 0, sizeof(*g));
	if (!min || nmembers < min || nmembers > RC_GEOM_MAX_MEMBERS)
		return -EINVAL;
	if (level == RC_RAID10 && (nmembers & 1))
		return -EINVAL;
	if (!rc_geom_chunk_ok(chunk))
		return -EINVAL;

	switch (level) {
	case RC_RAID0:
		data = nmembers;
		break;
	case RC_RAID1:
		data = 1;
		break;
	case RC_RAID10:
		data = nmembers / 2;
		break;
	default: /* RC_RAID5 */
		data = nmembers - 1;
		break;
	}
	if (level == RC_RAID1)
		member = min_extent_len & ~(u64)(RC_GEOM_R1_ALIGN - 1);
	else
		member = min_extent_len & ~(u64)(chunk - 1);
	if (!member)
		return -ENOSPC;
	if (member > div_u64(~0ull, data))
		return -ENOSPC;

	g->level = level;
	g->nmembers = nmembers;
	g->chunk = chunk;
	g->chunk_shift = rc_ilog2(chunk);
	g->member_sectors = member;
	g->capacity = member * data;
	g->data_members = data;
	return 0;
}

u16 rc_geom_r5_parity_member(const struct rc_geom *g, u64 row)
{
	u32 rem;

	div_u64_rem(row, g->nmembers, &rem);
	return (u16)(g->nmembers - 1 - rem);
}

u16 rc_geom_r5_data_member(const struct rc_geom *g, u64 row, unsigned int idx)
{
	u16 p = rc_geom_r5_parity_member(g, row);

	return (u16)((p + 1 + idx) % g->nmembers);
}

int rc_geom_r5_data_index(const struct rc_geom *g, u64 row, u16 member)
{
	u16 p = rc_geom_r5_parity_member(g, row);

	if (member == p)
		return -1;
	/* member = (p + 1 + idx) mod n  =>  idx = (member - p - 1) mod n */
	return (int)((member + g->nmembers - p - 1) % g->nmembers);
}

void rc_geom_r5_row_members(const struct rc_geom *g, u64 row, u16 *members)
{
	u16 p = rc_geom_r5_parity_member(g, row);
	unsigned int i;

	for (i = 0; i + 1 < g->nmembers; i++)
		members[i] = (u16)((p + 1 + i) % g->nmembers);
	members[g->nmembers - 1] = p;
}

void rc_geom_map(const struct rc_geom *g, u64 lba, u32 len, struct rc_loc *loc)
{
	u64 k = lba >> g->chunk_shift;
	u32 in_chunk = (u32)(lba & (g->chunk - 1));
	u32 rem;
	u64 row;

	memset(loc, 0, sizeof(*loc));
	loc->parity = RC_GEOM_NO_MEMBER;
	if (lba >= g->capacity || !len)
		return;
	if (len > g->capacity - lba)
		len = (u32)(g->capacity - lba);
	loc->len = min_t(u32, len, g->chunk - in_chunk);

	switch (g->level) {
	case RC_RAID1: {
		unsigned int i;

		loc->offset = lba;
		loc->row = k;
		loc->ncopies = g->nmembers;
		for (i = 0; i < g->nmembers; i++)
			loc->member[i] = (u16)i;
		return;
	}
	case RC_RAID0:
		row = div_u64_rem(k, g->nmembers, &rem);
		loc->ncopies = 1;
		loc->member[0] = (u16)rem;
		break;
	case RC_RAID10:
		row = div_u64_rem(k, g->data_members, &rem);
		loc->ncopies = 2;
		loc->member[0] = (u16)(2 * rem);
		loc->member[1] = (u16)(2 * rem + 1);
		break;
	case RC_RAID5:
		row = div_u64_rem(k, g->data_members, &rem);
		loc->ncopies = 1;
		loc->parity = rc_geom_r5_parity_member(g, row);
		loc->member[0] = rc_geom_r5_data_member(g, row, rem);
		break;
	default:
		/* Not set up by rc_geom_init(): map nothing. */
		loc->len = 0;
		return;
	}
	loc->row = row;
	loc->offset = (row << g->chunk_shift) + in_chunk;
}

int rc_geom_unmap(const struct rc_geom *g, u16 member, u64 offset, u64 *lba)
{
	u64 row = offset >> g->chunk_shift;
	u64 in_chunk = offset & (g->chunk - 1);
	u64 k;
	int idx;

	if (member >= g->nmembers || offset >= g->member_sectors)
		return -ERANGE;
	switch (g->level) {
	case RC_RAID1:
		*lba = offset;
		return 0;
	case RC_RAID0:
		k = row * g->nmembers + member;
		break;
	case RC_RAID10:
		k = row * g->data_members + member / 2;
		break;
	case RC_RAID5:
		idx = rc_geom_r5_data_index(g, row, member);
		if (idx < 0)
			return -ENOENT;
		k = row * g->data_members + (u64)idx;
		break;
	default:
		return -ERANGE;
	}
	*lba = (k << g->chunk_shift) + in_chunk;
	return 0;
}
