/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Cases of the state tables of lib/proto/fsm.c (figures 4-8, 13-17). */
#ifndef RC_PROTO_FSM_CASES_H
#define RC_PROTO_FSM_CASES_H

#include "rc_test.h"

#define RC_PROTO_FSM_CASES(X)                                                 \
	X(proto_fsm_every_self_row)                                           \
	X(proto_fsm_every_peer_row)                                           \
	X(proto_fsm_refuses_unlisted)                                         \
	X(proto_fsm_every_event_has_a_row)                                    \
	X(proto_fsm_master_view_of_a_slave_fig6)                              \
	X(proto_fsm_slave_startup_fig7)

RC_PROTO_FSM_CASES(RC_TEST_DECLARE)

#endif /* RC_PROTO_FSM_CASES_H */
