// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Configuration negotiation and changes.
 *
 *   fig 8B/8C  the master negotiates with a diagnosed slave (8B0, 880) and
 *              reads its answer (885-895, 8C0, 8C5): rc_config_reply()
 *   fig 5B/5C  the slave verifies (545, 550), stores (555, 560), restarts
 *              on a change (575-585) or completes its startup
 *   figure 13  Node_Negotiate() received: scan (1305), mismatch (1310,
 *              1315), EEPROM/NVM writes (1320-1335), changed: inform the
 *              master and restart (1340-1350)
 *   figure 15  before accepting a change: test every connected channel
 *              and TEST UNIT READY the first online drive of a failing one
 *              (1510-1570); no path to it = our cable: kill self
 *              (1565); a drive that answers with an error is dead on its
 *              own: the next online drive is tested instead
 *   changes    the master commits a change (only it writes the COD) and
 *              pushes it to every slave in nexus; a slave proposes its
 *              change to the master (RC_NEGF_PROPOSAL)
 *
 * The patent's EEPROM/NVM writes are the host's RC_ACT_ADOPT_CONFIG; a
 * slave in nexus adopts a pushed change in place (the host reloads the COD
 * live) rather than restarting, which fig 13 step 1350 would do: restarting
 * every node on each new logical drive would break the nexus for nothing.
 */
#include "rc_base.h"
#include "node_priv.h"

/*
 * The negotiate mailbox of this node: its config, disks and table 390.
 * RC_NEG_COMMITTED: the disk states last committed/adopted (what a
 * negotiation distributes), not the host's local view that may hold a
 * change still being verified.
 */
void rc_config_build_neg(struct rc_node *n, u32 flags)
{
	bool committed = (flags & RC_NEG_COMMITTED) && n->committed_ok;
	struct rc_neg *m = &n->neg_out;
	unsigned int i;

	flags &= ~RC_NEG_COMMITTED;
	rc_neg_init(m);
	m->generation = n->cfg.generation;
	m->cod_crc = n->cfg.cod_crc;
	m->nlds = n->cfg.nlds;
	m->flags = flags;
	memcpy(m->cluster_uuid, n->cfg.cluster_uuid, 16);
	for (i = 0; i < RC_MAX_LDS && i < n->cfg.nlds; i++) {
		if (n->cfg.ld_state[i] == RC_LD_UNUSED ||
		    n->cfg.ld_state[i] >= RC_LD_STATE_MAX)
			continue;
		m->ld_state[i] = n->cfg.ld_state[i];
		m->ld_level[i] = n->cfg.ld_level[i];
		m->holder[i] = n->holder[i];
	}
	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_disk_view *d = &n->disks[i];

		if (d->state == RC_DISK_UNUSED)
			continue;
		m->ndisks = i + 1;
		if (m->pd_disk[d->channel][d->target] != RC_PD_NONE)
			continue;	/* two disks on one address: first wins */
		m->pd_disk[d->channel][d->target] = (u16)i;
		m->pd_state[d->channel][d->target] =
			committed ? n->committed_state[i] : d->state;
		/* A proposal says which online members this node lost. */
		if ((flags & RC_NEGF_PROPOSAL) && !d->present && !d->unseen &&
		    d->state == RC_DISK_ONLINE)
			m->pd_state[d->channel][d->target] = RC_DISK_MISSING;
	}
	if (rc_neg_encode((struct rc_wire_negotiate *)n->neg_wire, m))
		memset(n->neg_wire, 0, sizeof(n->neg_wire));
}

/*
 * Remember the disk states now committed: from a negotiated mailbox @m
 * (slave), or the host's table after it wrote the COD (@m NULL: master).
 */
void rc_config_note_committed(struct rc_node *n, const struct rc_neg *m)
{
	unsigned int i, c, t;

	for (i = 0; i < RC_MAX_DISKS; i++)
		n->committed_state[i] = n->disks[i].state;
	if (m) {
		for (c = 0; c < RC_MAX_CHANNELS; c++)
			for (t = 0; t < RC_MAX_TARGETS; t++)
				if (m->pd_disk[c][t] != RC_PD_NONE)
					n->committed_state[m->pd_disk[c][t]] =
						m->pd_state[c][t];
	}
	n->committed_ok = true;
}

/* Steps 8B0, 880: the master sends its configuration to slave @id. */
void rc_config_negotiate_peer(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];

	rc_config_build_neg(n, RC_NEG_COMMITTED);
	pr->diag = RC_DIAG_NEGOTIATE;
	pr->diag_op = RC_DIAG_OP_BIT | (++n->diag_seq << 5) | id;
	/* The slave may run figure 15 and store the configuration first. */
	pr->diag_deadline = n->now + 2ull * n->p.reply_timeout_ms;
	if (rc_send(n, id, RC_DCMD_NEGOTIATE, 0, 0, 0, pr->diag_op,
		    n->neg_wire, sizeof(n->neg_wire)) < 0)
		pr->diag_deadline = n->now;
}

/* Push the current configuration to every slave in nexus. */
static void rc_config_push(struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++)
		if (n->peers[i].state == RC_NS_NEXUS_SLAVE &&
		    n->peers[i].diag == RC_DIAG_IDLE && rc_peer_live(n, i))
			rc_config_negotiate_peer(n, i);
}

#define RC_VERIFY_BY_SLAVE 1	/* rc_op.ld of the master's own change */
#define RC_VERIFY_BY_PEER 2	/* rc_op.ld of a slave's extra check */

static void rc_commit(struct rc_node *n, const u8 *wire);
static void rc_verify_start(struct rc_node *n);

/* Master side of steps 885-895, 8C0, 8C5. */
void rc_config_reply(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_neg_reply r;
	struct rc_peer *pr = &n->peers[from];

	if (!(m->op & RC_DIAG_OP_BIT)) {
		/* The master's answer to our proposal. */
		struct rc_op *op = rc_op_find(n, m->op);

		if (!op || op->kind != RC_OP_PROPOSE)
			return;
		if (m->status == RC_SCSI_GOOD &&
		    !rc_neg_reply_decode(m->payload, m->len, &r) &&
		    r.result == RC_NEG_CABLE_FAIL) {
			/* The other node sees those drives fine: our path. */
			rc_emit_complete(n, op->cookie, RC_SCSI_CHECK_CONDITION);
			rc_op_free(op);
			rc_suspend(n, RC_SE_CABLE_FAIL);
			return;
		}
		if (op->ld == RC_VERIFY_BY_PEER) {
			rc_op_free(op);		/* the master decides */
			return;
		}
		if (op->ld == RC_VERIFY_BY_SLAVE) {
			/* Our own change, confirmed by a slave: commit it. */
			u64 cookie = op->cookie;

			rc_op_free(op);
			if (m->status != RC_SCSI_GOOD || !rc_is_master(n) ||
			    n->commit_pending) {
				rc_emit_complete(n, cookie, RC_SCSI_BUSY);
				return;
			}
			rc_config_build_neg(n, 0);
			n->commit_for_host = true;
			n->commit_cookie = cookie;
			rc_commit(n, n->neg_wire);
			return;
		}
		rc_emit_complete(n, op->cookie, m->status);
		rc_op_free(op);
		return;
	}
	if (!rc_is_master(n) || pr->diag != RC_DIAG_NEGOTIATE ||
	    m->op != pr->diag_op)
		return;
	pr->diag = RC_DIAG_IDLE;
	if (m->status == RC_SCSI_BUSY) {
		/* Busy or following another master: negotiate later. */
		if (pr->state == RC_NS_DIAGNOSED_SLAVE) {
			pr->state = RC_NS_NONE;
			rc_peer_fire(n, from, RC_PE_FOUND);
		} else {
			pr->repush = true;
		}
		pr->not_before = n->now + n->p.renegotiate_ms;
		return;
	}
	if (m->status != RC_SCSI_GOOD ||
	    rc_neg_reply_decode(m->payload, m->len, &r)) {
		rc_peer_fire(n, from, RC_PE_NEG_MISMATCH);
		rc_drop_node(n, from, false);
		return;
	}
	switch (r.result) {
	case RC_NEG_OK:
		rc_peer_fire(n, from, RC_PE_NEG_SAME);		/* 8C0, 8C5 */
		return;
	case RC_NEG_OK_CHANGED:
		rc_peer_fire(n, from, RC_PE_NEG_CHANGED);	/* 895 */
		n->peers[from].not_before = n->now + n->p.renegotiate_ms;
		return;
	case RC_NEG_EEPROM_FAIL:
	case RC_NEG_NVM_FAIL:
		rc_peer_fire(n, from, RC_PE_NEG_WRITE_FAIL);	/* 890 */
		rc_drop_node(n, from, false);
		return;
	default:
		rc_peer_fire(n, from, RC_PE_NEG_MISMATCH);	/* 890 */
		rc_drop_node(n, from, false);
		return;
	}
}

static void rc_neg_answer(struct rc_node *n, u8 result)
{
	struct rc_wire_negotiate_reply w;
	struct rc_neg_reply r = { .result = result,
				  .generation = n->cfg.generation };
	int seq;

	rc_neg_reply_encode(&w, &r);
	seq = rc_reply(n, n->neg_from, &n->neg_req, RC_SCSI_GOOD, &w,
		       sizeof(w));
	if (result == RC_NEG_OK_CHANGED && seq > 0) {
		/* Step 585 waits until the master has our answer (580). */
		n->restart_pending = true;
		n->restart_peer = n->neg_from;
		n->restart_after_seq = (u32)seq;
		n->restart_deadline = n->now + n->p.reply_timeout_ms;
	}
}

/*
 * Steps 1305, 1310: can we run what the master describes?  Another
 * cluster's configuration is a mismatch.  An online member we cannot see
 * is not refused here: whether the drive or our path is at fault only the
 * master can tell (it tests the drive itself), so we join and propose the
 * drive missing (rc_config_lost_disks()).
 */
static bool rc_neg_acceptable(const struct rc_node *n, const struct rc_neg *m)
{
	return !n->cfg.generation ||
	       !memcmp(n->cfg.cluster_uuid, m->cluster_uuid, 16);
}

/* Online members in the negotiated configuration we have no path to. */
static bool rc_config_lost_disks(const struct rc_node *n)
{
	unsigned int c, t;

	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			u16 d = n->neg.pd_disk[c][t];

			if (d != RC_PD_NONE &&
			    n->neg.pd_state[c][t] == RC_DISK_ONLINE &&
			    !n->disks[d].present && !n->disks[d].unseen)
				return true;
		}
	}
	return false;
}

static void rc_neg_continue(struct rc_node *n)
{
	struct rc_action a = { .type = RC_ACT_ADOPT_CONFIG };

	if (!rc_neg_acceptable(n, &n->neg)) {
		rc_neg_answer(n, RC_NEG_MISMATCH);		/* 1315 */
		rc_suspend(n, RC_SE_NEG_MISMATCH);		/* 570, 540 */
		return;
	}
	/*
	 * Steps 575-585 restart a slave whose configuration changed.  Only
	 * a node that had no configuration at all restarts (to load it);
	 * one that had an older one adopts the new in place, as in nexus:
	 * while the master keeps committing changes a restart per change
	 * would never let it join.
	 */
	n->neg_changed = !n->cfg.generation &&
			 (n->neg.generation != n->cfg.generation ||
			  n->neg.cod_crc != n->cfg.cod_crc);
	/* Steps 555 / 1320-1335: the host stores it. */
	memcpy(n->adopt_wire, n->neg_wire_in, sizeof(n->adopt_wire));
	n->neg_pending = true;
	a.buf = n->adopt_wire;
	a.len = sizeof(n->adopt_wire);
	rc_emit(n, &a);
}

/* --- figure 15 ------------------------------------------------------------- */

static void rc_cable_pass(struct rc_node *n);

/*
 * A member the committed configuration has online that our host lost (an
 * I/O error, or no path) on channel @ch, or -1.  The host takes such a
 * drive out of its table, so the channel may no longer count as connected
 * although it is exactly the one figure 15 must test.
 */
static int rc_lost_disk_on(const struct rc_node *n, u8 ch)
{
	unsigned int d;

	if (!n->committed_ok)
		return -1;
	for (d = 0; d < RC_MAX_DISKS; d++) {
		const struct rc_disk_view *v = &n->disks[d];

		if (n->committed_state[d] == RC_DISK_ONLINE &&
		    v->state != RC_DISK_UNUSED && v->channel == ch &&
		    !v->unseen &&
		    (v->state != RC_DISK_ONLINE || !v->present))
			return (int)d;
	}
	return -1;
}

/*
 * Step 1545: the first drive of channel @ch that is online for our host
 * and has not already failed its TUR in this check with a drive error,
 * or -1.
 */
static int rc_cable_disk(const struct rc_node *n, u8 ch)
{
	unsigned int d;

	for (d = 0; d < RC_MAX_DISKS; d++) {
		const struct rc_disk_view *v = &n->disks[d];

		if (v->present && v->state == RC_DISK_ONLINE &&
		    v->channel == ch && !(n->cable_dead & (1ull << d)))
			return (int)d;
	}
	return -1;
}

static void rc_cable_step(struct rc_node *n)
{
	for (; n->cable_ch < RC_MAX_CHANNELS; n->cable_ch++) {
		u8 c = n->cable_ch;
		bool bad = (n->connected & (1u << c)) &&
			   (n->chan_bad & (1u << c));	/* 1515-1530 */
		int lost = rc_lost_disk_on(n, c);
		int disk;
		struct rc_action a = { .type = RC_ACT_TUR };

		if (!bad && lost < 0)
			continue;			/* 1520 pass */
		disk = rc_cable_disk(n, c);		/* 1540, 1545 */
		n->cable_lone = false;
		if (disk < 0) {
			/* The lost drive was the channel's only online one
			 * (or every other one failed on its own): test it
			 * itself (rc_config_tur_done()).
			 */
			if (lost < 0)
				continue;
			disk = lost;
			n->cable_lone = true;
		}
		n->cable_disk = (u8)disk;
		a.disk = (u16)disk;			/* 1550 */
		a.tag = RC_TAG(RC_TAG_TUR_CABLE, 0, c);
		rc_emit(n, &a);
		return;
	}
	rc_cable_pass(n);				/* 1570 */
}

static void rc_cable_fail(struct rc_node *n);

static void rc_cable_start(struct rc_node *n, u8 purpose)
{
	n->cable_active = true;
	n->cable_purpose = purpose;
	n->cable_ch = 0;
	n->cable_dead = 0;
	/* No channel left at all: every cable of ours is gone. */
	if (!n->connected) {
		rc_cable_fail(n);
		return;
	}
	rc_cable_step(n);
}

/* Step 1565: the change is our cable's doing: kill self. */
static void rc_cable_fail(struct rc_node *n)
{
	if (n->cable_purpose == RC_CABLE_NEGOTIATE)
		rc_neg_answer(n, RC_NEG_CABLE_FAIL);
	/*
	 * The master tests its own channels before a slave's proposal: a
	 * failure here is the master's cable, not the proposer's (CABLE_FAIL
	 * would suspend the proposer).  BUSY: the proposer asks again, the
	 * next master after the failover (section 6).
	 */
	if (n->cable_purpose == RC_CABLE_PROPOSAL && n->commit_for_peer) {
		n->commit_for_peer = false;
		rc_reply(n, n->commit_from, &n->commit_req, RC_SCSI_BUSY,
			 NULL, 0);
	}
	if (n->cable_purpose == RC_CABLE_HOST)
		rc_emit_complete(n, n->cable_cookie, RC_SCSI_CHECK_CONDITION);
	n->cable_active = false;
	n->cable_purpose = RC_CABLE_NONE;
	rc_suspend(n, RC_SE_CABLE_FAIL);
}

/*
 * The result of a figure 15 TUR (steps 1550-1565).  The host says whether
 * a failure is its path (-ENOLINK) or the drive answering with an error
 * (any other errno, node.h).  The patent kills the node whenever the TUR
 * fails, which assumes the tested drive itself is healthy; when two drives
 * of a channel die together the "first online drive" may be the second
 * dead one, and every node would kill itself over a healthy cable.
 *
 *   TUR of                   result        next
 *   an online drive          good          channel passes (1555, 1560)
 *                            -ENOLINK      our cable: kill self (1565)
 *                            other error   that drive is dead on its own:
 *                                          the channel's next online drive
 *                                          (1545 again)
 *   the lost drive (no       -ENOLINK      our cable: kill self (1565)
 *   online drive left)       good / other  channel passes: whether the
 *                                          drive is dead is the
 *                                          verifier's call (section 6)
 */
void rc_config_tur_done(struct rc_node *n, u8 ch, int error)
{
	if (!n->cable_active || ch != n->cable_ch)
		return;
	if (error == -ENOLINK) {
		rc_cable_fail(n);
		return;
	}
	if (error && !n->cable_lone) {
		if (n->cable_disk < RC_MAX_DISKS)
			n->cable_dead |= 1ull << n->cable_disk;
		rc_cable_step(n);			/* 1545 */
		return;
	}
	/* Steps 1555, 1560: the channel answers: not a cable failure (a
	 * lost drive that fails on its own is the verifier's to confirm).
	 */
	if (!error)
		n->chan_bad &= ~(1u << ch);
	n->cable_ch++;
	rc_cable_step(n);				/* 1525, 1530 */
}

static void rc_commit(struct rc_node *n, const u8 *wire)
{
	struct rc_action a = { .type = RC_ACT_COMMIT_CONFIG };

	memcpy(n->adopt_wire, wire, sizeof(n->adopt_wire));
	n->commit_pending = true;
	a.buf = n->adopt_wire;
	a.len = sizeof(n->adopt_wire);
	rc_emit(n, &a);
}

/* The proposal received (n->neg) was built on another configuration. */
static bool rc_neg_stale(const struct rc_node *n)
{
	return n->neg.generation != n->cfg.generation ||
	       n->neg.cod_crc != n->cfg.cod_crc;
}

/*
 * A slave proposes drives dead.  With one drive per channel figure 15
 * cannot tell the slave's cable from the drive, so the master asks the
 * drives itself: one that answers TEST UNIT READY is healthy and the
 * proposal is the slave's cable failure (RC_NEG_CABLE_FAIL: it suspends
 * itself); only drives dead for the master too are committed dead.
 */
static void rc_verify_next(struct rc_node *n)
{
	struct rc_action a = { .type = RC_ACT_TUR };
	unsigned int d;

	for (d = 0; d < RC_MAX_DISKS; d++) {
		if (!(n->verify_mask & (1ull << d)))
			continue;
		n->verify_mask &= ~(1ull << d);
		n->verify_disk = (u8)d;
		a.disk = (u16)d;
		a.tag = RC_TAG(RC_TAG_TUR_VERIFY, d, 0);
		rc_emit(n, &a);
		return;
	}
	if (!rc_is_master(n)) {
		rc_reply_commit(n, RC_NEG_OK);	/* dead for us too */
		return;
	}
	/*
	 * Checked again now: a change of ours may have been committed while
	 * the drives were tested.  A proposal built on an older
	 * configuration would undo it (its whole disk table is written):
	 * refused; the slave adopts ours first and proposes again.
	 */
	if (n->commit_pending || rc_neg_stale(n)) {
		n->commit_for_peer = false;
		n->peers[n->commit_from].repush = true;
		rc_reply(n, n->commit_from, &n->commit_req, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	rc_commit(n, n->neg_wire_in);
}

static void rc_verify_start(struct rc_node *n)
{
	unsigned int c, t;

	n->verify_mask = 0;
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			u16 d = n->neg.pd_disk[c][t];

			if (d == RC_PD_NONE || n->neg.pd_state[c][t] == RC_DISK_ONLINE ||
			    n->neg.pd_state[c][t] == RC_DISK_SPARE ||
			    n->neg.pd_state[c][t] == RC_DISK_REBUILDING)
				continue;
			if (n->disks[d].present &&
			    n->disks[d].state == RC_DISK_ONLINE)
				n->verify_mask |= 1ull << d;
		}
	}
	rc_verify_next(n);
}

void rc_config_verify_done(struct rc_node *n, u8 disk, int error)
{
	if (!n->commit_for_peer || disk != n->verify_disk)
		return;
	if (!error) {
		n->verify_mask = 0;
		rc_reply_commit(n, RC_NEG_CABLE_FAIL);
		return;
	}
	rc_verify_next(n);
}

/* Does our local view fail a drive the committed configuration has online? */
static bool rc_local_fails_drives(const struct rc_node *n)
{
	unsigned int d;

	if (!n->committed_ok)
		return false;
	for (d = 0; d < RC_MAX_DISKS; d++)
		if (n->committed_state[d] == RC_DISK_ONLINE &&
		    (n->disks[d].state != RC_DISK_ONLINE ||
		     (!n->disks[d].present && !n->disks[d].unseen)))
			return true;
	return false;
}

/*
 * The master has no slave to confirm the drives it lost: with one drive
 * per channel its own cable and a dead drive look alike, so it does not
 * write them dead on its own word.  The change waits (BUSY) for a witness:
 * when a slave is in nexus again, rc_monitor_witness() runs it through the
 * slave's check.  Other changes commit at once.
 */
static void rc_commit_alone(struct rc_node *n, u64 cookie)
{
	if (rc_local_fails_drives(n)) {
		n->witness_wanted = true;
		rc_emit_complete(n, cookie, RC_SCSI_BUSY);
		return;
	}
	rc_config_build_neg(n, 0);
	n->commit_for_host = true;
	n->commit_cookie = cookie;
	rc_commit(n, n->neg_wire);
}

/* The node of @mask whose heartbeat advanced last (the likeliest alive), or -1. */
static int rc_freshest_peer(const struct rc_node *n, u32 mask)
{
	unsigned int i;
	int v = -1;

	for (i = 0; i < RC_MAX_NODES; i++)
		if ((mask & (1u << i)) &&
		    (v < 0 || n->peers[i].hb_change_ms >
			      n->peers[v].hb_change_ms))
			v = (int)i;
	return v;
}

/*
 * A slave proposing dead drives also asks another slave to test them at
 * once: if the master is dead too, its answer would only come after the
 * failover, and a node whose cable failed must not run that long with
 * drives it wrongly holds dead.  Only a CABLE_FAIL answer matters.
 */
static void rc_verify_by_peer(struct rc_node *n)
{
	int v = rc_freshest_peer(n, rc_members(n) & ~(1u << n->master));
	struct rc_op *op;

	if (v < 0)
		return;
	op = rc_op_new(n, RC_OP_PROPOSE);
	if (!op)
		return;
	op->cookie = RC_COOKIE_INTERNAL;
	op->ld = RC_VERIFY_BY_PEER;
	op->stage = (u8)v;
	op->deadline = n->now + 3ull * n->p.reply_timeout_ms;
	if (rc_send(n, (u8)v, RC_DCMD_NEGOTIATE, 0, 0, 0, op->id, n->neg_wire,
		    sizeof(n->neg_wire)) < 0)
		rc_op_free(op);
}

/*
 * Ask the slave that beat last (the likeliest alive) to test the drives
 * the master lost.  False if no slave is left to ask.
 */
static bool rc_verify_ask(struct rc_node *n, struct rc_op *op)
{
	int v = rc_freshest_peer(n, rc_members(n));

	if (v < 0)
		return false;
	rc_config_build_neg(n, RC_NEGF_PROPOSAL);
	if (rc_send(n, (u8)v, RC_DCMD_NEGOTIATE, 0, 0, 0, op->id, n->neg_wire,
		    sizeof(n->neg_wire)) < 0)
		return false;
	op->stage = (u8)v;
	op->deadline = n->now + 3ull * n->p.reply_timeout_ms;
	return true;
}

static void rc_cable_pass(struct rc_node *n)
{
	u8 purpose = n->cable_purpose;
	struct rc_op *op;

	n->cable_active = false;
	n->cable_purpose = RC_CABLE_NONE;
	switch (purpose) {
	case RC_CABLE_NEGOTIATE:
		n->neg_waiting_cable = false;
		rc_neg_continue(n);
		return;
	case RC_CABLE_PROPOSAL:
		rc_verify_start(n);
		return;
	case RC_CABLE_HOST:
		if (rc_is_master(n)) {
			u32 m = rc_members(n);

			if (m) {
				/* Figure 15 cannot tell our cable from a
				 * lone drive: a slave tests the drives we
				 * lost before we write them dead.
				 */
				op = rc_op_new(n, RC_OP_PROPOSE);
				if (op) {
					op->cookie = n->cable_cookie;
					op->ld = RC_VERIFY_BY_SLAVE;
					if (rc_verify_ask(n, op))
						return;
					rc_op_free(op);
				}
				rc_emit_complete(n, n->cable_cookie,
						 RC_SCSI_BUSY);
				return;
			}
			rc_commit_alone(n, n->cable_cookie);
			return;
		}
		op = rc_op_new(n, RC_OP_PROPOSE);
		if (!op || n->master == RC_NO_NODE) {
			if (op)
				rc_op_free(op);
			rc_emit_complete(n, n->cable_cookie, RC_SCSI_BUSY);
			return;
		}
		op->cookie = n->cable_cookie;
		op->stage = n->master;		/* who must answer */
		op->deadline = n->now + 3ull * n->p.reply_timeout_ms;
		rc_config_build_neg(n, RC_NEGF_PROPOSAL);
		if (rc_send(n, n->master, RC_DCMD_NEGOTIATE, 0, 0, 0, op->id,
			    n->neg_wire, sizeof(n->neg_wire)) < 0) {
			rc_emit_complete(n, op->cookie, RC_SCSI_BUSY);
			rc_op_free(op);
			return;
		}
		rc_verify_by_peer(n);
		return;
	default:
		return;
	}
}

/* --- commands and events --------------------------------------------------- */

void rc_reply_commit(struct rc_node *n, u8 result)
{
	struct rc_wire_negotiate_reply w;
	struct rc_neg_reply r = { .result = result,
				  .generation = n->cfg.generation };

	if (!n->commit_for_peer)
		return;
	n->commit_for_peer = false;
	rc_neg_reply_encode(&w, &r);
	rc_reply(n, n->commit_from, &n->commit_req,
		 result == RC_NEG_OK || result == RC_NEG_CABLE_FAIL ?
		 RC_SCSI_GOOD : RC_SCSI_CHECK_CONDITION, &w, sizeof(w));
}

/* Node_Negotiate() received (step 1170). */
void rc_config_cmd(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	bool busy = n->neg_pending || n->neg_waiting_cable ||
		    n->cable_active || n->commit_pending || n->commit_for_peer ||
		    n->restart_pending;
	struct rc_wire_negotiate_reply w;
	struct rc_neg_reply r = { .result = RC_NEG_MISMATCH };
	bool startup;

	if (busy) {
		rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	if (m->len != sizeof(n->neg_wire_in) ||
	    rc_neg_decode(m->payload, m->len, &n->neg)) {
		rc_neg_reply_encode(&w, &r);
		rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, &w, sizeof(w));
		return;
	}
	memcpy(n->neg_wire_in, m->payload, sizeof(n->neg_wire_in));
	if (n->neg.flags & RC_NEGF_PROPOSAL) {
		if (!rc_nexus(n)) {
			rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, NULL, 0);
			return;
		}
		/*
		 * A proposal built on an older configuration than ours would
		 * undo what was committed since (its whole disk table is
		 * written): refused; the slave adopts ours first (we push it
		 * again) and proposes what is still true then.
		 */
		if (rc_is_master(n) && rc_neg_stale(n)) {
			n->peers[from].repush = true;
			rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
			return;
		}
		n->commit_for_peer = true;
		n->commit_from = from;
		rc_req_of(&n->commit_req, m);
		if (!rc_is_master(n)) {
			/* Another node asks us to test the drives it lost. */
			rc_verify_start(n);
			return;
		}
		/* A slave's change: only the master commits (fig 15 first). */
		rc_cable_start(n, RC_CABLE_PROPOSAL);
		return;
	}
	/* From our master, or from the one we wait to appear. */
	if (rc_is_master(n) || n->state != RC_NS_ACTIVE_SLAVE ||
	    (n->master != from && n->master != RC_NO_NODE &&
	     rc_peer_live(n, n->master))) {
		/* Not (yet) our master: it may try again later. */
		rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	if (n->master != from) {
		n->master = from;
		rc_peer_fire(n, from, RC_PE_IS_MASTER);
	}
	startup = n->info == RC_NI_WAITING_FOR_NEGOTIATIONS;
	n->neg_from = from;
	rc_req_of(&n->neg_req, m);
	n->neg_at_startup = startup;
	rc_self_fire(n, RC_SE_NEGOTIATE);			/* 545 */
	if (!startup && (n->neg.generation != n->cfg.generation ||
			 n->neg.cod_crc != n->cfg.cod_crc)) {
		/* A change in nexus: figure 15 before accepting it. */
		n->neg_waiting_cable = true;
		rc_cable_start(n, RC_CABLE_NEGOTIATE);
		return;
	}
	rc_neg_continue(n);
}

void rc_config_done_ev(struct rc_node *n, int error)
{
	unsigned int i;

	if (n->neg_pending) {
		n->neg_pending = false;
		if (error) {
			/* Steps 1320-1335 / 560: EEPROM or NVM write failed. */
			rc_neg_answer(n, error == -RC_NEG_EEPROM_FAIL ?
				      RC_NEG_EEPROM_FAIL : RC_NEG_NVM_FAIL);
			rc_suspend(n, RC_SE_NEG_WRITE_FAIL);	/* 570, 540 */
			return;
		}
		rc_config_note_committed(n, &n->neg);
		/* What we now run (kept across the restart of step 585, so
		 * the next negotiation finds it unchanged).
		 */
		n->cfg.generation = n->neg.generation;
		n->cfg.cod_crc = n->neg.cod_crc;
		memcpy(n->cfg.cluster_uuid, n->neg.cluster_uuid, 16);
		if (n->neg_at_startup) {
			/* The master's table 390 is the cluster's. */
			for (i = 0; i < RC_MAX_LDS; i++) {
				u8 h = n->neg.holder[i];

				/*
				 * Newer than the snapshot: a holder we heard
				 * of.  A drive we only heard released keeps
				 * the master's holder unless that is the node
				 * we saw release it (below): a node that
				 * reserved before we were its target never
				 * told us.
				 */
				if ((n->resv_touched & (1u << i)) &&
				    n->holder[i] != RC_HOLDER_NONE)
					continue;
				if (h != RC_HOLDER_NONE &&
				    h < RC_MAX_NODES &&
				    (n->resv_released_by[i] & (1u << h)))
					h = RC_HOLDER_NONE;
				/* A holder we see booting (it restarted since
				 * the master's snapshot) holds nothing.
				 */
				if (h != RC_HOLDER_NONE && h != n->p.self &&
				    h < RC_MAX_NODES && n->peers[h].slot_ok &&
				    n->peers[h].slot.booting)
					h = RC_HOLDER_NONE;
				rc_set_holder(n, i, h);
			}
		}
		if (n->neg_changed && n->neg_at_startup) {
			rc_neg_answer(n, RC_NEG_OK_CHANGED);	/* 580 */
			rc_self_fire(n, RC_SE_NEG_CHANGED);	/* 585 */
			return;
		}
		rc_neg_answer(n, RC_NEG_OK);
		rc_self_fire(n, RC_SE_NEG_SAME);		/* 575 same */
		n->auto_propose = rc_config_lost_disks(n);
		n->booting = false;
		rc_peer_fire(n, n->neg_from, RC_PE_MASTER_READY);
		if (n->rb_active)
			rc_self_fire(n, RC_SE_REBUILD_ON);
		rc_slot_touch(n);
		return;
	}
	if (n->commit_pending) {
		n->commit_pending = false;
		if (!error)
			rc_config_note_committed(n, NULL);
		if (n->commit_for_host) {
			n->commit_for_host = false;
			rc_emit_complete(n, n->commit_cookie, error ?
					 RC_SCSI_CHECK_CONDITION : RC_SCSI_GOOD);
		}
		rc_reply_commit(n, error ? RC_NEG_NVM_FAIL : RC_NEG_OK);
		if (!error)
			rc_config_push(n);
	}
}

void rc_config_host(struct rc_node *n, const struct rc_host_cmd *c)
{
	if (!rc_nexus(n) || n->cable_active || n->commit_pending) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	/* Figure 15 on ourselves first: never distribute our own cable's
	 * failure as dead drives.
	 */
	n->cable_cookie = c->cookie;
	rc_cable_start(n, RC_CABLE_HOST);
}

void rc_config_tick(struct rc_node *n)
{
	unsigned int i;

	if (n->witness_wanted && rc_is_master(n) && rc_nexus(n) &&
	    rc_members(n) && !n->cable_active && !n->commit_pending &&
	    !n->commit_for_peer) {
		/* A slave is back: have our lost drives confirmed. */
		n->witness_wanted = false;
		n->cable_cookie = RC_COOKIE_INTERNAL;
		rc_cable_start(n, RC_CABLE_HOST);
	}
	if (n->auto_propose && rc_nexus(n) && !n->cable_active &&
	    !n->commit_pending && !n->neg_pending && !n->neg_waiting_cable) {
		/* Members we lost at negotiation: propose them missing. */
		n->auto_propose = false;
		n->cable_cookie = RC_COOKIE_INTERNAL;
		rc_cable_start(n, RC_CABLE_HOST);
	}

	for (i = 0; i < RC_MAX_OPS; i++) {
		struct rc_op *op = &n->ops[i];

		if (op->kind != RC_OP_PROPOSE)
			continue;
		if (op->ld == RC_VERIFY_BY_PEER) {
			if (n->now >= op->deadline)
				rc_op_free(op);
			continue;
		}
		if (op->ld == RC_VERIFY_BY_SLAVE) {
			/* The slave asked left the cluster: ask another; none
			 * left: we are alone and commit as a lone master.
			 */
			if (!(rc_members(n) & (1u << op->stage)) &&
			    !rc_verify_ask(n, op)) {
				u64 cookie = op->cookie;

				rc_op_free(op);
				if (!rc_is_master(n) || n->commit_pending) {
					rc_emit_complete(n, cookie, RC_SCSI_BUSY);
					continue;
				}
				rc_commit_alone(n, cookie);
				continue;
			}
			if (n->now >= op->deadline) {
				rc_emit_complete(n, op->cookie, RC_SCSI_BUSY);
				rc_op_free(op);
			}
			continue;
		}
		if (n->master != op->stage && n->master == n->p.self &&
		    !n->commit_pending && !n->cable_active) {
			/*
			 * The master died; we are the master now: our own
			 * change, confirmed by a slave when there is one.
			 */
			u64 cookie = op->cookie;

			rc_op_free(op);
			n->witness_wanted = true;
			rc_emit_complete(n, cookie, RC_SCSI_BUSY);
			continue;
		}
		if (n->master != op->stage && n->master != RC_NO_NODE &&
		    n->master != n->p.self) {
			/* A new master: propose to it (the old one is gone). */
			rc_config_build_neg(n, RC_NEGF_PROPOSAL);
			if (rc_send(n, n->master, RC_DCMD_NEGOTIATE, 0, 0, 0,
				    op->id, n->neg_wire,
				    sizeof(n->neg_wire)) > 0) {
				op->stage = n->master;
				op->deadline = n->now +
					       3ull * n->p.reply_timeout_ms;
			}
		}
		if (n->now >= op->deadline) {
			rc_emit_complete(n, op->cookie, RC_SCSI_BUSY);
			rc_op_free(op);
		}
	}
}
