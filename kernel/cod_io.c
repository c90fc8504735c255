// SPDX-License-Identifier: GPL-2.0
/*
 * The COD (configuration on disk) on the member disks: reading both copies
 * of one disk, and rewriting both copies on every ONLINE member.  The
 * encoding, checks and the choice among copies are lib/cod.c's; this file
 * only moves the 64 KiB blocks.  Everything here runs with rc.lock held and
 * uses rc.cod_buf.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/timekeeping.h>

#include "rc.h"
#include "node.h"

/* Metadata I/O: synchronous, and never behind data in the queue. */
#define RC_COD_READ (REQ_OP_READ | REQ_META | REQ_SYNC)
#define RC_COD_WRITE \
	(REQ_OP_WRITE | REQ_META | REQ_SYNC | REQ_IDLE | REQ_PREFLUSH | REQ_FUA)

static int rc_cod_rw(struct block_device *bdev, sector_t sector,
		     blk_opf_t opf, void *buf)
{
	unsigned int i, npages = RC_COD_BYTES >> PAGE_SHIFT;
	struct bio *bio;
	int ret;

	/* GFP_NOIO: the failure worker may run under memory pressure. */
	bio = bio_alloc(bdev, npages, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	for (i = 0; i < npages; i++)
		__bio_add_page(bio, virt_to_page(buf + i * PAGE_SIZE),
			       PAGE_SIZE, 0);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

/*
 * Read and decode copies A and B of @bdev into @copy[0..1], with their
 * status for rc_cod_pick() in @out.  Returns -EIO when neither copy could
 * be read at all, else 0 (a disk without a COD is not an error here).
 */
int rc_cod_read_disk(struct block_device *bdev, struct rc_config *copy[2],
		     struct rc_cod_copy out[2])
{
	static const sector_t where[2] = { RC_COD_A_SECTOR, RC_COD_B_SECTOR };
	unsigned int i, ioerr = 0;

	for (i = 0; i < 2; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		if (rc_cod_rw(bdev, where[i], RC_COD_READ, rc.cod_buf)) {
			out[i].status = -EIO;
			ioerr++;
			continue;
		}
		out[i].status = rc_cod_decode(rc.cod_buf, RC_COD_BYTES,
					      copy[i]);
		if (out[i].status)
			continue;
		out[i].generation = copy[i]->generation;
		out[i].crc = le32_to_cpu(((struct rc_cod_header *)rc.cod_buf)->crc);
		memcpy(out[i].cluster_uuid, copy[i]->cluster_uuid, 16);
	}
	return ioerr == 2 ? -EIO : 0;
}

static bool rc_cod_target(unsigned int i)
{
	struct rc_mdisk *md = rc.disks[i];

	/* spares carry the COD too: attached alone, they know their role */
	return md && (rc.cfg->disks[i].state == RC_DISK_ONLINE ||
		      rc.cfg->disks[i].state == RC_DISK_SPARE) &&
	       !test_bit(RC_MD_FAILED, &md->flags);
}

/*
 * Write the configuration as generation + 1: copy A on every ONLINE member,
 * then copy B on every one, each with a preflush and FUA.  A crash at any
 * point leaves every disk with at least one valid copy, and the newest
 * generation wins on the next read.  A member whose write fails is marked
 * failed (the failure worker then writes again without it).  Returns 0
 * when at least one member holds the new configuration, or when there is
 * no member to write to.
 */
int rc_cod_write_all(void)
{
	static const sector_t where[2] = { RC_COD_A_SECTOR, RC_COD_B_SECTOR };
	struct rc_config *cfg = rc.cfg;
	unsigned int c, i, targets = 0, written = 0;
	int ret;

	/* Only the master writes the COD (the slaves adopt it). */
	if (!rc_host_may_write_cod()) {
		/* Written when this node is master in nexus (failure.c). */
		rc.cod_dirty = true;
		pr_info_ratelimited("configuration not written now: this node is not the master in nexus\n");
		return -EAGAIN;
	}
	cfg->generation++;
	cfg->writer_node = rc.node_id;
	cfg->stamp = ktime_get_real_ns();
	ret = rc_cod_encode(cfg, rc.cod_buf);
	if (ret) {
		pr_err("cannot encode configuration generation %llu: %d\n",
		       cfg->generation, ret);
		return ret;
	}
	rc.cod_crc = le32_to_cpu(((struct rc_cod_header *)rc.cod_buf)->crc);
	rc.cod_dirty = false;

	for (c = 0; c < 2; c++) {
		for (i = 0; i < RC_MAX_DISKS; i++) {
			struct rc_mdisk *md = rc.disks[i];

			if (!rc_cod_target(i))
				continue;
			if (c == 0)
				targets++;
			ret = rc_cod_rw(md->bdev, where[c], RC_COD_WRITE,
					rc.cod_buf);
			if (ret) {
				pr_warn("%s: COD copy %c write failed (%d), marking the disk failed\n",
					md->name, 'A' + c, ret);
				atomic64_inc(&md->write_errors);
				set_bit(RC_MD_FAILED, &md->flags);
				queue_work(rc.cfg_wq, &rc.cfg_work);
				continue;
			}
			if (c == 1)
				written++;
		}
	}
	if (targets && !written) {
		pr_err("configuration generation %llu reached no member disk\n",
		       cfg->generation);
		return -EIO;
	}
	rc_note_cod_states();		/* the failures it carries are recorded */
	rc_host_cod_written();
	return 0;
}

/* Zero both copies: the disk leaves the cluster (detach). */
int rc_cod_wipe(struct block_device *bdev)
{
	int ret;

	memset(rc.cod_buf, 0, RC_COD_BYTES);
	ret = rc_cod_rw(bdev, RC_COD_A_SECTOR, RC_COD_WRITE, rc.cod_buf);
	if (!ret)
		ret = rc_cod_rw(bdev, RC_COD_B_SECTOR, RC_COD_WRITE,
				rc.cod_buf);
	return ret;
}
