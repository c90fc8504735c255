// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The state tables.  Rows are ordered: specific rows before wildcards.
 */
#include "rc_base.h"
#include "fsm.h"

#define ANY RC_FSM_ANY
#define SAME RC_FSM_SAME

/* A node's own Node_State/Node_State_Info: figure 7 (+ 4, 5, 13, 14, 17). */
const struct rc_fsm_row rc_fsm_self[] = {
	{ ANY, ANY, RC_SE_BOOT, RC_NS_NONE, RC_NI_STARTING_UP,
	  "fig 4 step 4A5 / fig 5A: power-on or reset, starting up" },
	{ RC_NS_NONE, RC_NI_STARTING_UP, RC_SE_BECOME_MASTER,
	  RC_NS_MASTER, RC_NI_STARTING_UP,
	  "fig 4 steps 425, 430, 435: highest node ID, MASTER/Starting_Up" },
	{ RC_NS_MASTER, RC_NI_STARTING_UP, RC_SE_COD_DONE,
	  RC_NS_MASTER, RC_NI_COMPLETED_STARTUP,
	  "fig 4 steps 445, 4A0: COD processed, Completed_Startup" },
	{ RC_NS_NONE, RC_NI_STARTING_UP, RC_SE_BECOME_SLAVE,
	  RC_NS_ACTIVE_SLAVE, RC_NI_WAITING_FOR_NEGOTIATIONS,
	  "fig 5A step 505: ACTIVE_SLAVE/Waiting_For_Negotiations" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_WAITING_FOR_NEGOTIATIONS, RC_SE_NEGOTIATE,
	  RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING,
	  "fig 5B step 545: Node_Negotiate received, verifying" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_COMPLETED_STARTUP, RC_SE_NEGOTIATE,
	  RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING,
	  "fig 13 step 1170: renegotiation of a slave in nexus" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_REBUILDING, RC_SE_NEGOTIATE,
	  RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING,
	  "fig 13 step 1170: renegotiation during a rebuild" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING, RC_SE_NEG_SAME,
	  RC_NS_ACTIVE_SLAVE, RC_NI_COMPLETED_STARTUP,
	  "fig 5C step 575 (same): startup complete, in nexus" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING, RC_SE_NEG_CHANGED,
	  RC_NS_ACTIVE_SLAVE, RC_NI_CHANGING_CONFIGURATION,
	  "fig 5C steps 575, 580, 585 / fig 13 1340-1350: changed, restart" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING, RC_SE_NEG_MISMATCH,
	  RC_NS_KILLED_SLAVE, RC_NI_CONFIG_MISMATCH,
	  "fig 5B steps 550, 570 / fig 13 1310, 1315: mismatch, suspend 540" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_NEGOTIATING, RC_SE_NEG_WRITE_FAIL,
	  RC_NS_KILLED_SLAVE, RC_NI_CONFIG_WRITE_FAILED,
	  "fig 5B steps 560, 570 / fig 13 1320-1335: write failed, suspend" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_WAITING_FOR_NEGOTIATIONS, RC_SE_NEG_TIMEOUT,
	  RC_NS_KILLED_SLAVE, RC_NI_TIMED_OUT_ON_NEGOTIATIONS,
	  "fig 5A steps 520-535: timed out on negotiations, suspend 540" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_COMPLETED_STARTUP, RC_SE_PROMOTE,
	  RC_NS_MASTER, RC_NI_COMPLETED_STARTUP,
	  "fig 17 / step 425: master failed, survivor with highest ID" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_REBUILDING, RC_SE_PROMOTE,
	  RC_NS_MASTER, RC_NI_REBUILDING,
	  "fig 17 / step 425: new master takes over a rebuild (11D5)" },
	{ RC_NS_MASTER, RC_NI_COMPLETED_STARTUP, RC_SE_REBUILD_ON,
	  SAME, RC_NI_REBUILDING,
	  "fig 14 step 1425 / fig 11 step 11A5: Rebuilding" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_COMPLETED_STARTUP, RC_SE_REBUILD_ON,
	  SAME, RC_NI_REBUILDING,
	  "fig 14 step 1425 / fig 11 step 11A5: Rebuilding" },
	{ RC_NS_MASTER, RC_NI_REBUILDING, RC_SE_REBUILD_OFF,
	  SAME, RC_NI_COMPLETED_STARTUP,
	  "fig 16 step 1645: back to the previous Node_State_Info" },
	{ RC_NS_ACTIVE_SLAVE, RC_NI_REBUILDING, RC_SE_REBUILD_OFF,
	  SAME, RC_NI_COMPLETED_STARTUP,
	  "fig 11 step 11H0: Rebuilt_All, previous Node_State_Info" },
	{ ANY, ANY, RC_SE_KILLED, RC_NS_KILLED_SLAVE, RC_NI_KILLED,
	  "fig 11 steps 1130, 1135: Node_Kill, suspension mode" },
	{ ANY, ANY, RC_SE_CABLE_FAIL, RC_NS_KILLED_SLAVE, RC_NI_CABLE_FAILURE,
	  "fig 17 step 1750 / fig 15 step 1565: cable failure, kill self" },
	{ ANY, ANY, RC_SE_DUPLICATE_ID, RC_NS_KILLED_SLAVE, RC_NI_DUPLICATE_ID,
	  "fig 4 step 410, beyond the patent: our node ID is live elsewhere, refuse to join" },
};
const unsigned int rc_fsm_self_rows = ARRAY_SIZE(rc_fsm_self);

/* View of another node: figure 6 (master's view of slaves) + slave's view
 * of its master (fig 5A step 510) + fig 17 for both.
 */
const struct rc_fsm_row rc_fsm_peer[] = {
	{ RC_NS_NONE, ANY, RC_PE_FOUND,
	  RC_NS_NEW_SLAVE, RC_NI_WAITING_FOR_NEGOTIATIONS,
	  "fig 4 step 440 / fig 8A steps 805, 810, 815: NEW_SLAVE" },
	{ RC_NS_NEW_SLAVE, ANY, RC_PE_DIAG_OK,
	  RC_NS_DIAGNOSED_SLAVE, RC_NI_NEGOTIATING,
	  "fig 8A steps 860, 865, 870: DIAGNOSED_SLAVE/Negotiating" },
	{ RC_NS_NEW_SLAVE, ANY, RC_PE_DIAG_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_FAILED_DIAGNOSTICS,
	  "fig 8A steps 865, 875: FAILED_SLAVE/Failed_Diagnostics" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_NEG_SAME,
	  RC_NS_NEXUS_SLAVE, RC_NI_NONE,
	  "fig 8C steps 8C0, 8C5: NEXUS_SLAVE" },
	{ RC_NS_NEXUS_SLAVE, ANY, RC_PE_NEG_SAME,
	  RC_NS_NEXUS_SLAVE, RC_NI_NONE,
	  "fig 13: configuration pushed to a slave in nexus" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_NEG_CHANGED,
	  RC_NS_RESTARTED_SLAVE, RC_NI_CHANGING_CONFIGURATION,
	  "fig 8C step 895: RESTARTED_SLAVE/Changing_Configuration" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_NEG_MISMATCH,
	  RC_NS_FAILED_SLAVE, RC_NI_CONFIG_MISMATCH,
	  "fig 8B steps 885, 890: negotiation failed (mismatch)" },
	{ RC_NS_NEXUS_SLAVE, ANY, RC_PE_NEG_MISMATCH,
	  RC_NS_FAILED_SLAVE, RC_NI_CONFIG_MISMATCH,
	  "fig 8B steps 885, 890: renegotiation failed (mismatch)" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_NEG_WRITE_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_CONFIG_WRITE_FAILED,
	  "fig 8B steps 885, 890: negotiation failed (write)" },
	{ RC_NS_NEXUS_SLAVE, ANY, RC_PE_NEG_WRITE_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_CONFIG_WRITE_FAILED,
	  "fig 8B steps 885, 890: renegotiation failed (write)" },
	{ RC_NS_NEW_SLAVE, ANY, RC_PE_COMM_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_FAILED_COMMUNICATIONS_TEST,
	  "fig 8A steps 825-850: communications test failed" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_COMM_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_FAILED_COMMUNICATIONS_TEST,
	  "fig 8A steps 825-850: communications test failed" },
	{ RC_NS_NEXUS_SLAVE, ANY, RC_PE_COMM_FAIL,
	  RC_NS_FAILED_SLAVE, RC_NI_FAILED_COMMUNICATIONS_TEST,
	  "fig 8A steps 825-850: communications test failed" },
	{ RC_NS_NEW_SLAVE, ANY, RC_PE_HB_LOST,
	  RC_NS_FAILED_SLAVE, RC_NI_HEARTBEAT_LOST,
	  "fig 17 steps 1705-1740: heartbeat lost, FAILED_SLAVE" },
	{ RC_NS_DIAGNOSED_SLAVE, ANY, RC_PE_HB_LOST,
	  RC_NS_FAILED_SLAVE, RC_NI_HEARTBEAT_LOST,
	  "fig 17 steps 1705-1740: heartbeat lost, FAILED_SLAVE" },
	{ RC_NS_NEXUS_SLAVE, ANY, RC_PE_HB_LOST,
	  RC_NS_FAILED_SLAVE, RC_NI_HEARTBEAT_LOST,
	  "fig 17 steps 1705-1740: heartbeat lost, FAILED_SLAVE" },
	{ RC_NS_RESTARTED_SLAVE, ANY, RC_PE_HB_LOST,
	  RC_NS_FAILED_SLAVE, RC_NI_HEARTBEAT_LOST,
	  "fig 17: restarted slave never came back" },
	{ RC_NS_MASTER, ANY, RC_PE_HB_LOST,
	  RC_NS_FAILED_SLAVE, RC_NI_HEARTBEAT_LOST,
	  "fig 17 step 1740: the master failed; survivors arbitrate" },
	{ RC_NS_NONE, ANY, RC_PE_IS_MASTER, RC_NS_MASTER, RC_NI_STARTING_UP,
	  "fig 5A step 510: master seen, MASTER/Starting_Up" },
	{ RC_NS_FAILED_SLAVE, ANY, RC_PE_IS_MASTER, RC_NS_MASTER,
	  RC_NI_STARTING_UP,
	  "fig 17: a recovered node won the arbitration" },
	{ RC_NS_MASTER, RC_NI_STARTING_UP, RC_PE_MASTER_READY,
	  RC_NS_MASTER, RC_NI_COMPLETED_STARTUP,
	  "fig 5C: negotiated, master in nexus with us" },
	{ RC_NS_MASTER, RC_NI_COMPLETED_STARTUP, RC_PE_MASTER_READY,
	  SAME, SAME, "fig 13: renegotiation by the master" },
	{ RC_NS_NONE, ANY, RC_PE_ADOPTED, RC_NS_NEXUS_SLAVE, RC_NI_NONE,
	  "fig 17 / step 425: new master keeps the survivors in nexus" },
	{ ANY, ANY, RC_PE_REBOOTED, RC_NS_NEW_SLAVE,
	  RC_NI_WAITING_FOR_NEGOTIATIONS,
	  "failure-to-detect-failure (booting flag, table 20) / fig 8 8E0" },
};
const unsigned int rc_fsm_peer_rows = ARRAY_SIZE(rc_fsm_peer);

int rc_fsm_fire(const struct rc_fsm_row *t, unsigned int rows, u8 event,
		u8 *state, u8 *info)
{
	unsigned int i;

	for (i = 0; i < rows; i++) {
		const struct rc_fsm_row *r = &t[i];

		if (r->event != event)
			continue;
		if (r->from_state != RC_FSM_ANY && r->from_state != *state)
			continue;
		if (r->from_info != RC_FSM_ANY && r->from_info != *info)
			continue;
		if (r->to_state != RC_FSM_SAME)
			*state = r->to_state;
		if (r->to_info != RC_FSM_SAME)
			*info = r->to_info;
		return (int)i;
	}
	return -EINVAL;
}

static const char *const rc_self_event_names[RC_SE_MAX] = {
	[RC_SE_BOOT] = "boot",
	[RC_SE_BECOME_MASTER] = "become_master",
	[RC_SE_COD_DONE] = "cod_done",
	[RC_SE_BECOME_SLAVE] = "become_slave",
	[RC_SE_NEGOTIATE] = "negotiate",
	[RC_SE_NEG_SAME] = "neg_same",
	[RC_SE_NEG_CHANGED] = "neg_changed",
	[RC_SE_NEG_MISMATCH] = "neg_mismatch",
	[RC_SE_NEG_WRITE_FAIL] = "neg_write_fail",
	[RC_SE_NEG_TIMEOUT] = "neg_timeout",
	[RC_SE_KILLED] = "killed",
	[RC_SE_CABLE_FAIL] = "cable_fail",
	[RC_SE_PROMOTE] = "promote",
	[RC_SE_REBUILD_ON] = "rebuild_on",
	[RC_SE_REBUILD_OFF] = "rebuild_off",
	[RC_SE_DUPLICATE_ID] = "duplicate_id",
};

static const char *const rc_peer_event_names[RC_PE_MAX] = {
	[RC_PE_FOUND] = "found",
	[RC_PE_DIAG_OK] = "diag_ok",
	[RC_PE_DIAG_FAIL] = "diag_fail",
	[RC_PE_NEG_SAME] = "neg_same",
	[RC_PE_NEG_CHANGED] = "neg_changed",
	[RC_PE_NEG_MISMATCH] = "neg_mismatch",
	[RC_PE_NEG_WRITE_FAIL] = "neg_write_fail",
	[RC_PE_COMM_FAIL] = "comm_fail",
	[RC_PE_HB_LOST] = "hb_lost",
	[RC_PE_REBOOTED] = "rebooted",
	[RC_PE_IS_MASTER] = "is_master",
	[RC_PE_MASTER_READY] = "master_ready",
	[RC_PE_ADOPTED] = "adopted",
};

const char *rc_self_event_name(unsigned int ev)
{
	return ev && ev < RC_SE_MAX ? rc_self_event_names[ev] : "?";
}

const char *rc_peer_event_name(unsigned int ev)
{
	return ev && ev < RC_PE_MAX ? rc_peer_event_names[ev] : "?";
}
