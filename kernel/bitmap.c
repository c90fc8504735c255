// SPDX-License-Identifier: GPL-2.0
/*
 * Write-intent bitmap: crash consistency of RAID 1/5/10.
 *
 * Each node keeps its own bitmap (md-cluster style) in its area
 * RC_WIB_OF(node) of every member disk; a drive uses the slice
 * RC_WIB_SLICE_SECTORS of it at its number, one bit per region of member
 * space.  Before a write to a clean region goes out, the region's bit is
 * written (FUA) to every usable member; the bit is cleared lazily once the
 * region has had no write for a while.  The node that takes a drive (its
 * reservation granted, or a lone master's first use) resyncs every region
 * set in ANY node's slice before it serves the drive (rc_wib_take()): RAID
 * 1/10 copy the first usable copy over the others, RAID 5 recomputes the
 * parity of each row from its data.  So neither a crash of this node nor
 * one of the node that held the drive before (md-cluster's takeover of a
 * dead node's bitmap) leaves mirrors or parity silently inconsistent
 * (Documentation/raid5.md).  Each node writes its own slice only.
 *
 * Ordering: a bit is set in memory only after the slice carrying it is on
 * the disks, so a writer that finds its bit set may go ahead; a region is
 * cleared only while no write to it is in flight (count), re-checked after
 * the clear.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blk-mq.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <raidcluster/layout.h>

#include "rc.h"
#include "node.h"

static bool write_intent = true;
module_param(write_intent, bool, 0444);
MODULE_PARM_DESC(write_intent,
		 "write-intent bitmap and resync of dirty regions at start for RAID 1/5/10 (default on)");

#define RC_WIB_SLICE_SECTORS (RC_WIB_SECTORS / RC_MAX_LDS)
#define RC_WIB_SLICE_BYTES (RC_WIB_SLICE_SECTORS * SECTOR_SIZE)
#define RC_WIB_BITS (RC_WIB_SLICE_BYTES * 8)
#define RC_WIB_SLICE_PAGES DIV_ROUND_UP(RC_WIB_SLICE_BYTES, PAGE_SIZE)
#define RC_WIB_MIN_SHIFT 13		/* regions of at least 4 MiB */
#define RC_WIB_CLEAR_MS 3000		/* idle time before a bit is cleared */
#define RC_WIB_COPY 2048u		/* resync copy unit, sectors */

struct rc_wib {
	struct rc_ldev *ld;
	unsigned int shift;		/* region = 1 << shift member sectors */
	unsigned int nregions;
	bool keep;			/* dirty regions not resynced: never clear */
	bool taken;			/* rc_wib_take() ran for this holding */
	u32 taken_seq;			/* ... at this rc_host_resv_seq() */
	bool clean_on_disk;		/* the slice last written was all zero */
	struct mutex lock;		/* slice writes and clears */
	unsigned long *bits;		/* on disk (or being cleared) */
	/*
	 * rc_wib_write_mark()'s scratch (w->lock), allocated at start: no
	 * write may go out with its bit clean for want of memory.
	 */
	unsigned long *want;
	unsigned long *touched;		/* written since the last clear scan */
	atomic_t *count;		/* writes in flight per region */
	void *slice;			/* RC_WIB_SLICE_BYTES, page aligned */
	/*
	 * rc_wib_write()'s bios, one per member, allocated at start: a
	 * slice goes to every member at once, with no allocation (w->lock).
	 */
	struct bio *mark_bio[RC_MAX_EXTENTS];
	atomic_t mark_pending;
	struct completion mark_done;
	struct delayed_work clear_work;
};

static sector_t rc_wib_sector(const struct rc_ldev *ld)
{
	return RC_WIB_OF(rc.node_id) + (u64)ld->number * RC_WIB_SLICE_SECTORS;
}

/* Add @bytes of kernel memory @buf (page aligned) to @bio. */
static void rc_wib_add_buf(struct bio *bio, void *buf, unsigned int bytes)
{
	unsigned int done;

	for (done = 0; done < bytes; done += PAGE_SIZE)
		__bio_add_page(bio, is_vmalloc_addr(buf + done) ?
			       vmalloc_to_page(buf + done) :
			       virt_to_page(buf + done),
			       min_t(unsigned int, bytes - done, PAGE_SIZE), 0);
}

/* Synchronous I/O of @len sectors of kernel memory @buf (page aligned). */
static int rc_wib_rw(struct block_device *bdev, sector_t sector, void *buf,
		     unsigned int len, blk_opf_t opf)
{
	unsigned int bytes = len << SECTOR_SHIFT;
	struct bio *bio;
	int ret;

	bio = bio_alloc_bioset(bdev, DIV_ROUND_UP(bytes, PAGE_SIZE), opf,
			       GFP_NOIO, &rc.page_bioset);
	bio->bi_iter.bi_sector = sector;
	rc_wib_add_buf(bio, buf, bytes);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

static void rc_wib_mark_endio(struct bio *bio)
{
	struct rc_wib *w = bio->bi_private;

	if (atomic_dec_and_test(&w->mark_pending))
		complete(&w->mark_done);
}

/*
 * Write @src (the bits to record) to every usable member, to all of them
 * at once: a write waiting for its first mark waits for one FUA write,
 * not one per member in turn.  w->lock held.
 */
static void rc_wib_write(struct rc_wib *w, const unsigned long *src)
{
	struct rc_ldev *ld = w->ld;
	unsigned long sent = 0;
	struct blk_plug plug;
	unsigned int i;

	memset(w->slice, 0, RC_WIB_SLICE_BYTES);
	bitmap_to_arr32(w->slice, src, w->nregions);
	w->clean_on_disk = bitmap_empty(src, w->nregions);
	atomic_set(&w->mark_pending, 1);
	reinit_completion(&w->mark_done);
	blk_start_plug(&plug);
	for (i = 0; i < ld->nmem; i++) {
		struct bio *b = w->mark_bio[i];

		if (!rc_mem_usable(ld, i))
			continue;
		bio_init(b, ld->mem[i].md->bdev, b->bi_inline_vecs,
			 RC_WIB_SLICE_PAGES, REQ_OP_WRITE | REQ_SYNC | REQ_FUA);
		b->bi_iter.bi_sector = rc_wib_sector(ld);
		rc_wib_add_buf(b, w->slice, RC_WIB_SLICE_BYTES);
		b->bi_end_io = rc_wib_mark_endio;
		b->bi_private = w;
		atomic_inc(&w->mark_pending);
		submit_bio(b);
		__set_bit(i, &sent);
	}
	blk_finish_plug(&plug);
	if (!atomic_dec_and_test(&w->mark_pending))
		wait_for_completion(&w->mark_done);
	for_each_set_bit(i, &sent, RC_MAX_EXTENTS) {
		struct bio *b = w->mark_bio[i];

		if (b->bi_status)
			rc_member_io_failed(ld, i, true, b->bi_status);
		bio_uninit(b);
	}
}

/* Member sectors [*lo, *hi) that drive sectors [lba, lba + len) touch. */
static void rc_wib_span(const struct rc_ldev *ld, u64 lba, u64 len, u64 *lo,
			u64 *hi)
{
	const struct rc_geom *g = &ld->geom;
	u64 rows = rc_geom_stripe_data_sectors(g);

	if (g->level == RC_RAID1) {
		*lo = lba;
		*hi = lba + len;
		return;
	}
	*lo = div_u64(lba, rows) << g->chunk_shift;
	*hi = (div_u64(lba + len - 1, rows) + 1) << g->chunk_shift;
}

/*
 * A write request starts: count it in its regions.  Returns true when one
 * of them is still clean in memory, so rc_wib_write_mark() must record
 * them on disk before the write's pieces go out; false when they are all
 * dirty already (the common case, no I/O).  Any context.
 */
bool rc_wib_write_begin(struct rc_cmd *cmd, struct request *rq)
{
	struct rc_wib *w = cmd->ld->wib;
	unsigned int r, r0, r1;
	u64 lo, hi;

	if (!w || req_op(rq) != REQ_OP_WRITE || !blk_rq_sectors(rq))
		return false;
	rc_wib_span(cmd->ld, blk_rq_pos(rq), blk_rq_sectors(rq), &lo, &hi);
	r0 = lo >> w->shift;
	r1 = min_t(u64, (hi - 1) >> w->shift, w->nregions - 1);
	for (r = r0; r <= r1; r++) {
		atomic_inc(&w->count[r]);
		set_bit(r, w->touched);
	}
	cmd->wib_r0 = r0;
	cmd->wib_n = r1 - r0 + 1;
	smp_mb__after_atomic();	/* counts before the bit checks (clear) */
	for (r = r0; r <= r1; r++)
		if (!test_bit(r, w->bits))
			return true;
	return false;
}

/*
 * The regions rc_wib_write_begin() counted are dirty on disk when this
 * returns.  Process context, never in a submitter's bio_list: it waits
 * for its own writes (rc.io_wq).
 */
void rc_wib_write_mark(struct rc_cmd *cmd)
{
	struct rc_wib *w = cmd->ld->wib;
	unsigned long *want;

	mutex_lock(&w->lock);
	want = w->want;
	bitmap_copy(want, w->bits, w->nregions);
	bitmap_set(want, cmd->wib_r0, cmd->wib_n);
	if (!bitmap_equal(want, w->bits, w->nregions)) {
		rc_wib_write(w, want);
		bitmap_copy(w->bits, want, w->nregions);
	}
	mutex_unlock(&w->lock);
}

/* The write request ends.  Any context. */
void rc_wib_write_end(struct rc_cmd *cmd)
{
	struct rc_wib *w = cmd->ld->wib;
	unsigned int r;

	if (!cmd->wib_n)
		return;
	for (r = cmd->wib_r0; r < cmd->wib_r0 + cmd->wib_n; r++)
		atomic_dec(&w->count[r]);
	cmd->wib_n = 0;
}

static void rc_wib_clear_fn(struct work_struct *work)
{
	struct rc_wib *w = container_of(to_delayed_work(work), struct rc_wib,
					clear_work);
	bool changed = false;
	unsigned int r;

	mutex_lock(&w->lock);
	for_each_set_bit(r, w->bits, w->nregions) {
		/*
		 * Only a node that may write the drive writes its slice: a
		 * suspended or fenced one keeps its bits (a survivor resyncs
		 * their regions) and sends nothing to the disks.
		 */
		if (w->keep || !rc_host_may_write(w->ld->number))
			break;
		if (test_and_clear_bit(r, w->touched) ||
		    atomic_read(&w->count[r]))
			continue;
		clear_bit(r, w->bits);
		smp_mb__after_atomic();	/* the clear before the re-check */
		if (atomic_read(&w->count[r]))
			set_bit(r, w->bits);	/* a writer came: keep it */
		else
			changed = true;
	}
	if (changed)
		rc_wib_write(w, w->bits);
	mutex_unlock(&w->lock);
	queue_delayed_work(rc.io_wq, &w->clear_work,
			   msecs_to_jiffies(RC_WIB_CLEAR_MS));
}

/* RAID 1/10: copy member sectors [lo, hi) of @src over @dst.  0 or error. */
static int rc_wib_copy(struct rc_ldev *ld, void *buf, unsigned int src,
		       unsigned int dst, u64 lo, u64 hi)
{
	u64 pos;
	u32 n;
	int ret;

	for (pos = lo; pos < hi; pos += n) {
		n = min_t(u64, hi - pos, RC_WIB_COPY);
		ret = rc_wib_rw(ld->mem[src].md->bdev,
				ld->mem[src].start + pos, buf, n, REQ_OP_READ);
		if (ret) {
			rc_member_io_failed(ld, src, false,
					    errno_to_blk_status(ret));
			return ret;
		}
		ret = rc_wib_rw(ld->mem[dst].md->bdev,
				ld->mem[dst].start + pos, buf, n, REQ_OP_WRITE);
		if (ret) {
			rc_member_io_failed(ld, dst, true,
					    errno_to_blk_status(ret));
			return ret;
		}
	}
	return 0;
}

/*
 * End of the part of member sectors [lo, hi) that rebuild target @i already
 * holds: below its rebuild position (chunk aligned), writes reach it.
 */
static u64 rc_wib_rebuilt_end(const struct rc_ldev *ld, unsigned int i,
			      u64 lo, u64 hi)
{
	u64 end = lo;

	while (end < hi &&
	       rc_rebuild_writable(ld, i, min_t(u64, end + ld->geom.chunk, hi)))
		end = min_t(u64, end + ld->geom.chunk, hi);
	return end;
}

/*
 * RAID 1/10: make the copies of region [lo, hi) equal.  A rebuild target
 * is a copy too below its rebuild position: writes went to it there, so a
 * crash can have left it different from the others, and the resumed
 * rebuild starts at its checkpoint, above, and never goes back.
 */
static int rc_wib_resync_mirror(struct rc_ldev *ld, void *buf, u64 lo, u64 hi)
{
	unsigned int step = ld->geom.level == RC_RAID10 ? 2 : ld->nmem;
	unsigned int g, i, src;
	int ret = 0;
	u64 end;

	for (g = 0; g < ld->nmem; g += step) {
		for (src = g; src < g + step; src++)
			if (rc_mem_usable(ld, src))
				break;
		if (src == g + step)
			continue;	/* no copy left: nothing to copy from */
		for (i = g; i < g + step; i++) {
			if (i == src)
				continue;
			if (rc_mem_usable(ld, i))
				end = hi;
			else if (rc_rebuild_target(ld, i))
				end = rc_wib_rebuilt_end(ld, i, lo, hi);
			else
				continue;
			if (end > lo && rc_wib_copy(ld, buf, src, i, lo, end))
				ret = -EIO;
		}
	}
	return ret;
}

/*
 * A degraded RAID 5 whose only missing member is a rebuild target: its
 * index, else -1.  Below the rebuild position the target is a member
 * again (writes reach it), so the rows there can be resynced with it.
 */
static int rc_wib_raid5_target(struct rc_ldev *ld)
{
	int target = -1;
	unsigned int i;

	for (i = 0; i < ld->nmem; i++) {
		if (rc_mem_usable(ld, i))
			continue;
		if (target >= 0 || !rc_rebuild_target(ld, i))
			return -1;
		target = i;
	}
	return target;
}

/*
 * Resync every region set in @bits (node @node's slice); true when all of
 * them are consistent now.
 */
static bool rc_wib_resync(struct rc_wib *w, const unsigned long *bits,
			  unsigned int node)
{
	struct rc_ldev *ld = w->ld;
	const struct rc_geom *g = &ld->geom;
	unsigned int r, dirty = 0, left = 0;
	int target = -1;
	bool ok = true;
	void *buf;
	u64 lo, hi, row;

	if (bitmap_empty(bits, w->nregions))
		return true;
	if (g->level == RC_RAID5 && READ_ONCE(ld->state) != RC_LD_OPTIMAL) {
		target = rc_wib_raid5_target(ld);
		if (target < 0) {
			/* The parity is the only copy of the missing data. */
			pr_warn("rcl%u: degraded: dirty RAID 5 regions cannot be resynced\n",
				ld->number);
			return false;
		}
	}
	buf = kvmalloc(RC_WIB_COPY << SECTOR_SHIFT, GFP_KERNEL);
	if (!buf)
		return false;
	for_each_set_bit(r, bits, w->nregions) {
		lo = (u64)r << w->shift;
		hi = min_t(u64, lo + (1ull << w->shift), g->member_sectors);
		dirty++;
		if (g->level == RC_RAID5) {
			for (row = lo >> g->chunk_shift;
			     row < hi >> g->chunk_shift; row++) {
				/*
				 * A row the resumed rebuild has yet to reach:
				 * it recomputes the target's chunk from the
				 * others, stale parity included (the double
				 * fault of Documentation/raid5.md).
				 */
				if (target >= 0 &&
				    !rc_rebuild_writable(ld, target,
							 (row + 1) << g->chunk_shift)) {
					left++;
					continue;
				}
				if (rc_raid5_resync_row(ld, row))
					ok = false;
			}
		} else if (rc_wib_resync_mirror(ld, buf, lo, hi)) {
			ok = false;
		}
	}
	kvfree(buf);
	pr_info("rcl%u: resynced %u dirty region(s) of node %u (%llu MiB each)%s\n",
		ld->number, dirty, node, (1ull << w->shift) >> 11,
		ok ? "" : " (with errors)");
	if (left)
		pr_warn("rcl%u: degraded: %u dirty RAID 5 row(s) past the rebuild position cannot be resynced\n",
			ld->number, left);
	return ok && !left;
}

static void rc_wib_free(struct rc_wib *w)
{
	unsigned int i;

	if (!w)
		return;
	for (i = 0; i < RC_MAX_EXTENTS; i++)
		kfree(w->mark_bio[i]);	/* bio_kmalloc()'s */
	bitmap_free(w->bits);
	bitmap_free(w->want);
	bitmap_free(w->touched);
	kvfree(w->count);
	if (w->slice)
		free_pages((unsigned long)w->slice,
			   get_order(RC_WIB_SLICE_BYTES));
	kfree(w);
}

/*
 * rc_ld_start(), before the gendisk exists: read this node's slice, resync
 * what it marks dirty, start clean.  rc.lock held.
 */
void rc_wib_start(struct rc_ldev *ld)
{
	const struct rc_geom *g = &ld->geom;
	struct rc_wib *w;
	unsigned int i;
	bool read = false;

	if (!write_intent || g->level == RC_RAID0)
		return;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		goto fail;
	w->ld = ld;
	mutex_init(&w->lock);
	init_completion(&w->mark_done);
	for (i = 0; i < ld->nmem; i++) {
		w->mark_bio[i] = bio_kmalloc(RC_WIB_SLICE_PAGES, GFP_KERNEL);
		if (!w->mark_bio[i])
			goto fail;
	}
	INIT_DELAYED_WORK(&w->clear_work, rc_wib_clear_fn);
	w->shift = max_t(unsigned int, RC_WIB_MIN_SHIFT, g->chunk_shift);
	while ((g->member_sectors >> w->shift) >= RC_WIB_BITS)
		w->shift++;
	w->nregions = (g->member_sectors + (1ull << w->shift) - 1) >> w->shift;
	w->bits = bitmap_zalloc(w->nregions, GFP_KERNEL);
	w->want = bitmap_zalloc(w->nregions, GFP_KERNEL);
	w->touched = bitmap_zalloc(w->nregions, GFP_KERNEL);
	w->count = kvcalloc(w->nregions, sizeof(*w->count), GFP_KERNEL);
	w->slice = (void *)__get_free_pages(GFP_KERNEL,
					    get_order(RC_WIB_SLICE_BYTES));
	if (!w->bits || !w->want || !w->touched || !w->count || !w->slice)
		goto fail;

	for (i = 0; i < ld->nmem && !read; i++) {
		if (!rc_mem_usable(ld, i))
			continue;
		if (rc_wib_rw(ld->mem[i].md->bdev, rc_wib_sector(ld), w->slice,
			      RC_WIB_SLICE_SECTORS, REQ_OP_READ))
			continue;
		bitmap_from_arr32(w->bits, w->slice, w->nregions);
		/* clean only if the whole slice is zero (no stray bits) */
		w->clean_on_disk = !memchr_inv(w->slice, 0, RC_WIB_SLICE_BYTES);
		read = true;
	}
	ld->wib = w;
	if (!read)
		pr_warn("rcl%u: write-intent bitmap not readable: no resync\n",
			ld->number);
	/*
	 * What our slice marks dirty is resynced by whoever takes the drive
	 * (rc_wib_take()): this node once it holds it, or another node.
	 * Until then nothing is cleared.
	 */
	w->keep = true;
	queue_delayed_work(rc.io_wq, &w->clear_work,
			   msecs_to_jiffies(RC_WIB_CLEAR_MS));
	return;
fail:
	rc_wib_free(w);
	pr_warn("rcl%u: no write-intent bitmap (out of memory)\n", ld->number);
}

/*
 * The drive stopped (its queue drained): nothing is in flight, so this
 * node's slice is written clean.  rc.lock held; the clear work never
 * takes it.
 */
void rc_wib_stop(struct rc_ldev *ld)
{
	struct rc_wib *w = ld->wib;

	if (!w)
		return;
	cancel_delayed_work_sync(&w->clear_work);
	mutex_lock(&w->lock);
	if (!w->keep)
		bitmap_zero(w->bits, w->nregions);
	/* never taken: the slice on the disks is what we read at start */
	if (w->taken && (w->keep || !w->clean_on_disk))
		rc_wib_write(w, w->bits);
	mutex_unlock(&w->lock);
	ld->wib = NULL;
	rc_wib_free(w);
}

/* Read node @node's slice of @ld into @buf; 0, or -EIO when no member can. */
static int rc_wib_read_slice(struct rc_ldev *ld, unsigned int node, void *buf)
{
	sector_t sector = RC_WIB_OF(node) + (u64)ld->number * RC_WIB_SLICE_SECTORS;
	unsigned int i;

	for (i = 0; i < ld->nmem; i++)
		if (rc_mem_usable(ld, i) &&
		    !rc_wib_rw(ld->mem[i].md->bdev, sector, buf,
			       RC_WIB_SLICE_SECTORS, REQ_OP_READ))
			return 0;
	return -EIO;
}

/*
 * This node takes @ld (its reservation was just granted, or it is a lone
 * master about to use it): before any I/O of ours, resync every region
 * that any node's slice marks dirty -- the slice of a node that died or
 * was preempted holding the drive, and our own as our last life left it.
 * Our own slice is then written clean; the others' stay as their owners
 * wrote them (one writer per block), so a later taker resyncs those few
 * regions again, and a node that releases cleanly (rc_wib_quiesce())
 * leaves nothing.  The drive's queue is frozen meanwhile.  Does nothing
 * when this node may not sync the drive, or took it already in this
 * holding (rc_host_resv_seq() unchanged).  Sleeps; no rc.lock needed.
 */
void rc_wib_take(struct rc_ldev *ld)
{
	struct rc_wib *w = ld->wib;
	unsigned long *other;
	unsigned int id;
	bool ok = true;
	void *buf;
	u32 seq;

	/* A rebuild resumes from the cluster's position, before any write. */
	if (ld->disk && rc_host_may_sync(ld->number))
		rc_rebuild_take(ld);
	if (!w || !ld->disk)
		return;
	seq = rc_host_resv_seq(ld->number);
	if ((READ_ONCE(w->taken) && READ_ONCE(w->taken_seq) == seq) ||
	    !rc_host_may_sync(ld->number))
		return;
	other = bitmap_zalloc(w->nregions, GFP_KERNEL);
	buf = (void *)__get_free_pages(GFP_KERNEL,
				       get_order(RC_WIB_SLICE_BYTES));
	if (!other || !buf) {
		pr_warn("rcl%u: no memory to read the other nodes' write-intent bitmaps: their dirty regions are not resynced\n",
			ld->number);
		goto out;
	}
	blk_mq_freeze_queue(ld->disk->queue);
	mutex_lock(&w->lock);
	for (id = 0; id < RC_MAX_NODES; id++) {
		if (id == rc.node_id || rc_wib_read_slice(ld, id, buf))
			continue;
		bitmap_from_arr32(other, buf, w->nregions);
		if (!rc_wib_resync(w, other, id))
			ok = false;
	}
	/* our own: what the last life left (read at start), and nothing new */
	if (w->keep && rc_wib_resync(w, w->bits, rc.node_id)) {
		w->keep = false;
		bitmap_zero(w->bits, w->nregions);
		if (!w->clean_on_disk)
			rc_wib_write(w, w->bits);
	}
	WRITE_ONCE(w->taken_seq, seq);
	WRITE_ONCE(w->taken, true);
	mutex_unlock(&w->lock);
	blk_mq_unfreeze_queue(ld->disk->queue);
	if (!ok)
		pr_warn("rcl%u: dirty regions of another node could not all be resynced\n",
			ld->number);
out:
	if (buf)
		free_pages((unsigned long)buf, get_order(RC_WIB_SLICE_BYTES));
	bitmap_free(other);
}

/*
 * Before this node gives @ld up (a release, its writes drained): its
 * slice is written clean, so the next taker has nothing of ours to
 * resync.  Sleeps.
 */
void rc_wib_quiesce(struct rc_ldev *ld)
{
	struct rc_wib *w = ld->wib;
	unsigned int r;

	if (!w)
		return;
	mutex_lock(&w->lock);
	for (r = 0; r < w->nregions; r++)
		if (atomic_read(&w->count[r]))
			break;
	if (!w->keep && r == w->nregions) {
		bitmap_zero(w->bits, w->nregions);
		if (!w->clean_on_disk)
			rc_wib_write(w, w->bits);
	}
	WRITE_ONCE(w->taken, false);
	mutex_unlock(&w->lock);
}
