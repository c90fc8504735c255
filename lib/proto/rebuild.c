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
 *
 * Who rebuilds: the drive's reservation holder, the master when nobody
 * holds it (figure 16).  The rebuild follows the reservation: when the
 * holder changes, the old executor stops before it answers the new
 * holder's Reserve (or before its own Release goes out), and the master
 * hands the rebuild to the new holder.  An executor that dies is replaced
 * once it is fenced.  Every hand-over resumes from the last position the
 * master has from the current executor (its Node_Inform_Status reports
 * are checked against the run of the dispatch, so a late report of a
 * replaced executor never moves the position past what the current one
 * did); the host also knows the COD checkpoint the master writes from
 * them (RC_ACT_REBUILD_RECORD) and starts from the higher of the two.
 * The master expects a report from a remote executor every few status
 * periods and dispatches again when none comes, so a rebuild never
 * stalls silently.
 */
#include "rc_base.h"
#include "node_priv.h"

/* Permille between two COD checkpoints of the running drive. */
#define RC_RB_RECORD_STEP 50
/* Status periods the master waits for a remote executor's report. */
#define RC_RB_DEADLINE_PERIODS 5

static u64 rc_rb_deadline_ms(const struct rc_node *n)
{
	return (u64)RC_RB_DEADLINE_PERIODS * n->p.status_period_ms +
	       n->p.reply_timeout_ms;
}

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

/* May this node run @ld's rebuild: it holds the drive, or nobody does
 * and it is the master.
 */
static bool rc_rb_may_run(const struct rc_node *n, u8 ld)
{
	u8 h = n->holder[ld];

	return h == n->p.self || (h == RC_HOLDER_NONE && rc_is_master(n));
}

/* The node that should run @ld's rebuild (master's view). */
static u8 rc_rb_wanted(const struct rc_node *n, u8 ld)
{
	u8 h = n->holder[ld];

	return h == RC_HOLDER_NONE ? n->p.self : h;
}

/* A new rate sample starts with each executor's first report. */
static void rc_rb_rate_note(struct rc_node *n)
{
	if (n->rb_rate_ld == n->rb.ld && n->rb_rate_ex == n->rb.executor)
		return;
	n->rb_rate_ld = n->rb.ld;
	n->rb_rate_ex = n->rb.executor;
	n->rb_rate_p0 = n->rb.progress;
	n->rb_rate_t0 = n->now;
}

static void rc_rb_record(struct rc_node *n, u8 ld, u32 permille, u8 status)
{
	struct rc_action a = { .type = RC_ACT_REBUILD_RECORD, .ld = ld,
			       .permille = permille, .status = status };

	rc_emit(n, &a);
}

/* Master: progress of the dispatched drive from its current executor. */
static void rc_rb_note_progress(struct rc_node *n, u32 permille)
{
	if (permille > 999)
		permille = 999;		/* 1000 is the completion's */
	if (permille > n->coord.progress)
		n->coord.progress = permille;
	if (n->coord.progress >= n->coord.recorded + RC_RB_RECORD_STEP) {
		n->coord.recorded = n->coord.progress;
		rc_rb_record(n, n->coord.ld, n->coord.progress, RC_SCSI_BUSY);
	}
}

static void rc_rb_start_local(struct rc_node *n, u8 ld, u32 permille)
{
	struct rc_action a = { .type = RC_ACT_REBUILD_START, .ld = ld,
			       .permille = permille };

	/* Steps 1610/1805 then 1615/1810. */
	n->my_rebuild = ld;
	n->my_progress = permille;
	rc_emit(n, &a);
	n->rb.ld = ld;
	n->rb.executor = n->p.self;
	n->rb.progress = permille;
	rc_rb_rate_note(n);
	rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILD_STARTED, ld);
	n->next_status = n->now + n->p.status_period_ms;
}

/* This node may not run its rebuild any more (another node holds the
 * drive now): stop it before anything else goes out.
 */
static void rc_rb_stop_local(struct rc_node *n)
{
	struct rc_action a = { .type = RC_ACT_REBUILD_STOP,
			       .ld = n->my_rebuild };

	rc_emit(n, &a);
	n->my_rebuild = RC_LD_NONE;
	if (n->rb.executor == n->p.self)
		n->rb.executor = RC_NO_NODE;
	rc_slot_touch(n);
}

/*
 * Figure 16: steps 1605/1630 choose, 1610 or 1650 start, 1640/1645 end.
 * Also (re)starts the dispatched drive on whoever should run it now, once
 * nothing stands in the way: a dead executor's fence, a dead holder's
 * entry (its fence clears it), a retry time.
 */
static void rc_rb_dispatch(struct rc_node *n)
{
	u8 ld, h;

	/* A node whose lease ran out has a stale view: it starts nothing. */
	if (!rc_is_master(n) || !n->coord.active || !rc_lease_valid(n))
		return;
	if (n->coord.ld == RC_LD_NONE) {
		if (!n->coord.pending) {
			n->coord.active = false;
			rc_rb_broadcast(n, RC_DCMD_INFORM_REBUILT_ALL, 0); /* 1640 */
			rc_rb_off(n);					 /* 1645 */
			return;
		}
		for (ld = 0; !(n->coord.pending & (1u << ld)); ld++)
			;
		n->coord.ld = ld;
		n->coord.executor = RC_NO_NODE;
		n->coord.progress = 0;
		n->coord.recorded = 0;
		n->coord.deadline = 0;
		n->rb.run = (u64)n->p.self << 56 | ++n->rb_run;
	}
	if (n->coord.executor != RC_NO_NODE || n->now < n->coord.deadline)
		return;
	if (n->coord.wait_fence != RC_NO_NODE) {
		if (rc_fencing(n, n->coord.wait_fence))
			return;
		n->coord.wait_fence = RC_NO_NODE;
	}
	ld = n->coord.ld;
	h = n->holder[ld];
	/* A dead holder's writes may still land: its fence frees the drive. */
	if (h != RC_HOLDER_NONE && h != n->p.self &&
	    !(rc_members(n) & (1u << h)))
		return;
	n->rb.pending = n->coord.pending;
	/* Every hand-over is a new run: late reports of the last one drop. */
	n->rb.run = (u64)n->p.self << 56 | ++n->rb_run;
	if (h == RC_HOLDER_NONE || h == n->p.self) {
		n->coord.executor = n->p.self;
		rc_rb_start_local(n, ld, n->coord.progress);
		return;
	}
	n->coord.executor = h;
	n->coord.deadline = n->now + rc_rb_deadline_ms(n);
	n->rb.ld = ld;
	n->rb.executor = h;
	n->rb.progress = n->coord.progress;
	if (rc_rebuild_encode((struct rc_wire_rebuild *)n->rb_wire, &n->rb) ||
	    rc_send(n, h, RC_DCMD_REBUILD, ld, 0, 0, 0, n->rb_wire,
		    sizeof(n->rb_wire)) < 0) {
		/* Its box is full: again in a status period. */
		n->coord.executor = RC_NO_NODE;
		n->coord.deadline = n->now + n->p.status_period_ms;
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
	}
	rc_rb_dispatch(n);
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
		rc_rb_record(n, ld, status == RC_SCSI_GOOD ? 1000 :
			     n->coord.progress, status);
		n->coord.pending &= ~bit;
		n->coord.ld = RC_LD_NONE;
		n->coord.executor = RC_NO_NODE;
		n->coord.wait_fence = RC_NO_NODE;
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

/*
 * The configuration's list of drives to rebuild.  The master queues the
 * new ones behind the running drive (the others queue and start in turn)
 * and forgets those that left it; a drive it finished stays out until its
 * record has reached the configuration (it leaves the mask once).
 */
void rc_rebuild_needed_ev(struct rc_node *n, u32 mask)
{
	u32 running, add;

	n->rb_needed = mask;
	if (!rc_is_master(n) || !rc_nexus(n) || !rc_lease_valid(n))
		return;
	running = n->coord.active && n->coord.ld != RC_LD_NONE ?
		  1u << n->coord.ld : 0;
	n->rb.done &= mask;		/* recorded: may be needed again */
	n->coord.pending &= mask | running;
	add = mask & ~n->coord.pending & ~running & ~n->rb.done;
	if (add)
		rc_rb_coordinate(n, add);
	else if (n->coord.active)
		rc_rb_dispatch(n);
}

/*
 * @ld changed hands (rc_set_holder()): the rebuild follows the
 * reservation.  Runs before the answer or the Release that made the
 * change goes out, so the old executor's STOP comes first.
 */
void rc_rebuild_holder_changed(struct rc_node *n, u8 ld)
{
	if (n->my_rebuild == ld && !rc_rb_may_run(n, ld))
		rc_rb_stop_local(n);
	if (!rc_is_master(n) || !n->coord.active || n->coord.ld != ld ||
	    n->coord.executor == rc_rb_wanted(n, ld))
		return;
	if (n->coord.progress > n->coord.recorded) {
		n->coord.recorded = n->coord.progress;
		rc_rb_record(n, ld, n->coord.progress, RC_SCSI_BUSY);
	}
	n->coord.executor = RC_NO_NODE;
	n->coord.deadline = 0;
	rc_rb_dispatch(n);
}

/* Master: the answer to a Node_Rebuild it sent. */
void rc_rebuild_reply(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	if (!rc_is_master(n) || !n->coord.active || n->coord.ld != m->ld ||
	    n->coord.executor != from || m->status == RC_SCSI_GOOD)
		return;
	/* Refused (busy, not its drive yet): ask again in a status period. */
	n->coord.executor = RC_NO_NODE;
	n->coord.deadline = n->now + n->p.status_period_ms;
}

/* Is @r a report of the master's current dispatch from its executor? */
static bool rc_rb_current(const struct rc_node *n, u8 from,
			  const struct rc_rebuild *r)
{
	return rc_is_master(n) && n->coord.active &&
	       n->coord.ld == r->ld && n->coord.executor == from &&
	       r->run == n->rb.run;
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
		/*
		 * Step 11C0 -> figure 18 (1805, 1810), from our master only,
		 * for a drive we hold (or claim: the grant may still be on
		 * its way).
		 */
		if (m->ld >= RC_MAX_LDS || from != n->master ||
		    (n->my_rebuild != RC_LD_NONE && n->my_rebuild != m->ld) ||
		    n->holder[m->ld] != n->p.self) {
			status = RC_SCSI_BUSY;
			break;
		}
		rc_rb_on(n);
		n->rb.pending = r.pending;
		n->rb.run = r.run;
		n->rb.requester = r.requester;
		if (n->my_rebuild != m->ld) {
			rc_rb_start_local(n, m->ld, r.progress > 999 ? 999 :
					  r.progress);
		} else {
			/* Asked again (a lost report): say where it is. */
			n->rb.progress = n->my_progress;
			rc_rb_broadcast(n, RC_DCMD_INFORM_STATUS, m->ld);
		}
		break;
	case RC_DCMD_INFORM_REBUILD_STARTED:
	case RC_DCMD_INFORM_STATUS:
		/* Steps 11D0/11D5, 11E0/11E5: enough to report and take over. */
		if (r.executor != from || r.ld >= RC_MAX_LDS)
			break;		/* only the executor reports */
		/* A replaced executor's late report: we know its successor. */
		if (m->cmd.dcmd == RC_DCMD_INFORM_STATUS && n->rb.run &&
		    r.run != n->rb.run && n->rb.executor != RC_NO_NODE &&
		    n->rb.executor != from)
			break;
		rc_rb_on(n);
		n->rb.ld = r.ld;
		n->rb.executor = r.executor;
		n->rb.progress = r.progress;
		n->rb.pending |= r.pending;
		n->rb.run = r.run;
		rc_rb_rate_note(n);
		if (rc_rb_current(n, from, &r)) {
			n->coord.deadline = n->now + rc_rb_deadline_ms(n);
			rc_rb_note_progress(n, r.progress);
		}
		break;
	case RC_DCMD_INFORM_REBUILD_COMPLETED:
		/* Steps 11F0, 11E5 (and 1630 on the master). */
		if (r.ld >= RC_MAX_LDS)
			break;
		/* The master takes it only from the executor it runs now. */
		if (rc_is_master(n) && n->coord.active &&
		    n->coord.ld == r.ld && !rc_rb_current(n, from, &r))
			break;
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
	n->my_progress = permille > 999 ? 999 : permille;
	n->rb.progress = n->my_progress;
	if (rc_is_master(n) && n->coord.active && n->coord.ld == ld &&
	    n->coord.executor == n->p.self)
		rc_rb_note_progress(n, n->my_progress);
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
	if (!rc_is_master(n) || !rc_lease_valid(n))
		return;
	/* Drives the configuration asked for before we could start them. */
	if (n->rb_needed && rc_nexus(n))
		rc_rebuild_needed_ev(n, n->rb_needed);
	if (!n->coord.active || n->coord.ld == RC_LD_NONE)
		return;
	if (n->coord.executor != RC_NO_NODE &&
	    n->coord.executor != n->p.self &&
	    n->now >= n->coord.deadline) {
		/* A silent executor: ask the holder again. */
		n->coord.executor = RC_NO_NODE;
		n->coord.deadline = 0;
	}
	if (n->coord.executor == RC_NO_NODE)
		rc_rb_dispatch(n);
}

/*
 * The node rebuilding died: once it is fenced (its writes are over) the
 * master hands the drive on -- to the holder, or, when the dead node held
 * it, to itself after the fence freed the reservation.
 */
void rc_rebuild_node_failed(struct rc_node *n, u8 id)
{
	if (n->rb.executor != id)
		return;
	n->rb.executor = RC_NO_NODE;
	/* Also kept by a slave: it may be the next master (promoted). */
	n->coord.wait_fence = id;
	if (rc_is_master(n) && n->coord.active &&
	    n->coord.ld != RC_LD_NONE && n->coord.executor == id) {
		n->coord.executor = RC_NO_NODE;
		n->coord.deadline = 0;
		rc_rb_dispatch(n);
	}
}

/* A new master takes over the coordination it has noted (11D5). */
void rc_rebuild_promoted(struct rc_node *n)
{
	u8 ex = n->rb.executor, ld = n->rb.ld;

	if (!n->rb_active && !n->rb_needed)
		return;
	rc_rb_on(n);
	n->coord.active = true;
	n->coord.pending = n->rb.pending | n->rb_needed;
	n->coord.ld = RC_LD_NONE;
	n->coord.executor = RC_NO_NODE;
	n->coord.deadline = 0;
	if (ld < RC_MAX_LDS && n->rb.progress < 1000 &&
	    ((n->coord.pending & (1u << ld)) || n->my_rebuild == ld)) {
		n->coord.ld = ld;
		n->coord.pending |= 1u << ld;
		n->coord.progress = n->rb.progress;
		n->coord.recorded = n->rb.progress;
		if (n->my_rebuild == ld) {
			n->coord.executor = n->p.self;
			return;
		}
		if (ex != RC_NO_NODE && (rc_members(n) & (1u << ex)) &&
		    ex == rc_rb_wanted(n, ld)) {
			n->coord.executor = ex;	/* still running there */
			n->coord.deadline = n->now + rc_rb_deadline_ms(n);
			return;
		}
	}
	rc_rb_dispatch(n);
}
