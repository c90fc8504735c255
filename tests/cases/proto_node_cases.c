// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The protocol engine end to end, on a tiny deterministic host: up to four
 * nodes, two shared disks (disk 0 on channel 0, disk 1 on channel 1) kept
 * as a sparse set of 4 KiB blocks, I/O completing at once, a 10 ms tick.
 * The big randomized fault runs are tests/sim's; these cases pin down
 * each protocol path with exact expectations.
 */
#include "rc_base.h"
#include "proto/node.h"
#include "proto_node_cases.h"

#define T_NODES 4
#define T_BLOCKS 96
#define T_COOKIES 16
#define T_SLOTS_BYTES (RC_MAX_NODES * RC_SLOT_BYTES)

struct rc_t_blk {
	bool used;
	u16 disk;
	u64 sector;
	u8 data[RC_BLOCK_BYTES];
};

struct rc_t_host {
	unsigned int count;
	u8 ids[T_NODES];
	struct rc_node *node[T_NODES];
	struct rc_node_params par[T_NODES];
	bool up[T_NODES];		/* ticked and served */
	bool suspended[T_NODES];
	u8 bad_channels[T_NODES];	/* its I/O on these channels fails */
	u8 pulled[T_NODES];		/* cable gone: no path (-ENOLINK) */
	bool hang[T_NODES];		/* its I/O hangs (answered later) */
	struct rc_action hung[64];
	u8 hung_node[64];
	unsigned int nhung;
	u16 disks;			/* disks 0..disks-1 exist (2 unless set) */
	u16 dead;			/* failed disks: they answer -EIO */
	u8 rebuilding[T_NODES];		/* ld or 0xff */
	u32 rebuild_from[T_NODES];	/* its last START's permille */
	unsigned int rebuild_starts;
	unsigned int max_concurrent_rebuilds;
	unsigned int torn_every;	/* tear every Nth write (0: never) */
	unsigned int writes;
	unsigned int node_writes[T_NODES];	/* WRITE actions per node */
	u64 now;
	u8 status[T_COOKIES];
	bool done[T_COOKIES];
	struct rc_t_blk blk[T_BLOCKS];
	u8 rd[T_SLOTS_BYTES];
	/* Node_Host_Request: what a master's host was asked, the answers */
	u8 hreq[T_NODES][16];
	u32 hreq_len[T_NODES];
	u8 hreq_from[T_NODES];
	u8 reply[T_COOKIES][16];
	u32 reply_len[T_COOKIES];
	/*
	 * Persistent reservations on both disks (disk_fence): node k's key
	 * is off them (a master preempted it), so its writes fail with
	 * RESERVATION CONFLICT; pr_refuse: a PREEMPT fails (no path).
	 */
	bool pr, pr_refuse;
	bool key_gone[T_NODES];
	unsigned int preempts, checks, conflicts;
	u64 preempted_at;
};

static struct rc_t_blk *rc_t_find(struct rc_t_host *h, u16 disk, u64 sector,
				  bool create)
{
	unsigned int i;

	for (i = 0; i < T_BLOCKS; i++)
		if (h->blk[i].used && h->blk[i].disk == disk &&
		    h->blk[i].sector == sector)
			return &h->blk[i];
	if (!create)
		return NULL;
	for (i = 0; i < T_BLOCKS; i++) {
		if (!h->blk[i].used) {
			h->blk[i].used = true;
			h->blk[i].disk = disk;
			h->blk[i].sector = sector;
			return &h->blk[i];
		}
	}
	return NULL;
}

static void rc_t_setup_node(struct rc_t_host *h, unsigned int k)
{
	rc_node_reset(h->node[k]);
	rc_node_set_disk(h->node[k], 0, 0, 0, RC_DISK_ONLINE, RC_DISKF_PRESENT);
	rc_node_set_disk(h->node[k], 1, 1, 0, RC_DISK_ONLINE, RC_DISKF_PRESENT);
}

static struct rc_t_host *rc_t_host_new(RC_TEST_CTX, unsigned int count,
				       const u8 *ids)
{
	struct rc_t_host *h = rc_test_alloc(rc_t, sizeof(*h));
	unsigned int k;

	if (!h)
		return NULL;
	h->count = count;
	h->disks = 2;
	h->now = 1000;
	for (k = 0; k < count; k++) {
		h->ids[k] = ids[k];
		h->rebuilding[k] = 0xff;
		h->node[k] = rc_test_alloc(rc_t, rc_node_size());
		if (!h->node[k])
			return NULL;
		rc_t_setup_node(h, k);
		rc_node_params_default(&h->par[k], ids[k], 1);
	}
	return h;
}

static void rc_t_drain(struct rc_t_host *h, unsigned int k);

static void rc_t_start(struct rc_t_host *h, unsigned int k)
{
	h->up[k] = true;
	h->suspended[k] = false;
	h->key_gone[k] = false;		/* it registers its new key first */
	rc_node_start(h->node[k], &h->par[k], h->now);
	rc_t_drain(h, k);
}

static unsigned int rc_t_active_rebuilds(const struct rc_t_host *h)
{
	unsigned int k, c = 0;

	for (k = 0; k < h->count; k++)
		c += h->up[k] && h->rebuilding[k] != 0xff;
	return c;
}

static void rc_t_io(struct rc_t_host *h, unsigned int k,
		    const struct rc_action *a)
{
	u8 ch = a->disk == 0 ? 0 : 1;
	int err = (h->bad_channels[k] & (1u << ch)) ? -EIO : 0;
	struct rc_t_blk *b;
	unsigned int i;

	if (h->hang[k] && h->nhung < 64) {
		h->hung_node[h->nhung] = (u8)k;
		h->hung[h->nhung++] = *a;
		return;
	}
	if (a->disk < 16 && (h->dead & (1u << a->disk)))
		err = -EIO;
	if (h->pulled[k] & (1u << ch))
		err = -ENOLINK;
	if (!err && h->pr && h->key_gone[k] && a->type == RC_ACT_WRITE) {
		err = -EBADE;
		h->conflicts++;
	}
	if (a->type == RC_ACT_TUR || err || a->disk >= h->disks) {
		rc_node_io_done(h->node[k], h->now, a,
				a->disk >= h->disks ? -ENODEV : err, NULL);
		return;
	}
	if (a->type == RC_ACT_WRITE) {
		b = rc_t_find(h, a->disk, a->sector, true);
		if (b) {
			size_t n = a->len;

			/* A torn write: only the first sector lands. */
			if (h->torn_every && ++h->writes % h->torn_every == 0)
				n = RC_SECTOR_BYTES;
			memcpy(b->data, a->buf, n);
		}
		rc_node_io_done(h->node[k], h->now, a, b ? 0 : -ENOSPC, NULL);
		return;
	}
	/* READ: one block or the 32 contiguous slots. */
	memset(h->rd, 0, a->len <= sizeof(h->rd) ? a->len : sizeof(h->rd));
	for (i = 0; i * RC_BLOCK_BYTES < a->len && i < 32; i++) {
		b = rc_t_find(h, a->disk, a->sector + i * RC_SLOT_SECTORS,
			      false);
		if (b)
			memcpy(h->rd + i * RC_BLOCK_BYTES, b->data,
			       RC_BLOCK_BYTES);
	}
	rc_node_io_done(h->node[k], h->now, a, 0, h->rd);
}

/* RC_ACT_PR_PREEMPT / PR_CHECK of node k about node a->node. */
static void rc_t_disk_fence(struct rc_t_host *h, unsigned int k,
			    const struct rc_action *a)
{
	unsigned int j;
	int err = 0;

	for (j = 0; j < h->count && h->ids[j] != a->node; j++)
		;
	if (a->type == RC_ACT_PR_PREEMPT) {
		h->preempts++;
		if (h->pr_refuse)
			err = -ENOLINK;
		else if (j < h->count && !h->key_gone[j]) {
			h->key_gone[j] = true;
			h->preempted_at = h->now;
		}
	} else {
		h->checks++;
		if (j < h->count && !h->key_gone[j])
			err = -EAGAIN;
	}
	rc_node_disk_fenced(h->node[k], h->now, a->node, a->incarnation, err);
}

static void rc_t_drain(struct rc_t_host *h, unsigned int k)
{
	struct rc_action a;

	while (h->up[k] && rc_node_next_action(h->node[k], &a)) {
		switch (a.type) {
		case RC_ACT_READ:
		case RC_ACT_WRITE:
		case RC_ACT_TUR:
			if (a.type == RC_ACT_WRITE)
				h->node_writes[k]++;
			rc_t_io(h, k, &a);
			break;
		case RC_ACT_COMPLETE:
			if (a.cookie < T_COOKIES) {
				h->status[a.cookie] = a.status;
				h->done[a.cookie] = true;
				h->reply_len[a.cookie] = a.len;
				if (a.buf && a.len <= sizeof(h->reply[0]))
					memcpy(h->reply[a.cookie], a.buf, a.len);
			}
			break;
		case RC_ACT_HOST_REQUEST:
			h->hreq_from[k] = a.node;
			h->hreq_len[k] = a.len;
			if (a.len <= sizeof(h->hreq[0]))
				memcpy(h->hreq[k], a.buf, a.len);
			break;
		case RC_ACT_PROCESS_COD:
		case RC_ACT_ADOPT_CONFIG:
		case RC_ACT_COMMIT_CONFIG:
			rc_node_config_done(h->node[k], h->now, 0);
			break;
		case RC_ACT_REBUILD_START:
			h->rebuilding[k] = a.ld;
			h->rebuild_from[k] = a.permille;
			h->rebuild_starts++;
			if (rc_t_active_rebuilds(h) > h->max_concurrent_rebuilds)
				h->max_concurrent_rebuilds =
					rc_t_active_rebuilds(h);
			break;
		case RC_ACT_REBUILD_STOP:
			h->rebuilding[k] = 0xff;
			break;
		case RC_ACT_PR_PREEMPT:
		case RC_ACT_PR_CHECK:
			rc_t_disk_fence(h, k, &a);
			break;
		case RC_ACT_RESTART:
			h->key_gone[k] = false;		/* its new key */
			h->par[k].incarnation++;
			rc_node_start(h->node[k], &h->par[k], h->now);
			break;
		case RC_ACT_SUSPEND:
			h->suspended[k] = true;
			break;
		default:
			break;
		}
	}
}

static void rc_t_run(struct rc_t_host *h, unsigned int ms)
{
	u64 end = h->now + ms;
	unsigned int k;

	while (h->now < end) {
		h->now += 10;
		for (k = 0; k < h->count; k++) {
			if (!h->up[k])
				continue;
			rc_node_tick(h->node[k], h->now);
			rc_t_drain(h, k);
		}
	}
}

static void rc_t_cmd(struct rc_t_host *h, unsigned int k, u8 op, u8 ld,
		     u32 mask, u64 cookie)
{
	struct rc_host_cmd c = { .op = op, .ld = ld, .ld_mask = mask,
				 .cookie = cookie };

	h->done[cookie] = false;
	rc_node_host_cmd(h->node[k], h->now, &c);
	rc_t_drain(h, k);
}

static void rc_t_start_all(struct rc_t_host *h)
{
	unsigned int k;

	for (k = 0; k < h->count; k++)
		rc_t_start(h, k);
	rc_t_run(h, 8000);
}

RC_TEST(proto_node_bad_host_input)
{
	static const u8 ids[] = { 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 1, ids);
	struct rc_host_cmd c = { .op = RC_HOST_RESERVE, .ld = RC_MAX_LDS };
	struct rc_action junk = { .type = RC_ACT_READ, .tag = 0xffffffffu,
				  .len = 7 };
	struct rc_node_params p;

	RC_ASSERT_TRUE(h);
	rc_node_params_default(&p, 32, 1);
	RC_EXPECT_EQ(rc_node_start(h->node[0], &p, 0), -EINVAL);
	rc_node_params_default(&p, 3, 0);
	RC_EXPECT_EQ(rc_node_start(h->node[0], &p, 0), -EINVAL);
	RC_EXPECT_EQ(rc_node_set_disk(h->node[0], RC_MAX_DISKS, 0, 0,
				      RC_DISK_ONLINE, 0), -EINVAL);
	RC_EXPECT_EQ(rc_node_set_disk(h->node[0], 0, RC_MAX_CHANNELS, 0,
				      RC_DISK_ONLINE, 0), -EINVAL);
	RC_EXPECT_EQ(rc_node_set_disk(h->node[0], 0, 0, 0, RC_DISK_STATE_MAX,
				      0), -EINVAL);
	rc_t_start(h, 0);
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &c), -EINVAL);
	c.op = 99;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &c), -EINVAL);
	c.op = RC_HOST_REBUILD;
	c.ld_mask = 0;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &c), -EINVAL);
	/* Completions of I/O it never asked for change nothing. */
	rc_node_io_done(h->node[0], h->now, &junk, 0, NULL);
	rc_node_io_done(h->node[0], h->now, NULL, 0, NULL);
	rc_t_run(h, 6100);	/* listen 2.1 s, discovery 2.5 s */
	/* Alone: master of itself (steps 425-435, 4A0). */
	RC_EXPECT_EQ(rc_node_state(h->node[0]), RC_NS_MASTER);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_TRUE(rc_node_in_nexus(h->node[0]));
	RC_EXPECT_EQ(rc_node_connected(h->node[0]), 0x3);
	/* Not in nexus yet: a reserve is refused BUSY, release GOOD. */
	rc_node_reset(h->node[0]);
	rc_t_setup_node(h, 0);
	rc_t_start(h, 0);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 1, 0, 1);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_BUSY);
	rc_t_cmd(h, 0, RC_HOST_RELEASE, 1, 0, 2);
	RC_EXPECT_TRUE(h->done[2]);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
}

static void rc_t_expect_cluster(RC_TEST_CTX, struct rc_t_host *h, u8 master)
{
	unsigned int k;
	u8 s, i;

	for (k = 0; k < h->count; k++) {
		if (!h->up[k] || h->suspended[k])
			continue;
		RC_EXPECT_TRUE(rc_node_in_nexus(h->node[k]));
		RC_EXPECT_EQ(rc_node_master(h->node[k]), master);
		if (h->ids[k] == master) {
			RC_EXPECT_EQ(rc_node_state(h->node[k]), RC_NS_MASTER);
			continue;
		}
		RC_EXPECT_EQ(rc_node_state(h->node[k]), RC_NS_ACTIVE_SLAVE);
	}
	for (k = 0; k < h->count; k++) {
		unsigned int m;

		if (h->ids[k] != master)
			continue;
		for (m = 0; m < h->count; m++) {
			if (m == k || !h->up[m] || h->suspended[m])
				continue;
			rc_node_peer(h->node[k], h->ids[m], &s, &i);
			RC_EXPECT_EQ(s, RC_NS_NEXUS_SLAVE);
		}
	}
}

RC_TEST(proto_node_cold_start_highest_is_master)
{
	static const u8 ids[] = { 1, 4, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* Step 425: the highest node ID is the master at a cold start. */
	rc_t_expect_cluster(rc_t, h, 4);
}

RC_TEST(proto_node_joiner_becomes_slave)
{
	static const u8 ids[] = { 2, 7 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start(h, 0);
	rc_t_run(h, 5000);
	RC_EXPECT_EQ(rc_node_state(h->node[0]), RC_NS_MASTER);
	/* A higher ID joining later becomes the slave of the master. */
	rc_t_start(h, 1);
	rc_t_run(h, 8000);
	rc_t_expect_cluster(rc_t, h, 2);
}

static void rc_t_expect_holder(RC_TEST_CTX, struct rc_t_host *h, u8 ld,
			       u8 holder)
{
	unsigned int k;

	for (k = 0; k < h->count; k++)
		if (h->up[k] && !h->suspended[k])
			RC_EXPECT_EQ(rc_node_holder(h->node[k], ld), holder);
}

RC_TEST(proto_node_reserve_conflict_release)
{
	static const u8 ids[] = { 3, 5, 6 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* Figure 10: a slave reserves; every table learns it (fig 12). */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 9, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 9, 3);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[0], 9, h->now));
	RC_EXPECT_FALSE(rc_node_may_io(h->node[1], 9, h->now));
	/* Step 1005: another node finds it reserved locally. */
	rc_t_cmd(h, 2, RC_HOST_RESERVE, 9, 0, 2);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_RESERVATION_CONFLICT);
	rc_t_expect_holder(rc_t, h, 9, 3);
	/* Figure 19: Release by a non-holder and an unreserved drive:
	 * GOOD and nothing changes.
	 */
	rc_t_cmd(h, 1, RC_HOST_RELEASE, 9, 0, 3);
	rc_t_cmd(h, 1, RC_HOST_RELEASE, 17, 0, 4);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->status[4], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 9, 3);
	/* The holder releases: everyone forgets; then another reserves. */
	rc_t_cmd(h, 0, RC_HOST_RELEASE, 9, 0, 5);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[5]);
	RC_EXPECT_EQ(h->status[5], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 9, RC_HOLDER_NONE);
	rc_t_cmd(h, 2, RC_HOST_RESERVE, 9, 0, 6);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[6], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 9, 6);
}

RC_TEST(proto_node_simultaneous_reserve_priority)
{
	static const u8 ids[] = { 2, 6, 4 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	unsigned int round;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	for (round = 0; round < 3; round++) {
		u8 ld = (u8)(20 + round);

		/* Node 2 and node 4 ask in the same tick (fig 10, the
		 * simultaneous case): the higher ID (4) waits and retries,
		 * the lower withdraws.  Exactly one wins.
		 */
		rc_t_cmd(h, 0, RC_HOST_RESERVE, ld, 0, 1);
		rc_t_cmd(h, 2, RC_HOST_RESERVE, ld, 0, 2);
		rc_t_run(h, 5000);
		RC_EXPECT_TRUE(h->done[1]);
		RC_EXPECT_TRUE(h->done[2]);
		RC_EXPECT_EQ(h->status[1], RC_SCSI_RESERVATION_CONFLICT);
		RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
		rc_t_expect_holder(rc_t, h, ld, 4);
	}
}

RC_TEST(proto_node_preempt)
{
	static const u8 ids[] = { 1, 4, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* The holder loses the drive to a preempt, whoever asks. */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 7, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	rc_t_cmd(h, 2, RC_HOST_PREEMPT, 7, 0, 2);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[2]);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 7, 2);
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 7, h->now));
	RC_EXPECT_TRUE(rc_node_may_io(h->node[2], 7, h->now));
	/* The holder's own preempt, and one of a free drive: GOOD. */
	rc_t_cmd(h, 2, RC_HOST_PREEMPT, 7, 0, 3);
	rc_t_cmd(h, 0, RC_HOST_PREEMPT, 8, 0, 4);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->status[4], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 8, 1);
	/* Two at once: the higher ID wins on every node, the lower is told. */
	rc_t_run(h, 3 * h->par[0].reply_timeout_ms);	/* past the window */
	rc_t_cmd(h, 0, RC_HOST_PREEMPT, 7, 0, 5);
	rc_t_cmd(h, 1, RC_HOST_PREEMPT, 7, 0, 6);
	rc_t_run(h, 5000);
	RC_EXPECT_TRUE(h->done[5] && h->done[6]);
	RC_EXPECT_EQ(h->status[5], RC_SCSI_RESERVATION_CONFLICT);
	RC_EXPECT_EQ(h->status[6], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 7, 4);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[1], 7, h->now));
	RC_EXPECT_FALSE(rc_node_may_io(h->node[2], 7, h->now));
	/* A bad drive number. */
	{
		struct rc_host_cmd c = { .op = RC_HOST_PREEMPT,
					 .ld = RC_MAX_LDS };

		RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &c),
			     -EINVAL);
	}
}

RC_TEST(proto_node_reserve_claim_is_no_grant)
{
	static const u8 ids[] = { 2, 6, 4 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* Step 1015 makes our entry before anyone answered: a claim.  A
	 * second Reserve of the drive meanwhile is BUSY (the first may still
	 * lose, 1050), and the data path stays shut until the answers.
	 */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 7, 0, 1);
	RC_EXPECT_FALSE(h->done[1]);
	RC_EXPECT_EQ(rc_node_holder(h->node[0], 7), 2);
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 7, h->now));
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 7, 0, 2);
	RC_EXPECT_TRUE(h->done[2]);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_BUSY);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[0], 7, h->now));
	/* Granted now: a Reserve again is GOOD at once (SCSI). */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 7, 0, 3);
	RC_EXPECT_TRUE(h->done[3]);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 7, 2);
}

RC_TEST(proto_node_master_failure_failover)
{
	static const u8 ids[] = { 1, 3, 5 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 5);
	rc_t_cmd(h, 2, RC_HOST_RESERVE, 0, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	rc_t_expect_holder(rc_t, h, 0, 5);
	/* The master dies: detected within 5 s (4 missed heartbeats), the
	 * survivors arbitrate (node 3).  Its reservation dies with it once
	 * it is fenced: the kill is on the disks, then a lease (3 s) and the
	 * drain time (1 s) later.
	 */
	h->up[2] = false;
	rc_t_run(h, 5000);
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 0), 5);
	/* ... and everyone follows the new master a heartbeat later. */
	rc_t_run(h, 1500);
	RC_EXPECT_EQ(rc_node_state(h->node[1]), RC_NS_MASTER);
	RC_EXPECT_EQ(rc_node_master(h->node[0]), 3);
	rc_t_run(h, 3500);
	RC_EXPECT_EQ(rc_node_holder(h->node[0], 0), RC_HOLDER_NONE);
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 0), RC_HOLDER_NONE);
	rc_t_run(h, 3000);
	rc_t_expect_cluster(rc_t, h, 3);
	/* The old master comes back: it rejoins as a slave. */
	h->par[2].incarnation++;
	rc_t_setup_node(h, 2);
	rc_t_start(h, 2);
	rc_t_run(h, 9000);
	rc_t_expect_cluster(rc_t, h, 3);
}

RC_TEST(proto_node_cable_failure_kills_self)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	u8 s, i;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* Node 1 loses both cables: its heartbeat checks fail, the TEST
	 * UNIT READY of the first online drive fails: it kills itself
	 * (fig 17 step 1750); the master, whose TUR works, declares it
	 * FAILED_SLAVE and kills it (1740).
	 */
	h->bad_channels[0] = 0x3;
	rc_t_run(h, 6000);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_TRUE(rc_node_suspended(h->node[0]));
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_CABLE_FAILURE);
	RC_EXPECT_FALSE(h->suspended[1]);
	rc_node_peer(h->node[1], 1, &s, &i);
	RC_EXPECT_EQ(s, RC_NS_FAILED_SLAVE);
	RC_EXPECT_TRUE(rc_node_in_nexus(h->node[1]));
}

RC_TEST(proto_node_lost_cable_master_dead_kills_self)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 2);
	/* The slave's cable to channel 0 goes while the master crashes:
	 * its host fails disk 0 (the channel's only drive) under I/O and
	 * asks for the change.  No master will ever verify it; figure 15
	 * on its own finds the drive out of reach (no path): its cable,
	 * so it kills itself (1565) instead of running on in nexus with a
	 * healthy drive held dead.
	 */
	h->up[1] = false;
	h->pulled[0] = 0x1;
	rc_node_set_disk(h->node[0], 0, 0, 0, RC_DISK_FAILED, 0);
	rc_t_cmd(h, 0, RC_HOST_CONFIG_CHANGE, 0, 0, 1);
	rc_t_run(h, 200);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_CHECK_CONDITION);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_CABLE_FAILURE);
	RC_EXPECT_FALSE(rc_node_in_nexus(h->node[0]));
}

RC_TEST(proto_node_two_dead_drives_no_cable_failure)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	unsigned int k;

	RC_ASSERT_TRUE(h);
	/* Channel 1 holds disks 1, 2 and 3 (targets 0-2). */
	h->disks = 4;
	for (k = 0; k < 2; k++) {
		rc_node_set_disk(h->node[k], 2, 1, 1, RC_DISK_ONLINE,
				 RC_DISKF_PRESENT);
		rc_node_set_disk(h->node[k], 3, 1, 2, RC_DISK_ONLINE,
				 RC_DISKF_PRESENT);
	}
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 2);
	/* Disks 1 and 3 die together; the slave's host notices disk 3
	 * first.  Figure 15 tests channel 1's first online drive, disk 1,
	 * which is dead too: it answers with an error of its own (not
	 * "no path"), so the next online drive is tested, disk 2 answers,
	 * the cable is fine.  The patent's literal rule (any TUR failure
	 * kills, 1565) would suspend every node here.
	 */
	h->dead = 0xa;
	rc_node_set_disk(h->node[0], 3, 1, 2, RC_DISK_FAILED, RC_DISKF_PRESENT);
	rc_t_cmd(h, 0, RC_HOST_CONFIG_CHANGE, 0, 0, 1);
	rc_t_run(h, 3000);
	RC_EXPECT_FALSE(h->suspended[0]);
	RC_EXPECT_FALSE(h->suspended[1]);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	rc_t_expect_cluster(rc_t, h, 2);
	/* A pulled cable still kills at once: no path to any drive. */
	h->pulled[0] = 0x2;
	rc_node_set_disk(h->node[0], 2, 1, 1, RC_DISK_FAILED, 0);
	rc_t_cmd(h, 0, RC_HOST_CONFIG_CHANGE, 0, 0, 2);
	rc_t_run(h, 200);
	RC_EXPECT_TRUE(h->done[2]);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_CHECK_CONDITION);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_CABLE_FAILURE);
}

RC_TEST(proto_node_negotiation_timeout)
{
	static const u8 ids[] = { 4, 1 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start(h, 0);
	rc_t_run(h, 5000);
	h->par[1].negotiate_timeout_ms = 2000;
	rc_t_start(h, 1);
	/* Node 1 finds master 4 and waits for negotiations (505, 520). */
	rc_t_run(h, 4800);	/* after its listen phase of 2.1 s */
	RC_EXPECT_EQ(rc_node_state(h->node[1]), RC_NS_ACTIVE_SLAVE);
	RC_EXPECT_EQ(rc_node_info(h->node[1]),
		     RC_NI_WAITING_FOR_NEGOTIATIONS);
	/* The master stalls: no negotiation comes (525, 530 -> 535, 540). */
	h->up[0] = false;
	rc_t_run(h, 2500);
	RC_EXPECT_TRUE(h->suspended[1]);
	RC_EXPECT_EQ(rc_node_state(h->node[1]), RC_NS_KILLED_SLAVE);
	RC_EXPECT_EQ(rc_node_info(h->node[1]),
		     RC_NI_TIMED_OUT_ON_NEGOTIATIONS);
}

RC_TEST(proto_node_rebuild_one_at_a_time)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	struct rc_wire_rebuild w;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	/* The slave holds drive 1; the master nothing. */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 1, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	/* Figure 14 on the slave: drives 1 and 2. */
	rc_t_cmd(h, 0, RC_HOST_REBUILD, 0, 0x6, 2);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_REBUILDING);
	/* Step 1405/1430: one rebuild at a time. */
	rc_t_cmd(h, 0, RC_HOST_REBUILD, 0, 0x1, 3);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_BUSY);
	rc_t_run(h, 1000);
	/* Figure 16 step 1650: the holder (node 1) rebuilds drive 1. */
	RC_EXPECT_EQ(h->rebuilding[0], 1);
	RC_EXPECT_EQ(h->rebuilding[1], 0xff);
	RC_EXPECT_EQ(rc_node_info(h->node[1]), RC_NI_REBUILDING);
	rc_node_rebuild_progress(h->node[0], h->now, 1, 500);
	rc_t_run(h, 1500);
	/* Step 11D5/11E5: the master knows who and how far. */
	rc_node_rebuild_view(h->node[1], &w);
	RC_EXPECT_EQ(w.ld, 1);
	RC_EXPECT_EQ(w.executor, 1);
	RC_EXPECT_EQ(le32_to_cpu(w.progress), 500u);
	h->rebuilding[0] = 0xff;
	rc_node_rebuild_done(h->node[0], h->now, 1, 0);
	rc_t_drain(h, 0);
	rc_t_run(h, 1000);
	/* 1630 -> 1610: drive 2 is nobody's: the master rebuilds it. */
	RC_EXPECT_EQ(h->rebuilding[1], 2);
	RC_EXPECT_EQ(h->rebuilding[0], 0xff);
	h->rebuilding[1] = 0xff;
	rc_node_rebuild_done(h->node[1], h->now, 2, 0);
	rc_t_drain(h, 1);
	rc_t_run(h, 1000);
	/* 1640, 1645, 11H0: everyone back to Completed_Startup. */
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_EQ(rc_node_info(h->node[1]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_EQ(h->rebuild_starts, 2);
	RC_EXPECT_EQ(h->max_concurrent_rebuilds, 1);
	rc_t_cmd(h, 1, RC_HOST_REBUILD, 0, 0x1, 4);
	RC_EXPECT_EQ(h->status[4], RC_SCSI_GOOD);
}

/* The rebuild follows the reservation, from the last position reported. */
RC_TEST(proto_node_rebuild_follows_holder)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	unsigned int k;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 1, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	/* The configuration says drive 1 has a member to rebuild. */
	for (k = 0; k < 2; k++)
		rc_node_rebuild_needed(h->node[k], h->now, 0x2);
	rc_t_run(h, 1500);
	RC_EXPECT_EQ(h->rebuilding[0], 1);	/* its holder */
	RC_EXPECT_EQ(h->rebuild_from[0], 0u);
	RC_EXPECT_EQ(h->rebuilding[1], 0xff);
	rc_node_rebuild_progress(h->node[0], h->now, 1, 300);
	rc_t_drain(h, 0);
	rc_t_run(h, 2500);
	/* The holder releases it: it stops, the master goes on from 300. */
	rc_t_cmd(h, 0, RC_HOST_RELEASE, 1, 0, 2);
	rc_t_run(h, 1500);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->rebuilding[0], 0xff);
	RC_EXPECT_EQ(h->rebuilding[1], 1);
	RC_EXPECT_EQ(h->rebuild_from[1], 300u);
	rc_node_rebuild_progress(h->node[1], h->now, 1, 450);
	rc_t_drain(h, 1);
	rc_t_run(h, 1500);
	/* Reserved again: the master stops before it grants, node 1 resumes. */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 1, 0, 3);
	rc_t_run(h, 3000);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->rebuilding[1], 0xff);
	RC_EXPECT_EQ(h->rebuilding[0], 1);
	RC_EXPECT_EQ(h->rebuild_from[0], 450u);
	RC_EXPECT_EQ(h->max_concurrent_rebuilds, 1);
	/* Done: the master records it, the run ends. */
	h->rebuilding[0] = 0xff;
	rc_node_rebuild_done(h->node[0], h->now, 1, 0);
	rc_t_drain(h, 0);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(rc_node_info(h->node[1]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_EQ(h->rebuild_starts, 3);
}

/* A dead executor's drive goes on only once the executor is fenced. */
RC_TEST(proto_node_rebuild_takeover_after_fence)
{
	static const u8 ids[] = { 1, 3, 5 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	unsigned int k, waited = 0;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 2, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	for (k = 0; k < 3; k++)
		rc_node_rebuild_needed(h->node[k], h->now, 0x4);
	rc_t_run(h, 1500);
	RC_EXPECT_EQ(h->rebuilding[0], 2);
	rc_node_rebuild_progress(h->node[0], h->now, 2, 400);
	rc_t_drain(h, 0);
	rc_t_run(h, 2500);
	/* Node 1 dies rebuilding; the master (node 5) waits for its fence. */
	h->up[0] = false;
	h->rebuilding[0] = 0xff;
	while (h->rebuilding[2] == 0xff && waited < 30000) {
		rc_t_run(h, 100);
		waited += 100;
		if (h->rebuilding[2] == 0xff)
			continue;
		/* Started: the dead node's reservation must be gone by now. */
		RC_EXPECT_EQ(rc_node_holder(h->node[2], 2), RC_HOLDER_NONE);
	}
	RC_EXPECT_EQ(h->rebuilding[2], 2);
	RC_EXPECT_EQ(h->rebuild_from[2], 400u);
	/* detection + the kill on the disks + lease (3 s) + drain (1 s) */
	RC_EXPECT_TRUE(waited >= 5000);
	RC_EXPECT_EQ(h->rebuilding[1], 0xff);
}

/*
 * The master rebuilds a drive nobody holds and dies: the new master goes
 * on from the last position, but only once the old one is fenced (its
 * rebuild writes may still be landing).
 */
RC_TEST(proto_node_rebuild_master_executor_fenced)
{
	static const u8 ids[] = { 1, 3, 5 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	unsigned int k, waited = 0;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	for (k = 0; k < 3; k++)
		rc_node_rebuild_needed(h->node[k], h->now, 0x1);
	rc_t_run(h, 1500);
	RC_EXPECT_EQ(h->rebuilding[2], 0);	/* unheld: the master's */
	rc_node_rebuild_progress(h->node[2], h->now, 0, 600);
	rc_t_drain(h, 2);
	rc_t_run(h, 2500);
	h->up[2] = false;
	h->rebuilding[2] = 0xff;
	while (h->rebuilding[1] == 0xff && waited < 30000) {
		rc_t_run(h, 100);
		waited += 100;
	}
	RC_EXPECT_EQ(rc_node_state(h->node[1]), RC_NS_MASTER);
	RC_EXPECT_EQ(h->rebuilding[1], 0);
	RC_EXPECT_EQ(h->rebuild_from[1], 600u);
	RC_EXPECT_EQ(h->rebuilding[0], 0xff);
	/* detection, then the kill on the disks, lease (3 s) + drain (1 s) */
	RC_EXPECT_TRUE(waited >= 5000);
}

RC_TEST(proto_node_fast_reboot_detected)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	u8 s, i;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 3, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	/* The slave resets and is back within 0.3 s: far too fast for 4
	 * missed heartbeats.  Its new incarnation and booting flag
	 * (table 20) tell the master: NEW_SLAVE, its reservation gone,
	 * negotiated again.
	 */
	h->up[0] = false;
	rc_t_run(h, 300);
	h->par[0].incarnation++;
	rc_t_setup_node(h, 0);
	rc_t_start(h, 0);
	rc_t_run(h, 3300);	/* its listen phase (2.1 s), then its slot */
	rc_node_peer(h->node[1], 1, &s, &i);
	RC_EXPECT_TRUE(s == RC_NS_NEW_SLAVE || s == RC_NS_DIAGNOSED_SLAVE);
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 3), RC_HOLDER_NONE);
	rc_t_run(h, 8000);
	rc_t_expect_cluster(rc_t, h, 2);
}

RC_TEST(proto_node_torn_writes_still_agree)
{
	static const u8 ids[] = { 1, 2, 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	unsigned int round;

	RC_ASSERT_TRUE(h);
	/* Every 7th block write is torn: CRC32C refuses the block, the
	 * reader keeps what it had, the writer's next write repairs it.
	 */
	h->torn_every = 7;
	rc_t_start_all(h);
	rc_t_run(h, 4000);
	rc_t_expect_cluster(rc_t, h, 3);
	for (round = 0; round < 4; round++) {
		unsigned int k = round % 3;

		rc_t_cmd(h, k, RC_HOST_RESERVE, 5, 0, 1);
		rc_t_run(h, 3000);
		RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
		rc_t_expect_holder(rc_t, h, 5, ids[k]);
		rc_t_cmd(h, k, RC_HOST_RELEASE, 5, 0, 2);
		rc_t_run(h, 3000);
		RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
		rc_t_expect_holder(rc_t, h, 5, RC_HOLDER_NONE);
	}
}

/*
 * A node started with the ID of a live node listens first (listen_ms),
 * sees its own slot advancing, and refuses to join: DUPLICATE_ID, without
 * having written a single block, so the live node's slot and boxes stay
 * its own and the cluster does not notice.
 */
RC_TEST(proto_node_duplicate_id_refused)
{
	static const u8 ids[] = { 2, 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	u8 s, i;

	RC_ASSERT_TRUE(h);
	h->count = 2;
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 2);
	/* the newcomer: another machine configured with ID 2 */
	h->count = 3;
	h->par[2].incarnation = 7;
	rc_t_start(h, 2);
	rc_t_run(h, 5000);
	RC_EXPECT_TRUE(h->suspended[2]);
	RC_EXPECT_EQ(rc_node_state(h->node[2]), RC_NS_KILLED_SLAVE);
	RC_EXPECT_EQ(rc_node_info(h->node[2]), RC_NI_DUPLICATE_ID);
	RC_EXPECT_EQ(h->node_writes[2], 0);
	/* the live node 2 is still the master, node 1 its slave */
	RC_EXPECT_EQ(rc_node_master(h->node[1]), 2);
	rc_node_peer(h->node[1], 2, &s, &i);
	RC_EXPECT_EQ(s, RC_NS_MASTER);
	h->count = 2;
	rc_t_run(h, 6000);
	rc_t_expect_cluster(rc_t, h, 2);
}

/* A slot our previous life left (a crash) stands still: no duplicate. */
RC_TEST(proto_node_own_stale_slot_is_no_duplicate)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	h->up[0] = false;		/* node 1 crashes, its slot stays */
	rc_t_run(h, 8000);
	h->par[0].incarnation++;
	rc_t_setup_node(h, 0);
	rc_t_start(h, 0);
	rc_t_run(h, 12000);
	RC_EXPECT_FALSE(h->suspended[0]);
	rc_t_expect_cluster(rc_t, h, 2);
}

/*
 * A node restarted with the incarnation of its last life (the host's clock
 * did not move on) starts above what its old slot says, and rejoins.
 */
RC_TEST(proto_node_restart_same_incarnation_rejoins)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	struct rc_peer_view v;

	RC_ASSERT_TRUE(h);
	h->par[0].incarnation = 50;
	rc_t_start_all(h);
	h->up[0] = false;
	rc_t_run(h, 8000);
	rc_t_setup_node(h, 0);
	rc_t_start(h, 0);		/* incarnation 50 again */
	rc_t_run(h, 12000);
	RC_EXPECT_FALSE(h->suspended[0]);
	rc_t_expect_cluster(rc_t, h, 2);
	RC_ASSERT_EQ(rc_node_peer_view(h->node[1], 1, h->now, &v), 0);
	RC_EXPECT_TRUE(v.live);
	RC_EXPECT_EQ(v.incarnation, 51);
}

/* An action queue the host does not drain overflows, visibly. */
RC_TEST(proto_node_overflow_is_visible)
{
	static const u8 ids[] = { 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 1, ids);
	struct rc_host_cmd c = { .op = RC_HOST_RESERVE, .ld = 1 };
	unsigned int k;

	RC_ASSERT_TRUE(h);
	rc_t_start(h, 0);
	RC_EXPECT_FALSE(rc_node_overflowed(h->node[0]));
	/* not in nexus yet: every reserve completes BUSY at once, undrained */
	for (k = 0; k < 600; k++) {
		c.cookie = k % T_COOKIES;
		rc_node_host_cmd(h->node[0], h->now, &c);
	}
	RC_EXPECT_TRUE(rc_node_overflowed(h->node[0]));
}

/* What node list shows: the peers' slots as this node sees them. */
static void rc_t_request(struct rc_t_host *h, unsigned int k, const char *s,
			 u64 cookie)
{
	struct rc_host_cmd c = { .op = RC_HOST_REQUEST, .cookie = cookie,
				 .buf = s, .len = (u32)strlen(s) + 1 };

	h->done[cookie] = false;
	rc_node_host_cmd(h->node[k], h->now, &c);
	rc_t_drain(h, k);
}

static void rc_t_answer(struct rc_t_host *h, unsigned int k, u8 status,
			const char *s)
{
	h->hreq_len[k] = 0;
	rc_node_host_request_done(h->node[k], h->now, status, s,
				  (u32)strlen(s) + 1);
	rc_t_drain(h, k);
}

RC_TEST(proto_node_host_request)
{
	static const u8 ids[] = { 1, 4, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	struct rc_host_cmd bad = { .op = RC_HOST_REQUEST, .cookie = 9 };

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	RC_ASSERT_EQ(rc_node_master(h->node[0]), 4);
	/* A slave's change reaches the master's host, byte for byte... */
	rc_t_request(h, 0, "create-x", 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->hreq_len[1], 9);
	RC_EXPECT_EQ(h->hreq_from[1], 1);
	RC_EXPECT_EQ(memcmp(h->hreq[1], "create-x", 9), 0);
	RC_EXPECT_FALSE(h->done[1]);
	/* ... and its answer comes back as the COMPLETE's payload. */
	rc_t_answer(h, 1, RC_SCSI_GOOD, "ok-7");
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->reply_len[1], 5);
	RC_EXPECT_EQ(memcmp(h->reply[1], "ok-7", 5), 0);
	/* A refusal carries its reason too. */
	rc_t_request(h, 2, "delete-3", 2);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->hreq_from[1], 2);
	rc_t_answer(h, 1, RC_SCSI_CHECK_CONDITION, "why");
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_CHECK_CONDITION);
	RC_EXPECT_EQ(memcmp(h->reply[2], "why", 4), 0);
	/*
	 * One at a time on the master: the second slave is told BUSY and
	 * asks again until the first is answered; then it is carried out.
	 */
	rc_t_request(h, 0, "first", 3);
	rc_t_request(h, 2, "second", 4);
	rc_t_run(h, 2000);
	RC_EXPECT_FALSE(h->done[3] || h->done[4]);
	rc_t_answer(h, 1, RC_SCSI_GOOD, "done");
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[3] != h->done[4]);
	rc_t_answer(h, 1, RC_SCSI_GOOD, "done2");
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->done[3] && h->done[4]);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	RC_EXPECT_EQ(h->status[4], RC_SCSI_GOOD);
	/* The master's own host changes the COD itself: not a request. */
	rc_t_request(h, 1, "self", 5);
	RC_EXPECT_TRUE(h->done[5]);
	RC_EXPECT_EQ(h->status[5], RC_SCSI_BUSY);
	/* A master that never answers: BUSY after three reply timeouts. */
	rc_t_request(h, 0, "lost", 6);
	rc_t_run(h, 2 * h->par[0].reply_timeout_ms);
	RC_EXPECT_FALSE(h->done[6]);
	rc_t_run(h, 2 * h->par[0].reply_timeout_ms);
	RC_EXPECT_TRUE(h->done[6]);
	RC_EXPECT_EQ(h->status[6], RC_SCSI_BUSY);
	/* A late answer to it is dropped by the slave. */
	rc_t_answer(h, 1, RC_SCSI_GOOD, "late");
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[6], RC_SCSI_BUSY);
	/* Bad input. */
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &bad), -EINVAL);
	bad.buf = "x";
	bad.len = RC_WIRE_MAX_PAYLOAD + 1;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[0], h->now, &bad), -EINVAL);
}

RC_TEST(proto_node_peer_view)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	struct rc_peer_view v;

	RC_ASSERT_TRUE(h);
	h->par[1].incarnation = 9;
	rc_t_start_all(h);
	RC_ASSERT_EQ(rc_node_peer_view(h->node[0], 2, h->now, &v), 0);
	RC_EXPECT_TRUE(v.known);
	RC_EXPECT_TRUE(v.live);
	RC_EXPECT_FALSE(v.booting);
	RC_EXPECT_FALSE(v.suspended);
	RC_EXPECT_EQ(v.state, RC_NS_MASTER);
	RC_EXPECT_EQ(v.master, 2);
	RC_EXPECT_EQ(v.incarnation, 9);
	RC_EXPECT_EQ(v.connected, 0x3);
	RC_EXPECT_LT(v.hb_age_ms, 2 * h->par[1].hb_period_ms + 1);
	RC_EXPECT_LT(0, v.heartbeat);
	RC_EXPECT_EQ(v.own_state, RC_NS_MASTER);
	RC_EXPECT_EQ(v.own_info, RC_NI_COMPLETED_STARTUP);
	RC_ASSERT_EQ(rc_node_peer_view(h->node[0], 1, h->now, &v), 0);
	RC_EXPECT_TRUE(v.live);
	RC_EXPECT_EQ(v.state, RC_NS_ACTIVE_SLAVE);
	RC_EXPECT_EQ(v.own_state, RC_NS_ACTIVE_SLAVE);
	RC_EXPECT_EQ(v.master, 2);
	RC_ASSERT_EQ(rc_node_peer_view(h->node[0], 7, h->now, &v), 0);
	RC_EXPECT_FALSE(v.known);
	RC_EXPECT_EQ(rc_node_peer_view(h->node[0], 32, h->now, &v), -EINVAL);
}

/*
 * Never two writers: the holder freezes (no events: SIGSTOP, a hung
 * kernel) with its lease running.  The survivors kill it and free its
 * drive only after its lease has run out plus the drain time; when it
 * wakes up with its clock jumped, its lease has ended before it does
 * anything, and its first slot read shows it the kill.
 */
RC_TEST(proto_node_frozen_holder_fenced)
{
	static const u8 ids[] = { 1, 2, 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	u64 lease_end, freed = 0;
	unsigned int t;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 3);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 4, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[0], 4, h->now));
	/* the lease is renewed every heartbeat: it ends 2-3 s from now */
	lease_end = rc_node_lease_until(h->node[0]);
	RC_EXPECT_TRUE(lease_end > h->now + 1900);
	RC_EXPECT_TRUE(lease_end <= h->now + h->par[0].lease_ms);
	h->up[0] = false;			/* frozen */
	for (t = 0; t < 15000 && !freed; t += 10) {
		rc_t_run(h, 10);
		if (rc_node_holder(h->node[2], 4) == RC_HOLDER_NONE)
			freed = h->now;
		/* a survivor never frees it while the frozen one may write */
		RC_EXPECT_TRUE(freed || rc_node_holder(h->node[1], 4) == 1);
	}
	RC_ASSERT_TRUE(freed);
	RC_EXPECT_TRUE(freed >= lease_end + h->par[0].drain_ms);
	rc_t_run(h, 1200);	/* the slave reads the master's table */
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 4), RC_HOLDER_NONE);
	rc_t_cmd(h, 1, RC_HOST_RESERVE, 4, 0, 2);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[1], 4, h->now));
	/* it wakes up: no I/O before any event, then it obeys the kill */
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 4, h->now));
	h->up[0] = true;
	rc_t_drain(h, 0);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_KILLED);
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 4, h->now));
	RC_EXPECT_EQ(rc_node_lease_until(h->node[0]), 0);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[1], 4, h->now));
}

/*
 * Fencing at the disks: the same frozen holder, but its clock stopped
 * with it, so its lease would still run when it thaws.  Its drive is freed
 * only once the master has removed its key from the disks (never on the
 * lease wait alone: a slave checks that the master did), and its first
 * write after the thaw fails at the disk, which suspends it.
 */
RC_TEST(proto_node_frozen_holder_fenced_at_disk)
{
	static const u8 ids[] = { 1, 2, 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	u64 freed1 = 0, freed2 = 0;
	unsigned int k, t;

	RC_ASSERT_TRUE(h);
	h->pr = true;
	for (k = 0; k < 3; k++)
		h->par[k].disk_fence = true;
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 3);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 4, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	h->up[0] = false;			/* frozen */
	h->pr_refuse = true;			/* the preempt cannot get through */
	rc_t_run(h, 15000);			/* well past the lease wait */
	RC_EXPECT_TRUE(h->preempts > 0);
	RC_EXPECT_TRUE(h->checks > 0);
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 4), 1);
	RC_EXPECT_EQ(rc_node_holder(h->node[2], 4), 1);
	h->pr_refuse = false;
	for (t = 0; t < 5000 && !(freed1 && freed2); t += 10) {
		rc_t_run(h, 10);
		if (!freed1 && rc_node_holder(h->node[1], 4) == RC_HOLDER_NONE)
			freed1 = h->now;
		if (!freed2 && rc_node_holder(h->node[2], 4) == RC_HOLDER_NONE)
			freed2 = h->now;
	}
	RC_ASSERT_TRUE(freed1 && freed2);
	RC_EXPECT_TRUE(h->preempted_at && freed1 >= h->preempted_at &&
		       freed2 >= h->preempted_at);
	rc_t_cmd(h, 1, RC_HOST_RESERVE, 4, 0, 2);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	/* it thaws: its writes meet the disk's refusal, it suspends */
	h->up[0] = true;
	rc_node_fenced_at_disk(h->node[0], h->now);
	rc_t_drain(h, 0);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_KILLED);
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 4, h->now));
	RC_EXPECT_TRUE(rc_node_may_io(h->node[1], 4, h->now));
}

/*
 * The holder (the master) freezes with its clock; the other node restarts
 * meanwhile and starts the cluster alone.  The frozen node's slot still
 * says it holds the drive: the new master takes that entry over and frees
 * it only once it has preempted the frozen node's key (found by rcsim, a
 * freeze-clock fault during a reset).  On the lease alone the drive would
 * be granted at once, and the frozen node would write it when it thaws.
 */
RC_TEST(proto_node_stale_holder_fenced_at_startup)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	unsigned int t;

	RC_ASSERT_TRUE(h);
	h->pr = true;
	h->par[0].disk_fence = h->par[1].disk_fence = true;
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 2);
	rc_t_cmd(h, 1, RC_HOST_RESERVE, 4, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	h->up[1] = false;			/* frozen, clock and all */
	h->par[0].incarnation++;
	rc_t_start(h, 0);			/* node 1 restarts */
	for (t = 0; t < 40000; t += 250) {
		rc_t_run(h, 250);
		if (rc_node_state(h->node[0]) != RC_NS_MASTER)
			continue;
		h->done[2] = false;
		rc_t_cmd(h, 0, RC_HOST_RESERVE, 4, 0, 2);
		rc_t_run(h, 50);
		if (h->done[2] && h->status[2] == RC_SCSI_GOOD)
			break;
	}
	RC_ASSERT_TRUE(t < 40000);
	RC_EXPECT_TRUE(h->key_gone[1]);
	RC_EXPECT_TRUE(h->preempted_at && h->preempted_at <= h->now);
}

/* A slot write refused with RESERVATION CONFLICT suspends the node. */
RC_TEST(proto_node_slot_conflict_suspends)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);

	RC_ASSERT_TRUE(h);
	h->pr = true;
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 2);
	h->key_gone[1] = true;			/* preempted behind its back */
	rc_t_run(h, 1500);			/* its next heartbeat write */
	RC_EXPECT_TRUE(h->conflicts > 0);
	RC_EXPECT_TRUE(h->suspended[1]);
	RC_EXPECT_EQ(rc_node_info(h->node[1]), RC_NI_KILLED);
	RC_EXPECT_FALSE(h->suspended[0]);
}

/* The host's own timeout ends the hung I/O of node @k. */
static void rc_t_unhang(struct rc_t_host *h, unsigned int k)
{
	unsigned int i;

	h->hang[k] = false;
	for (i = 0; i < h->nhung; i++)
		if (h->hung_node[i] == k)
			rc_node_io_done(h->node[k], h->now, &h->hung[i],
					-ETIMEDOUT, NULL);
	h->nhung = 0;
	rc_t_drain(h, k);
}

/* The lease is renewed only by the node's own good slot I/O. */
RC_TEST(proto_node_lease_needs_slot_io)
{
	static const u8 ids[] = { 1, 2 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 2, ids);
	u64 lease_end;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 2, 0, 1);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_GOOD);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[0], 2, h->now));
	/* every slot write and read of node 1 hangs from now on */
	h->hang[0] = true;
	lease_end = rc_node_lease_until(h->node[0]);
	RC_EXPECT_TRUE(lease_end > h->now && lease_end <= h->now + 3000);
	rc_t_run(h, (unsigned int)(lease_end - h->now));
	RC_EXPECT_FALSE(h->suspended[0]);	/* nobody told it anything */
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_EQ(rc_node_holder(h->node[0], 2), 1);
	RC_EXPECT_FALSE(rc_node_may_io(h->node[0], 2, h->now));
	/* ... and it comes back with the I/O */
	rc_t_unhang(h, 0);
	rc_t_run(h, 1100);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_COMPLETED_STARTUP);
	RC_EXPECT_FALSE(h->suspended[0]);
	RC_EXPECT_TRUE(rc_node_may_io(h->node[0], 2, h->now));
}

/* raidclusterctl node kill: GOOD once the node is fenced. */
RC_TEST(proto_node_host_kill)
{
	static const u8 ids[] = { 1, 2, 3 };
	struct rc_t_host *h = rc_t_host_new(rc_t, 3, ids);
	struct rc_host_cmd c = { .op = RC_HOST_KILL, .node = 3, .cookie = 1 };
	struct rc_peer_view v;
	u64 asked;

	RC_ASSERT_TRUE(h);
	rc_t_start_all(h);
	rc_t_expect_cluster(rc_t, h, 3);
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[2], h->now, &c), -EINVAL);
	c.node = 32;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[2], h->now, &c), -EINVAL);
	/* a node never seen: nothing to kill */
	c.node = 9;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[2], h->now, &c), 0);
	rc_t_drain(h, 2);
	RC_EXPECT_TRUE(h->done[1]);
	RC_EXPECT_EQ(h->status[1], RC_SCSI_CHECK_CONDITION);
	/* node 1 holds a drive; the master kills it */
	rc_t_cmd(h, 0, RC_HOST_RESERVE, 3, 0, 2);
	rc_t_run(h, 2000);
	RC_EXPECT_EQ(h->status[2], RC_SCSI_GOOD);
	c.node = 1;
	c.cookie = 3;
	h->done[3] = false;
	asked = h->now;
	RC_EXPECT_EQ(rc_node_host_cmd(h->node[2], h->now, &c), 0);
	rc_t_drain(h, 2);
	RC_EXPECT_FALSE(h->done[3]);
	rc_t_run(h, 2000);
	RC_EXPECT_TRUE(h->suspended[0]);
	RC_EXPECT_EQ(rc_node_info(h->node[0]), RC_NI_KILLED);
	RC_EXPECT_FALSE(h->done[3]);		/* its writes may still land */
	RC_EXPECT_EQ(rc_node_holder(h->node[2], 3), 1);
	/* not fenced before the kill is carried through (fence agent OFF) */
	RC_EXPECT_EQ(rc_node_peer_view(h->node[2], 1, h->now, &v), 0);
	RC_EXPECT_FALSE(v.fenced);
	rc_t_run(h, 3000);
	RC_EXPECT_TRUE(h->done[3]);
	RC_EXPECT_EQ(h->status[3], RC_SCSI_GOOD);
	RC_EXPECT_TRUE(h->now - asked >= h->par[2].lease_ms +
		       h->par[2].drain_ms);
	RC_EXPECT_EQ(rc_node_holder(h->node[2], 3), RC_HOLDER_NONE);
	RC_EXPECT_EQ(rc_node_holder(h->node[1], 3), RC_HOLDER_NONE);
	RC_EXPECT_EQ(rc_node_peer_view(h->node[2], 1, h->now, &v), 0);
	RC_EXPECT_TRUE(v.fenced);
	RC_EXPECT_TRUE(v.suspended);
	/* the other survivor fenced it too; a live node is not fenced */
	RC_EXPECT_EQ(rc_node_peer_view(h->node[1], 1, h->now, &v), 0);
	RC_EXPECT_TRUE(v.fenced);
	RC_EXPECT_EQ(rc_node_peer_view(h->node[2], 2, h->now, &v), 0);
	RC_EXPECT_FALSE(v.fenced);
	/* its next life is not fenced */
	h->par[0].incarnation++;
	rc_t_setup_node(h, 0);
	rc_t_start(h, 0);
	rc_t_run(h, 9000);
	RC_EXPECT_EQ(rc_node_peer_view(h->node[2], 1, h->now, &v), 0);
	RC_EXPECT_FALSE(v.fenced);
}
