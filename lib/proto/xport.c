// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The disk mailbox transport (slots.h): which blocks to write and read,
 * when, and what a read block means.
 *
 * Writes go to the comm disk of every connected channel (so a reader may
 * use any channel); reads come from the current node-communications
 * channel only.  One write per block in flight: a change while a write is
 * in flight marks the block dirty and it is written again on completion,
 * so the buffer handed to the host never changes under it.
 *
 * Delivery: a message stays in the sender's box until the receiver's box
 * back acknowledges its sequence number; the receiver consumes strictly in
 * order, once.  Torn blocks fail the CRC and are ignored; stale copies
 * (older write_count, older incarnation, or addressed to an earlier life
 * of the receiver) are ignored; both are simply read again next poll.
 */
#include "rc_base.h"
#include "node_priv.h"

/* The lowest-numbered present, online disk of channel @ch (or -1). */
int rc_comm_disk(const struct rc_node *n, u8 ch)
{
	unsigned int d;

	for (d = 0; d < RC_MAX_DISKS; d++) {
		const struct rc_disk_view *v = &n->disks[d];

		if (v->present && v->state == RC_DISK_ONLINE && v->channel == ch)
			return (int)d;
	}
	return -1;
}

/* Step 4A5: Connected_Channels; step 4B0: the node-communications channel. */
void rc_chan_update(struct rc_node *n)
{
	u8 conn = 0;
	unsigned int c, i;
	bool moved = false;

	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		int d = rc_comm_disk(n, c);
		u8 id = d < 0 ? 0xff : (u8)d;

		if (d >= 0)
			conn |= 1u << c;
		if (id != n->comm_disk[c])
			moved = true;
		n->comm_disk[c] = id;
	}
	if (moved) {
		/*
		 * A channel's mailboxes now live on another disk (its first
		 * online disk failed): write everything there again, or a
		 * reader that moved too would never see what we sent.
		 */
		for (i = 0; i < RC_MAX_NODES; i++)
			if (n->peers[i].tx_inc)
				n->peers[i].box_dirty = true;
	}
	n->connected = conn;
	if (!(conn & (1u << n->comm))) {
		for (c = 0; c < RC_MAX_CHANNELS; c++) {
			if (conn & (1u << c)) {
				n->comm = c;
				break;
			}
		}
	}
	rc_slot_touch(n);
}

static void rc_io(struct rc_node *n, u8 type, u32 tag, u8 ch, u64 sector,
		  u32 len, const void *buf)
{
	struct rc_action a = { .type = type, .tag = tag, .sector = sector,
			       .len = len, .buf = buf };
	int d = rc_comm_disk(n, ch);

	a.disk = (u16)d;
	rc_emit(n, &a);
}

/* --- own slot ------------------------------------------------------------- */

void rc_slot_touch(struct rc_node *n)
{
	n->slot_dirty = true;
}

/* What our slot says of us now (also rc_node_peer_view() of ourselves). */
void rc_slot_fill(const struct rc_node *n, struct rc_slot_info *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->node_id = n->p.self;
	s->state = n->state;
	s->info = n->info;
	s->booting = n->booting;
	s->connected = n->connected;
	s->comm_channel = n->comm;
	s->master = n->master;
	s->flags = n->suspended ? RC_SLOTF_SUSPENDED : 0;
	s->incarnation = n->p.incarnation;
	s->heartbeat = n->heartbeat;
	s->generation = n->cfg.generation;
	for (i = 0; i < RC_MAX_NODES; i++) {
		if (i == n->p.self) {
			s->peer_state[i] = n->state;
			s->peer_info[i] = n->info;
			continue;
		}
		s->peer_state[i] = n->peers[i].state;
		s->peer_info[i] = n->peers[i].info;
		if (n->peers[i].kill) {
			s->kill_mask |= 1u << i;
			s->kill_incarnation[i] = n->peers[i].kill_inc;
		}
	}
	memcpy(s->holder, n->holder, RC_MAX_LDS);
	s->rebuild = n->rb;
}

void rc_slot_flush(struct rc_node *n)
{
	unsigned int c, issued = 0;

	if (!n->slot_dirty || n->slot_inflight || !n->connected ||
	    n->slot_final || n->listening)
		return;
	n->heartbeat++;
	rc_slot_fill(n, &n->slot_scratch);
	if (rc_slot_encode(n->slot_buf, &n->slot_scratch))
		return;		/* cannot happen: every field is ours */
	n->slot_dirty = false;
	n->slot_issue_ms = n->now;
	n->slot_err = false;
	n->slot_ok_once = false;
	if (n->suspended)
		n->slot_final = true;
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		if (!(n->connected & (1u << c)))
			continue;
		rc_io(n, RC_ACT_WRITE, RC_TAG(RC_TAG_SLOT_WRITE, 0, c), c,
		      RC_SLOT_OF(n->p.self), RC_SLOT_BYTES, n->slot_buf);
		issued++;
	}
	n->slot_inflight = (u8)issued;
}

/*
 * All 32 slots in one read (they are contiguous, layout.h), on every
 * connected channel: a node that lost one of our channels still writes its
 * slot on the others, and of several copies the freshest wins
 * (rc_cluster_slot() ignores older heartbeats).  The heartbeat check runs
 * once per period, when the read on the comm channel completes (tag bit).
 */
#define RC_TAG_CHECK 0x1u
void rc_slots_read(struct rc_node *n)
{
	unsigned int c;

	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		if (!(n->connected & (1u << c)) ||
		    (n->slots_read_inflight & (1u << c)))
			continue;
		n->slots_read_inflight |= 1u << c;
		n->slots_read_ms[c] = n->now;
		rc_io(n, RC_ACT_READ, RC_TAG(RC_TAG_SLOTS_READ, 0, c) |
		      (c == n->comm ? RC_TAG_CHECK : 0), c, RC_SLOT_SECTOR,
		      RC_MAX_NODES * RC_SLOT_BYTES, NULL);
	}
}

/*
 * While listening (rc_node_params.listen_ms): is our own slot being
 * written by somebody else?  A slot left by our previous life stands
 * still; a live node with our ID advances its heartbeat (or a new one
 * starts with a new incarnation) between two of our reads.  Compared
 * per channel and disk: the copies on different channels may differ (a
 * channel that lost our last writes keeps an older copy), and so may
 * those of two disks of one channel (the channel's communication disk
 * changes while the host describes its disks, and a disk that failed in
 * our last life kept an older copy): a new disk starts a new comparison.
 */
static void rc_slots_listen(struct rc_node *n, u8 ch, u16 disk,
			    const u8 *data)
{
	struct rc_slot_info *s = &n->slot_scratch;

	if (ch >= RC_MAX_CHANNELS ||
	    rc_slot_decode(data + (size_t)n->p.self * RC_SLOT_BYTES,
			   RC_SLOT_BYTES, n->p.self, s))
		return;		/* never written, torn or foreign */
	if ((n->own_slot_seen & (1u << ch)) &&
	    n->own_slot_disk[ch] == disk &&
	    (s->incarnation != n->own_slot_inc[ch] ||
	     s->heartbeat != n->own_slot_hb[ch])) {
		rc_refuse_duplicate(n);
		return;
	}
	n->own_slot_seen |= 1u << ch;
	n->own_slot_disk[ch] = disk;
	n->own_slot_inc[ch] = s->incarnation;
	n->own_slot_hb[ch] = s->heartbeat;
	/*
	 * Peers ignore a slot of ours whose incarnation is not above the last
	 * they saw (and a kill aimed at that life would hit us): if our
	 * previous life's slot is as new as what the host gave us (a clock
	 * set back, a reload within a second), start above it.  Nothing was
	 * written with the old value yet: we are listening.
	 */
	if ((s32)(s->incarnation - n->p.incarnation) >= 0) {
		n->p.incarnation = s->incarnation + 1;
		if (!n->p.incarnation)
			n->p.incarnation = 1;
	}
}

static void rc_slots_parse(struct rc_node *n, u8 ch, u16 disk,
			   const u8 *data)
{
	unsigned int i;

	if (n->listening) {
		rc_slots_listen(n, ch, disk, data);
		if (n->suspended)
			return;
	}
	for (i = 0; i < RC_MAX_NODES; i++) {
		if (i == n->p.self)
			continue;
		if (rc_slot_decode(data + (size_t)i * RC_SLOT_BYTES,
				   RC_SLOT_BYTES, (u8)i, &n->slot_scratch))
			continue;	/* never written, torn or foreign */
		rc_cluster_slot(n, (u8)i, &n->slot_scratch);
		if (n->suspended)
			return;
	}
}

/* --- boxes ---------------------------------------------------------------- */

void rc_xport_reset_peer(struct rc_node *n, u8 id)
{
	struct rc_peer *pr = &n->peers[id];

	pr->tx_inc = pr->slot_ok ? pr->slot.incarnation : 0;
	pr->tx_next = 1;
	pr->tx_acked = 0;
	pr->txn = 0;
	pr->rx_inc = 0;
	pr->rx_seq = 0;
	pr->rx_wc = 0;
	pr->box_dirty = true;
}

bool rc_tx_acked(const struct rc_node *n, u8 to, u32 seq)
{
	return n->peers[to].tx_acked >= seq;
}

void rc_box_flush(struct rc_node *n, u8 to)
{
	struct rc_peer *pr = &n->peers[to];
	const struct rc_msg *m[RC_MBOX_MSGS];
	struct rc_mbox_info h = { 0 };
	unsigned int i, c, cnt, issued = 0;

	if (!pr->box_dirty || pr->box_inflight || !n->connected ||
	    !pr->tx_inc || !n->started || n->listening || n->slot_final)
		return;
	cnt = pr->txn < RC_MBOX_MSGS ? pr->txn : RC_MBOX_MSGS;
	for (i = 0; i < cnt; i++)
		m[i] = &pr->txq[i];
	h.sender = n->p.self;
	h.receiver = to;
	h.sender_incarnation = n->p.incarnation;
	h.receiver_incarnation = pr->tx_inc;
	h.ack = pr->rx_seq;
	h.ack_incarnation = pr->rx_inc;
	h.write_count = ++pr->box_wc;
	if (rc_mbox_encode(pr->box, &h, m, cnt))
		return;		/* cannot happen: queue built by rc_send */
	pr->box_dirty = false;
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		if (!(n->connected & (1u << c)))
			continue;
		rc_io(n, RC_ACT_WRITE, RC_TAG(RC_TAG_BOX_WRITE, to, c), c,
		      RC_MBOX_OF(n->p.self, to), RC_MBOX_BYTES, pr->box);
		issued++;
	}
	pr->box_inflight = (u8)issued;
}

/* Address the peer's current life; a stream to an older one is void. */
static void rc_tx_sync(struct rc_node *n, u8 to)
{
	struct rc_peer *pr = &n->peers[to];

	if (!pr->slot_ok || pr->tx_inc == pr->slot.incarnation)
		return;
	pr->tx_inc = pr->slot.incarnation;
	pr->tx_next = 1;
	pr->tx_acked = 0;
	pr->txn = 0;
	pr->box_dirty = true;
}

static struct rc_msg *rc_tx_slot(struct rc_node *n, u8 to)
{
	struct rc_peer *pr;

	/* A suspended node sends nothing new; queued messages still go. */
	if (to >= RC_MAX_NODES || to == n->p.self || n->suspended)
		return NULL;
	pr = &n->peers[to];
	if (!pr->slot_ok)
		return NULL;
	rc_tx_sync(n, to);
	if (pr->txn >= RC_TXQ)
		return NULL;
	return &pr->txq[pr->txn];
}

static int rc_tx_push(struct rc_node *n, u8 to, struct rc_msg *m)
{
	struct rc_peer *pr = &n->peers[to];

	m->seq = pr->tx_next++;
	pr->txn++;
	pr->box_dirty = true;
	rc_box_flush(n, to);
	return (int)m->seq;
}

/* Queue a command to @to; returns its seq (> 0) or a negative errno. */
int rc_send(struct rc_node *n, u8 to, u8 dcmd, u8 ld, u32 addr, u16 count,
	    u32 op, const void *payload, u16 len)
{
	struct rc_msg *m = rc_tx_slot(n, to);

	if (!m)
		return -EAGAIN;
	if (len > RC_WIRE_MAX_PAYLOAD || ld >= RC_MAX_LDS)
		return -EINVAL;
	m->ld = ld;
	m->flags = 0;
	m->status = 0;
	m->cmd.dcmd = dcmd;
	m->cmd.lun = ld & 7;
	m->cmd.addr = addr;
	m->cmd.count = count;
	m->reply_to = 0;
	m->op = op;
	m->len = len;
	if (len)
		memcpy(m->payload, payload, len);
	return rc_tx_push(n, to, m);
}

int rc_reply_msg(struct rc_node *n, u8 to, const struct rc_msg *cmd,
		 u8 status, const void *payload, u16 len)
{
	struct rc_req r;

	rc_req_of(&r, cmd);
	return rc_reply(n, to, &r, status, payload, len);
}

int rc_reply(struct rc_node *n, u8 to, const struct rc_req *cmd, u8 status,
	     const void *payload, u16 len)
{
	struct rc_msg *m = rc_tx_slot(n, to);

	if (!m)
		return -EAGAIN;
	if (len > RC_WIRE_MAX_PAYLOAD)
		return -EINVAL;
	m->ld = cmd->ld;
	m->flags = RC_MSGF_RESPONSE;
	m->status = status;
	m->cmd = cmd->cmd;
	m->reply_to = cmd->seq;
	m->op = cmd->op;
	m->len = len;
	if (len)
		memcpy(m->payload, payload, len);
	return rc_tx_push(n, to, m);
}

/* Every poll: boxes whose last write failed are written again. */
void rc_boxes_retry(struct rc_node *n)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		if (pr->box_retry && !pr->box_inflight) {
			pr->box_retry = false;
			pr->box_dirty = true;
		}
		rc_box_flush(n, (u8)i);
	}
}

void rc_boxes_poll(struct rc_node *n)
{
	unsigned int i;
	u8 ch, both;

	if (!(n->connected & (1u << n->comm)))
		return;
	for (i = 0; i < RC_MAX_NODES; i++) {
		struct rc_peer *pr = &n->peers[i];

		if (i == n->p.self || pr->box_read_inflight || !pr->slot_ok)
			continue;
		if (!rc_peer_live(n, i) && !pr->txn)
			continue;
		/*
		 * The peer writes its boxes on the channels it is connected
		 * to (its slot says which): read on our comm channel if it
		 * is one of them, else on another channel we share, so a
		 * node that lost one cable is still heard (and told).
		 */
		ch = n->comm;
		both = n->connected & pr->slot.connected;
		if (!(both & (1u << ch))) {
			if (!both)
				continue;
			for (ch = 0; !(both & (1u << ch)); ch++)
				;
		}
		pr->box_read_inflight = true;
		rc_io(n, RC_ACT_READ, RC_TAG(RC_TAG_BOX_READ, i, ch),
		      ch, RC_MBOX_OF(i, n->p.self), RC_MBOX_BYTES, NULL);
	}
}

static void rc_box_parse(struct rc_node *n, u8 from, const u8 *data)
{
	struct rc_peer *pr = &n->peers[from];
	struct rc_mbox_info h;
	unsigned int i, drop = 0;
	bool consumed = false;

	if (rc_mbox_decode(data, RC_MBOX_BYTES, from, n->p.self, &h))
		return;				/* torn, corrupt, never written */
	if (!pr->slot_ok || h.sender_incarnation != pr->slot.incarnation)
		return;				/* a box of an earlier life */
	rc_tx_sync(n, from);
	if (h.sender_incarnation == pr->rx_inc && h.write_count < pr->rx_wc)
		return;				/* an older copy */
	/* Acknowledgements of what we sent to this life of the peer. */
	if (h.ack_incarnation == n->p.incarnation &&
	    h.sender_incarnation == pr->tx_inc && h.ack > pr->tx_acked &&
	    h.ack < pr->tx_next) {
		pr->tx_acked = h.ack;
		while (drop < pr->txn && pr->txq[drop].seq <= h.ack)
			drop++;
		if (drop) {
			for (i = drop; i < pr->txn; i++)
				pr->txq[i - drop] = pr->txq[i];
			pr->txn -= drop;
			pr->box_dirty = true;
		}
	}
	if (h.receiver_incarnation != n->p.incarnation)
		goto out;			/* for an earlier life of ours */
	if (h.sender_incarnation != pr->rx_inc) {
		pr->rx_inc = h.sender_incarnation;
		pr->rx_seq = 0;
		pr->rx_wc = 0;
	}
	pr->rx_wc = h.write_count;
	for (i = 0; i < h.nmsgs; i++) {
		if (rc_mbox_msg_decode(data, i, &n->rx))
			break;
		if (n->rx.seq <= pr->rx_seq)
			continue;		/* consumed already */
		if (n->rx.seq != pr->rx_seq + 1)
			break;			/* a gap: never skip one */
		pr->rx_seq = n->rx.seq;
		consumed = true;
		rc_dispatch(n, from, &n->rx);
		if (n->suspended || !n->started ||
		    pr->rx_inc != h.sender_incarnation)
			return;
	}
	if (consumed)
		pr->box_dirty = true;		/* carry the ack back */
out:
	rc_box_flush(n, from);
}

/* --- completions ------------------------------------------------------------ */

static void rc_chan_result(struct rc_node *n, u8 ch, int error)
{
	if (ch >= RC_MAX_CHANNELS)
		return;
	if (error)
		n->chan_bad |= 1u << ch;
	else
		n->chan_bad &= ~(1u << ch);
}

void rc_xport_io_done(struct rc_node *n, const struct rc_action *io,
		      int error, const void *data)
{
	u32 kind = RC_TAG_KIND(io->tag);
	u8 peer = RC_TAG_PEER(io->tag);
	u8 ch = RC_TAG_CH(io->tag);

	/* a verify TUR carries a disk index (up to 63) where others a node */
	if (peer >= RC_MAX_NODES && kind != RC_TAG_TUR_VERIFY)
		return;
	if (kind == RC_TAG_SLOT_WRITE || kind == RC_TAG_BOX_WRITE ||
	    kind == RC_TAG_SLOTS_READ || kind == RC_TAG_BOX_READ)
		rc_chan_result(n, ch, error);
	switch (kind) {
	case RC_TAG_SLOT_WRITE:
		if (error)
			n->slot_err = true;
		else
			n->slot_ok_once = true;
		if (n->slot_inflight && !--n->slot_inflight && !n->suspended) {
			rc_lease_slot_done(n);
			rc_slot_flush(n);
		}
		return;
	case RC_TAG_BOX_WRITE:
		/*
		 * A test of the master's (figure 8) waits for its answer from
		 * the moment the command is on the disks: a write of ours that
		 * hung for a while held the command back, not the peer.
		 */
		if (!error && n->peers[peer].diag != RC_DIAG_IDLE &&
		    n->peers[peer].diag_deadline < n->now + n->p.reply_timeout_ms)
			n->peers[peer].diag_deadline = n->now + n->p.reply_timeout_ms;
		if (n->peers[peer].box_inflight)
			n->peers[peer].box_inflight--;
		if (!n->peers[peer].box_inflight)
			rc_box_flush(n, peer);
		/*
		 * A failed write may have left the block torn (some sectors
		 * new): the reader ignores it and keeps waiting for messages
		 * that are in no box it can decode.  Unlike the slot (the
		 * heartbeat rewrites it every period) a box is written only
		 * on a change, and both sides may be waiting for each other:
		 * write it again at the next poll (rc_boxes_retry()), not
		 * from this completion: a channel without a path would
		 * fail every rewrite at once, in a loop.
		 */
		if (error)
			n->peers[peer].box_retry = true;
		return;
	case RC_TAG_SLOTS_READ:
		if (ch < RC_MAX_CHANNELS)
			n->slots_read_inflight &= ~(1u << ch);
		if (n->suspended)
			return;
		if (!error && data && io->len == RC_MAX_NODES * RC_SLOT_BYTES)
			rc_slots_parse(n, ch, io->disk, data);
		if (n->suspended)
			return;
		/*
		 * Parsed without a kill for us: the lease may go on.  Any
		 * channel's copy will do (a killer writes every channel it
		 * has): a failing disk on one channel does not stop our I/O.
		 */
		if (!error && data && io->len == RC_MAX_NODES * RC_SLOT_BYTES)
			rc_lease_read_done(n, ch);
		if (io->tag & RC_TAG_CHECK)
			rc_cluster_slots(n, !error && data);
		return;
	case RC_TAG_BOX_READ:
		n->peers[peer].box_read_inflight = false;
		if (n->suspended || error || !data || io->len != RC_MBOX_BYTES)
			return;
		rc_box_parse(n, peer, data);
		return;
	case RC_TAG_TUR_HB:
		if (!n->suspended)
			rc_cluster_tur_done(n, peer, io->disk, error);
		return;
	case RC_TAG_TUR_CABLE:
		if (!n->suspended)
			rc_config_tur_done(n, ch, error);
		return;
	case RC_TAG_TUR_VERIFY:
		if (!n->suspended)
			rc_config_verify_done(n, peer, error);
		return;
	default:
		return;
	}
}
