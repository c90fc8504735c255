// SPDX-License-Identifier: GPL-2.0
/*
 * RAID 0: each chunk on exactly one member.  No redundancy: a failed
 * member takes the drive offline and every request then ends in an I/O
 * error (the data path checks each member before using it).
 */
#include "rc.h"

static void rc_raid0_submit(struct rc_cmd *cmd, struct bio *src, u32 off,
			    const struct rc_loc *loc)
{
	unsigned int member = loc->member[0];

	if (!rc_mem_usable(cmd->ld, member)) {
		rc_cmd_fail(cmd);
		return;
	}
	rc_submit_piece(cmd, src, off, loc->len, loc->offset, member, 0);
}

static bool rc_raid0_member_error(struct rc_mbio *m)
{
	rc_cmd_fail(m->cmd);
	return false;
}

static u8 rc_raid0_state(struct rc_ldev *ld)
{
	unsigned int i;

	for (i = 0; i < ld->nmem; i++)
		if (!rc_mem_usable(ld, i))
			return RC_LD_OFFLINE;
	return RC_LD_OPTIMAL;
}

const struct rc_level_ops rc_raid0_ops = {
	.level = RC_RAID0,
	.submit = rc_raid0_submit,
	.member_error = rc_raid0_member_error,
	.state = rc_raid0_state,
};
