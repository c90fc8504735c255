// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Rebuild coordination, one rebuild at a time cluster-wide.
 *
 *   figure 14  a rebuild command from the host: refuse while Rebuilding
 *              (1405, 1430), else Node_Inform_Rebuild_Received() to the
 *              others (1410), Node_Inform_Master_Rebuild_Received() to the
 *              master from a slave (1415, 1420), Rebuilding (1425)
 *   figure 16  the master: rebuild a drive it holds itself (1605-1625) or
 *              send Node_Rebuild() to the holder (1650); next drive (1630);
 *              Node_Inform_Rebuilt_All() (1640); previous state (1645)
 *   figure 18  Node_Rebuild() received: rebuild, Started, Status, Completed
 *   fig 11     11A0-11H0: what the others note, so any of them can report
 *              the rebuild and the new master can take it over
 *
 * Only the master dispatches (it serialises requests from all nodes), so
 * at most one drive is being rebuilt at any time.
 */
#include "rc_base.h"
#include "node_priv.h"

static void rc_rb_broadcast(struct rc_node *n, u8 dcmd, u8 ld)
{
	u32 m = rc_members(n);
	unsigned int i;

	if (rc_rebuild_encode((struct rc_wire_rebuild *)n->rb_wire, &n->rb))
		return;
	for (i = 0; i < RC_MAX_NODES; i++)
		if (m & (1u << i))
			rc_send(n, i, dcmd, ld, 0, 0, 0, n->rb_wire,
				sizeof(n->rb_wire));
	rc_slot_touch(n);
}

static void rc_rb_on(struct rc_node *n)
{
	if (!n->rb_active) {
		n->rb_active = true;
		rc_self_fire(n, RC_SE_REBUILD_ON);
	}
}

static void rc_rb_off(struct rc_node *n)
{
	u32 done = n->rb.done;

	n->rb_active = false;
	rc_self_fire(n, RC_SE_REBUILD_OFF);
	rc_rebuild_init(&n->rb);
	n->rb.done = done;		/* for status queries afterwards */
	rc_slot_touch(n);
}

static void rc_rb_start_local(struct rc_node *n, u8 ld)
{
	struct rc_action a = { .type = RC_ACT_REBUILD_START, .ld = ld };

	/* Steps 1610/1805 then 1615/1810. */
	n->my_rebuild = ld;
	n->my_progress = 0;
	rc_emit(n, &a);
	n->rb.ld = ld;
	n->rb.executor = n->p.self;
	n->rb.progress = 0;
	rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILD_STARTED, ld);
	n->next_status = n->now + n->p.status_period_ms;
}

/* Figure 16: steps 1605/1630 choose, 1610 or 1650 start, 1640/1645 end. */
static void rc_rb_dispatch(struct rc_node *n)
{
	u8 ld, h;

	if (!rc_is_master(n) || !n->coord.active || n->coord.ld != RC_LD_NONE)
		return;
	if (!n->coord.pending) {
		n->coord.active = false;
		rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILT_ALL, 0);	/* 1640 */
		rc_rb_off(n);						/* 1645 */
		return;
	}
	for (ld = 0; !(n->coord.pending & (1u << ld)); ld++)
		;
	h = n->holder[ld];
	n->coord.ld = ld;
	n->rb.pending = n->coord.pending;
	if (h == n->p.self || h == RC_HOLDER_NONE ||
	    !(rc_members(n) & (1u << h))) {
		n->coord.executor = n->p.self;
		rc_rb_start_local(n, ld);
		return;
	}
	n->coord.executor = h;
	n->rb.ld = ld;
	n->rb.executor = h;
	n->rb.progress = 0;
	if (rc_rebuild_encode((struct rc_wire_rebuild *)n->rb_wire, &n->rb) ||
	    rc_send(n, h, RC_DCMD_REBUILD, ld, 0, 0, 0, n->rb_wire,
		    sizeof(n->rb_wire)) < 0) {
		/* Cannot reach the holder: rebuild it here instead. */
		n->coord.executor = n->p.self;
		rc_rb_start_local(n, ld);
	}
}

/* Step 11B0: the specifics of a rebuild reach the master. */
static void rc_rb_coordinate(struct rc_node *n, u32 mask)
{
	rc_rb_on(n);
	n->coord.pending |= mask;
	n->rb.pending |= mask;
	if (!n->coord.active) {
		n->coord.active = true;
		n->coord.ld = RC_LD_NONE;
		rc_rb_dispatch(n);
	}
}

/* Step 1630 after a drive finished (here or elsewhere). */
static void rc_rb_drive_done(struct rc_node *n, u8 ld, u8 status)
{
	u32 bit = 1u << ld;

	n->rb.pending &= ~bit;
	n->rb.done |= bit;
	n->rb.status = status;
	n->rb.progress = 1000;
	if (rc_is_master(n) && n->coord.active && n->coord.ld == ld) {
		n->coord.pending &= ~bit;
		n->coord.ld = RC_LD_NONE;
		n->coord.executor = RC_NO_NODE;
		rc_rb_dispatch(n);
	}
}

void rc_rebuild_host(struct rc_node *n, const struct rc_host_cmd *c)
{
	/* A node whose lease ran out has a stale view: it starts nothing. */
	if (!rc_nexus(n) || n->rb_active || !rc_lease_valid(n)) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);	/* 1430 */
		return;
	}
	rc_rb_on(n);						/* 1425 */
	rc_rebuild_init(&n->rb);
	n->rb.pending = c->ld_mask;
	n->rb.requester = n->p.self;
	n->rb.run = (u64)n->p.self << 56 | ++n->rb_run;
	rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILD_RECEIVED, 0);	/* 1410 */
	if (rc_is_master(n)) {
		rc_rb_coordinate(n, c->ld_mask);
	} else if (rc_rebuild_encode((struct rc_wire_rebuild *)n->rb_wire,
				     &n->rb) == 0) {
		rc_send(n, n->master, RC_DCMD_INFORM_MASTER_REBUILD_RECEIVED,
			0, 0, 0, 0, n->rb_wire, sizeof(n->rb_wire)); /* 1420 */
	}
	rc_emit_complete(n, c->cookie, RC_SCSI_GOOD);
}

void rc_rebuild_cmd(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_rebuild r;
	u8 status = RC_SCSI_GOOD;

	if (rc_rebuild_decode(m->payload, m->len, &r)) {
		rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, NULL, 0);
		return;
	}
	switch (m->cmd.dcmd) {
	case RC_DCMD_INFORM_REBUILD_RECEIVED:
		/* Steps 11A0, 11A5. */
		rc_rb_on(n);
		n->rb.pending |= r.pending;
		if (n->rb.requester == RC_NO_NODE)
			n->rb.requester = r.requester;
		if (!n->rb.run)
			n->rb.run = r.run;
		break;
	case RC_DCMD_INFORM_MASTER_REBUILD_RECEIVED:
		/* Step 11B0 -> figure 16. */
		if (!rc_is_master(n)) {
			status = RC_SCSI_CHECK_CONDITION;
			break;
		}
		if (n->rb.requester == RC_NO_NODE)
			n->rb.requester = r.requester;
		rc_rb_coordinate(n, r.pending);
		break;
	case RC_DCMD_REBUILD:
		/* Step 11C0 -> figure 18 (1805, 1810). */
		if (n->my_rebuild != RC_LD_NONE && n->my_rebuild != m->ld) {
			status = RC_SCSI_BUSY;
			break;
		}
		rc_rb_on(n);
		n->rb.pending = r.pending;
		n->rb.run = r.run;
		n->rb.requester = r.requester;
		if (n->my_rebuild != m->ld)
			rc_rb_start_local(n, m->ld);
		break;
	case RC_DCMD_INFORM_REBUILD_STARTED:
	case RC_DCMD_INFORM_STATUS:
		/* Steps 11D0/11D5, 11E0/11E5: enough to report and take over. */
		rc_rb_on(n);
		n->rb.ld = r.ld;
		n->rb.executor = r.executor;
		n->rb.progress = r.progress;
		n->rb.pending |= r.pending;
		if (rc_is_master(n) && n->coord.ld == r.ld)
			n->coord.executor = r.executor;
		break;
	case RC_DCMD_INFORM_REBUILD_COMPLETED:
		/* Steps 11F0, 11E5 (and 1630 on the master). */
		if (r.ld < RC_MAX_LDS)
			rc_rb_drive_done(n, r.ld, r.status);
		break;
	case RC_DCMD_INFORM_REBUILT_ALL:
		/* Steps 11G0, 11H0 (only the master sends it). */
		if (rc_is_master(n)) {
			status = RC_SCSI_CHECK_CONDITION;
			break;
		}
		n->rb.done |= r.done;
		if (n->rb_active)
			rc_rb_off(n);
		break;
	default:
		status = RC_SCSI_CHECK_CONDITION;
		break;
	}
	rc_slot_touch(n);
	rc_reply_msg(n, from, m, status, NULL, 0);
}

void rc_rebuild_progress_ev(struct rc_node *n, u8 ld, u32 permille)
{
	if (ld != n->my_rebuild)
		return;
	n->my_progress = permille > 1000 ? 1000 : permille;
	n->rb.progress = n->my_progress;
}

void rc_rebuild_done_ev(struct rc_node *n, u8 ld, int error)
{
	u8 status = error ? RC_SCSI_CHECK_CONDITION : RC_SCSI_GOOD;

	if (ld != n->my_rebuild)
		return;
	n->my_rebuild = RC_LD_NONE;
	n->rb.ld = ld;
	n->rb.status = status;
	n->rb.progress = 1000;
	n->rb.pending &= ~(1u << ld);
	n->rb.done |= 1u << ld;
	/* Steps 1625 / 1820. */
	rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILD_COMPLETED, ld);
	rc_rb_drive_done(n, ld, status);
}

void rc_rebuild_tick(struct rc_node *n)
{
	if (n->my_rebuild != RC_LD_NONE && n->now >= n->next_status) {
		/* Steps 1620 / 1815: periodic Node_Inform_Status(). */
		n->next_status = n->now + n->p.status_period_ms;
		n->rb.ld = n->my_rebuild;
		n->rb.executor = n->p.self;
		n->rb.progress = n->my_progress;
		rc_rb_broadcast(n, RC_DCMD_INFORM_STATUS, n->my_rebuild);
	}
}

/* The node rebuilding died: the master rebuilds the drive again (its
 * reservation died with the node, so the master takes it itself).
 */
void rc_rebuild_node_failed(struct rc_node *n, u8 id)
{
	if (n->rb.executor == id)
		n->rb.executor = RC_NO_NODE;
	if (rc_is_master(n) && n->coord.active && n->coord.ld != RC_LD_NONE &&
	    n->coord.executor == id) {
		n->coord.ld = RC_LD_NONE;
		n->coord.executor = RC_NO_NODE;
		rc_rb_dispatch(n);
	}
}

/* A new master takes over the coordination it has noted (11D5). */
void rc_rebuild_promoted(struct rc_node *n)
{
	u8 ex = n->rb.executor;

	if (!n->rb_active)
		return;
	n->coord.active = true;
	n->coord.pending = n->rb.pending;
	n->coord.ld = RC_LD_NONE;
	n->coord.executor = RC_NO_NODE;
	if (n->my_rebuild != RC_LD_NONE) {
		n->coord.ld = n->my_rebuild;
		n->coord.executor = n->p.self;
		n->coord.pending |= 1u << n->my_rebuild;
		return;
	}
	if (n->rb.ld != RC_LD_NONE && ex != RC_NO_NODE &&
	    (rc_members(n) & (1u << ex)) &&
	    (n->coord.pending & (1u << n->rb.ld))) {
		n->coord.ld = n->rb.ld;		/* still running there */
		n->coord.executor = ex;
		return;
	}
	rc_rb_dispatch(n);
}
