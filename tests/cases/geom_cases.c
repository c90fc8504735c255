// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RAID geometry: hand-computed tables (the RAID 5 one is md's
 * left-symmetric layout, the RAID 10 one md's near-2 layout), piece
 * splitting at chunk ends, and an exhaustive check that map and unmap are
 * inverse and cover every member sector exactly once (parity excepted).
 */
#include "rc_base.h"
#include "geom.h"
#include "../../include/raidcluster/cod.h"
#include "geom_cases.h"

RC_TEST(geom_init_errors)
{
	struct rc_geom g;

	RC_EXPECT_EQ(rc_geom_init(&g, 7, 4, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 1, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID1, 1, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID5, 2, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID10, 3, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID10, 5, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 17, 128, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 2, 0, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 2, 4, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 2, 12, 1000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 2, 4096, 100000), -EINVAL);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID1, 2, 100, 1000), -EINVAL);
	/* Members smaller than one chunk (RAID 1: one 4 KiB block). */
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 2, 128, 127), -ENOSPC);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID1, 2, 128, 7), -ENOSPC);
	/* Capacity past 64 bits. */
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 16, 8, ~0ull), -ENOSPC);
	RC_EXPECT_EQ(g.capacity, 0);
	RC_EXPECT_EQ(g.nmembers, 0);
	/* The edges that are allowed. */
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID0, 16, 8, 8), 0);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID5, 3, 2048, 2048), 0);
	RC_EXPECT_EQ(rc_geom_init(&g, RC_RAID1, 2, 8, ~0ull), 0);
	RC_EXPECT_EQ(g.capacity, ~0ull - 7);
}

RC_TEST(geom_min_members)
{
	RC_EXPECT_EQ(rc_geom_min_members(RC_RAID0), 2);
	RC_EXPECT_EQ(rc_geom_min_members(RC_RAID1), 2);
	RC_EXPECT_EQ(rc_geom_min_members(RC_RAID5), 3);
	RC_EXPECT_EQ(rc_geom_min_members(RC_RAID10), 4);
	RC_EXPECT_EQ(rc_geom_min_members(2), 0);
	RC_EXPECT_EQ(rc_geom_min_members(6), 0);
	RC_EXPECT_TRUE(rc_geom_chunk_ok(8));
	RC_EXPECT_TRUE(rc_geom_chunk_ok(2048));
	RC_EXPECT_FALSE(rc_geom_chunk_ok(24));
	RC_EXPECT_FALSE(rc_geom_chunk_ok(4096));
}

RC_TEST(geom_capacity)
{
	struct rc_geom g;

	/* RAID 1: member length rounded down to 8 sectors. */
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID1, 2, 128, 1001), 0);
	RC_EXPECT_EQ(g.member_sectors, 1000);
	RC_EXPECT_EQ(g.capacity, 1000);
	RC_EXPECT_EQ(g.data_members, 1);
	RC_EXPECT_EQ(g.chunk_shift, 7);
	/* Others: rounded down to whole chunks. */
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID0, 3, 128, 1000), 0);
	RC_EXPECT_EQ(g.member_sectors, 896);
	RC_EXPECT_EQ(g.capacity, 2688);
	RC_EXPECT_EQ(rc_geom_stripe_data_sectors(&g), 384);
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID10, 4, 64, 1000), 0);
	RC_EXPECT_EQ(g.member_sectors, 960);
	RC_EXPECT_EQ(g.capacity, 1920);
	RC_EXPECT_EQ(g.data_members, 2);
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID5, 4, 128, 1000), 0);
	RC_EXPECT_EQ(g.member_sectors, 896);
	RC_EXPECT_EQ(g.capacity, 2688);
	RC_EXPECT_EQ(g.data_members, 3);
	RC_EXPECT_EQ(rc_geom_stripe_data_sectors(&g), 384);
}

RC_TEST(geom_raid0_table)
{
	/* 3 members, chunk 8: lba -> member, offset, row (hand computed). */
	static const struct { u64 lba; u16 m; u64 off, row; } t[] = {
		{ 0, 0, 0, 0 },  { 5, 0, 5, 0 },   { 8, 1, 0, 0 },
		{ 17, 2, 1, 0 }, { 24, 0, 8, 1 },  { 35, 1, 11, 1 },
		{ 47, 2, 15, 1 }, { 48, 0, 16, 2 }, { 287, 2, 95, 11 },
	};
	struct rc_geom g;
	struct rc_loc loc;
	unsigned int i;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID0, 3, 8, 100), 0);
	RC_ASSERT_EQ(g.capacity, 288);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rc_geom_map(&g, t[i].lba, 1, &loc);
		RC_EXPECT_EQ(loc.len, 1);
		RC_EXPECT_EQ(loc.ncopies, 1);
		RC_EXPECT_EQ(loc.member[0], t[i].m);
		RC_EXPECT_EQ(loc.offset, t[i].off);
		RC_EXPECT_EQ(loc.row, t[i].row);
		RC_EXPECT_EQ(loc.parity, RC_GEOM_NO_MEMBER);
	}
}

RC_TEST(geom_raid1_copies)
{
	struct rc_geom g;
	struct rc_loc loc;
	unsigned int i;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID1, 3, 16, 1000), 0);
	rc_geom_map(&g, 37, 100, &loc);
	RC_EXPECT_EQ(loc.offset, 37);
	RC_EXPECT_EQ(loc.len, 11);	/* up to the chunk end at 48 */
	RC_EXPECT_EQ(loc.ncopies, 3);
	for (i = 0; i < 3; i++)
		RC_EXPECT_EQ(loc.member[i], i);
	RC_EXPECT_EQ(loc.parity, RC_GEOM_NO_MEMBER);
	/* All 16 members of a RAID 1 get a copy. */
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID1, 16, 8, 64), 0);
	rc_geom_map(&g, 63, 1, &loc);
	RC_EXPECT_EQ(loc.ncopies, 16);
	RC_EXPECT_EQ(loc.member[15], 15);
	RC_EXPECT_EQ(loc.offset, 63);
}

RC_TEST(geom_raid10_near_table)
{
	/* md near-2 over 4 members, chunk 8: chunk k on pair k % 2. */
	static const struct { u64 lba; u16 m0, m1; u64 off; } t4[] = {
		{ 0, 0, 1, 0 },   { 9, 2, 3, 1 },   { 16, 0, 1, 8 },
		{ 31, 2, 3, 15 }, { 32, 0, 1, 16 }, { 191, 2, 3, 95 },
	};
	/* 6 members: chunk k on pair k % 3, row k / 3. */
	static const struct { u64 lba; u16 m0, m1; u64 off; } t6[] = {
		{ 0, 0, 1, 0 },  { 8, 2, 3, 0 },  { 23, 4, 5, 7 },
		{ 24, 0, 1, 8 }, { 33, 2, 3, 9 }, { 47, 4, 5, 15 },
	};
	struct rc_geom g;
	struct rc_loc loc;
	unsigned int i;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID10, 4, 8, 100), 0);
	RC_ASSERT_EQ(g.capacity, 192);
	for (i = 0; i < ARRAY_SIZE(t4); i++) {
		rc_geom_map(&g, t4[i].lba, 1, &loc);
		RC_EXPECT_EQ(loc.ncopies, 2);
		RC_EXPECT_EQ(loc.member[0], t4[i].m0);
		RC_EXPECT_EQ(loc.member[1], t4[i].m1);
		RC_EXPECT_EQ(loc.offset, t4[i].off);
	}
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID10, 6, 8, 100), 0);
	RC_ASSERT_EQ(g.capacity, 288);
	for (i = 0; i < ARRAY_SIZE(t6); i++) {
		rc_geom_map(&g, t6[i].lba, 1, &loc);
		RC_EXPECT_EQ(loc.ncopies, 2);
		RC_EXPECT_EQ(loc.member[0], t6[i].m0);
		RC_EXPECT_EQ(loc.member[1], t6[i].m1);
		RC_EXPECT_EQ(loc.offset, t6[i].off);
	}
}

/*
 * md's left-symmetric RAID 5 over 4 disks (drivers/md/raid5.c,
 * ALGORITHM_LEFT_SYMMETRIC), data chunk numbers and P for parity:
 *
 *   row 0:  D0  D1  D2  P
 *   row 1:  D4  D5  P   D3
 *   row 2:  D8  P   D6  D7
 *   row 3:  P   D9  D10 D11
 *   row 4:  D12 D13 D14 P     (the pattern repeats every 4 rows)
 */
RC_TEST(geom_raid5_left_symmetric_table)
{
	static const u16 member_of_chunk[18] = {
		0, 1, 2,  3, 0, 1,  2, 3, 0,  1, 2, 3,  0, 1, 2,  3, 0, 1,
	};
	static const u16 parity_of_row[8] = { 3, 2, 1, 0, 3, 2, 1, 0 };
	struct rc_geom g;
	struct rc_loc loc;
	unsigned int k, r;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID5, 4, 8, 64), 0);
	RC_ASSERT_EQ(g.capacity, 8 * 3 * 8);
	for (r = 0; r < ARRAY_SIZE(parity_of_row); r++)
		RC_EXPECT_EQ(rc_geom_r5_parity_member(&g, r), parity_of_row[r]);
	for (k = 0; k < ARRAY_SIZE(member_of_chunk); k++) {
		/* The last sector of chunk k, to check the in-chunk offset. */
		rc_geom_map(&g, (u64)k * 8 + 7, 1, &loc);
		RC_EXPECT_EQ(loc.member[0], member_of_chunk[k]);
		RC_EXPECT_EQ(loc.row, k / 3);
		RC_EXPECT_EQ(loc.offset, (k / 3) * 8 + 7);
		RC_EXPECT_EQ(loc.parity, parity_of_row[k / 3]);
		RC_EXPECT_EQ(loc.ncopies, 1);
		RC_EXPECT_EQ(rc_geom_r5_data_member(&g, k / 3, k % 3),
			     member_of_chunk[k]);
	}
}

RC_TEST(geom_raid5_five_members)
{
	/*
	 * 5 members: row 1 has parity on member 3 and data chunks 4..7 on
	 * members 4, 0, 1, 2 (left-symmetric: data starts right of parity).
	 */
	static const u16 row1[4] = { 4, 0, 1, 2 };
	struct rc_geom g;
	struct rc_loc loc;
	unsigned int i;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID5, 5, 16, 160), 0);
	RC_ASSERT_EQ(g.capacity, 640);
	for (i = 0; i < 4; i++) {
		rc_geom_map(&g, (4 + i) * 16, 16, &loc);
		RC_EXPECT_EQ(loc.member[0], row1[i]);
		RC_EXPECT_EQ(loc.parity, 3);
		RC_EXPECT_EQ(loc.offset, 16);
		RC_EXPECT_EQ(loc.len, 16);
	}
	RC_EXPECT_EQ(rc_geom_r5_parity_member(&g, 5), 4);
	RC_EXPECT_EQ(rc_geom_r5_parity_member(&g, 9), 0);
}

RC_TEST(geom_raid5_row_members)
{
	u16 members[RC_GEOM_MAX_MEMBERS];
	unsigned int n, i, j;
	struct rc_geom g;
	u64 row;

	for (n = 3; n <= RC_GEOM_MAX_MEMBERS; n++) {
		RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID5, n, 8, 8 * 40), 0);
		for (row = 0; row < 2 * n + 1; row++) {
			unsigned int seen = 0;
			u16 p = rc_geom_r5_parity_member(&g, row);

			rc_geom_r5_row_members(&g, row, members);
			RC_EXPECT_EQ(members[n - 1], p);
			RC_EXPECT_EQ(rc_geom_r5_data_index(&g, row, p), -1);
			for (i = 0; i < n; i++) {
				RC_EXPECT_LT(members[i], n);
				seen |= 1u << members[i];
			}
			/* Every member exactly once: a degraded read of any
			 * member finds the other n - 1 here.
			 */
			RC_EXPECT_EQ(seen, (1u << n) - 1);
			for (j = 0; j + 1 < n; j++) {
				RC_EXPECT_EQ(rc_geom_r5_data_member(&g, row, j),
					     members[j]);
				RC_EXPECT_EQ(rc_geom_r5_data_index(&g, row,
								   members[j]),
					     (int)j);
			}
		}
	}
}

RC_TEST(geom_map_pieces)
{
	/* RAID 0, chunk 8: [5, 25) splits at every chunk end. */
	static const struct { u64 lba; u32 len; } want[] = {
		{ 5, 3 }, { 8, 8 }, { 16, 8 }, { 24, 1 },
	};
	struct rc_geom g;
	struct rc_loc loc;
	u64 lba = 5;
	u32 left = 20;
	unsigned int i = 0;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID0, 3, 8, 100), 0);
	while (left) {
		rc_geom_map(&g, lba, left, &loc);
		RC_ASSERT_TRUE(i < ARRAY_SIZE(want));
		RC_EXPECT_EQ(lba, want[i].lba);
		RC_EXPECT_EQ(loc.len, want[i].len);
		RC_ASSERT_TRUE(loc.len > 0);
		lba += loc.len;
		left -= loc.len;
		i++;
	}
	RC_EXPECT_EQ(i, ARRAY_SIZE(want));
}

RC_TEST(geom_map_clamps_at_capacity)
{
	struct rc_geom g;
	struct rc_loc loc;

	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID0, 3, 8, 100), 0);
	rc_geom_map(&g, 285, 10, &loc);
	RC_EXPECT_EQ(loc.len, 3);
	rc_geom_map(&g, 288, 1, &loc);
	RC_EXPECT_EQ(loc.len, 0);
	rc_geom_map(&g, ~0ull, 8, &loc);
	RC_EXPECT_EQ(loc.len, 0);
	rc_geom_map(&g, 0, 0, &loc);
	RC_EXPECT_EQ(loc.len, 0);
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID1, 2, 8, 20), 0);
	rc_geom_map(&g, 14, 100, &loc);
	RC_EXPECT_EQ(loc.len, 2);	/* capacity 16 */
}

/*
 * Map every sector of small drives of every level and check that unmap
 * returns it from every copy, and that every member sector is used by
 * exactly one logical sector, or is RAID 5 parity of its row.
 */
RC_TEST(geom_unmap_bijection)
{
	static const struct { u8 level; u8 n; } cfgs[] = {
		{ RC_RAID0, 2 }, { RC_RAID0, 3 },  { RC_RAID1, 2 },
		{ RC_RAID1, 3 }, { RC_RAID10, 4 }, { RC_RAID10, 6 },
		{ RC_RAID5, 3 }, { RC_RAID5, 4 },  { RC_RAID5, 5 },
	};
	enum { MEMBER = 64 };
	u8 *hits = rc_test_alloc(rc_t, RC_GEOM_MAX_MEMBERS * MEMBER);
	unsigned int c, i, m;
	struct rc_geom g;
	struct rc_loc loc;
	u64 lba, back, off;

	RC_ASSERT_TRUE(hits);
	for (c = 0; c < ARRAY_SIZE(cfgs); c++) {
		memset(hits, 0, RC_GEOM_MAX_MEMBERS * MEMBER);
		RC_ASSERT_EQ(rc_geom_init(&g, cfgs[c].level, cfgs[c].n, 8,
					  MEMBER + 3), 0);
		RC_ASSERT_EQ(g.member_sectors, MEMBER);
		for (lba = 0; lba < g.capacity; lba++) {
			rc_geom_map(&g, lba, 1, &loc);
			RC_ASSERT_EQ(loc.len, 1);
			for (i = 0; i < loc.ncopies; i++) {
				RC_ASSERT_TRUE(loc.member[i] < g.nmembers);
				RC_ASSERT_TRUE(loc.offset < MEMBER);
				hits[loc.member[i] * MEMBER + loc.offset]++;
				back = ~0ull;
				RC_EXPECT_EQ(rc_geom_unmap(&g, loc.member[i],
							   loc.offset, &back),
					     0);
				RC_EXPECT_EQ(back, lba);
			}
		}
		for (m = 0; m < g.nmembers; m++) {
			for (off = 0; off < MEMBER; off++) {
				bool parity = g.level == RC_RAID5 &&
					rc_geom_r5_parity_member(&g, off >> 3) == m;

				RC_EXPECT_EQ(hits[m * MEMBER + off], parity ? 0 : 1);
				if (parity)
					RC_EXPECT_EQ(rc_geom_unmap(&g, m, off, &back),
						     -ENOENT);
			}
		}
		RC_EXPECT_EQ(rc_geom_unmap(&g, g.nmembers, 0, &back), -ERANGE);
		RC_EXPECT_EQ(rc_geom_unmap(&g, 0, MEMBER, &back), -ERANGE);
	}
}

RC_TEST(geom_large_lba)
{
	struct rc_geom g;
	struct rc_loc loc;
	u64 back;

	/* 5 x 2^40 sectors: the last sector, worked out by hand. */
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID5, 5, 128, 1ull << 40), 0);
	RC_ASSERT_EQ(g.capacity, 4ull << 40);
	rc_geom_map(&g, g.capacity - 1, 8, &loc);
	RC_EXPECT_EQ(loc.len, 1);
	RC_EXPECT_EQ(loc.row, (1ull << 33) - 1);
	RC_EXPECT_EQ(loc.offset, (1ull << 40) - 1);
	RC_EXPECT_EQ(loc.parity, 3);	/* 4 - (2^33 - 1) % 5 */
	RC_EXPECT_EQ(loc.member[0], 2);	/* (3 + 1 + 3) % 5 */
	RC_EXPECT_EQ(rc_geom_unmap(&g, 2, loc.offset, &back), 0);
	RC_EXPECT_EQ(back, g.capacity - 1);
	/* RAID 0 past 2^32 chunks. */
	RC_ASSERT_EQ(rc_geom_init(&g, RC_RAID0, 3, 8, 1ull << 40), 0);
	rc_geom_map(&g, (3ull << 40) - 8, 8, &loc);
	RC_EXPECT_EQ(loc.member[0], 2);
	RC_EXPECT_EQ(loc.offset, (1ull << 40) - 8);
}
