/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Node_State / Node_State_Info transitions as data (figures 4-8, 13, 14,
 * 16, 17).  Two tables: how a node moves ITSELF (figure 7 and the own-state
 * steps of figures 4, 5A-5C, 13, 14, 17) and how a node moves its VIEW of
 * another node (figure 6: the master's view of its slaves; the slave's view
 * of its master).  The engine (node.c) never assigns a state directly: it
 * fires an event, rc_fsm_fire() finds the row whose (state, info) matches
 * and applies it, and an event with no row is refused.  Each row cites the
 * patent step it implements; tests walk every row.
 */
#ifndef RC_PROTO_FSM_H
#define RC_PROTO_FSM_H

#include "rc_base.h"
#include "../../include/raidcluster/slots.h"

#define RC_FSM_ANY 0xff		/* from_info/from_state wildcard */
#define RC_FSM_SAME 0xfe	/* to_info/to_state: keep */

/* Events on a node's own state (table rc_fsm_self). */
enum rc_self_event {
	RC_SE_BOOT = 1,		/* power-on/restart: Starting_Up (4A5) */
	RC_SE_BECOME_MASTER,	/* highest ID at cold start (425, 435) */
	RC_SE_COD_DONE,		/* COD processed, startup complete (445, 4A0) */
	RC_SE_BECOME_SLAVE,	/* found a master / lower ID (505) */
	RC_SE_NEGOTIATE,	/* Node_Negotiate received (545) */
	RC_SE_NEG_SAME,		/* configuration unchanged (575 no) */
	RC_SE_NEG_CHANGED,	/* configuration changed: restart (580, 585) */
	RC_SE_NEG_MISMATCH,	/* 550 no -> 570 */
	RC_SE_NEG_WRITE_FAIL,	/* 560 no -> 570 */
	RC_SE_NEG_TIMEOUT,	/* 520-530 -> 535 */
	RC_SE_KILLED,		/* Node_Kill received (1130, 1135) */
	RC_SE_CABLE_FAIL,	/* TUR failed: kill self (1750, 1565) */
	RC_SE_PROMOTE,		/* survivors elect a new master (fig 17, 425) */
	RC_SE_REBUILD_ON,	/* 1425, 11A5 */
	RC_SE_REBUILD_OFF,	/* 1645, 11H0 */
	RC_SE_DUPLICATE_ID,	/* a live node has our ID (listen phase) */
	RC_SE_MAX
};

/* Events on the view of another node (table rc_fsm_peer). */
enum rc_peer_event {
	RC_PE_FOUND = 1,	/* new node in Node_IDs (440, 805-815) */
	RC_PE_DIAG_OK,		/* 865 yes -> 870 */
	RC_PE_DIAG_FAIL,	/* 865 no -> 875 */
	RC_PE_NEG_SAME,		/* 8C0, 8C5 */
	RC_PE_NEG_CHANGED,	/* 895 */
	RC_PE_NEG_MISMATCH,	/* 885 -> 890 */
	RC_PE_NEG_WRITE_FAIL,	/* 885 -> 890 */
	RC_PE_COMM_FAIL,	/* 830-845 */
	RC_PE_HB_LOST,		/* 1720, 1725, 1740 */
	RC_PE_REBOOTED,		/* booting flag / new incarnation; 8E0 */
	RC_PE_IS_MASTER,	/* slave: the master seen (510) */
	RC_PE_MASTER_READY,	/* slave: master negotiated with us (4A0) */
	RC_PE_ADOPTED,		/* new master: survivor already in nexus */
	RC_PE_MAX
};

struct rc_fsm_row {
	u8 from_state, from_info;	/* RC_FSM_ANY matches all */
	u8 event;
	u8 to_state, to_info;		/* RC_FSM_SAME keeps */
	const char *cite;		/* "fig 8 step 870" */
};

extern const struct rc_fsm_row rc_fsm_self[];
extern const unsigned int rc_fsm_self_rows;
extern const struct rc_fsm_row rc_fsm_peer[];
extern const unsigned int rc_fsm_peer_rows;

/*
 * Apply @event to (*state, *info) by table @t: the first matching row wins.
 * Returns the row index, or -EINVAL when no row allows the event (state
 * left unchanged).
 */
int rc_fsm_fire(const struct rc_fsm_row *t, unsigned int rows, u8 event,
		u8 *state, u8 *info);

const char *rc_self_event_name(unsigned int ev);
const char *rc_peer_event_name(unsigned int ev);

#endif /* RC_PROTO_FSM_H */
