// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Cluster membership: startup (figures 4, 5A-5C), the master's monitor
 * (figures 8A-8C), heartbeats and cable-failure analysis (figure 17),
 * master failover and rejoin, failure-to-detect-failure (booting flag and
 * incarnation, table 20), and the dispatch of node-to-node commands
 * (figures 11A-11C).
 *
 * The Heartbeat() of table 17 is the heartbeat counter of the node slot:
 * every hb_period a node rewrites its slot with the counter advanced and
 * reads all slots in one read; a monitored node whose counter has not
 * advanced for hb_misses checks has failed one Heartbeat() per check.
 */
#include "rc_base.h"
#include "node_priv.h"

static void rc_emit_master(struct rc_node *n)
{
	struct rc_action a = { .type = RC_ACT_MASTER, .node = n->master };

	rc_emit(n, &a);
	rc_slot_touch(n);
}

void rc_restart(struct rc_node *n)
{
	struct rc_action a = { .type = RC_ACT_RESTART };

	if (n->my_rebuild != RC_LD_NONE) {
		struct rc_action s = { .type = RC_ACT_REBUILD_STOP,
				       .ld = n->my_rebuild };

		rc_emit(n, &s);
		n->my_rebuild = RC_LD_NONE;
	}
	rc_emit(n, &a);
	/* Quiet until the host starts us again with a new incarnation. */
	n->started = false;
}

/* --- startup ------------------------------------------------------------- */

void rc_cluster_start(struct rc_node *n)
{
	/* Step 4A5: channel bitmap; 4B0: node-communications channel. */
	rc_self_fire(n, RC_SE_BOOT);
	n->booting = true;
	n->start_ms = n->now;
	/* listen first (duplicate IDs), then the discovery of step 410 */
	n->listening = n->p.listen_ms != 0;
	n->listen_end = n->now + n->p.listen_ms;
	n->discovery_end = n->listen_end + n->p.discovery_ms;
	n->next_hb = n->now;
	n->next_poll = n->now;
	rc_chan_update(n);
	rc_cluster_tick(n);
}

/* Member disks, but a path to none of them: every cable of ours is gone. */
static bool rc_cut_off(const struct rc_node *n)
{
	unsigned int i;

	if (n->connected)
		return false;
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (n->disks[i].state != RC_DISK_UNUSED)
			return true;
	return false;
}

/* Fig 4 step 425: the same rule on every node decides master and slaves. */
static void rc_decide_role(struct rc_node *n)
{
	unsigned int i;
	int master = -1, best = n->p.self;
	bool established = false;

	for (i = 0; i < RC_MAX_NODES; i++) {
		const struct rc_peer *pr = &n->peers[i];

		/*
		 * A node past its startup (a master, or a slave whose
		 * cluster elects one) whose heartbeat stopped advancing:
		 * maybe one that crashed during our discovery.  Following
		 * it would only end in the negotiation timeout (step 530),
		 * and ignoring a live one could make two masters: decide
		 * once it beats again or the heartbeat window (fig 17) says
		 * it is dead.
		 */
		if (rc_peer_live(n, i) && !pr->slot.booting &&
		    n->now > pr->hb_change_ms + n->p.hb_period_ms) {
			n->discovery_end = n->now + n->p.poll_ms;
			return;
		}
		/*
		 * A higher node booting with us whose slot we have read only
		 * once (it started a little after us: our reads are a
		 * heartbeat apart) is not live yet, but it is the master by
		 * step 425 and it sees us live already: deciding now would
		 * make two masters.  Wait until it beats again, or until the
		 * heartbeat window says the slot is a dead one's.
		 */
		if (i > n->p.self && pr->slot_ok &&
		    !pr->hb_seen_change && pr->slot.booting &&
		    n->now <= pr->hb_change_ms + (u64)(n->p.hb_misses + 1) *
		    n->p.hb_period_ms) {
			n->discovery_end = n->now + n->p.poll_ms;
			return;
		}
	}
	n->role_decided = true;
	if (rc_cut_off(n)) {
		/* Member disks but no path to any: every cable of ours is
		 * gone (step 4A5 found no channel).  Never run alone on a
		 * configuration we cannot reach.
		 */
		rc_suspend(n, RC_SE_CABLE_FAIL);
		return;
	}
	for (i = 0; i < RC_MAX_NODES; i++) {
		const struct rc_slot_info *s = &n->peers[i].slot;

		if (!rc_peer_live(n, i))
			continue;
		if (!s->booting && s->state == RC_NS_MASTER) {
			if ((int)i > master)
				master = i;
		} else if (!s->booting) {
			established = true;	/* in nexus, electing */
		} else if ((int)i > best) {
			best = i;
		}
	}
	if (master < 0 && !established && best == n->p.self) {
		/* Steps 430, 435, 440, 445. */
		rc_self_fire(n, RC_SE_BECOME_MASTER);
		n->master = n->p.self;
		rc_emit_master(n);
		rc_fence_stale_holders(n);
		for (i = 0; i < RC_MAX_NODES; i++)
			if (rc_peer_live(n, i))
				rc_peer_fire(n, i, RC_PE_FOUND);
		n->cod_pending = true;
		{
			struct rc_action a = { .type = RC_ACT_PROCESS_COD };

			rc_emit(n, &a);
		}
		return;
	}
	/* Steps 505, 510: slave; wait for negotiations (520-530). */
	rc_self_fire(n, RC_SE_BECOME_SLAVE);
	n->neg_deadline = n->now + n->p.negotiate_timeout_ms;
	if (master < 0 && !established)
		master = best;
	if (master >= 0) {
		n->master = (u8)master;
		rc_peer_fire(n, (u8)master, RC_PE_IS_MASTER);
		rc_emit_master(n);
	}
}

void rc_cluster_cod_done(struct rc_node *n, int error)
{
	/* Step 445 done (an unreadable COD leaves an empty configuration,
	 * the host's to report); step 4A0: Completed_Startup.
	 */
	n->cod_pending = false;
	rc_config_note_committed(n, NULL);
	rc_self_fire(n, RC_SE_COD_DONE);
	n->booting = false;
	rc_slot_touch(n);
	rc_slot_flush(n);
	n->next_monitor = n->now;
}

/* A slave that completed its startup (in nexus, maybe rebuilding). */
static bool rc_nexus_slave_ready(const struct rc_node *n)
{
	return n->state == RC_NS_ACTIVE_SLAVE && !n->suspended &&
	       (n->info == RC_NI_COMPLETED_STARTUP ||
		n->info == RC_NI_REBUILDING);
}

/* --- failover ---------------------------------------------------------------- */

/*
 * The master failed and we are a slave in nexus: the survivors arbitrate
 * with the startup rule (step 425: highest node ID among the nodes in
 * nexus).  The winner keeps the others in nexus; the rest follow whoever
 * claims MASTER in its slot (rc_cluster_slot()).
 */
static void rc_elect(struct rc_node *n)
{
	unsigned int i;
	u8 best = n->p.self;

	if (rc_is_master(n) || !rc_nexus_slave_ready(n))
		return;
	for (i = 0; i < RC_MAX_NODES; i++) {
		const struct rc_slot_info *s = &n->peers[i].slot;

		if (!rc_peer_live(n, i) || s->booting ||
		    n->peers[i].state == RC_NS_FAILED_SLAVE)
			continue;
		if (s->state == RC_NS_MASTER)
			return;		/* someone claims it already */
		if (s->state == RC_NS_ACTIVE_SLAVE &&
		    (s->info == RC_NI_COMPLETED_STARTUP ||
		     s->info == RC_NI_REBUILDING) && i > best)
			best = i;
	}
	if (best != n->p.self)
		return;
	rc_self_fire(n, RC_SE_PROMOTE);
	n->master = n->p.self;
	rc_emit_master(n);
	for (i = 0; i < RC_MAX_NODES; i++) {
		const struct rc_slot_info *s = &n->peers[i].slot;

		if (!rc_peer_live(n, i) || s->booting)
			continue;
		if (s->state == RC_NS_ACTIVE_SLAVE &&
		    (s->info == RC_NI_COMPLETED_STARTUP ||
		     s->info == RC_NI_REBUILDING)) {
			if (n->peers[i].state != RC_NS_NONE)
				n->peers[i].state = RC_NS_NONE;
			rc_peer_fire(n, i, RC_PE_ADOPTED);
		}
	}
	n->next_monitor = n->now;
	rc_rebuild_promoted(n);
}

void rc_cluster_peer_failed(struct rc_node *n, u8 id, u8 ev)
{
	struct rc_peer *pr = &n->peers[id];
	bool was_master = id == n->master && !rc_is_master(n);
	bool in_nexus = rc_nexus(n);

	rc_peer_fire(n, id, ev);
	pr->diag = RC_DIAG_IDLE;
	pr->misses = 0;
	rc_drop_node(n, id, ev == RC_PE_REBOOTED);
	if (was_master) {
		n->master = RC_NO_NODE;
		rc_emit_master(n);
		if (!in_nexus && n->state == RC_NS_ACTIVE_SLAVE &&
		    !n->neg_pending && !n->restart_pending) {
			/*
			 * The master died before it negotiated with us: we
			 * are still booting, so decide the role again with
			 * the startup rule (step 425) among those booting.
			 */
			rc_self_fire(n, RC_SE_BOOT);
			n->role_decided = false;
			n->discovery_end = n->now + n->p.discovery_ms;
			return;
		}
		rc_elect(n);
	}
}

static bool rc_monitored(const struct rc_node *n, u8 id);

/* --- slots: liveness, reboots, kills, masters ------------------------------------ */

void rc_cluster_slot(struct rc_node *n, u8 id, const struct rc_slot_info *s)
{
	struct rc_peer *pr = &n->peers[id];
	bool had = pr->slot_ok;
	bool rebooted, advanced;

	/*
	 * Failure-to-detect-failure (table 20): every start of a node has a
	 * higher incarnation next to its booting flag, so a node that failed
	 * and came back faster than four heartbeats is told by the
	 * incarnation alone.  A lower heartbeat in the same incarnation is
	 * an older copy of the slot (another channel's disk): ignored.
	 */
	rebooted = had && s->incarnation != pr->slot.incarnation;
	if (had && !rebooted && s->heartbeat < pr->slot.heartbeat)
		return;
	/* Incarnations only grow (serial arithmetic): an older one is a
	 * stale copy of an earlier life on a disk it no longer reaches.
	 */
	if (rebooted && (s32)(s->incarnation - pr->slot.incarnation) < 0)
		return;
	advanced = rebooted || (had && s->heartbeat > pr->slot.heartbeat);
	pr->slot = *s;
	pr->slot_ok = true;
	pr->slot_read_ms = n->now;
	if (!had)
		pr->hb_change_ms = n->now;
	if (advanced) {
		pr->hb_seen_change = true;
		pr->hb_change_ms = n->now;
		pr->hb_fresh = true;
	}
	if (rebooted) {
		bool was_master = id == n->master && !rc_is_master(n);

		rc_xport_reset_peer(n, id);
		pr->kill = false;
		pr->tur_pending = false;
		pr->diag = RC_DIAG_IDLE;
		if (rc_is_master(n) || was_master ||
		    pr->state != RC_NS_NONE) {
			if (rc_is_master(n))
				pr->not_before = n->now + n->p.renegotiate_ms;
			rc_cluster_peer_failed(n, id, RC_PE_REBOOTED);
			if (!rc_is_master(n)) {
				/* A slave keeps no view of other slaves. */
				pr->state = RC_NS_NONE;
				pr->info = RC_NI_NONE;
			}
		} else {
			rc_drop_node(n, id, true);
		}
	}
	/*
	 * A node we monitor that announces its own suspension (it killed
	 * itself, 1565/1750, or obeyed a Node_Kill) has failed: no need to
	 * wait for four missed heartbeats.
	 */
	if (((s->flags & RC_SLOTF_SUSPENDED) ||
	     s->state == RC_NS_KILLED_SLAVE) && rc_monitored(n, id)) {
		rc_cluster_peer_failed(n, id, RC_PE_HB_LOST);
		if (n->suspended)
			return;
	}
	/* Node_Kill() for this life of ours: suspension (step 1135). */
	if ((s->kill_mask & (1u << n->p.self)) &&
	    s->kill_incarnation[n->p.self] == n->p.incarnation) {
		rc_suspend(n, RC_SE_KILLED);
		return;
	}
	/* A MASTER claim counts from a live node we have not declared
	 * failed in this life of it (a dead master's slot still says it).
	 */
	if (!n->role_decided || s->booting || s->state != RC_NS_MASTER ||
	    !rc_peer_live(n, id) || pr->state == RC_NS_FAILED_SLAVE)
		return;
	if (rc_is_master(n)) {
		/* Two masters after a race: the lower ID yields and rejoins. */
		if (id > n->p.self)
			rc_restart(n);
		return;
	}
	if (n->master == id)
		return;
	/*
	 * A claim our live master has killed is a dead master's last slot
	 * (written before it learnt of its death, landing late): ignore it.
	 */
	if (n->master != RC_NO_NODE && n->master < RC_MAX_NODES &&
	    rc_peer_live(n, n->master) && n->peers[n->master].slot_ok &&
	    (n->peers[n->master].slot.kill_mask & (1u << id)))
		return;
	/*
	 * Follow a live MASTER claim if we follow nobody, a dead node, a
	 * node that is no master (the startup rule picked a booting node
	 * that then joined an existing master), or a lower claimant.
	 */
	if (n->master == RC_NO_NODE || id > n->master ||
	    !rc_peer_live(n, n->master) ||
	    n->peers[n->master].slot.state != RC_NS_MASTER) {
		if (n->master != RC_NO_NODE &&
		    n->peers[n->master].state == RC_NS_MASTER) {
			n->peers[n->master].state = RC_NS_NONE;
			n->peers[n->master].info = RC_NI_NONE;
		}
		n->master = id;
		rc_peer_fire(n, id, RC_PE_IS_MASTER);
		rc_emit_master(n);
	}
}

/* --- heartbeat: figure 17 ------------------------------------------------------- */

static bool rc_monitored(const struct rc_node *n, u8 id)
{
	u8 s = n->peers[id].state;

	if (rc_is_master(n))
		return s == RC_NS_NEW_SLAVE || s == RC_NS_DIAGNOSED_SLAVE ||
		       s == RC_NS_NEXUS_SLAVE || s == RC_NS_RESTARTED_SLAVE;
	/* Slaves monitor the master only. */
	return id == n->master && s == RC_NS_MASTER;
}

/* Step 1755: the next connected channel after the current one. */
static void rc_next_channel(struct rc_node *n)
{
	unsigned int k;

	for (k = 1; k <= RC_MAX_CHANNELS; k++) {
		u8 c = (n->comm + k) % RC_MAX_CHANNELS;

		if (n->connected & (1u << c)) {
			n->comm = c;
			break;
		}
	}
	rc_slot_touch(n);
}

static void rc_hb_failed(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];
	int disk = rc_comm_disk(n, n->comm);
	struct rc_action a = { .type = RC_ACT_TUR };

	if (!n->connected) {
		/* No connected channel is left to try: our cables. */
		rc_suspend(n, RC_SE_CABLE_FAIL);
		return;
	}
	if (disk < 0) {
		/* Steps 1730 (no drive online), 1755: next channel. */
		rc_next_channel(n);
		pr->misses = 0;
		return;
	}
	/* Steps 1730, 1745: TEST UNIT READY the first online drive. */
	pr->tur_pending = true;
	a.disk = (u16)disk;
	a.tag = RC_TAG(RC_TAG_TUR_HB, id, n->comm);
	rc_emit(n, &a);
}

void rc_cluster_tur_done(struct rc_node *n, u8 peer, u16 disk, int error)
{
	struct rc_peer *pr = &n->peers[peer];
	unsigned int d;

	if (!pr->tur_pending)
		return;
	pr->tur_pending = false;
	if (error && disk < RC_MAX_DISKS) {
		/*
		 * A cable failure takes every drive of the channel with it;
		 * one drive that died just now does not.  Before concluding
		 * step 1750 ask the next online drive of the channel too.
		 */
		for (d = disk + 1; d < RC_MAX_DISKS; d++) {
			const struct rc_disk_view *v = &n->disks[d];
			struct rc_action a = { .type = RC_ACT_TUR };

			if (!v->present || v->state != RC_DISK_ONLINE ||
			    v->channel != n->disks[disk].channel)
				continue;
			pr->tur_pending = true;
			a.disk = (u16)d;
			a.tag = RC_TAG(RC_TAG_TUR_HB, peer, v->channel);
			rc_emit(n, &a);
			return;
		}
	}
	if (error) {
		/* Step 1735 no -> 1750: our cable failed; kill self. */
		rc_suspend(n, RC_SE_CABLE_FAIL);
		return;
	}
	if (pr->misses < n->p.hb_misses || !rc_monitored(n, peer))
		return;		/* it came back meanwhile */
	/* Step 1735 yes -> 1740: the peer failed: FAILED_SLAVE, Node_Kill. */
	rc_kill_peer(n, peer);
	rc_cluster_peer_failed(n, peer, RC_PE_HB_LOST);
}

/*
 * Reservations die with their holder (rc_drop_node()).  The master learns
 * a slave's death from its own heartbeat check (fig 17: FAILED_SLAVE), a
 * slave from the master's slot (slaves do not monitor each other).  A
 * node that died while nobody monitored it -- its master was down, or it
 * was a slave of a master that has restarted or failed over since --
 * never gets that verdict: the master now in charge knows nothing of it.
 * Its entry dies with it all the same once its heartbeat has stopped for
 * the whole window (not live).  Only after a good read of the slots: then
 * a holder that is not live has stopped beating, not gone unseen.
 *
 *   we are   holder h (not us)                          entry
 *   master   monitored by us (fig 17 will judge it)     kept
 *            not monitored, not live                    cleared
 *   slave    h is the master                             kept (fig 17)
 *            master's slot: h FAILED_SLAVE               cleared (verdict)
 *            not live, master's slot: h not NEXUS_SLAVE  cleared
 *            live                                        kept (the master's
 *                                                        slot may lag
 *                                                        behind a new member)
 */
static void rc_drop_dead_holders(struct rc_node *n, bool read_ok)
{
	const struct rc_peer *m = NULL;
	unsigned int ld;

	if (!read_ok)
		return;
	if (!rc_is_master(n)) {
		if (n->master == RC_NO_NODE)
			return;
		m = &n->peers[n->master];
		if (!m->slot_ok || !rc_peer_live(n, n->master))
			return;
	}
	for (ld = 0; ld < RC_MAX_LDS; ld++) {
		u8 h = n->holder[ld];
		bool dead;

		if (h >= RC_MAX_NODES || h == n->p.self)
			continue;
		if (!m)
			dead = !rc_monitored(n, h) && !rc_peer_live(n, h);
		else if (h == n->master)
			dead = false;
		else
			dead = m->slot.peer_state[h] == RC_NS_FAILED_SLAVE ||
			       (!rc_peer_live(n, h) &&
				m->slot.peer_state[h] != RC_NS_NEXUS_SLAVE);
		if (!dead)
			continue;
		/*
		 * The master frees a dead holder's drive only once it has
		 * fenced it (fence.c): its table saying so is enough.  Until
		 * then we fence it ourselves, whichever ends first.
		 */
		if (m && m->slot.peer_state[h] == RC_NS_FAILED_SLAVE &&
		    m->slot.holder[ld] != h)
			rc_set_holder(n, ld, RC_HOLDER_NONE);
		else
			rc_fence_peer(n, h);
	}
}

void rc_cluster_slots(struct rc_node *n, bool read_ok)
{
	unsigned int i;

	if (!n->role_decided)
		return;
	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		if (i == n->p.self || !rc_monitored(n, i)) {
			pr->hb_fresh = false;
			continue;
		}
		/* Steps 1710, 1715, 1705, 1720. */
		if (read_ok && pr->hb_fresh)
			pr->misses = 0;
		else
			pr->misses++;
		pr->hb_fresh = false;
		if (pr->misses >= n->p.hb_misses && !pr->tur_pending) {
			rc_hb_failed(n, i);
			if (n->suspended)
				return;
		}
	}
	rc_drop_dead_holders(n, read_ok);
	if (!rc_is_master(n) && n->master == RC_NO_NODE)
		rc_elect(n);
}

/* --- the master's monitor: figures 8A-8C ----------------------------------------- */

static void rc_diag_pattern(u8 *buf, u32 op, u8 peer)
{
	unsigned int i;

	for (i = 0; i < RC_DIAG_BYTES; i++)
		buf[i] = (u8)(op * 31u + i * 7u + peer);
}

static void rc_diag_send(struct rc_node *n, u8 id, u8 step)
{
	struct rc_peer *pr = &n->peers[id];
	int r = -EINVAL;

	pr->diag = step;
	pr->diag_op = RC_DIAG_OP_BIT | (++n->diag_seq << 5) | id;
	pr->diag_deadline = n->now + n->p.reply_timeout_ms;
	switch (step) {
	case RC_DIAG_CABLE:
		r = rc_send(n, id, RC_DCMD_CABLE_CHECK, 0, 0, 0, pr->diag_op,
			    NULL, 0);
		break;
	case RC_DIAG_WRITE:
		rc_diag_pattern(pr->diag_pattern, pr->diag_op, id);
		r = rc_send(n, id, RC_DCMD_WRITE, 0, 0, RC_DIAG_BYTES,
			    pr->diag_op, pr->diag_pattern, RC_DIAG_BYTES);
		break;
	case RC_DIAG_READ:
		r = rc_send(n, id, RC_DCMD_READ, 0, 0, RC_DIAG_BYTES,
			    pr->diag_op, NULL, 0);
		break;
	default:
		break;
	}
	if (r < 0)
		pr->diag_deadline = n->now;	/* cannot even queue: comm */
}

static void rc_diag_fail(struct rc_node *n, u8 id)
{
	/* Steps 865 no -> 875; the slave times out (520-535). */
	n->peers[id].diag = RC_DIAG_IDLE;
	rc_peer_fire(n, id, RC_PE_DIAG_FAIL);
	rc_drop_node(n, id, false);
}

void rc_cluster_diag_reply(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_peer *pr = &n->peers[from];
	struct rc_cable_reply cr;

	if (!rc_is_master(n) || m->op != pr->diag_op || pr->diag == RC_DIAG_IDLE)
		return;		/* stale answer of an earlier attempt */
	if (m->status == RC_SCSI_BUSY) {
		/* It follows another master for now: try again later. */
		pr->diag = RC_DIAG_IDLE;
		pr->not_before = n->now + n->p.renegotiate_ms;
		return;
	}
	switch (pr->diag) {
	case RC_DIAG_CABLE:
		/* Cable check: it hears us on a channel we share. */
		if (m->status != RC_SCSI_GOOD ||
		    rc_cable_reply_decode(m->payload, m->len, &cr) ||
		    !(cr.connected & n->connected)) {
			rc_diag_fail(n, from);
			return;
		}
		if (!(n->connected & (1u << cr.channel))) {
			/*
			 * We share channels, but it heard us on one we lost
			 * since we wrote there (its drive failed in between):
			 * a race, not a failed slave.  Diagnose it again
			 * once it has moved to a channel we still have.
			 */
			pr->diag = RC_DIAG_IDLE;
			pr->not_before = n->now + n->p.renegotiate_ms;
			return;
		}
		rc_diag_send(n, from, RC_DIAG_WRITE);
		return;
	case RC_DIAG_WRITE:
		if (m->status != RC_SCSI_GOOD) {
			rc_diag_fail(n, from);
			return;
		}
		rc_diag_send(n, from, RC_DIAG_READ);
		return;
	case RC_DIAG_READ:
		/* Memory test: read back what Node_Write() stored. */
		if (m->status != RC_SCSI_GOOD || m->len != RC_DIAG_BYTES ||
		    memcmp(m->payload, pr->diag_pattern, RC_DIAG_BYTES)) {
			rc_diag_fail(n, from);
			return;
		}
		/* Steps 865 yes -> 870, then 8B0/880: negotiate. */
		rc_peer_fire(n, from, RC_PE_DIAG_OK);
		rc_config_negotiate_peer(n, from);
		return;
	case RC_DIAG_NEGOTIATE:
		rc_config_reply(n, from, m);
		return;
	default:
		return;
	}
}

static void rc_monitor(struct rc_node *n)
{
	unsigned int i;

	n->next_monitor = n->now + n->p.monitor_ms;
	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];
		const struct rc_slot_info *s = &pr->slot;

		if (i == n->p.self || !rc_peer_live(n, i))
			continue;
		/* Steps 805, 810, 815: a new node that follows us. */
		if (pr->state == RC_NS_NONE && s->state == RC_NS_ACTIVE_SLAVE &&
		    (s->master == n->p.self || s->master == RC_NO_NODE))
			rc_peer_fire(n, i, RC_PE_FOUND);
		/* A configuration push it was too busy for. */
		if (pr->state == RC_NS_NEXUS_SLAVE && pr->repush &&
		    pr->diag == RC_DIAG_IDLE && n->now >= pr->not_before) {
			pr->repush = false;
			rc_config_negotiate_peer(n, i);
		}
		/* Step 860 (after the 8E0 interval for a restarted one). */
		if (pr->state == RC_NS_NEW_SLAVE && pr->diag == RC_DIAG_IDLE &&
		    n->now >= pr->not_before && s->state == RC_NS_ACTIVE_SLAVE)
			rc_diag_send(n, i, RC_DIAG_CABLE);
	}
}

static void rc_diag_timeouts(struct rc_node *n)
{
	unsigned int i;

	/*
	 * A deadline that passed while we ourselves were not running (a
	 * freeze, our own I/O hanging: the lease ran out) says nothing of
	 * the peer.  Judge nobody until a good heartbeat cycle renewed the
	 * lease, then give every test a full reply time again.
	 */
	if (!rc_lease_valid(n)) {
		n->stale = true;
		return;
	}
	if (n->stale) {
		n->stale = false;
		for (i = 0; i < RC_MAX_NODES; i++)
			if (n->peers[i].diag != RC_DIAG_IDLE)
				n->peers[i].diag_deadline = n->now +
							    n->p.reply_timeout_ms;
		return;
	}
	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		/*
		 * ... and only once a heartbeat cycle of ours issued after the
		 * deadline has succeeded: our own I/O works, the silence is
		 * the peer's (our I/O hanging for a while held our messages
		 * and our reads of its answers too).
		 */
		if (pr->diag == RC_DIAG_IDLE || n->now < pr->diag_deadline ||
		    rc_lease_start(n) < pr->diag_deadline)
			continue;
		/* Steps 830-845: comm test failed; 850: suspend it. */
		pr->diag = RC_DIAG_IDLE;
		rc_kill_peer(n, i);
		rc_cluster_peer_failed(n, i, RC_PE_COMM_FAIL);
	}
}

/* A live node past its startup: an election we wait for may still end. */
static bool rc_election_running(const struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++)
		if (rc_peer_live(n, i) && !n->peers[i].slot.booting)
			return true;
	return false;
}

void rc_cluster_tick(struct rc_node *n)
{
	if (n->listening && n->now >= n->listen_end) {
		n->listening = false;	/* nobody else writes our slot */
		n->next_hb = n->now;
	}
	if (n->now >= n->next_hb) {
		n->next_hb = n->now + n->p.hb_period_ms;
		rc_slot_touch(n);
		rc_slot_flush(n);
		rc_slots_read(n);
	}
	if (n->now >= n->next_poll) {
		n->next_poll = n->now + n->p.poll_ms;
		rc_slot_flush(n);
		rc_boxes_poll(n);
		rc_boxes_retry(n);
	}
	if (n->role_decided && n->state == RC_NS_ACTIVE_SLAVE &&
	    n->info == RC_NI_WAITING_FOR_NEGOTIATIONS &&
	    n->master == RC_NO_NODE && !n->neg_pending &&
	    !n->restart_pending && !rc_election_running(n)) {
		/*
		 * We became a slave of an election that has no node left
		 * to finish it (they died or suspended before a master
		 * claimed): decide the role again (step 425) rather than
		 * wait for a negotiation nobody will send.
		 */
		rc_self_fire(n, RC_SE_BOOT);
		n->role_decided = false;
		n->discovery_end = n->now;
	}
	if (!n->role_decided && n->now >= n->discovery_end)
		rc_decide_role(n);
	if (n->role_decided && !n->suspended && rc_cut_off(n)) {
		/*
		 * Every path of ours went away while we ran (the host saw
		 * the disks leave): no TEST UNIT READY is left to send, the
		 * answer of figure 17 step 1750 is known.  Kill self.
		 */
		rc_suspend(n, RC_SE_CABLE_FAIL);
		return;
	}
	if (n->state == RC_NS_ACTIVE_SLAVE &&
	    n->info == RC_NI_WAITING_FOR_NEGOTIATIONS &&
	    n->now >= n->neg_deadline && !n->neg_pending &&
	    !n->neg_waiting_cable) {
		/* Steps 520-530 -> 535, 540. */
		rc_suspend(n, RC_SE_NEG_TIMEOUT);
		return;
	}
	if (n->restart_pending &&
	    (rc_tx_acked(n, n->restart_peer, n->restart_after_seq) ||
	     n->now >= n->restart_deadline)) {
		/* Step 585 once the master has our answer (580). */
		n->restart_pending = false;
		rc_restart(n);
		return;
	}
	if (rc_is_master(n) && rc_nexus(n)) {
		rc_diag_timeouts(n);
		if (n->now >= n->next_monitor)
			rc_monitor(n);
	}
}

/* --- commands from other nodes: figures 11A-11C ------------------------------------ */

static void rc_cmd(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_wire_cable_reply cw;
	struct rc_cable_reply cr;
	u32 end = m->cmd.addr + m->cmd.count;
	bool range_ok = m->cmd.addr <= RC_NODE_MEM && end <= RC_NODE_MEM &&
			end >= m->cmd.addr;

	/*
	 * Diagnostics come from the master we follow only: after a startup
	 * race a second would-be master testing our memory at the same time
	 * would fail both tests.  BUSY: it tries again later.
	 */
	if ((m->cmd.dcmd == RC_DCMD_CABLE_CHECK || m->cmd.dcmd == RC_DCMD_READ ||
	     m->cmd.dcmd == RC_DCMD_WRITE) && !rc_is_master(n) &&
	    from != n->master) {
		rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	switch (m->cmd.dcmd) {
	case RC_DCMD_CABLE_CHECK:
		/* Steps 1160, 1165: the channel it arrived on. */
		cr.channel = n->comm;
		cr.connected = n->connected;
		if (rc_cable_reply_encode(&cw, &cr))
			rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, NULL, 0);
		else
			rc_reply_msg(n, from, m, RC_SCSI_GOOD, &cw, sizeof(cw));
		return;
	case RC_DCMD_READ:
		/* Steps 1150, 1155. */
		if (!range_ok || m->cmd.count > RC_WIRE_MAX_PAYLOAD || m->len)
			rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, NULL, 0);
		else
			rc_reply_msg(n, from, m, RC_SCSI_GOOD,
				     n->mem + m->cmd.addr, m->cmd.count);
		return;
	case RC_DCMD_WRITE:
		/* Steps 1140, 1145 (complete once "on the media"). */
		if (!range_ok || m->len != m->cmd.count) {
			rc_reply_msg(n, from, m, RC_SCSI_CHECK_CONDITION, NULL, 0);
			return;
		}
		memcpy(n->mem + m->cmd.addr, m->payload, m->len);
		rc_reply_msg(n, from, m, RC_SCSI_GOOD, NULL, 0);
		return;
	case RC_DCMD_NEGOTIATE:
		rc_config_cmd(n, from, m);
		return;
	case RC_DCMD_KILL:
		/* Steps 1130, 1135. */
		rc_suspend(n, RC_SE_KILLED);
		return;
	case RC_DCMD_RESERVE:
	case RC_DCMD_RELEASE:
		rc_resv_cmd(n, from, m);
		return;
	case RC_DCMD_HOST_REQUEST:
		rc_request_cmd(n, from, m);
		return;
	default:
		rc_rebuild_cmd(n, from, m);
		return;
	}
}

void rc_dispatch(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	if (!(m->flags & RC_MSGF_RESPONSE)) {
		rc_cmd(n, from, m);
		return;
	}
	if (m->op & RC_DIAG_OP_BIT) {
		rc_cluster_diag_reply(n, from, m);
		return;
	}
	switch (m->cmd.dcmd) {
	case RC_DCMD_RESERVE:
	case RC_DCMD_RELEASE:
		rc_resv_reply(n, from, m);
		return;
	case RC_DCMD_NEGOTIATE:
		rc_config_reply(n, from, m);
		return;
	case RC_DCMD_HOST_REQUEST:
		rc_request_reply(n, from, m);
		return;
	case RC_DCMD_REBUILD:
		rc_rebuild_reply(n, from, m);
		return;
	default:
		return;		/* informs: GOOD, nothing waits on them */
	}
}
