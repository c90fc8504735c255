// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reservations: the distributed reservation table 390.
 *
 *   figure 10  SCSI Reserve() from the host: local table, then
 *              Node_Reserve() to every other node; on a conflict the
 *              higher node ID waits and retries, the lower one withdraws
 *   figure 12  Node_Reserve() received
 *   figure 19  SCSI Release(): local table, Node_Release() to the others,
 *              GOOD always
 *   fig 11 1110/1105  Node_Release() received
 *
 * A Node_Reserve() refused carries the holder's node ID (one payload
 * byte), which is what the priority test of step 1050 compares against.
 *
 *   preempt    (ours, for the persistent reservation PREEMPT of fence
 *              agents) Node_Reserve() with the payload RC_RESV_PREEMPT:
 *              every member makes the sender the holder, whoever held
 *              the drive; only a member's own claim of the drive with a
 *              higher ID refuses it, so two preempts at once end with one
 *              holder.  The preempted holder's host has fenced and
 *              drained the drive before its GOOD goes out (the
 *              RESERVATION action comes first).
 */
#include "rc_base.h"
#include "node_priv.h"

#define RC_RESV_RETRIES 3	/* step 1045 loops at most this often */

enum rc_resv_stage {
	RC_RS_SENT = 0,		/* waiting for the replies (1040, 1020) */
	RC_RS_WAIT,		/* higher priority: waiting to retry (1045) */
};

static void rc_resv_send(struct rc_node *n, struct rc_op *op, u8 dcmd,
			 u32 targets)
{
	static const u8 preempt = RC_RESV_PREEMPT;
	bool p = op->kind == RC_OP_PREEMPT;
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++) {
		if (!(targets & (1u << i)))
			continue;
		if (rc_send(n, i, dcmd, op->ld, 0, 0, op->id, p ? &preempt : NULL,
			    p ? 1 : 0) > 0)
			op->wait |= 1u << i;
	}
	/*
	 * Long enough for a silent target to be declared failed by its
	 * heartbeat (then its answer is no longer awaited) before we give
	 * up on it.
	 */
	op->deadline = n->now + n->p.reply_timeout_ms +
		       (u64)(n->p.hb_misses + 2) * n->p.hb_period_ms;
}

/* Best-effort Node_Release() to nodes that may hold an entry for us. */
static void rc_resv_undo(struct rc_node *n, u8 ld, u32 targets)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++)
		if (targets & (1u << i))
			rc_send(n, i, RC_DCMD_RELEASE, ld, 0, 0, 0, NULL, 0);
}

/* Step 1035: withdraw our entry, answer the host. */
static void rc_resv_fail(struct rc_node *n, struct rc_op *op, u8 status)
{
	if (n->holder[op->ld] == n->p.self)
		rc_set_holder(n, op->ld, RC_HOLDER_NONE);
	/* Everyone asked may hold an entry for us (a reply may be lost),
	 * and a node that joined meanwhile may have it from the master.
	 */
	rc_resv_undo(n, op->ld, op->granted | op->wait | op->conflict |
		     rc_resv_targets(n));
	rc_emit_complete(n, op->cookie, status);
	rc_op_free(op);
}

static void rc_resv_settle(struct rc_node *n, struct rc_op *op)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++)
		if ((op->fencing & (1u << i)) && !rc_fencing(n, (u8)i))
			op->fencing &= ~(1u << i);
	/* ... and those fenced since our start, who may hold it unseen */
	if (op->kind != RC_OP_RELEASE)
		op->fencing |= rc_fence_startup_pending(n);
	if (op->wait || op->fencing || op->stage != RC_RS_SENT)
		return;
	/*
	 * A grant needs a view that is not stale: a node that froze with the
	 * Reserve in flight counts, when it wakes up, members that left while
	 * it slept as no objection; its lapsed lease says so.
	 */
	if (op->kind != RC_OP_RELEASE && !rc_lease_valid(n)) {
		rc_resv_fail(n, op, RC_SCSI_BUSY);
		return;
	}
	if (op->kind == RC_OP_PREEMPT) {
		/* A higher ID claimed it at the same time: it wins. */
		if (op->conflict) {
			rc_resv_fail(n, op, RC_SCSI_RESERVATION_CONFLICT);
			return;
		}
		rc_emit_complete(n, op->cookie, RC_SCSI_GOOD);
		rc_op_free(op);
		return;
	}
	if (op->kind == RC_OP_RELEASE) {
		rc_emit_complete(n, op->cookie, RC_SCSI_GOOD);	/* 1910 */
		rc_op_free(op);
		return;
	}
	if (!op->conflict) {
		rc_emit_complete(n, op->cookie, RC_SCSI_GOOD);	/* 1030 */
		rc_op_free(op);
		return;
	}
	/*
	 * Step 1050: higher priority (our ID above every holder that
	 * refused) waits (1045) and checks again (1040); the lower one
	 * removes its entry and reports the conflict (1035).
	 */
	if (op->retried < RC_RESV_RETRIES && !(op->stage_flags & 1)) {
		op->stage = RC_RS_WAIT;
		op->retry_at = n->now + n->p.reserve_retry_ms;
		return;
	}
	rc_resv_fail(n, op, RC_SCSI_RESERVATION_CONFLICT);
}

/* Our own Reserve of @ld is in flight: our entry is a claim (1015). */
bool rc_resv_pending(const struct rc_node *n, u8 ld)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_OPS; i++)
		if ((n->ops[i].kind == RC_OP_RESERVE ||
		     n->ops[i].kind == RC_OP_PREEMPT) && n->ops[i].ld == ld)
			return true;
	return false;
}

void rc_resv_preempt(struct rc_node *n, const struct rc_host_cmd *c)
{
	u32 targets = rc_resv_targets(n);
	struct rc_op *op;

	if (!rc_nexus(n) || rc_resv_pending(n, c->ld) || !rc_lease_valid(n)) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	if (n->holder[c->ld] == n->p.self) {
		rc_emit_complete(n, c->cookie, RC_SCSI_GOOD);
		return;
	}
	op = rc_op_new(n, RC_OP_PREEMPT);
	if (!op) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	op->ld = c->ld;
	op->cookie = c->cookie;
	n->resv_touched |= 1u << c->ld;
	rc_set_holder(n, c->ld, n->p.self);	/* a claim until all answer */
	rc_resv_send(n, op, RC_DCMD_RESERVE, targets);
	if (op->wait != targets) {
		rc_resv_fail(n, op, RC_SCSI_BUSY);
		return;
	}
	rc_resv_settle(n, op);
}

void rc_resv_host(struct rc_node *n, const struct rc_host_cmd *c)
{
	struct rc_op *op;
	u32 targets;
	u8 h = n->holder[c->ld];

	if (!rc_nexus(n)) {
		rc_emit_complete(n, c->cookie, c->op == RC_HOST_RELEASE ?
				 RC_SCSI_GOOD : RC_SCSI_BUSY);
		return;
	}
	targets = rc_resv_targets(n);
	if (c->op == RC_HOST_RELEASE) {
		unsigned int i;

		/*
		 * A Release issued while our own Reserve is still in flight:
		 * in command order the Reserve completes first (GOOD: the
		 * host cannot have used it before releasing) and the Release
		 * then takes it back everywhere it may have been granted.
		 */
		for (i = 0; i < RC_MAX_OPS; i++)
			if (n->ops[i].kind == RC_OP_RESERVE &&
			    n->ops[i].ld == c->ld)
				rc_resv_fail(n, &n->ops[i], RC_SCSI_GOOD);
		h = n->holder[c->ld];
		/* Step 1905: our table, then the others'; 1910: GOOD. */
		if (h == n->p.self)
			rc_set_holder(n, c->ld, RC_HOLDER_NONE);
		op = targets ? rc_op_new(n, RC_OP_RELEASE) : NULL;
		if (!op) {
			rc_resv_undo(n, c->ld, targets);
			rc_emit_complete(n, c->cookie, RC_SCSI_GOOD);
			return;
		}
		op->ld = c->ld;
		op->cookie = c->cookie;
		rc_resv_send(n, op, RC_DCMD_RELEASE, targets);
		rc_resv_settle(n, op);
		return;
	}
	/*
	 * A node whose lease ran out (it was frozen, its slot I/O hangs) has
	 * a stale view: its table and whom it thinks alive may be seconds
	 * old.  It takes nothing until a good heartbeat cycle renews it.
	 */
	if (!rc_lease_valid(n)) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	/*
	 * Step 1005: reserved already?  Ours: GOOD (SCSI); else conflict.
	 * Our entry is made at step 1015, before the others answered: while
	 * that Reserve is in flight the entry is a claim, not a grant (it
	 * may still lose to a higher node, 1050), so a second Reserve of the
	 * same drive is BUSY, not GOOD.
	 */
	if (h == n->p.self) {
		rc_emit_complete(n, c->cookie, rc_resv_pending(n, c->ld) ?
				 RC_SCSI_BUSY : RC_SCSI_GOOD);
		return;
	}
	if (h != RC_HOLDER_NONE) {
		rc_emit_complete(n, c->cookie, RC_SCSI_RESERVATION_CONFLICT);
		return;
	}
	op = rc_op_new(n, RC_OP_RESERVE);
	if (!op) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	op->ld = c->ld;
	op->cookie = c->cookie;
	rc_set_holder(n, c->ld, n->p.self);		/* step 1015 */
	rc_resv_send(n, op, RC_DCMD_RESERVE, targets);	/* step 1040 */
	if (op->wait != targets) {
		/* A peer we cannot even queue to: do not guess. */
		rc_resv_fail(n, op, RC_SCSI_BUSY);
		return;
	}
	rc_resv_settle(n, op);
}

void rc_resv_reply(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_op *op = rc_op_find(n, m->op);
	u32 bit = 1u << from;

	if (!op || (op->kind != RC_OP_RESERVE && op->kind != RC_OP_RELEASE &&
		    op->kind != RC_OP_PREEMPT) || !(op->wait & bit))
		return;
	op->wait &= ~bit;
	if (op->kind == RC_OP_PREEMPT) {
		if (m->status == RC_SCSI_GOOD)
			op->granted |= bit;
		else
			op->conflict |= bit;
	} else if (op->kind == RC_OP_RESERVE) {
		if (m->status == RC_SCSI_GOOD) {
			op->granted |= bit;
		} else {
			op->conflict |= bit;
			/* Step 1050: compare with the holder it names. */
			if (m->status != RC_SCSI_RESERVATION_CONFLICT ||
			    m->len != 1 || m->payload[0] >= RC_MAX_NODES ||
			    m->payload[0] > n->p.self)
				op->stage_flags |= 1;	/* lower priority */
		}
	}
	rc_resv_settle(n, op);
}

/* Figure 12 (Node_Reserve) and steps 1110/1105 (Node_Release). */
void rc_resv_cmd(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	u8 h = n->holder[m->ld];

	if (m->cmd.dcmd == RC_DCMD_RELEASE) {
		/* A joiner remembers who gave the drive up (see
		 * rc_config_done_ev(): the master's snapshot may be older):
		 * every sender, as a Release by a node that never held the
		 * drive (figure 19 sends it anyway) must not hide the
		 * holder's own.
		 */
		n->resv_released_by[m->ld] |= 1u << from;
		if (h == from)
			rc_set_holder(n, m->ld, RC_HOLDER_NONE);
		rc_reply_msg(n, from, m, RC_SCSI_GOOD, NULL, 0);
		return;
	}
	if (m->len == 1 && m->payload[0] == RC_RESV_PREEMPT) {
		/*
		 * Two preempts at once: the higher ID wins everywhere.  Our
		 * own claim refuses a lower one, and so does, for a couple of
		 * reply timeouts, a higher one we just granted (the lower one
		 * may reach us second); its loser then withdraws.
		 */
		if (rc_resv_pending(n, m->ld) && n->p.self > from)
			h = n->p.self;
		else if (h != RC_HOLDER_NONE && h == n->preempt_by[m->ld] &&
			 h > from && n->now < n->preempt_until[m->ld])
			h = n->preempt_by[m->ld];
		else
			h = RC_HOLDER_NONE;
		if (h != RC_HOLDER_NONE) {
			rc_reply_msg(n, from, m, RC_SCSI_RESERVATION_CONFLICT,
				     &h, 1);
			return;
		}
		n->resv_touched |= 1u << m->ld;
		n->resv_released_by[m->ld] = 0;
		n->preempt_by[m->ld] = from;
		n->preempt_until[m->ld] = n->now + 2ull * n->p.reply_timeout_ms;
		rc_set_holder(n, m->ld, from);
		rc_reply_msg(n, from, m, RC_SCSI_GOOD, NULL, 0);
		return;
	}
	/* a peer we fence since our start may hold it unseen */
	if (h == RC_HOLDER_NONE && rc_fence_startup_pending(n)) {
		rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	if (h == RC_HOLDER_NONE || h == from) {
		n->resv_touched |= 1u << m->ld;
		n->resv_released_by[m->ld] = 0;
		rc_set_holder(n, m->ld, from);			/* 1210 */
		rc_reply_msg(n, from, m, RC_SCSI_GOOD, NULL, 0); /* 1215 */
		return;
	}
	rc_reply_msg(n, from, m, RC_SCSI_RESERVATION_CONFLICT, &h, 1); /* 1220 */
}

void rc_resv_tick(struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_OPS; i++) {
		struct rc_op *op = &n->ops[i];

		if (op->kind != RC_OP_RESERVE && op->kind != RC_OP_RELEASE &&
		    op->kind != RC_OP_PREEMPT)
			continue;
		if (op->fencing) {
			rc_resv_settle(n, op);
			continue;
		}
		if (op->stage == RC_RS_WAIT && n->now >= op->retry_at) {
			/* Step 1045 -> 1040: ask those that refused again. */
			u32 again = op->conflict & rc_resv_targets(n);

			op->retried++;
			op->stage = RC_RS_SENT;
			op->conflict = 0;
			op->stage_flags = 0;
			rc_resv_send(n, op, RC_DCMD_RESERVE, again);
			rc_resv_settle(n, op);
			continue;
		}
		if (op->stage == RC_RS_SENT && op->wait && n->now >= op->deadline) {
			/* Answers of nodes gone meanwhile are not awaited. */
			op->wait &= rc_resv_targets(n);
			if (!op->wait) {
				rc_resv_settle(n, op);
				continue;
			}
			/* A member that neither answers nor is declared dead:
			 * Release is GOOD anyway, Reserve cannot be granted.
			 */
			if (op->kind == RC_OP_RELEASE) {
				op->wait = 0;
				rc_resv_settle(n, op);
			} else {
				rc_resv_fail(n, op, RC_SCSI_BUSY);
			}
		}
	}
}

/*
 * Node @id left the cluster: its answer is no longer awaited.  A preempt
 * it did not answer may be taking the drive from it: the drive is ours
 * only once @id is fenced (rc_drop_node() started that).  If it left by
 * rebooting (@rebooted), its new life may hold the drive already (it
 * started the cluster again while we could not hear it, frozen with our
 * clock): a Reserve or Preempt it did not answer is BUSY, to be asked
 * again of the new life.
 */
void rc_resv_member_gone(struct rc_node *n, u8 id, bool rebooted)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_OPS; i++) {
		struct rc_op *op = &n->ops[i];

		if (op->kind != RC_OP_RESERVE && op->kind != RC_OP_RELEASE &&
		    op->kind != RC_OP_PREEMPT)
			continue;
		if (rebooted && op->kind != RC_OP_RELEASE &&
		    (op->wait & (1u << id))) {
			rc_resv_fail(n, op, RC_SCSI_BUSY);
			continue;
		}
		if (op->kind == RC_OP_PREEMPT && (op->wait & (1u << id)) &&
		    rc_fencing(n, id))
			op->fencing |= 1u << id;
		op->wait &= ~(1u << id);
		op->granted &= ~(1u << id);
		op->conflict &= ~(1u << id);
		rc_resv_settle(n, op);
	}
}
