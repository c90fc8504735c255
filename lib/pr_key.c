// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Persistent reservation keys (pr_key.h has the layout and the why). */
#include "pr_key.h"
#include "crc32c.h"

static u64 rc_pr_key_tag(const u8 cluster_uuid[16])
{
	return (u64)(rc_crc32c_buf(cluster_uuid, 16) & 0x7fffffu) << 40;
}

u64 rc_pr_key(const u8 cluster_uuid[16], u8 node, u32 incarnation)
{
	return RC_PR_KEY_MARK | rc_pr_key_tag(cluster_uuid) |
	       (u64)node << 32 | incarnation;
}

bool rc_pr_key_ours(const u8 cluster_uuid[16], u64 key)
{
	return (key & 0xffffff0000000000ULL) ==
	       (RC_PR_KEY_MARK | rc_pr_key_tag(cluster_uuid));
}
