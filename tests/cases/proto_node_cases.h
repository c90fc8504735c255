/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Cases of the whole protocol engine (lib/proto/node.h) on a small
 * in-memory cluster: startup, monitor, heartbeat, failover, reservations,
 * rebuild, negotiation, the mailbox transport under torn writes.
 */
#ifndef RC_PROTO_NODE_CASES_H
#define RC_PROTO_NODE_CASES_H

#include "rc_test.h"

#define RC_PROTO_NODE_CASES(X)                                                \
	X(proto_node_bad_host_input)                                          \
	X(proto_node_cold_start_highest_is_master)                            \
	X(proto_node_joiner_becomes_slave)                                    \
	X(proto_node_reserve_conflict_release)                                \
	X(proto_node_simultaneous_reserve_priority)                           \
	X(proto_node_reserve_claim_is_no_grant)                               \
	X(proto_node_master_failure_failover)                                 \
	X(proto_node_cable_failure_kills_self)                                \
	X(proto_node_lost_cable_master_dead_kills_self)                       \
	X(proto_node_two_dead_drives_no_cable_failure)                        \
	X(proto_node_negotiation_timeout)                                     \
	X(proto_node_rebuild_one_at_a_time)                                   \
	X(proto_node_rebuild_follows_holder)                                  \
	X(proto_node_rebuild_takeover_after_fence)                            \
	X(proto_node_rebuild_master_executor_fenced)                          \
	X(proto_node_fast_reboot_detected)                                    \
	X(proto_node_torn_writes_still_agree)				\
	X(proto_node_duplicate_id_refused)				\
	X(proto_node_own_stale_slot_is_no_duplicate)			\
	X(proto_node_restart_same_incarnation_rejoins)			\
	X(proto_node_overflow_is_visible)				\
	X(proto_node_host_request)				\
	X(proto_node_preempt)					\
	X(proto_node_peer_view)					\
	X(proto_node_frozen_holder_fenced)				\
	X(proto_node_frozen_holder_fenced_at_disk)			\
	X(proto_node_stale_holder_fenced_at_startup)			\
	X(proto_node_slot_conflict_suspends)			\
	X(proto_node_lease_needs_slot_io)				\
	X(proto_node_host_kill)

RC_PROTO_NODE_CASES(RC_TEST_DECLARE)

#endif /* RC_PROTO_NODE_CASES_H */
