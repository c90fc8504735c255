// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol host: runs this module's one lib/proto node over the shared
 * disks (Documentation/cluster-host.md).  It feeds the library its events
 * and performs the actions it returns; it decides nothing of the protocol.
 *
 *  - Events run one at a time: every call into the library is made with
 *    host.lock held (the library is neither reentrant nor thread safe),
 *    from the tick, the completion work, or a host command's caller.
 *  - READ, WRITE and TEST UNIT READY go to node_io.c on the disk the
 *    action names; the answers come back on host.done and are fed to the
 *    library from host.wq.
 *  - PROCESS_COD, ADOPT_CONFIG and COMMIT_CONFIG need rc.lock, which is
 *    taken before host.lock: they run from rc.cfg_wq (host_cfg_work) and
 *    answer with rc_node_config_done() when the COD work is done.
 *  - After every event the fencing state is published (may_write,
 *    may_read: one bit per drive) for the data path to read without a
 *    lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "rc.h"
#include "node.h"
#include "node_io.h"
#include "disk_pr.h"
#include "pr_key.h"

static unsigned int io_timeout_ms = 4000;
module_param(io_timeout_ms, uint, 0444);
MODULE_PARM_DESC(io_timeout_ms,
		 "a slot, mailbox or TEST UNIT READY I/O that takes longer fails with a timeout, ms (default 4000)");

static unsigned int join_timeout_ms = 30000;
module_param(join_timeout_ms, uint, 0644);
MODULE_PARM_DESC(join_timeout_ms,
		 "how long an open or a configuration command waits for this node to join the cluster, ms (default 30000)");

/*
 * Fencing at the disks (Documentation/kernel.md, "Persistent reservations").
 * Off where something else owns the member disks' reservations (Pacemaker's
 * fence_scsi): the same on every node, or a node that registers makes the
 * master's registrants-only reservation refuse the writes of one that
 * does not.
 */
static bool pr_fencing = true;
module_param(pr_fencing, bool, 0444);
MODULE_PARM_DESC(pr_fencing,
		 "register a SCSI-3 persistent reservation key on every member disk that has PR and fence dead nodes there (default 1; 0: the lease alone; the same on every node)");

/*
 * The timing of failure detection and fencing (Documentation/protocol.md,
 * "The lease"; checked by the library at start).
 */
static unsigned int hb_period_ms = 1000;
module_param(hb_period_ms, uint, 0444);
MODULE_PARM_DESC(hb_period_ms,
		 "heartbeat period: each node writes its slot and reads the others' this often, ms (default 1000)");

static unsigned int hb_misses = 4;
module_param(hb_misses, uint, 0444);
MODULE_PARM_DESC(hb_misses,
		 "heartbeat checks without progress before a node is tested and declared failed (default 4)");

static unsigned int lease_ms = 3000;
module_param(lease_ms, uint, 0444);
MODULE_PARM_DESC(lease_ms,
		 "a node does I/O to its drives only this long after its last good heartbeat I/O, ms (default 3000, at least 2 heartbeat periods)");

static unsigned int drain_ms = 1000;
module_param(drain_ms, uint, 0444);
MODULE_PARM_DESC(drain_ms,
		 "time allowed for a dead node's accepted writes to reach the disks before its drives are taken over, ms (default 1000)");

#define RC_HOST_CMDS 16			/* host commands waited for at once */
#define RC_HOST_CFG_STEPS 4		/* configuration actions queued */
#define RC_HOST_CMD_TIMEOUT (60 * HZ)

struct rc_host_wait {
	u64 cookie;			/* 0: free */
	bool done;
	bool abandoned;			/* the waiter left: free on completion */
	u8 status;			/* RC_SCSI_* */
};

struct rc_host_cfg_step {
	u8 type;			/* RC_ACT_PROCESS_COD/ADOPT/COMMIT */
	u8 wire[sizeof(struct rc_wire_negotiate)];
	bool has_wire;
};

/*
 * One disk as the host drives it: the bdev, its protocol I/O, and this
 * node's persistent reservation key on it.
 */
struct rc_host_disk {
	struct block_device *bdev;	/* NULL: no path on this node */
	atomic_t busy;			/* its protocol I/O in flight */
	u64 pr_key;			/* registered on bdev, or 0 */
	u8 pr_state;			/* enum rc_disk_pr_state */
	bool usable;			/* attached, not failed (describe) */
};

#define RC_PR_MAX_KEYS (RC_MAX_NODES * 4)	/* READ KEYS: at most this many */

static struct {
	struct mutex lock;		/* every library call, the fields below */
	struct rc_node *node;
	struct rc_node_params params;
	unsigned int self;
	bool started;			/* rc_node_start() ran */
	bool stopping;
	bool fatal;			/* host bug (overflow): node stopped */
	bool suspended;
	bool restarting;
	bool processing_cod;		/* master startup: may write the COD */
	u32 life;			/* +1 on every start: I/O of a life */
	u32 incarnation;
	u8 cluster_uuid[16];		/* of the COD: the keys' cluster */
	void *rbuf;			/* READ data for the library */
	struct rc_host_disk disks[RC_MAX_DISKS];
	u8 chan_of[RC_MAX_DISKS];	/* library channel of each record */

	struct workqueue_struct *wq;	/* ordered: tick, completions */
	struct delayed_work tick;
	struct work_struct done_work;
	struct work_struct restart_work;
	struct llist_head done;
	atomic_t inflight;		/* protocol I/O of every disk */
	wait_queue_head_t idle;		/* inflight or a disk's busy hit 0 */

	struct work_struct cfg_work;	/* on rc.cfg_wq: needs rc.lock */
	struct rc_host_cfg_step cfg[RC_HOST_CFG_STEPS];
	unsigned int cfg_head, cfg_count;

	/* Node_Host_Request: the master's side (a work on rc.cfg_wq) */
	rc_host_request_fn req_fn;
	struct work_struct req_work;
	u8 req_in[RC_WIRE_MAX_PAYLOAD];
	u32 req_in_len;
	u8 req_in_from;
	u32 req_in_seq;			/* +1 per request: stale answers go */
	u8 req_out[RC_WIRE_MAX_PAYLOAD];
	/* ... and the slave's: one at a time (req_mutex), answer here */
	struct mutex req_mutex;
	u64 req_cookie;
	u8 req_reply[RC_WIRE_MAX_PAYLOAD];
	u32 req_reply_len;
	/* distribution of a change the library could not start yet */
	u64 push_cookie;
	bool push_again;

	struct rc_host_wait waits[RC_HOST_CMDS];
	u64 next_cookie;
	wait_queue_head_t cmd_wq;	/* waits[].done */
	wait_queue_head_t nexus_wq;	/* nexus, suspension */
	wait_queue_head_t resv_wq;	/* a reservation changed */

	/*
	 * The cluster rebuild (figure 16): what the library told this node
	 * to rebuild, read by the engine without host.lock; the engine's
	 * reports, passed to the library by rb_work; the master's records.
	 */
	unsigned long rb_permit;	/* REBUILD_START'ed drives */
	u32 rb_from[RC_MAX_LDS];	/* ... from this permille */
	u32 rb_seq[RC_MAX_LDS];		/* +1 per START: tags the reports */
	atomic_t rb_units[RC_MAX_LDS];	/* engine units in flight */
	wait_queue_head_t rb_wq;	/* rb_units reached 0 */
	spinlock_t rb_lock;		/* the reports and records below */
	unsigned long rb_reported, rb_ended, rb_rec;
	u32 rb_rep_permille[RC_MAX_LDS], rb_rep_seq[RC_MAX_LDS];
	int rb_end_error[RC_MAX_LDS];
	u32 rb_rec_permille[RC_MAX_LDS];
	u8 rb_rec_status[RC_MAX_LDS];
	struct work_struct rb_work;	/* on host.wq */
	struct work_struct rb_rec_work;	/* on rc.cfg_wq: needs rc.lock */
	rc_host_rebuild_record_fn rb_record;

	/*
	 * Fencing at the disks (persistent reservations): the library's
	 * questions (RC_ACT_PR_PREEMPT/CHECK, by node) and the master's
	 * reservation, carried out by pr_work off host.lock, on disks it
	 * counts busy (pr_bdev) so that none goes while it runs.
	 */
	struct work_struct pr_work;	/* on system_long_wq */
	u32 pr_preempt, pr_check;	/* nodes asked about */
	u32 pr_inc[RC_MAX_NODES];	/* ... up to this life (0: all) */
	bool pr_reserve;		/* we are the master: hold it */
	struct block_device *pr_bdev[RC_MAX_DISKS];
	u64 pr_own[RC_MAX_DISKS];	/* our key on pr_bdev */
	bool pr_retry[RC_MAX_DISKS];	/* ... registered again by pr_work */
	u64 pr_keys[RC_PR_MAX_KEYS];	/* a READ KEYS answer */
	struct work_struct fenced_work;	/* a data write met a conflict */
	atomic_t fenced;

	unsigned long releasing;	/* drives being released: no writes */
	struct request_queue *queues[RC_MAX_LDS];	/* running drives */

	/* published, read without host.lock */
	unsigned long may_write;
	unsigned long may_read;
	unsigned long held;		/* ours in the table, not releasing */
	ktime_t lease_end;		/* no data I/O from then on */
	bool offline;			/* suspended or stopped on an error */
	bool nexus;
	bool alone;			/* master with no live peer */
	u8 holder[RC_MAX_LDS];
	u32 resv_seq[RC_MAX_LDS];	/* +1 at every holder change */
	u8 master;
} host;

static u64 rc_host_now(void)
{
	return ktime_to_ms(ktime_get());
}

static void rc_host_uevent(const char *what, const char *a, const char *b)
{
	char *envp[4] = { (char *)what, (char *)a, (char *)b, NULL };

	kobject_uevent_env(&THIS_MODULE->mkobj.kobj, KOBJ_CHANGE, envp);
}

/* --- publishing ------------------------------------------------------------ */

static void rc_host_publish(void)
{
	unsigned long w = 0, r = 0, held = 0;
	bool nexus = false, alone = false;
	ktime_t lease = 0;
	unsigned int i;

	if (host.started && !host.fatal && !host.suspended &&
	    !host.restarting) {
		u64 end = rc_node_lease_until(host.node);

		nexus = rc_node_in_nexus(host.node);
		for (i = 0; i < RC_MAX_LDS; i++) {
			u8 h = rc_node_holder(host.node, i);

			WRITE_ONCE(host.holder[i], h);
			if (h == host.self && !(host.releasing & BIT(i)))
				held |= BIT(i);
			/* the lease is the gate's to check, at every request */
			if (rc_node_granted(host.node, i) &&
			    !(host.releasing & BIT(i)))
				w |= BIT(i);
			if ((w & BIT(i)) || (nexus && h == RC_HOLDER_NONE))
				r |= BIT(i);
		}
		WRITE_ONCE(host.master, rc_node_master(host.node));
		alone = rc_node_alone(host.node);
		lease = end ? ms_to_ktime(end) : 0;
	}
	WRITE_ONCE(host.offline, host.started && (host.fatal || host.suspended));
	WRITE_ONCE(host.alone, alone);
	WRITE_ONCE(host.lease_end, lease);
	WRITE_ONCE(host.held, held);
	WRITE_ONCE(host.may_write, w);
	WRITE_ONCE(host.may_read, r);
	if (READ_ONCE(host.nexus) != nexus) {
		WRITE_ONCE(host.nexus, nexus);
		wake_up_all(&host.nexus_wq);
		/* A new master writes what it could not write before. */
		if (nexus && READ_ONCE(host.master) == host.self)
			queue_work(rc.cfg_wq, &rc.cfg_work);
	}
}

static bool rc_host_lease_runs(void)
{
	return ktime_before(ktime_get(), READ_ONCE(host.lease_end));
}

enum rc_host_gate rc_host_gate(unsigned int ld, bool write)
{
	unsigned long bits = write ? READ_ONCE(host.may_write) :
			     READ_ONCE(host.may_read);

	if (ld >= RC_MAX_LDS)
		return RC_GATE_FENCED;
	if (READ_ONCE(host.offline))
		return RC_GATE_OFFLINE;
	/*
	 * Still ours in the table but not usable this instant (a
	 * configuration being negotiated, our own reserve settling): wait.
	 */
	if (!(bits & BIT(ld)))
		return READ_ONCE(host.held) & BIT(ld) ? RC_GATE_WAIT :
		       RC_GATE_FENCED;
	return rc_host_lease_runs() ? RC_GATE_OPEN : RC_GATE_WAIT;
}

bool rc_host_may_write(unsigned int ld)
{
	return rc_host_gate(ld, true) == RC_GATE_OPEN;
}

bool rc_host_may_read(unsigned int ld)
{
	return rc_host_gate(ld, false) == RC_GATE_OPEN;
}

bool rc_host_may_sync(unsigned int ld)
{
	return rc_host_may_write(ld) ||
	       (READ_ONCE(host.alone) && rc_host_holder(ld) == RC_HOLDER_NONE &&
		rc_host_lease_runs());
}

bool rc_host_in_cluster(void)
{
	return READ_ONCE(host.nexus) && !READ_ONCE(host.alone);
}

u8 rc_host_master(void)
{
	/* known while negotiating too: that is when a slave adopts */
	return READ_ONCE(host.master);
}

u32 rc_host_resv_seq(unsigned int ld)
{
	return ld < RC_MAX_LDS ? READ_ONCE(host.resv_seq[ld]) : 0;
}

u8 rc_host_holder(unsigned int ld)
{
	return ld < RC_MAX_LDS ? READ_ONCE(host.holder[ld]) : RC_HOLDER_NONE;
}

/* --- actions --------------------------------------------------------------- */

static void rc_host_io_done(struct rc_nio *io)
{
	/* Any context: the answer is fed to the library from host.wq. */
	llist_add(&io->node, &host.done);
	queue_work(host.wq, &host.done_work);
}

static void rc_host_io(const struct rc_action *a, u64 now)
{
	struct rc_host_disk *d = a->disk < RC_MAX_DISKS ?
				 &host.disks[a->disk] : NULL;

	if (!d || !d->bdev) {
		/* No path to it on this node. */
		rc_node_io_done(host.node, now, a, -ENOLINK, NULL);
		return;
	}
	struct rc_nio_count cnt = {
		.count = { &host.inflight, &d->busy }, .wq = &host.idle };

	/* Counted until the I/O is freed: a timed-out one still runs. */
	rc_nio_submit(d->bdev, a, io_timeout_ms, rc_host_io_done, &cnt);
}

static void rc_host_complete(const struct rc_action *a)
{
	unsigned int i;

	if (a->cookie == host.push_cookie && a->status != RC_SCSI_GOOD)
		host.push_again = true;	/* busy: the tick tries again */
	if (a->cookie == host.req_cookie) {
		host.req_reply_len = a->buf && a->len <= sizeof(host.req_reply) ?
				     a->len : 0;
		if (host.req_reply_len)
			memcpy(host.req_reply, a->buf, host.req_reply_len);
	}

	for (i = 0; i < RC_HOST_CMDS; i++) {
		struct rc_host_wait *w = &host.waits[i];

		if (!w->cookie || w->cookie != a->cookie)
			continue;
		if (w->abandoned) {
			memset(w, 0, sizeof(*w));
			return;
		}
		w->status = a->status;
		w->done = true;
		wake_up_all(&host.cmd_wq);
		return;
	}
	/* A command nobody waits for (a configuration push). */
}

static void rc_host_queue_cfg(const struct rc_action *a)
{
	struct rc_host_cfg_step *s;

	if (host.cfg_count == RC_HOST_CFG_STEPS) {
		/* The library runs one step at a time: a host bug. */
		pr_err("configuration step %s dropped: queue full\n",
		       rc_action_name(a->type));
		return;
	}
	s = &host.cfg[(host.cfg_head + host.cfg_count) % RC_HOST_CFG_STEPS];
	host.cfg_count++;
	s->type = a->type;
	s->has_wire = a->buf && a->len == sizeof(s->wire);
	if (s->has_wire)
		memcpy(s->wire, a->buf, sizeof(s->wire));
	queue_work(rc.cfg_wq, &host.cfg_work);
}

static void rc_host_state_msg(const struct rc_action *a)
{
	char ev[40], node[24], st[48];

	if (a->node == host.self)
		pr_info("node %u (this node) is %s/%s\n", a->node,
			rc_node_state_name(a->state),
			rc_node_info_name(a->info));
	else
		pr_info("node %u is %s/%s\n", a->node,
			rc_node_state_name(a->state),
			rc_node_info_name(a->info));
	snprintf(ev, sizeof(ev), "RAIDCLUSTER_EVENT=node_state");
	snprintf(node, sizeof(node), "RAIDCLUSTER_NODE=%u", a->node);
	snprintf(st, sizeof(st), "RAIDCLUSTER_NODE_STATE=%s/%s",
		 rc_node_state_name(a->state), rc_node_info_name(a->info));
	rc_host_uevent(ev, node, st);
}

/*
 * This node lost @ld to another (a preempt): no write of ours may reach
 * the disks once the new holder hears our GOOD, whose mailbox write is an
 * action after this one.  So fence now and wait for the drive's requests
 * in flight (the queue's freeze), before any later action is performed.
 */
static void rc_host_lost(unsigned int ld)
{
	struct request_queue *q = host.queues[ld];

	WRITE_ONCE(host.held, READ_ONCE(host.held) & ~BIT(ld));
	WRITE_ONCE(host.may_write, READ_ONCE(host.may_write) & ~BIT(ld));
	WRITE_ONCE(host.may_read, READ_ONCE(host.may_read) & ~BIT(ld));
	if (!q)
		return;
	pr_warn("rcl%u: reservation taken by node %u: fenced; its I/O in flight ends first\n",
		ld, host.holder[ld]);
	blk_mq_freeze_queue(q);
	blk_mq_unfreeze_queue(q);
}

static void rc_host_resv_msg(const struct rc_action *a)
{
	char ev[40], ld[24], holder[32];

	if (a->ld < RC_MAX_LDS)
		WRITE_ONCE(host.resv_seq[a->ld], host.resv_seq[a->ld] + 1);
	if (a->ld < RC_MAX_LDS && a->node != host.self &&
	    a->node != RC_NO_NODE && READ_ONCE(host.holder[a->ld]) == host.self) {
		WRITE_ONCE(host.holder[a->ld], a->node);
		rc_host_lost(a->ld);
	}

	/* Opens for writing reserve and release: ratelimited. */
	if (a->node == RC_NO_NODE)
		pr_info_ratelimited("rcl%u released\n", a->ld);
	else
		pr_info_ratelimited("rcl%u reserved by node %u%s\n", a->ld,
				    a->node,
				    a->node == host.self ? " (this node)" : "");
	snprintf(ev, sizeof(ev), "RAIDCLUSTER_EVENT=reservation");
	snprintf(ld, sizeof(ld), "RAIDCLUSTER_LD=%u", a->ld);
	if (a->node == RC_NO_NODE)
		snprintf(holder, sizeof(holder), "RAIDCLUSTER_HOLDER=none");
	else
		snprintf(holder, sizeof(holder), "RAIDCLUSTER_HOLDER=%u",
			 a->node);
	rc_host_uevent(ev, ld, holder);
}

/*
 * REBUILD_STOP: another node takes the drive over.  No unit of ours may
 * be in flight when the answer that lets it write goes out, so the engine
 * finishes the units it has begun (their reads came before the change)
 * and starts no new one; the actions after this one wait for that.
 */
static void rc_host_rebuild_stop(unsigned int ld)
{
	clear_bit(ld, &host.rb_permit);
	smp_mb__after_atomic();		/* the permit off before the count */
	wait_event(host.rb_wq, !atomic_read(&host.rb_units[ld]));
}

static void rc_host_rebuild_record(const struct rc_action *a)
{
	unsigned long flags;
	u8 ld = a->ld;

	if (ld >= RC_MAX_LDS)
		return;
	spin_lock_irqsave(&host.rb_lock, flags);
	/* A checkpoint never replaces an end not written yet. */
	if (!test_bit(ld, &host.rb_rec) || a->status != RC_SCSI_BUSY ||
	    host.rb_rec_status[ld] == RC_SCSI_BUSY) {
		host.rb_rec_permille[ld] = a->permille;
		host.rb_rec_status[ld] = a->status;
		set_bit(ld, &host.rb_rec);
	}
	spin_unlock_irqrestore(&host.rb_lock, flags);
	queue_work(rc.cfg_wq, &host.rb_rec_work);
}

static void rc_host_action(const struct rc_action *a, u64 now)
{
	switch (a->type) {
	case RC_ACT_READ:
	case RC_ACT_WRITE:
	case RC_ACT_TUR:
		rc_host_io(a, now);
		break;
	case RC_ACT_COMPLETE:
		rc_host_complete(a);
		break;
	case RC_ACT_STATE:
		rc_host_state_msg(a);
		break;
	case RC_ACT_MASTER:
		if (a->node == RC_NO_NODE)
			pr_info("no master\n");
		else
			pr_info("node %u is the master%s\n", a->node,
				a->node == host.self ? " (this node)" : "");
		/* the master holds the disks' reservation (kernel.md) */
		host.pr_reserve = a->node == host.self;
		if (host.pr_reserve)
			queue_work(system_long_wq, &host.pr_work);
		break;
	case RC_ACT_PR_PREEMPT:
	case RC_ACT_PR_CHECK:
		if (a->node >= RC_MAX_NODES)
			break;
		host.pr_preempt &= ~BIT(a->node);
		host.pr_check &= ~BIT(a->node);
		if (a->type == RC_ACT_PR_PREEMPT)
			host.pr_preempt |= BIT(a->node);
		else
			host.pr_check |= BIT(a->node);
		host.pr_inc[a->node] = a->incarnation;
		queue_work(system_long_wq, &host.pr_work);
		break;
	case RC_ACT_RESERVATION:
		rc_host_resv_msg(a);
		break;
	case RC_ACT_PROCESS_COD:
	case RC_ACT_ADOPT_CONFIG:
	case RC_ACT_COMMIT_CONFIG:
		rc_host_queue_cfg(a);
		break;
	case RC_ACT_REBUILD_START:
		/* The engine polls the permit (rc_host_rebuild_permit()). */
		if (a->ld >= RC_MAX_LDS)
			break;
		WRITE_ONCE(host.rb_from[a->ld], min(a->permille, 999u));
		WRITE_ONCE(host.rb_seq[a->ld], host.rb_seq[a->ld] + 1);
		smp_wmb();	/* position and tag before the permit */
		set_bit(a->ld, &host.rb_permit);
		pr_info("rcl%u: this node rebuilds it (from %u.%u %%)\n", a->ld,
			a->permille / 10, a->permille % 10);
		break;
	case RC_ACT_REBUILD_STOP:
		if (a->ld >= RC_MAX_LDS)
			break;
		rc_host_rebuild_stop(a->ld);
		pr_info("rcl%u: rebuild handed on (another node holds it)\n",
			a->ld);
		break;
	case RC_ACT_REBUILD_RECORD:
		rc_host_rebuild_record(a);
		break;
	case RC_ACT_RESTART:
		pr_warn("protocol node restarts (new incarnation)\n");
		host.restarting = true;
		/* Not host.wq: it waits for the completions queued there. */
		queue_work(system_unbound_wq, &host.restart_work);
		break;
	case RC_ACT_HOST_REQUEST:
		/* The library passes one at a time; its answer comes later. */
		host.req_in_len = min_t(u32, a->len, sizeof(host.req_in));
		memcpy(host.req_in, a->buf, host.req_in_len);
		host.req_in_from = a->node;
		host.req_in_seq++;
		queue_work(rc.cfg_wq, &host.req_work);
		break;
	case RC_ACT_SUSPEND:
		host.suspended = true;
		if (a->info == RC_NI_DUPLICATE_ID)
			pr_err("node ID %u is in use by a live node on these disks: this node does not join and writes nothing (load the module with another node_id)\n",
			       host.self);
		pr_err("node %u suspended (%s): no I/O to the shared disks, every request to its logical drives fails, until 'raidclusterctl node resume'\n",
		       host.self, rc_node_info_name(a->info));
		wake_up_all(&host.nexus_wq);
		break;
	default:
		break;
	}
}

/* Perform every action the last event produced; host.lock held. */
static void rc_host_drain(void)
{
	struct rc_action a;

	while (rc_node_next_action(host.node, &a))
		rc_host_action(&a, rc_host_now());
	if (rc_node_overflowed(host.node) && !host.fatal) {
		host.fatal = true;
		pr_err("protocol action queue overflowed (a bug): node stopped, logical drives fenced; reload the module\n");
		wake_up_all(&host.nexus_wq);
	}
	rc_host_publish();
	wake_up_all(&host.resv_wq);	/* the new holders are published */
}

static void rc_host_schedule_tick(void)
{
	u64 now = rc_host_now(), next = rc_node_next_deadline(host.node);
	unsigned long delay = 0;

	if (next > now)
		delay = msecs_to_jiffies(min_t(u64, next - now,
					       host.params.poll_ms));
	mod_delayed_work(host.wq, &host.tick, delay);
}

/* --- events ---------------------------------------------------------------- */

static bool rc_host_live(void)
{
	return host.started && !host.fatal && !host.stopping &&
	       !host.restarting;
}

static void rc_host_push(void)
{
	struct rc_host_cmd cmd = { .op = RC_HOST_CONFIG_CHANGE };

	host.push_again = false;
	cmd.cookie = ++host.next_cookie;	/* nobody waits for it */
	host.push_cookie = cmd.cookie;
	if (rc_node_host_cmd(host.node, rc_host_now(), &cmd))
		host.push_again = true;
	rc_host_drain();
}

enum rc_host_rebuild rc_host_rebuild_permit(unsigned int ld, u32 *from,
					    u32 *seq)
{
	u8 h;

	*from = 0;
	*seq = 0;
	if (ld >= RC_MAX_LDS)
		return RC_REBUILD_NONE;
	/* No protocol node: a drive of a node without a cluster. */
	if (!READ_ONCE(host.started))
		return RC_REBUILD_GO;
	if (!test_bit(ld, &host.rb_permit))
		return RC_REBUILD_NONE;
	*seq = READ_ONCE(host.rb_seq[ld]);
	*from = READ_ONCE(host.rb_from[ld]);
	if (READ_ONCE(host.offline) || !rc_host_lease_runs())
		return RC_REBUILD_WAIT;
	h = rc_host_holder(ld);
	if (h == host.self)
		return rc_host_may_write(ld) ? RC_REBUILD_GO : RC_REBUILD_WAIT;
	/* Nobody holds it: the master rebuilds it, nobody else writes it. */
	if (h == RC_HOLDER_NONE && READ_ONCE(host.nexus) &&
	    READ_ONCE(host.master) == host.self)
		return RC_REBUILD_GO;
	return RC_REBUILD_WAIT;
}

bool rc_host_rebuild_unit_begin(unsigned int ld)
{
	u32 from, seq;

	atomic_inc(&host.rb_units[ld]);
	smp_mb__after_atomic();		/* counted before the permit check */
	if (rc_host_rebuild_permit(ld, &from, &seq) == RC_REBUILD_GO)
		return true;
	rc_host_rebuild_unit_end(ld);
	return false;
}

void rc_host_rebuild_unit_end(unsigned int ld)
{
	if (atomic_dec_and_test(&host.rb_units[ld]))
		wake_up_all(&host.rb_wq);
}

void rc_host_rebuild_report(unsigned int ld, u32 permille, u32 seq)
{
	unsigned long flags;

	if (ld >= RC_MAX_LDS || !READ_ONCE(host.started))
		return;
	spin_lock_irqsave(&host.rb_lock, flags);
	host.rb_rep_permille[ld] = min(permille, 999u);
	host.rb_rep_seq[ld] = seq;
	set_bit(ld, &host.rb_reported);
	spin_unlock_irqrestore(&host.rb_lock, flags);
	queue_work(host.wq, &host.rb_work);
}

void rc_host_rebuild_ended(unsigned int ld, int error, u32 seq)
{
	unsigned long flags;

	if (ld >= RC_MAX_LDS || !READ_ONCE(host.started))
		return;
	spin_lock_irqsave(&host.rb_lock, flags);
	host.rb_end_error[ld] = error;
	host.rb_rep_seq[ld] = seq;
	set_bit(ld, &host.rb_ended);
	spin_unlock_irqrestore(&host.rb_lock, flags);
	queue_work(host.wq, &host.rb_work);
}

/* The engine's reports, to the library (of the permit they were made for). */
static void rc_host_rb_work_fn(struct work_struct *work)
{
	unsigned long rep, end, flags;
	u32 permille[RC_MAX_LDS], seq[RC_MAX_LDS];
	int error[RC_MAX_LDS];
	unsigned int ld;

	spin_lock_irqsave(&host.rb_lock, flags);
	rep = host.rb_reported;
	end = host.rb_ended;
	host.rb_reported = 0;
	host.rb_ended = 0;
	memcpy(permille, host.rb_rep_permille, sizeof(permille));
	memcpy(seq, host.rb_rep_seq, sizeof(seq));
	memcpy(error, host.rb_end_error, sizeof(error));
	spin_unlock_irqrestore(&host.rb_lock, flags);

	mutex_lock(&host.lock);
	if (!rc_host_live())
		goto out;
	for (ld = 0; ld < RC_MAX_LDS; ld++) {
		if (!test_bit(ld, &host.rb_permit) ||
		    seq[ld] != host.rb_seq[ld])
			continue;	/* for a permit since taken back */
		if (test_bit(ld, &end)) {
			/*
			 * The permit stays: the engine keeps its position
			 * (the whole member) until the master's record of
			 * the end brings the member online, so the writes
			 * meanwhile reach the member.
			 */
			rc_node_rebuild_done(host.node, rc_host_now(), ld,
					     error[ld]);
		} else if (test_bit(ld, &rep)) {
			rc_node_rebuild_progress(host.node, rc_host_now(), ld,
						 permille[ld]);
		}
	}
	rc_host_drain();
out:
	mutex_unlock(&host.lock);
}

void rc_host_set_rebuild_recorder(rc_host_rebuild_record_fn fn)
{
	mutex_lock(&host.lock);
	host.rb_record = fn;
	mutex_unlock(&host.lock);
}

/* The master's records of the running rebuild, into the COD (rc.lock). */
static void rc_host_rb_rec_fn(struct work_struct *work)
{
	u32 permille[RC_MAX_LDS];
	u8 status[RC_MAX_LDS];
	unsigned long rec, flags;
	rc_host_rebuild_record_fn fn;
	unsigned int ld;

	mutex_lock(&rc.lock);
	spin_lock_irqsave(&host.rb_lock, flags);
	rec = host.rb_rec;
	host.rb_rec = 0;
	memcpy(permille, host.rb_rec_permille, sizeof(permille));
	memcpy(status, host.rb_rec_status, sizeof(status));
	spin_unlock_irqrestore(&host.rb_lock, flags);
	fn = READ_ONCE(host.rb_record);
	for (ld = 0; ld < RC_MAX_LDS; ld++)
		if (test_bit(ld, &rec) && fn && !rc.exiting)
			fn(ld, permille[ld], status[ld]);
	mutex_unlock(&rc.lock);
}

void rc_host_rebuild_view(unsigned int ld, u8 *executor, u32 *permille,
			  u32 *rate)
{
	struct rc_wire_rebuild r;

	*executor = RC_NO_NODE;
	*permille = 0;
	*rate = 0;
	mutex_lock(&host.lock);
	if (host.started && ld < RC_MAX_LDS) {
		rc_node_rebuild_view(host.node, &r);
		if (r.ld == ld && le32_to_cpu(r.progress) < 1000 &&
		    (le32_to_cpu(r.pending) & BIT(ld))) {
			*executor = r.executor;
			*permille = le32_to_cpu(r.progress);
			*rate = rc_node_rebuild_rate(host.node);
		}
	}
	mutex_unlock(&host.lock);
}

bool rc_host_in_protocol(void)
{
	return READ_ONCE(host.started);
}

static void rc_host_tick_fn(struct work_struct *work)
{
	mutex_lock(&host.lock);
	if (rc_host_live()) {
		rc_node_tick(host.node, rc_host_now());
		rc_host_drain();
		if (host.push_again && !host.suspended)
			rc_host_push();
		if (!host.suspended)
			rc_host_schedule_tick();
	}
	mutex_unlock(&host.lock);
}

static void rc_host_done_fn(struct work_struct *work)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(&host.done));
	struct rc_nio *io, *tmp;

	mutex_lock(&host.lock);
	llist_for_each_entry_safe(io, tmp, list, node) {
		const void *data = NULL;
		int err = rc_nio_error(io);

		if (rc_host_live()) {
			if (io->act.type == RC_ACT_READ && !io->error) {
				rc_nio_copy_data(io, host.rbuf);
				data = host.rbuf;
			}
			rc_node_io_done(host.node, rc_host_now(), &io->act,
					err, data);
			rc_host_drain();
		}
		/*
		 * A slot or mailbox block the disk refuses is a failing disk,
		 * as a data block is: it is failed like one, so the channel's
		 * slots move to its next disk (the data path may not have
		 * touched it yet).  Before the put: a detach waits for it.
		 */
		if (err == -EIO && io->act.type != RC_ACT_TUR)
			rc_disk_io_error(io->act.disk,
					 io->act.type == RC_ACT_WRITE);
		rc_nio_put(io);
	}
	mutex_unlock(&host.lock);
}

/* --- the disk table and configuration -------------------------------------- */

/*
 * The library compares channel numbers between nodes, so they must name
 * the same bus everywhere.  A record's channel is the SCSI host the disk
 * was first attached through, as the COD keeps it; the library's channel
 * is its rank among the channels of the records in use, the same on
 * every node that reads the same COD.
 */
static void rc_host_map_channels(void)
{
	unsigned int vals[RC_MAX_CHANNELS], nvals = 0, i, k;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_disk *rec = &rc.cfg->disks[i];

		host.chan_of[i] = U8_MAX;
		if (rec->state == RC_DISK_UNUSED)
			continue;
		for (k = 0; k < nvals && vals[k] != rec->channel; k++)
			;
		if (k == nvals && nvals < RC_MAX_CHANNELS)
			vals[nvals++] = rec->channel;
	}
	/* sort the few channel values: the rank must not depend on order */
	for (i = 1; i < nvals; i++)
		for (k = i; k > 0 && vals[k - 1] > vals[k]; k--)
			swap(vals[k - 1], vals[k]);
	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_disk *rec = &rc.cfg->disks[i];

		if (rec->state == RC_DISK_UNUSED)
			continue;
		for (k = 0; k < nvals; k++)
			if (vals[k] == rec->channel)
				host.chan_of[i] = k;
	}
}

/* This life's key.  host.lock held. */
static u64 rc_host_pr_own_key(void)
{
	return rc_pr_key(host.cluster_uuid, (u8)host.self, host.incarnation);
}

/*
 * This life's key on every disk we have a path to (SCSI-3 persistent
 * reservations, Documentation/kernel.md).  A registration restricts
 * nobody by itself; it is what a reservation of a registrants-only type
 * lets write, and what a survivor removes to fence this node at the disk.
 * It runs before the life's first slot write, so that no disk sees this
 * life write unregistered.  Synchronous: a command ends within
 * RC_PR_TIMEOUT, and a disk without PR answers at once (and is not asked
 * again while its path stays).
 */
static void rc_host_pr_register(void)
{
	u64 key = rc_host_pr_own_key();
	unsigned int i, done = 0, none = 0;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_host_disk *d = &host.disks[i];
		enum rc_pr_result r;

		if (!d->bdev || d->pr_key == key ||
		    d->pr_state == RC_DISK_PR_UNSUPPORTED)
			continue;
		if (!pr_fencing) {
			d->pr_state = RC_DISK_PR_OFF;
			continue;
		}
		r = rc_disk_pr_register(d->bdev, key);
		d->pr_key = r == RC_PRR_GOOD ? key : 0;
		switch (r) {
		case RC_PRR_GOOD:
			d->pr_state = RC_DISK_PR_REGISTERED;
			done++;
			break;
		case RC_PRR_UNSUPPORTED:
			d->pr_state = RC_DISK_PR_UNSUPPORTED;
			none++;
			break;
		default:
			d->pr_state = RC_DISK_PR_FAILED;
			pr_warn_ratelimited("disk %u: registering persistent reservation key %#llx failed (%s)\n",
					    i, key, r == RC_PRR_CONFLICT ?
					    "reservation conflict" : "no answer");
			break;
		}
	}
	if (done)
		pr_info("persistent reservation key %#llx registered on %u disk(s)\n",
			key, done);
	if (none)
		pr_info("%u disk(s) without persistent reservations\n", none);
}

/* The path to @d goes: its registration goes first (best effort). */
static void rc_host_pr_unregister(struct rc_host_disk *d)
{
	if (d->bdev && d->pr_state == RC_DISK_PR_REGISTERED)
		rc_disk_pr_register(d->bdev, 0);
	d->pr_key = 0;
	d->pr_state = RC_DISK_PR_UNKNOWN;
}

/* rc_ioc_disk_info: this node's registration on disk @index. */
u32 rc_host_disk_pr(unsigned int index, u64 *key)
{
	u32 state;

	mutex_lock(&host.lock);
	*key = index < RC_MAX_DISKS ? host.disks[index].pr_key : 0;
	state = index < RC_MAX_DISKS ? host.disks[index].pr_state :
				       RC_DISK_PR_UNKNOWN;
	mutex_unlock(&host.lock);
	return state;
}

/*
 * Does @key belong to a life of node @id up to @inc (0: any life)?  Lives
 * are numbered in serial arithmetic, as the slots compare them.
 */
static bool rc_host_pr_key_of(u64 key, u8 id, u32 inc)
{
	return rc_pr_key_ours(host.cluster_uuid, key) &&
	       rc_pr_key_node(key) == id &&
	       (!inc || (s32)(rc_pr_key_incarnation(key) - inc) <= 0);
}

/* How one disk answered pr_work. */
enum rc_pr_disk_answer {
	RC_PR_ASKED,		/* @err says what is left for each node */
	RC_PR_FENCED,		/* our own key is gone: we were fenced */
};

/*
 * One member disk for pr_work: register again if our registration failed
 * (@retry), reserve it if we are the master, and remove (@preempt) or look
 * for (@check) the keys of the nodes asked about.  @err[id] is set for
 * every node whose keys are not off this disk.
 */
static enum rc_pr_disk_answer
rc_host_pr_disk(unsigned int i, bool retry, u32 preempt, u32 check,
		const u32 *inc, bool reserve, int *err)
{
	struct block_device *bdev = host.pr_bdev[i];
	u32 asked = preempt | check;
	u64 own = host.pr_own[i];
	unsigned int k, j, n;
	bool mine = false;
	u8 id;

	if (retry && rc_disk_pr_register(bdev, own) != RC_PRR_GOOD)
		goto failed;
	host.pr_retry[i] = retry;	/* now registered: pr_fn records it */
	if (reserve) {
		enum rc_pr_result r = rc_disk_pr_reserve(bdev, own);

		/*
		 * CONFLICT: held by a dead master's key, which our preempt of
		 * it moves to us.  Any other failure: no reservation may be
		 * in place, and a preempt without one fences nobody.
		 */
		if (r != RC_PRR_GOOD && r != RC_PRR_CONFLICT) {
			pr_warn_ratelimited("disk %u: the master's reservation failed\n",
					    i);
			goto failed;
		}
	}
	if (!asked)
		return RC_PR_ASKED;
	if (rc_disk_pr_read_keys(bdev, host.pr_keys, RC_PR_MAX_KEYS, &n) !=
	    RC_PRR_GOOD) {
		pr_warn_ratelimited("disk %u: no answer to PERSISTENT RESERVE IN: the takeover of a dead node's drives waits until it answers or fails\n",
				    i);
		goto failed;
	}
	for (k = 0; k < n; k++)
		mine |= host.pr_keys[k] == own;
	if (!mine)
		return RC_PR_FENCED;
	for (k = 0; k < n; k++) {
		u64 key = host.pr_keys[k];

		id = rc_pr_key_node(key);
		if (id >= RC_MAX_NODES || id == host.self ||
		    !(asked & BIT(id)) || !rc_host_pr_key_of(key, id, inc[id]))
			continue;
		for (j = 0; j < k && host.pr_keys[j] != key; j++)
			;
		if (j < k)
			continue;	/* one key, two I_T nexuses: done */
		if (!(preempt & BIT(id))) {
			err[id] = -EAGAIN;	/* the master has not yet */
			continue;
		}
		if (rc_disk_pr_preempt(bdev, own, key) == RC_PRR_GOOD) {
			pr_info("disk %u: node %u fenced (key %#llx preempted)\n",
				i, id, key);
		} else {
			/* READ KEYS says next time: it went, or we did */
			pr_warn_ratelimited("disk %u: preempting node %u's key %#llx failed\n",
					    i, id, key);
			err[id] = -EIO;
		}
	}
	return RC_PR_ASKED;
failed:
	for (id = 0; id < RC_MAX_NODES; id++)
		if (asked & BIT(id))
			err[id] = -EIO;
	return RC_PR_ASKED;
}

/*
 * Fencing at the disks, off host.lock (a PR command can take seconds on a
 * sick disk, and ticks must go on): the answers go to the library once
 * every disk this node reaches was asked.  A disk without persistent
 * reservations has nothing to fence; a disk where our registration failed
 * is registered again first.
 */
static void rc_host_pr_fn(struct work_struct *work)
{
	int err[RC_MAX_NODES] = {};
	u32 inc[RC_MAX_NODES], preempt, check, life;
	bool reserve, retry[RC_MAX_DISKS] = {}, fenced = false;
	unsigned int i;
	u64 key;
	u8 id;

	mutex_lock(&host.lock);
	if (!rc_host_live() || host.suspended) {
		mutex_unlock(&host.lock);
		return;
	}
	preempt = host.pr_preempt;
	check = host.pr_check;
	reserve = host.pr_reserve;
	memcpy(inc, host.pr_inc, sizeof(inc));
	host.pr_preempt = 0;
	host.pr_check = 0;
	life = host.life;
	key = rc_host_pr_own_key();
	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_host_disk *d = &host.disks[i];

		host.pr_bdev[i] = NULL;
		host.pr_retry[i] = false;
		/*
		 * A failed disk is written by nobody the cluster trusts: its
		 * fencing is the lease's, or a dead disk would hold every
		 * takeover back.
		 */
		if (!d->bdev || !d->usable)
			continue;
		if (d->pr_state == RC_DISK_PR_FAILED)
			retry[i] = true;
		else if (d->pr_state != RC_DISK_PR_REGISTERED)
			continue;
		host.pr_bdev[i] = d->bdev;
		host.pr_own[i] = retry[i] ? key : d->pr_key;
		/* rc_host_disk_gone() waits for this */
		atomic_inc(&d->busy);
		atomic_inc(&host.inflight);
	}
	mutex_unlock(&host.lock);

	for (i = 0; i < RC_MAX_DISKS && !fenced; i++)
		if (host.pr_bdev[i])
			fenced = rc_host_pr_disk(i, retry[i], preempt, check,
						 inc, reserve, err) ==
				 RC_PR_FENCED;

	mutex_lock(&host.lock);
	for (i = 0; i < RC_MAX_DISKS; i++) {
		struct rc_host_disk *d = &host.disks[i];

		if (!host.pr_bdev[i])
			continue;
		if (host.pr_retry[i] && host.life == life &&
		    d->bdev == host.pr_bdev[i]) {
			d->pr_state = RC_DISK_PR_REGISTERED;
			d->pr_key = key;
		}
		host.pr_bdev[i] = NULL;
		atomic_dec(&d->busy);
		atomic_dec(&host.inflight);
	}
	wake_up_all(&host.idle);
	if (rc_host_live() && host.life == life && !fenced) {
		for (id = 0; id < RC_MAX_NODES; id++)
			if ((preempt | check) & BIT(id))
				rc_node_disk_fenced(host.node, rc_host_now(),
						    id, inc[id], err[id]);
		rc_host_drain();
	}
	mutex_unlock(&host.lock);
	if (fenced)
		rc_host_fenced_at_disk();
}

/*
 * A data write of ours ended with RESERVATION CONFLICT: another node took
 * our key off the disk, it killed us while we could not hear it.  Any
 * context (bio completion); the library hears it from host.wq.
 */
void rc_host_fenced_at_disk(void)
{
	if (atomic_xchg(&host.fenced, 1))
		return;
	queue_work(host.wq, &host.fenced_work);
}

static void rc_host_fenced_fn(struct work_struct *work)
{
	mutex_lock(&host.lock);
	if (rc_host_live() && !host.suspended) {
		pr_err("a write was refused with RESERVATION CONFLICT: another node fenced this one at the disks\n");
		rc_node_fenced_at_disk(host.node, rc_host_now());
		rc_host_drain();
	}
	mutex_unlock(&host.lock);
}

/*
 * The fencing mode this node runs in: disk PR when its key is registered
 * on every member disk it reaches, else the lease alone.  host.lock held.
 */
static bool rc_host_pr_fencing(void)
{
	unsigned int i, n = 0;
	bool all = true;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		if (!host.disks[i].bdev)
			continue;
		n++;
		all &= host.disks[i].pr_state == RC_DISK_PR_REGISTERED;
	}
	return n && all;
}

/* Describe rc's disks and configuration to the library; both locks held. */
static void rc_host_describe(void)
{
	struct rc_proto_config c = {};
	unsigned int i;
	u32 need = 0;

	rc_host_map_channels();
	for (i = 0; i < RC_MAX_DISKS; i++) {
		const struct rc_disk *rec = &rc.cfg->disks[i];
		struct rc_mdisk *md = rc.disks[i];
		u8 state = rc.have_cfg ? rec->state : RC_DISK_UNUSED;
		u32 flags = 0;

		if (host.disks[i].bdev != (md ? md->bdev : NULL))
			rc_host_pr_unregister(&host.disks[i]);
		host.disks[i].bdev = md ? md->bdev : NULL;
		if (state != RC_DISK_UNUSED &&
		    (host.chan_of[i] >= RC_MAX_CHANNELS ||
		     rec->target >= RC_MAX_TARGETS)) {
			pr_warn_once("disk %u: channel %u target %u out of the cluster's range (8 channels, 16 targets): not used for node communication\n",
				     i, rec->channel, rec->target);
			state = RC_DISK_UNUSED;
		}
		host.disks[i].usable = rc_mdisk_usable(md);
		if (host.disks[i].usable)
			flags |= RC_DISKF_PRESENT;
		else if (!md)
			flags |= RC_DISKF_UNSEEN;	/* not attached here yet */
		rc_node_set_disk(host.node, i,
				 state == RC_DISK_UNUSED ? 0 : host.chan_of[i],
				 state == RC_DISK_UNUSED ? 0 : rec->target,
				 state, flags);
	}
	if (!rc.have_cfg)
		return;
	c.generation = rc.cfg->generation;
	c.cod_crc = rc.cod_crc;
	memcpy(c.cluster_uuid, rc.cfg->cluster_uuid, 16);
	memcpy(host.cluster_uuid, rc.cfg->cluster_uuid, 16);
	c.nlds = rc.cfg->nlds;
	for (i = 0; i < RC_MAX_LDS; i++) {
		const struct rc_ld *rec = &rc.cfg->lds[i];
		unsigned int e;

		c.ld_state[i] = rec->state;
		c.ld_level[i] = rec->level;
		for (e = 0; rec->state != RC_LD_UNUSED && e < rec->nextents;
		     e++)
			if (rec->ext[e].state == RC_EXT_REBUILDING)
				need |= BIT(i);
	}
	rc_node_set_config(host.node, &c);
	/* The master runs them one at a time (figure 16). */
	if (host.started)
		rc_node_rebuild_needed(host.node, rc_host_now(), need);
}

/*
 * A new life: the library forgot every command and configuration step of
 * the old one, so their waiters hear BUSY now and queued steps go.
 */
static void rc_host_forget_life(void)
{
	unsigned int i;

	for (i = 0; i < RC_HOST_CMDS; i++) {
		struct rc_host_wait *w = &host.waits[i];

		if (!w->cookie)
			continue;
		if (w->abandoned) {
			memset(w, 0, sizeof(*w));
			continue;
		}
		w->status = RC_SCSI_BUSY;
		w->done = true;
	}
	host.req_cookie = 0;
	host.cfg_count = 0;
	host.push_again = false;
	/* No rebuild runs on an old life's word (its units end on their own). */
	for (i = 0; i < RC_MAX_LDS; i++)
		if (test_and_clear_bit(i, &host.rb_permit))
			WRITE_ONCE(host.rb_seq[i], host.rb_seq[i] + 1);
	wake_up_all(&host.cmd_wq);
}

/* Start (or restart) the protocol node; host.lock held. */
static int rc_host_start_node(void)
{
	u32 now_s = (u32)ktime_get_real_seconds();
	struct rc_peer_view v;
	int ret;

	/* The library may have started the last life above our number. */
	if (host.life && !rc_node_peer_view(host.node, host.self, rc_host_now(), &v))
		host.incarnation = max(host.incarnation, v.incarnation);
	/*
	 * Peers ignore a slot whose incarnation is lower than one they saw,
	 * so it must grow across restarts and reloads: wall-clock seconds,
	 * and at least one more than the last life of this module.
	 */
	host.incarnation = max_t(u32, host.incarnation + 1, now_s);
	if (!host.incarnation)
		host.incarnation = 1;
	rc_node_params_default(&host.params, host.self, host.incarnation);
	host.params.hb_period_ms = hb_period_ms;
	host.params.hb_misses = hb_misses;
	host.params.listen_ms = 2 * hb_period_ms + host.params.poll_ms;
	host.params.lease_ms = lease_ms;
	host.params.drain_ms = drain_ms;
	/* a host without PR disks answers the questions at once */
	host.params.disk_fence = pr_fencing;
	host.life++;
	atomic_set(&host.fenced, 0);
	host.pr_preempt = 0;
	host.pr_check = 0;
	host.pr_reserve = false;
	rc_host_forget_life();
	rc_host_pr_register();
	ret = rc_node_start(host.node, &host.params, rc_host_now());
	if (ret) {
		pr_err("protocol node %u does not start: %d (check hb_period_ms, hb_misses, lease_ms >= 2 x hb_period_ms, drain_ms)\n",
		       host.self, ret);
		return ret;
	}
	host.started = true;
	host.restarting = false;
	host.suspended = false;
	pr_info("node %u joins the cluster (incarnation %u)\n", host.self,
		host.incarnation);
	wake_up_all(&host.nexus_wq);	/* a resume waits for this */
	rc_host_drain();
	rc_host_schedule_tick();
	return 0;
}

void rc_host_disks_changed(void)
{
	unsigned int i;
	bool present = false, attached = false;

	lockdep_assert_held(&rc.lock);
	if (rc.exiting)
		return;
	for (i = 0; i < RC_MAX_DISKS; i++) {
		present |= rc_mdisk_usable(rc.disks[i]);
		attached |= rc.disks[i] != NULL;
	}
	mutex_lock(&host.lock);
	rc_host_describe();
	if (host.started) {
		rc_host_pr_register();	/* a disk attached in this life */
		if (host.pr_reserve)	/* ... which the master reserves */
			queue_work(system_long_wq, &host.pr_work);
	}
	if (host.started && (!rc.have_cfg || !attached)) {
		/*
		 * No member disk left (detached): no slot to write, no
		 * mailbox.  The node leaves (it is silent from now on); the
		 * next attach starts a new life, maybe of another cluster.
		 * Members that are attached but unreachable (pulled, a
		 * cable) are the protocol's: it suspends the node.
		 */
		host.started = false;
		rc_host_forget_life();
		cancel_delayed_work(&host.tick);
		rc_host_publish();
		wake_up_all(&host.nexus_wq);
		pr_info("node %u leaves the cluster: no member disk attached\n",
			host.self);
	}
	if (!host.started && !host.fatal && !host.stopping && rc.have_cfg &&
	    present) {
		/*
		 * The last life's I/O ends first: the listen phase would take
		 * a late slot write of ours for another node with our ID.
		 */
		mutex_unlock(&host.lock);
		wait_event(host.idle, !atomic_read(&host.inflight));
		mutex_lock(&host.lock);
		if (!host.started && !host.fatal && !host.stopping)
			rc_host_start_node();
	}
	mutex_unlock(&host.lock);
}

void rc_host_cod_written(void)
{
	lockdep_assert_held(&rc.lock);
	mutex_lock(&host.lock);
	if (host.started)
		rc_host_describe();
	mutex_unlock(&host.lock);
}

void rc_host_disk_gone(unsigned int index)
{
	lockdep_assert_held(&rc.lock);
	if (index >= RC_MAX_DISKS)
		return;
	mutex_lock(&host.lock);
	host.disks[index].bdev = NULL;
	mutex_unlock(&host.lock);
	/* Its bios still in flight (timed out ones too) end on their own. */
	wait_event(host.idle, !atomic_read(&host.disks[index].busy));
}

/*
 * The requests the drives accepted in the old life end (the gate refuses
 * new ones while host.restarting): the new life, with its new key, must
 * not share the disks with the old one's writes.  host.lock held.
 */
static void rc_host_drain_queues(void)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_LDS; i++) {
		if (!host.queues[i])
			continue;
		blk_mq_freeze_queue(host.queues[i]);
		blk_mq_unfreeze_queue(host.queues[i]);
	}
}

static void rc_host_restart_fn(struct work_struct *work)
{
	/*
	 * Every I/O of the old life ends first: the listen phase would see
	 * our own late slot write as another node with our ID.
	 */
	wait_event(host.idle, !atomic_read(&host.inflight));
	mutex_lock(&host.lock);
	if (host.restarting && !host.stopping && !host.fatal) {
		rc_host_drain_queues();
		rc_host_start_node();
	}
	mutex_unlock(&host.lock);
}

/* --- configuration steps (rc.cfg_wq, rc.lock then host.lock) --------------- */

static u64 rc_wire_generation(const struct rc_host_cfg_step *s, u32 *crc)
{
	const struct rc_wire_negotiate *w = (const void *)s->wire;

	*crc = le32_to_cpu(w->configuration.cod_crc);
	return le64_to_cpu(w->configuration.generation);
}

/*
 * A slave adopts what its master runs: the wire names the generation and
 * CRC of the COD the master wrote on the shared disks, not its content,
 * so the COD is read again from the disks and accepted only when it is
 * exactly that copy.
 */
static int rc_host_adopt(const struct rc_host_cfg_step *s)
{
	u32 crc;
	u64 gen;
	int ret;

	if (!s->has_wire)
		return -EINVAL;
	gen = rc_wire_generation(s, &crc);
	if (rc.have_cfg && gen == rc.cfg->generation && crc == rc.cod_crc)
		return 0;
	ret = rc_member_reload_cod(gen, crc);
	if (ret) {
		pr_err("cannot adopt the master's configuration generation %llu (crc %08x): %d\n",
		       gen, crc, ret);
		return -RC_NEG_NVM_FAIL;
	}
	return 0;
}

/*
 * The master commits: the disk states of the wire (its table, with the
 * change) go into the COD, written on every member.
 */
static int rc_host_commit(const struct rc_host_cfg_step *s)
{
	const struct rc_wire_negotiate *w = (const void *)s->wire;
	u8 before[RC_MAX_DISKS];
	char why[RC_IOC_MSG_LEN];
	unsigned int ch, t, i;

	if (!s->has_wire || !rc.have_cfg)
		return -EINVAL;
	for (i = 0; i < RC_MAX_DISKS; i++)
		before[i] = rc.cfg->disks[i].state;
	for (ch = 0; ch < RC_MAX_CHANNELS; ch++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			const struct rc_wire_pd *pd = &w->physical_drives[ch][t];
			unsigned int disk = le16_to_cpu(pd->disk);
			struct rc_disk *rec;

			if (disk >= RC_MAX_DISKS || pd->state == RC_DISK_UNUSED ||
			    pd->state >= RC_DISK_STATE_MAX)
				continue;
			rec = &rc.cfg->disks[disk];
			if (rec->state == RC_DISK_UNUSED)
				continue;
			rec->state = pd->state;
			/*
			 * Proposed missing, and lost here too (the library
			 * tests what we still reach before it commits): no
			 * node reaches it, it is dead.  FAILED, not MISSING:
			 * every node then fails its members on adoption, even
			 * one that still sees the disk, and an attach after a
			 * restart never takes it back as current.  A disk
			 * this node never attached stays MISSING (a cluster
			 * still starting up).
			 */
			if (pd->state == RC_DISK_MISSING && rc.disks[disk] &&
			    !rc_mdisk_usable(rc.disks[disk]))
				rec->state = RC_DISK_FAILED;
		}
	}
	/* A slave's proposal is a peer's word: the COD rules still hold. */
	if (rc_config_validate(rc.cfg, why, sizeof(why))) {
		pr_err("configuration change refused: %s\n", why);
		for (i = 0; i < RC_MAX_DISKS; i++)
			rc.cfg->disks[i].state = before[i];
		return -EINVAL;
	}
	/*
	 * What the disks already say costs no generation: every slave would
	 * read the COD again for nothing, and proposals crossing a commit
	 * (each slave proposing what the last generation already has) would
	 * keep the cluster renegotiating.
	 */
	for (i = 0; i < RC_MAX_DISKS; i++)
		if (rc.cfg->disks[i].state != rc.cod_disk_state[i])
			break;
	if (i == RC_MAX_DISKS && !rc.cod_dirty)
		return 0;
	return rc_cod_write_all();
}

static void rc_host_cfg_fn(struct work_struct *work)
{
	struct rc_host_cfg_step s;
	int ret = 0;

	for (;;) {
		mutex_lock(&rc.lock);
		mutex_lock(&host.lock);
		if (!host.cfg_count) {
			mutex_unlock(&host.lock);
			mutex_unlock(&rc.lock);
			return;
		}
		s = host.cfg[host.cfg_head];
		host.cfg_head = (host.cfg_head + 1) % RC_HOST_CFG_STEPS;
		host.cfg_count--;
		mutex_unlock(&host.lock);

		switch (s.type) {
		case RC_ACT_PROCESS_COD:
			/*
			 * Step 445: the new master writes what the attaches
			 * found while it could not (records of new disks).
			 */
			ret = rc.have_cfg ? 0 : -ENOENT;
			if (!ret && rc.cod_dirty) {
				WRITE_ONCE(host.processing_cod, true);
				ret = rc_cod_write_all();
				WRITE_ONCE(host.processing_cod, false);
			}
			break;
		case RC_ACT_ADOPT_CONFIG:
			ret = rc_host_adopt(&s);
			/* failures the master recorded: their writes may end */
			if (!ret)
				queue_work(rc.cfg_wq, &rc.cfg_work);
			break;
		case RC_ACT_COMMIT_CONFIG:
			ret = rc_host_commit(&s);
			/* a disk now failed: its members' extents and drives */
			if (!ret)
				queue_work(rc.cfg_wq, &rc.cfg_work);
			break;
		}
		mutex_lock(&host.lock);
		if (rc_host_live()) {
			rc_host_describe();
			rc_node_config_done(host.node, rc_host_now(), ret);
			rc_host_drain();
		}
		mutex_unlock(&host.lock);
		mutex_unlock(&rc.lock);
	}
}

/* --- host commands --------------------------------------------------------- */

static int rc_host_cmd(const struct rc_host_cmd *tmpl, u8 *status, char *msg)
{
	struct rc_host_cmd cmd = *tmpl;
	struct rc_host_wait *w = NULL;
	unsigned int i;
	long left;
	int ret;

	mutex_lock(&host.lock);
	if (!rc_host_live() || host.suspended) {
		mutex_unlock(&host.lock);
		rc_msg(msg, host.suspended ? "node %u is suspended" :
		       "node %u is not in a cluster (no member disk attached)",
		       host.self);
		return -EAGAIN;
	}
	for (i = 0; i < RC_HOST_CMDS && !w; i++)
		if (!host.waits[i].cookie)
			w = &host.waits[i];
	if (!w) {
		mutex_unlock(&host.lock);
		rc_msg(msg, "too many cluster commands in flight");
		return -EBUSY;
	}
	memset(w, 0, sizeof(*w));
	w->cookie = ++host.next_cookie;
	cmd.cookie = w->cookie;
	ret = rc_node_host_cmd(host.node, rc_host_now(), &cmd);
	if (ret) {
		memset(w, 0, sizeof(*w));
		rc_host_drain();
		mutex_unlock(&host.lock);
		rc_msg(msg, "the protocol refused the command (%d)", ret);
		return ret;
	}
	rc_host_drain();
	mutex_unlock(&host.lock);

	left = wait_event_interruptible_timeout(host.cmd_wq,
						READ_ONCE(w->done),
						RC_HOST_CMD_TIMEOUT);
	mutex_lock(&host.lock);
	if (!w->done) {
		w->abandoned = true;
		mutex_unlock(&host.lock);
		rc_msg(msg, left < 0 ? "interrupted" :
		       "no answer from the cluster protocol");
		return left < 0 ? -EINTR : -ETIMEDOUT;
	}
	*status = w->status;
	memset(w, 0, sizeof(*w));
	mutex_unlock(&host.lock);
	return 0;
}

static const char *rc_host_why_not_nexus(void)
{
	if (host.fatal)
		return "its protocol node stopped on an error";
	if (host.suspended)
		return "it is suspended";
	if (!host.started)
		return "it is not in a cluster (no member disk attached)";
	return "it is still joining the cluster";
}

int rc_host_wait_nexus(char *msg)
{
	long left;

	left = wait_event_interruptible_timeout(host.nexus_wq,
		READ_ONCE(host.nexus) || READ_ONCE(host.suspended) ||
		READ_ONCE(host.fatal) || !READ_ONCE(host.started) ||
		READ_ONCE(host.stopping),
		msecs_to_jiffies(join_timeout_ms));
	if (left < 0)
		return -EINTR;
	if (READ_ONCE(host.nexus))
		return 0;
	rc_msg(msg, "node %u is not in nexus: %s", host.self,
	       rc_host_why_not_nexus());
	return -EAGAIN;
}

int rc_host_may_configure(char *msg)
{
	u8 master;

	if (!READ_ONCE(host.started) || READ_ONCE(host.processing_cod))
		return 0;
	if (!READ_ONCE(host.nexus)) {
		rc_msg(msg, "node %u is not in nexus with the master: %s",
		       host.self, rc_host_why_not_nexus());
		return -EAGAIN;
	}
	master = READ_ONCE(host.master);
	if (master == host.self)
		return 0;
	rc_msg(msg, "node %u is a slave: change the configuration on the master, node %u",
	       host.self, master);
	return -EREMOTE;
}

bool rc_host_may_write_cod(void)
{
	return READ_ONCE(host.processing_cod) ||
	       (READ_ONCE(host.nexus) && READ_ONCE(host.master) == host.self);
}

void rc_host_config_changed(void)
{
	lockdep_assert_held(&rc.lock);
	mutex_lock(&host.lock);
	if (rc_host_live() && !host.suspended) {
		rc_host_describe();
		/*
		 * The library refuses (BUSY) while it commits an earlier
		 * change: the completion sets push_again and the tick asks
		 * again, so no generation stays undistributed.
		 */
		rc_host_push();
	}
	mutex_unlock(&host.lock);
}

void rc_host_set_request_handler(rc_host_request_fn fn)
{
	WRITE_ONCE(host.req_fn, fn);
}

/* Master: carry out a slave's configuration request (no locks held). */
static void rc_host_req_fn(struct work_struct *work)
{
	rc_host_request_fn fn = READ_ONCE(host.req_fn);
	u32 rlen = 0, len, seq;
	int ret = -EOPNOTSUPP;
	u8 from;
	void *req;

	/* A copy: the next request may arrive while this one runs. */
	req = kmalloc(RC_WIRE_MAX_PAYLOAD, GFP_KERNEL);
	if (!req)
		return;		/* the slave times out: BUSY */
	mutex_lock(&host.lock);
	len = host.req_in_len;
	seq = host.req_in_seq;
	from = host.req_in_from;
	memcpy(req, host.req_in, len);
	mutex_unlock(&host.lock);
	pr_info("configuration request from node %u\n", from);
	if (fn)
		ret = fn(req, len, host.req_out, &rlen);
	kfree(req);
	mutex_lock(&host.lock);
	if (rc_host_live() && seq == host.req_in_seq) {
		rc_node_host_request_done(host.node, rc_host_now(),
					  ret ? RC_SCSI_CHECK_CONDITION :
					  RC_SCSI_GOOD, host.req_out,
					  min_t(u32, rlen, sizeof(host.req_out)));
		rc_host_drain();
	}
	mutex_unlock(&host.lock);
}

int rc_host_request(const void *req, u32 len, void *reply, u32 *rlen,
		    char *msg)
{
	struct rc_host_cmd cmd = { .op = RC_HOST_REQUEST, .buf = req,
				   .len = len };
	struct rc_host_wait *w = NULL;
	u8 master = READ_ONCE(host.master);
	unsigned int i;
	long left;
	int ret;

	if (mutex_lock_interruptible(&host.req_mutex))
		return -EINTR;
	mutex_lock(&host.lock);
	for (i = 0; i < RC_HOST_CMDS && !w; i++)
		if (!host.waits[i].cookie)
			w = &host.waits[i];
	ret = -EAGAIN;
	if (!w || !rc_host_live() || host.suspended)
		goto out_unlock;
	memset(w, 0, sizeof(*w));
	w->cookie = ++host.next_cookie;
	cmd.cookie = w->cookie;
	host.req_cookie = w->cookie;
	host.req_reply_len = 0;
	ret = rc_node_host_cmd(host.node, rc_host_now(), &cmd);
	rc_host_drain();
	if (ret) {
		memset(w, 0, sizeof(*w));
		goto out_unlock;
	}
	mutex_unlock(&host.lock);
	/* The master checks its cables and writes the COD first. */
	left = wait_event_interruptible_timeout(host.cmd_wq, READ_ONCE(w->done),
						RC_HOST_CMD_TIMEOUT);
	mutex_lock(&host.lock);
	if (!w->done) {
		w->abandoned = true;
		host.req_cookie = 0;
		ret = left < 0 ? -EINTR : -ETIMEDOUT;
		rc_msg(msg, "no answer from the master, node %u", master);
		goto out_unlock;
	}
	ret = 0;
	if (w->status == RC_SCSI_BUSY || !host.req_reply_len) {
		rc_msg(msg, "the master (node %u) did not carry out the change (busy, or it left): check 'status' and try again",
		       master);
		ret = -EAGAIN;
	} else {
		*rlen = host.req_reply_len;
		memcpy(reply, host.req_reply, host.req_reply_len);
	}
	memset(w, 0, sizeof(*w));
	host.req_cookie = 0;
out_unlock:
	if (ret == -EAGAIN && !msg[0])
		rc_msg(msg, "node %u cannot reach the master now: %s",
		       host.self, rc_host_why_not_nexus());
	mutex_unlock(&host.lock);
	mutex_unlock(&host.req_mutex);
	return ret;
}

static int rc_host_resv(u8 op, unsigned int ld, char *msg)
{
	struct rc_host_cmd cmd = { .op = op, .ld = ld };
	u8 status = RC_SCSI_BUSY, holder;
	int ret;

	if (ld >= RC_MAX_LDS) {
		rc_msg(msg, "no logical drive %u", ld);
		return -ENOENT;
	}
	ret = rc_host_wait_nexus(msg);
	if (ret)
		return ret;
	ret = rc_host_cmd(&cmd, &status, msg);
	if (ret)
		return ret;
	holder = rc_host_holder(ld);
	switch (status) {
	case RC_SCSI_GOOD:
		return 0;
	case RC_SCSI_RESERVATION_CONFLICT:
		/*
		 * Lost to a simultaneous reserve of a higher ID: its grant
		 * reaches us a moment after our refusal.
		 */
		if (holder == RC_HOLDER_NONE)
			wait_event_interruptible_timeout(host.resv_wq,
				(holder = rc_host_holder(ld)) != RC_HOLDER_NONE,
				msecs_to_jiffies(host.params.reply_timeout_ms));
		if (holder != RC_HOLDER_NONE && holder != host.self)
			rc_msg(msg, "rcl%u is reserved by node %u", ld, holder);
		else
			rc_msg(msg, "rcl%u: reservation conflict", ld);
		return -EBUSY;
	default:
		rc_msg(msg, "node %u cannot %s rcl%u now (SCSI status 0x%02x): not in nexus or busy",
		       host.self, op == RC_HOST_RESERVE ? "reserve" :
		       op == RC_HOST_PREEMPT ? "preempt" : "release", ld, status);
		return -EAGAIN;
	}
}

static int rc_host_take(u8 op, unsigned int ld, char *msg)
{
	int ret = rc_host_resv(op, ld, msg);

	if (!ret) {
		mutex_lock(&host.lock);
		host.releasing &= ~BIT(ld);	/* an unfinished release ends */
		rc_host_publish();
		mutex_unlock(&host.lock);
	}
	return ret;
}

int rc_host_reserve(unsigned int ld, char *msg)
{
	return rc_host_take(RC_HOST_RESERVE, ld, msg);
}

int rc_host_preempt(unsigned int ld, char *msg)
{
	return rc_host_take(RC_HOST_PREEMPT, ld, msg);
}

void rc_host_ld_queue(unsigned int ld, struct request_queue *q)
{
	if (ld >= RC_MAX_LDS)
		return;
	mutex_lock(&host.lock);		/* no drain runs on it after this */
	host.queues[ld] = q;
	mutex_unlock(&host.lock);
}

void rc_host_release_begin(unsigned int ld)
{
	if (ld >= RC_MAX_LDS)
		return;
	mutex_lock(&host.lock);
	host.releasing |= BIT(ld);
	rc_host_publish();
	mutex_unlock(&host.lock);
}

int rc_host_release(unsigned int ld, char *msg)
{
	int ret = rc_host_resv(RC_HOST_RELEASE, ld, msg);

	/*
	 * Interrupted or unanswered: the release may still go out, so this
	 * node keeps not writing the drive until it reserves it again.
	 */
	if (ld < RC_MAX_LDS && ret != -EINTR && ret != -ETIMEDOUT) {
		mutex_lock(&host.lock);
		host.releasing &= ~BIT(ld);
		rc_host_publish();
		mutex_unlock(&host.lock);
	}
	return ret;
}

/* --- suspension and Node_Kill ------------------------------------------------ */

int rc_host_resume(char *msg)
{
	mutex_lock(&host.lock);
	if (!host.started || host.fatal || host.stopping) {
		mutex_unlock(&host.lock);
		rc_msg(msg, "node %u is not in a cluster: %s", host.self,
		       rc_host_why_not_nexus());
		return -EAGAIN;
	}
	if (!host.suspended || host.restarting) {
		mutex_unlock(&host.lock);
		rc_msg(msg, "node %u is not suspended", host.self);
		return -EALREADY;
	}
	pr_info("node %u resumes (an administrator asked): it joins again with a new incarnation\n",
		host.self);
	host.restarting = true;
	rc_host_publish();
	/* the requests accepted before the suspension end first */
	rc_host_drain_queues();
	queue_work(system_unbound_wq, &host.restart_work);
	mutex_unlock(&host.lock);
	if (wait_event_interruptible(host.nexus_wq,
				     !READ_ONCE(host.restarting) ||
				     READ_ONCE(host.stopping) ||
				     READ_ONCE(host.fatal)))
		return -EINTR;
	return rc_host_wait_nexus(msg);
}

int rc_host_kill(unsigned int id, char *msg)
{
	struct rc_host_cmd cmd = { .op = RC_HOST_KILL, .node = id };
	u8 status = RC_SCSI_BUSY;
	int ret;

	if (id >= RC_MAX_NODES) {
		rc_msg(msg, "node ID %u out of range (0..%u)", id,
		       RC_MAX_NODES - 1);
		return -EINVAL;
	}
	if (id == host.self) {
		rc_msg(msg, "node %u is this node: kill it from another node",
		       id);
		return -EINVAL;
	}
	ret = rc_host_wait_nexus(msg);
	if (ret)
		return ret;
	ret = rc_host_cmd(&cmd, &status, msg);
	if (ret)
		return ret;
	switch (status) {
	case RC_SCSI_GOOD:
		pr_warn("node %u killed on request and fenced: its drives may be taken over\n",
			id);
		return 0;
	case RC_SCSI_CHECK_CONDITION:
		rc_msg(msg, "no node %u is known on these disks", id);
		return -ENOENT;
	default:
		rc_msg(msg, "node %u cannot kill node %u now (not in nexus or busy)",
		       host.self, id);
		return -EAGAIN;
	}
}

/* --- views ----------------------------------------------------------------- */

int rc_host_node_info(struct rc_ioc_node_info *a)
{
	struct rc_peer_view v = {};
	u8 state = RC_NS_NONE, info = RC_NI_NONE;

	if (a->id >= RC_MAX_NODES) {
		rc_msg(a->hdr.msg, "node ID %u out of range (0..%u)", a->id,
		       RC_MAX_NODES - 1);
		return -EINVAL;
	}
	mutex_lock(&host.lock);
	a->self = host.self;
	a->flags = a->id == host.self ? RC_NODE_F_SELF : 0;
	a->master = RC_IOC_NO_NODE;
	if (host.started && !host.fatal) {
		a->flags |= RC_NODE_F_RUNNING;
		if (rc_node_in_nexus(host.node) && !host.suspended)
			a->flags |= RC_NODE_F_NEXUS;
		if (rc_host_pr_fencing())
			a->flags |= RC_NODE_F_DISK_PR;
		rc_node_peer_view(host.node, a->id, rc_host_now(), &v);
		/* What the node says of itself; this node's view may lag. */
		state = v.known ? v.own_state : v.state;
		info = v.known ? v.own_info : v.info;
		if (a->id == host.self) {
			state = rc_node_state(host.node);
			info = rc_node_info(host.node);
		}
	}
	mutex_unlock(&host.lock);
	if (v.known)
		a->flags |= RC_NODE_F_KNOWN;
	if (v.live)
		a->flags |= RC_NODE_F_LIVE;
	if (v.booting)
		a->flags |= RC_NODE_F_BOOTING;
	if (v.suspended)
		a->flags |= RC_NODE_F_SUSPENDED;
	if (v.fenced)
		a->flags |= RC_NODE_F_FENCED;
	a->state = state;
	a->info = info;
	if (v.known || a->id == host.self)
		a->master = v.master;
	a->connected = v.connected;
	a->comm_channel = v.comm_channel;
	a->incarnation = v.incarnation;
	a->heartbeat = v.heartbeat;
	a->hb_age_ms = v.hb_age_ms;
	strscpy(a->state_name, rc_node_state_name(state),
		sizeof(a->state_name));
	strscpy(a->info_name, rc_node_info_name(info), sizeof(a->info_name));
	return 0;
}

void rc_host_proc_show(struct seq_file *m)
{
	unsigned int id;

	mutex_lock(&host.lock);
	seq_printf(m, "node %u: %s", host.self,
		   !host.started ? "not started (no member disk attached)" :
		   host.fatal ? "stopped (protocol error)" :
		   host.suspended ? "suspended" :
		   rc_node_in_nexus(host.node) ? "in nexus" : "joining");
	if (host.started && !host.fatal) {
		u8 master = rc_node_master(host.node);

		struct rc_peer_view v = {};

		rc_node_peer_view(host.node, host.self, rc_host_now(), &v);
		seq_printf(m, ", %s/%s, incarnation %u",
			   rc_node_state_name(rc_node_state(host.node)),
			   rc_node_info_name(rc_node_info(host.node)),
			   v.incarnation);
		if (master != RC_NO_NODE)
			seq_printf(m, ", master %u", master);
	}
	seq_puts(m, "\n");
	if (host.started && !host.fatal)
		seq_printf(m, "fencing: %s\n",
			   rc_host_pr_fencing() ? "disk PR" : "lease only");
	for (id = 0; host.started && !host.fatal && id < RC_MAX_NODES; id++) {
		struct rc_peer_view v;

		if (id == host.self ||
		    rc_node_peer_view(host.node, id, rc_host_now(), &v) ||
		    !v.known)
			continue;
		seq_printf(m, "peer %u: %s/%s%s%s, incarnation %u, heartbeat age %llu ms\n",
			   id, rc_node_state_name(v.own_state),
			   rc_node_info_name(v.own_info), v.live ? "" : ", not live",
			   v.suspended ? ", suspended" : "", v.incarnation,
			   v.hb_age_ms);
	}
	mutex_unlock(&host.lock);
}

/* --- life ------------------------------------------------------------------ */

int rc_host_init(unsigned int node_id)
{
	unsigned int i;

	mutex_init(&host.lock);
	init_waitqueue_head(&host.idle);
	init_waitqueue_head(&host.cmd_wq);
	init_waitqueue_head(&host.nexus_wq);
	init_waitqueue_head(&host.resv_wq);
	init_llist_head(&host.done);
	INIT_DELAYED_WORK(&host.tick, rc_host_tick_fn);
	INIT_WORK(&host.done_work, rc_host_done_fn);
	INIT_WORK(&host.restart_work, rc_host_restart_fn);
	INIT_WORK(&host.cfg_work, rc_host_cfg_fn);
	INIT_WORK(&host.req_work, rc_host_req_fn);
	INIT_WORK(&host.rb_work, rc_host_rb_work_fn);
	INIT_WORK(&host.rb_rec_work, rc_host_rb_rec_fn);
	INIT_WORK(&host.pr_work, rc_host_pr_fn);
	INIT_WORK(&host.fenced_work, rc_host_fenced_fn);
	init_waitqueue_head(&host.rb_wq);
	spin_lock_init(&host.rb_lock);
	mutex_init(&host.req_mutex);
	atomic_set(&host.inflight, 0);
	for (i = 0; i < RC_MAX_DISKS; i++)
		atomic_set(&host.disks[i].busy, 0);
	for (i = 0; i < RC_MAX_LDS; i++) {
		host.holder[i] = RC_HOLDER_NONE;
		atomic_set(&host.rb_units[i], 0);
	}
	host.master = RC_NO_NODE;
	host.self = node_id;
	host.node = kvzalloc(rc_node_size(), GFP_KERNEL);
	host.rbuf = kvmalloc(RC_NIO_MAX_BYTES, GFP_KERNEL);
	/* Heartbeats must be written under memory pressure too. */
	host.wq = alloc_ordered_workqueue("raidcluster_node", WQ_MEM_RECLAIM |
					  WQ_HIGHPRI);
	if (!host.node || !host.rbuf || !host.wq) {
		rc_host_exit();
		return -ENOMEM;
	}
	rc_node_reset(host.node);
	return 0;
}

void rc_host_stop(void)
{
	unsigned int i;

	mutex_lock(&host.lock);
	host.stopping = true;
	rc_host_publish();
	mutex_unlock(&host.lock);
	wake_up_all(&host.nexus_wq);
	if (host.wq) {
		cancel_delayed_work_sync(&host.tick);
		cancel_work_sync(&host.restart_work);
	}
	/* The I/O in flight ends (or times out on the disk's own timer). */
	wait_event(host.idle, !atomic_read(&host.inflight));
	if (host.wq)
		flush_workqueue(host.wq);
	cancel_work_sync(&host.cfg_work);
	cancel_work_sync(&host.req_work);
	cancel_work_sync(&host.rb_rec_work);
	cancel_work_sync(&host.pr_work);
	cancel_work_sync(&host.fenced_work);
	/* A node that leaves takes its keys with it (module unload). */
	mutex_lock(&host.lock);
	for (i = 0; i < RC_MAX_DISKS; i++)
		rc_host_pr_unregister(&host.disks[i]);
	mutex_unlock(&host.lock);
}

void rc_host_exit(void)
{
	if (host.wq)
		destroy_workqueue(host.wq);
	host.wq = NULL;
	kvfree(host.rbuf);
	kvfree(host.node);
	host.rbuf = NULL;
	host.node = NULL;
}
