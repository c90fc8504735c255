// SPDX-License-Identifier: GPL-2.0
/*
 * RAID 10, near layout with 2 copies (lib/geom.h): chunk k lives on the
 * pair p = k % (n/2), members 2p and 2p+1.  Per pair it behaves as RAID 1
 * (and shares its rc_mirror_submit()):
 * writes go to both usable copies and succeed while one of them does,
 * reads go to one copy (balanced by region) and on error to the other.
 * The drive is degraded while every pair keeps a copy, offline when a
 * pair has lost both.
 */
#include "rc.h"

static bool rc_raid10_member_error(struct rc_mbio *m)
{
	struct rc_ldev *ld = m->cmd->ld;
	unsigned int other = m->member ^ 1;	/* the pair's other copy */

	if (!m->src || op_is_write(bio_op(&m->bio))) {
		/*
		 * Masked while the pair keeps its other copy.  A pair that
		 * lost both makes the drive offline, which the request's end
		 * turns into an error.
		 */
		WRITE_ONCE(m->cmd->write_masked, true);
		return false;
	}
	if (!(m->tried & BIT(other)) && rc_mem_usable(ld, other)) {
		rc_retry_piece(m, other);
		return true;
	}
	rc_cmd_fail(m->cmd);
	return false;
}

static u8 rc_raid10_state(struct rc_ldev *ld)
{
	unsigned int p, copies, degraded = 0;

	for (p = 0; p + 1 < ld->nmem; p += 2) {
		copies = rc_mem_usable(ld, p) + rc_mem_usable(ld, p + 1);
		if (!copies)
			return RC_LD_OFFLINE;
		if (copies < 2)
			degraded++;
	}
	return degraded ? RC_LD_DEGRADED : RC_LD_OPTIMAL;
}

const struct rc_level_ops rc_raid10_ops = {
	.level = RC_RAID10,
	.submit = rc_mirror_submit,
	.member_error = rc_raid10_member_error,
	.state = rc_raid10_state,
};
