// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Codecs of wire.h and slots.h.  Every decoder checks every byte it does
 * not use is zero, so a message from a newer or broken peer is refused
 * rather than half understood.
 */
#include "rc_base.h"
#include "crc32c.h"
#include "codec.h"
#include "le.h"

static const char *const rc_dcmd_names[RC_DCMD_MAX] = {
	[RC_DCMD_INVALID] = "invalid",
	[RC_DCMD_CABLE_CHECK] = "Node_Cable_Check",
	[RC_DCMD_READ] = "Node_Read",
	[RC_DCMD_WRITE] = "Node_Write",
	[RC_DCMD_NEGOTIATE] = "Node_Negotiate",
	[RC_DCMD_KILL] = "Node_Kill",
	[RC_DCMD_RESERVE] = "Node_Reserve",
	[RC_DCMD_RELEASE] = "Node_Release",
	[RC_DCMD_INFORM_REBUILD_RECEIVED] = "Node_Inform_Rebuild_Received",
	[RC_DCMD_INFORM_MASTER_REBUILD_RECEIVED] =
		"Node_Inform_Master_Rebuild_Received",
	[RC_DCMD_REBUILD] = "Node_Rebuild",
	[RC_DCMD_INFORM_REBUILD_STARTED] = "Node_Inform_Rebuild_Started",
	[RC_DCMD_INFORM_STATUS] = "Node_Inform_Status",
	[RC_DCMD_INFORM_REBUILD_COMPLETED] = "Node_Inform_Rebuild_Completed",
	[RC_DCMD_INFORM_REBUILT_ALL] = "Node_Inform_Rebuilt_All",
	[RC_DCMD_HOST_REQUEST] = "Node_Host_Request",
};

const char *rc_dcmd_name(unsigned int dcmd)
{
	return dcmd < RC_DCMD_MAX ? rc_dcmd_names[dcmd] : "unknown";
}

bool rc_dcmd_has_addr(u8 dcmd)
{
	return dcmd == RC_DCMD_READ || dcmd == RC_DCMD_WRITE;
}

/* --- CDBs ------------------------------------------------------------------ */

int rc_cdb10_encode(u8 *cdb, const struct rc_cmd *c)
{
	if (c->dcmd == RC_DCMD_INVALID || c->dcmd >= RC_DCMD_MAX ||
	    c->lun > RC_CDB_MAX_LUN)
		return -EINVAL;
	if (!rc_dcmd_has_addr(c->dcmd) && (c->addr || c->count))
		return -EINVAL;
	memset(cdb, 0, RC_CDB10_LEN);
	cdb[0] = RC_CDB_OPCODE_VENDOR;
	cdb[1] = (u8)(c->lun << RC_CDB_LUN_SHIFT);
	cdb[2] = c->dcmd;
	rc_st32(cdb + 3, c->addr);
	rc_st16(cdb + 7, c->count);
	cdb[9] = 0;
	return 0;
}

int rc_cdb10_decode(const u8 *cdb, size_t len, struct rc_cmd *c)
{
	if (len != RC_CDB10_LEN || cdb[0] != RC_CDB_OPCODE_VENDOR)
		return -EINVAL;
	if (cdb[1] & 0x1f)
		return -EINVAL;
	if (cdb[2] == RC_DCMD_INVALID || cdb[2] >= RC_DCMD_MAX)
		return -EPROTO;
	/* No NACA, no linking: nothing in this protocol uses them. */
	if (cdb[9])
		return -EINVAL;
	if (!rc_dcmd_has_addr(cdb[2]) && !rc_all_zero(cdb + 3, 6))
		return -EINVAL;
	c->dcmd = cdb[2];
	c->lun = cdb[1] >> RC_CDB_LUN_SHIFT;
	c->addr = rc_ld32(cdb + 3);
	c->count = rc_ld16(cdb + 7);
	return 0;
}

int rc_cdb_tur_encode(u8 *cdb, u8 lun)
{
	if (lun > RC_CDB_MAX_LUN)
		return -EINVAL;
	memset(cdb, 0, RC_CDB6_LEN);
	cdb[0] = RC_CDB_OPCODE_TUR;
	cdb[1] = (u8)(lun << RC_CDB_LUN_SHIFT);
	return 0;
}

int rc_cdb_tur_decode(const u8 *cdb, size_t len, u8 *lun)
{
	if (len != RC_CDB6_LEN || cdb[0] != RC_CDB_OPCODE_TUR ||
	    (cdb[1] & 0x1f) || !rc_all_zero(cdb + 2, 4))
		return -EINVAL;
	*lun = cdb[1] >> RC_CDB_LUN_SHIFT;
	return 0;
}

int rc_cdb_inquiry_encode(u8 *cdb, const struct rc_inq_cmd *c)
{
	if (c->lun > RC_CDB_MAX_LUN || (!c->evpd && !c->cmddt && c->page))
		return -EINVAL;
	memset(cdb, 0, RC_CDB6_LEN);
	cdb[0] = RC_CDB_OPCODE_INQUIRY;
	cdb[1] = (u8)(c->lun << RC_CDB_LUN_SHIFT) |
		 (c->cmddt ? RC_INQ_CMDDT : 0) | (c->evpd ? RC_INQ_EVPD : 0);
	cdb[2] = c->page;
	cdb[4] = c->alloc_len;
	return 0;
}

int rc_cdb_inquiry_decode(const u8 *cdb, size_t len, struct rc_inq_cmd *c)
{
	if (len != RC_CDB6_LEN || cdb[0] != RC_CDB_OPCODE_INQUIRY ||
	    (cdb[1] & 0x1c) || cdb[3] || cdb[5])
		return -EINVAL;
	c->lun = cdb[1] >> RC_CDB_LUN_SHIFT;
	c->cmddt = cdb[1] & RC_INQ_CMDDT;
	c->evpd = cdb[1] & RC_INQ_EVPD;
	c->page = cdb[2];
	c->alloc_len = cdb[4];
	/* Page code without EVPD/CmdDt is invalid in SCSI-2 too. */
	if (!c->evpd && !c->cmddt && c->page)
		return -EINVAL;
	return 0;
}

static void rc_pad_ascii(u8 *dst, const char *src, size_t len)
{
	size_t i = 0;

	for (; i < len && src[i]; i++)
		dst[i] = (u8)src[i];
	for (; i < len; i++)
		dst[i] = ' ';
}

void rc_inquiry_data_encode(struct rc_inquiry_data *d,
			    const struct rc_inq_info *i)
{
	u8 *p = (u8 *)d;

	memset(p, 0, RC_INQ_DATA_LEN);
	p[0] = 3 << 5 | 0;		/* table 20: qualifier 3, class 0 */
	p[2] = 0x02;			/* ISO/ECMA/ANSI: 02 */
	p[3] = 0x02;			/* response data format 2 */
	p[4] = RC_INQ_ADDITIONAL_LEN;
	rc_pad_ascii(p + 8, "MYLEX", 8);
	rc_pad_ascii(p + 16, "DAC960", 16);
	rc_pad_ascii(p + 32, i->revision, 4);
	p[RC_INQ_BOOTING_OFFSET] = i->booting ? 1 : 0;
	p[37] = i->node_id;
	rc_st32(p + 40, i->incarnation);
}

int rc_inquiry_data_decode(const void *buf, size_t len, struct rc_inq_info *i)
{
	const u8 *p = buf;
	struct rc_inquiry_data ref;
	const u8 *r = (const u8 *)&ref;
	struct rc_inq_info tmp = { 0 };

	if (len != RC_INQ_DATA_LEN)
		return -EINVAL;
	if (p[RC_INQ_BOOTING_OFFSET] > 1 || p[37] >= RC_MAX_NODES)
		return -EINVAL;
	memcpy(tmp.revision, p + 32, 4);
	tmp.revision[4] = 0;
	tmp.booting = p[RC_INQ_BOOTING_OFFSET];
	tmp.node_id = p[37];
	tmp.incarnation = rc_ld32(p + 40);
	/* Everything else must be exactly what a node answers. */
	rc_inquiry_data_encode(&ref, &tmp);
	if (memcmp(p, r, RC_INQ_DATA_LEN))
		return -EINVAL;
	*i = tmp;
	return 0;
}

/* --- payloads ------------------------------------------------------------- */

void rc_neg_init(struct rc_neg *m)
{
	unsigned int c, t;

	memset(m, 0, sizeof(*m));
	memset(m->holder, RC_HOLDER_NONE, sizeof(m->holder));
	for (c = 0; c < RC_MAX_CHANNELS; c++)
		for (t = 0; t < RC_MAX_TARGETS; t++)
			m->pd_disk[c][t] = RC_PD_NONE;
}

static bool rc_ld_state_ok(u8 s)
{
	return s < RC_LD_STATE_MAX;
}

static bool rc_level_ok(u8 l)
{
	return l == RC_RAID0 || l == RC_RAID1 || l == RC_RAID5 ||
	       l == RC_RAID10;
}

static int rc_neg_check(const struct rc_neg *m)
{
	unsigned int i, c, t;

	if (m->nlds > RC_MAX_LDS || m->ndisks > RC_MAX_DISKS ||
	    (m->flags & ~RC_NEGF_PROPOSAL))
		return -EINVAL;
	for (i = 0; i < RC_MAX_LDS; i++) {
		if (!rc_ld_state_ok(m->ld_state[i]) ||
		    !rc_level_ok(m->ld_level[i]))
			return -EINVAL;
		if (m->holder[i] != RC_HOLDER_NONE &&
		    m->holder[i] >= RC_MAX_NODES)
			return -EINVAL;
		/* A free record has no level, holder or drive past nlds. */
		if ((m->ld_state[i] == RC_LD_UNUSED || i >= m->nlds) &&
		    (m->ld_state[i] || m->ld_level[i] ||
		     m->holder[i] != RC_HOLDER_NONE))
			return -EINVAL;
	}
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			u16 d = m->pd_disk[c][t];

			if (d == RC_PD_NONE) {
				if (m->pd_state[c][t])
					return -EINVAL;
				continue;
			}
			if (d >= RC_MAX_DISKS ||
			    m->pd_state[c][t] >= RC_DISK_STATE_MAX)
				return -EINVAL;
		}
	}
	return 0;
}

int rc_neg_encode(struct rc_wire_negotiate *w, const struct rc_neg *m)
{
	u8 *p = (u8 *)w;
	u8 *cfg = p + RC_OFF(rc_wire_negotiate, configuration);
	unsigned int i, c, t;
	int err = rc_neg_check(m);

	if (err)
		return err;
	memset(p, 0, sizeof(*w));
	for (i = 0; i < RC_MAX_LDS; i++) {
		u8 *e = p + RC_OFF(rc_wire_negotiate, logical_drives) + 4 * i;

		e[0] = m->ld_state[i];
		e[1] = m->ld_level[i];
		e[2] = m->holder[i];
	}
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			u8 *e = p + RC_OFF(rc_wire_negotiate, physical_drives) +
				4 * (c * RC_MAX_TARGETS + t);

			rc_st16(e, m->pd_disk[c][t]);
			e[2] = m->pd_state[c][t];
		}
	}
	rc_st64(cfg + RC_OFF(rc_wire_config, generation), m->generation);
	rc_st32(cfg + RC_OFF(rc_wire_config, cod_crc), m->cod_crc);
	rc_st32(cfg + RC_OFF(rc_wire_config, nlds), m->nlds);
	rc_st32(cfg + RC_OFF(rc_wire_config, ndisks), m->ndisks);
	rc_st32(cfg + RC_OFF(rc_wire_config, flags), m->flags);
	memcpy(cfg + RC_OFF(rc_wire_config, cluster_uuid), m->cluster_uuid, 16);
	return 0;
}

int rc_neg_decode(const void *buf, size_t len, struct rc_neg *m)
{
	const u8 *p = buf;
	const u8 *cfg = p + RC_OFF(rc_wire_negotiate, configuration);
	unsigned int i, c, t;

	if (len != sizeof(struct rc_wire_negotiate))
		return -EINVAL;
	if (!rc_all_zero(p + RC_OFF(rc_wire_negotiate, reserved),
			 sizeof(((struct rc_wire_negotiate *)0)->reserved)))
		return -EINVAL;
	for (i = 0; i < RC_MAX_LDS; i++) {
		const u8 *e = p + RC_OFF(rc_wire_negotiate, logical_drives) +
			      4 * i;

		if (e[3])
			return -EINVAL;
		m->ld_state[i] = e[0];
		m->ld_level[i] = e[1];
		m->holder[i] = e[2];
	}
	for (c = 0; c < RC_MAX_CHANNELS; c++) {
		for (t = 0; t < RC_MAX_TARGETS; t++) {
			const u8 *e = p +
				RC_OFF(rc_wire_negotiate, physical_drives) +
				4 * (c * RC_MAX_TARGETS + t);

			if (e[3])
				return -EINVAL;
			m->pd_disk[c][t] = rc_ld16(e);
			m->pd_state[c][t] = e[2];
		}
	}
	m->generation = rc_ld64(cfg + RC_OFF(rc_wire_config, generation));
	m->cod_crc = rc_ld32(cfg + RC_OFF(rc_wire_config, cod_crc));
	m->nlds = rc_ld32(cfg + RC_OFF(rc_wire_config, nlds));
	m->ndisks = rc_ld32(cfg + RC_OFF(rc_wire_config, ndisks));
	m->flags = rc_ld32(cfg + RC_OFF(rc_wire_config, flags));
	memcpy(m->cluster_uuid, cfg + RC_OFF(rc_wire_config, cluster_uuid), 16);
	return rc_neg_check(m);
}

int rc_neg_reply_encode(struct rc_wire_negotiate_reply *w,
			const struct rc_neg_reply *r)
{
	u8 *p = (u8 *)w;

	if (r->result >= RC_NEG_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(*w));
	p[0] = r->result;
	rc_st64(p + 8, r->generation);
	return 0;
}

int rc_neg_reply_decode(const void *buf, size_t len, struct rc_neg_reply *r)
{
	const u8 *p = buf;

	if (len != sizeof(struct rc_wire_negotiate_reply) ||
	    p[0] >= RC_NEG_MAX || !rc_all_zero(p + 1, 7))
		return -EINVAL;
	r->result = p[0];
	r->generation = rc_ld64(p + 8);
	return 0;
}

int rc_cable_reply_encode(struct rc_wire_cable_reply *w,
			  const struct rc_cable_reply *r)
{
	u8 *p = (u8 *)w;

	if (r->channel >= RC_MAX_CHANNELS || !(r->connected & (1u << r->channel)))
		return -EINVAL;
	memset(p, 0, sizeof(*w));
	p[0] = r->channel;
	p[1] = r->connected;
	return 0;
}

int rc_cable_reply_decode(const void *buf, size_t len,
			  struct rc_cable_reply *r)
{
	const u8 *p = buf;

	/* A node answers on a channel it is connected to, by definition. */
	if (len != sizeof(struct rc_wire_cable_reply) ||
	    p[0] >= RC_MAX_CHANNELS || !(p[1] & (1u << p[0])) ||
	    !rc_all_zero(p + 2, 6))
		return -EINVAL;
	r->channel = p[0];
	r->connected = p[1];
	return 0;
}

void rc_rebuild_init(struct rc_rebuild *r)
{
	memset(r, 0, sizeof(*r));
	r->ld = RC_LD_NONE;
	r->requester = RC_NO_NODE;
	r->executor = RC_NO_NODE;
}

static bool rc_node_or_none(u8 n)
{
	return n < RC_MAX_NODES || n == RC_NO_NODE;
}

static int rc_rebuild_check(const struct rc_rebuild *r)
{
	if ((r->ld >= RC_MAX_LDS && r->ld != RC_LD_NONE) ||
	    !rc_node_or_none(r->requester) || !rc_node_or_none(r->executor) ||
	    r->progress > 1000 ||
	    (r->status != RC_SCSI_GOOD && r->status != RC_SCSI_CHECK_CONDITION &&
	     r->status != RC_SCSI_BUSY))
		return -EINVAL;
	return 0;
}

int rc_rebuild_encode(struct rc_wire_rebuild *w, const struct rc_rebuild *r)
{
	u8 *p = (u8 *)w;
	int err = rc_rebuild_check(r);

	if (err)
		return err;
	memset(p, 0, sizeof(*w));
	rc_st32(p + RC_OFF(rc_wire_rebuild, pending), r->pending);
	rc_st32(p + RC_OFF(rc_wire_rebuild, done), r->done);
	p[RC_OFF(rc_wire_rebuild, ld)] = r->ld;
	p[RC_OFF(rc_wire_rebuild, requester)] = r->requester;
	p[RC_OFF(rc_wire_rebuild, executor)] = r->executor;
	p[RC_OFF(rc_wire_rebuild, status)] = r->status;
	rc_st32(p + RC_OFF(rc_wire_rebuild, progress), r->progress);
	rc_st64(p + RC_OFF(rc_wire_rebuild, run), r->run);
	return 0;
}

int rc_rebuild_decode(const void *buf, size_t len, struct rc_rebuild *r)
{
	const u8 *p = buf;

	if (len != sizeof(struct rc_wire_rebuild))
		return -EINVAL;
	r->pending = rc_ld32(p + RC_OFF(rc_wire_rebuild, pending));
	r->done = rc_ld32(p + RC_OFF(rc_wire_rebuild, done));
	r->ld = p[RC_OFF(rc_wire_rebuild, ld)];
	r->requester = p[RC_OFF(rc_wire_rebuild, requester)];
	r->executor = p[RC_OFF(rc_wire_rebuild, executor)];
	r->status = p[RC_OFF(rc_wire_rebuild, status)];
	r->progress = rc_ld32(p + RC_OFF(rc_wire_rebuild, progress));
	r->run = rc_ld64(p + RC_OFF(rc_wire_rebuild, run));
	return rc_rebuild_check(r);
}

/* --- blocks: CRC over the whole 4 KiB with the crc field (12..15) zero ---- */

#define RC_BLK_CRC_OFF 12u
RC_STATIC_ASSERT(RC_OFF(rc_slot, crc) == RC_BLK_CRC_OFF, "slot crc offset");
RC_STATIC_ASSERT(RC_OFF(rc_mbox_header, crc) == RC_BLK_CRC_OFF,
		 "mbox crc offset");

static u32 rc_block_crc(const u8 *p)
{
	static const u8 zero[4];
	u32 crc = rc_crc32c(~0u, p, RC_BLK_CRC_OFF);

	crc = rc_crc32c(crc, zero, 4);
	crc = rc_crc32c(crc, p + RC_BLK_CRC_OFF + 4,
			RC_BLOCK_BYTES - RC_BLK_CRC_OFF - 4);
	return crc ^ ~0u;
}

static void rc_block_seal(u8 *p, u64 magic)
{
	rc_st64(p, magic);
	rc_st32(p + 8, RC_SLOTS_VERSION);
	rc_st32(p + RC_BLK_CRC_OFF, rc_block_crc(p));
}

static int rc_block_check(const u8 *p, size_t len, u64 magic)
{
	if (len != RC_BLOCK_BYTES)
		return -EINVAL;
	if (rc_ld64(p) != magic) {
		/* Never written, or another record: either way no block. */
		return rc_all_zero(p, 16) ? -ENOENT :
		       (rc_ld64(p) ? -EBADMSG : -ENOENT);
	}
	if (rc_ld32(p + RC_BLK_CRC_OFF) != rc_block_crc(p))
		return -EBADMSG;
	if (rc_ld32(p + 8) != RC_SLOTS_VERSION)
		return -EPROTO;
	return 0;
}

/* --- node slot --------------------------------------------------------------- */

#define S(f) RC_OFF(rc_slot, f)

static int rc_slot_check(const struct rc_slot_info *s)
{
	unsigned int i;

	if (s->node_id >= RC_MAX_NODES || s->state >= RC_NS_MAX ||
	    s->info >= RC_NI_MAX || s->comm_channel >= RC_MAX_CHANNELS ||
	    !rc_node_or_none(s->master) || (s->flags & ~RC_SLOTF_SUSPENDED) ||
	    !s->incarnation)
		return -EINVAL;
	for (i = 0; i < RC_MAX_NODES; i++)
		if (s->peer_state[i] >= RC_NS_MAX ||
		    s->peer_info[i] >= RC_NI_MAX)
			return -EINVAL;
	for (i = 0; i < RC_MAX_LDS; i++)
		if (s->holder[i] >= RC_MAX_NODES &&
		    s->holder[i] != RC_HOLDER_NONE)
			return -EINVAL;
	return rc_rebuild_check(&s->rebuild);
}

int rc_slot_encode(void *buf, const struct rc_slot_info *s)
{
	u8 *p = buf;
	struct rc_inq_info inq = { 0 };
	unsigned int i;
	int err = rc_slot_check(s);

	if (err)
		return err;
	memset(p, 0, RC_BLOCK_BYTES);
	p[S(node_id)] = s->node_id;
	p[S(state)] = s->state;
	p[S(info)] = s->info;
	p[S(booting)] = s->booting;
	p[S(connected)] = s->connected;
	p[S(comm_channel)] = s->comm_channel;
	p[S(master)] = s->master;
	p[S(flags)] = s->flags;
	rc_st32(p + S(incarnation), s->incarnation);
	rc_st64(p + S(heartbeat), s->heartbeat);
	rc_st64(p + S(generation), s->generation);
	rc_st32(p + S(kill_mask), s->kill_mask);
	for (i = 0; i < RC_MAX_NODES; i++)
		rc_st32(p + S(kill_incarnation) + 4 * i,
			s->kill_incarnation[i]);
	memcpy(p + S(peer_state), s->peer_state, RC_MAX_NODES);
	memcpy(p + S(peer_info), s->peer_info, RC_MAX_NODES);
	memcpy(p + S(holder), s->holder, RC_MAX_LDS);
	rc_rebuild_encode((struct rc_wire_rebuild *)(p + S(rebuild)),
			  &s->rebuild);
	inq.node_id = s->node_id;
	inq.booting = s->booting;
	inq.incarnation = s->incarnation;
	memcpy(inq.revision, "0001", 5);
	rc_inquiry_data_encode((struct rc_inquiry_data *)(p + S(inquiry)),
			       &inq);
	rc_block_seal(p, RC_SLOT_MAGIC);
	return 0;
}

int rc_slot_decode(const void *buf, size_t len, u8 expect_node,
		   struct rc_slot_info *s)
{
	const u8 *p = buf;
	struct rc_inq_info inq;
	unsigned int i;
	int err = rc_block_check(p, len, RC_SLOT_MAGIC);

	if (err)
		return err;
	if (p[S(booting)] > 1 || rc_ld32(p + S(reserved0)) ||
	    rc_ld32(p + S(reserved1)) ||
	    !rc_all_zero(p + S(reserved), sizeof(((struct rc_slot *)0)->reserved)))
		return -EINVAL;
	s->node_id = p[S(node_id)];
	s->state = p[S(state)];
	s->info = p[S(info)];
	s->booting = p[S(booting)];
	s->connected = p[S(connected)];
	s->comm_channel = p[S(comm_channel)];
	s->master = p[S(master)];
	s->flags = p[S(flags)];
	s->incarnation = rc_ld32(p + S(incarnation));
	s->heartbeat = rc_ld64(p + S(heartbeat));
	s->generation = rc_ld64(p + S(generation));
	s->kill_mask = rc_ld32(p + S(kill_mask));
	for (i = 0; i < RC_MAX_NODES; i++)
		s->kill_incarnation[i] = rc_ld32(p + S(kill_incarnation) + 4 * i);
	memcpy(s->peer_state, p + S(peer_state), RC_MAX_NODES);
	memcpy(s->peer_info, p + S(peer_info), RC_MAX_NODES);
	memcpy(s->holder, p + S(holder), RC_MAX_LDS);
	err = rc_rebuild_decode(p + S(rebuild), sizeof(struct rc_wire_rebuild),
				&s->rebuild);
	if (err)
		return err;
	err = rc_inquiry_data_decode(p + S(inquiry), RC_INQ_DATA_LEN, &inq);
	if (err)
		return err;
	/* The inquiry copy must tell the same story as the header. */
	if (s->node_id != expect_node || inq.node_id != s->node_id ||
	    inq.booting != s->booting || inq.incarnation != s->incarnation)
		return -EINVAL;
	return rc_slot_check(s);
}

#undef S

/* --- mailbox --------------------------------------------------------------- */

#define H(f) RC_OFF(rc_mbox_header, f)
#define M(f) RC_OFF(rc_mbox_msg, f)
#define MSG_AT(p, i) ((p) + sizeof(struct rc_mbox_header) + \
		      (size_t)(i) * sizeof(struct rc_mbox_msg))

static int rc_msg_check(const struct rc_msg *m)
{
	if (!m->seq || m->ld >= RC_MAX_LDS || m->len > RC_WIRE_MAX_PAYLOAD ||
	    (m->flags & ~RC_MSGF_RESPONSE) || (m->cmd.lun != (m->ld & 7)))
		return -EINVAL;
	if (!(m->flags & RC_MSGF_RESPONSE) && (m->status || m->reply_to))
		return -EINVAL;
	if ((m->flags & RC_MSGF_RESPONSE) && !m->reply_to)
		return -EINVAL;
	return 0;
}

int rc_mbox_encode(void *buf, const struct rc_mbox_info *h,
		   const struct rc_msg *const *m, unsigned int n)
{
	u8 *p = buf;
	unsigned int i;

	if (n > RC_MBOX_MSGS || h->sender >= RC_MAX_NODES ||
	    h->receiver >= RC_MAX_NODES || h->sender == h->receiver ||
	    !h->sender_incarnation)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (rc_msg_check(m[i]) || (i && m[i]->seq <= m[i - 1]->seq))
			return -EINVAL;
	}
	memset(p, 0, RC_BLOCK_BYTES);
	rc_st64(p + H(write_count), h->write_count);
	p[H(sender)] = h->sender;
	p[H(receiver)] = h->receiver;
	p[H(nmsgs)] = (u8)n;
	rc_st32(p + H(sender_incarnation), h->sender_incarnation);
	rc_st32(p + H(receiver_incarnation), h->receiver_incarnation);
	rc_st32(p + H(ack), h->ack);
	rc_st32(p + H(ack_incarnation), h->ack_incarnation);
	for (i = 0; i < n; i++) {
		u8 *q = MSG_AT(p, i);
		int err = rc_cdb10_encode(q + M(cdb), &m[i]->cmd);

		if (err)
			return err;
		rc_st32(q + M(seq), m[i]->seq);
		rc_st16(q + M(len), m[i]->len);
		q[M(ld)] = m[i]->ld;
		q[M(flags)] = m[i]->flags;
		q[M(status)] = m[i]->status;
		rc_st32(q + M(reply_to), m[i]->reply_to);
		rc_st32(q + M(op), m[i]->op);
		memcpy(q + M(payload), m[i]->payload, m[i]->len);
	}
	rc_block_seal(p, RC_MBOX_MAGIC);
	return 0;
}

int rc_mbox_msg_decode(const void *buf, unsigned int i, struct rc_msg *m)
{
	const u8 *q = MSG_AT((const u8 *)buf, i);
	int err;

	if (i >= RC_MBOX_MSGS)
		return -EINVAL;
	if (q[M(reserved0)] ||
	    !rc_all_zero(q + M(reserved), sizeof(((struct rc_mbox_msg *)0)->reserved)))
		return -EINVAL;
	err = rc_cdb10_decode(q + M(cdb), RC_CDB10_LEN, &m->cmd);
	if (err)
		return err;
	m->seq = rc_ld32(q + M(seq));
	m->len = rc_ld16(q + M(len));
	m->ld = q[M(ld)];
	m->flags = q[M(flags)];
	m->status = q[M(status)];
	m->reply_to = rc_ld32(q + M(reply_to));
	m->op = rc_ld32(q + M(op));
	err = rc_msg_check(m);
	if (err)
		return err;
	/* Bytes past the payload are zero: a stale tail means a bad box. */
	if (!rc_all_zero(q + M(payload) + m->len, RC_WIRE_MAX_PAYLOAD - m->len))
		return -EINVAL;
	memcpy(m->payload, q + M(payload), m->len);
	return 0;
}

int rc_mbox_decode(const void *buf, size_t len, u8 sender, u8 receiver,
		   struct rc_mbox_info *h)
{
	const u8 *p = buf;
	unsigned int i;
	u32 prev = 0;
	int err = rc_block_check(p, len, RC_MBOX_MAGIC);

	if (err)
		return err;
	h->write_count = rc_ld64(p + H(write_count));
	h->sender = p[H(sender)];
	h->receiver = p[H(receiver)];
	h->nmsgs = p[H(nmsgs)];
	h->sender_incarnation = rc_ld32(p + H(sender_incarnation));
	h->receiver_incarnation = rc_ld32(p + H(receiver_incarnation));
	h->ack = rc_ld32(p + H(ack));
	h->ack_incarnation = rc_ld32(p + H(ack_incarnation));
	if (h->sender != sender || h->receiver != receiver ||
	    h->nmsgs > RC_MBOX_MSGS || !h->sender_incarnation ||
	    p[H(reserved0)] ||
	    !rc_all_zero(p + H(reserved), sizeof(((struct rc_mbox_header *)0)->reserved)))
		return -EINVAL;
	for (i = 0; i < RC_MBOX_MSGS; i++) {
		const u8 *q = MSG_AT(p, i);
		u32 seq = rc_ld32(q + M(seq));

		if (i >= h->nmsgs) {
			if (!rc_all_zero(q, sizeof(struct rc_mbox_msg)))
				return -EINVAL;
			continue;
		}
		if (!seq || seq <= prev)
			return -EINVAL;
		prev = seq;
	}
	return 0;
}
