// SPDX-License-Identifier: GPL-2.0
/*
 * The data path: blk-mq requests of rclN become bios on the member disks.
 *
 * queue_rq() maps the request and clones its pieces to the members right
 * away, in the submitter's context (the tag set is BLK_MQ_F_BLOCKING, so
 * the clone allocation may sleep), as md does from its submit_bio: no
 * context switch per I/O.  Each bio is cut at chunk ends (rc_geom_map())
 * and each piece goes to the member(s) the level's ops choose, inside a
 * plug so the pieces a member gets from consecutive rows merge there.
 *
 * Three cases go to rc.io_wq instead, because they must wait, and waiting
 * for our own I/O inside the submitter's bio_list would never end:
 * a write whose write-intent regions are still clean on disk (the bitmap
 * is written first), a write while a rebuild runs (its fence may make the
 * write wait), and what the level's needs_worker() names (RAID 5 writes,
 * which read and lock rows first, and its reads of a failed member).
 *
 * The request ends when the last member bio does, so a write completes
 * only when every member write did (write-through, as the patent's
 * controllers).  Errors mark the member failed and let the level decide:
 * retry on a mirror, mask, or fail the request.
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>

#include "rc.h"
#include "node.h"

bool rc_mem_usable(const struct rc_ldev *ld, unsigned int i)
{
	const struct rc_member *mem = &ld->mem[i];

	return !test_bit(RC_MEM_FAILED, &mem->flags) &&
	       rc_mdisk_usable(mem->md);
}

const struct rc_level_ops *rc_level_ops_find(unsigned int level)
{
	switch (level) {
	case RC_RAID0:
		return &rc_raid0_ops;
	case RC_RAID1:
		return &rc_raid1_ops;
	case RC_RAID10:
		return &rc_raid10_ops;
	case RC_RAID5:
		return &rc_raid5_ops;
	default:
		return NULL;
	}
}

void rc_cmd_fail(struct rc_cmd *cmd)
{
	WRITE_ONCE(cmd->status, BLK_STS_IOERR);
}

void rc_cmd_put(struct rc_cmd *cmd)
{
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	blk_status_t status;

	if (!atomic_dec_and_test(&cmd->pending))
		return;
	rc_rebuild_write_end(cmd);
	rc_wib_write_end(cmd);
	status = READ_ONCE(cmd->status);
	/* A masked member write is fine only while a mirror is left. */
	if (!status && READ_ONCE(cmd->write_masked) &&
	    READ_ONCE(cmd->ld->state) == RC_LD_OFFLINE)
		status = BLK_STS_IOERR;
	/*
	 * ... and only once the configuration says which member it missed:
	 * acknowledged before, it would be lost when the next taker resyncs
	 * from the member it skipped (md holds such writes until its
	 * superblock is written, too).
	 */
	if (!status && req_op(rq) == REQ_OP_WRITE &&
	    unlikely(READ_ONCE(cmd->ld->unrecorded))) {
		rc_park_write(cmd);
		return;
	}
	blk_mq_end_request(rq, status);
}

static void rc_mbio_endio(struct bio *bio)
{
	struct rc_mbio *m = container_of(bio, struct rc_mbio, bio);
	struct rc_cmd *cmd = m->cmd;

	if (m->src && !op_is_write(bio_op(bio)))
		atomic_dec(&cmd->ld->mem[m->member].reads);
	if (bio->bi_status) {
		if (!rc_member_bio_failed(cmd->ld, m->member, bio))
			WRITE_ONCE(cmd->status, BLK_STS_NEXUS);	/* fenced */
		else if (cmd->ld->ops->member_error(m))
			return;	/* the retry owns @bio and the reference */
	}
	bio_put(bio);
	rc_cmd_put(cmd);
}

static struct rc_mbio *rc_mbio_init(struct bio *b, struct rc_cmd *cmd,
				    unsigned int member)
{
	struct rc_mbio *m = container_of(b, struct rc_mbio, bio);

	m->cmd = cmd;
	m->member = member;
	m->tried = BIT(member);
	b->bi_end_io = rc_mbio_endio;
	atomic_inc(&cmd->pending);
	return m;
}

/*
 * Clone sectors [@off, @off + @len) of @src to member @member at sector
 * @moff of its extent.  Process context (rc.io_wq).
 */
void rc_submit_piece(struct rc_cmd *cmd, struct bio *src, u32 off, u32 len,
		     u64 moff, unsigned int member, u32 tried)
{
	struct rc_member *mem = &cmd->ld->mem[member];
	struct rc_mbio *m;
	struct bio *b;

	b = bio_alloc_clone(mem->md->bdev, src, GFP_NOIO, &rc.bioset);
	if (!b) {
		rc_cmd_fail(cmd);
		return;
	}
	m = rc_mbio_init(b, cmd, member);
	m->src = src;
	m->off = off;
	m->len = len;
	m->lba = src->bi_iter.bi_sector + off;
	m->moff = moff;
	m->tried |= tried;
	bio_trim(b, off, len);
	b->bi_iter.bi_sector = mem->start + moff;
	if (!op_is_write(bio_op(b)))
		atomic_inc(&mem->reads);	/* read balancing */
	/*
	 * The flush sequence already sent the preflush (REQ_OP_FLUSH); FUA
	 * stays.  An error fails the member for good, so the member gets to
	 * retry fully (no failfast, readahead or NOWAIT: -EAGAIN is no disk
	 * failure), as md does.
	 */
	b->bi_opf &= ~(REQ_PREFLUSH | REQ_NOWAIT | REQ_RAHEAD |
		       REQ_FAILFAST_MASK);
	submit_bio_noacct(b);
}

static void rc_retry_work(struct work_struct *work)
{
	struct rc_mbio *m = container_of(work, struct rc_mbio, work);
	struct rc_cmd *cmd = m->cmd;
	struct rc_ldev *ld = cmd->ld;

	atomic64_inc(&ld->read_retries);
	if (rc_mem_usable(ld, m->next))
		rc_submit_piece(cmd, m->src, m->off, m->len, m->moff, m->next,
				m->tried);
	else if (ld->ops->member_error(m))
		return;	/* that mirror failed meanwhile: queued for another */
	bio_put(&m->bio);
	rc_cmd_put(cmd);
}

/* Read the piece of @m again from @member.  Any context. */
void rc_retry_piece(struct rc_mbio *m, unsigned int member)
{
	m->next = member;
	m->tried |= BIT(member);
	INIT_WORK(&m->work, rc_retry_work);
	queue_work(rc.io_wq, &m->work);
}

/*
 * Hand piece [@off, @off + @len) of @src to @fn on rc.io_wq: for a piece
 * that cannot be served in queue_rq()'s context without waiting (a RAID 5
 * read of a member that failed after the request was found direct).  @fn
 * gets the rc_mbio (no member I/O behind it) and ends with bio_put() and
 * rc_cmd_put(), as a retry does.
 */
void rc_defer_piece(struct rc_cmd *cmd, struct bio *src, u32 off, u32 len,
		    work_func_t fn)
{
	struct rc_mbio *m;
	struct bio *b;

	b = bio_alloc_bioset(NULL, 0, REQ_OP_READ, GFP_NOIO, &rc.bioset);
	if (!b) {
		rc_cmd_fail(cmd);
		return;
	}
	m = rc_mbio_init(b, cmd, 0);
	m->src = src;
	m->off = off;
	m->len = len;
	m->lba = src->bi_iter.bi_sector + off;
	INIT_WORK(&m->work, fn);
	queue_work(rc.io_wq, &m->work);
}

/* An empty preflush to every usable member. */
static void rc_submit_flush(struct rc_cmd *cmd)
{
	struct rc_ldev *ld = cmd->ld;
	unsigned int i, sent = 0;
	struct bio *b;

	for (i = 0; i < ld->nmem; i++) {
		if (!rc_mem_usable(ld, i) && !rc_rebuild_gets_writes(ld, i))
			continue;
		b = bio_alloc_bioset(ld->mem[i].md->bdev, 0,
				     REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC,
				     GFP_NOIO, &rc.bioset);
		if (!b) {
			rc_cmd_fail(cmd);
			continue;
		}
		rc_mbio_init(b, cmd, i)->src = NULL;
		submit_bio_noacct(b);
		sent++;
	}
	if (!sent)
		rc_cmd_fail(cmd);
}

/*
 * Where piece @off.. of @bio lies.  RAID 1 is not cut at chunk ends: every
 * member holds every block, so a whole bio can go to one mirror.
 */
static void rc_map_piece(const struct rc_geom *g, struct bio *bio, u32 off,
			 struct rc_loc *loc)
{
	u32 total = bio_sectors(bio);

	rc_geom_map(g, bio->bi_iter.bi_sector + off, total - off, loc);
	if (g->level == RC_RAID1 && loc->len)
		loc->len = total - off;
}

/*
 * Send every piece of @rq to the members.  May sleep (clone allocation).
 *
 * The member bios get a plug of their own.  queue_rq() may run from the
 * flush of the submitter's plug (blk_mq_flush_plug_list() issuing
 * directly), which pops that plug's request list while we run: a member
 * request added to the same plug then would leave its count and list
 * disagreeing (6.1's blk_add_rq_to_plug() dereferences the missing last
 * request).  So the submitter's plug is set aside until ours is flushed.
 */
static void rc_cmd_submit(struct rc_cmd *cmd, struct request *rq)
{
	struct blk_plug *outer = current->plug;
	const struct rc_geom *g = &cmd->ld->geom;
	struct blk_plug plug;
	struct rc_loc loc;
	struct bio *bio;
	u32 off;

	current->plug = NULL;
	blk_start_plug(&plug);
	if (req_op(rq) == REQ_OP_FLUSH) {
		rc_submit_flush(cmd);
	} else if (cmd->ld->ops->submit_rq) {
		cmd->ld->ops->submit_rq(cmd, rq);
	} else {
		__rq_for_each_bio(bio, rq) {
			for (off = 0; off < bio_sectors(bio); off += loc.len) {
				rc_map_piece(g, bio, off, &loc);
				if (WARN_ON_ONCE(!loc.len)) {
					rc_cmd_fail(cmd);
					break;
				}
				cmd->ld->ops->submit(cmd, bio, off, &loc);
			}
		}
	}
	blk_finish_plug(&plug);
	current->plug = outer;
	rc_cmd_put(cmd);	/* the submission's own reference */
}

/* rc.io_wq: the requests that may wait before their pieces go out. */
static void rc_cmd_work(struct work_struct *work)
{
	struct rc_cmd *cmd = container_of(work, struct rc_cmd, work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);

	if (cmd->wib_mark)
		rc_wib_write_mark(cmd);
	if (req_op(rq) != REQ_OP_FLUSH)
		rc_rebuild_write_begin(cmd, rq);
	rc_cmd_submit(cmd, rq);
}

/* Must @rq wait for something before it is sent?  See the top comment. */
static bool rc_cmd_must_wait(struct rc_cmd *cmd, struct request *rq)
{
	struct rc_ldev *ld = cmd->ld;

	if (ld->ops->needs_worker && ld->ops->needs_worker(cmd, rq))
		return true;
	if (req_op(rq) != REQ_OP_WRITE)
		return false;
	/* set only with the queue frozen: stable for a request in flight */
	return cmd->wib_mark || READ_ONCE(ld->rb_fence);
}

static blk_status_t rc_queue_rq(struct blk_mq_hw_ctx *hctx,
				const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct rc_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct rc_ldev *ld = hctx->queue->queuedata;
	enum rc_host_gate gate;

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
	case REQ_OP_FLUSH:
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	/*
	 * The fence: what the protocol host publishes, no lock.  A node that
	 * does not hold the drive gets a reservation conflict, quietly:
	 * probes on non-holders (udev, blkid) are expected.  A lapsed lease
	 * (slow heartbeat I/O, a freeze) holds the request back until the
	 * next heartbeat renews it or the node learns it was killed; on a
	 * suspended node every request fails at once.
	 */
	gate = rc_host_gate(ld->number, req_op(rq) != REQ_OP_READ);
	if (unlikely(gate != RC_GATE_OPEN)) {
		if (gate == RC_GATE_WAIT)
			return BLK_STS_RESOURCE;
		rq->rq_flags |= RQF_QUIET;
		if (gate == RC_GATE_FENCED)
			return BLK_STS_NEXUS;
		pr_err_ratelimited("rcl%u: I/O fails: this node is suspended (raidclusterctl node resume)\n",
				   ld->number);
		return BLK_STS_OFFLINE;
	}
	if (unlikely(req_op(rq) == REQ_OP_WRITE &&
		     READ_ONCE(ld->writes_refused))) {
		pr_err_ratelimited("rcl%u: write refused: a member is being rebuilt onto a disk this node has not attached\n",
				   ld->number);
		return BLK_STS_IOERR;
	}
	blk_mq_start_request(rq);
	if (READ_ONCE(ld->state) == RC_LD_OFFLINE)
		return BLK_STS_IOERR;
	cmd->ld = ld;
	cmd->status = BLK_STS_OK;
	cmd->write_masked = false;
	cmd->rb_epoch = 0;
	cmd->wib_n = 0;
	cmd->wib_mark = false;
	atomic_set(&cmd->pending, 1);
	if (req_op(rq) == REQ_OP_WRITE)
		cmd->wib_mark = rc_wib_write_begin(cmd, rq);
	if (rc_cmd_must_wait(cmd, rq)) {
		queue_work(rc.io_wq, &cmd->work);
		return BLK_STS_OK;
	}
	if (req_op(rq) == REQ_OP_READ)
		rc_rebuild_write_begin(cmd, rq);	/* notes foreground I/O */
	rc_cmd_submit(cmd, rq);
	return BLK_STS_OK;
}

static int rc_init_request(struct blk_mq_tag_set *set, struct request *rq,
			   unsigned int hctx_idx, unsigned int numa_node)
{
	struct rc_cmd *cmd = blk_mq_rq_to_pdu(rq);

	INIT_WORK(&cmd->work, rc_cmd_work);
	return 0;
}

/*
 * The members' own SCSI timeouts and error handling end every member bio;
 * a slow member (TCG guests, a busy shared bus) is no reason to fail here.
 */
static enum blk_eh_timer_return rc_timeout(struct request *rq)
{
	return BLK_EH_RESET_TIMER;
}

const struct blk_mq_ops rc_mq_ops = {
	.queue_rq = rc_queue_rq,
	.init_request = rc_init_request,
	.timeout = rc_timeout,
};
