/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Inside struct rc_node: shared by the engine's files only (node.c core,
 * xport.c mailbox transport, cluster.c startup/monitor/heartbeat,
 * resv.c reservations, rebuild.c, config.c negotiation).  Nothing outside
 * lib/proto includes this.
 */
#ifndef RC_PROTO_NODE_PRIV_H
#define RC_PROTO_NODE_PRIV_H

#include "node.h"
#include "codec.h"
#include "fsm.h"

#define RC_TXQ 8		/* messages queued per peer (4 in the box) */
#define RC_MAX_OPS 16		/* operations waiting for replies */
#define RC_MAX_ACTIONS 512	/* actions between two drains */
#define RC_NODE_MEM 512		/* Node_Read/Node_Write test memory */
#define RC_DIAG_BYTES 64	/* memory test pattern (fig 8 step 860) */

/* I/O tags: kind << 24 | peer << 16 | channel << 8 | disk-low */
enum rc_tag_kind {
	RC_TAG_SLOT_WRITE = 1,
	RC_TAG_BOX_WRITE,
	RC_TAG_SLOTS_READ,
	RC_TAG_BOX_READ,
	RC_TAG_TUR_HB,		/* fig 17 step 1745 */
	RC_TAG_TUR_CABLE,	/* fig 15 step 1550 */
	RC_TAG_TUR_VERIFY,	/* master checks a proposal's dead drives */
};
#define RC_TAG(kind, peer, ch) ((u32)(kind) << 24 | (u32)(peer) << 16 | \
				(u32)(ch) << 8)
#define RC_TAG_KIND(t) ((t) >> 24)
#define RC_TAG_PEER(t) (((t) >> 16) & 0xff)
#define RC_TAG_CH(t) (((t) >> 8) & 0xff)

enum rc_diag_step {
	RC_DIAG_IDLE = 0,
	RC_DIAG_CABLE,		/* Node_Cable_Check sent */
	RC_DIAG_WRITE,		/* Node_Write of the pattern sent */
	RC_DIAG_READ,		/* Node_Read sent */
	RC_DIAG_NEGOTIATE,	/* Node_Negotiate sent (880) */
};

/* What a reply needs of the command it answers (kept for late replies). */
struct rc_req {
	u32 seq, op;
	u8 ld;
	struct rc_cmd cmd;
};

static inline void rc_req_of(struct rc_req *r, const struct rc_msg *m)
{
	r->seq = m->seq;
	r->op = m->op;
	r->ld = m->ld;
	r->cmd = m->cmd;
}

struct rc_disk_view {
	u8 channel, target, state;
	bool present;
	bool unseen;			/* RC_DISKF_UNSEEN */
};

struct rc_peer {
	/* view (fig 6) */
	u8 state, info;
	/* last good slot */
	bool slot_ok;
	struct rc_slot_info slot;
	u64 hb_change_ms;	/* when its heartbeat last advanced */
	u64 slot_read_ms;	/* when we last read its slot */
	u32 misses;		/* heartbeat checks without progress */
	bool hb_seen_change;	/* heartbeat advanced since we know it */
	bool tur_pending;	/* fig 17 analysis in flight */
	bool hb_fresh;		/* advanced since the last heartbeat check */
	u64 nexus_hb;		/* its heartbeat when we saw it reach nexus */
	/* master monitor (fig 8) */
	u8 diag;		/* enum rc_diag_step */
	u32 diag_op;
	u64 diag_deadline;
	u8 diag_pattern[RC_DIAG_BYTES];	/* written by Node_Write (860) */
	u64 not_before;		/* 8E0: renegotiate after */
	bool repush;		/* a configuration push found it busy */
	bool kill;		/* Node_Kill requested in our slot */
	u32 kill_inc;
	/* fencing its reservations after its death (fence.c) */
	u8 fence;		/* enum rc_fence_stage */
	u64 fence_hb;		/* our first slot heartbeat with the kill */
	u64 fence_until;	/* its lease and writes are over then */
	u64 kill_cookie;	/* RC_HOST_KILL waiting for the fence, 0 */
	u64 fence_ask_at;	/* RC_FENCE_DISK: ask the disks again then */
	/* transport to the peer */
	u32 tx_inc;		/* peer incarnation the stream addresses */
	u32 tx_next;		/* next seq */
	u32 tx_acked;		/* highest seq it consumed */
	u8 txn;			/* queued */
	struct rc_msg txq[RC_TXQ];	/* txq[0] oldest */
	bool box_dirty;
	bool box_retry;		/* a write failed: write again next poll */
	u8 box_inflight;	/* channel writes in flight */
	u64 box_wc;
	u8 box[RC_BLOCK_BYTES];
	/* transport from the peer */
	u32 rx_inc;		/* sender incarnation consumed */
	u32 rx_seq;		/* highest seq consumed */
	u64 rx_wc;		/* highest write_count seen */
	bool box_read_inflight;
};

enum rc_cable_purpose {
	RC_CABLE_NONE = 0,
	RC_CABLE_NEGOTIATE,	/* slave: answer a Node_Negotiate (fig 13) */
	RC_CABLE_PROPOSAL,	/* master: commit a slave's proposal */
	RC_CABLE_HOST,		/* a local configuration change */
};

/* Diagnostics/negotiation op ids carry this bit (fig 8). */
#define RC_DIAG_OP_BIT 0x80000000u

enum rc_op_kind {
	RC_OP_FREE = 0,
	RC_OP_RESERVE,		/* fig 10 */
	RC_OP_RELEASE,		/* fig 19 */
	RC_OP_PROPOSE,		/* slave -> master configuration change */
	RC_OP_COMMIT,		/* master waiting for COMMIT_CONFIG */
	RC_OP_REQUEST,		/* slave: Node_Host_Request at the master */
	RC_OP_PREEMPT,		/* Node_Reserve(PREEMPT) to every member */
};

struct rc_op {
	u8 kind;
	u8 ld;
	u8 stage;
	u32 id;
	u64 cookie;
	u32 wait;		/* peers whose reply is due */
	u32 granted;		/* peers that answered GOOD */
	u32 conflict;		/* peers that answered CONFLICT */
	u32 fencing;		/* PREEMPT: peers gone unanswered, fenced
				 * before the drive is ours
				 */
	u64 deadline;		/* reply timeout */
	u64 retry_at;		/* fig 10 step 1045 */
	u8 retried;		/* step 1045 loops done */
	u8 stage_flags;		/* bit 0: a holder outranks us (1050) */
	u32 len;		/* REQUEST: bytes of hreq_out */
};

/* The master's rebuild coordination (fig 16). */
struct rc_coord {
	bool active;
	u32 pending;
	u8 ld;			/* dispatched drive, RC_LD_NONE */
	u8 executor;		/* RC_NO_NODE: waiting (a fence, a reply) */
	u8 wait_fence;		/* dead executor to be fenced first */
	u32 progress;		/* of ld, the highest reported */
	u32 recorded;		/* ... last written to the COD */
	u64 deadline;		/* the executor reports by then */
};

struct rc_node {
	struct rc_node_params p;
	u64 now;
	bool started;
	bool suspended;
	u8 state, info;
	bool booting;
	u8 master;		/* node we follow, self if master */
	u64 start_ms;
	u64 discovery_end;	/* startup: decide the role then */
	u64 last_tick;		/* startup: a gap is a freeze of ours */
	bool role_decided;
	u64 neg_deadline;	/* slave: 520-530 */
	bool cod_pending;	/* PROCESS_COD issued */
	u64 next_hb, next_poll, next_monitor, next_status;
	u64 heartbeat;
	/* disks and channels */
	struct rc_disk_view disks[RC_MAX_DISKS];
	u8 connected;		/* Connected_Channels */
	u8 chan_bad;		/* channels that failed an I/O recently */
	u8 comm;		/* node-communications channel */
	u8 comm_disk[RC_MAX_CHANNELS];	/* disk with the channel's boxes, 0xff */
	struct rc_proto_config cfg;
	/* own slot */
	u8 slot_buf[RC_BLOCK_BYTES];
	u8 slot_inflight;
	u64 slot_issue_ms;	/* the slot write in flight was issued then */
	bool slot_err;		/* ... and failed on a channel */
	bool slot_ok_once;	/* ... and reached one */
	/* the lease (fence.c): issue times of the last good cycle */
	u64 lease_w_ms;		/* slot write that reached a channel */
	u64 lease_r_ms;		/* slots read, any channel */
	bool stale;		/* the lease ran out: our timers lie */
	u64 slots_read_ms[RC_MAX_CHANNELS];	/* issue of the read in flight */
	bool slot_dirty;
	bool slot_final;	/* the suspended slot has been written */
	/* listening before the first write (rc_node_params.listen_ms) */
	bool listening;
	u64 listen_end;
	u8 own_slot_seen;	/* channels a valid slot of our ID came from */
	u32 own_slot_inc[RC_MAX_CHANNELS];
	u64 own_slot_hb[RC_MAX_CHANNELS];
	u16 own_slot_disk[RC_MAX_CHANNELS];	/* the copy compared */
	u8 slots_read_inflight;	/* per channel */
	/* peers */
	struct rc_peer peers[RC_MAX_NODES];
	/* reservations (table 390) */
	u8 holder[RC_MAX_LDS];
	/*
	 * Peers not live when we started the cluster as its master: they
	 * may hold drives our table never heard of, so nothing is granted
	 * until they are fenced (fence.c, rc_fence_stale_holders()).
	 */
	u32 startup_fence;
	u32 startup_fired;	/* ... whose fence we started */
	u32 resv_touched;	/* drives a peer reserved this life */
	u32 resv_released_by[RC_MAX_LDS]; /* Node_Release senders (bits) */
	u8 preempt_by[RC_MAX_LDS];	/* the last preempt granted ... */
	u64 preempt_until[RC_MAX_LDS];	/* ... outranks lower ones until */
	/* operations */
	struct rc_op ops[RC_MAX_OPS];
	u32 op_seq;
	/* negotiation being answered (slave) */
	bool neg_pending;	/* ADOPT_CONFIG issued, reply due */
	bool neg_waiting_cable;	/* fig 15 runs before answering */
	u8 neg_from;
	struct rc_req neg_req;
	bool neg_changed;
	bool neg_at_startup;
	struct rc_neg neg;	/* received mailbox */
	struct rc_neg neg_out;	/* staging for what we send */
	u8 neg_wire[sizeof(struct rc_wire_negotiate)];
	u8 neg_wire_in[sizeof(struct rc_wire_negotiate)]; /* as received */
	u8 adopt_wire[sizeof(struct rc_wire_negotiate)]; /* ADOPT/COMMIT buf */
	/* master committing a change (host or a slave's proposal) */
	bool commit_pending;
	bool commit_for_host;
	u64 commit_cookie;
	bool commit_for_peer;
	u8 commit_from;
	struct rc_req commit_req;
	u64 verify_mask;	/* proposal: drives still to TUR */
	bool committed_ok;
	u8 committed_state[RC_MAX_DISKS]; /* disk states last committed */
	u8 verify_disk;		/* TUR in flight */
	/* Node_Host_Request (request.c): the one of ours (slave)... */
	u8 hreq_out[RC_WIRE_MAX_PAYLOAD];
	u8 hreq_reply[RC_WIRE_MAX_PAYLOAD];	/* answer, for COMPLETE */
	/* ... and the one the master carries out */
	bool hreq_pending;
	u8 hreq_from;
	struct rc_req hreq_req;
	u8 hreq_in[RC_WIRE_MAX_PAYLOAD];
	/* a proposal waiting for the master's answer (slave) */
	u32 diag_seq;
	u32 restart_after_seq;	/* restart once the master acked this */
	u8 restart_peer;
	bool restart_pending;
	u64 restart_deadline;
	/* figure 15 cable check */
	bool cable_active;
	u8 cable_ch;		/* next channel to test */
	u8 cable_purpose;	/* enum rc_cable_purpose: what passing leads to */
	u64 cable_cookie;	/* host command waiting on it */
	bool cable_lone;	/* the TUR in flight is the lost drive itself */
	u8 cable_disk;		/* the drive whose TUR is in flight */
	u64 cable_dead;		/* drives of cable_ch that failed their TUR
				 * with a drive error (not -ENOLINK)
				 */
	bool auto_propose;	/* lost members to propose missing */
	bool witness_wanted;	/* master: lost drives await a slave's check */
	/* rebuild */
	struct rc_rebuild rb;	/* view (11D5) */
	bool rb_active;
	struct rc_coord coord;	/* master only */
	u8 my_rebuild;		/* drive this node rebuilds, RC_LD_NONE */
	u8 rb_wire[sizeof(struct rc_wire_rebuild)];
	u32 my_progress;
	u64 rb_run;
	u32 rb_needed;		/* drives the configuration says need one */
	u8 rb_rate_ld, rb_rate_ex;	/* rate sample: whose progress ... */
	u32 rb_rate_p0;		/* ... from this position ... */
	u64 rb_rate_t0;		/* ... at this time */
	/* Node_Read/Node_Write target memory */
	u8 mem[RC_NODE_MEM];
	/* scratch (kernel stacks are small) */
	struct rc_msg rx;
	struct rc_msg tx;
	struct rc_slot_info slot_scratch;
	/* actions */
	unsigned int act_head, act_tail;
	bool act_overflow;
	struct rc_action acts[RC_MAX_ACTIONS];
};

/* Cookie of a change the library proposes itself: never completed. */
#define RC_COOKIE_INTERNAL (~0ull)

/* node.c */
void rc_emit(struct rc_node *n, const struct rc_action *a);
void rc_emit_complete(struct rc_node *n, u64 cookie, u8 status);
void rc_self_fire(struct rc_node *n, u8 ev);
void rc_peer_fire(struct rc_node *n, u8 id, u8 ev);
void rc_suspend(struct rc_node *n, u8 ev);
void rc_refuse_duplicate(struct rc_node *n);
void rc_slot_fill(const struct rc_node *n, struct rc_slot_info *s);
bool rc_is_master(const struct rc_node *n);
bool rc_nexus(const struct rc_node *n);
u32 rc_members(const struct rc_node *n);
u32 rc_resv_targets(const struct rc_node *n);
bool rc_peer_live(const struct rc_node *n, u8 id);
void rc_set_holder(struct rc_node *n, u8 ld, u8 holder);
void rc_drop_node(struct rc_node *n, u8 id, bool rebooted);
struct rc_op *rc_op_new(struct rc_node *n, u8 kind);
struct rc_op *rc_op_find(struct rc_node *n, u32 id);
void rc_op_free(struct rc_op *op);

/* xport.c */
void rc_chan_update(struct rc_node *n);
int rc_comm_disk(const struct rc_node *n, u8 ch);
void rc_slot_touch(struct rc_node *n);
void rc_slot_flush(struct rc_node *n);
void rc_slots_read(struct rc_node *n);
void rc_boxes_poll(struct rc_node *n);
int rc_send(struct rc_node *n, u8 to, u8 dcmd, u8 ld, u32 addr, u16 count,
	    u32 op, const void *payload, u16 len);
int rc_reply(struct rc_node *n, u8 to, const struct rc_req *cmd, u8 status,
	     const void *payload, u16 len);
int rc_reply_msg(struct rc_node *n, u8 to, const struct rc_msg *cmd,
		 u8 status, const void *payload, u16 len);
void rc_box_flush(struct rc_node *n, u8 to);
void rc_boxes_retry(struct rc_node *n);
void rc_xport_reset_peer(struct rc_node *n, u8 id);
void rc_xport_io_done(struct rc_node *n, const struct rc_action *io,
		      int error, const void *data);
bool rc_tx_acked(const struct rc_node *n, u8 to, u32 seq);

/* request.c: Node_Host_Request, slave to master */
void rc_request_host(struct rc_node *n, const struct rc_host_cmd *c);
void rc_request_cmd(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_request_reply(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_request_done(struct rc_node *n, u8 status, const void *reply,
		     u32 len);
void rc_request_tick(struct rc_node *n);

/* node.c: a message consumed from @from's box */
void rc_dispatch(struct rc_node *n, u8 from, const struct rc_msg *m);

/* cluster.c: startup, monitor, heartbeat, failover */
void rc_cluster_start(struct rc_node *n);
void rc_cluster_slot(struct rc_node *n, u8 id, const struct rc_slot_info *s);
void rc_cluster_tick(struct rc_node *n);
void rc_cluster_slots(struct rc_node *n, bool read_ok);
void rc_cluster_tur_done(struct rc_node *n, u8 peer, u16 disk, int error);
void rc_cluster_diag_reply(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_cluster_peer_failed(struct rc_node *n, u8 id, u8 ev);
void rc_cluster_cod_done(struct rc_node *n, int error);
void rc_restart(struct rc_node *n);

/* resv.c */
bool rc_resv_pending(const struct rc_node *n, u8 ld);
void rc_resv_host(struct rc_node *n, const struct rc_host_cmd *c);
void rc_resv_preempt(struct rc_node *n, const struct rc_host_cmd *c);
void rc_resv_cmd(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_resv_reply(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_resv_tick(struct rc_node *n);
void rc_resv_member_gone(struct rc_node *n, u8 id, bool rebooted);

/* rebuild.c */
void rc_rebuild_host(struct rc_node *n, const struct rc_host_cmd *c);
void rc_rebuild_cmd(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_rebuild_tick(struct rc_node *n);
void rc_rebuild_node_failed(struct rc_node *n, u8 id);
void rc_rebuild_promoted(struct rc_node *n);
void rc_rebuild_progress_ev(struct rc_node *n, u8 ld, u32 permille);
void rc_rebuild_done_ev(struct rc_node *n, u8 ld, int error);
void rc_rebuild_needed_ev(struct rc_node *n, u32 mask);
void rc_rebuild_holder_changed(struct rc_node *n, u8 ld);
void rc_rebuild_reply(struct rc_node *n, u8 from, const struct rc_msg *m);

/* fence.c: the lease, and the fencing of a dead peer's reservations */
enum rc_fence_stage {
	RC_FENCE_NONE = 0,
	RC_FENCE_KILL,		/* our slot with the Node_Kill is being written */
	RC_FENCE_WAIT,		/* ... it is on the disks: wait for fence_until */
	RC_FENCE_DISK,		/* ... over: wait for its key to leave the disks */
	RC_FENCE_DONE,		/* fenced: its entries are gone */
};
void rc_lease_slot_done(struct rc_node *n);
void rc_lease_read_done(struct rc_node *n, u8 ch);
u64 rc_lease_start(const struct rc_node *n);	/* 0: no lease */
u64 rc_lease_end(const struct rc_node *n);
bool rc_lease_valid(const struct rc_node *n);	/* at n->now */
void rc_kill_peer(struct rc_node *n, u8 id);
void rc_fence_stale_holders(struct rc_node *n);
u32 rc_fence_startup_pending(struct rc_node *n);
void rc_fence_peer(struct rc_node *n, u8 id);
void rc_fence_forget(struct rc_node *n, u8 id);
bool rc_fencing(const struct rc_node *n, u8 id);
bool rc_fenced(const struct rc_node *n, u8 id);
void rc_fence_tick(struct rc_node *n);
void rc_fence_disk_done(struct rc_node *n, u8 id, u32 incarnation, int error);
void rc_fence_host_kill(struct rc_node *n, const struct rc_host_cmd *c);

/* config.c: negotiation (figs 8B/C, 13, 15) */
#define RC_NEG_COMMITTED 0x80000000u	/* build from committed states */
void rc_config_build_neg(struct rc_node *n, u32 flags);
void rc_config_note_committed(struct rc_node *n, const struct rc_neg *m);
void rc_config_negotiate_peer(struct rc_node *n, u8 id);
void rc_config_cmd(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_config_reply(struct rc_node *n, u8 from, const struct rc_msg *m);
void rc_config_done_ev(struct rc_node *n, int error);
void rc_config_host(struct rc_node *n, const struct rc_host_cmd *c);
void rc_config_tur_done(struct rc_node *n, u8 ch, int error);
void rc_config_tick(struct rc_node *n);
void rc_reply_commit(struct rc_node *n, u8 result);
void rc_config_verify_done(struct rc_node *n, u8 disk, int error);

#endif /* RC_PROTO_NODE_PRIV_H */
