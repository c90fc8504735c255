// SPDX-License-Identifier: GPL-2.0
/*
 * RAID 5, left-symmetric (lib/geom.h): n members, per row n-1 data chunks
 * and one parity chunk, P = D0 ^ D1 ^ ... at every offset of the row.
 *
 * Reads of a usable member are cloned straight to it, without a lock (as
 * md's chunk-aligned reads).  Everything that touches parity runs under
 * the stripe lock of its row (stripe_lock.c):
 *  - a write request takes the locks of all its rows at once, issues the
 *    reads of every row together, computes every row's parity and issues
 *    all the writes together under one plug; the last member write's
 *    completion releases the rows and ends the request (rc5_write_rq()).
 *    Healthy, a partial row picks read-modify-write (read old data + old
 *    parity) or reconstruct-write (read the data it does not overwrite),
 *    whichever reads fewer sectors.  A whole row reads nothing, and when
 *    the request's pages allow it its parity is computed straight from
 *    them and its data written from them (zero copy); otherwise the data
 *    goes through private row buffers;
 *  - a read of a failed member rebuilds the data from the rest of the row
 *    (degraded read, and the retry of a read that failed);
 *  - degraded writes: with the parity member failed the data is written
 *    alone; with a data member failed the row window is read from every
 *    survivor, the missing data rebuilt, and data plus parity rewritten
 *    from it (md's reconstruct-write), so parity stays consistent; a
 *    whole row needs no read, its parity comes from the new data.
 * The lock makes all row work atomic to each other: a degraded read never
 * mixes old and new halves of a row's update in the sectors it rebuilds
 * under one lock (a step of up to 16 pages: a longer degraded read takes
 * the lock per step, so each step is atomic, not the whole piece).  Two failed members take the drive
 * offline; requests then fail with an I/O error.
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

#include "raid5.h"

#define RC5_SPP (PAGE_SIZE >> SECTOR_SHIFT)	/* sectors per page */
/*
 * Rows of one write request at most (rc_raid5_limits() caps the request
 * size): the request's row array lives in its pdu (rc5_start()).
 */
#define RC5_MAX_ROWS 64
/* Pages per step of a standalone row operation (degraded read, resync). */
#define RC5_STEP_PAGES 16

/*
 * A write request's row work, all its rows at once (rc5_write_rq()): the
 * rows, their stripes from the cache, and one counter of member I/O in
 * flight for the current phase.  In the read phase the submitting worker
 * waits for @done; in the write phase (@writing) the last completion
 * finishes the request.  It lives in the request's pdu, after its
 * rc_cmd, with room for conf->max_rows rows and conf->max_stripes stripe
 * pointers: nothing is allocated per request.
 */
struct rc5_req {
	struct rc_cmd *cmd;
	struct bio *src;		/* the request's first bio */
	u64 first;			/* first row */
	unsigned int nlocked;		/* rows first.. locked */
	unsigned int nrows;		/* row entries (see rc5_entry_len()) */
	unsigned int nst;		/* stripes taken */
	bool writing;
	atomic_t pending;
	struct completion done;
	struct rc5_row *rows;		/* nrows */
	struct rc5_stripe **st;		/* nst; each row has a slice */
};

/* Where a row stands in its request. */
enum rc5_state { RC5_NEED_READS, RC5_READY, RC5_ERROR };

enum rc5_mode { RC5_RMW, RC5_RCW, RC5_REBUILD, RC5_NO_PARITY, RC5_DIRECT };

/* One row's work: buffers and the member I/O in flight. */
struct rc5_row {
	struct rc_ldev *ld;
	struct rc5_req *req;		/* NULL: standalone (rc5_begin/wait) */
	u64 row;
	u32 lo, hi;			/* chunk offsets of the window */
	unsigned int n, npp;		/* members, pages of the window */
	u16 member[RC_MAX_EXTENTS];	/* by position: data..., parity */
	struct rc5_stripe **st;		/* npp stripes: window page i */
	atomic_t pending;		/* standalone only */
	atomic_t failed;		/* member I/O errors this round */
	struct completion done;		/* standalone only */
	/* a write's row: request sectors, what it writes, how */
	u32 off;			/* request sector of row-data sector @a */
	u32 a, b;			/* row-data sectors written */
	u32 ws[RC_MAX_EXTENTS], we[RC_MAX_EXTENTS]; /* data i: [ws, we) */
	bool direct;			/* whole row, parity from the request */
	enum rc5_state state;
	enum rc5_mode mode;
	int f;				/* failed position, see rc5_failed_pos */
};

/* Position @j's buffer page holding window byte @b. */
static struct page *rc5_page(struct rc5_row *r, unsigned int j, u32 b)
{
	return r->st[b / PAGE_SIZE]->page[j];
}

static void *rc5_addr(struct rc5_row *r, unsigned int j, u32 s)
{
	u32 b = (s - r->lo) * SECTOR_SIZE;	/* byte in the buffer */

	return page_address(rc5_page(r, j, b)) + b % PAGE_SIZE;
}

/* Pages of the window [lo, hi): the buffers start page aligned at @lo. */
static unsigned int rc5_window_pages(u32 lo, u32 hi)
{
	return DIV_ROUND_UP(hi - lo, RC5_SPP);
}

/* Set up @row's window [lo, hi) on stripes @st (rc5_window_pages() of them). */
static void rc5_row_init(struct rc5_row *r, struct rc_ldev *ld, u64 row,
			 u32 lo, u32 hi, struct rc5_stripe **st)
{
	r->ld = ld;
	r->row = row;
	r->lo = lo;
	r->hi = hi;
	r->n = ld->nmem;
	r->npp = rc5_window_pages(lo, hi);
	r->st = st;
	rc_geom_r5_row_members(&ld->geom, row, r->member);
	atomic_set(&r->failed, 0);
	init_completion(&r->done);
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

static void rc5_req_finish(struct rc5_req *q);

/* The request's counter of the current phase drops by one.  Any context. */
static void rc5_req_put(struct rc5_req *q)
{
	if (!atomic_dec_and_test(&q->pending))
		return;
	if (q->writing)
		rc5_req_finish(q);
	else
		complete(&q->done);
}

static void rc5_get(struct rc5_row *r)
{
	atomic_inc(r->req ? &r->req->pending : &r->pending);
}

static void rc5_endio(struct bio *bio)
{
	struct rc5_row *r = bio->bi_private;
	unsigned int j = container_of(bio, struct rc_mbio, bio)->member;

	if (bio->bi_status) {
		/*
		 * Fenced at the disk: no member failed, so the row would end
		 * "degraded" and the request acknowledged; it fails instead.
		 */
		if (!rc_member_bio_failed(r->ld, r->member[j], bio) && r->req)
			WRITE_ONCE(r->req->cmd->status, BLK_STS_NEXUS);
		atomic_inc(&r->failed);
	}
	bio_put(bio);
	if (r->req)
		rc5_req_put(r->req);
	else if (atomic_dec_and_test(&r->pending))
		complete(&r->done);
}

/* A standalone row (rebuild, resync, degraded read): one round of I/O. */
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

static struct bio *rc5_bio_setup(struct rc5_row *r, struct bio *bio,
				 unsigned int j, u64 moff)
{
	container_of(bio, struct rc_mbio, bio)->member = j;
	bio->bi_iter.bi_sector = r->ld->mem[r->member[j]].start + moff;
	bio->bi_private = r;
	bio->bi_end_io = rc5_endio;
	rc5_get(r);
	return bio;
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
	if (r->req) {
		/*
		 * As the clones of the request's bios (rc5_clone()): the same
		 * I/O priority and cgroup, or the block layer would not merge
		 * a member's parity and data pieces of consecutive rows.
		 */
		bio->bi_ioprio = r->req->src->bi_ioprio;
		bio_clone_blkg_association(bio, r->req->src);
	}
	for (pos = s; pos < e; pos += n) {
		u32 b = pos - r->lo;

		n = min_t(u32, e - pos, RC5_SPP - b % RC5_SPP);
		__bio_add_page(bio, rc5_page(r, j, b * SECTOR_SIZE),
			       n * SECTOR_SIZE, (b % RC5_SPP) * SECTOR_SIZE);
	}
	rc5_bio_setup(r, bio, j, (r->row << r->ld->geom.chunk_shift) + s);
	submit_bio_noacct(bio);
}

/*
 * Write @len sectors of the request's data, from request sector @off, to
 * the start of position @j's chunk: clones of the request's bios, no copy
 * (a whole row written in place, rc5_direct_ok()).
 */
static void rc5_clone(struct rc5_row *r, struct request *rq, unsigned int j,
		      u32 off, u32 len, blk_opf_t opf)
{
	struct rc_member *mem = &r->ld->mem[r->member[j]];
	u64 moff = r->row << r->ld->geom.chunk_shift;
	struct bio *src, *bio;
	u32 n;

	if (!rc5_usable(r, j)) {
		atomic_inc(&r->failed);
		return;
	}
	for (src = rq->bio; src && len; src = src->bi_next) {
		if (off >= bio_sectors(src)) {
			off -= bio_sectors(src);
			continue;
		}
		n = min(len, bio_sectors(src) - off);
		bio = bio_alloc_clone(mem->md->bdev, src, GFP_NOIO, &rc.bioset);
		bio_trim(bio, off, n);
		bio->bi_opf = opf;
		rc5_bio_setup(r, bio, j, moff);
		submit_bio_noacct(bio);
		moff += n;
		len -= n;
		off = 0;
	}
}

/* A position in the data of a chain of bios (a request's, or one bio). */
struct rc5_cur {
	struct bio *bio;
	struct bvec_iter it;
};

static void rc5_seek(struct rc5_cur *c, struct bio *bio, u32 off)
{
	while (bio->bi_next && off >= bio_sectors(bio)) {
		off -= bio_sectors(bio);
		bio = bio->bi_next;
	}
	c->bio = bio;
	c->it = bio->bi_iter;
	bio_advance_iter(bio, &c->it, (u64)off << SECTOR_SHIFT);
}

/* The piece of one page at @c; bv_len 0 past the end. */
static struct bio_vec rc5_cur_bvec(const struct rc5_cur *c)
{
	return bio_iter_iovec(c->bio, c->it);
}

static void rc5_cur_advance(struct rc5_cur *c, u32 bytes)
{
	bio_advance_iter_single(c->bio, &c->it, bytes);
	if (!c->it.bi_size && c->bio->bi_next) {
		c->bio = c->bio->bi_next;
		c->it = c->bio->bi_iter;
	}
}

/* Copy @len sectors between the data at @c and position @j from @s. */
static void rc5_copy(struct rc5_row *r, struct rc5_cur *c, unsigned int j,
		     u32 s, u32 len, bool to_buf)
{
	u32 b = (s - r->lo) * SECTOR_SIZE, end = b + len * SECTOR_SIZE;

	while (b < end) {
		struct bio_vec bv = rc5_cur_bvec(c);
		u32 n = min3(bv.bv_len, end - b, (u32)(PAGE_SIZE - b % PAGE_SIZE));
		char *buf = page_address(rc5_page(r, j, b)) + b % PAGE_SIZE;
		char *p;

		if (WARN_ON_ONCE(!n))
			return;
		p = bvec_kmap_local(&bv);
		if (to_buf)
			memcpy(buf, p, n);
		else
			memcpy(p, buf, n);
		kunmap_local(p);
		rc5_cur_advance(c, n);
		b += n;
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

/*
 * Zero copy: the data of a whole row, request sectors [off, off + len),
 * can feed the parity computation in place when every piece of it is
 * sector aligned (so 16-byte aligned and a multiple of 512 bytes, as the
 * xor routines need) and in lowmem.  Unaligned or highmem pieces take the
 * copy into row buffers instead.  Off by default, as md's skip_copy: the
 * parity is then only as stable as the caller's buffer (raid5.md).
 */
bool raid5_zero_copy;
module_param(raid5_zero_copy, bool, 0644);
MODULE_PARM_DESC(raid5_zero_copy,
		 "default of each RAID 5 drive's raid5_zero_copy: full-row writes compute parity from the request's pages (default N)");

/* The drive's own setting (sysfs raid5_zero_copy), else the module's. */
bool rc5_zero_copy(const struct rc_ldev *ld)
{
	int zc = READ_ONCE(rc5_conf(ld)->zero_copy);

	return zc < 0 ? READ_ONCE(raid5_zero_copy) : zc;
}

static bool rc5_direct_ok(struct rc_ldev *ld, struct request *rq, u32 off,
			  u32 len)
{
	u32 left = len << SECTOR_SHIFT;
	struct rc5_cur c;

	if (!rc5_zero_copy(ld))
		return false;
	rc5_seek(&c, rq->bio, off);
	while (left) {
		struct bio_vec bv = rc5_cur_bvec(&c);

		if (!bv.bv_len || (bv.bv_offset | bv.bv_len) & (SECTOR_SIZE - 1) ||
		    PageHighMem(bv.bv_page))
			return false;
		bv.bv_len = min(bv.bv_len, left);
		rc5_cur_advance(&c, bv.bv_len);
		left -= bv.bv_len;
	}
	return true;
}

/* Parity of a whole row (window [0, chunk)) from the request's pages. */
static void rc5_parity_direct(struct rc5_row *r, struct request *rq)
{
	const u32 c = r->ld->geom.chunk, end = c << SECTOR_SHIFT;
	struct rc5_cur cur[RC_MAX_EXTENTS - 1];
	void *srcs[RC_MAX_EXTENTS - 1];
	unsigned int i, d = r->n - 1;
	struct bio_vec bv;
	u32 b, n;
	char *p;

	for (i = 0; i < d; i++)
		rc5_seek(&cur[i], rq->bio, r->off + i * c);
	for (b = 0; b < end; b += n) {
		n = min_t(u32, end - b, PAGE_SIZE - b % PAGE_SIZE);
		for (i = 0; i < d; i++) {
			bv = rc5_cur_bvec(&cur[i]);
			n = min(n, bv.bv_len);
			srcs[i] = page_address(bv.bv_page) + bv.bv_offset;
		}
		if (WARN_ON_ONCE(!n))
			return;	/* rc5_direct_ok() saw every byte */
		p = page_address(rc5_page(r, d, b)) + b % PAGE_SIZE;
		memcpy(p, srcs[0], n);
		rc_xor(p, srcs + 1, d - 1, n);
		for (i = 0; i < d; i++)
			rc5_cur_advance(&cur[i], n);
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
 * A standalone row operation's next step of row offsets [*lo, end): at
 * most RC5_STEP_PAGES pages of window (never more than the cache's
 * minimum: a chunk is at least one page, a request's need two chunks).
 */
static u32 rc5_step_end(u32 lo, u32 end)
{
	return min_t(u32, end, lo + RC5_STEP_PAGES * RC5_SPP - lo % RC5_SPP);
}

/*
 * Read @len sectors at drive sector @lba (inside one chunk) of @bio (from
 * sector @off of it) by rebuilding them from the rest of the row, a step
 * at a time: stripes from the cache first, then the row's lock.
 * Process context.
 */
static void rc5_read_rebuilt(struct rc_cmd *cmd, struct bio *bio, u32 off,
			     u64 lba, u32 len)
{
	struct rc5_stripe *st[RC5_STEP_PAGES];
	struct rc_ldev *ld = cmd->ld;
	struct rc5_cache *c = &rc5_conf(ld)->cache;
	struct rc5_row r = {};
	struct rc_loc loc;
	struct rc5_cur cur;
	u32 s, e, lo, hi;
	int x, ret;

	rc_geom_map(&ld->geom, lba, len, &loc);
	x = rc_geom_r5_data_index(&ld->geom, loc.row, loc.member[0]);
	if (loc.len != len || x < 0) {
		rc_cmd_fail(cmd);
		return;
	}
	s = loc.offset & (ld->geom.chunk - 1);
	e = s + len;
	rc5_seek(&cur, bio, off);
	for (lo = s; lo < e; lo = hi) {
		hi = rc5_step_end(lo, e);
		rc5_cache_get(c, rc5_window_pages(lo, hi), st);
		rc5_row_init(&r, ld, loc.row, lo, hi, st);
		rc_stripe_lock(ld, loc.row);
		ret = rc5_failed_pos(&r) == -2 ? -EIO :
		      rc5_rebuild_range(&r, x, lo, hi);
		rc_stripe_unlock(ld, loc.row);
		if (!ret)
			rc5_copy(&r, &cur, x, lo, hi - lo, false);
		rc5_cache_put(c, r.npp, st);
		if (ret) {
			rc_cmd_fail(cmd);
			return;
		}
	}
}

/*
 * Write-intent resync (bitmap.c): recompute the parity of @row from its
 * data, under the stripe lock.  0 or -EIO.
 */
int rc_raid5_resync_row(struct rc_ldev *ld, u64 row)
{
	struct rc5_stripe *st[RC5_STEP_PAGES];
	struct rc5_cache *c = &rc5_conf(ld)->cache;
	unsigned int i, d = ld->nmem - 1;
	struct rc5_row r = {};
	u32 lo, hi;
	int ret = 0;

	for (lo = 0; lo < ld->geom.chunk && !ret; lo = hi) {
		hi = rc5_step_end(lo, ld->geom.chunk);
		rc5_cache_get(c, rc5_window_pages(lo, hi), st);
		rc5_row_init(&r, ld, row, lo, hi, st);
		rc_stripe_lock(ld, row);
		rc5_begin(&r);
		for (i = 0; i < d; i++)
			rc5_io(&r, i, lo, hi, REQ_OP_READ);
		if (rc5_wait(&r))
			ret = -EIO;
		if (!ret) {
			rc5_xor(&r, d, BIT(d) - 1, lo, hi, false);
			rc5_begin(&r);
			rc5_io(&r, d, lo, hi, REQ_OP_WRITE);
			if (rc5_wait(&r))
				ret = -EIO;
		}
		rc_stripe_unlock(ld, row);
		rc5_cache_put(c, r.npp, st);
	}
	return ret;
}

/* rc.io_wq: a piece rc5_read() found on a failed member in queue_rq(). */
static void rc5_rebuilt_work(struct work_struct *work)
{
	struct rc_mbio *m = container_of(work, struct rc_mbio, work);
	struct rc_cmd *cmd = m->cmd;

	rc5_read_rebuilt(cmd, m->src, m->off, m->lba, m->len);
	bio_put(&m->bio);
	rc_cmd_put(cmd);
}

/*
 * The pieces of a read go to their data members; a piece on a failed
 * member is rebuilt from its row, which waits for member reads: here in
 * the worker, or handed to it when @may_wait is false (queue_rq()).
 */
static void rc5_read(struct rc_cmd *cmd, struct bio *bio, bool may_wait)
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
		else if (may_wait)
			rc5_read_rebuilt(cmd, bio, off,
					 bio->bi_iter.bi_sector + off, loc.len);
		else
			rc_defer_piece(cmd, bio, off, loc.len,
				       rc5_rebuilt_work);
	}
}

/* How a row is written; stripe lock held, failed position @f known. */
static enum rc5_mode rc5_choose(struct rc5_row *r, int f)
{
	unsigned int i, d = r->n - 1;
	u32 len = r->hi - r->lo, rmw = len, rcw = 0;

	if (f == (int)d)
		return RC5_NO_PARITY;
	if (r->direct)
		return RC5_DIRECT;	/* reads nothing, even degraded */
	if (f >= 0)
		return RC5_REBUILD;
	/* parity not built yet: read-modify-write would keep it wrong */
	if (!rc_rebuild_r5_in_sync(r->ld, r->row))
		return RC5_RCW;
	for (i = 0; i < d; i++) {
		rmw += r->we[i] - r->ws[i];
		rcw += len - (r->we[i] - r->ws[i]);
	}
	return rcw <= rmw ? RC5_RCW : RC5_RMW;
}

/* Issue the reads the row's mode needs (part of the request's round). */
static void rc5_row_reads(struct rc5_row *r)
{
	unsigned int i, d = r->n - 1;

	r->f = rc5_failed_pos(r);
	if (r->f == -2) {
		r->state = RC5_ERROR;
		return;
	}
	atomic_set(&r->failed, 0);
	r->mode = rc5_choose(r, r->f);
	for (i = 0; i < d; i++) {
		switch (r->mode) {
		case RC5_RMW:
			rc5_io(r, i, r->ws[i], r->we[i], REQ_OP_READ);
			break;
		case RC5_RCW:
			if (r->ws[i] >= r->we[i]) {
				rc5_io(r, i, r->lo, r->hi, REQ_OP_READ);
				break;
			}
			rc5_io(r, i, r->lo, r->ws[i], REQ_OP_READ);
			rc5_io(r, i, r->we[i], r->hi, REQ_OP_READ);
			break;
		case RC5_REBUILD:
			if ((int)i != r->f)
				rc5_io(r, i, r->lo, r->hi, REQ_OP_READ);
			break;
		case RC5_NO_PARITY:
		case RC5_DIRECT:
			break;
		}
	}
	if (r->mode == RC5_RMW || r->mode == RC5_REBUILD)
		rc5_io(r, d, r->lo, r->hi, REQ_OP_READ);
}

/*
 * The read rounds of every row of @q at once.  A read error fails that
 * member: the rows that saw one choose again, degraded, up to three times.
 * Rows left unread are RC5_ERROR.
 */
static void rc5_req_reads(struct rc5_req *q)
{
	struct blk_plug plug;
	unsigned int k, tries;
	bool again = true;

	for (tries = 0; again && tries < 3; tries++) {
		atomic_set(&q->pending, 1);
		reinit_completion(&q->done);
		blk_start_plug(&plug);
		for (k = 0; k < q->nrows; k++)
			if (q->rows[k].state == RC5_NEED_READS)
				rc5_row_reads(&q->rows[k]);
		blk_finish_plug(&plug);
		if (!atomic_dec_and_test(&q->pending))
			wait_for_completion(&q->done);
		again = false;
		for (k = 0; k < q->nrows; k++) {
			struct rc5_row *r = &q->rows[k];

			if (r->state != RC5_NEED_READS)
				continue;
			if (atomic_read(&r->failed))
				again = true;
			else
				r->state = RC5_READY;
		}
	}
	for (k = 0; k < q->nrows; k++)
		if (q->rows[k].state == RC5_NEED_READS)
			q->rows[k].state = RC5_ERROR;
}

/* Copy the request's new data of the row into its buffers. */
static void rc5_copy_new(struct rc5_row *r, struct request *rq)
{
	const u32 c = r->ld->geom.chunk;
	struct rc5_cur cur;
	unsigned int i;

	for (i = 0; i + 1 < r->n; i++) {
		if (r->ws[i] >= r->we[i])
			continue;
		rc5_seek(&cur, rq->bio, r->off + i * c + r->ws[i] - r->a);
		rc5_copy(r, &cur, i, r->ws[i], r->we[i] - r->ws[i], true);
	}
}

/* The row's new parity (and data buffers), after its reads. */
static void rc5_row_compute(struct rc5_row *r, struct request *rq)
{
	unsigned int i, d = r->n - 1;

	switch (r->mode) {
	case RC5_RMW:
		/* P ^= old data ^ new data, over what is written */
		for (i = 0; i < d; i++)
			rc5_xor(r, d, BIT(i), r->ws[i], r->we[i], true);
		rc5_copy_new(r, rq);
		for (i = 0; i < d; i++)
			rc5_xor(r, d, BIT(i), r->ws[i], r->we[i], true);
		break;
	case RC5_REBUILD:
		/* the failed data first: what it holds outside the write */
		rc5_xor(r, r->f, (BIT(r->n) - 1) & ~BIT(r->f), r->lo, r->hi,
			false);
		fallthrough;
	case RC5_RCW:
		rc5_copy_new(r, rq);
		rc5_xor(r, d, BIT(d) - 1, r->lo, r->hi, false);
		break;
	case RC5_NO_PARITY:
		if (!r->direct)
			rc5_copy_new(r, rq);
		break;
	case RC5_DIRECT:
		rc5_parity_direct(r, rq);
		break;
	}
}

/*
 * Issue the write of position @j of the row (nothing for a failed data
 * position or, with RC5_NO_PARITY, the parity).  A failed write fails its
 * member: the row is then degraded but consistent (the parity or the data
 * written covers it); whether the request fails is decided by the drive's
 * state at its end (rc_cmd_put()).
 */
static void rc5_pos_write(struct rc5_row *r, unsigned int j,
			  struct request *rq, blk_opf_t opf)
{
	const u32 c = r->ld->geom.chunk;
	unsigned int d = r->n - 1;

	if (j == d) {
		if (r->mode != RC5_NO_PARITY)
			rc5_io(r, d, r->lo, r->hi, opf);
	} else if ((int)j != r->f) {
		if (r->direct)
			rc5_clone(r, rq, j, r->off + j * c, c, opf);
		else
			rc5_io(r, j, r->ws[j], r->we[j], opf);
	}
}

/*
 * Issue the writes of every ready row, member by member and each member's
 * rows in ascending order: its pieces of consecutive rows are contiguous
 * on it and merge into one request under the plug before another member's
 * first piece starts a new one (the plug is flushed when a new request
 * follows one of 128 KiB or more).
 */
static void rc5_req_writes(struct rc5_req *q, struct request *rq)
{
	blk_opf_t opf = REQ_OP_WRITE | (rq->cmd_flags & REQ_FUA);
	unsigned int k, j, m, nmem = q->cmd->ld->nmem;
	struct blk_plug plug;

	for (k = 0; k < q->nrows; k++)
		atomic_set(&q->rows[k].failed, 0);
	blk_start_plug(&plug);
	for (m = 0; m < nmem; m++) {
		for (k = 0; k < q->nrows; k++) {
			struct rc5_row *r = &q->rows[k];

			if (r->state != RC5_READY)
				continue;
			for (j = 0; j < r->n; j++)
				if (r->member[j] == m)
					rc5_pos_write(r, j, rq, opf);
		}
	}
	blk_finish_plug(&plug);
}

/* The request's rows and stripes go back (its last member I/O ended). */
static void rc5_req_release(struct rc5_req *q)
{
	struct rc_ldev *ld = q->cmd->ld;

	rc_stripe_unlock_rows(ld, q->first, q->nlocked);
	rc5_cache_put(&rc5_conf(ld)->cache, q->nst, q->st);
}

/*
 * The last member write of the request is done: release its rows and end
 * it.  Any context (usually a member's completion).
 */
static void rc5_req_finish(struct rc5_req *q)
{
	struct rc_cmd *cmd = q->cmd;
	unsigned int k;

	for (k = 0; k < q->nrows; k++)
		if (q->rows[k].state == RC5_READY &&
		    atomic_read(&q->rows[k].failed))
			WRITE_ONCE(cmd->write_masked, true);
	rc5_req_release(q);
	rc_cmd_put(cmd);
}

/*
 * How much of a write of row-data sectors [a, a + len) one row entry
 * takes.  A write that crosses one chunk boundary without reaching the
 * same chunk offset on both sides (a 4 KiB write across the boundary,
 * say) touches two disjoint ranges of the parity chunk: one window over
 * both would read and write the whole chunk, so each side is an entry of
 * its own, with the parity it needs.  Only a request within one row can
 * be split so: a longer one reaches the row's end or start.
 */
static u32 rc5_entry_len(u32 c, u32 a, u32 len)
{
	u32 e = a + len - 1;

	if (a / c + 1 == e / c && e % c < a % c)
		return c - a % c;
	return len;
}

/*
 * Set up entry @k of @q for row @row: request sectors [off, off + len)
 * are row-data sectors [a, a + len) of it.  Returns the pages of its
 * window (the stripes it takes from the cache); rc5_row_init() comes once
 * they are taken.
 */
static unsigned int rc5_req_row(struct rc5_req *q, struct request *rq,
				unsigned int k, u64 row, u32 off, u32 a,
				u32 len)
{
	struct rc5_row *r = &q->rows[k];
	struct rc_ldev *ld = q->cmd->ld;
	const u32 c = ld->geom.chunk;
	unsigned int i, d = ld->nmem - 1;
	u32 lo = 0, hi = c, b = a + len;

	memset(r, 0, sizeof(*r));
	/* the window: one chunk's written range, or all of the chunk */
	if (a / c == (b - 1) / c) {
		lo = a % c;
		hi = (b - 1) % c + 1;
	}
	for (i = 0; i < d; i++) {
		u32 cs = max(a, i * c + lo), ce = min(b, i * c + hi);

		r->ws[i] = cs < ce ? cs - i * c : 0;
		r->we[i] = cs < ce ? ce - i * c : 0;
	}
	r->req = q;
	r->row = row;
	r->off = off;
	r->a = a;
	r->b = b;
	r->lo = lo;
	r->hi = hi;
	r->direct = len == d * c && rc5_direct_ok(ld, rq, off, len);
	return rc5_window_pages(lo, hi);
}

/*
 * A write request, all its rows at once:
 *  1. set up every row (a row entry each, two for a write straddling a
 *     chunk boundary, rc5_entry_len()) and take all their stripes from
 *     the cache (may
 *     sleep until other requests give stripes back; no lock held);
 *  2. take every row's stripe lock (rc_stripe_lock_rows(): ascending slot
 *     order, so two requests never deadlock, see stripe_lock.c);
 *  3. issue the reads of every row together, wait once;
 *  4. compute every row's parity;
 *  5. issue every row's writes together under one plug (consecutive whole
 *     rows merge in the member queues) and return: the completion of the
 *     last member write releases the rows and the stripes and ends the
 *     request.
 * The rows stay locked from before their first read until after their
 * last write, so reads of the rows (degraded), other writes and the
 * rebuild see each row either before or after this update.  Nothing is
 * allocated: the request's state is in its pdu, its buffers in the cache.
 */
static void rc5_write_rq(struct rc_cmd *cmd, struct request *rq)
{
	struct rc_ldev *ld = cmd->ld;
	struct rc5_conf *conf = rc5_conf(ld);
	const struct rc_geom *g = &ld->geom;
	u32 rowlen = rc_geom_stripe_data_sectors(g);
	u32 total = blk_rq_sectors(rq), off, a, len;
	u64 lba = blk_rq_pos(rq), first;
	struct rc5_req *q = rc_cmd_priv(cmd);
	unsigned int k, nrows, nst;

	if (!total)
		return;		/* nothing to write (flushes come as REQ_OP_FLUSH) */
	if (!rq->bio || lba + total > g->capacity) {
		rc_cmd_fail(cmd);
		return;
	}
	first = div_u64(lba, rowlen);
	nrows = div_u64(lba + total - 1, rowlen) - first + 1;
	if (WARN_ON_ONCE(nrows > conf->max_rows)) {
		rc_cmd_fail(cmd);
		return;
	}
	q->rows = (struct rc5_row *)(q + 1);
	q->st = (struct rc5_stripe **)(q->rows + conf->max_rows);
	q->cmd = cmd;
	q->src = rq->bio;
	q->first = first;
	q->nlocked = nrows;
	q->writing = false;
	init_completion(&q->done);
	nst = 0;
	for (off = 0, k = 0; off < total; off += len, k++) {
		u64 row = div_u64_rem(lba + off, rowlen, &a);

		if (WARN_ON_ONCE(k == conf->max_rows)) {
			rc_cmd_fail(cmd);
			return;
		}
		len = rc5_entry_len(g->chunk, a, min(total - off, rowlen - a));
		nst += rc5_req_row(q, rq, k, row, off, a, len);
	}
	q->nrows = k;
	if (WARN_ON_ONCE(nst > conf->max_stripes)) {
		rc_cmd_fail(cmd);
		return;
	}
	q->nst = nst;
	rc5_cache_get(&conf->cache, nst, q->st);
	for (k = 0, nst = 0; k < q->nrows; k++) {
		struct rc5_row *r = &q->rows[k];

		rc5_row_init(r, ld, r->row, r->lo, r->hi, q->st + nst);
		nst += r->npp;
	}

	atomic_inc(&cmd->pending);	/* dropped by rc5_req_finish() */
	rc_stripe_lock_rows(ld, first, nrows);
	rc5_req_reads(q);
	for (k = 0; k < q->nrows; k++) {
		if (q->rows[k].state == RC5_READY)
			rc5_row_compute(&q->rows[k], rq);
		else
			rc_cmd_fail(cmd);
	}
	/* every read completed: nothing else touches the counter now */
	q->writing = true;
	atomic_set(&q->pending, 1);
	rc5_req_writes(q, rq);
	rc5_req_put(q);
}

/*
 * A write is row work, in rc.io_wq.  Reads go straight to the members,
 * from queue_rq() like RAID 0 when every member was usable
 * (rc_raid5_needs_worker()), rebuilt from the row where a member failed.
 */
static void rc_raid5_submit_rq(struct rc_cmd *cmd, struct request *rq)
{
	bool may_wait = current_work() == &cmd->work;
	struct blk_plug plug;
	struct bio *bio;

	if (op_is_write(req_op(rq))) {
		rc5_write_rq(cmd, rq);
		return;
	}
	blk_start_plug(&plug);
	__rq_for_each_bio(bio, rq)
		rc5_read(cmd, bio, may_wait);
	blk_finish_plug(&plug);
}

/*
 * Writes take the worker hop (they read, lock and wait); so does a read
 * while a member is failed, most of which rebuild from the row.  A read
 * of a healthy drive needs no parity and goes out from queue_rq(), as do
 * flushes.
 */
static bool rc_raid5_needs_worker(struct rc_cmd *cmd, struct request *rq)
{
	struct rc_ldev *ld = cmd->ld;
	unsigned int i;

	if (req_op(rq) == REQ_OP_WRITE)
		return true;
	if (req_op(rq) == REQ_OP_READ)
		for (i = 0; i < ld->nmem; i++)
			if (!rc_mem_usable(ld, i))
				return true;
	return false;	/* and flushes: an empty preflush to each member */
}

/* rc.io_wq: a direct read that failed on its member, rebuilt from the row. */
static void rc5_retry_work(struct work_struct *work)
{
	struct rc_mbio *m = container_of(work, struct rc_mbio, work);

	atomic64_inc(&m->cmd->ld->read_retries);
	rc5_rebuilt_work(work);
}

static bool rc_raid5_member_error(struct rc_mbio *m)
{
	if (!m->src || op_is_write(bio_op(&m->bio))) {
		WRITE_ONCE(m->cmd->write_masked, true);	/* a flush */
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

/*
 * Zero-copy parity (rc5_parity_direct()) reads the request's pages, and
 * the members then write the same pages: the page cache must not change
 * them while they are under writeback, or the parity would not match the
 * data that reached the disk.  A request spans at most RC5_MAX_ROWS rows
 * (only drives with small stripes get requests below 1 MiB).
 */
static void rc_raid5_limits(struct rc_ldev *ld, struct request_queue *q)
{
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	blk_queue_max_hw_sectors(q, min_t(u32, queue_max_hw_sectors(q),
					  rc5_conf(ld)->max_sectors));
}

/*
 * Before the drive's first I/O: the stripe cache, sized so that the
 * largest request fits (a window of at most a chunk in each of its rows)
 * and at least md's default, and the request space in every pdu.
 */
static int rc_raid5_start(struct rc_ldev *ld)
{
	const struct rc_geom *g = &ld->geom;
	u32 rowlen = rc_geom_stripe_data_sectors(g);
	struct rc5_conf *conf;
	int ret;

	conf = kzalloc(sizeof(*conf), GFP_KERNEL);
	if (!conf)
		return -ENOMEM;
	conf->max_sectors = min_t(u32, RC_LD_MAX_SECTORS,
				  rowlen * (RC5_MAX_ROWS - 2));
	/* a request that starts inside a row ends in one row more */
	conf->max_rows = DIV_ROUND_UP(conf->max_sectors, rowlen) + 1;
	conf->max_stripes = conf->max_rows * DIV_ROUND_UP(g->chunk, RC5_SPP);
	conf->zero_copy = -1;
	/* room for two of the largest requests at once, and md's default */
	ret = rc5_cache_init(&conf->cache, ld->nmem, conf->max_stripes,
			     max_t(unsigned int, RC5_CACHE_DEFAULT,
				   2 * conf->max_stripes));
	if (ret) {
		kfree(conf);
		return ret;
	}
	ld->priv = conf;
	ld->cmd_extra = sizeof(struct rc5_req) +
			conf->max_rows * sizeof(struct rc5_row) +
			conf->max_stripes * sizeof(struct rc5_stripe *);
	return 0;
}

/* After the drive's last I/O (its queue drained, or it never started). */
static void rc_raid5_stop(struct rc_ldev *ld)
{
	struct rc5_conf *conf = rc5_conf(ld);

	rc5_cache_exit(&conf->cache);
	kfree(conf);
	ld->priv = NULL;
}

const struct rc_level_ops rc_raid5_ops = {
	.level = RC_RAID5,
	.submit_rq = rc_raid5_submit_rq,
	.needs_worker = rc_raid5_needs_worker,
	.member_error = rc_raid5_member_error,
	.state = rc_raid5_state,
	.limits = rc_raid5_limits,
	.start = rc_raid5_start,
	.stop = rc_raid5_stop,
	.attrs = rc_raid5_attrs,
};
