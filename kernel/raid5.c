// SPDX-License-Identifier: GPL-2.0
/*
 * RAID 5, left-symmetric (lib/geom.h): n members, per row n-1 data chunks
 * and one parity chunk, P = D0 ^ D1 ^ ... at every offset of the row.
 *
 * Reads of a usable member are cloned straight to it, without a lock (as
 * md's chunk-aligned reads).  Everything that touches parity runs in
 * process context (rc.io_wq) under the row's stripe lock, one row at a
 * time, on private page buffers:
 *  - a write of a row reads what it needs, computes the parity and writes
 *    the new data and the parity.  Healthy, it picks read-modify-write
 *    (read old data + old parity) or reconstruct-write (read the data it
 *    does not overwrite), whichever reads fewer sectors; a write of whole
 *    rows reads nothing;
 *  - a read of a failed member rebuilds the data from the rest of the row
 *    (degraded read, and the retry of a read that failed);
 *  - degraded writes: with the parity member failed the data is written
 *    alone; with a data member failed the row window is read from every
 *    survivor, the missing data rebuilt, and data plus parity rewritten
 *    from it (md's reconstruct-write), so parity stays consistent.
 * The lock makes both kinds of row work atomic to each other: a degraded
 * read never mixes old and new halves of a row.  Two failed members take
 * the drive offline; requests then fail with an I/O error.
 *
 * Windows: a row's work covers the chunk offsets [lo, hi) that any of its
 * data chunks is written at (all of the chunk when the write spans two
 * chunks); buffer position j (data 0..n-2, parity n-1) holds those sectors
 * of the row's j-th member.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/slab.h>

#include "rc.h"

#define RC5_SPP (PAGE_SIZE >> SECTOR_SHIFT)	/* sectors per page */

/* One row's work: buffers and the member I/O in flight. */
struct rc5_row {
	struct rc_ldev *ld;
	u64 row;
	u32 lo, hi;			/* chunk offsets of the window */
	unsigned int n, npp;		/* members, pages per buffer */
	u16 member[RC_MAX_EXTENTS];	/* by position: data..., parity */
	struct page **pages;		/* n * npp: position j at j * npp */
	atomic_t pending;
	atomic_t failed;		/* member I/O errors this round */
	struct completion done;
};

static void *rc5_addr(struct rc5_row *r, unsigned int j, u32 s)
{
	u32 b = s - r->lo;		/* sector in the buffer */

	return page_address(r->pages[j * r->npp + b / RC5_SPP]) +
	       (b % RC5_SPP) * SECTOR_SIZE;
}

static int rc5_row_init(struct rc5_row *r, struct rc_ldev *ld, u64 row,
			u32 lo, u32 hi)
{
	unsigned int i, total;

	memset(r, 0, sizeof(*r));
	r->ld = ld;
	r->row = row;
	r->lo = lo;
	r->hi = hi;
	r->n = ld->nmem;
	/* Buffers start page aligned at @lo. */
	r->npp = DIV_ROUND_UP(hi - lo, RC5_SPP);
	rc_geom_r5_row_members(&ld->geom, row, r->member);
	total = r->n * r->npp;
	r->pages = kcalloc(total, sizeof(*r->pages), GFP_NOIO);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < total; i++) {
		r->pages[i] = alloc_page(GFP_NOIO);
		if (!r->pages[i])
			return -ENOMEM;
	}
	init_completion(&r->done);
	return 0;
}

/*
 * Position @j takes part in the row's I/O: a usable member, or the target
 * of a rebuild that has passed this row (rebuild.c rebuilds rows under
 * the stripe lock too).
 */
static bool rc5_usable(struct rc5_row *r, unsigned int j)
{
	return rc_mem_usable(r->ld, r->member[j]) ||
	       rc_rebuild_writable(r->ld, r->member[j],
				   (r->row + 1) << r->ld->geom.chunk_shift);
}

static void rc5_row_free(struct rc5_row *r)
{
	unsigned int i;

	if (!r->pages)
		return;
	for (i = 0; i < r->n * r->npp; i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kfree(r->pages);
}

static void rc5_endio(struct bio *bio)
{
	struct rc5_row *r = bio->bi_private;
	unsigned int j = container_of(bio, struct rc_mbio, bio)->member;

	if (bio->bi_status) {
		rc_member_failed(r->ld, r->member[j], op_is_write(bio_op(bio)));
		atomic_inc(&r->failed);
	}
	bio_put(bio);
	if (atomic_dec_and_test(&r->pending))
		complete(&r->done);
}

static void rc5_begin(struct rc5_row *r)
{
	atomic_set(&r->pending, 1);
	atomic_set(&r->failed, 0);
	reinit_completion(&r->done);
}

/* Wait for the round's I/O.  Returns the number of member errors. */
static int rc5_wait(struct rc5_row *r)
{
	if (!atomic_dec_and_test(&r->pending))
		wait_for_completion(&r->done);
	return atomic_read(&r->failed);
}

/*
 * Sectors [s, e) (chunk offsets, inside the window) of position @j: read
 * into or written from its buffer.  A member that is not usable counts as
 * an error of the round.
 */
static void rc5_io(struct rc5_row *r, unsigned int j, u32 s, u32 e,
		   blk_opf_t opf)
{
	struct rc_member *mem = &r->ld->mem[r->member[j]];
	unsigned int nr;
	struct bio *bio;
	u32 pos, n;

	if (s >= e)
		return;
	if (!rc5_usable(r, j)) {
		atomic_inc(&r->failed);
		return;
	}
	nr = DIV_ROUND_UP((s - r->lo) % RC5_SPP + (e - s), RC5_SPP);
	bio = bio_alloc_bioset(mem->md->bdev, nr, opf, GFP_NOIO,
			       &rc.page_bioset);
	container_of(bio, struct rc_mbio, bio)->member = j;
	bio->bi_iter.bi_sector = mem->start + (r->row << r->ld->geom.chunk_shift) + s;
	bio->bi_private = r;
	bio->bi_end_io = rc5_endio;
	for (pos = s; pos < e; pos += n) {
		u32 b = pos - r->lo;

		n = min_t(u32, e - pos, RC5_SPP - b % RC5_SPP);
		__bio_add_page(bio, r->pages[j * r->npp + b / RC5_SPP],
			       n * SECTOR_SIZE, (b % RC5_SPP) * SECTOR_SIZE);
	}
	atomic_inc(&r->pending);
	submit_bio_noacct(bio);
}

/* Copy @len sectors between @bio (from sector @off of it) and a buffer. */
static void rc5_copy(struct rc5_row *r, struct bio *bio, u32 off,
		     unsigned int j, u32 s, u32 len, bool to_buf)
{
	struct bvec_iter start = bio->bi_iter, iter;
	struct bio_vec bv;
	u32 done = 0;

	bio_advance_iter(bio, &start, (u64)off << SECTOR_SHIFT);
	start.bi_size = len << SECTOR_SHIFT;
	__bio_for_each_segment(bv, bio, iter, start) {
		u32 at = 0;

		while (at < bv.bv_len) {
			u32 b = (s - r->lo) * SECTOR_SIZE + done;
			u32 n = min_t(u32, bv.bv_len - at,
				      PAGE_SIZE - b % PAGE_SIZE);
			char *buf = page_address(r->pages[j * r->npp +
							  b / PAGE_SIZE]) +
				    b % PAGE_SIZE;
			char *p = bvec_kmap_local(&bv);

			if (to_buf)
				memcpy(buf, p + at, n);
			else
				memcpy(p + at, buf, n);
			kunmap_local(p);
			at += n;
			done += n;
		}
	}
}

/*
 * dest position @d = XOR of the positions in @mask over [s, e) (@d not in
 * @mask); with @keep, dest is XORed into rather than overwritten.
 */
static void rc5_xor(struct rc5_row *r, unsigned int d, unsigned long mask,
		    u32 s, u32 e, bool keep)
{
	void *srcs[RC_MAX_EXTENTS];
	unsigned int j, cnt;
	u32 pos, n;

	for (pos = s; pos < e; pos += n) {
		n = min_t(u32, e - pos, RC5_SPP - (pos - r->lo) % RC5_SPP);
		cnt = 0;
		for (j = 0; j < r->n; j++)
			if (mask & BIT(j))
				srcs[cnt++] = rc5_addr(r, j, pos);
		if (!keep) {
			if (!cnt) {
				memset(rc5_addr(r, d, pos), 0, n * SECTOR_SIZE);
				continue;
			}
			memcpy(rc5_addr(r, d, pos), srcs[0], n * SECTOR_SIZE);
			rc_xor(rc5_addr(r, d, pos), srcs + 1, cnt - 1,
			       n * SECTOR_SIZE);
		} else {
			rc_xor(rc5_addr(r, d, pos), srcs, cnt, n * SECTOR_SIZE);
		}
	}
}

/* The one failed position of the row; -1 none, -2 more than one. */
static int rc5_failed_pos(struct rc5_row *r)
{
	unsigned int j;
	int f = -1;

	for (j = 0; j < r->n; j++) {
		if (rc5_usable(r, j))
			continue;
		if (f >= 0)
			return -2;
		f = j;
	}
	return f;
}

/*
 * Read [s, e) of data position @x, whose member failed, into its buffer
 * from every other position.  Stripe lock held.  0 or -EIO.
 */
static int rc5_rebuild_range(struct rc5_row *r, unsigned int x, u32 s, u32 e)
{
	unsigned int j;

	rc5_begin(r);
	for (j = 0; j < r->n; j++)
		if (j != x)
			rc5_io(r, j, s, e, REQ_OP_READ);
	if (rc5_wait(r))
		return -EIO;	/* a second member is gone */
	rc5_xor(r, x, (BIT(r->n) - 1) & ~BIT(x), s, e, false);
	return 0;
}

/*
 * Read @len sectors at drive sector @lba (inside one chunk) of @bio (from
 * sector @off of it) by rebuilding them from the rest of the row.
 * Process context.
 */
static void rc5_read_rebuilt(struct rc_cmd *cmd, struct bio *bio, u32 off,
			     u64 lba, u32 len)
{
	struct rc_ldev *ld = cmd->ld;
	struct rc_loc loc;
	struct rc5_row r;
	u32 s;
	int x;

	rc_geom_map(&ld->geom, lba, len, &loc);
	if (loc.len != len) {
		rc_cmd_fail(cmd);
		return;
	}
	s = loc.offset & (ld->geom.chunk - 1);
	rc_stripe_lock(ld, loc.row);
	if (rc5_row_init(&r, ld, loc.row, s, s + len))
		goto fail;
	x = rc_geom_r5_data_index(&ld->geom, loc.row, loc.member[0]);
	if (x < 0 || rc5_failed_pos(&r) == -2 ||
	    rc5_rebuild_range(&r, x, s, s + len))
		goto fail;
	rc5_copy(&r, bio, off, x, s, len, false);
	goto out;
fail:
	rc_cmd_fail(cmd);
out:
	rc5_row_free(&r);
	rc_stripe_unlock(ld, loc.row);
}

/*
 * Write-intent resync (bitmap.c): recompute the parity of @row from its
 * data, under the stripe lock.  0 or -EIO.
 */
int rc_raid5_resync_row(struct rc_ldev *ld, u64 row)
{
	struct rc5_row r;
	unsigned int i, d = ld->nmem - 1;
	int ret;

	rc_stripe_lock(ld, row);
	ret = rc5_row_init(&r, ld, row, 0, ld->geom.chunk);
	if (!ret) {
		rc5_begin(&r);
		for (i = 0; i < d; i++)
			rc5_io(&r, i, 0, ld->geom.chunk, REQ_OP_READ);
		if (rc5_wait(&r))
			ret = -EIO;
	}
	if (!ret) {
		rc5_xor(&r, d, BIT(d) - 1, 0, ld->geom.chunk, false);
		rc5_begin(&r);
		rc5_io(&r, d, 0, ld->geom.chunk, REQ_OP_WRITE);
		if (rc5_wait(&r))
			ret = -EIO;
	}
	rc5_row_free(&r);
	rc_stripe_unlock(ld, row);
	return ret;
}

static void rc5_read(struct rc_cmd *cmd, struct bio *bio)
{
	const struct rc_geom *g = &cmd->ld->geom;
	u32 off, total = bio_sectors(bio);
	struct rc_loc loc;

	for (off = 0; off < total; off += loc.len) {
		rc_geom_map(g, bio->bi_iter.bi_sector + off, total - off, &loc);
		if (WARN_ON_ONCE(!loc.len)) {
			rc_cmd_fail(cmd);
			return;
		}
		if (rc_mem_usable(cmd->ld, loc.member[0]))
			rc_submit_piece(cmd, bio, off, loc.len, loc.offset,
					loc.member[0], 0);
		else
			rc5_read_rebuilt(cmd, bio, off,
					 bio->bi_iter.bi_sector + off, loc.len);
	}
}

/* What a write of one row touches: data chunk i at [ws[i], we[i]). */
struct rc5_write {
	struct bio *bio;
	u32 off;			/* bio sector of row-data sector @a */
	u32 a, b;			/* row-data sectors written */
	u32 ws[RC_MAX_EXTENTS], we[RC_MAX_EXTENTS];
};

enum rc5_mode { RC5_RMW, RC5_RCW, RC5_REBUILD, RC5_NO_PARITY };

static enum rc5_mode rc5_choose(struct rc5_row *r, const struct rc5_write *w,
				int f)
{
	unsigned int i, d = r->n - 1;
	u32 len = r->hi - r->lo, rmw = len, rcw = 0;

	if (f == (int)d)
		return RC5_NO_PARITY;
	if (f >= 0)
		return RC5_REBUILD;
	for (i = 0; i < d; i++) {
		rmw += w->we[i] - w->ws[i];
		rcw += len - (w->we[i] - w->ws[i]);
	}
	return rcw <= rmw ? RC5_RCW : RC5_RMW;
}

/* Issue the reads @mode needs (one round). */
static void rc5_write_reads(struct rc5_row *r, const struct rc5_write *w,
			    enum rc5_mode mode, int f)
{
	unsigned int i, d = r->n - 1;

	for (i = 0; i < d; i++) {
		switch (mode) {
		case RC5_RMW:
			rc5_io(r, i, w->ws[i], w->we[i], REQ_OP_READ);
			break;
		case RC5_RCW:
			if (w->ws[i] >= w->we[i]) {
				rc5_io(r, i, r->lo, r->hi, REQ_OP_READ);
				break;
			}
			rc5_io(r, i, r->lo, w->ws[i], REQ_OP_READ);
			rc5_io(r, i, w->we[i], r->hi, REQ_OP_READ);
			break;
		case RC5_REBUILD:
			if ((int)i != f)
				rc5_io(r, i, r->lo, r->hi, REQ_OP_READ);
			break;
		case RC5_NO_PARITY:
			break;
		}
	}
	if (mode == RC5_RMW || mode == RC5_REBUILD)
		rc5_io(r, d, r->lo, r->hi, REQ_OP_READ);
}

static void rc5_copy_new(struct rc5_row *r, const struct rc5_write *w)
{
	const u32 c = r->ld->geom.chunk;
	unsigned int i;

	for (i = 0; i + 1 < r->n; i++)
		if (w->ws[i] < w->we[i])
			rc5_copy(r, w->bio, w->off + i * c + w->ws[i] - w->a,
				 i, w->ws[i], w->we[i] - w->ws[i], true);
}

/* Parity and data of one row.  Stripe lock held.  0 or -EIO. */
static int rc5_write_row(struct rc5_row *r, const struct rc5_write *w,
			 blk_opf_t fua)
{
	unsigned int i, d = r->n - 1, tries;
	unsigned long data = BIT(d) - 1;
	enum rc5_mode mode;
	int f;

	/* A read error fails that member: try again, degraded. */
	for (tries = 0;; tries++) {
		f = rc5_failed_pos(r);
		if (f == -2 || tries > 2)
			return -EIO;
		mode = rc5_choose(r, w, f);
		rc5_begin(r);
		rc5_write_reads(r, w, mode, f);
		if (!rc5_wait(r))
			break;
	}
	switch (mode) {
	case RC5_RMW:
		/* P ^= old data ^ new data, over what is written */
		for (i = 0; i < d; i++)
			rc5_xor(r, d, BIT(i), w->ws[i], w->we[i], true);
		rc5_copy_new(r, w);
		for (i = 0; i < d; i++)
			rc5_xor(r, d, BIT(i), w->ws[i], w->we[i], true);
		break;
	case RC5_REBUILD:
		/* the failed data first: what it holds outside the write */
		rc5_xor(r, f, (BIT(r->n) - 1) & ~BIT(f), r->lo, r->hi, false);
		fallthrough;
	case RC5_RCW:
		rc5_copy_new(r, w);
		rc5_xor(r, d, data, r->lo, r->hi, false);
		break;
	case RC5_NO_PARITY:
		rc5_copy_new(r, w);
		break;
	}
	rc5_begin(r);
	for (i = 0; i < d; i++)
		if ((int)i != f)
			rc5_io(r, i, w->ws[i], w->we[i], REQ_OP_WRITE | fua);
	if (mode != RC5_NO_PARITY)
		rc5_io(r, d, r->lo, r->hi, REQ_OP_WRITE | fua);
	/*
	 * A failed write failed its member: the row is then degraded but
	 * consistent (the parity or the data written covers it); whether the
	 * request fails is decided by the drive's state at its end.
	 */
	return rc5_wait(r) ? 1 : 0;
}

/* Write row-data sectors [a, b) of @row from @bio sector @off. */
static void rc5_write_one(struct rc_cmd *cmd, struct bio *bio, u32 off,
			  u64 row, u32 a, u32 b)
{
	struct rc_ldev *ld = cmd->ld;
	const u32 c = ld->geom.chunk;
	unsigned int i, d = ld->nmem - 1;
	struct rc5_write w = { .bio = bio, .off = off, .a = a, .b = b };
	struct rc5_row r;
	u32 lo = 0, hi = c;
	int ret;

	if (a / c == (b - 1) / c) {
		lo = a % c;
		hi = (b - 1) % c + 1;
	}
	for (i = 0; i < d; i++) {
		u32 cs = max(a, i * c + lo), ce = min(b, i * c + hi);

		w.ws[i] = cs < ce ? cs - i * c : 0;
		w.we[i] = cs < ce ? ce - i * c : 0;
	}
	rc_stripe_lock(ld, row);
	ret = rc5_row_init(&r, ld, row, lo, hi);
	if (!ret)
		ret = rc5_write_row(&r, &w, bio->bi_opf & REQ_FUA);
	rc5_row_free(&r);
	rc_stripe_unlock(ld, row);
	if (ret < 0)
		rc_cmd_fail(cmd);
	else if (ret)
		cmd->write_masked = true;
}

static void rc5_write(struct rc_cmd *cmd, struct bio *bio)
{
	const struct rc_geom *g = &cmd->ld->geom;
	u64 rowlen = rc_geom_stripe_data_sectors(g);
	u64 lba = bio->bi_iter.bi_sector, row;
	u32 total = bio_sectors(bio), off, a, len;

	if (lba + total > g->capacity) {
		rc_cmd_fail(cmd);
		return;
	}
	for (off = 0; off < total; off += len) {
		row = div_u64_rem(lba + off, (u32)rowlen, &a);
		len = min_t(u64, total - off, rowlen - a);
		rc5_write_one(cmd, bio, off, row, a, a + len);
	}
}

/* Process context (rc.io_wq): the request's bios, row by row. */
static void rc_raid5_submit_rq(struct rc_cmd *cmd, struct request *rq)
{
	struct bio *bio;

	__rq_for_each_bio(bio, rq) {
		if (op_is_write(bio_op(bio)))
			rc5_write(cmd, bio);
		else
			rc5_read(cmd, bio);
	}
}

static void rc5_retry_work(struct work_struct *work)
{
	struct rc_mbio *m = container_of(work, struct rc_mbio, work);
	struct rc_cmd *cmd = m->cmd;

	atomic64_inc(&cmd->ld->read_retries);
	rc5_read_rebuilt(cmd, m->src, m->off, m->lba, m->len);
	bio_put(&m->bio);
	rc_cmd_put(cmd);
}

static bool rc_raid5_member_error(struct rc_mbio *m)
{
	if (!m->src || op_is_write(bio_op(&m->bio))) {
		m->cmd->write_masked = true;	/* a flush */
		return false;
	}
	/* A direct read: rebuild it from the row, in process context. */
	INIT_WORK(&m->work, rc5_retry_work);
	queue_work(rc.io_wq, &m->work);
	return true;
}

static u8 rc_raid5_state(struct rc_ldev *ld)
{
	unsigned int i, failed = 0;

	for (i = 0; i < ld->nmem; i++)
		if (!rc_mem_usable(ld, i))
			failed++;
	if (failed > 1)
		return RC_LD_OFFLINE;
	return failed ? RC_LD_DEGRADED : RC_LD_OPTIMAL;
}

const struct rc_level_ops rc_raid5_ops = {
	.level = RC_RAID5,
	.submit_rq = rc_raid5_submit_rq,
	.member_error = rc_raid5_member_error,
	.state = rc_raid5_state,
};
