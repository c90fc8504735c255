// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The state tables of lib/proto/fsm.c: every row fires from a state it
 * matches to the state it names; events no row allows leave the state
 * alone; and the walks of figures 6 and 7 go through in order.
 */
#include "rc_base.h"
#include "proto/fsm.h"
#include "proto_fsm_cases.h"

/* A concrete (state, info) for a row's possibly wildcarded origin. */
static void rc_t_origin(const struct rc_fsm_row *r, u8 *s, u8 *i)
{
	*s = r->from_state == RC_FSM_ANY ? RC_NS_NEXUS_SLAVE : r->from_state;
	*i = r->from_info == RC_FSM_ANY ? RC_NI_NONE : r->from_info;
}

/* Is row @k the first of @t that matches its own origin? (Rows shadowed
 * by an earlier, more general row would be dead code.)
 */
static int rc_t_first_match(const struct rc_fsm_row *t, unsigned int rows,
			    unsigned int k)
{
	u8 s, i;

	rc_t_origin(&t[k], &s, &i);
	return rc_fsm_fire(t, rows, t[k].event, &s, &i);
}

RC_TEST(proto_fsm_every_self_row)
{
	unsigned int k;

	RC_EXPECT_LT(10, rc_fsm_self_rows);
	for (k = 0; k < rc_fsm_self_rows; k++) {
		const struct rc_fsm_row *r = &rc_fsm_self[k];
		u8 s, i, s0, i0;

		rc_t_origin(r, &s, &i);
		s0 = s;
		i0 = i;
		RC_EXPECT_EQ(rc_t_first_match(rc_fsm_self, rc_fsm_self_rows, k),
			     (int)k);
		RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_self, rc_fsm_self_rows,
					 r->event, &s, &i), (int)k);
		RC_EXPECT_EQ(s, r->to_state == RC_FSM_SAME ? s0 : r->to_state);
		RC_EXPECT_EQ(i, r->to_info == RC_FSM_SAME ? i0 : r->to_info);
		/* Every row cites the patent. */
		RC_EXPECT_TRUE(r->cite && (r->cite[0] == 'f' ||
					   r->cite[0] == 'F'));
	}
}

RC_TEST(proto_fsm_every_peer_row)
{
	unsigned int k;

	RC_EXPECT_LT(15, rc_fsm_peer_rows);
	for (k = 0; k < rc_fsm_peer_rows; k++) {
		const struct rc_fsm_row *r = &rc_fsm_peer[k];
		u8 s, i, s0, i0;

		rc_t_origin(r, &s, &i);
		s0 = s;
		i0 = i;
		RC_EXPECT_EQ(rc_t_first_match(rc_fsm_peer, rc_fsm_peer_rows, k),
			     (int)k);
		RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows,
					 r->event, &s, &i), (int)k);
		RC_EXPECT_EQ(s, r->to_state == RC_FSM_SAME ? s0 : r->to_state);
		RC_EXPECT_EQ(i, r->to_info == RC_FSM_SAME ? i0 : r->to_info);
		RC_EXPECT_TRUE(r->cite && r->cite[0]);
	}
}

RC_TEST(proto_fsm_refuses_unlisted)
{
	u8 s = RC_NS_MASTER, i = RC_NI_COMPLETED_STARTUP;

	/* A master does not "become slave" (fig 7 has no such arc). */
	RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_self, rc_fsm_self_rows,
				 RC_SE_BECOME_SLAVE, &s, &i), -EINVAL);
	RC_EXPECT_EQ(s, RC_NS_MASTER);
	RC_EXPECT_EQ(i, RC_NI_COMPLETED_STARTUP);
	/* Negotiation timeout only while waiting for negotiations. */
	s = RC_NS_ACTIVE_SLAVE;
	i = RC_NI_COMPLETED_STARTUP;
	RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_self, rc_fsm_self_rows,
				 RC_SE_NEG_TIMEOUT, &s, &i), -EINVAL);
	/* The master's view: diagnostics only of a NEW_SLAVE. */
	s = RC_NS_NEXUS_SLAVE;
	i = RC_NI_NONE;
	RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows,
				 RC_PE_DIAG_OK, &s, &i), -EINVAL);
	RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows, 0, &s, &i),
		     -EINVAL);
	RC_EXPECT_EQ(rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows, RC_PE_MAX,
				 &s, &i), -EINVAL);
	RC_EXPECT_EQ(s, RC_NS_NEXUS_SLAVE);
}

RC_TEST(proto_fsm_every_event_has_a_row)
{
	unsigned int ev, k;

	for (ev = 1; ev < RC_SE_MAX; ev++) {
		int found = 0;

		for (k = 0; k < rc_fsm_self_rows; k++)
			found += rc_fsm_self[k].event == ev;
		RC_EXPECT_LT(0, found);
		RC_EXPECT_TRUE(rc_self_event_name(ev)[0] != '?');
	}
	for (ev = 1; ev < RC_PE_MAX; ev++) {
		int found = 0;

		for (k = 0; k < rc_fsm_peer_rows; k++)
			found += rc_fsm_peer[k].event == ev;
		RC_EXPECT_LT(0, found);
		RC_EXPECT_TRUE(rc_peer_event_name(ev)[0] != '?');
	}
}

static int rc_t_peer(u8 *s, u8 *i, u8 ev)
{
	return rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows, ev, s, i);
}

RC_TEST(proto_fsm_master_view_of_a_slave_fig6)
{
	u8 s = RC_NS_NONE, i = RC_NI_NONE;

	/* 815 -> 870 -> 895 -> (restart) 8E0 -> 870 -> 8C0/8C5 -> 1725. */
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_FOUND));
	RC_EXPECT_EQ(s, RC_NS_NEW_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_WAITING_FOR_NEGOTIATIONS);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_DIAG_OK));
	RC_EXPECT_EQ(s, RC_NS_DIAGNOSED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_NEGOTIATING);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_NEG_CHANGED));
	RC_EXPECT_EQ(s, RC_NS_RESTARTED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_CHANGING_CONFIGURATION);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_REBOOTED));
	RC_EXPECT_EQ(s, RC_NS_NEW_SLAVE);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_DIAG_OK));
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_NEG_SAME));
	RC_EXPECT_EQ(s, RC_NS_NEXUS_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_NONE);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_HB_LOST));
	RC_EXPECT_EQ(s, RC_NS_FAILED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_HEARTBEAT_LOST);
	/* A failed slave stays failed until it boots again. */
	RC_EXPECT_EQ(rc_t_peer(&s, &i, RC_PE_DIAG_OK), -EINVAL);
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_REBOOTED));
	RC_EXPECT_EQ(s, RC_NS_NEW_SLAVE);
	/* 875: failed diagnostics. */
	RC_EXPECT_LE(0, rc_t_peer(&s, &i, RC_PE_DIAG_FAIL));
	RC_EXPECT_EQ(s, RC_NS_FAILED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_FAILED_DIAGNOSTICS);
}

static int rc_t_self(u8 *s, u8 *i, u8 ev)
{
	return rc_fsm_fire(rc_fsm_self, rc_fsm_self_rows, ev, s, i);
}

RC_TEST(proto_fsm_slave_startup_fig7)
{
	u8 s = RC_NS_NONE, i = RC_NI_NONE;

	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_BOOT));
	RC_EXPECT_EQ(i, RC_NI_STARTING_UP);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_BECOME_SLAVE));
	RC_EXPECT_EQ(s, RC_NS_ACTIVE_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_WAITING_FOR_NEGOTIATIONS);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_NEGOTIATE));
	RC_EXPECT_EQ(i, RC_NI_NEGOTIATING);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_NEG_SAME));
	RC_EXPECT_EQ(i, RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_REBUILD_ON));
	RC_EXPECT_EQ(i, RC_NI_REBUILDING);
	/* Survivor elected while a rebuild runs keeps Rebuilding. */
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_PROMOTE));
	RC_EXPECT_EQ(s, RC_NS_MASTER);
	RC_EXPECT_EQ(i, RC_NI_REBUILDING);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_REBUILD_OFF));
	RC_EXPECT_EQ(i, RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_KILLED));
	RC_EXPECT_EQ(s, RC_NS_KILLED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_KILLED);
	/* 535: timed out on negotiations. */
	s = RC_NS_NONE;
	i = RC_NI_STARTING_UP;
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_BECOME_SLAVE));
	RC_EXPECT_LE(0, rc_t_self(&s, &i, RC_SE_NEG_TIMEOUT));
	RC_EXPECT_EQ(s, RC_NS_KILLED_SLAVE);
	RC_EXPECT_EQ(i, RC_NI_TIMED_OUT_ON_NEGOTIATIONS);
}
