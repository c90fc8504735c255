// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Never two writers: this node's lease, and the fencing of a dead peer's
 * reservations (Documentation/protocol.md, "The lease").
 *
 * The lease.  A heartbeat cycle writes our slot on every connected channel
 * and reads all slots on every connected channel.  When the write has
 * reached at least one channel and a read has succeeded (and showed no
 * Node_Kill for our incarnation: that suspends us at once, cluster.c), the
 * lease runs until lease_ms after the EARLIER of the two issue times.  (A
 * killer writes its kill on every channel it has, and its fence waits for
 * that write to succeed everywhere: whichever channel we read shows it.)
 * Data I/O is accepted only before that instant.  A node that freezes, loses its disks
 * or has its I/O hang stops renewing and so stops accepting, by its own
 * clock, without hearing from anyone.
 *
 * Fencing.  The reservations of a peer that died are not freed when it is
 * declared dead: first our slot carries a Node_Kill for its incarnation
 * (RC_FENCE_KILL), and once a slot write with it has succeeded on every
 * channel, we wait lease_ms + drain_ms (RC_FENCE_WAIT).  Any read the
 * peer issued after that write completed shows it the kill, so every lease
 * it still renewed began before: it has ended by the end of our wait minus
 * drain_ms, and drain_ms covers the data writes it accepted before.  Only
 * then are its entries cleared (RC_FENCE_DONE).  A peer that comes back
 * with a new incarnation (rebooted: its host restarted after its I/O
 * ended) needs no wait.
 *
 * Fencing at the disks (p.disk_fence).  The wait above relies on the
 * peer's clock: a peer frozen so that its clock stopped too still believes
 * in its lease when it thaws, with writes queued.  So after the wait the
 * peer's key must be off the member disks (RC_FENCE_DISK) before its
 * entries go: the master removes it (RC_ACT_PR_PREEMPT), a slave checks
 * that the master did (RC_ACT_PR_CHECK: it frees nothing the master has
 * not fenced at the disks, and if the master is the dead one, the next
 * master preempts).  The disk then refuses the peer's writes with
 * RESERVATION CONFLICT, whatever its clock says.
 */
#include "rc_base.h"
#include "node_priv.h"

/* --- the lease ---------------------------------------------------------------- */

u64 rc_lease_start(const struct rc_node *n)
{
	if (!n->started || n->suspended || !n->lease_w_ms || !n->lease_r_ms)
		return 0;
	return n->lease_w_ms < n->lease_r_ms ? n->lease_w_ms : n->lease_r_ms;
}

u64 rc_lease_end(const struct rc_node *n)
{
	u64 t = rc_lease_start(n);

	return t ? t + n->p.lease_ms : 0;
}

bool rc_lease_valid(const struct rc_node *n)
{
	return n->now < rc_lease_end(n);
}

static void rc_fence_slot_landed(struct rc_node *n);

/*
 * The slot write issued at slot_issue_ms has ended on every channel: it
 * renews the lease if it reached at least one (the others see us there);
 * the kills it carries are out only if it reached every one.
 */
void rc_lease_slot_done(struct rc_node *n)
{
	if (n->slot_ok_once)
		n->lease_w_ms = n->slot_issue_ms ? n->slot_issue_ms : 1;
	if (!n->slot_err)
		rc_fence_slot_landed(n);
}

/* A slots read on @ch succeeded (and showed no kill for us). */
void rc_lease_read_done(struct rc_node *n, u8 ch)
{
	if (ch < RC_MAX_CHANNELS && !n->suspended)
		n->lease_r_ms = n->slots_read_ms[ch] ? n->slots_read_ms[ch] : 1;
}

/* --- Node_Kill and fencing -------------------------------------------------------- */

/*
 * Fig 17 step 1740 / fig 8 step 850: Node_Kill() through our slot (read on
 * every channel) and, while it still reads its box, the command too.
 */
void rc_kill_peer(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];

	if (!pr->slot_ok)
		return;
	pr->kill = true;
	pr->kill_inc = pr->slot.incarnation;
	rc_send(n, id, RC_DCMD_KILL, 0, 0, 0, 0, NULL, 0);
	rc_slot_touch(n);
	rc_slot_flush(n);
}

static void rc_fence_ask_disks(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];
	struct rc_action a = {
		.type = rc_is_master(n) ? RC_ACT_PR_PREEMPT : RC_ACT_PR_CHECK,
		.node = id,
		/* a peer we never read: every life of its ID */
		.incarnation = pr->kill ? pr->kill_inc : 0,
	};

	pr->fence = RC_FENCE_DISK;
	pr->fence_ask_at = n->now + n->p.hb_period_ms;
	rc_emit(n, &a);
}

static void rc_fence_complete(struct rc_node *n, u8 id, u8 status)
{
	struct rc_peer *pr = &n->peers[id];

	if (pr->kill_cookie) {
		rc_emit_complete(n, pr->kill_cookie, status);
		pr->kill_cookie = 0;
	}
}

static void rc_fence_clear(struct rc_node *n, u8 id)
{
	unsigned int ld;

	for (ld = 0; ld < RC_MAX_LDS; ld++)
		if (n->holder[ld] == id)
			rc_set_holder(n, ld, RC_HOLDER_NONE);
}

static bool rc_holds_any(const struct rc_node *n, u8 id)
{
	unsigned int ld;

	for (ld = 0; ld < RC_MAX_LDS; ld++)
		if (n->holder[ld] == id)
			return true;
	return false;
}

/*
 * The drives a dead peer's own slot says it holds, where our table names
 * nobody, become its entries again, so that they are freed only once it is
 * fenced -- at the disks too.  Our table may not know them: it began after
 * the peer's reservations (we restarted, or started the cluster alone,
 * while it was frozen).  On the lease alone such a node's lease has long
 * run out, unless its clock stopped with it, which only the disks can
 * answer (p.disk_fence).
 */
static void rc_fence_adopt_holdings(struct rc_node *n, u8 id)
{
	const struct rc_peer *pr = &n->peers[id];
	unsigned int ld;

	if (!n->p.disk_fence || !pr->slot_ok)
		return;
	for (ld = 0; ld < RC_MAX_LDS; ld++)
		if (pr->slot.holder[ld] == id &&
		    n->holder[ld] == RC_HOLDER_NONE)
			rc_set_holder(n, ld, id);
}

/*
 * Peer @id is dead (not rebooted): its reservations go only once it is
 * fenced.  A peer whose slot we never read has no incarnation to kill: we
 * can only wait out a lease from now.
 */
void rc_fence_peer(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];

	if (id >= RC_MAX_NODES || id == n->p.self)
		return;
	rc_fence_adopt_holdings(n, id);
	if (rc_fencing(n, id))
		return;
	if (pr->fence == RC_FENCE_DONE && !rc_holds_any(n, id) &&
	    (!pr->slot_ok || (pr->kill && pr->kill_inc == pr->slot.incarnation)))
		return;
	if (!pr->slot_ok) {
		pr->fence = RC_FENCE_WAIT;
		pr->fence_until = n->now + n->p.lease_ms + n->p.drain_ms;
		return;
	}
	pr->fence = RC_FENCE_KILL;
	/* rc_slot_flush() advances the heartbeat before it encodes */
	pr->fence_hb = n->heartbeat + 1;
	rc_kill_peer(n, id);
}

/* Not live, and neither booting (slow, not dead) nor stopped. */
static bool rc_fence_suspect(const struct rc_node *n, u8 i)
{
	const struct rc_peer *pr = &n->peers[i];

	return i != n->p.self && pr->slot_ok && !rc_peer_live(n, i) &&
	       !pr->slot.booting && !(pr->slot.flags & RC_SLOTF_SUSPENDED);
}

/*
 * ... and our own reads show its slot standing still: read lately, with
 * the same heartbeat over a detection time of reads -- not merely unread
 * (our reads may hang) nor judged on reads from before a freeze of ours.
 */
static bool rc_fence_stale(const struct rc_node *n, u8 i)
{
	const struct rc_peer *pr = &n->peers[i];
	u64 window = (u64)(n->p.hb_misses + 1) * n->p.hb_period_ms;

	return rc_fence_suspect(n, i) &&
	       pr->slot_read_ms + 2ull * n->p.hb_period_ms >= n->now &&
	       pr->slot_read_ms >= pr->hb_change_ms + window;
}

/*
 * We start the cluster as its master while a peer's slot is not live.  It
 * may hold drives that no slot shows (frozen, with its clock, right after
 * a Reserve, before its slot said so): it is fenced -- at the disks -- and
 * nothing is granted before that ends (rc_fence_startup_pending()).  The
 * drives its slot does show are its entries until then.
 */
void rc_fence_stale_holders(struct rc_node *n)
{
	unsigned int i;

	if (!n->p.disk_fence)
		return;
	n->startup_fence = 0;
	n->startup_fired = 0;
	for (i = 0; i < RC_MAX_NODES; i++)
		if (rc_fence_suspect(n, (u8)i))
			n->startup_fence |= 1u << i;
	rc_fence_startup_pending(n);
}

/*
 * The peers of rc_fence_stale_holders() not cleared yet: a suspect whose
 * slot moves again is alive; one whose slot our reads show standing still
 * is fenced, and counts until its fence ends.
 */
u32 rc_fence_startup_pending(struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++) {
		u32 bit = 1u << i;

		if (!(n->startup_fence & bit))
			continue;
		if (!(n->startup_fired & bit)) {
			if (!rc_fence_suspect(n, (u8)i)) {
				n->startup_fence &= ~bit;
			} else if (rc_fence_stale(n, (u8)i)) {
				n->startup_fired |= bit;
				rc_fence_peer(n, (u8)i);
			}
			continue;
		}
		if (!rc_fencing(n, (u8)i))
			n->startup_fence &= ~bit;
	}
	return n->startup_fence;
}

/* A slot write succeeded everywhere: the kills it carries are out. */
static void rc_fence_slot_landed(struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		if (pr->fence != RC_FENCE_KILL || n->heartbeat < pr->fence_hb)
			continue;
		pr->fence = RC_FENCE_WAIT;
		pr->fence_until = n->now + n->p.lease_ms + n->p.drain_ms;
	}
}

/* Its new life is another writer: the old one ended with its host. */
void rc_fence_forget(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];

	rc_fence_clear(n, id);
	pr->fence = RC_FENCE_NONE;
	pr->fence_hb = 0;
	pr->fence_until = 0;
	rc_fence_complete(n, id, RC_SCSI_GOOD);
}

/*
 * Is the life of @id its slot shows fenced: killed, and the kill carried
 * through (lease waited out, its key off the disks)?  What a fence
 * agent's "status" reports as off.
 */
bool rc_fenced(const struct rc_node *n, u8 id)
{
	const struct rc_peer *pr = &n->peers[id];

	return pr->fence == RC_FENCE_DONE && pr->slot_ok && pr->kill &&
	       pr->kill_inc == pr->slot.incarnation;
}

/* Is @id's death still being fenced (its entries kept until it is)? */
bool rc_fencing(const struct rc_node *n, u8 id)
{
	u8 f = n->peers[id].fence;

	return f == RC_FENCE_KILL || f == RC_FENCE_WAIT || f == RC_FENCE_DISK;
}

void rc_fence_tick(struct rc_node *n)
{
	unsigned int i;

	rc_fence_startup_pending(n);

	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		if (pr->fence == RC_FENCE_KILL && pr->slot_ok &&
		    (pr->slot.flags & RC_SLOTF_SUSPENDED) &&
		    pr->slot.incarnation == pr->kill_inc &&
		    !rc_holds_any(n, (u8)i)) {
			/* It says it stopped, and holds nothing of ours. */
			pr->fence = RC_FENCE_DONE;
			rc_fence_complete(n, (u8)i, RC_SCSI_GOOD);
			continue;
		}
		if (pr->fence == RC_FENCE_DISK && n->now >= pr->fence_ask_at) {
			/* unanswered or refused: ask again (as master now?) */
			rc_fence_ask_disks(n, (u8)i);
			continue;
		}
		if (pr->fence != RC_FENCE_WAIT || n->now < pr->fence_until)
			continue;
		if (n->p.disk_fence) {
			rc_fence_ask_disks(n, (u8)i);
			continue;
		}
		pr->fence = RC_FENCE_DONE;
		rc_fence_clear(n, (u8)i);
		rc_fence_complete(n, (u8)i, RC_SCSI_GOOD);
	}
}

/* The host's answer to RC_ACT_PR_PREEMPT / PR_CHECK. */
void rc_fence_disk_done(struct rc_node *n, u8 id, u32 incarnation, int error)
{
	struct rc_peer *pr;

	if (id >= RC_MAX_NODES)
		return;
	pr = &n->peers[id];
	if (pr->fence != RC_FENCE_DISK ||
	    incarnation != (pr->kill ? pr->kill_inc : 0))
		return;		/* an old question's answer */
	if (error)
		return;		/* asked again at fence_ask_at */
	pr->fence = RC_FENCE_DONE;
	rc_fence_clear(n, id);
	rc_fence_complete(n, id, RC_SCSI_GOOD);
}

/*
 * RC_HOST_KILL: an admin or a fence agent kills node @node.  It is
 * declared failed here at once; the command completes when the node is
 * fenced, so "fenced" means what a fence agent promises.
 */
void rc_fence_host_kill(struct rc_node *n, const struct rc_host_cmd *c)
{
	struct rc_peer *pr = &n->peers[c->node];

	if (!rc_nexus(n)) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	if (!pr->slot_ok) {
		rc_emit_complete(n, c->cookie, RC_SCSI_CHECK_CONDITION);
		return;
	}
	if (pr->kill_cookie)
		rc_fence_complete(n, c->node, RC_SCSI_BUSY);	/* superseded */
	pr->kill_cookie = c->cookie;
	if (pr->fence == RC_FENCE_DONE && pr->kill &&
	    pr->kill_inc == pr->slot.incarnation && !rc_holds_any(n, c->node)) {
		rc_fence_complete(n, c->node, RC_SCSI_GOOD);
		return;
	}
	pr->fence = RC_FENCE_NONE;
	rc_fence_peer(n, c->node);
	rc_cluster_peer_failed(n, c->node, RC_PE_COMM_FAIL);
}
