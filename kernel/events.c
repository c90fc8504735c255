// SPDX-License-Identifier: GPL-2.0
/*
 * Uevents of what the configuration records: a disk's state, a member's
 * state (a rebuild starting, done or failed) and a rebuild's progress in
 * tenths.  Every node learns these from the COD it writes or adopts
 * (rc_note_cod_states()), so comparing each COD with the last one noted
 * gives the same events on every node, whichever node ran the change.
 * Sent on the module's kobject (/sys/module/raidcluster, ACTION=change,
 * RAIDCLUSTER_EVENT=...) beside the node and reservation events of
 * node.c; raidclusterctl monitor turns them into JSON lines.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>

#include "rc.h"

/* The last COD noted (rc.lock). */
static struct {
	bool valid;
	u8 disk[RC_MAX_DISKS];
	u8 ld[RC_MAX_LDS][16];			/* the drive's UUID */
	u8 ext_state[RC_MAX_LDS][RC_MAX_EXTENTS];
	u16 ext_disk[RC_MAX_LDS][RC_MAX_EXTENTS];
	u8 tenth[RC_MAX_LDS][RC_MAX_EXTENTS];	/* rebuild progress, 0..9 */
} seen;

static void rc_event(const char *ev, const char *a, const char *b,
		     const char *c, const char *d)
{
	char *envp[6] = { (char *)ev, (char *)a, (char *)b, (char *)c,
			  (char *)d, NULL };

	kobject_uevent_env(&THIS_MODULE->mkobj.kobj, KOBJ_CHANGE, envp);
}

static void rc_event_disk(unsigned int i, u8 state)
{
	char d[32], s[48];

	snprintf(d, sizeof(d), "RAIDCLUSTER_DISK=%u", i);
	snprintf(s, sizeof(s), "RAIDCLUSTER_DISK_STATE=%s",
		 rc_disk_state_name(state));
	rc_event("RAIDCLUSTER_EVENT=disk_state", d, s, NULL, NULL);
}

static void rc_event_member(unsigned int n, unsigned int e,
			    const struct rc_extent *x)
{
	char ld[32], m[32], d[32], s[48];

	snprintf(ld, sizeof(ld), "RAIDCLUSTER_LD=%u", n);
	snprintf(m, sizeof(m), "RAIDCLUSTER_MEMBER=%u", e);
	snprintf(d, sizeof(d), "RAIDCLUSTER_DISK=%u", x->disk);
	snprintf(s, sizeof(s), "RAIDCLUSTER_MEMBER_STATE=%s",
		 rc_extent_state_name(x->state));
	rc_event("RAIDCLUSTER_EVENT=member_state", ld, m, d, s);
}

static void rc_event_progress(unsigned int n, unsigned int e,
			      unsigned int percent)
{
	char ld[32], m[32], p[32];

	snprintf(ld, sizeof(ld), "RAIDCLUSTER_LD=%u", n);
	snprintf(m, sizeof(m), "RAIDCLUSTER_MEMBER=%u", e);
	snprintf(p, sizeof(p), "RAIDCLUSTER_PERCENT=%u", percent);
	rc_event("RAIDCLUSTER_EVENT=rebuild_progress", ld, m, p, NULL);
}

static unsigned int rc_tenth(const struct rc_extent *x)
{
	if (x->state != RC_EXT_REBUILDING || !x->length)
		return 0;
	return min_t(u64, div64_u64(x->rebuild_pos * 10, x->length), 9);
}

/* What changed since the last COD noted: one uevent each.  rc.lock held. */
void rc_events_cod_noted(void)
{
	const struct rc_config *cfg = rc.cfg;
	unsigned int i, e;

	for (i = 0; i < RC_MAX_DISKS; i++) {
		u8 state = cfg->disks[i].state;

		if (seen.valid && seen.disk[i] != RC_DISK_UNUSED &&
		    state != RC_DISK_UNUSED && state != seen.disk[i])
			rc_event_disk(i, state);
		seen.disk[i] = state;
	}
	for (i = 0; i < RC_MAX_LDS; i++) {
		const struct rc_ld *rec = &cfg->lds[i];
		bool same = seen.valid && rec->state != RC_LD_UNUSED &&
			    !memcmp(seen.ld[i], rec->uuid, 16);

		for (e = 0; e < RC_MAX_EXTENTS; e++) {
			const struct rc_extent *x = &rec->ext[e];
			unsigned int t = rc_tenth(x);

			if (e >= rec->nextents || rec->state == RC_LD_UNUSED) {
				seen.ext_state[i][e] = RC_EXT_STATE_MAX;
				continue;
			}
			if (same && (x->state != seen.ext_state[i][e] ||
				     x->disk != seen.ext_disk[i][e]))
				rc_event_member(i, e, x);
			else if (same && x->state == RC_EXT_REBUILDING &&
				 t > seen.tenth[i][e])
				rc_event_progress(i, e, t * 10);
			seen.ext_state[i][e] = x->state;
			seen.ext_disk[i][e] = x->disk;
			seen.tenth[i][e] = t;
		}
		memcpy(seen.ld[i], rec->uuid, 16);
		/*
		 * The drive's own state too: a rebuild that completed makes it
		 * optimal with no failure for the worker to report.
		 */
		if (rc.lds[i])
			rc_ld_notify(rc.lds[i]);
	}
	seen.valid = true;
}

/* The module forgets its configuration (the last disk detached). */
void rc_events_reset(void)
{
	seen.valid = false;
}
