// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The protocol's wire and slot formats: every 20h command of tables 3-16
 * encodes to the bytes the tables give and decodes back; Heartbeat (17),
 * Inquiry (18) and inquiry data with the booting flag (19-20); the
 * payloads; node slots and mailboxes byte by byte; and random or
 * corrupted bytes into every decoder (an error, never a crash or a
 * silently accepted block).
 */
#include "rc_base.h"
#include "crc32c.h"
#include "proto/codec.h"
#include "proto_codec_cases.h"

static u32 rc_t_rng(u32 *s)
{
	/* xorshift32: deterministic, same stream in both runners. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const u8 rc_t_all_dcmds[] = {
	RC_DCMD_CABLE_CHECK, RC_DCMD_READ, RC_DCMD_WRITE, RC_DCMD_NEGOTIATE,
	RC_DCMD_KILL, RC_DCMD_RESERVE, RC_DCMD_RELEASE,
	RC_DCMD_INFORM_REBUILD_RECEIVED,
	RC_DCMD_INFORM_MASTER_REBUILD_RECEIVED, RC_DCMD_REBUILD,
	RC_DCMD_INFORM_REBUILD_STARTED, RC_DCMD_INFORM_STATUS,
	RC_DCMD_INFORM_REBUILD_COMPLETED, RC_DCMD_INFORM_REBUILT_ALL,
};

RC_TEST(proto_cdb_every_command_bytes)
{
	unsigned int i, lun;

	/* Tables 3, 6-16: 20h, LUN<<5, DCMD, bytes 3-8 reserved, control. */
	RC_EXPECT_EQ(ARRAY_SIZE(rc_t_all_dcmds), 14);
	for (i = 0; i < ARRAY_SIZE(rc_t_all_dcmds); i++) {
		for (lun = 0; lun <= 7; lun++) {
			struct rc_cmd c = { .dcmd = rc_t_all_dcmds[i],
					    .lun = (u8)lun };
			struct rc_cmd d;
			u8 cdb[RC_CDB10_LEN];
			u8 want[RC_CDB10_LEN] = { 0x20, (u8)(lun << 5),
						  rc_t_all_dcmds[i] };

			RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), 0);
			RC_EXPECT_MEMEQ(cdb, want, RC_CDB10_LEN);
			RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), 0);
			RC_EXPECT_EQ(d.dcmd, c.dcmd);
			RC_EXPECT_EQ(d.lun, lun);
			RC_EXPECT_EQ(d.addr, 0);
			RC_EXPECT_EQ(d.count, 0);
		}
		RC_EXPECT_TRUE(rc_dcmd_name(rc_t_all_dcmds[i])[0] == 'N');
	}
}

RC_TEST(proto_cdb_read_write_address_count)
{
	/* Tables 4, 5: address bytes 3-6 LSB first, count bytes 7-8. */
	struct rc_cmd c = { .dcmd = RC_DCMD_READ, .lun = 5,
			    .addr = 0x12345678, .count = 0xabcd };
	static const u8 rd[] = { 0x20, 0xa0, RC_DCMD_READ, 0x78, 0x56, 0x34,
				 0x12, 0xcd, 0xab, 0x00 };
	static const u8 wr[] = { 0x20, 0x20, RC_DCMD_WRITE, 0x01, 0x00, 0x00,
				 0x80, 0x40, 0x00, 0x00 };
	struct rc_cmd d;
	u8 cdb[RC_CDB10_LEN];

	RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), 0);
	RC_EXPECT_MEMEQ(cdb, rd, sizeof(rd));
	RC_EXPECT_EQ(rc_cdb10_decode(rd, sizeof(rd), &d), 0);
	RC_EXPECT_EQ(d.addr, 0x12345678u);
	RC_EXPECT_EQ(d.count, 0xabcd);
	RC_EXPECT_EQ(d.lun, 5);
	c.dcmd = RC_DCMD_WRITE;
	c.lun = 1;
	c.addr = 0x80000001u;
	c.count = 64;
	RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), 0);
	RC_EXPECT_MEMEQ(cdb, wr, sizeof(wr));
	RC_EXPECT_EQ(rc_cdb10_decode(wr, sizeof(wr), &d), 0);
	RC_EXPECT_EQ(d.addr, 0x80000001u);
	RC_EXPECT_EQ(d.count, 64);
}

RC_TEST(proto_cdb_refuses_bad_fields)
{
	u8 cdb[RC_CDB10_LEN] = { 0x20, 0x00, RC_DCMD_KILL };
	struct rc_cmd c = { .dcmd = RC_DCMD_RESERVE, .addr = 1 };
	struct rc_cmd d;

	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), 0);
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, 9, &d), -EINVAL);
	cdb[0] = 0x28;				/* not 20h */
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EINVAL);
	cdb[0] = 0x20;
	cdb[1] = 0x01;				/* reserved bit of byte 1 */
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EINVAL);
	cdb[1] = 0;
	cdb[5] = 1;				/* Node_Kill bytes 3-8 reserved */
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EINVAL);
	cdb[5] = 0;
	cdb[9] = 0x04;				/* NACA */
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EINVAL);
	cdb[9] = 0;
	cdb[2] = 0;				/* DCMD 00h */
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EPROTO);
	cdb[2] = RC_DCMD_MAX;
	RC_EXPECT_EQ(rc_cdb10_decode(cdb, RC_CDB10_LEN, &d), -EPROTO);
	/* Encoder: address only for Node_Read/Node_Write, LUN 0-7. */
	RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), -EINVAL);
	c.addr = 0;
	c.lun = 8;
	RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), -EINVAL);
	c.lun = 0;
	c.dcmd = 0;
	RC_EXPECT_EQ(rc_cdb10_encode(cdb, &c), -EINVAL);
}

RC_TEST(proto_cdb_heartbeat_tur)
{
	static const u8 want[RC_CDB6_LEN] = { 0x00, 0x60, 0, 0, 0, 0 };
	u8 cdb[RC_CDB6_LEN];
	u8 lun = 0;

	RC_EXPECT_EQ(rc_cdb_tur_encode(cdb, 3), 0);
	RC_EXPECT_MEMEQ(cdb, want, RC_CDB6_LEN);
	RC_EXPECT_EQ(rc_cdb_tur_decode(cdb, RC_CDB6_LEN, &lun), 0);
	RC_EXPECT_EQ(lun, 3);
	cdb[4] = 1;
	RC_EXPECT_EQ(rc_cdb_tur_decode(cdb, RC_CDB6_LEN, &lun), -EINVAL);
	RC_EXPECT_EQ(rc_cdb_tur_encode(cdb, 8), -EINVAL);
}

RC_TEST(proto_cdb_inquiry)
{
	struct rc_inq_cmd c = { .lun = 2, .evpd = true, .page = 0x80,
				.alloc_len = 96 };
	static const u8 want[RC_CDB6_LEN] = { 0x12, 0x41, 0x80, 0, 96, 0 };
	struct rc_inq_cmd d;
	u8 cdb[RC_CDB6_LEN];

	RC_EXPECT_EQ(rc_cdb_inquiry_encode(cdb, &c), 0);
	RC_EXPECT_MEMEQ(cdb, want, RC_CDB6_LEN);
	RC_EXPECT_EQ(rc_cdb_inquiry_decode(cdb, RC_CDB6_LEN, &d), 0);
	RC_EXPECT_EQ(d.lun, 2);
	RC_EXPECT_TRUE(d.evpd);
	RC_EXPECT_FALSE(d.cmddt);
	RC_EXPECT_EQ(d.page, 0x80);
	RC_EXPECT_EQ(d.alloc_len, 96);
	/* CmdDt is bit 1 (table 18). */
	c.evpd = false;
	c.cmddt = true;
	RC_EXPECT_EQ(rc_cdb_inquiry_encode(cdb, &c), 0);
	RC_EXPECT_EQ(cdb[1], 0x42);
	/* A page code without EVPD/CmdDt is invalid. */
	c.cmddt = false;
	RC_EXPECT_EQ(rc_cdb_inquiry_encode(cdb, &c), -EINVAL);
	cdb[1] = 0x40;
	RC_EXPECT_EQ(rc_cdb_inquiry_decode(cdb, RC_CDB6_LEN, &d), -EINVAL);
}

RC_TEST(proto_inquiry_data_booting_flag)
{
	struct rc_inquiry_data d;
	struct rc_inq_info i = { .node_id = 7, .booting = true,
				 .incarnation = 0x01020304 };
	struct rc_inq_info o;
	const u8 *p = (const u8 *)&d;

	memcpy(i.revision, "1.02", 5);
	rc_inquiry_data_encode(&d, &i);
	/* Table 20 values. */
	RC_EXPECT_EQ(p[0], 0x60);		/* qualifier 3, class 0 */
	RC_EXPECT_EQ(p[2], 0x02);
	RC_EXPECT_EQ(p[3], 0x02);
	RC_EXPECT_EQ(p[4], 0x1f);
	RC_EXPECT_MEMEQ(p + 8, "MYLEX   ", 8);
	RC_EXPECT_MEMEQ(p + 16, "DAC960          ", 16);
	RC_EXPECT_MEMEQ(p + 32, "1.02", 4);
	RC_EXPECT_EQ(p[36], 1);			/* booting flag, byte 36 */
	RC_EXPECT_EQ(p[37], 7);
	RC_EXPECT_EQ(p[40], 0x04);
	RC_EXPECT_EQ(rc_inquiry_data_decode(p, RC_INQ_DATA_LEN, &o), 0);
	RC_EXPECT_TRUE(o.booting);
	RC_EXPECT_EQ(o.node_id, 7);
	RC_EXPECT_EQ(o.incarnation, 0x01020304u);
	RC_EXPECT_STREQ(o.revision, "1.02");
	i.booting = false;
	rc_inquiry_data_encode(&d, &i);
	RC_EXPECT_EQ(p[36], 0);
	RC_EXPECT_EQ(rc_inquiry_data_decode(p, RC_INQ_DATA_LEN, &o), 0);
	RC_EXPECT_FALSE(o.booting);
	((u8 *)&d)[36] = 2;
	RC_EXPECT_EQ(rc_inquiry_data_decode(p, RC_INQ_DATA_LEN, &o), -EINVAL);
	((u8 *)&d)[36] = 0;
	((u8 *)&d)[9] = 'x';			/* not MYLEX */
	RC_EXPECT_EQ(rc_inquiry_data_decode(p, RC_INQ_DATA_LEN, &o), -EINVAL);
	RC_EXPECT_EQ(rc_inquiry_data_decode(p, 36, &o), -EINVAL);
}

static void rc_t_fill_neg(struct rc_neg *m)
{
	rc_neg_init(m);
	m->nlds = 3;
	m->ld_state[0] = RC_LD_OPTIMAL;
	m->ld_level[0] = RC_RAID1;
	m->holder[0] = 6;
	m->ld_state[2] = RC_LD_DEGRADED;
	m->ld_level[2] = RC_RAID5;
	m->pd_disk[0][0] = 0;
	m->pd_state[0][0] = RC_DISK_ONLINE;
	m->pd_disk[1][5] = 9;
	m->pd_state[1][5] = RC_DISK_FAILED;
	m->pd_disk[7][15] = 63;
	m->pd_state[7][15] = RC_DISK_SPARE;
	m->generation = 0x1122334455667788ull;
	m->cod_crc = 0xdeadbeef;
	m->ndisks = 64;
	m->flags = RC_NEGF_PROPOSAL;
	memset(m->cluster_uuid, 0xa5, 16);
}

RC_TEST(proto_negotiate_roundtrip)
{
	struct rc_neg *m = rc_test_alloc(rc_t, sizeof(*m));
	struct rc_neg *o = rc_test_alloc(rc_t, sizeof(*o));
	struct rc_wire_negotiate *w = rc_test_alloc(rc_t, sizeof(*w));
	const u8 *p = (const u8 *)w;

	RC_ASSERT_TRUE(m && o && w);
	rc_t_fill_neg(m);
	RC_EXPECT_EQ(rc_neg_encode(w, m), 0);
	/* logical_drives[0] at 0, physical_drives[1][5] at 128 + 4*21,
	 * configuration at 640, all little-endian.
	 */
	RC_EXPECT_EQ(p[0], RC_LD_OPTIMAL);
	RC_EXPECT_EQ(p[1], RC_RAID1);
	RC_EXPECT_EQ(p[2], 6);
	RC_EXPECT_EQ(p[6], RC_HOLDER_NONE);
	RC_EXPECT_EQ(p[128 + 4 * 21], 9);
	RC_EXPECT_EQ(p[128 + 4 * 21 + 2], RC_DISK_FAILED);
	RC_EXPECT_EQ(p[128 + 4], 0xff);		/* [0][1] empty: ffffh */
	RC_EXPECT_EQ(p[640], 0x88);
	RC_EXPECT_EQ(p[647], 0x11);
	RC_EXPECT_EQ(p[648], 0xef);
	RC_EXPECT_EQ(p[664], 0xa5);
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), 0);
	RC_EXPECT_MEMEQ(o, m, sizeof(*m));
}

RC_TEST(proto_negotiate_refuses_bad_fields)
{
	struct rc_neg *m = rc_test_alloc(rc_t, sizeof(*m));
	struct rc_neg *o = rc_test_alloc(rc_t, sizeof(*o));
	struct rc_wire_negotiate *w = rc_test_alloc(rc_t, sizeof(*w));
	u8 *p = (u8 *)w;

	RC_ASSERT_TRUE(m && o && w);
	rc_t_fill_neg(m);
	RC_ASSERT_EQ(rc_neg_encode(w, m), 0);
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w) - 1, o), -EINVAL);
	p[3] = 1;				/* reserved of SYS_DRIVES */
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), -EINVAL);
	p[3] = 0;
	p[2] = 40;				/* holder beyond node IDs */
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), -EINVAL);
	p[2] = 6;
	p[1] = 3;				/* RAID 3: no such level */
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), -EINVAL);
	p[1] = RC_RAID1;
	p[128 + 4 * 21] = 64;			/* disk index out of range */
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), -EINVAL);
	p[128 + 4 * 21] = 9;
	p[700] = 1;				/* reserved tail */
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), -EINVAL);
	p[700] = 0;
	RC_EXPECT_EQ(rc_neg_decode(w, sizeof(*w), o), 0);
	m->nlds = 33;
	RC_EXPECT_EQ(rc_neg_encode(w, m), -EINVAL);
}

RC_TEST(proto_small_payloads_roundtrip)
{
	struct rc_wire_negotiate_reply nw;
	struct rc_neg_reply nr = { .result = RC_NEG_OK_CHANGED,
				   .generation = 42 }, no;
	struct rc_wire_cable_reply cw;
	struct rc_cable_reply cr = { .channel = 2, .connected = 0x05 }, co;
	struct rc_wire_rebuild rw;
	struct rc_rebuild rr, ro;
	const u8 *p;

	RC_EXPECT_EQ(rc_neg_reply_encode(&nw, &nr), 0);
	RC_EXPECT_EQ(rc_neg_reply_decode(&nw, sizeof(nw), &no), 0);
	RC_EXPECT_EQ(no.result, RC_NEG_OK_CHANGED);
	RC_EXPECT_EQ(no.generation, 42);
	((u8 *)&nw)[0] = RC_NEG_MAX;
	RC_EXPECT_EQ(rc_neg_reply_decode(&nw, sizeof(nw), &no), -EINVAL);

	RC_EXPECT_EQ(rc_cable_reply_encode(&cw, &cr), 0);
	RC_EXPECT_EQ(rc_cable_reply_decode(&cw, sizeof(cw), &co), 0);
	RC_EXPECT_EQ(co.channel, 2);
	RC_EXPECT_EQ(co.connected, 0x05);
	/* Answering on a channel it is not connected to is a lie. */
	((u8 *)&cw)[1] = 0x01;
	RC_EXPECT_EQ(rc_cable_reply_decode(&cw, sizeof(cw), &co), -EINVAL);

	rc_rebuild_init(&rr);
	rr.pending = 0x80000001u;
	rr.done = 2;
	rr.ld = 31;
	rr.requester = 3;
	rr.executor = 7;
	rr.progress = 999;
	rr.run = 0x0700000000000005ull;
	RC_EXPECT_EQ(rc_rebuild_encode(&rw, &rr), 0);
	p = (const u8 *)&rw;
	RC_EXPECT_EQ(p[3], 0x80);
	RC_EXPECT_EQ(p[8], 31);
	RC_EXPECT_EQ(p[10], 7);
	RC_EXPECT_EQ(p[23], 0x07);
	RC_EXPECT_EQ(rc_rebuild_decode(&rw, sizeof(rw), &ro), 0);
	RC_EXPECT_MEMEQ(&ro, &rr, sizeof(rr));
	rr.progress = 1001;
	RC_EXPECT_EQ(rc_rebuild_encode(&rw, &rr), -EINVAL);
	rr.progress = 0;
	rr.ld = 32;
	RC_EXPECT_EQ(rc_rebuild_encode(&rw, &rr), -EINVAL);
}

static void rc_t_fill_slot(struct rc_slot_info *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->node_id = 5;
	s->state = RC_NS_MASTER;
	s->info = RC_NI_COMPLETED_STARTUP;
	s->booting = false;
	s->connected = 0x03;
	s->comm_channel = 1;
	s->master = 5;
	s->incarnation = 0x0badcafe;
	s->heartbeat = 1234567;
	s->generation = 9;
	s->kill_mask = 1u << 2;
	s->kill_incarnation[2] = 77;
	for (i = 0; i < RC_MAX_NODES; i++)
		s->peer_state[i] = RC_NS_NEXUS_SLAVE;
	memset(s->holder, RC_HOLDER_NONE, sizeof(s->holder));
	s->holder[4] = 2;
	rc_rebuild_init(&s->rebuild);
}

RC_TEST(proto_slot_roundtrip_and_layout)
{
	u8 *buf = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	struct rc_slot_info *s = rc_test_alloc(rc_t, sizeof(*s));
	struct rc_slot_info *o = rc_test_alloc(rc_t, sizeof(*o));

	RC_ASSERT_TRUE(buf && s && o);
	rc_t_fill_slot(s);
	RC_EXPECT_EQ(rc_slot_encode(buf, s), 0);
	RC_EXPECT_MEMEQ(buf, "RCLSLOT1", 8);
	RC_EXPECT_EQ(buf[8], 1);			/* version */
	RC_EXPECT_EQ(buf[16], 5);			/* node_id */
	RC_EXPECT_EQ(buf[17], RC_NS_MASTER);
	RC_EXPECT_EQ(buf[24], 0xfe);			/* incarnation LSB */
	RC_EXPECT_EQ(buf[32], 1234567 & 0xff);		/* heartbeat */
	RC_EXPECT_EQ(buf[48], 4);			/* kill_mask bit 2 */
	RC_EXPECT_EQ(buf[56 + 8], 77);			/* kill_incarnation[2] */
	RC_EXPECT_EQ(buf[248 + 4], 2);			/* holder[4] */
	RC_EXPECT_EQ(buf[304 + 36], 0);			/* inquiry booting */
	RC_EXPECT_EQ(buf[304 + 37], 5);
	/* CRC32C over the block with the crc field as zero. */
	{
		u32 crc = buf[12] | buf[13] << 8 | buf[14] << 16 |
			  (u32)buf[15] << 24;

		memset(buf + 12, 0, 4);
		RC_EXPECT_EQ(rc_crc32c_buf(buf, RC_BLOCK_BYTES), crc);
		buf[12] = (u8)crc;
		buf[13] = (u8)(crc >> 8);
		buf[14] = (u8)(crc >> 16);
		buf[15] = (u8)(crc >> 24);
	}
	RC_EXPECT_EQ(rc_slot_decode(buf, RC_BLOCK_BYTES, 5, o), 0);
	RC_EXPECT_MEMEQ(o, s, sizeof(*s));
	s->booting = true;
	RC_EXPECT_EQ(rc_slot_encode(buf, s), 0);
	RC_EXPECT_EQ(buf[19], 1);
	RC_EXPECT_EQ(buf[304 + 36], 1);		/* table 20 byte 36 */
}

RC_TEST(proto_slot_torn_and_foreign)
{
	u8 *buf = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	u8 *old = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	struct rc_slot_info *s = rc_test_alloc(rc_t, sizeof(*s));
	struct rc_slot_info *o = rc_test_alloc(rc_t, sizeof(*o));

	RC_ASSERT_TRUE(buf && old && s && o);
	RC_EXPECT_EQ(rc_slot_decode(buf, RC_BLOCK_BYTES, 5, o), -ENOENT);
	rc_t_fill_slot(s);
	RC_ASSERT_EQ(rc_slot_encode(old, s), 0);
	s->heartbeat++;
	s->state = RC_NS_KILLED_SLAVE;
	RC_ASSERT_EQ(rc_slot_encode(buf, s), 0);
	/* Torn inside the record: header and CRC new, fields old.  (Every
	 * field of a slot lies in its first sector, so a tear at a sector
	 * boundary leaves a whole old or a whole new slot.)
	 */
	memcpy(buf + 32, old + 32, RC_BLOCK_BYTES - 32);
	RC_EXPECT_EQ(rc_slot_decode(buf, RC_BLOCK_BYTES, 5, o), -EBADMSG);
	/* Read from the slot of another node. */
	RC_ASSERT_EQ(rc_slot_decode(old, RC_BLOCK_BYTES, 5, o), 0);
	RC_EXPECT_EQ(rc_slot_decode(old, RC_BLOCK_BYTES, 4, o), -EINVAL);
	RC_EXPECT_EQ(rc_slot_decode(old, 512, 5, o), -EINVAL);
	/* Incarnation 0 is never a node's. */
	s->incarnation = 0;
	RC_EXPECT_EQ(rc_slot_encode(buf, s), -EINVAL);
}

static void rc_t_msg(struct rc_msg *m, u32 seq, u8 dcmd, u8 ld, u16 len)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->seq = seq;
	m->ld = ld;
	m->cmd.dcmd = dcmd;
	m->cmd.lun = ld & 7;
	m->op = seq * 3;
	m->len = len;
	for (i = 0; i < len; i++)
		m->payload[i] = (u8)(i + seq);
}

RC_TEST(proto_mbox_roundtrip_and_layout)
{
	u8 *buf = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	struct rc_msg *m = rc_test_alloc(rc_t, 4 * sizeof(*m));
	struct rc_msg *o = rc_test_alloc(rc_t, sizeof(*o));
	const struct rc_msg *mp[4];
	struct rc_mbox_info h = { .sender = 3, .receiver = 6,
				  .sender_incarnation = 11,
				  .receiver_incarnation = 22, .ack = 5,
				  .ack_incarnation = 22, .write_count = 99 };
	struct rc_mbox_info g;
	unsigned int i;

	RC_ASSERT_TRUE(buf && m && o);
	rc_t_msg(&m[0], 7, RC_DCMD_RESERVE, 9, 0);
	rc_t_msg(&m[1], 8, RC_DCMD_NEGOTIATE, 0,
		 sizeof(struct rc_wire_negotiate));
	rc_t_msg(&m[2], 9, RC_DCMD_RELEASE, 31, 1);
	m[2].flags = RC_MSGF_RESPONSE;
	m[2].status = RC_SCSI_RESERVATION_CONFLICT;
	m[2].reply_to = 4;
	rc_t_msg(&m[3], 12, RC_DCMD_WRITE, 0, RC_WIRE_MAX_PAYLOAD);
	m[3].cmd.count = RC_WIRE_MAX_PAYLOAD;
	for (i = 0; i < 4; i++)
		mp[i] = &m[i];
	RC_ASSERT_EQ(rc_mbox_encode(buf, &h, mp, 4), 0);
	RC_EXPECT_MEMEQ(buf, "RCLMBOX1", 8);
	RC_EXPECT_EQ(buf[24], 3);			/* sender */
	RC_EXPECT_EQ(buf[25], 6);			/* receiver */
	RC_EXPECT_EQ(buf[26], 4);			/* nmsgs */
	RC_EXPECT_EQ(buf[36], 5);			/* ack */
	/* msg[0] at 64: seq, len, ld, flags, the table-8 CDB at +8. */
	RC_EXPECT_EQ(buf[64], 7);
	RC_EXPECT_EQ(buf[64 + 6], 9);
	RC_EXPECT_EQ(buf[64 + 8], 0x20);
	RC_EXPECT_EQ(buf[64 + 9], (9 & 7) << 5);
	RC_EXPECT_EQ(buf[64 + 10], RC_DCMD_RESERVE);
	RC_EXPECT_EQ(buf[1072], 8);			/* msg[1] */
	RC_EXPECT_EQ(rc_mbox_decode(buf, RC_BLOCK_BYTES, 3, 6, &g), 0);
	RC_EXPECT_EQ(g.nmsgs, 4);
	RC_EXPECT_EQ(g.ack, 5);
	RC_EXPECT_EQ(g.write_count, 99);
	RC_EXPECT_EQ(g.sender_incarnation, 11u);
	RC_EXPECT_EQ(g.receiver_incarnation, 22u);
	for (i = 0; i < 4; i++) {
		RC_EXPECT_EQ(rc_mbox_msg_decode(buf, i, o), 0);
		RC_EXPECT_EQ(o->seq, m[i].seq);
		RC_EXPECT_EQ(o->len, m[i].len);
		RC_EXPECT_EQ(o->ld, m[i].ld);
		RC_EXPECT_EQ(o->flags, m[i].flags);
		RC_EXPECT_EQ(o->status, m[i].status);
		RC_EXPECT_EQ(o->reply_to, m[i].reply_to);
		RC_EXPECT_EQ(o->op, m[i].op);
		RC_EXPECT_EQ(o->cmd.dcmd, m[i].cmd.dcmd);
		RC_EXPECT_MEMEQ(o->payload, m[i].payload, m[i].len);
	}
	/* An empty box (acks only). */
	RC_ASSERT_EQ(rc_mbox_encode(buf, &h, mp, 0), 0);
	RC_EXPECT_EQ(rc_mbox_decode(buf, RC_BLOCK_BYTES, 3, 6, &g), 0);
	RC_EXPECT_EQ(g.nmsgs, 0);
}

RC_TEST(proto_mbox_torn_stale_and_bad)
{
	u8 *buf = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	u8 *old = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	struct rc_msg *m = rc_test_alloc(rc_t, 3 * sizeof(*m));
	const struct rc_msg *mp[3];
	struct rc_mbox_info h = { .sender = 1, .receiver = 0,
				  .sender_incarnation = 1, .write_count = 1 };
	struct rc_mbox_info g;

	RC_ASSERT_TRUE(buf && old && m);
	RC_EXPECT_EQ(rc_mbox_decode(buf, RC_BLOCK_BYTES, 1, 0, &g), -ENOENT);
	rc_t_msg(&m[0], 1, RC_DCMD_RESERVE, 0, 0);
	rc_t_msg(&m[1], 2, RC_DCMD_WRITE, 0, RC_WIRE_MAX_PAYLOAD);
	m[1].cmd.count = RC_WIRE_MAX_PAYLOAD;
	rc_t_msg(&m[2], 2, RC_DCMD_RELEASE, 0, 0);
	mp[0] = &m[0];
	mp[1] = &m[1];
	mp[2] = &m[2];
	/* Sequence numbers must ascend. */
	RC_EXPECT_EQ(rc_mbox_encode(buf, &h, mp, 3), -EINVAL);
	RC_ASSERT_EQ(rc_mbox_encode(old, &h, mp, 1), 0);
	h.write_count = 2;
	RC_ASSERT_EQ(rc_mbox_encode(buf, &h, mp, 2), 0);
	/* Torn: the header sector new, the second message's sectors old. */
	memcpy(buf + 1536, old + 1536, RC_BLOCK_BYTES - 1536);
	RC_EXPECT_EQ(rc_mbox_decode(buf, RC_BLOCK_BYTES, 1, 0, &g), -EBADMSG);
	/* The box of another pair, at the wrong place. */
	RC_EXPECT_EQ(rc_mbox_decode(old, RC_BLOCK_BYTES, 0, 1, &g), -EINVAL);
	RC_EXPECT_EQ(rc_mbox_decode(old, RC_BLOCK_BYTES, 1, 0, &g), 0);
	/* Receiver == sender, too many messages, LUN/ld disagreement. */
	h.receiver = 1;
	RC_EXPECT_EQ(rc_mbox_encode(buf, &h, mp, 1), -EINVAL);
	h.receiver = 0;
	m[0].cmd.lun = 3;
	RC_EXPECT_EQ(rc_mbox_encode(buf, &h, mp, 1), -EINVAL);
	m[0].cmd.lun = 0;
	m[0].flags = RC_MSGF_RESPONSE;		/* response without reply_to */
	RC_EXPECT_EQ(rc_mbox_encode(buf, &h, mp, 1), -EINVAL);
}

/* Every decoder over one buffer: none may crash; return whether any
 * accepted it.
 */
static int rc_t_decode_all(const u8 *buf, size_t len, void *scratch)
{
	struct rc_cmd c;
	struct rc_inq_cmd ic;
	struct rc_inq_info ii;
	struct rc_neg_reply nr;
	struct rc_cable_reply cr;
	struct rc_rebuild rb;
	struct rc_mbox_info h;
	u8 lun;
	int ok = 0;
	unsigned int i;

	ok += !rc_cdb10_decode(buf, RC_CDB10_LEN, &c);
	ok += !rc_cdb_tur_decode(buf, RC_CDB6_LEN, &lun);
	ok += !rc_cdb_inquiry_decode(buf, RC_CDB6_LEN, &ic);
	ok += !rc_inquiry_data_decode(buf, RC_INQ_DATA_LEN, &ii);
	ok += !rc_neg_decode(buf, sizeof(struct rc_wire_negotiate), scratch);
	ok += !rc_neg_reply_decode(buf, sizeof(struct rc_wire_negotiate_reply),
				   &nr);
	ok += !rc_cable_reply_decode(buf, sizeof(struct rc_wire_cable_reply),
				     &cr);
	ok += !rc_rebuild_decode(buf, sizeof(struct rc_wire_rebuild), &rb);
	if (len >= RC_BLOCK_BYTES) {
		ok += !rc_slot_decode(buf, RC_BLOCK_BYTES, buf[16] & 31,
				      scratch);
		if (!rc_mbox_decode(buf, RC_BLOCK_BYTES, buf[24] & 31,
				    buf[25] & 31, &h)) {
			ok++;
			for (i = 0; i < h.nmsgs; i++)
				rc_mbox_msg_decode(buf, i, scratch);
		}
	}
	return ok;
}

RC_TEST(proto_fuzz_random_blocks)
{
	u8 *buf = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	void *scratch = rc_test_alloc(rc_t, sizeof(struct rc_msg) +
				      sizeof(struct rc_neg) +
				      sizeof(struct rc_slot_info));
	u32 seed = 0x9e3779b9u;
	unsigned int round, i, slot_or_box = 0;

	RC_ASSERT_TRUE(buf && scratch);
	for (round = 0; round < 300; round++) {
		for (i = 0; i < RC_BLOCK_BYTES; i++)
			buf[i] = (u8)rc_t_rng(&seed);
		/* Sometimes a right magic, so the CRC check is reached. */
		if (round & 1)
			memcpy(buf, round & 2 ? "RCLSLOT1" : "RCLMBOX1", 8);
		rc_t_decode_all(buf, RC_BLOCK_BYTES, scratch);
		slot_or_box += !rc_slot_decode(buf, RC_BLOCK_BYTES,
					       buf[16] & 31, scratch);
	}
	/* Random bytes never pass a CRC32C-sealed decoder. */
	RC_EXPECT_EQ(slot_or_box, 0);
}

RC_TEST(proto_fuzz_bit_flips)
{
	u8 *slot = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	u8 *box = rc_test_alloc(rc_t, RC_BLOCK_BYTES);
	struct rc_slot_info *s = rc_test_alloc(rc_t, sizeof(*s));
	struct rc_msg *m = rc_test_alloc(rc_t, sizeof(*m));
	void *scratch = rc_test_alloc(rc_t, sizeof(struct rc_msg) +
				      sizeof(struct rc_neg) +
				      sizeof(struct rc_slot_info));
	struct rc_mbox_info h = { .sender = 2, .receiver = 1,
				  .sender_incarnation = 5, .write_count = 3 };
	const struct rc_msg *mp[1];
	struct rc_mbox_info g;
	u32 seed = 12345;
	unsigned int bit, accepted = 0;

	RC_ASSERT_TRUE(slot && box && s && m && scratch);
	rc_t_fill_slot(s);
	RC_ASSERT_EQ(rc_slot_encode(slot, s), 0);
	rc_t_msg(m, 1, RC_DCMD_NEGOTIATE, 0, 100);
	mp[0] = m;
	RC_ASSERT_EQ(rc_mbox_encode(box, &h, mp, 1), 0);
	/* Every single-bit flip of a sealed block is refused (CRC32C
	 * detects all of them); sample 4096 bit positions of each.
	 */
	for (bit = 0; bit < 4096; bit++) {
		unsigned int pos = rc_t_rng(&seed) % (RC_BLOCK_BYTES * 8);

		slot[pos / 8] ^= (u8)(1u << (pos % 8));
		accepted += !rc_slot_decode(slot, RC_BLOCK_BYTES, 5, scratch);
		slot[pos / 8] ^= (u8)(1u << (pos % 8));
		box[pos / 8] ^= (u8)(1u << (pos % 8));
		accepted += !rc_mbox_decode(box, RC_BLOCK_BYTES, 2, 1, &g);
		box[pos / 8] ^= (u8)(1u << (pos % 8));
	}
	RC_EXPECT_EQ(accepted, 0);
	RC_EXPECT_EQ(rc_slot_decode(slot, RC_BLOCK_BYTES, 5, scratch), 0);
	RC_EXPECT_EQ(rc_mbox_decode(box, RC_BLOCK_BYTES, 2, 1, &g), 0);
	/* Flips inside small payloads: decoders refuse or accept, never
	 * crash; a negotiate mailbox with a flipped reserved bit fails.
	 */
	for (bit = 0; bit < 2000; bit++) {
		u8 small[sizeof(struct rc_wire_negotiate)];
		unsigned int i;

		for (i = 0; i < sizeof(small); i++)
			small[i] = (u8)rc_t_rng(&seed);
		rc_t_decode_all(small, sizeof(small), scratch);
	}
}
