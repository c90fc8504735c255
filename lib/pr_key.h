/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The SCSI-3 persistent reservation key of a node's life on the member
 * disks.  Every node computes every other node's key from what the slots
 * and the COD show (the cluster UUID, the node ID and its incarnation), so
 * a survivor can name a dead node's registration to PREEMPT it without
 * ever having exchanged keys, and a restarted node (new incarnation) has a
 * key its old life's fence never matches.
 *
 *   bit  63      1 (a key is never 0: 0 means "no key" in PR OUT)
 *   bits 62..40  the low 23 bits of CRC32C(cluster UUID): another
 *                cluster's node with the same ID and incarnation on a
 *                disk both see still has another key
 *   bits 39..32  node ID
 *   bits 31..0   incarnation
 *
 * Documentation/on-disk-format.md, "Persistent reservation keys".
 */
#ifndef RC_PR_KEY_H
#define RC_PR_KEY_H

#include "rc_base.h"

#define RC_PR_KEY_MARK (1ULL << 63)

u64 rc_pr_key(const u8 cluster_uuid[16], u8 node, u32 incarnation);

/* Is @key one of this cluster's (any node, any incarnation)? */
bool rc_pr_key_ours(const u8 cluster_uuid[16], u64 key);

static inline u8 rc_pr_key_node(u64 key)
{
	return (u8)(key >> 32);
}

static inline u32 rc_pr_key_incarnation(u64 key)
{
	return (u32)key;
}

#endif /* RC_PR_KEY_H */
