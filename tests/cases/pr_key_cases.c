// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Persistent reservation keys: the layout is an interface between nodes
 * (a survivor preempts the key it computes for a dead peer), so it is
 * pinned here bit for bit.
 */
#include "rc_base.h"
#include "crc32c.h"
#include "pr_key.h"
#include "pr_key_cases.h"

static const u8 uuid_a[16] = { 0x5c, 0x06, 0x00, 0x69, 0xe7, 0xc8, 0x47, 0xb5,
			       0xa5, 0x95, 0xd4, 0x2b, 0xd4, 0x4d, 0x44, 0xb5 };
static const u8 uuid_b[16] = { 1 };

RC_TEST(pr_key_layout)
{
	u64 tag = (u64)(rc_crc32c_buf(uuid_a, 16) & 0x7fffff) << 40;
	u64 k = rc_pr_key(uuid_a, 3, 1796242626u);

	RC_EXPECT_EQ(k, (1ULL << 63) | tag | (3ULL << 32) | 1796242626u);
	RC_EXPECT_EQ(rc_pr_key_node(k), 3);
	RC_EXPECT_EQ(rc_pr_key_incarnation(k), 1796242626u);
	/* never 0, whatever the inputs */
	RC_EXPECT_NE(rc_pr_key(uuid_b, 0, 0), 0);
	RC_EXPECT_EQ(rc_pr_key_node(rc_pr_key(uuid_b, 255, 0)), 255);
}

RC_TEST(pr_key_differs_by_node_incarnation_cluster)
{
	u64 k = rc_pr_key(uuid_a, 1, 100);

	RC_EXPECT_NE(k, rc_pr_key(uuid_a, 2, 100));
	RC_EXPECT_NE(k, rc_pr_key(uuid_a, 1, 101));
	RC_EXPECT_NE(k, rc_pr_key(uuid_b, 1, 100));
}

RC_TEST(pr_key_ours)
{
	RC_EXPECT_TRUE(rc_pr_key_ours(uuid_a, rc_pr_key(uuid_a, 7, 5)));
	RC_EXPECT_FALSE(rc_pr_key_ours(uuid_b, rc_pr_key(uuid_a, 7, 5)));
	/* a key another tool registered (fence_scsi: node number) */
	RC_EXPECT_FALSE(rc_pr_key_ours(uuid_a, 0x10001));
}
