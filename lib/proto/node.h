/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The cluster protocol of one node: the ONLY interface the kernel and the
 * simulator use.
 *
 * Event/action model (sans-I/O).  The library never does I/O, never reads
 * a clock, never sleeps and never allocates.  The host (raidcluster.ko or
 * tests/sim) owns one struct rc_node per node (rc_node_size() bytes,
 * 8-byte aligned, any content) and
 *
 *   1. feeds it EVENTS by calling one of the rc_node_*() entry points
 *      below, always with the current time in milliseconds (monotonic,
 *      any origin): a timer tick, the result of an I/O the node asked for
 *      (read data, write done, TEST UNIT READY), a host command (reserve,
 *      release, rebuild, configuration change), rebuild progress, the
 *      result of a configuration step;
 *   2. then drains the ACTIONS the event produced with rc_node_next_action()
 *      until it returns false, and performs them: read or write a block of
 *      a member disk, TEST UNIT READY a disk, complete a host command with a
 *      SCSI status, process/adopt/commit the configuration, start or stop a
 *      rebuild, restart, suspend; plus notifications (state changes, new
 *      master, reservation changes) it may just log.
 *
 * Every I/O action is answered exactly once by rc_node_io_done() with the
 * action itself (copied by the host), in any order and at any later time;
 * an I/O that never completes is the host's bug, a failed one is reported
 * with a negative errno: -ENOLINK when the node has no path to the disk
 * (cable, adapter or link down: the transport failed, the disk never
 * answered), any other errno when the disk answered with an error.  For
 * TEST UNIT READY the difference matters: figure 15 takes -ENOLINK from a
 * drive alone on its channel as this node's own cable failure.  A write's buffer stays valid and unchanged until
 * its rc_node_io_done().  A node asks at most one write per block and disk
 * at a time.  The host calls rc_node_tick() at least every poll_ms (more
 * often is harmless; rc_node_next_deadline() says when the next one is
 * due).  Events are not reentrant: one call at a time per node.
 *
 * Time: params are in ms; the defaults detect a dead node within 5 s
 * (4 missed heartbeats of 1 s) and let a node join within ~5 s.
 *
 * Suspension: after RC_ACT_SUSPEND the node does nothing more (events are
 * ignored, host commands complete with BUSY) until it is started again.
 * After RC_ACT_RESTART the host stops the node's data path, then calls
 * rc_node_start() again with a HIGHER incarnation (the patent's "restarts
 * itself"); rc_node_start() may be called on a node in any state.  A host
 * that restarts a node lets the node's I/O in flight complete first (or
 * has copied the write buffers): rc_node_start() reuses them.
 */
#ifndef RC_PROTO_NODE_H
#define RC_PROTO_NODE_H

#include "rc_base.h"
#include "../../include/raidcluster/wire.h"
#include "../../include/raidcluster/slots.h"
#include "../../include/raidcluster/cod.h"

struct rc_node;			/* opaque, rc_node_size() bytes */

size_t rc_node_size(void);

struct rc_node_params {
	u8 self;		/* node ID (the patent's SCSI ID), 0..31 */
	u32 incarnation;	/* != 0, higher on every start (a boot
				 * counter; compared in serial arithmetic)
				 */
	u32 poll_ms;		/* mailbox poll period */
	u32 hb_period_ms;	/* heartbeat write and check period */
	u32 hb_misses;		/* misses before a heartbeat failure (fig 17) */
	u32 discovery_ms;	/* startup scan for other nodes (step 410) */
	u32 monitor_ms;		/* master monitor period (fig 8, step 8A0) */
	u32 negotiate_timeout_ms; /* slave waits for negotiation (520-530) */
	u32 reply_timeout_ms;	/* command unanswered: comm test failed (830) */
	u32 reserve_retry_ms;	/* higher-priority reserve waits (step 1045) */
	u32 status_period_ms;	/* Node_Inform_Status period (1620/1815) */
	u32 renegotiate_ms;	/* restarted slave: retry after (step 8E0) */
	/*
	 * Listen first: for this long after a start the node reads the slots
	 * but writes nothing.  If its own slot advances meanwhile, a live node
	 * already has its ID: it refuses to join (SUSPEND, DUPLICATE_ID)
	 * without having written a block.  0: no listening (tests).  At least
	 * two heartbeat periods, so a live writer is seen advancing.
	 */
	u32 listen_ms;
	/*
	 * Never two writers (Documentation/protocol.md, "The lease").  This
	 * node may do data I/O only until lease_ms after the issue of its
	 * last heartbeat cycle whose slot write reached a channel and whose
	 * slots read succeeded; the read shows any Node_Kill aimed at it.  A
	 * node that takes a dead peer's reservations waits, after its own
	 * slot carrying the Node_Kill is on the disks, lease_ms for the
	 * peer's lease to run out plus drain_ms for the data writes the peer
	 * accepted before that to reach the disks.
	 */
	u32 lease_ms;
	u32 drain_ms;
	/*
	 * Fencing at the disks (Documentation/protocol.md, "Fencing at the
	 * disks"): a dead peer's drives are freed only once its key is off
	 * every member disk.  The master removes it (RC_ACT_PR_PREEMPT), a
	 * slave checks that the master did (RC_ACT_PR_CHECK); both answer
	 * with rc_node_disk_fenced().  A host whose disks have no persistent
	 * reservations answers 0 at once.  false: the lease alone.
	 */
	bool disk_fence;
};

/* Defaults: poll 100, heartbeat 1000 x 4, discovery 2500, monitor 1000,
 * negotiation timeout 15000, reply 4000, reserve retry 300, status 1000,
 * renegotiate 1000, listen 2100 (two heartbeats and a poll), lease 3000
 * (at least two heartbeats), drain 1000.
 */
void rc_node_params_default(struct rc_node_params *p, u8 self, u32 incarnation);

/*
 * (Re)start the node: forget everything, check @p (-EINVAL if a node ID or
 * period is out of range), keep the disk table and configuration given
 * with rc_node_set_disk()/rc_node_set_config() since rc_node_reset().
 * Startup (figures 4, 5A-5C) begins: the node writes its slot with the
 * booting flag and scans for other nodes.
 */
int rc_node_start(struct rc_node *n, const struct rc_node_params *p,
		  u64 now_ms);

/* Zero the whole node including disks and configuration (first use). */
void rc_node_reset(struct rc_node *n);

/* --- what this node sees (host -> library, any time) ------------------- */

/* rc_node_set_disk() flags */
#define RC_DISKF_PRESENT 0x1	/* this node has a path to the disk */
/*
 * The host never had the disk in this life (a disk inserted into the shelf
 * that this node has not attached yet): not having it is no lost path, so
 * figure 15 and the proposals leave it out until the host has it.
 */
#define RC_DISKF_UNSEEN 0x2

/*
 * Describe member disk @disk (COD index, 0..RC_MAX_DISKS-1): on @channel
 * (0..RC_MAX_CHANNELS-1), SCSI @target (0..RC_MAX_TARGETS-1), @state the
 * enum rc_disk_state of the configuration, @flags RC_DISKF_*.  A disk that
 * is PRESENT and ONLINE may carry the mailboxes of its channel; the
 * Connected_Channels bitmap is the set of channels with such a disk
 * (step 4A5).  state RC_DISK_UNUSED removes the disk.  -EINVAL if out of
 * range.
 */
int rc_node_set_disk(struct rc_node *n, u16 disk, u8 channel, u8 target,
		     u8 state, u32 flags);

/* The configuration this node runs (from the COD). */
struct rc_proto_config {
	u64 generation;
	u32 cod_crc;
	u8 cluster_uuid[16];
	u32 nlds;
	u8 ld_state[RC_MAX_LDS];	/* enum rc_ld_state */
	u8 ld_level[RC_MAX_LDS];	/* enum rc_raid_level */
};

void rc_node_set_config(struct rc_node *n, const struct rc_proto_config *c);

/* --- events ------------------------------------------------------------ */

void rc_node_tick(struct rc_node *n, u64 now_ms);

enum rc_action_type {
	RC_ACT_NONE = 0,
	RC_ACT_READ,		/* read len bytes at sector of disk; answer
				 * with rc_node_io_done(data)
				 */
	RC_ACT_WRITE,		/* write buf (len bytes) at sector of disk */
	RC_ACT_TUR,		/* TEST UNIT READY disk (fig 15 1550, 17 1745) */
	RC_ACT_COMPLETE,	/* host command @cookie ends with @status */
	RC_ACT_STATE,		/* @node is @state/@info in this node's view */
	RC_ACT_MASTER,		/* @node is the master now (RC_NO_NODE: none) */
	RC_ACT_RESERVATION,	/* @ld is held by @node (RC_NO_NODE: free) */
	RC_ACT_PROCESS_COD,	/* master startup step 445: read the COD,
				 * rc_node_set_config(), rc_node_config_done()
				 */
	RC_ACT_ADOPT_CONFIG,	/* slave steps 555/1320-1335: store the
				 * negotiated configuration @buf (struct
				 * rc_wire_negotiate), rc_node_config_done()
				 */
	RC_ACT_COMMIT_CONFIG,	/* master: write the COD with the change in
				 * @buf (struct rc_wire_negotiate), update the
				 * disk table and config, rc_node_config_done()
				 */
	RC_ACT_REBUILD_START,	/* rebuild @ld from @permille (the last
				 * position the cluster knows: start from
				 * it or from the configuration's
				 * checkpoint, whichever is higher, never
				 * from a position of this node's own);
				 * report rc_node_rebuild_*().  Run it only
				 * while this node holds @ld, or nobody does
				 * and it is the master.
				 */
	RC_ACT_REBUILD_STOP,	/* stop rebuilding @ld before the next action
				 * (another node takes it over): no done
				 * report due
				 */
	RC_ACT_REBUILD_RECORD,	/* master: record @ld's rebuild in the
				 * configuration (COD): @status RC_SCSI_GOOD
				 * with @permille 1000 = the member is
				 * rebuilt; CHECK CONDITION = the rebuild
				 * failed; BUSY = a checkpoint at @permille
				 */
	RC_ACT_RESTART,		/* steps 585/1350: restart with a new incarnation */
	RC_ACT_SUSPEND,		/* steps 540/850/1135/1565/1750: suspension
				 * mode, @info says why; stop all I/O
				 */
	RC_ACT_HOST_REQUEST,	/* master: slave @node asks the configuration
				 * change @buf (@len bytes, the host's
				 * format); carry it out and answer with
				 * rc_node_host_request_done()
				 */
	RC_ACT_PR_PREEMPT,	/* master: remove the keys of @node's lives up
				 * to @incarnation (0: every life) from every
				 * member disk (PREEMPT AND ABORT), keeping
				 * this node's reservation; answer with
				 * rc_node_disk_fenced()
				 */
	RC_ACT_PR_CHECK,	/* slave: are those keys off every member disk
				 * (the master removed them)?  Answer with
				 * rc_node_disk_fenced(): 0 when they are
				 */
	RC_ACT_MAX
};

struct rc_action {
	u8 type;		/* enum rc_action_type */
	u8 node;		/* STATE/MASTER/RESERVATION */
	u8 state;		/* STATE: enum rc_node_state */
	u8 info;		/* STATE/SUSPEND: enum rc_node_info */
	u8 ld;			/* RESERVATION/REBUILD_* */
	u8 status;		/* COMPLETE/REBUILD_RECORD: RC_SCSI_* */
	u16 disk;		/* READ/WRITE/TUR */
	u32 permille;		/* REBUILD_START/REBUILD_RECORD: position */
	u32 len;		/* READ/WRITE bytes; ADOPT/COMMIT: sizeof buf */
	u32 tag;		/* READ/WRITE/TUR: library's own, echo it */
	u64 sector;		/* READ/WRITE: 512-byte sector */
	const void *buf;	/* WRITE/ADOPT/COMMIT data */
	u64 cookie;		/* COMPLETE: the host command's cookie */
	u32 incarnation;	/* PR_PREEMPT/PR_CHECK: @node's life */
};

/*
 * RC_ACT_COMPLETE of an RC_HOST_REQUEST: @buf/@len are the master's answer
 * (NULL/0 when none came: BUSY, timeout), valid until the next event.
 */

/* Next action, false when none is left. */
bool rc_node_next_action(struct rc_node *n, struct rc_action *a);

/*
 * Result of READ/WRITE/TUR action @io: @error 0 or negative errno; @data
 * the @io->len bytes read (READ with error 0 only, may be NULL otherwise).
 */
void rc_node_io_done(struct rc_node *n, u64 now_ms,
		     const struct rc_action *io, int error, const void *data);

enum rc_host_op {
	RC_HOST_RESERVE = 1,	/* SCSI Reserve() of ld (figure 10) */
	RC_HOST_RELEASE,	/* SCSI Release() of ld (figure 19) */
	RC_HOST_REBUILD,	/* rebuild the drives in ld_mask (figure 14) */
	RC_HOST_CONFIG_CHANGE,	/* the disk table/config changed locally:
				 * distribute it (master) or propose it to
				 * the master (slave)
				 */
	RC_HOST_PREEMPT,	/* take ld from its holder, whoever it is (a
				 * persistent reservation PREEMPT); GOOD, or
				 * RESERVATION CONFLICT when a higher ID
				 * claims it at the same time, BUSY when a
				 * member does not answer
				 */
	RC_HOST_KILL,		/* Node_Kill @node (an admin, a fence agent):
				 * GOOD once it is fenced (its lease has run
				 * out and its writes in flight have ended,
				 * or its slot says it suspended), BUSY when
				 * not in nexus, CHECK CONDITION when no
				 * slot of @node was ever read
				 */
	RC_HOST_REQUEST,	/* slave: send @buf (@len bytes, at most
				 * RC_WIRE_MAX_PAYLOAD) to the master as
				 * Node_Host_Request; completes with its
				 * answer (GOOD/CHECK CONDITION + payload),
				 * BUSY when there is no master in nexus or
				 * it did not answer in time
				 */
};

struct rc_host_cmd {
	u8 op;			/* enum rc_host_op */
	u8 ld;			/* RESERVE/RELEASE/PREEMPT */
	u8 node;		/* KILL */
	u32 ld_mask;		/* REBUILD: drives to rebuild */
	u64 cookie;		/* echoed by RC_ACT_COMPLETE; not ~0 (internal) */
	const void *buf;	/* REQUEST: copied by the call */
	u32 len;
};

/*
 * Submit a host command.  Returns 0: an RC_ACT_COMPLETE with @cookie will
 * follow (maybe among this call's own actions); or -EINVAL (bad command),
 * -EBUSY (too many commands in flight).  Commands the protocol refuses
 * (not in nexus, suspended, conflict, rebuild running) are accepted and
 * complete with BUSY / RESERVATION CONFLICT.
 */
int rc_node_host_cmd(struct rc_node *n, u64 now_ms,
		     const struct rc_host_cmd *cmd);

/* RC_ACT_REBUILD_START'ed @ld is @permille done. */
void rc_node_rebuild_progress(struct rc_node *n, u64 now_ms, u8 ld,
			      u32 permille);
/* ... finished: @error 0 or negative errno. */
void rc_node_rebuild_done(struct rc_node *n, u64 now_ms, u8 ld, int error);
/*
 * The configuration says the drives in @ld_mask have a member to rebuild
 * (every node, after each change of its configuration): the master runs
 * them one at a time, each on the drive's holder (figure 16), and keeps
 * them in order when it is promoted.  A drive that left the mask is not
 * started any more.
 */
void rc_node_rebuild_needed(struct rc_node *n, u64 now_ms, u32 ld_mask);

/*
 * Result of RC_ACT_PROCESS_COD / ADOPT_CONFIG / COMMIT_CONFIG: 0, or
 * -RC_NEG_EEPROM_FAIL / -RC_NEG_NVM_FAIL (ADOPT) or another negative errno.
 */
void rc_node_config_done(struct rc_node *n, u64 now_ms, int error);

/*
 * The master's answer to the RC_ACT_HOST_REQUEST it emitted: @status
 * RC_SCSI_GOOD or CHECK_CONDITION, @reply (@len bytes, may be 0) goes back
 * to the slave.  Ignored when no request is pending.
 */
void rc_node_host_request_done(struct rc_node *n, u64 now_ms, u8 status,
			       const void *reply, u32 len);

/*
 * Answer to RC_ACT_PR_PREEMPT / PR_CHECK of @node's life @incarnation: 0
 * when its keys are off every member disk this node reaches (or none of
 * them has persistent reservations), else a negative errno: the node asks
 * again a heartbeat period later, and @node's drives stay where they are.
 */
void rc_node_disk_fenced(struct rc_node *n, u64 now_ms, u8 node,
			 u32 incarnation, int error);
/*
 * A write of this node's failed with RESERVATION CONFLICT: another node
 * removed our key from the disk, i.e. killed us while we could not hear
 * it.  The node suspends as on a Node_Kill (and never retries the write).
 */
void rc_node_fenced_at_disk(struct rc_node *n, u64 now_ms);

/* When the node next needs a tick (absolute ms). */
u64 rc_node_next_deadline(const struct rc_node *n);

/* --- queries (the data path and tools) --------------------------------- */

/*
 * May this node do I/O to @ld at @now_ms: in nexus, not suspended, holds
 * it, and its lease runs (rc_node_lease_until()).  The host evaluates the
 * lease itself at every request, with its clock (the library's answer is
 * only as fresh as the last event).
 */
bool rc_node_may_io(const struct rc_node *n, u8 ld, u64 now_ms);
/*
 * The same without the lease: this node holds @ld, granted, and is in
 * nexus (a host that checks the lease on its own clock at every request).
 */
bool rc_node_granted(const struct rc_node *n, u8 ld);
/*
 * End of this node's lease (absolute ms, the host's clock): no data I/O
 * may be accepted at or after it.  0 when it holds none (not renewed yet in
 * this life, or suspended).
 */
u64 rc_node_lease_until(const struct rc_node *n);
/* Holder of @ld in this node's reservation table, RC_NO_NODE if none. */
u8 rc_node_holder(const struct rc_node *n, u8 ld);
/* The master this node follows (itself if master), RC_NO_NODE if none. */
u8 rc_node_master(const struct rc_node *n);
/* Own state/info. */
u8 rc_node_state(const struct rc_node *n);
u8 rc_node_info(const struct rc_node *n);
/* State/info of node @id in this node's view (RC_NS_NONE if unknown). */
void rc_node_peer(const struct rc_node *n, u8 id, u8 *state, u8 *info);
/*
 * Master in nexus whose slots show no other node live or booting: nobody
 * else can hold or write a drive (the host lets a lone master run syncs).
 */
bool rc_node_alone(const struct rc_node *n);
/* Master with startup completed, or slave negotiated (NEXUS). */
bool rc_node_in_nexus(const struct rc_node *n);
bool rc_node_suspended(const struct rc_node *n);
/* The rebuild this node knows of (ld 0xff: none). */
void rc_node_rebuild_view(const struct rc_node *n, struct rc_wire_rebuild *r);
/* Drive this node is rebuilding itself, 0xff if none. */
u8 rc_node_rebuilding_ld(const struct rc_node *n);
/*
 * Speed of the rebuild of the view's drive as this node saw its progress
 * reports: millionths of the drive per second since its executor began,
 * 0 when not known yet.
 */
u32 rc_node_rebuild_rate(const struct rc_node *n);
/* Node-communications channel and Connected_Channels bitmap. */
u8 rc_node_comm_channel(const struct rc_node *n);
u8 rc_node_connected(const struct rc_node *n);

/*
 * An action was lost because the host did not drain the queue (a host
 * bug: the library never emits more than RC_MAX_ACTIONS in one event).
 * Sticky until rc_node_reset(); the host must treat it as fatal (stop the
 * node), since an I/O action lost is never answered.
 */
bool rc_node_overflowed(const struct rc_node *n);

/* What this node knows of node @id, from its slot (tools: node list). */
struct rc_peer_view {
	bool known;		/* a valid slot of it was read */
	bool live;		/* its heartbeat advanced recently */
	bool booting;
	bool suspended;		/* its slot says it waits for a human */
	bool fenced;		/* this life of it is fenced (fence.c) */
	u8 state, info;		/* in this node's view (rc_node_peer()) */
	u8 own_state, own_info;	/* what its slot says of itself */
	u8 master;		/* the master its slot names */
	u8 connected;		/* its Connected_Channels bitmap */
	u8 comm_channel;
	u32 incarnation;
	u64 heartbeat;
	u64 hb_age_ms;		/* since its heartbeat last advanced */
};
/* 0, or -EINVAL for @id out of range.  For @id == self: own values. */
int rc_node_peer_view(const struct rc_node *n, u8 id, u64 now_ms,
		      struct rc_peer_view *v);

/* Names for logs and traces. */
const char *rc_node_state_name(unsigned int state);
const char *rc_node_info_name(unsigned int info);
const char *rc_action_name(unsigned int type);

#endif /* RC_PROTO_NODE_H */
