// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O of the protocol host: slots, mailboxes and TEST UNIT READY on
 * the member disks, for the actions of lib/proto (node_io.h).
 *
 * Slot and mailbox blocks are how the nodes talk, so they bypass every
 * cache: a bio on pages of our own (the library's buffers are vmalloc
 * memory, not DMA safe), REQ_SYNC | REQ_META, and REQ_FUA on writes, so a
 * write that completed is on the disk for every other node to read.
 *
 * Every action is answered exactly once.  The disk's answer and the host's
 * own timer race for it (an atomic flag): a slow disk is reported as
 * -ETIMEDOUT, and its late answer is dropped.  A transport that lost the
 * disk (no device, device dead or offline, a host byte saying there is no
 * connection) is -ENOLINK, as node.h requires: figure 15 reads it as a
 * cable failure, while any other error means the disk itself answered.
 *
 * References: the bio, the timer and the answer each hold one; the last
 * put frees the pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>

#include "node_io.h"

#define RC_NIO_TUR_RETRIES 1

void rc_nio_put(struct rc_nio *io)
{
	struct rc_nio_count cnt = io->cnt;
	unsigned int i;

	if (!refcount_dec_and_test(&io->ref))
		return;
	for (i = 0; i < io->npages; i++)
		__free_page(io->pages[i]);
	if (io->sdev_ref)
		scsi_device_put(io->sdev);
	kfree(io);
	for (i = 0; i < ARRAY_SIZE(cnt.count); i++)
		if (cnt.count[i])
			atomic_dec(cnt.count[i]);
	if (cnt.wq)
		wake_up_all(cnt.wq);
}

/* First answer wins; the others only drop their reference. */
static void rc_nio_answer(struct rc_nio *io, int error)
{
	if (atomic_cmpxchg(&io->answered, 0, 1))
		return;
	io->error = error;
	refcount_inc(&io->ref);		/* the answer's, put by the host */
	io->done(io);
}

static void rc_nio_timeout(struct timer_list *t)
{
	struct rc_nio *io = from_timer(io, t, timer);

	rc_nio_answer(io, -ETIMEDOUT);
	rc_nio_put(io);			/* the timer's */
}

/* The disk is gone for this node: its transport, not the disk, failed. */
static bool rc_nio_no_path(struct block_device *bdev, blk_status_t st)
{
	return st == BLK_STS_TRANSPORT || st == BLK_STS_OFFLINE ||
	       test_bit(GD_DEAD, &bdev->bd_disk->state);
}

static void rc_nio_end_io(struct bio *bio)
{
	struct rc_nio *io = bio->bi_private;
	blk_status_t st = bio->bi_status;

	bio_put(bio);
	if (del_timer(&io->timer))
		rc_nio_put(io);		/* the timer's: it will not run */
	rc_nio_answer(io, !st ? 0 : rc_nio_no_path(io->bdev, st) ?
			  -ENOLINK : blk_status_to_errno(st));
	rc_nio_put(io);			/* the bio's */
}

static int rc_tur_errno(struct scsi_device *sdev, int result)
{
	if (!result)
		return 0;
	if (result < 0 || !scsi_device_online(sdev))
		return -ENOLINK;
	switch (host_byte(result)) {
	case DID_NO_CONNECT:
	case DID_BAD_TARGET:
	case DID_TIME_OUT:		/* the disk never answered */
	case DID_TRANSPORT_DISRUPTED:
	case DID_TRANSPORT_FAILFAST:
	case DID_TRANSPORT_MARGINAL:
		return -ENOLINK;
	default:
		return -EIO;		/* it answered: not ready, an error */
	}
}

static void rc_nio_tur_work(struct work_struct *work)
{
	struct rc_nio *io = container_of(work, struct rc_nio, work);
	struct scsi_device *sdev = io->sdev;
	struct scsi_sense_hdr sshdr;
	int ret = -ENOLINK;

	if (sdev->sdev_state == SDEV_RUNNING ||
	    sdev->sdev_state == SDEV_BLOCK) {
		ret = scsi_test_unit_ready(sdev, 10 * HZ, RC_NIO_TUR_RETRIES,
					   &sshdr);
		ret = rc_tur_errno(sdev, ret);
	}
	if (del_timer_sync(&io->timer))
		rc_nio_put(io);
	rc_nio_answer(io, ret);
	rc_nio_put(io);			/* the work's */
}

/* sd registers the disk under its scsi_device; the open bdev pins it. */
static struct scsi_device *rc_nio_sdev(struct block_device *bdev)
{
	struct device *parent = disk_to_dev(bdev->bd_disk)->parent;

	return parent && scsi_is_sdev_device(parent) ?
	       to_scsi_device(parent) : NULL;
}

static struct rc_nio *rc_nio_alloc(const struct rc_action *a,
				   rc_nio_done_fn done,
				   const struct rc_nio_count *cnt)
{
	/*
	 * Heartbeats and mailboxes must go on when memory is short (a node
	 * that stops writing its slot is killed by its peers): the blocks
	 * are small, so wait for memory rather than fail.
	 */
	struct rc_nio *io = kzalloc(sizeof(*io), GFP_NOIO | __GFP_NOFAIL);

	io->act = *a;
	io->done = done;
	io->cnt = *cnt;
	atomic_set(&io->answered, 0);
	refcount_set(&io->ref, 1);	/* the submitter's, until started */
	timer_setup(&io->timer, rc_nio_timeout, 0);
	return io;
}

static void rc_nio_start_timer(struct rc_nio *io, unsigned int timeout_ms)
{
	refcount_inc(&io->ref);
	mod_timer(&io->timer, jiffies + msecs_to_jiffies(timeout_ms));
}

static void rc_nio_rw(struct rc_nio *io, unsigned int timeout_ms)
{
	const struct rc_action *a = &io->act;
	bool write = a->type == RC_ACT_WRITE;
	/*
	 * REQ_SYNC | REQ_IDLE, as O_DIRECT writes: writeback throttling
	 * must not hold a heartbeat behind the data (the host waits in the
	 * submission, and a stalled heartbeat gets a node killed).
	 */
	blk_opf_t opf = (write ? REQ_OP_WRITE | REQ_FUA | REQ_IDLE :
			 REQ_OP_READ) | REQ_SYNC | REQ_META;
	unsigned int i, n = DIV_ROUND_UP(a->len, PAGE_SIZE);
	struct bio *bio;

	if (!a->len || a->len % SECTOR_SIZE || a->len > RC_NIO_MAX_BYTES) {
		rc_nio_answer(io, -EINVAL);	/* a library bug */
		return;
	}
	for (i = 0; i < n; i++) {
		io->pages[i] = alloc_page(GFP_NOIO | __GFP_NOFAIL);
		io->npages++;
	}
	bio = bio_alloc(io->bdev, n, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = a->sector;
	bio->bi_private = io;
	bio->bi_end_io = rc_nio_end_io;
	for (i = 0; i < n; i++) {
		unsigned int len = min_t(unsigned int, PAGE_SIZE,
					 a->len - i * PAGE_SIZE);

		if (write)
			memcpy_to_page(io->pages[i], 0,
				       (const char *)a->buf + i * PAGE_SIZE, len);
		__bio_add_page(bio, io->pages[i], len, 0);
	}
	refcount_inc(&io->ref);		/* the bio's */
	rc_nio_start_timer(io, timeout_ms);
	submit_bio(bio);
}

void rc_nio_submit(struct block_device *bdev, const struct rc_action *a,
		   unsigned int timeout_ms, rc_nio_done_fn done,
		   const struct rc_nio_count *cnt)
{
	struct rc_nio *io = rc_nio_alloc(a, done, cnt);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(io->cnt.count); i++)
		if (io->cnt.count[i])
			atomic_inc(io->cnt.count[i]);
	io->bdev = bdev;
	/* The open bdev's disk pins its scsi_device and host in memory. */
	io->sdev = rc_nio_sdev(bdev);
	if (a->type == RC_ACT_TUR) {
		/* The command itself needs a live device: a reference. */
		io->sdev_ref = io->sdev && !scsi_device_get(io->sdev);
		if (!io->sdev_ref) {
			rc_nio_answer(io, -ENOLINK);
			rc_nio_put(io);
			return;
		}
		INIT_WORK(&io->work, rc_nio_tur_work);
		refcount_inc(&io->ref);	/* the work's */
		rc_nio_start_timer(io, timeout_ms);
		queue_work(system_unbound_wq, &io->work);
	} else if (test_bit(GD_DEAD, &bdev->bd_disk->state)) {
		rc_nio_answer(io, -ENOLINK);
	} else {
		rc_nio_rw(io, timeout_ms);
	}
	rc_nio_put(io);			/* the submitter's */
}

int rc_nio_error(const struct rc_nio *io)
{
	struct scsi_device *sdev = io->sdev, *other;
	bool bus_alive = false;

	if (io->error != -ENOLINK || !sdev)
		return io->error;
	shost_for_each_device(other, sdev->host) {
		if (other != sdev && other->sdev_state == SDEV_RUNNING)
			bus_alive = true;
	}
	return bus_alive ? -ENODEV : -ENOLINK;
}

void rc_nio_copy_data(const struct rc_nio *io, void *dst)
{
	unsigned int i, len = io->act.len;

	for (i = 0; i < io->npages && len; i++) {
		unsigned int n = min_t(unsigned int, PAGE_SIZE, len);

		memcpy_from_page((char *)dst + i * PAGE_SIZE, io->pages[i], 0,
				 n);
		len -= n;
	}
}
