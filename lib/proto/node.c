// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The node engine's core: life cycle, the action queue, state changes
 * through the tables of fsm.c, event entry points and queries.  The
 * protocol itself lives in xport.c, cluster.c, resv.c, rebuild.c and
 * config.c.
 */
#include "rc_base.h"
#include "node_priv.h"

size_t rc_node_size(void)
{
	return sizeof(struct rc_node);
}

void rc_node_params_default(struct rc_node_params *p, u8 self, u32 incarnation)
{
	memset(p, 0, sizeof(*p));
	p->self = self;
	p->incarnation = incarnation;
	p->poll_ms = 100;
	p->hb_period_ms = 1000;
	p->hb_misses = 4;
	p->discovery_ms = 2500;
	p->monitor_ms = 1000;
	p->negotiate_timeout_ms = 15000;
	p->reply_timeout_ms = 4000;
	p->reserve_retry_ms = 300;
	p->status_period_ms = 1000;
	p->renegotiate_ms = 1000;
	p->listen_ms = 2 * p->hb_period_ms + p->poll_ms;
	p->lease_ms = 3000;
	p->drain_ms = 1000;
}

void rc_node_reset(struct rc_node *n)
{
	memset(n, 0, sizeof(*n));
}

static bool rc_params_ok(const struct rc_node_params *p)
{
	return p->self < RC_MAX_NODES && p->incarnation && p->poll_ms &&
	       p->hb_period_ms >= p->poll_ms && p->hb_misses &&
	       p->hb_misses < 100 && p->monitor_ms && p->reply_timeout_ms &&
	       p->negotiate_timeout_ms && p->reserve_retry_ms &&
	       p->status_period_ms && p->renegotiate_ms &&
	       (!p->listen_ms || p->listen_ms >= 2 * p->hb_period_ms) &&
	       p->lease_ms >= 2 * p->hb_period_ms && p->lease_ms <= 600000 &&
	       p->drain_ms <= 600000;
}

int rc_node_start(struct rc_node *n, const struct rc_node_params *p,
		  u64 now_ms)
{
	struct rc_disk_view disks[RC_MAX_DISKS];
	struct rc_proto_config cfg;
	unsigned int i;

	if (!rc_params_ok(p))
		return -EINVAL;
	/* Keep what the host told us about disks and configuration. */
	memcpy(disks, n->disks, sizeof(disks));
	cfg = n->cfg;
	memset(n, 0, sizeof(*n));
	memcpy(n->disks, disks, sizeof(disks));
	n->cfg = cfg;
	n->p = *p;
	n->now = now_ms;
	n->started = true;
	n->master = RC_NO_NODE;
	n->my_rebuild = RC_LD_NONE;
	memset(n->holder, RC_HOLDER_NONE, sizeof(n->holder));
	memset(n->resv_released_by, 0, sizeof(n->resv_released_by));
	rc_rebuild_init(&n->rb);
	n->coord.ld = RC_LD_NONE;
	n->coord.executor = RC_NO_NODE;
	n->coord.wait_fence = RC_NO_NODE;
	n->rb_rate_ld = RC_LD_NONE;
	for (i = 0; i < RC_MAX_NODES; i++)
		n->peers[i].tx_next = 1;
	for (i = 0; i < RC_MAX_CHANNELS; i++)
		n->comm_disk[i] = 0xff;
	rc_cluster_start(n);
	return 0;
}

/* --- actions -------------------------------------------------------------- */

void rc_emit(struct rc_node *n, const struct rc_action *a)
{
	unsigned int next = (n->act_tail + 1) % RC_MAX_ACTIONS;

	if (next == n->act_head) {
		/* The host did not drain: a host bug, never silently lost. */
		n->act_overflow = true;
		return;
	}
	n->acts[n->act_tail] = *a;
	n->act_tail = next;
}

bool rc_node_next_action(struct rc_node *n, struct rc_action *a)
{
	if (n->act_head == n->act_tail)
		return false;
	*a = n->acts[n->act_head];
	n->act_head = (n->act_head + 1) % RC_MAX_ACTIONS;
	return true;
}

void rc_emit_complete(struct rc_node *n, u64 cookie, u8 status)
{
	struct rc_action a = { .type = RC_ACT_COMPLETE, .cookie = cookie,
			       .status = status };

	if (cookie == RC_COOKIE_INTERNAL)
		return;
	rc_emit(n, &a);
}

/* --- states ------------------------------------------------------------------ */

static void rc_emit_state(struct rc_node *n, u8 id, u8 state, u8 info)
{
	struct rc_action a = { .type = RC_ACT_STATE, .node = id,
			       .state = state, .info = info };

	rc_emit(n, &a);
}

void rc_self_fire(struct rc_node *n, u8 ev)
{
	u8 s = n->state, i = n->info;

	if (rc_fsm_fire(rc_fsm_self, rc_fsm_self_rows, ev, &s, &i) < 0)
		return;
	if (s == n->state && i == n->info)
		return;
	n->state = s;
	n->info = i;
	rc_emit_state(n, n->p.self, s, i);
	rc_slot_touch(n);
}

void rc_peer_fire(struct rc_node *n, u8 id, u8 ev)
{
	struct rc_peer *pr = &n->peers[id];
	u8 s = pr->state, i = pr->info;

	if (rc_fsm_fire(rc_fsm_peer, rc_fsm_peer_rows, ev, &s, &i) < 0)
		return;
	if (s == pr->state && i == pr->info)
		return;
	pr->state = s;
	pr->info = i;
	if (s == RC_NS_NEXUS_SLAVE ||
	    (s == RC_NS_MASTER && i == RC_NI_COMPLETED_STARTUP))
		pr->nexus_hb = pr->slot.heartbeat;
	rc_emit_state(n, id, s, i);
	rc_slot_touch(n);
}

/* Suspension mode (540, 850, 1135, 1565, 1750): stop everything. */
void rc_suspend(struct rc_node *n, u8 ev)
{
	struct rc_action a = { 0 };
	unsigned int i;

	if (n->suspended)
		return;
	rc_self_fire(n, ev);
	if (n->my_rebuild != RC_LD_NONE) {
		a.type = RC_ACT_REBUILD_STOP;
		a.ld = n->my_rebuild;
		rc_emit(n, &a);
		n->my_rebuild = RC_LD_NONE;
	}
	for (i = 0; i < RC_MAX_OPS; i++) {
		if (n->ops[i].kind == RC_OP_FREE)
			continue;
		if (n->ops[i].kind != RC_OP_COMMIT)
			rc_emit_complete(n, n->ops[i].cookie,
					 n->ops[i].kind == RC_OP_RELEASE ?
					 RC_SCSI_GOOD : RC_SCSI_BUSY);
		rc_op_free(&n->ops[i]);
	}
	if (n->cable_active && n->cable_purpose == RC_CABLE_HOST)
		rc_emit_complete(n, n->cable_cookie, RC_SCSI_BUSY);
	n->cable_active = false;
	/* Tell the others once (flags SUSPENDED, state KILLED_SLAVE). */
	n->suspended = true;
	rc_slot_touch(n);
	rc_slot_flush(n);
	memset(&a, 0, sizeof(a));
	a.type = RC_ACT_SUSPEND;
	a.info = n->info;
	rc_emit(n, &a);
}

/*
 * A live node already uses our ID (rc_slots_listen()): refuse to join.
 * Nothing of ours has been written and nothing will be: the other node's
 * slot and boxes stay its own (rc_slot_flush() and rc_box_flush() stop at
 * slot_final).
 */
void rc_refuse_duplicate(struct rc_node *n)
{
	n->slot_final = true;
	rc_suspend(n, RC_SE_DUPLICATE_ID);
}

bool rc_is_master(const struct rc_node *n)
{
	return n->state == RC_NS_MASTER;
}

bool rc_nexus(const struct rc_node *n)
{
	if (n->suspended || !n->started)
		return false;
	if (n->info != RC_NI_COMPLETED_STARTUP && n->info != RC_NI_REBUILDING)
		return false;
	return n->state == RC_NS_MASTER ||
	       (n->state == RC_NS_ACTIVE_SLAVE && n->master != RC_NO_NODE);
}

bool rc_peer_live(const struct rc_node *n, u8 id)
{
	const struct rc_peer *pr = &n->peers[id];
	u64 window = (u64)(n->p.hb_misses + 1) * n->p.hb_period_ms;

	if (id == n->p.self || !pr->slot_ok || !pr->hb_seen_change)
		return false;
	if ((pr->slot.flags & RC_SLOTF_SUSPENDED) ||
	    pr->slot.state == RC_NS_KILLED_SLAVE)
		return false;
	return n->now <= pr->hb_change_ms + window;
}

/*
 * The other nodes of the cluster, the targets of Node_Reserve(),
 * Node_Release() and the rebuild informs: for the master its NEXUS
 * slaves; for a slave the master and the slaves the master's slot lists as
 * NEXUS_SLAVE (slaves do not monitor each other, fig 17).
 */
u32 rc_members(const struct rc_node *n)
{
	u32 m = 0;
	unsigned int i;

	if (rc_is_master(n)) {
		for (i = 0; i < RC_MAX_NODES; i++)
			if (n->peers[i].state == RC_NS_NEXUS_SLAVE &&
			    rc_peer_live(n, i))
				m |= 1u << i;
		return m;
	}
	if (n->master == RC_NO_NODE || n->master == n->p.self)
		return 0;
	if (rc_peer_live(n, n->master))
		m |= 1u << n->master;
	for (i = 0; i < RC_MAX_NODES; i++) {
		if (i == n->p.self || i == n->master)
			continue;
		if (n->peers[n->master].slot_ok &&
		    n->peers[n->master].slot.peer_state[i] ==
		    RC_NS_NEXUS_SLAVE && rc_peer_live(n, i))
			m |= 1u << i;
	}
	return m;
}

/*
 * Who must hear of a reservation: the members, plus every other live node
 * (joining, still starting up): a node joining takes the master's table at
 * negotiation only for the drives it has heard nothing about
 * (rc_config_done_ev()), so between the two no reservation is lost.  A
 * node we declared failed is no target even while its slot still beats.
 */
u32 rc_resv_targets(const struct rc_node *n)
{
	u32 m = rc_members(n);
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++)
		if (rc_peer_live(n, i) &&
		    n->peers[i].state != RC_NS_FAILED_SLAVE)
			m |= 1u << i;
	return m;
}

void rc_set_holder(struct rc_node *n, u8 ld, u8 holder)
{
	struct rc_action a = { .type = RC_ACT_RESERVATION, .ld = ld,
			       .node = holder };

	if (ld >= RC_MAX_LDS || n->holder[ld] == holder)
		return;
	n->holder[ld] = holder;
	rc_emit(n, &a);
	rc_slot_touch(n);
	rc_rebuild_holder_changed(n, ld);
}

/*
 * Node @id is gone (failed, killed or rebooted): its reservations die with
 * it (a SCSI bus reset clears reservations too) -- once it is fenced
 * (fence.c), or at once for a reboot; waits for its replies end, a rebuild
 * it ran is taken over.
 */
void rc_drop_node(struct rc_node *n, u8 id, bool rebooted)
{
	if (rebooted)
		rc_fence_forget(n, id);
	else
		rc_fence_peer(n, id);
	rc_resv_member_gone(n, id, rebooted);
	rc_rebuild_node_failed(n, id);
}

/* --- operations ------------------------------------------------------------ */

struct rc_op *rc_op_new(struct rc_node *n, u8 kind)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_OPS; i++) {
		struct rc_op *op = &n->ops[i];

		if (op->kind != RC_OP_FREE)
			continue;
		memset(op, 0, sizeof(*op));
		op->kind = kind;
		/* Unique across restarts of the op table: index + counter. */
		op->id = (++n->op_seq << 5) | i;
		if (!op->id)
			op->id = (++n->op_seq << 5) | i;
		op->deadline = n->now + n->p.reply_timeout_ms;
		return op;
	}
	return NULL;
}

struct rc_op *rc_op_find(struct rc_node *n, u32 id)
{
	struct rc_op *op = &n->ops[id & (RC_MAX_OPS - 1)];

	RC_STATIC_ASSERT((RC_MAX_OPS & (RC_MAX_OPS - 1)) == 0,
			 "RC_MAX_OPS must be a power of 2");
	if (!id || op->kind == RC_OP_FREE || op->id != id)
		return NULL;
	return op;
}

void rc_op_free(struct rc_op *op)
{
	memset(op, 0, sizeof(*op));
}

/* --- events -------------------------------------------------------------------- */

static bool rc_enter(struct rc_node *n, u64 now_ms)
{
	if (!n->started || n->suspended)
		return false;
	if (now_ms > n->now)
		n->now = now_ms;
	return true;
}

void rc_node_tick(struct rc_node *n, u64 now_ms)
{
	if (!rc_enter(n, now_ms))
		return;
	/*
	 * Starting, and our ticks stopped for a while (we were frozen): the
	 * slots we read before look stale now, live peers too.  Decide the
	 * role only on reads made since (rc_fence_stale_holders() would
	 * fence a healthy master).
	 */
	if (!n->role_decided && n->last_tick &&
	    n->now > n->last_tick + 2ull * n->p.hb_period_ms &&
	    n->discovery_end < n->now + n->p.discovery_ms)
		n->discovery_end = n->now + n->p.discovery_ms;
	n->last_tick = n->now;
	rc_cluster_tick(n);
	if (n->suspended)
		return;
	rc_fence_tick(n);
	rc_resv_tick(n);
	rc_rebuild_tick(n);
	rc_config_tick(n);
	rc_request_tick(n);
}

void rc_node_io_done(struct rc_node *n, u64 now_ms,
		     const struct rc_action *io, int error, const void *data)
{
	if (!io)
		return;
	if (!n->started)
		return;
	if (now_ms > n->now)
		n->now = now_ms;
	/* A suspended node still retires its writes (buffers) quietly. */
	rc_xport_io_done(n, io, error, data);
	/*
	 * RESERVATION CONFLICT on a slot or mailbox write: our key is off
	 * the disk, a survivor fenced us there (fence.c).
	 */
	if (error == -EBADE && io->type == RC_ACT_WRITE && rc_enter(n, now_ms))
		rc_suspend(n, RC_SE_KILLED);
}

void rc_node_disk_fenced(struct rc_node *n, u64 now_ms, u8 node,
			 u32 incarnation, int error)
{
	if (rc_enter(n, now_ms))
		rc_fence_disk_done(n, node, incarnation, error);
}

void rc_node_fenced_at_disk(struct rc_node *n, u64 now_ms)
{
	if (rc_enter(n, now_ms))
		rc_suspend(n, RC_SE_KILLED);
}

int rc_node_host_cmd(struct rc_node *n, u64 now_ms,
		     const struct rc_host_cmd *cmd)
{
	if (!cmd)
		return -EINVAL;
	switch (cmd->op) {
	case RC_HOST_RESERVE:
	case RC_HOST_RELEASE:
	case RC_HOST_PREEMPT:
		if (cmd->ld >= RC_MAX_LDS)
			return -EINVAL;
		break;
	case RC_HOST_REBUILD:
		if (!cmd->ld_mask)
			return -EINVAL;
		break;
	case RC_HOST_CONFIG_CHANGE:
		break;
	case RC_HOST_KILL:
		if (cmd->node >= RC_MAX_NODES || cmd->node == n->p.self)
			return -EINVAL;
		break;
	case RC_HOST_REQUEST:
		if (!cmd->buf || !cmd->len || cmd->len > RC_WIRE_MAX_PAYLOAD)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (!rc_enter(n, now_ms)) {
		/* Release is always GOOD (fig 19 step 1910). */
		rc_emit_complete(n, cmd->cookie, cmd->op == RC_HOST_RELEASE ?
				 RC_SCSI_GOOD : RC_SCSI_BUSY);
		return 0;
	}
	switch (cmd->op) {
	case RC_HOST_RESERVE:
	case RC_HOST_RELEASE:
		rc_resv_host(n, cmd);
		break;
	case RC_HOST_PREEMPT:
		rc_resv_preempt(n, cmd);
		break;
	case RC_HOST_REBUILD:
		rc_rebuild_host(n, cmd);
		break;
	case RC_HOST_REQUEST:
		rc_request_host(n, cmd);
		break;
	case RC_HOST_KILL:
		rc_fence_host_kill(n, cmd);
		break;
	default:
		rc_config_host(n, cmd);
		break;
	}
	return 0;
}

void rc_node_host_request_done(struct rc_node *n, u64 now_ms, u8 status,
			       const void *reply, u32 len)
{
	if (rc_enter(n, now_ms))
		rc_request_done(n, status, reply, len);
}

void rc_node_rebuild_progress(struct rc_node *n, u64 now_ms, u8 ld,
			      u32 permille)
{
	if (rc_enter(n, now_ms))
		rc_rebuild_progress_ev(n, ld, permille);
}

void rc_node_rebuild_done(struct rc_node *n, u64 now_ms, u8 ld, int error)
{
	if (rc_enter(n, now_ms))
		rc_rebuild_done_ev(n, ld, error);
}

void rc_node_rebuild_needed(struct rc_node *n, u64 now_ms, u32 ld_mask)
{
	if (rc_enter(n, now_ms))
		rc_rebuild_needed_ev(n, ld_mask);
}

void rc_node_config_done(struct rc_node *n, u64 now_ms, int error)
{
	if (!rc_enter(n, now_ms))
		return;
	if (n->cod_pending)
		rc_cluster_cod_done(n, error);
	else
		rc_config_done_ev(n, error);
}

u64 rc_node_next_deadline(const struct rc_node *n)
{
	return n->next_poll ? n->next_poll : n->now + n->p.poll_ms;
}

/* --- host's view of disks ------------------------------------------------------ */

int rc_node_set_disk(struct rc_node *n, u16 disk, u8 channel, u8 target,
		     u8 state, u32 flags)
{
	struct rc_disk_view *d;

	if (disk >= RC_MAX_DISKS || channel >= RC_MAX_CHANNELS ||
	    target >= RC_MAX_TARGETS || state >= RC_DISK_STATE_MAX ||
	    (flags & ~(RC_DISKF_PRESENT | RC_DISKF_UNSEEN)))
		return -EINVAL;
	d = &n->disks[disk];
	d->channel = channel;
	d->target = target;
	d->state = state;
	d->present = flags & RC_DISKF_PRESENT;
	d->unseen = !d->present && (flags & RC_DISKF_UNSEEN);
	if (state == RC_DISK_UNUSED)
		memset(d, 0, sizeof(*d));
	if (n->started)
		rc_chan_update(n);
	return 0;
}

void rc_node_set_config(struct rc_node *n, const struct rc_proto_config *c)
{
	n->cfg = *c;
	if (n->cfg.nlds > RC_MAX_LDS)
		n->cfg.nlds = RC_MAX_LDS;
	if (n->started)
		rc_slot_touch(n);
}

/* --- queries ---------------------------------------------------------------------- */

bool rc_node_granted(const struct rc_node *n, u8 ld)
{
	/* Granted, not merely claimed: our Reserve is answered (fig 10). */
	return ld < RC_MAX_LDS && rc_nexus(n) && n->holder[ld] == n->p.self &&
	       !rc_resv_pending(n, ld);
}

bool rc_node_may_io(const struct rc_node *n, u8 ld, u64 now_ms)
{
	return rc_node_granted(n, ld) && now_ms < rc_lease_end(n);
}

u64 rc_node_lease_until(const struct rc_node *n)
{
	return rc_lease_end(n);
}

bool rc_node_alone(const struct rc_node *n)
{
	unsigned int i;

	if (!rc_nexus(n) || !rc_is_master(n))
		return false;
	for (i = 0; i < RC_MAX_NODES; i++)
		if (i != n->p.self && n->peers[i].slot_ok &&
		    (rc_peer_live(n, i) || n->peers[i].slot.booting))
			return false;
	return true;
}

u8 rc_node_holder(const struct rc_node *n, u8 ld)
{
	return ld < RC_MAX_LDS ? n->holder[ld] : RC_HOLDER_NONE;
}

u8 rc_node_master(const struct rc_node *n)
{
	return n->master;
}

u8 rc_node_state(const struct rc_node *n)
{
	return n->state;
}

u8 rc_node_info(const struct rc_node *n)
{
	return n->info;
}

void rc_node_peer(const struct rc_node *n, u8 id, u8 *state, u8 *info)
{
	if (id >= RC_MAX_NODES) {
		*state = RC_NS_NONE;
		*info = RC_NI_NONE;
	} else if (id == n->p.self) {
		*state = n->state;
		*info = n->info;
	} else {
		*state = n->peers[id].state;
		*info = n->peers[id].info;
	}
}

bool rc_node_in_nexus(const struct rc_node *n)
{
	return rc_nexus(n);
}

bool rc_node_suspended(const struct rc_node *n)
{
	return n->suspended;
}

void rc_node_rebuild_view(const struct rc_node *n, struct rc_wire_rebuild *r)
{
	rc_rebuild_encode(r, &n->rb);
}

u8 rc_node_rebuilding_ld(const struct rc_node *n)
{
	return n->my_rebuild;
}

u32 rc_node_rebuild_rate(const struct rc_node *n)
{
	u64 dt = n->now - n->rb_rate_t0;

	if (n->rb.ld == RC_LD_NONE || n->rb_rate_ld != n->rb.ld ||
	    n->rb.progress <= n->rb_rate_p0 || !dt)
		return 0;
	/* permille per ms -> millionths per second: * 1000 * 1000 */
	return (u32)(((u64)(n->rb.progress - n->rb_rate_p0) * 1000000u) / dt);
}

u8 rc_node_comm_channel(const struct rc_node *n)
{
	return n->comm;
}

u8 rc_node_connected(const struct rc_node *n)
{
	return n->connected;
}

bool rc_node_overflowed(const struct rc_node *n)
{
	return n->act_overflow;
}

int rc_node_peer_view(const struct rc_node *n, u8 id, u64 now_ms,
		      struct rc_peer_view *v)
{
	const struct rc_slot_info *s;
	const struct rc_peer *pr;
	struct rc_slot_info own;

	if (id >= RC_MAX_NODES)
		return -EINVAL;
	pr = &n->peers[id];
	s = &own;
	memset(v, 0, sizeof(*v));
	rc_node_peer(n, id, &v->state, &v->info);
	if (id == n->p.self) {
		/* what our own slot says, as the others read it */
		rc_slot_fill(n, &own);
		v->known = n->started;
		v->live = n->started && !n->suspended;
	} else if (pr->slot_ok) {
		s = &pr->slot;
		v->known = true;
		v->live = rc_peer_live(n, id);
		v->fenced = rc_fenced(n, id);
		v->hb_age_ms = now_ms > pr->hb_change_ms ?
			       now_ms - pr->hb_change_ms : 0;
	} else {
		return 0;
	}
	v->booting = s->booting;
	v->own_state = s->state;
	v->own_info = s->info;
	v->suspended = s->flags & RC_SLOTF_SUSPENDED;
	v->master = s->master;
	v->connected = s->connected;
	v->comm_channel = s->comm_channel;
	v->incarnation = s->incarnation;
	v->heartbeat = s->heartbeat;
	return 0;
}

/* --- names ------------------------------------------------------------------------- */

static const char *const rc_state_names[RC_NS_MAX] = {
	[RC_NS_NONE] = "NONE",
	[RC_NS_MASTER] = "MASTER",
	[RC_NS_NEW_SLAVE] = "NEW_SLAVE",
	[RC_NS_DIAGNOSED_SLAVE] = "DIAGNOSED_SLAVE",
	[RC_NS_RESTARTED_SLAVE] = "RESTARTED_SLAVE",
	[RC_NS_FAILED_SLAVE] = "FAILED_SLAVE",
	[RC_NS_NEXUS_SLAVE] = "NEXUS_SLAVE",
	[RC_NS_ACTIVE_SLAVE] = "ACTIVE_SLAVE",
	[RC_NS_KILLED_SLAVE] = "KILLED_SLAVE",
};

static const char *const rc_info_names[RC_NI_MAX] = {
	[RC_NI_NONE] = "None",
	[RC_NI_STARTING_UP] = "Starting_Up",
	[RC_NI_WAITING_FOR_NEGOTIATIONS] = "Waiting_For_Negotiations",
	[RC_NI_NEGOTIATING] = "Negotiating",
	[RC_NI_FAILED_DIAGNOSTICS] = "Failed_Diagnostics",
	[RC_NI_TIMED_OUT_ON_NEGOTIATIONS] = "Timed_Out_On_Negotiations",
	[RC_NI_CHANGING_CONFIGURATION] = "Changing_Configuration",
	[RC_NI_FAILED_COMMUNICATIONS_TEST] = "Failed_Communications_Test",
	[RC_NI_COMPLETED_STARTUP] = "Completed_Startup",
	[RC_NI_REBUILDING] = "Rebuilding",
	[RC_NI_CONFIG_MISMATCH] = "Configuration_Mismatch",
	[RC_NI_CONFIG_WRITE_FAILED] = "Configuration_Write_Failed",
	[RC_NI_CABLE_FAILURE] = "Cable_Failure",
	[RC_NI_KILLED] = "Killed",
	[RC_NI_HEARTBEAT_LOST] = "Heartbeat_Lost",
	[RC_NI_DUPLICATE_ID] = "Duplicate_Node_ID",
};

static const char *const rc_action_names[RC_ACT_MAX] = {
	[RC_ACT_NONE] = "none",
	[RC_ACT_READ] = "read",
	[RC_ACT_WRITE] = "write",
	[RC_ACT_TUR] = "test_unit_ready",
	[RC_ACT_COMPLETE] = "complete",
	[RC_ACT_STATE] = "state",
	[RC_ACT_MASTER] = "master",
	[RC_ACT_RESERVATION] = "reservation",
	[RC_ACT_PROCESS_COD] = "process_cod",
	[RC_ACT_ADOPT_CONFIG] = "adopt_config",
	[RC_ACT_COMMIT_CONFIG] = "commit_config",
	[RC_ACT_REBUILD_START] = "rebuild_start",
	[RC_ACT_REBUILD_STOP] = "rebuild_stop",
	[RC_ACT_REBUILD_RECORD] = "rebuild_record",
	[RC_ACT_RESTART] = "restart",
	[RC_ACT_SUSPEND] = "suspend",
	[RC_ACT_HOST_REQUEST] = "host_request",
};

const char *rc_node_state_name(unsigned int state)
{
	return state < RC_NS_MAX ? rc_state_names[state] : "?";
}

const char *rc_node_info_name(unsigned int info)
{
	return info < RC_NI_MAX ? rc_info_names[info] : "?";
}

const char *rc_action_name(unsigned int type)
{
	return type < RC_ACT_MAX ? rc_action_names[type] : "?";
}
