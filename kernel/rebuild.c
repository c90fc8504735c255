// SPDX-License-Identifier: GPL-2.0
/*
 * Local rebuild of one failed member of a running drive onto a new disk
 * (RC_IOC_REBUILD), while the drive serves I/O.
 *
 * The member being rebuilt ("target") stays failed for reads until the end.
 * RAID 1/10 send every write to it as md's raid1_write_request() does to a
 * recovering member (rc_rebuild_gets_writes()), wherever the write lies:
 * below the position it keeps what was copied current, above it the engine
 * copies the same data again later, and a write across the position (RAID 1
 * pieces are whole bios) has both halves right.  Only a send that depends
 * on the position would leave the part below it stale whenever no window is
 * fenced (at start, in every throttle sleep).  RAID 5 rows are rebuilt
 * whole under their stripe lock: a row's writes reach the target once the
 * position has passed the row (rc_rebuild_writable()).  The engine copies upwards,
 * several units in flight at once (md's recovery keeps RESYNC_DEPTH), each
 * unit read -> (RAID 5: XOR) -> written, stages driven by bio completions:
 *  - RAID 1/10: windows of member space, copied from a usable copy.  The
 *    in-flight range is fenced like md's resync barrier: foreground writes
 *    that overlap it wait; writes begun before it grew were drained first
 *    (two epochs of in-flight counters), so the engine never reads a block
 *    a write is still changing and no write skips the target behind it;
 *  - RAID 5: rows, each rebuilt from the rest of the row under its stripe
 *    lock, which every RAID 5 write holds too.
 * Units retire in order: the position is the start of the lowest unit not
 * yet written, and a unit's fence or lock goes only once the position has
 * passed it.
 * The position goes into the COD through the configuration worker
 * (rc_rebuild_sync(), called by rc_sync_failures()), so a reload resumes
 * from the last checkpoint (rc_rebuild_prepare()).  Speed: at most
 * rebuild_speed_max KiB/s, and rebuild_speed_min KiB/s while foreground
 * requests arrived within the last half second, as md's speed_limit_*.
 *
 * The same engine builds a new RAID 5 drive's parity ("resync", as md
 * does for a new array): created over disks that held anything, its
 * parity is garbage, and read-modify-write would carry that garbage into
 * every later parity update, so reconstruction after a member failure
 * would return wrong data for blocks the user wrote.  A resync unit is a
 * row: its data chunks are read and their XOR written to the row's parity
 * member, under the row's stripe lock.  Above the resync position the
 * data path writes with reconstruct-write (rc_rebuild_r5_in_sync()), so
 * every sector written there has right parity even before the engine gets
 * there; reads need no parity.  The position is checkpointed in the drive
 * record's resync_pos and resumed after a reload.  A resync needs every
 * member: it stops when the drive is degraded (the rows above the position
 * keep being written with reconstruct-write), and a rebuild replaces it,
 * since rebuilding a row from the others makes it consistent too.
 *
 * The engine is a separate unit driven by rc_rebuild_prepare()/_kick()/
 * _stop() and the ioctl: the cluster coordination of a later issue can
 * call it the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "rc.h"
#include "node.h"

/*
 * The defaults of every drive's rebuild_speed_min/_max (sysfs): a drive
 * follows these until its own are set, as md's sync_speed_min/_max follow
 * speed_limit_min/_max.
 */
static unsigned int rebuild_speed_min = 1000;
module_param(rebuild_speed_min, uint, 0644);
MODULE_PARM_DESC(rebuild_speed_min,
		 "default rebuild/resync speed while a drive has foreground I/O, KiB/s (default 1000)");
static unsigned int rebuild_speed_max = 200000;
module_param(rebuild_speed_max, uint, 0644);
MODULE_PARM_DESC(rebuild_speed_max,
		 "default rebuild/resync speed of an idle drive, KiB/s (default 200000)");

/* A drive's speed limit: its own (@local, 0: none) or the module's. */
static unsigned int rc_rb_speed(const unsigned int *local,
				const unsigned int *system)
{
	unsigned int v = READ_ONCE(*local);

	return v ? v : READ_ONCE(*system);
}

/*
 * The engine keeps up to RC_RB_SLOTS units of work in flight, as md's
 * recovery keeps RESYNC_DEPTH requests behind its barrier: while one
 * window is written to the target the next ones are already being read,
 * so neither disk waits for the other.  A RAID 1/10 unit is a window of
 * RC_RB_WINDOW member sectors (1 MiB, at least a chunk), a RAID 5 unit one
 * row.  RC_RB_BUF_SECTORS caps the buffers of one rebuild at 8 MiB: 8 x
 * 1 MiB windows (16 rows of a 4-member 64 KiB RAID 5) cover a disk's
 * bandwidth-delay product (200 MB/s x 10 ms = 2 MB) several times over and
 * fill the member queues with large commands, yet pin little memory and
 * keep the range a foreground write may have to wait for small.
 */
#define RC_RB_WINDOW 2048u		/* RAID 1/10: sectors per window */
#define RC_RB_SLOTS 16			/* units in flight at most */
#define RC_RB_BUF_SECTORS 16384u	/* buffer sectors of one rebuild */
#define RC_RB_CHECKPOINT_MS 1000	/* COD position update period */
#define RC_RB_RATE_MS 2000		/* rate measurement period */
#define RC_RB_IDLE_RATE_MS 30000	/* ... longest, without a move */
#define RC_RB_FG_MS 500			/* foreground I/O counts this long */
#define RC_RB_SLEEP_MS 500		/* shortest throttle sleep, as md */

enum rc_rb_state {
	RC_RB_READ,			/* reads in flight */
	RC_RB_WRITE,			/* the target's write in flight */
	RC_RB_DONE,			/* copied */
	RC_RB_DEAD,			/* abandoned (error, stop): not copied */
};

/* One unit in flight: a RAID 1/10 window or a RAID 5 row. */
struct rc_rb_slot {
	struct rc_rebuild *rb;
	u64 lo, hi;			/* member sectors */
	enum rc_rb_state state;
	int src;			/* RAID 1/10: copy read from */
	unsigned int dst;		/* member written: target, or parity */
	atomic_t pending;		/* bios of the stage + 1 while issuing */
	atomic_t failed;		/* member errors of the stage */
	struct page **pages;		/* rb->slot_pages of rb->pages */
};

struct rc_rebuild {
	struct rc_ldev *ld;
	bool resync;			/* RAID 5 parity build, no target */
	unsigned int member;		/* the target (rebuild) */
	struct task_struct *task;
	u64 pos;			/* member sectors in sync; READ_ONCE */
	u64 total;			/* member sectors to rebuild */
	u64 first;			/* where this run started */
	u64 rate;			/* sectors per second, recent */
	bool done;			/* finished: the member is online */
	bool aborted;			/* the target or last source failed
					 * (resync: the drive is degraded)
					 */
	spinlock_t lock;		/* window and epoch */
	wait_queue_head_t wait;		/* foreground writes: fence, drain */
	u64 win_lo, win_hi;		/* drive sectors fenced (RAID 1/10) */
	unsigned int epoch;
	atomic_t inflight[2];		/* writes begun per epoch */
	unsigned long last_fg;		/* jiffies of the last request */
	/* The engine thread's own state. */
	wait_queue_head_t io_wait;	/* a stage of a slot completed */
	u64 next;			/* member sector of the next unit */
	u64 unit;			/* member sectors per unit */
	unsigned int nslots, head, busy; /* ring of busy slots from @head */
	unsigned int unit_pages;	/* pages per unit (a chunk, a window) */
	unsigned int slot_pages;	/* pages per slot */
	unsigned long thr_mark;		/* jiffies: throttle period start */
	u64 thr_base;			/* @next at @thr_mark */
	/*
	 * The cluster's permit (rc_host_rebuild_permit()), engine thread
	 * only; and the position hand-over under @lock: the engine parks
	 * (nothing in flight, none issuing) when it has no permit, and
	 * rc_rebuild_take() moves a parked engine.
	 */
	bool permitted;
	u32 permit_seq;
	bool permit_held;		/* ... given while this node held the drive */
	u32 permit_resv;		/* ... at this rc_host_resv_seq() */
	bool ended_reported;		/* the end of this permit is reported */
	bool issuing;			/* rc_rb_issue() runs (@lock) */
	u64 cod_pos;			/* the COD's checkpoint; READ_ONCE */
	bool taken;			/* rc_rebuild_take() for this holding */
	u32 take_seq;
	struct page **pages;		/* nslots * slot_pages */
	struct rc_rb_slot slot[RC_RB_SLOTS];
};

/* Member sectors of @permille of the target, and back. */
static u64 rc_rb_at_permille(const struct rc_rebuild *rb, u32 permille)
{
	return div_u64(rb->total * min(permille, 1000u), 1000);
}

static u32 rc_rb_permille(const struct rc_rebuild *rb, u64 pos)
{
	return rb->total ? (u32)div64_u64(min(pos, rb->total) * 1000,
					  rb->total) : 0;
}

/*
 * Move the engine to member sector @pos (a chunk boundary at or below):
 * rb->lock held, nothing in flight or being issued.
 */
static void rc_rb_seek(struct rc_rebuild *rb, u64 pos)
{
	pos &= ~(u64)(rb->ld->geom.chunk - 1);
	pos = min(pos, rb->total);
	WRITE_ONCE(rb->pos, pos);
	rb->next = pos;
	rb->first = pos;
	rb->thr_base = pos;
	rb->thr_mark = jiffies;
	rb->win_lo = 0;
	rb->win_hi = 0;
}

static bool rc_rb_overlaps(struct rc_rebuild *rb, u64 lo, u64 hi)
{
	return lo < rb->win_hi && rb->win_lo < hi;
}

/* Is @member the target of a running rebuild on a usable disk?  Any context. */
bool rc_rebuild_gets_writes(const struct rc_ldev *ld, unsigned int member)
{
	struct rc_rebuild *rb = READ_ONCE(ld->rb);

	return rb && test_bit(RC_MEM_REBUILDING, &ld->mem[member].flags) &&
	       rb->member == member && rc_mdisk_usable(ld->mem[member].md);
}

/*
 * Does the rebuild target @member hold member sectors up to @mend (the
 * position has passed them)?  Any context.
 */
bool rc_rebuild_writable(const struct rc_ldev *ld, unsigned int member,
			 u64 mend)
{
	return rc_rebuild_gets_writes(ld, member) &&
	       mend <= READ_ONCE(READ_ONCE(ld->rb)->pos);
}

/* rc_cmd_work(), before the request's pieces go out.  Process context. */
void rc_rebuild_write_begin(struct rc_cmd *cmd, struct request *rq)
{
	struct rc_rebuild *rb = READ_ONCE(cmd->ld->rb);
	u64 lo = blk_rq_pos(rq), hi = lo + blk_rq_sectors(rq);

	if (!rb)
		return;
	WRITE_ONCE(rb->last_fg, jiffies);
	if (req_op(rq) != REQ_OP_WRITE || cmd->ld->geom.level == RC_RAID5)
		return;	/* RAID 5 writes hold the stripe lock instead */
	for (;;) {
		spin_lock(&rb->lock);
		if (!rc_rb_overlaps(rb, lo, hi)) {
			cmd->rb_epoch = rb->epoch + 1;
			atomic_inc(&rb->inflight[rb->epoch]);
			spin_unlock(&rb->lock);
			return;
		}
		spin_unlock(&rb->lock);
		wait_event(rb->wait, !rc_rb_overlaps(rb, lo, hi));
	}
}

/* The request ends.  Any context. */
void rc_rebuild_write_end(struct rc_cmd *cmd)
{
	struct rc_rebuild *rb = cmd->ld->rb;

	if (!cmd->rb_epoch)
		return;
	if (atomic_dec_and_test(&rb->inflight[cmd->rb_epoch - 1]))
		wake_up_all(&rb->wait);
	cmd->rb_epoch = 0;
}

/*
 * Drop a stage reference; the last one wakes the engine.  Under the wait
 * queue's lock, so that the engine, which takes that lock once before it
 * ends, never frees the state while a completion still touches it.
 */
static void rc_rb_put(struct rc_rb_slot *s)
{
	wait_queue_head_t *wq = &s->rb->io_wait;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (atomic_dec_and_test(&s->pending))
		wake_up_locked(wq);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void rc_rb_endio(struct bio *bio)
{
	struct rc_rb_slot *s = bio->bi_private;
	unsigned int member = container_of(bio, struct rc_mbio, bio)->member;

	if (bio->bi_status) {
		rc_member_bio_failed(s->rb->ld, member, bio);
		atomic_inc(&s->failed);
	}
	bio_put(bio);
	rc_rb_put(s);
}

/* Start a stage of @s: no bio yet, the issuer holds one reference. */
static void rc_rb_stage(struct rc_rb_slot *s, enum rc_rb_state state)
{
	s->state = state;
	atomic_set(&s->failed, 0);
	atomic_set(&s->pending, 1);
}

/*
 * Send a bio of @s's member sectors [lo, hi) from or to @member, on the
 * slot's pages from page @first.  A member that is not usable counts as a
 * failure of the stage.
 */
static void rc_rb_bio(struct rc_rb_slot *s, unsigned int member,
		      unsigned int first, blk_opf_t opf)
{
	struct rc_ldev *ld = s->rb->ld;
	struct rc_member *mem = &ld->mem[member];
	unsigned int i, spp = PAGE_SIZE >> SECTOR_SHIFT;
	u32 len = s->hi - s->lo;
	struct bio *bio;

	/* a rebuild target is failed for reads, but its disk must work */
	if (!rc_mdisk_usable(mem->md) ||
	    ((s->rb->resync || member != s->rb->member) &&
	     !rc_mem_usable(ld, member))) {
		atomic_inc(&s->failed);
		return;
	}
	bio = bio_alloc_bioset(mem->md->bdev, DIV_ROUND_UP(len, spp), opf,
			       GFP_NOIO, &rc.page_bioset);
	container_of(bio, struct rc_mbio, bio)->member = member;
	bio->bi_iter.bi_sector = mem->start + s->lo;
	for (i = 0; i * spp < len; i++)
		__bio_add_page(bio, s->pages[first + i],
			       min_t(u32, len - i * spp, spp) << SECTOR_SHIFT,
			       0);
	bio->bi_private = s;
	bio->bi_end_io = rc_rb_endio;
	atomic_inc(&s->pending);
	submit_bio_noacct(bio);
}

/* RAID 1/10: a usable copy of the target's data, or -1. */
static int rc_rb_source(struct rc_rebuild *rb)
{
	struct rc_ldev *ld = rb->ld;
	unsigned int i;

	if (ld->geom.level == RC_RAID10)
		return rc_mem_usable(ld, rb->member ^ 1) ? rb->member ^ 1 : -1;
	for (i = 0; i < ld->nmem; i++)
		if (i != rb->member && rc_mem_usable(ld, i))
			return i;
	return -1;
}

/* RAID 1/10: the drive sectors of member rows covering [lo, hi). */
static u64 rc_rb_drive(struct rc_rebuild *rb, u64 msec, bool up)
{
	const struct rc_geom *g = &rb->ld->geom;

	if (up)
		msec += g->chunk - 1;
	return (msec >> g->chunk_shift) * rc_geom_stripe_data_sectors(g);
}

/*
 * RAID 1/10: extend the fence up to member sector @hi, from the position
 * (the lowest window not copied) when nothing was fenced.  The epoch flips
 * and the writes begun before are drained: once this returns no write is
 * changing a block of the window and none that skipped the target lands
 * below the position later.  Those writes never wait for the engine.
 */
static void rc_rb_fence(struct rc_rebuild *rb, u64 hi)
{
	unsigned int old;

	spin_lock(&rb->lock);
	if (!rb->busy)
		rb->win_lo = rc_rb_drive(rb, READ_ONCE(rb->pos), false);
	rb->win_hi = rc_rb_drive(rb, hi, true);
	old = rb->epoch;
	rb->epoch ^= 1;
	spin_unlock(&rb->lock);
	wait_event(rb->wait, !atomic_read(&rb->inflight[old]));
}

/*
 * Retire the units at the bottom of the ring that are over, in order: the
 * position moves past each copied one, so it is always the end of the
 * lowest unit not copied, and the fence (RAID 1/10) or the row's stripe
 * lock (RAID 5) is dropped only once the position covers it: a foreground
 * write then either waits or finds the target writable.  Past a dead unit
 * the position stays (the engine is ending).
 */
static void rc_rb_retire(struct rc_rebuild *rb, bool *stuck)
{
	struct rc_ldev *ld = rb->ld;
	struct rc_rb_slot *s;
	bool moved = false;

	while (rb->busy) {
		s = &rb->slot[rb->head];
		if (s->state != RC_RB_DONE && s->state != RC_RB_DEAD)
			break;
		if (s->state == RC_RB_DEAD)
			*stuck = true;
		spin_lock(&rb->lock);
		if (!*stuck)
			WRITE_ONCE(rb->pos, s->hi);
		rb->head = (rb->head + 1) % rb->nslots;
		rb->busy--;
		if (!rb->busy) {
			rb->win_lo = 0;
			rb->win_hi = 0;
		} else if (!*stuck) {
			rb->win_lo = rc_rb_drive(rb, s->hi, false);
		}
		spin_unlock(&rb->lock);
		if (ld->geom.level == RC_RAID5)
			rc_stripe_unlock(ld, s->lo >> ld->geom.chunk_shift);
		if (!rb->resync)
			rc_host_rebuild_unit_end(ld->number);
		moved = true;
	}
	if (moved && ld->geom.level != RC_RAID5)
		wake_up_all(&rb->wait);
}

/* RAID 5: the target's chunk = XOR of the row's other chunks (pages). */
static void rc_rb_xor(struct rc_rb_slot *s, unsigned int nsrc)
{
	unsigned int per = s->rb->unit_pages;
	unsigned int npages = (s->hi - s->lo) >> (PAGE_SHIFT - SECTOR_SHIFT);
	void *srcs[RC_MAX_EXTENTS];
	unsigned int p, j;

	for (p = 0; p < npages; p++) {
		for (j = 1; j < nsrc; j++)
			srcs[j - 1] = page_address(s->pages[j * per + p]);
		rc_xor(page_address(s->pages[p]), srcs, nsrc - 1, PAGE_SIZE);
	}
}

/* Issue the reads of @s (state RC_RB_READ already counted). */
static void rc_rb_read(struct rc_rebuild *rb, struct rc_rb_slot *s)
{
	struct rc_ldev *ld = rb->ld;
	u16 members[RC_MAX_EXTENTS];
	unsigned int j, k = 0, per;

	rc_rb_stage(s, RC_RB_READ);
	if (ld->geom.level != RC_RAID5) {
		rc_rb_bio(s, s->src, 0, REQ_OP_READ);
	} else {
		/* Every other chunk of the row, each into its own buffer. */
		per = rb->unit_pages;
		rc_geom_r5_row_members(&ld->geom, s->lo >> ld->geom.chunk_shift,
				       members);
		for (j = 0; j < ld->nmem; j++)
			if (members[j] != s->dst)
				rc_rb_bio(s, members[j], k++ * per,
					  REQ_OP_READ);
	}
	rc_rb_put(s);
}

/* rc_rb_issue() starts nothing after all. */
static void rc_rb_issue_undo(struct rc_rebuild *rb)
{
	spin_lock(&rb->lock);
	rb->issuing = false;
	spin_unlock(&rb->lock);
	if (!rb->resync)
		rc_host_rebuild_unit_end(rb->ld->number);
}

/*
 * Start the next unit at rb->next if a slot, the rate and (RAID 5) the
 * stripe lock allow it.  Returns 1 issued, 0 not now, -EIO no source.
 */
static int rc_rb_issue(struct rc_rebuild *rb)
{
	struct rc_ldev *ld = rb->ld;
	u16 members[RC_MAX_EXTENTS];
	struct rc_rb_slot *s;
	u64 row;

	/* In a cluster: counted, so that a STOP can wait for it to end. */
	if (!rb->resync && !rc_host_rebuild_unit_begin(ld->number))
		return 0;
	s = &rb->slot[(rb->head + rb->busy) % rb->nslots];
	spin_lock(&rb->lock);
	rb->issuing = true;		/* rc_rebuild_take() keeps off */
	s->lo = rb->next;
	spin_unlock(&rb->lock);
	s->hi = min(rb->total, s->lo + rb->unit);
	s->dst = rb->member;
	if (ld->geom.level == RC_RAID5) {
		/*
		 * Only the first row waits for its lock: holding rows, the
		 * engine only tries another, so it never sleeps on a lock
		 * while holding one (stripe_lock.c's deadlock rule).
		 */
		row = s->lo >> ld->geom.chunk_shift;
		if (!rb->busy) {
			rc_stripe_lock(ld, row);
		} else if (!rc_stripe_trylock(ld, row)) {
			rc_rb_issue_undo(rb);
			return 0;
		}
		if (rb->resync) {
			/* the row's parity is what the resync writes */
			rc_geom_r5_row_members(&ld->geom, row, members);
			s->dst = members[ld->nmem - 1];
		}
	} else {
		s->src = rc_rb_source(rb);
		if (s->src < 0) {
			rc_rb_issue_undo(rb);
			return -EIO;
		}
		rc_rb_fence(rb, s->hi);
	}
	spin_lock(&rb->lock);
	rb->busy++;
	rb->next = s->hi;
	rb->issuing = false;
	spin_unlock(&rb->lock);
	rc_rb_read(rb, s);
	return 1;
}

/* Is a stage of a busy slot over?  (The engine's wait condition.) */
static bool rc_rb_ready(struct rc_rebuild *rb)
{
	unsigned int i;

	for (i = 0; i < rb->busy; i++) {
		struct rc_rb_slot *s = &rb->slot[(rb->head + i) % rb->nslots];

		if ((s->state == RC_RB_READ || s->state == RC_RB_WRITE) &&
		    !atomic_read(&s->pending))
			return true;
	}
	return false;
}

/*
 * Move every slot whose stage is over to its next stage: read -> write ->
 * done.  A failed read of a RAID 1/10 copy (already marked failed) is
 * retried from another copy; any other failure ends the rebuild with
 * -EIO.  With @quit set, nothing new is written.
 */
static void rc_rb_advance(struct rc_rebuild *rb, bool quit, int *err)
{
	struct rc_ldev *ld = rb->ld;
	unsigned int i, nsrc;

	for (i = 0; i < rb->busy; i++) {
		struct rc_rb_slot *s = &rb->slot[(rb->head + i) % rb->nslots];

		if ((s->state != RC_RB_READ && s->state != RC_RB_WRITE) ||
		    atomic_read(&s->pending))
			continue;
		smp_rmb();	/* the stage's failures and data after its end */
		if (s->state == RC_RB_WRITE) {
			if (atomic_read(&s->failed)) {
				s->state = RC_RB_DEAD;
				*err = -EIO;
			} else {
				s->state = RC_RB_DONE;
			}
			continue;
		}
		if (atomic_read(&s->failed) && ld->geom.level != RC_RAID5 &&
		    !quit && !*err) {
			s->src = rc_rb_source(rb);
			if (s->src >= 0) {
				rc_rb_read(rb, s);	/* that copy failed */
				continue;
			}
		}
		if (atomic_read(&s->failed) || quit || *err) {
			if (atomic_read(&s->failed))
				*err = -EIO;
			s->state = RC_RB_DEAD;
			continue;
		}
		nsrc = ld->nmem - 1;
		if (ld->geom.level == RC_RAID5 && nsrc > 1)
			rc_rb_xor(s, nsrc);
		rc_rb_stage(s, RC_RB_WRITE);
		rc_rb_bio(s, s->dst, 0, REQ_OP_WRITE);
		rc_rb_put(s);
	}
}

/*
 * Jiffies to wait before the next unit keeps the speed under the limit
 * (0: go).  When it is ahead the engine sleeps at least RC_RB_SLEEP_MS and
 * then issues what the limit allows at once, as md's recovery does, so a
 * limited rebuild still overlaps its reads and writes.
 */
static unsigned int rc_rb_kib_s(struct rc_rebuild *rb)
{
	unsigned long fg = READ_ONCE(rb->last_fg);
	unsigned int kib_s;

	kib_s = time_before(jiffies, fg + msecs_to_jiffies(RC_RB_FG_MS)) ?
		rc_rb_speed(&rb->ld->speed_min, &rebuild_speed_min) :
		rc_rb_speed(&rb->ld->speed_max, &rebuild_speed_max);
	return max(kib_s, 1u);
}

/* Milliseconds that @sectors take at the current limit. */
static u64 rc_rb_cost_ms(struct rc_rebuild *rb, u64 sectors)
{
	return div64_u64(sectors * 1000, rc_rb_kib_s(rb) * 2ull); /* KiB */
}

static unsigned long rc_rb_delay(struct rc_rebuild *rb)
{
	u64 want_ms, ms;

	want_ms = rc_rb_cost_ms(rb, min(rb->total, rb->next + rb->unit) -
				rb->thr_base);
	ms = jiffies_to_msecs(jiffies - rb->thr_mark);
	if (want_ms <= ms)
		return 0;
	return msecs_to_jiffies(max_t(u64, want_ms - ms, RC_RB_SLEEP_MS));
}

/*
 * A new throttle period (every RC_RB_RATE_MS).  While the engine waits for
 * the limit to allow its next unit, the period goes on: a limit at which
 * one unit takes longer than a period still lets the units through, at
 * that rate.  When the next unit is allowed already, the engine was held
 * up by something else (a permit, a writer, its slots): that unit stays
 * allowed, and of the time beyond it one period at most is kept, so the
 * engine does not burst to catch up.
 */
static void rc_rb_throttle_period(struct rc_rebuild *rb)
{
	u64 end = min(rb->total, rb->next + rb->unit);
	u64 ms = jiffies_to_msecs(jiffies - rb->thr_mark);
	u64 due_ms = rc_rb_cost_ms(rb, end - rb->thr_base);
	u64 keep;

	if (due_ms >= ms)
		return;
	keep = rc_rb_cost_ms(rb, end - rb->next) +
	       min_t(u64, ms - due_ms, RC_RB_RATE_MS);
	rb->thr_base = rb->next;
	rb->thr_mark = jiffies - msecs_to_jiffies(keep);
}

/*
 * May the engine start units now?  A resync: when this node may sync the
 * drive.  A rebuild: when the cluster's master told this node to
 * (rc_host_rebuild_permit()).  A permit taken back means another node may
 * have written the drive since: the position is forgotten (lower is always
 * safe: what was rebuilt is rebuilt again), and rc_rebuild_take() sets it
 * from what the cluster knows before this node writes the drive again.  A
 * new permit on a drive this node does not hold (the master rebuilds an
 * unheld drive, which nobody writes) starts at the position it carries or
 * the COD checkpoint, whichever is higher.
 */
/*
 * Has this node held the drive without a break since its last permit?
 * Then nobody else wrote it, and the engine's own position stands when the
 * permit is taken back or renewed (a new master's START for the same
 * holder): the master's number can only be older.
 */
static bool rc_rb_held_since(const struct rc_rebuild *rb)
{
	unsigned int number = rb->ld->number;

	return rb->permit_held && rc_host_holder(number) == rc.node_id &&
	       rc_host_resv_seq(number) == rb->permit_resv;
}

static bool rc_rb_go(struct rc_rebuild *rb)
{
	unsigned int number = rb->ld->number;
	enum rc_host_rebuild p;
	u32 from, seq;

	if (rb->resync)
		return rc_host_may_sync(number);
	p = rc_host_rebuild_permit(number, &from, &seq);
	if (p == RC_REBUILD_NONE) {
		if (rb->permitted && !rb->busy) {
			spin_lock(&rb->lock);
			rb->permitted = false;
			if (rc_host_in_protocol() && !rc_rb_held_since(rb))
				rc_rb_seek(rb, 0);
			spin_unlock(&rb->lock);
		}
		return false;
	}
	if (p == RC_REBUILD_WAIT)
		return false;
	if (!rb->permitted || seq != rb->permit_seq) {
		if (rb->busy)
			return false;	/* the last permit's units end first */
		spin_lock(&rb->lock);
		if (rb->permitted && !rc_rb_held_since(rb))
			rc_rb_seek(rb, 0);	/* STOP and START in one go */
		if (seq && rc_host_holder(number) != rc.node_id)
			rc_rb_seek(rb, max(rc_rb_at_permille(rb, from),
					   READ_ONCE(rb->cod_pos)));
		rb->permitted = true;
		rb->permit_seq = seq;
		rb->permit_held = rc_host_holder(number) == rc.node_id;
		rb->permit_resv = rc_host_resv_seq(number);
		rb->ended_reported = false;
		spin_unlock(&rb->lock);
		if (seq)
			pr_info("rcl%u: rebuilding member %u from sector %llu of %llu\n",
				number, rb->member, rb->pos, rb->total);
	}
	return true;
}

/*
 * The copy loop.  Returns 0 when everything is copied, -EIO when the
 * target or the last source failed, 1 when told to stop.  Every I/O has
 * ended and every fence and lock is released when it returns.  In a
 * cluster a finished rebuild is reported and the loop waits: the member
 * comes online when the master records it (rc_rebuild_follow()), and a
 * take-over may move the position back meanwhile.
 */
static int rc_rb_engine(struct rc_rebuild *rb)
{
	struct rc_ldev *ld = rb->ld;
	unsigned long mark = jiffies, ckpt = jiffies, timeout;
	u64 mark_pos = rb->pos;
	bool stop = false, stuck = false;
	int err = 0, ret;

	rb->next = rb->pos;
	rb->thr_mark = jiffies;
	rb->thr_base = rb->next;
	for (;;) {
		if (!stop && kthread_should_stop())
			stop = true;
		if (!err && (rb->resync ?
			     READ_ONCE(ld->state) != RC_LD_OPTIMAL :
			     !rc_mdisk_usable(ld->mem[rb->member].md)))
			err = -EIO;
		rc_rb_advance(rb, stop || err, &err);
		rc_rb_retire(rb, &stuck);
		if (time_after(jiffies, mark + msecs_to_jiffies(RC_RB_RATE_MS))) {
			/*
			 * Under a low limit the position moves a unit at a
			 * time: the rate is measured from one move to the
			 * next, up to RC_RB_IDLE_RATE_MS without one.
			 */
			if (rb->pos != mark_pos ||
			    time_after(jiffies, mark +
				       msecs_to_jiffies(RC_RB_IDLE_RATE_MS))) {
				WRITE_ONCE(rb->rate,
					   div_u64((rb->pos - mark_pos) * HZ,
						   jiffies - mark));
				mark = jiffies;
				mark_pos = rb->pos;
			}
			rc_rb_throttle_period(rb);
		}
		if (time_after(jiffies, ckpt + msecs_to_jiffies(RC_RB_CHECKPOINT_MS))) {
			ckpt = jiffies;
			queue_work(rc.cfg_wq, &rc.cfg_work);
			if (!rb->resync && rb->permitted && rb->permit_seq)
				rc_host_rebuild_report(ld->number,
						       rc_rb_permille(rb, rb->pos),
						       rb->permit_seq);
		}
		timeout = MAX_SCHEDULE_TIMEOUT;
		if (stop || err || rb->next >= rb->total) {
			if (rb->busy)
				;
			else if (stop || err || rb->resync ||
				 !rc_host_in_protocol())
				break;
			else if (rc_rb_go(rb) && !rb->ended_reported &&
				 rb->permit_seq) {
				/* Done here: the master records it. */
				rb->ended_reported = true;
				rc_host_rebuild_ended(ld->number, 0,
						      rb->permit_seq);
				pr_info("rcl%u: member %u rebuilt; online once the cluster records it\n",
					ld->number, rb->member);
			} else {
				timeout = msecs_to_jiffies(RC_RB_SLEEP_MS);
			}
		} else if (!rc_rb_go(rb)) {
			/* Not ours to rebuild now (another node's, or later). */
			timeout = msecs_to_jiffies(RC_RB_SLEEP_MS);
		} else if (rb->busy < rb->nslots) {
			timeout = rc_rb_delay(rb);
			if (!timeout) {
				ret = rc_rb_issue(rb);
				if (ret < 0)
					err = ret;
				if (ret)
					continue;
				/* RAID 5 row locked by a writer: wait for ours */
				timeout = MAX_SCHEDULE_TIMEOUT;
			}
		}
		/* The checkpoint and the rate need a tick now and then. */
		timeout = min_t(unsigned long, timeout,
				msecs_to_jiffies(RC_RB_CHECKPOINT_MS));
		wait_event_timeout(rb->io_wait,
				   rc_rb_ready(rb) ||
				   (!stop && kthread_should_stop()), timeout);
	}
	/* The last completion has left rc_rb_put(). */
	spin_lock_irq(&rb->io_wait.lock);
	spin_unlock_irq(&rb->io_wait.lock);
	if (err)
		return err;
	return stop ? 1 : 0;
}

static int rc_rb_thread(void *data)
{
	struct rc_rebuild *rb = data;
	struct rc_ldev *ld = rb->ld;
	int ret;

	if (rb->resync)
		pr_info("rcl%u: building parity (resync) from member sector %llu of %llu\n",
			ld->number, rb->pos, rb->total);
	else if (!rc_host_in_protocol())
		pr_info("rcl%u: rebuilding member %u from sector %llu of %llu\n",
			ld->number, rb->member, rb->pos, rb->total);
	else
		pr_info("rcl%u: member %u to rebuild; the cluster's master says which node does it\n",
			ld->number, rb->member);
	ret = rc_rb_engine(rb);
	if (ret > 0)
		return 0;	/* stopped: the COD keeps the checkpoint */
	if (rb->resync) {
		if (ret)
			pr_warn("rcl%u: resync stopped at member sector %llu: the drive is degraded; rows above are written with reconstruct-write\n",
				ld->number, rb->pos);
		else
			pr_info("rcl%u: parity built\n", ld->number);
		if (ret)
			WRITE_ONCE(rb->aborted, true);
		else
			WRITE_ONCE(rb->done, true);
	} else if (ret) {
		pr_err("rcl%u: rebuild of member %u stopped at sector %llu: I/O error\n",
		       ld->number, rb->member, rb->pos);
		clear_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags);
		WRITE_ONCE(rb->aborted, true);
		if (rb->permitted && rb->permit_seq)
			rc_host_rebuild_ended(ld->number, ret, rb->permit_seq);
	} else {
		/* Every write reaches it already; now reads may too. */
		clear_bit(RC_MEM_FAILED, &ld->mem[rb->member].flags);
		clear_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags);
		WRITE_ONCE(rb->done, true);
		rc_ld_update_state(ld);
		pr_info("rcl%u: member %u rebuilt\n", ld->number, rb->member);
	}
	queue_work(rc.cfg_wq, &rc.cfg_work);
	/* Wait for rc_rebuild_stop(): it owns the task's end. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void rc_rb_free_pages(struct rc_rebuild *rb)
{
	unsigned int i;

	if (!rb->pages)
		return;
	for (i = 0; i < rb->nslots * rb->slot_pages; i++)
		if (rb->pages[i])
			__free_page(rb->pages[i]);
	kfree(rb->pages);
	rb->pages = NULL;
}

/*
 * The engine's buffers: per slot a window (RAID 1/10), or the row's
 * chunks but the target's (RAID 5), as many slots as RC_RB_BUF_SECTORS holds (at least one).  The drive's geometry
 * never changes, so a later rebuild of the same drive reuses them.
 */
static int rc_rb_alloc_pages(struct rc_rebuild *rb)
{
	const struct rc_geom *g = &rb->ld->geom;
	unsigned int i, ndata;

	if (rb->pages)
		return 0;
	if (g->level == RC_RAID5) {
		rb->unit = g->chunk;
		ndata = rb->ld->nmem - 1;
	} else {
		rb->unit = max(RC_RB_WINDOW, g->chunk);
		ndata = 1;
	}
	rb->unit_pages = rb->unit >> (PAGE_SHIFT - SECTOR_SHIFT);
	rb->slot_pages = ndata * rb->unit_pages;
	rb->nslots = clamp_t(unsigned int,
			     RC_RB_BUF_SECTORS / (ndata * (u32)rb->unit), 1,
			     RC_RB_SLOTS);
	rb->pages = kcalloc(rb->nslots * rb->slot_pages, sizeof(*rb->pages),
			    GFP_KERNEL);
	if (!rb->pages)
		return -ENOMEM;
	for (i = 0; i < rb->nslots * rb->slot_pages; i++) {
		rb->pages[i] = alloc_page(GFP_KERNEL);
		if (!rb->pages[i]) {
			rc_rb_free_pages(rb);
			return -ENOMEM;
		}
	}
	for (i = 0; i < rb->nslots; i++) {
		rb->slot[i].rb = rb;
		rb->slot[i].pages = rb->pages + i * rb->slot_pages;
	}
	return 0;
}

/*
 * The drive's engine state with its buffers: ld->rb, or a new one for
 * rc_rb_setup() to publish (rc_rb_drop() frees it if unused).  Allocated
 * before any queue freeze: reclaim may need writes to this very drive.
 * rc.lock held.  NULL: out of memory.
 */
static struct rc_rebuild *rc_rb_get(struct rc_ldev *ld)
{
	struct rc_rebuild *rb = ld->rb;

	if (!rb) {
		rb = kzalloc(sizeof(*rb), GFP_KERNEL);
		if (!rb)
			return NULL;
		spin_lock_init(&rb->lock);
		init_waitqueue_head(&rb->wait);
		init_waitqueue_head(&rb->io_wait);
		rb->ld = ld;
	}
	if (rc_rb_alloc_pages(rb)) {
		if (rb != ld->rb)
			kfree(rb);
		return NULL;
	}
	return rb;
}

/* Free @rb from rc_rb_get() unless it is the drive's. */
static void rc_rb_drop(struct rc_ldev *ld, struct rc_rebuild *rb)
{
	if (rb == ld->rb)
		return;
	rc_rb_free_pages(rb);
	kfree(rb);
}

/*
 * Make member @member of @ld (its md and start set) the target of a
 * rebuild from member sector @pos, with @rb from rc_rb_get(); or, with
 * member RC_RB_RESYNC, start a RAID 5 resync there.  No request may be in
 * flight (a frozen queue, or the disk not added yet).  rc.lock held.
 */
#define RC_RB_RESYNC UINT_MAX
static void rc_rb_setup(struct rc_ldev *ld, struct rc_rebuild *rb,
			unsigned int member, u64 pos)
{
	rb->resync = member == RC_RB_RESYNC;
	rb->member = rb->resync ? 0 : member;
	rb->total = ld->geom.member_sectors;
	/* Restart at a row: RAID 5 rebuilds whole rows. */
	pos &= ~(u64)(ld->geom.chunk - 1);
	rb->pos = min(pos, rb->total);
	rb->first = rb->pos;
	rb->rate = 0;
	rb->done = false;
	rb->aborted = false;
	rb->win_lo = 0;
	rb->win_hi = 0;
	rb->head = 0;
	rb->busy = 0;
	rb->permitted = false;
	rb->permit_seq = 0;
	rb->ended_reported = false;
	rb->issuing = false;
	rb->cod_pos = 0;
	rb->taken = false;
	if (!rb->resync) {
		set_bit(RC_MEM_FAILED, &ld->mem[member].flags);
		set_bit(RC_MEM_REBUILDING, &ld->mem[member].flags);
	}
	WRITE_ONCE(ld->rb, rb);
	WRITE_ONCE(ld->rb_fence, true);
}

static int rc_rb_run(struct rc_ldev *ld)
{
	struct task_struct *t;

	t = kthread_run(rc_rb_thread, ld->rb, ld->rb->resync ? "rcl%u_resync" :
			"rcl%u_rebuild", ld->number);
	if (IS_ERR(t)) {
		if (ld->rb->resync)
			ld->rb->aborted = true;
		else
			clear_bit(RC_MEM_REBUILDING,
				  &ld->mem[ld->rb->member].flags);
		return PTR_ERR(t);
	}
	WRITE_ONCE(ld->rb->task, t);
	return 0;
}

/*
 * rc_ld_start(), before the gendisk exists: a member the COD says is
 * REBUILDING, on a usable disk, resumes from its checkpoint; else a RAID 5
 * whose parity is not built yet (resync_pos below its capacity) resumes
 * its resync.  The resync state must exist even when it cannot run (the
 * drive is degraded): it tells the data path which rows lack parity, so
 * without memory for it the drive does not start (-ENOMEM).  rc.lock held.
 */
int rc_rebuild_prepare(struct rc_ldev *ld, const struct rc_ld *rec)
{
	const struct rc_geom *g = &ld->geom;
	struct rc_rebuild *rb;
	unsigned int i;

	if (g->level == RC_RAID0)
		return 0;
	for (i = 0; i < ld->nmem; i++) {
		const struct rc_extent *ext = &rec->ext[i];

		if (ext->state != RC_EXT_REBUILDING || !ld->mem[i].md ||
		    !rc_mdisk_usable(ld->mem[i].md))
			continue;
		rb = rc_rb_get(ld);
		if (rb) {
			rc_rb_setup(ld, rb, i, ext->rebuild_pos);
			WRITE_ONCE(rb->cod_pos, rb->pos);
		} else
			pr_warn("rcl%u: cannot resume the rebuild of member %u\n",
				ld->number, i);
		return 0;
	}
	if (g->level != RC_RAID5 || rec->resync_pos >= rec->capacity)
		return 0;
	rb = rc_rb_get(ld);
	if (!rb)
		return -ENOMEM;
	/* resync_pos is in drive sectors, the engine counts member sectors */
	rc_rb_setup(ld, rb, RC_RB_RESYNC,
		    div_u64(rec->resync_pos, rc_geom_stripe_data_sectors(g)) <<
		    g->chunk_shift);
	if (READ_ONCE(ld->state) != RC_LD_OPTIMAL)
		rb->aborted = true;	/* the parity cannot be built degraded */
	return 0;
}

/* rc_ld_start(), once the gendisk exists. */
void rc_rebuild_kick(struct rc_ldev *ld)
{
	struct rc_rebuild *rb = ld->rb;

	if (!rb || rb->task)
		return;
	if (rb->resync ? rb->aborted || rb->done :
	    !test_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags))
		return;
	if (rc_rb_run(ld))
		pr_warn("rcl%u: %s thread not started\n", ld->number,
			rb->resync ? "resync" : "rebuild");
}

/*
 * RAID 5: does @row have right parity everywhere, so that a write may
 * update it by read-modify-write?  Not above the position of a resync
 * that has not finished (the data path then uses reconstruct-write).
 * The engine moves the position past a row before it unlocks it, so a
 * writer holding the row's stripe lock reads a position at least as new
 * as the row's own resync.  Any context.
 */
bool rc_rebuild_r5_in_sync(const struct rc_ldev *ld, u64 row)
{
	struct rc_rebuild *rb = READ_ONCE(ld->rb);

	if (!rb || !READ_ONCE(rb->resync) || READ_ONCE(rb->done))
		return true;
	return (row + 1) << ld->geom.chunk_shift <= READ_ONCE(rb->pos);
}

/* Stop the engine (drive stopping).  rc.lock held; the engine never takes it. */
void rc_rebuild_stop(struct rc_ldev *ld)
{
	struct rc_rebuild *rb = ld->rb;

	if (!rb || !rb->task)
		return;
	kthread_stop(rb->task);
	WRITE_ONCE(rb->task, NULL);
	/* No window stays fenced. */
	spin_lock(&rb->lock);
	rb->win_lo = 0;
	rb->win_hi = 0;
	spin_unlock(&rb->lock);
	wake_up_all(&rb->wait);
}

/*
 * A rebuild or resync that has ended (finished, failed or never started)
 * gives its buffers back, and the drive's writes leave the rebuild path:
 * no engine fences a window any more, so they need no epoch.  The small
 * state stays for what it reports (rc_rebuild_sync() records its end from
 * it) and the next rebuild, which sets it up again with the queue frozen.
 * Clearing the flag needs no freeze: a write in flight that took an epoch
 * ends it as before.  rc.lock held (spare work, rc_rebuild_follow()).
 */
void rc_rebuild_retire(struct rc_ldev *ld)
{
	struct rc_rebuild *rb = ld->rb;
	bool ended;

	if (!rb || !READ_ONCE(ld->rb_fence))
		return;
	if (rb->resync)
		ended = READ_ONCE(rb->done) || READ_ONCE(rb->aborted);
	else
		ended = !test_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags);
	if (!ended)
		return;
	rc_rebuild_stop(ld);	/* every fence released, every I/O ended */
	WRITE_ONCE(ld->rb_fence, false);
	rc_rb_free_pages(rb);
}

/* After the queue drained (or the drive never started): free it all. */
void rc_rebuild_free(struct rc_ldev *ld)
{
	if (!ld->rb)
		return;
	rc_rebuild_stop(ld);
	rc_rb_free_pages(ld->rb);
	kfree(ld->rb);
	ld->rb = NULL;
	ld->rb_fence = false;
}

/*
 * Carry the engine's progress into drive record @rec: the checkpoint, the
 * end (extent online) or an abort (extent failed).  rc.lock held.
 * Returns true when @rec changed.
 */
bool rc_rebuild_sync(struct rc_ldev *ld, struct rc_ld *rec)
{
	struct rc_rebuild *rb = ld->rb;
	struct rc_extent *ext;
	u64 pos;

	if (!rb)
		return false;
	if (rb->resync) {
		/* the row below the position, in drive sectors */
		pos = READ_ONCE(rb->done) ? rec->capacity :
		      (READ_ONCE(rb->pos) >> ld->geom.chunk_shift) *
		      rc_geom_stripe_data_sectors(&ld->geom);
		if (pos <= rec->resync_pos)
			return false;
		rec->resync_pos = min(pos, rec->capacity);
		return true;
	}
	ext = &rec->ext[rb->member];
	if (ext->state != RC_EXT_REBUILDING)
		return false;
	/*
	 * In a cluster the master records the checkpoints and the end from
	 * the executor's reports (rc_rebuild_record()): this node's engine
	 * may not be the one running.  A failure of its target it records
	 * like any failure.
	 */
	if (rc_host_in_protocol() && !READ_ONCE(rb->aborted) &&
	    rc_mdisk_usable(ld->mem[rb->member].md))
		return false;
	if (READ_ONCE(rb->done)) {
		ext->state = RC_EXT_ONLINE;
		ext->rebuild_pos = 0;
		/* every rebuilt row is consistent: no resync left */
		if (ld->geom.level == RC_RAID5)
			rec->resync_pos = rec->capacity;
		return true;
	}
	if (READ_ONCE(rb->aborted) ||
	    !rc_mdisk_usable(ld->mem[rb->member].md)) {
		ext->state = RC_EXT_FAILED;
		return true;
	}
	pos = READ_ONCE(rb->pos);
	if (pos == ext->rebuild_pos)
		return false;
	ext->rebuild_pos = pos;
	return true;
}

/*
 * RC_IOC_LD_INFO: progress of a running rebuild or resync (zero without
 * one).  Returns true for a resync.
 */
bool rc_rebuild_info(struct rc_ldev *ld, u64 *done, u64 *total, u64 *rate)
{
	struct rc_rebuild *rb = ld ? ld->rb : NULL;

	*done = 0;
	*total = 0;
	*rate = 0;
	if (!rb || READ_ONCE(rb->done) || READ_ONCE(rb->aborted) ||
	    (rb->resync ? !READ_ONCE(rb->task) :
	     !test_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags)))
		return false;
	*done = READ_ONCE(rb->pos);
	*total = rb->total;
	*rate = READ_ONCE(rb->rate);
	return rb->resync;
}

/*
 * What RC_IOC_LD_INFO and /proc/raidcluster report of drive @n's rebuild
 * or resync.  A rebuild in a cluster runs on one node (the drive's holder,
 * or the master): every node reports that node's progress as the cluster
 * knows it; the node running it, its own engine's.  rc.lock held.
 */
void rc_rebuild_progress(unsigned int n, struct rc_rebuild_progress *p)
{
	u32 permille, rate;
	u8 executor;

	p->node = RC_IOC_NO_NODE;
	p->resync = rc_rebuild_info(rc.lds[n], &p->done, &p->total, &p->rate);
	if (p->resync || !p->total || !rc_host_in_protocol())
		return;
	rc_host_rebuild_view(n, &executor, &permille, &rate);
	if (executor == RC_IOC_NO_NODE)	/* RC_NO_NODE: the same 0xff */
		return;
	p->node = executor;
	if (executor == rc.node_id)
		return;
	p->done = div_u64(p->total * permille, 1000);
	p->rate = div_u64(p->total * rate, 1000000);
}

/*
 * /sys/block/rclN/raidcluster/sync_action: what the engine does now, as
 * md's: "rebuild" (md: recover), "resync", or "idle".
 */
static ssize_t sync_action_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	u64 done, total, rate;
	bool resync;

	resync = rc_rebuild_info(dev_to_disk(dev)->private_data, &done, &total,
				 &rate);
	return sysfs_emit(buf, "%s\n", !total ? "idle" :
			  resync ? "resync" : "rebuild");
}
DEVICE_ATTR_RO(sync_action);

/*
 * /sys/block/rclN/raidcluster/rebuild: "DONE TOTAL RATE" in sectors and
 * sectors per second, "0 0 0" without a running rebuild.
 */
static ssize_t rebuild_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	u64 done, total, rate;

	rc_rebuild_info(dev_to_disk(dev)->private_data, &done, &total, &rate);
	return sysfs_emit(buf, "%llu %llu %llu\n", done, total, rate);
}
DEVICE_ATTR_RO(rebuild);

/*
 * /sys/block/rclN/raidcluster/rebuild_speed_min, _max: "KIB (system)"
 * while the drive follows the module parameter, "KIB (local)" once set;
 * writing "system" goes back to the module's.
 */
static ssize_t rc_rb_speed_show(unsigned int *local, unsigned int *system,
				char *buf)
{
	return sysfs_emit(buf, "%u (%s)\n", rc_rb_speed(local, system),
			  READ_ONCE(*local) ? "local" : "system");
}

static ssize_t rc_rb_speed_store(unsigned int *local, const char *buf,
				 size_t len)
{
	unsigned int v;
	int ret;

	if (sysfs_streq(buf, "system")) {
		WRITE_ONCE(*local, 0);
		return len;
	}
	ret = kstrtouint(buf, 10, &v);
	if (ret)
		return ret;
	if (!v)
		return -EINVAL;	/* at least 1 KiB/s; "system" for the default */
	WRITE_ONCE(*local, v);
	return len;
}

static ssize_t rebuild_speed_min_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct rc_ldev *ld = dev_to_disk(dev)->private_data;

	return rc_rb_speed_show(&ld->speed_min, &rebuild_speed_min, buf);
}

static ssize_t rebuild_speed_min_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t len)
{
	struct rc_ldev *ld = dev_to_disk(dev)->private_data;

	return rc_rb_speed_store(&ld->speed_min, buf, len);
}
DEVICE_ATTR_RW(rebuild_speed_min);

static ssize_t rebuild_speed_max_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct rc_ldev *ld = dev_to_disk(dev)->private_data;

	return rc_rb_speed_show(&ld->speed_max, &rebuild_speed_max, buf);
}

static ssize_t rebuild_speed_max_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t len)
{
	struct rc_ldev *ld = dev_to_disk(dev)->private_data;

	return rc_rb_speed_store(&ld->speed_max, buf, len);
}
DEVICE_ATTR_RW(rebuild_speed_max);

/* Is member @i the target of a running rebuild? */
/*
 * This node begins a holding of @ld (rc_wib_take(), before it serves the
 * drive): a rebuild resumes from what the cluster knows -- the executor's
 * last report, or the COD checkpoint, whichever is higher -- not from a
 * position of this node's own, which another holder's writes may have
 * made wrong since (RAID 5 writes skip the target above the position).
 * Set before the first write of the holding, so the data path and the
 * engine agree.  An engine that kept its permit all along (this node ran
 * it while nobody held the drive, or held it before) keeps its position:
 * nobody else wrote the drive meanwhile.  rc.lock held.
 */
void rc_rebuild_take(struct rc_ldev *ld)
{
	struct rc_rebuild *rb = ld->rb;
	u32 seq = rc_host_resv_seq(ld->number), permille, rate, from, pseq;
	u8 executor;
	u64 pos;

	/*
	 * A member is being rebuilt onto a disk this node does not have:
	 * another node may have rebuilt rows of it that this node's writes
	 * would now miss.  Its writes fail until the disk is attached here
	 * (rc_rebuild_follow()); a node that held the drive since before
	 * the rebuild began writes on, as no other node rebuilt meanwhile.
	 */
	if (READ_ONCE(ld->target_absent) && !READ_ONCE(ld->writes_refused)) {
		WRITE_ONCE(ld->writes_refused, true);
		pr_warn("rcl%u: a member is rebuilt onto a disk not attached here: this node's writes fail until it is\n",
			ld->number);
	}
	if (!rb || rb->resync || !rc_host_in_protocol() ||
	    !test_bit(RC_MEM_REBUILDING, &ld->mem[rb->member].flags) ||
	    (rb->taken && rb->take_seq == seq))
		return;
	rc_host_rebuild_view(ld->number, &executor, &permille, &rate);
	pos = max(rc_rb_at_permille(rb, permille), READ_ONCE(rb->cod_pos));
	rc_host_rebuild_permit(ld->number, &from, &pseq);
	spin_lock(&rb->lock);
	/*
	 * An engine that has run here under the same permit all along
	 * knows better than the reports (which lag it): nobody else wrote.
	 */
	if (rb->permitted && pseq && rb->permit_seq == pseq) {
		;
	} else if (!rb->busy && !rb->issuing) {
		rc_rb_seek(rb, pos);
		pr_info("rcl%u: the rebuild of member %u resumes at sector %llu of %llu\n",
			ld->number, rb->member, rb->pos, rb->total);
	}
	rb->take_seq = seq;
	rb->taken = true;
	spin_unlock(&rb->lock);
}

/*
 * The configuration (adopted from the master, or recorded by it) says
 * how @ld's members are being rebuilt; make the running drive follow:
 *  - a member REBUILDING onto a disk the drive does not use yet (the
 *    master started the rebuild): the disk becomes the member, failed for
 *    reads, written by every write, an engine waiting for its permit;
 *  - a REBUILDING member whose record is now ONLINE (the master recorded
 *    the end): it serves reads; FAILED: the rebuild failed;
 *  - the checkpoint, for rc_rebuild_take() and the next permit.
 * rc.lock held.
 */
void rc_rebuild_follow(struct rc_ldev *ld, const struct rc_ld *rec)
{
	struct rc_rebuild *rb;
	bool absent = false;
	unsigned int i;

	if (!ld->disk || memcmp(rec->uuid, ld->uuid, sizeof(ld->uuid)))
		return;
	for (i = 0; i < ld->nmem && i < rec->nextents; i++) {
		const struct rc_extent *ext = &rec->ext[i];
		struct rc_member *mem = &ld->mem[i];
		struct rc_mdisk *md = ext->disk < RC_MAX_DISKS ?
				      rc.disks[ext->disk] : NULL;
		bool same = mem->md == md && mem->start == ext->start;

		rb = ld->rb;
		if (ext->state == RC_EXT_REBUILDING) {
			if (same && test_bit(RC_MEM_REBUILDING, &mem->flags)) {
				if (rb && !rb->resync && rb->member == i &&
				    ext->rebuild_pos > READ_ONCE(rb->cod_pos))
					WRITE_ONCE(rb->cod_pos, ext->rebuild_pos);
				continue;
			}
			if (!md || !rc_mdisk_usable(md) ||
			    ext->length < ld->geom.member_sectors) {
				absent = true;	/* the new disk is not here */
				continue;
			}
			rb = rc_rb_get(ld);
			if (!rb) {
				pr_warn("rcl%u: no memory to follow the rebuild of member %u\n",
					ld->number, i);
				continue;
			}
			rc_rebuild_stop(ld);	/* a resync gives way */
			blk_mq_freeze_queue(ld->disk->queue);
			spin_lock(&ld->mem_lock);
			mem->md = md;
			mem->start = ext->start;
			spin_unlock(&ld->mem_lock);
			rc_rb_setup(ld, rb, i, 0);
			WRITE_ONCE(rb->cod_pos, ext->rebuild_pos);
			blk_mq_unfreeze_queue(ld->disk->queue);
			rc_ld_update_state(ld);
			if (rc_rb_run(ld))
				pr_warn("rcl%u: rebuild thread not started\n",
					ld->number);
			pr_info("rcl%u: member %u is rebuilt onto %s (the cluster's master runs it)\n",
				ld->number, i, md->name);
			continue;
		}
		if (!same || !test_bit(RC_MEM_REBUILDING, &mem->flags))
			continue;
		if (rb && !rb->resync && rb->member == i)
			rc_rebuild_stop(ld);
		if (ext->state == RC_EXT_ONLINE) {
			/* Every write reached it; now reads may too. */
			clear_bit(RC_MEM_FAILED, &mem->flags);
			clear_bit(RC_MEM_REBUILDING, &mem->flags);
			if (rb && !rb->resync && rb->member == i)
				WRITE_ONCE(rb->done, true);
			pr_info("rcl%u: member %u rebuilt\n", ld->number, i);
		} else {
			clear_bit(RC_MEM_REBUILDING, &mem->flags);
			if (rb && !rb->resync && rb->member == i)
				WRITE_ONCE(rb->aborted, true);
			pr_warn("rcl%u: the rebuild of member %u failed\n",
				ld->number, i);
		}
		rc_ld_update_state(ld);
	}
	rc_rebuild_retire(ld);
	WRITE_ONCE(ld->target_absent, absent);
	if (!absent && READ_ONCE(ld->writes_refused)) {
		WRITE_ONCE(ld->writes_refused, false);
		pr_info("rcl%u: the disk being rebuilt onto is attached here: writes go on\n",
			ld->number);
	}
}

/*
 * The master records the cluster's rebuild of drive @number (the library's
 * RC_ACT_REBUILD_RECORD): a checkpoint at @permille (BUSY), the end (GOOD)
 * or a failure; written to the COD, distributed when a state changed, and
 * followed by this node's own drive.  rc.lock held.
 */
static void rc_rebuild_record(unsigned int number, u32 permille, u8 status)
{
	struct rc_ld *rec = &rc.cfg->lds[number];
	struct rc_ldev *ld = rc.lds[number];
	bool state = false, moved = false;
	unsigned int e;
	u64 pos;

	if (!rc.have_cfg || rec->state == RC_LD_UNUSED ||
	    !rc_host_may_write_cod())
		return;
	for (e = 0; e < rec->nextents; e++) {
		struct rc_extent *x = &rec->ext[e];

		if (x->state != RC_EXT_REBUILDING)
			continue;
		if (status == RC_SCSI_GOOD) {
			x->state = RC_EXT_ONLINE;
			x->rebuild_pos = 0;
			/* every rebuilt row is consistent: no resync left */
			if (rec->level == RC_RAID5)
				rec->resync_pos = rec->capacity;
			state = true;
		} else if (status == RC_SCSI_BUSY) {
			pos = div_u64(x->length * min(permille, 999u), 1000);
			pos &= ~(u64)(max(rec->stripe_sectors, 1u) - 1);
			if (pos > x->rebuild_pos) {
				x->rebuild_pos = pos;
				moved = true;
			}
		} else {
			x->state = RC_EXT_FAILED;
			state = true;
		}
		break;
	}
	if (!state && !moved)
		return;
	if (ld) {
		rc_rebuild_follow(ld, rec);
		if (!memcmp(rec->uuid, ld->uuid, sizeof(ld->uuid)))
			rec->state = READ_ONCE(ld->state);
	}
	if (rc_cod_write_all()) {
		pr_err("rcl%u: the rebuild's %s is not in the configuration\n",
		       number, state ? "end" : "checkpoint");
		return;
	}
	/* A checkpoint stays on the disks: only a state change is pushed. */
	if (state)
		rc_host_config_changed();
}

void rc_rebuild_init_host(void)
{
	rc_host_set_rebuild_recorder(rc_rebuild_record);
}

void rc_rebuild_exit_host(void)
{
	rc_host_set_rebuild_recorder(NULL);
}

bool rc_rebuild_target(const struct rc_ldev *ld, unsigned int i)
{
	return ld && test_bit(RC_MEM_REBUILDING, &ld->mem[i].flags);
}

/* Does any drive record use disk @disk? */
static bool rc_disk_in_use(unsigned int disk)
{
	unsigned int n, e;

	for (n = 0; n < RC_MAX_LDS; n++) {
		const struct rc_ld *rec = &rc.cfg->lds[n];

		if (rec->state == RC_LD_UNUSED)
			continue;
		for (e = 0; e < rec->nextents; e++)
			if (rec->ext[e].disk == disk)
				return true;
	}
	return false;
}

/*
 * Start rebuilding running drive @number's member @want (-1: its first
 * failed member) onto attached disk @disk (ONLINE or SPARE, used by no
 * drive).  rc.lock held.  Sets *@member.  0 or a negative errno with a
 * reason in @msg.
 */
static int rc_rebuild_start(unsigned int number, int want, unsigned int disk,
			    char *msg, unsigned int *member)
{
	struct rc_extent *ext, saved;
	struct rc_disk *drec, dsaved;
	struct rc_rebuild *rb;
	struct rc_ldev *ld;
	struct rc_ld *rec;
	struct rc_mdisk *md;
	unsigned int i, m = 0, failed = 0;
	u64 need;
	int ret;

	if (!rc.have_cfg || number >= RC_MAX_LDS || !rc.lds[number]) {
		rc_msg(msg, "rcl%u is not a running drive", number);
		return -ENOENT;
	}
	ld = rc.lds[number];
	rec = &rc.cfg->lds[number];
	if (memcmp(rec->uuid, ld->uuid, sizeof(ld->uuid))) {
		rc_msg(msg, "rcl%u is no longer in the configuration", number);
		return -ENOENT;
	}
	if (ld->geom.level == RC_RAID0) {
		rc_msg(msg, "rcl%u is RAID 0: no redundancy to rebuild from",
		       number);
		return -EINVAL;
	}
	/* a rebuild reads the copies and parity: dirty regions resynced first */
	rc_wib_take(ld);
	if (ld->rb && ld->rb->task) {
		if (!READ_ONCE(ld->rb->done) && !READ_ONCE(ld->rb->aborted)) {
			/*
			 * A resync still running gives way below, once the
			 * rebuild is sure to start: a drive with a failed
			 * member cannot build parity, and the rebuild makes
			 * every row it passes consistent.
			 */
			if (!ld->rb->resync) {
				rc_msg(msg, "rcl%u: a rebuild is already running",
				       number);
				return -EBUSY;
			}
		} else {
			rc_rebuild_stop(ld);	/* the last one ended */
		}
	}
	for (i = 0; i < ld->nmem; i++) {
		if (!test_bit(RC_MEM_FAILED, &ld->mem[i].flags) ||
		    test_bit(RC_MEM_REBUILDING, &ld->mem[i].flags))
			continue;
		if (!failed++ || (int)i == want)
			m = i;
	}
	if (!failed) {
		rc_msg(msg, "rcl%u has no failed member", number);
		return -EINVAL;
	}
	if (want >= 0 && (int)m != want) {
		rc_msg(msg, "rcl%u: member %d is not failed", number, want);
		return -EINVAL;
	}
	if (READ_ONCE(ld->state) == RC_LD_OFFLINE) {
		rc_msg(msg, "rcl%u is offline: nothing to rebuild from", number);
		return -ENODEV;
	}
	if (disk >= RC_MAX_DISKS || !rc.disks[disk]) {
		rc_msg(msg, "disk %u is not attached", disk);
		return -ENODEV;
	}
	md = rc.disks[disk];
	drec = &rc.cfg->disks[disk];
	if (!rc_mdisk_usable(md) || (drec->state != RC_DISK_ONLINE &&
				     drec->state != RC_DISK_SPARE)) {
		rc_msg(msg, "disk %u (%s) is failed", disk, md->name);
		return -EIO;
	}
	if (rc_disk_in_use(disk)) {
		rc_msg(msg, "disk %u (%s) already holds a drive's extent",
		       disk, md->name);
		return -EBUSY;
	}
	need = RC_DATA_START_SECTOR + ld->geom.member_sectors;
	if (bdev_nr_sectors(md->bdev) < need) {
		rc_msg(msg, "disk %u (%s) too small: needs %llu sectors",
		       disk, md->name, need);
		return -ENOSPC;
	}

	rb = rc_rb_get(ld);
	if (!rb) {
		rc_msg(msg, "no memory for the rebuild buffers");
		return -ENOMEM;
	}
	/* from here on the rebuild starts, or the resync goes on */
	rc_rebuild_stop(ld);
	ext = &rec->ext[m];
	saved = *ext;
	dsaved = *drec;
	ext->disk = disk;
	ext->start = RC_DATA_START_SECTOR;
	ext->length = ld->geom.member_sectors;
	ext->state = RC_EXT_REBUILDING;
	ext->rebuild_pos = 0;
	drec->state = RC_DISK_ONLINE;	/* a spare becomes a member */
	ret = rc_cod_write_all();
	if (ret) {
		*ext = saved;
		*drec = dsaved;
		rc_rb_drop(ld, rb);
		rc_rebuild_kick(ld);	/* a resync stopped above goes on */
		rc_msg(msg, "configuration not written (%d)", ret);
		return ret;
	}

	/* No request in flight sees the member change half done. */
	blk_mq_freeze_queue(ld->disk->queue);
	spin_lock(&ld->mem_lock);	/* members_show() */
	ld->mem[m].md = md;
	ld->mem[m].start = RC_DATA_START_SECTOR;
	spin_unlock(&ld->mem_lock);
	rc_rb_setup(ld, rb, m, 0);
	blk_mq_unfreeze_queue(ld->disk->queue);
	ret = rc_rb_run(ld);
	if (ret) {
		rc_msg(msg, "rebuild not started (%d); the COD lists it, a reload resumes it",
		       ret);
		return ret;
	}
	*member = m;
	return 0;
}

/* RC_IOC_REBUILD.  rc.lock held. */
int rc_ioc_rebuild(void *arg)
{
	struct rc_ioc_rebuild *a = arg;

	if (memchr_inv(a->reserved, 0, sizeof(a->reserved)) || a->member) {
		rc_msg(a->hdr.msg, "reserved fields must be zero");
		return -EINVAL;
	}
	return rc_rebuild_start(a->number, -1, a->disk, a->hdr.msg,
				&a->member);
}

/*
 * Hot spares: every running degraded RAID 1/5/10 drive without a rebuild
 * gets one onto a free spare that fits.  rc.lock held (configuration
 * worker after a failure, RC_IOC_SPARE).
 */
void rc_rebuild_spares(void)
{
	char why[RC_IOC_MSG_LEN];
	unsigned int n, d, m;

	/* The master chooses (the others adopt its configuration). */
	if (!rc.have_cfg || (rc_host_in_protocol() && !rc_host_may_write_cod()))
		return;
	/*
	 * Blank disks udev offered that are still undecided: a rebuild was
	 * running then, or this node was not the master yet.
	 */
	for (d = 0; d < RC_MAX_DISKS; d++) {
		u32 ldn;

		if (rc.disks[d] && test_bit(RC_MD_INSERTED, &rc.disks[d]->flags))
			rc_rebuild_inserted(d, &ldn);
	}
	for (n = 0; n < RC_MAX_LDS; n++) {
		struct rc_ldev *ld = rc.lds[n];

		if (!ld || ld->geom.level == RC_RAID0 ||
		    READ_ONCE(ld->state) != RC_LD_DEGRADED ||
		    (ld->rb && ld->rb->task && !READ_ONCE(ld->rb->done) &&
		     !READ_ONCE(ld->rb->aborted)))
			continue;
		for (d = 0; d < RC_MAX_DISKS; d++) {
			if (rc.cfg->disks[d].state != RC_DISK_SPARE ||
			    !rc_mdisk_usable(rc.disks[d]) ||
			    bdev_nr_sectors(rc.disks[d]->bdev) <
			    RC_DATA_START_SECTOR + ld->geom.member_sectors)
				continue;
			why[0] = '\0';
			if (!rc_rebuild_start(n, -1, d, why, &m)) {
				pr_info("rcl%u: hot spare disk %u replaces member %u\n",
					n, d, m);
				break;
			}
			pr_warn("rcl%u: hot spare disk %u not used: %s\n", n, d,
				why);
		}
	}
}

/*
 * RC_ATTACH_REPLACEMENT: disk @disk, a blank disk just attached (udev, an
 * insertion), becomes what the cluster's configuration says: where a
 * failed member's disk was (rc_config_find_replaced()) that member's
 * replacement, the rebuild onto it started (*@ld: the drive); elsewhere,
 * under the policy RC_COD_F_INSERT_SPARE, a hot spare.  Only the master
 * (or a node alone) decides, so a rebuild starts once in the cluster; the
 * protocol then runs it on the drive's holder.  Returns the enum
 * rc_attach_result.  rc.lock held.
 */
u32 rc_rebuild_inserted(unsigned int disk, u32 *ld)
{
	char why[RC_IOC_MSG_LEN];
	struct rc_mdisk *md;
	struct rc_disk *drec;
	unsigned int m, got;
	int n, ch, ret;

	if (!rc.have_cfg || disk >= RC_MAX_DISKS || !rc.disks[disk])
		return RC_ATTACH_DONE;
	md = rc.disks[disk];
	if (!test_bit(RC_MD_INSERTED, &md->flags) ||
	    (rc_host_in_protocol() && !rc_host_may_write_cod()))
		return RC_ATTACH_DONE;	/* a slave: the master decides */
	drec = &rc.cfg->disks[disk];
	if (drec->state != RC_DISK_ONLINE || rc_disk_in_use(disk)) {
		clear_bit(RC_MD_INSERTED, &md->flags);	/* decided otherwise */
		return RC_ATTACH_DONE;
	}
	/* The slot as the COD names it: this node's host numbers are its own. */
	ch = rc_member_cod_channel(md);
	n = ch < 0 ? -ENOENT :
	    rc_config_find_replaced(rc.cfg, ch, drec->target, &m);
	if (n >= 0) {
		drec->channel = ch;
		why[0] = '\0';
		ret = rc_rebuild_start(n, m, disk, why, &got);
		if (ret == -EBUSY)
			return RC_ATTACH_DONE;	/* after the running rebuild */
		if (ret) {
			pr_warn("rcl%d: disk %u (%s) at %d:%u does not replace member %u: %s\n",
				n, disk, md->name, ch, drec->target, m, why);
			clear_bit(RC_MD_INSERTED, &md->flags);
			return RC_ATTACH_DONE;
		}
		clear_bit(RC_MD_INSERTED, &md->flags);
		pr_info("rcl%d: disk %u (%s), inserted where member %u's disk was, replaces it\n",
			n, disk, md->name, m);
		rc_host_config_changed();
		*ld = n;
		return RC_ATTACH_REBUILDING;
	}
	if (!(rc.cfg->flags & RC_COD_F_INSERT_SPARE))
		return RC_ATTACH_DONE;
	clear_bit(RC_MD_INSERTED, &md->flags);
	if (ch >= 0)
		drec->channel = ch;
	drec->state = RC_DISK_SPARE;
	ret = rc_cod_write_all();
	if (ret) {
		drec->state = RC_DISK_ONLINE;
		pr_warn("disk %u (%s): not made a hot spare, configuration not written (%d)\n",
			disk, md->name, ret);
		return RC_ATTACH_DONE;
	}
	pr_info("disk %u (%s), inserted at %u:%u, is a hot spare (policy insert-spare)\n",
		disk, md->name, drec->channel, drec->target);
	rc_rebuild_spares();
	rc_host_config_changed();	/* with what a spare's rebuild wrote */
	return RC_ATTACH_SPARE;
}

/* RC_IOC_SPARE.  rc.lock held. */
int rc_ioc_spare(void *arg)
{
	struct rc_ioc_spare *a = arg;
	char *msg = a->hdr.msg;
	struct rc_disk *drec;
	u8 old;
	int ret;

	if (memchr_inv(a->reserved, 0, sizeof(a->reserved)) || a->spare > 1) {
		rc_msg(msg, "reserved fields must be zero, spare 0 or 1");
		return -EINVAL;
	}
	if (!rc.have_cfg || a->disk >= RC_MAX_DISKS || !rc.disks[a->disk]) {
		rc_msg(msg, "disk %u is not attached", a->disk);
		return -ENODEV;
	}
	drec = &rc.cfg->disks[a->disk];
	if (!rc_mdisk_usable(rc.disks[a->disk]) ||
	    (drec->state != RC_DISK_ONLINE && drec->state != RC_DISK_SPARE)) {
		rc_msg(msg, "disk %u is failed", a->disk);
		return -EIO;
	}
	if (rc_disk_in_use(a->disk)) {
		rc_msg(msg, "disk %u holds a drive's extent", a->disk);
		return -EBUSY;
	}
	old = drec->state;
	drec->state = a->spare ? RC_DISK_SPARE : RC_DISK_ONLINE;
	if (drec->state == old)
		return 0;
	ret = rc_cod_write_all();
	if (ret) {
		drec->state = old;
		rc_msg(msg, "configuration not written (%d)", ret);
		return ret;
	}
	if (a->spare)
		rc_rebuild_spares();
	return 0;
}
