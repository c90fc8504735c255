// SPDX-License-Identifier: GPL-2.0
/*
 * RAID 1: every member holds every block.  Writes go to all usable
 * mirrors and succeed while one of them does (a mirror that fails a write
 * is failed for good, so every mirror still in use has every write).
 * Reads go to one mirror and, on error, to the next one not yet tried.
 */
#include "rc.h"

/*
 * Which copy of @loc to read, as md's read_balance() does: the one whose
 * last read ended where this one starts (a sequential stream stays on one
 * member, whose queue then merges it and whose disk does not seek), else
 * the one with the fewest reads in flight (random reads spread over all
 * copies).  The first usable copy wins a tie.  RC_GEOM_NO_MEMBER: none.
 */
static unsigned int rc_mirror_read_copy(struct rc_ldev *ld,
					const struct rc_loc *loc)
{
	unsigned int c, member, best = RC_GEOM_NO_MEMBER;
	int reads, best_reads = INT_MAX;

	for (c = 0; c < loc->ncopies; c++) {
		member = loc->member[c];
		if (!rc_mem_usable(ld, member))
			continue;
		if (READ_ONCE(ld->mem[member].next_read) == loc->offset)
			return member;
		reads = atomic_read(&ld->mem[member].reads);
		if (reads < best_reads) {
			best = member;
			best_reads = reads;
		}
	}
	return best;
}

/*
 * Send piece @loc to its copies, RAID 1 and RAID 10 alike: a write to every
 * copy that is not failed, a rebuild target included wherever the piece
 * lies (see rebuild.c), a read to one copy (rc_mirror_read_copy()).
 */
void rc_mirror_submit(struct rc_cmd *cmd, struct bio *src, u32 off,
		      const struct rc_loc *loc)
{
	struct rc_ldev *ld = cmd->ld;
	unsigned int c, member, sent = 0;

	if (op_is_write(bio_op(src))) {
		for (c = 0; c < loc->ncopies; c++) {
			member = loc->member[c];
			if (!rc_mem_usable(ld, member) &&
			    !rc_rebuild_gets_writes(ld, member))
				continue;
			rc_submit_piece(cmd, src, off, loc->len, loc->offset,
					member, 0);
			sent++;
		}
		if (!sent)
			rc_cmd_fail(cmd);
		return;
	}
	member = rc_mirror_read_copy(ld, loc);
	if (member == RC_GEOM_NO_MEMBER) {
		rc_cmd_fail(cmd);
		return;
	}
	/* Racy by design (a hint, as md's head_position): no lock. */
	WRITE_ONCE(ld->mem[member].next_read, loc->offset + loc->len);
	rc_submit_piece(cmd, src, off, loc->len, loc->offset, member, 0);
}

static bool rc_raid1_member_error(struct rc_mbio *m)
{
	struct rc_ldev *ld = m->cmd->ld;
	unsigned int i;

	if (!m->src || op_is_write(bio_op(&m->bio))) {
		/* Masked unless no mirror is left (checked at the end). */
		WRITE_ONCE(m->cmd->write_masked, true);
		return false;
	}
	for (i = 0; i < ld->nmem; i++) {
		if ((m->tried & BIT(i)) || !rc_mem_usable(ld, i))
			continue;
		rc_retry_piece(m, i);
		return true;
	}
	rc_cmd_fail(m->cmd);
	return false;
}

static u8 rc_raid1_state(struct rc_ldev *ld)
{
	unsigned int i, usable = 0;

	for (i = 0; i < ld->nmem; i++)
		if (rc_mem_usable(ld, i))
			usable++;
	if (!usable)
		return RC_LD_OFFLINE;
	return usable < ld->nmem ? RC_LD_DEGRADED : RC_LD_OPTIMAL;
}

const struct rc_level_ops rc_raid1_ops = {
	.level = RC_RAID1,
	.submit = rc_mirror_submit,
	.member_error = rc_raid1_member_error,
	.state = rc_raid1_state,
};
