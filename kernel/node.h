/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol host (node.c): the one lib/proto node of this module, run
 * over the shared disks.  This is the whole interface the rest of the
 * module has to the cluster.  Documentation/cluster-host.md is the design.
 *
 * Lock order: rc.lock before the host's own lock.  Functions marked
 * "rc.lock held" describe the disks and configuration from rc; the others
 * must be called WITHOUT rc.lock, because they wait for the protocol and
 * the protocol's configuration steps take rc.lock.
 */
#ifndef RC_KERNEL_NODE_H
#define RC_KERNEL_NODE_H

#include <linux/types.h>

#include <raidcluster/ioctl.h>
#include <raidcluster/wire.h>

int rc_host_init(unsigned int node_id);
void rc_host_exit(void);

/*
 * The member disks or the configuration changed (attach, detach, a COD
 * adopted or written): tell the protocol node, and start it when this
 * node has a configuration and a disk to talk through.  rc.lock held.
 */
void rc_host_disks_changed(void);
/*
 * The COD was written (any writer: an ioctl, a failure, a rebuild
 * checkpoint): the generation and CRC the library advertises follow, so a
 * node that negotiates now finds that copy on the disks.  rc.lock held.
 */
void rc_host_cod_written(void);
/* Disk record @index leaves: no protocol I/O is in flight on it after. */
void rc_host_disk_gone(unsigned int index);
/* Stop the node (module exit, before the members are released). */
void rc_host_stop(void);
/* This node's PR registration on disk @index: enum rc_disk_pr_state, key. */
u32 rc_host_disk_pr(unsigned int index, u64 *key);
/*
 * A member write ended with RESERVATION CONFLICT: this node was fenced at
 * the disks.  Any context; the node suspends.
 */
void rc_host_fenced_at_disk(void);

/*
 * The fencing state, published after every protocol event and read by the
 * data path without a lock.  rc_host_gate(): may this node do a @write (or
 * read) of logical drive @ld now?
 *  OPEN      it holds the drive's reservation, granted, or (reads) nobody
 *            holds it and the node is in nexus; and its lease runs
 *  WAIT      it holds the drive, but may not do I/O this instant: its
 *            lease lapsed (slow heartbeat I/O, a freeze: the next good
 *            heartbeat renews it, or the node learns it was killed), or a
 *            configuration is being negotiated: try again in a moment
 *  FENCED    another node holds it, or the node is not in nexus
 *  OFFLINE   this node is suspended (or its protocol node stopped)
 * OPEN for everything while the protocol node is not running (a node
 * without a configuration has no drive).  The lease is compared with the
 * clock at each call, so a node that wakes up from a freeze stops at once.
 */
enum rc_host_gate {
	RC_GATE_OPEN,
	RC_GATE_WAIT,
	RC_GATE_FENCED,
	RC_GATE_OFFLINE,
};
enum rc_host_gate rc_host_gate(unsigned int ld, bool write);
/* rc_host_gate() == RC_GATE_OPEN */
bool rc_host_may_write(unsigned int ld);
bool rc_host_may_read(unsigned int ld);
/*
 * May this node run a rebuild or resync of @ld now: it may write it, or
 * it is a master alone in the cluster and nobody holds the drive.  In a
 * cluster the drive's reservation holder rebuilds it (the patent's rule);
 * a drive nobody holds waits.
 */
bool rc_host_may_sync(unsigned int ld);
/*
 * The master this node follows (itself included), also while it negotiates
 * with it; no valid node ID (>= RC_MAX_NODES) when it knows none.
 */
u8 rc_host_master(void);

/* In nexus with other live nodes (not a lone master). */
bool rc_host_in_cluster(void);
/* The protocol node runs (this node has a configuration and a disk). */
bool rc_host_in_protocol(void);

/*
 * The cluster rebuild (figure 16, Documentation/cluster-host.md): the
 * master tells one node at a time to rebuild a drive, and the engine
 * (rebuild.c) asks here, without a lock, whether it may.
 *  NONE  not told to rebuild @ld (or told to stop): forget the position,
 *        another node may have written the drive since
 *  WAIT  told to, but not this instant (the lease lapsed, the drive is
 *        being renegotiated, the reservation still settling)
 *  GO    rebuild: this node holds @ld, or nobody does and it is the master
 * *@from: permille of the drive the master says is done; *@seq: changes
 * with every new permit (tag the reports with it).  Without a protocol
 * node (no cluster), always GO with seq 0.
 */
enum rc_host_rebuild {
	RC_REBUILD_NONE,
	RC_REBUILD_WAIT,
	RC_REBUILD_GO,
};
enum rc_host_rebuild rc_host_rebuild_permit(unsigned int ld, u32 *from,
					    u32 *seq);
/*
 * Around each unit of rebuild I/O: begin counts it and says whether it
 * may start (false: not counted, start nothing); end when its last write
 * ended.  A STOP waits for the count to reach zero before this node's
 * answer lets another node write the drive.  Any context.
 */
bool rc_host_rebuild_unit_begin(unsigned int ld);
void rc_host_rebuild_unit_end(unsigned int ld);
/* Progress of the permit @seq (permille), and its end (@error 0: done). */
void rc_host_rebuild_report(unsigned int ld, u32 permille, u32 seq);
void rc_host_rebuild_ended(unsigned int ld, int error, u32 seq);
/*
 * The cluster's rebuild of @ld as this node knows it: the node running it
 * (RC_NO_NODE: none known), its permille and speed (millionths of the
 * drive per second, 0 unknown).  Takes the host's lock.
 */
void rc_host_rebuild_view(unsigned int ld, u8 *executor, u32 *permille,
			  u32 *rate);
/*
 * The master records a rebuild in the COD: @status RC_SCSI_GOOD = the
 * member is rebuilt, CHECK_CONDITION = it failed, BUSY = a checkpoint at
 * @permille.  Called with rc.lock held, from the configuration workqueue.
 */
typedef void (*rc_host_rebuild_record_fn)(unsigned int ld, u32 permille,
					  u8 status);
void rc_host_set_rebuild_recorder(rc_host_rebuild_record_fn fn);
/* Holder of @ld as last published, RC_HOLDER_NONE if none. */
u8 rc_host_holder(unsigned int ld);
/*
 * Changes of @ld's holder seen by this node so far: a drive taken again
 * after any change is a new holding (rc_wib_take() resyncs again).
 */
u32 rc_host_resv_seq(unsigned int ld);

/*
 * Wait (interruptible, bounded by the module's join timeout) until the
 * node is in nexus.  0, or -EAGAIN with a reason in @msg (suspended,
 * still joining, not started), -EINTR.
 */
int rc_host_wait_nexus(char *msg);
/*
 * May this node change the configuration now (write the COD)?  Only the
 * master in nexus may, or any node while the protocol is not running.
 * 0; -EREMOTE for a slave in nexus (the master must do it: @msg names
 * it); -EAGAIN with the reason in @msg for a node not in nexus.
 */
int rc_host_may_configure(char *msg);
/*
 * May this node write the COD now?  Only the master, in nexus or while
 * it processes the COD at its startup (step 445).  A node that has not
 * joined yet never writes: what its attaches change waits in
 * rc.cod_dirty for the node to be master (slaves adopt the master's).
 */
bool rc_host_may_write_cod(void);
/* The master changed the configuration (COD written): distribute it. */
void rc_host_config_changed(void);

/*
 * Reserve / release logical drive @ld cluster-wide (figures 10, 19).
 * 0, -EBUSY (reservation conflict: @msg names the holder), -EAGAIN (not
 * in nexus), -EINTR.
 */
int rc_host_reserve(unsigned int ld, char *msg);
int rc_host_release(unsigned int ld, char *msg);
/*
 * Take @ld from whichever node holds it (PR PREEMPT).  The node that
 * loses it fences the drive and waits for its requests in flight before
 * it answers, so the new holder's writes never meet the old one's.
 */
int rc_host_preempt(unsigned int ld, char *msg);
/*
 * The queue of running drive @ld (NULL: stopped), for that drain.  Called
 * by ld.c after the disk is added and before it is deleted.
 */
struct request_queue;
void rc_host_ld_queue(unsigned int ld, struct request_queue *q);
/*
 * Before a release: this node stops writing @ld at once (its published
 * write bit goes), so the caller can drain the drive's queue before the
 * other nodes hear of the release.  rc_host_release() ends it.
 */
void rc_host_release_begin(unsigned int ld);

/*
 * Node_Host_Request.  Master: @fn carries out a slave's request (@req,
 * @len bytes) and writes its answer into @reply (RC_WIRE_MAX_PAYLOAD
 * bytes, length in @rlen); called from a work item without locks.  Slave:
 * rc_host_request() sends @req to the master and waits for its answer
 * (into @reply/@rlen): 0, or -EAGAIN/-ETIMEDOUT/-EINTR with @msg.
 */
typedef int (*rc_host_request_fn)(const void *req, u32 len, void *reply,
				  u32 *rlen);
void rc_host_set_request_handler(rc_host_request_fn fn);
int rc_host_request(const void *req, u32 len, void *reply, u32 *rlen,
		    char *msg);

/*
 * `node resume`: a suspended node starts again with a new incarnation (its
 * drives' I/O in flight has ended) and waits to be in nexus.  0, -EALREADY
 * (not suspended), -EAGAIN (no cluster; or still joining: @msg says),
 * -EINTR.
 */
int rc_host_resume(char *msg);
/*
 * `node kill N`: Node_Kill to node @id; returns once it is fenced (its
 * lease and its writes in flight are over).  0, -EINVAL, -ENOENT (no slot
 * of @id on the disks), -EAGAIN (not in nexus), -EINTR, -ETIMEDOUT.
 */
int rc_host_kill(unsigned int id, char *msg);

/* This node and what it knows of node @id (RC_IOC_NODE_INFO). */
int rc_host_node_info(struct rc_ioc_node_info *a);

/* /proc/raidcluster: the cluster lines. */
struct seq_file;
void rc_host_proc_show(struct seq_file *m);

#endif /* RC_KERNEL_NODE_H */
