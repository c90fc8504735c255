// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The COD codec: round trips, the byte layout of Documentation/
 * on-disk-format.md pinned at its offsets, every refusal path of decode
 * (each with the CRC made right again, so the field check itself is what
 * refuses), copy selection, the checks of a new drive, and a fuzz loop.
 */
#include "rc_base.h"
#include "crc32c.h"
#include "cod.h"
#include "cod_cases.h"
#include "../../include/raidcluster/ioctl.h"

/* ---- fixture ------------------------------------------------------------ */

#define DISK_SECTORS (1ull << 21)	/* 1 GiB members */

/* Byte offsets of on-disk records, as the format document states them. */
#define H_OFF 0u
#define D_OFF(i) (256u + 128u * (i))
#define L_OFF(i) (8448u + 640u * (i))
#define X_OFF(i, j) (L_OFF(i) + 128u + 32u * (j))

static const u8 our_uuid[16] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x01,
};

static void set_ext(struct rc_ld *ld, unsigned int j, u16 disk, u64 start,
		    u64 length)
{
	ld->ext[j].disk = disk;
	ld->ext[j].start = start;
	ld->ext[j].length = length;
}

static void set_ld(struct rc_ld *ld, unsigned int number, const char *name,
		   u8 level, u16 n, u32 stripe, u64 capacity)
{
	ld->number = number;
	ld->state = RC_LD_OPTIMAL;
	ld->level = level;
	ld->nextents = n;
	ld->stripe_sectors = stripe;
	ld->capacity = capacity;
	memcpy(ld->name, name, strlen(name) + 1);
	memset(ld->uuid, 0xa0 + number, 16);
}

/*
 * Four 1 GiB disks (disk 3 without a WWN) and four drives of every level,
 * with record 2 free in between; capacities worked out by hand.
 */
static void fixture(struct rc_config *cfg)
{
	unsigned int i;

	rc_config_init(cfg, our_uuid);
	cfg->generation = 42;
	cfg->writer_node = 3;
	cfg->flags = RC_COD_F_INSERT_SPARE;
	cfg->stamp = 0x1122334455667788ull;
	cfg->ndisks = 4;
	for (i = 0; i < 4; i++) {
		struct rc_disk *d = &cfg->disks[i];
		static const u8 wwn[8] = { 0x50, 0x01, 0x40, 0x50, 0, 0, 0, 0 };

		memcpy(d->wwn, wwn, 8);
		d->wwn[7] = (u8)i;
		d->wwn_len = i == 3 ? 0 : 8;
		if (i == 3)
			memset(d->wwn, 0, sizeof(d->wwn));
		memcpy(d->serial, "RCDISK0000", 11);
		d->serial[9] = (char)('0' + i);
		d->state = RC_DISK_ONLINE;
		d->target = (u8)i;
		d->capacity = DISK_SECTORS;
		memset(d->uuid, 0xd0 + i, 16);
	}
	cfg->nlds = 5;
	/* RAID 1: 65536 sectors per member, capacity 65536. */
	set_ld(&cfg->lds[0], 0, "mirror", RC_RAID1, 2, 128, 65536);
	set_ext(&cfg->lds[0], 0, 0, 32768, 65536);
	set_ext(&cfg->lds[0], 1, 1, 32768, 65536);
	cfg->lds[0].resync_pos = 1000;
	/* RAID 0: shortest member 65536 (a multiple of 64): 2 x 65536. */
	set_ld(&cfg->lds[1], 1, "stripe0", RC_RAID0, 2, 64, 131072);
	set_ext(&cfg->lds[1], 0, 2, 32768, 65536);
	set_ext(&cfg->lds[1], 1, 3, 32768, 65536 + 50);
	/* RAID 5: 100000 rounded down to 128: 99968 x 3 = 299904. */
	set_ld(&cfg->lds[3], 3, "parity", RC_RAID5, 4, 128, 299904);
	for (i = 0; i < 4; i++)
		set_ext(&cfg->lds[3], i, (u16)i, 131072, 100000);
	cfg->lds[3].state = RC_LD_REBUILDING;
	cfg->lds[3].ext[1].state = RC_EXT_REBUILDING;
	cfg->lds[3].ext[1].rebuild_pos = 5000;
	/* RAID 10: 40000 (a multiple of 16) x 4 / 2 = 80000. */
	set_ld(&cfg->lds[4], 4, "r10.a_b-1", RC_RAID10, 4, 16, 80000);
	for (i = 0; i < 4; i++)
		set_ext(&cfg->lds[4], i, (u16)i, 300000, 40000);
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static u32 get32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

/* Make the CRC right again after a deliberate change. */
static void fix_crc(u8 *buf)
{
	put32(buf + 12, 0);
	put32(buf + 12, rc_crc32c_buf(buf, RC_COD_BYTES));
}

/*
 * A reason is one non-empty line that fits the ioctl message field
 * (RC_COD_WHY_LEN with its NUL; the test buffers are larger, so a longer
 * reason shows here instead of being cut).
 */
static bool why_ok(const char *why)
{
	return why[0] && !strchr(why, '\n') && strlen(why) < RC_COD_WHY_LEN;
}

struct cod_bufs {
	struct rc_config cfg, out;
	u8 buf[RC_COD_BYTES];
	u8 buf2[RC_COD_BYTES];
	struct rc_ld ld;
	char why[160];
};

/* ---- round trip and layout ---------------------------------------------- */

RC_TEST(cod_roundtrip)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	struct rc_geom g;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_config_validate(&b->cfg, b->why, sizeof(b->why)), 0);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	RC_ASSERT_EQ(rc_cod_decode_why(b->buf, RC_COD_BYTES, &b->out, b->why,
				       sizeof(b->why)), 0);
	RC_EXPECT_EQ(b->why[0], 0);
	RC_EXPECT_MEMEQ(&b->cfg, &b->out, sizeof(b->cfg));
	RC_EXPECT_EQ(b->out.generation, 42);
	RC_EXPECT_EQ(b->out.writer_node, 3);
	RC_EXPECT_EQ(b->out.flags, RC_COD_F_INSERT_SPARE);
	RC_EXPECT_EQ(b->out.lds[4].capacity, 80000);
	RC_EXPECT_STREQ(b->out.lds[4].name, "r10.a_b-1");
	RC_EXPECT_STREQ(b->out.disks[3].serial, "RCDISK0003");
	RC_EXPECT_EQ(b->out.lds[3].ext[1].rebuild_pos, 5000);
	/* The hand-computed capacities are what the geometry says. */
	RC_ASSERT_EQ(rc_ld_geom(&b->out.lds[3], &g), 0);
	RC_EXPECT_EQ(g.capacity, 299904);
	RC_ASSERT_EQ(rc_ld_geom(&b->out.lds[1], &g), 0);
	RC_EXPECT_EQ(g.capacity, 131072);
	/* Encoding the decoded config gives the same bytes. */
	RC_ASSERT_EQ(rc_cod_encode(&b->out, b->buf2), 0);
	RC_EXPECT_MEMEQ(b->buf, b->buf2, RC_COD_BYTES);
	/* An empty config round-trips too. */
	rc_config_init(&b->cfg, our_uuid);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	RC_ASSERT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out), 0);
	RC_EXPECT_MEMEQ(&b->cfg, &b->out, sizeof(b->cfg));
}

/* Every offset stated in Documentation/on-disk-format.md. */
RC_TEST(cod_byte_layout)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	const u8 *p;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	p = b->buf;
	RC_EXPECT_MEMEQ(p, "RCLCOD01", 8);
	RC_EXPECT_EQ(get32(p + 8), 1);
	RC_EXPECT_EQ(get64(p + 16), 42);
	RC_EXPECT_MEMEQ(p + 24, our_uuid, 16);
	RC_EXPECT_EQ(get32(p + 40), 4);		/* ndisks */
	RC_EXPECT_EQ(get32(p + 44), 5);		/* nlds */
	RC_EXPECT_EQ(get32(p + 48), 3);		/* writer_node */
	RC_EXPECT_EQ(get32(p + 52), RC_COD_F_INSERT_SPARE);	/* flags */
	RC_EXPECT_EQ(get64(p + 56), 0x1122334455667788ull);
	RC_EXPECT_EQ(get32(p + 64), 128);
	RC_EXPECT_EQ(get32(p + 68), 640);
	RC_EXPECT_EQ(get32(p + 72), 32);
	RC_EXPECT_EQ(get32(p + 76), 16);
	/* CRC32C over the copy with the crc field as zero. */
	memcpy(b->buf2, b->buf, RC_COD_BYTES);
	put32(b->buf2 + 12, 0);
	RC_EXPECT_EQ(get32(p + 12), rc_crc32c_buf(b->buf2, RC_COD_BYTES));

	/* Disk 1 at 256 + 128. */
	p = b->buf + D_OFF(1);
	RC_EXPECT_MEMEQ(p, "\x50\x01\x40\x50\x00\x00\x00\x01", 8);
	RC_EXPECT_MEMEQ(p + 16, "RCDISK0001", 11);
	RC_EXPECT_EQ(get64(p + 56), DISK_SECTORS);
	RC_EXPECT_EQ(p[64], 8);			/* wwn_len */
	RC_EXPECT_EQ(p[65], RC_DISK_ONLINE);
	RC_EXPECT_EQ(p[67], 1);			/* target */
	RC_EXPECT_EQ(p[72], 0xd1);		/* disk_uuid */
	/* Drive 3 at 8448 + 3 x 640. */
	p = b->buf + L_OFF(3);
	RC_EXPECT_EQ(get32(p), 3);
	RC_EXPECT_EQ(p[4], RC_LD_REBUILDING);
	RC_EXPECT_EQ(p[5], RC_RAID5);
	RC_EXPECT_EQ(p[6] | p[7] << 8, 4);	/* nextents */
	RC_EXPECT_EQ(get32(p + 8), 128);	/* stripe_sectors */
	RC_EXPECT_EQ(get64(p + 16), 299904);	/* capacity */
	RC_EXPECT_MEMEQ(p + 24, "parity", 7);
	RC_EXPECT_EQ(p[56], 0xa3);		/* ld_uuid */
	/* Its extent 1 at 128 + 32. */
	p = b->buf + X_OFF(3, 1);
	RC_EXPECT_EQ(p[0] | p[1] << 8, 1);	/* disk */
	RC_EXPECT_EQ(p[2], RC_EXT_REBUILDING);
	RC_EXPECT_EQ(get64(p + 8), 131072);	/* start */
	RC_EXPECT_EQ(get64(p + 16), 100000);	/* length */
	RC_EXPECT_EQ(get64(p + 24), 5000);	/* rebuild_pos */
	/* Free drive record 2 and everything past the records are zero. */
	RC_EXPECT_EQ(b->buf[L_OFF(2) + 24], 0);
	RC_EXPECT_EQ(get64(b->buf + RC_COD_USED_BYTES), 0);
	RC_EXPECT_EQ(get64(b->buf + RC_COD_BYTES - 8), 0);
}

RC_TEST(cod_encode_normalizes)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	/* Junk in free records and counts past the last record in use. */
	b->cfg.ndisks = 9;
	memcpy(b->cfg.disks[6].serial, "junk", 5);
	b->cfg.disks[6].capacity = 77;
	b->cfg.nlds = 12;
	memcpy(b->cfg.lds[2].name, "stale", 6);
	b->cfg.lds[2].capacity = 99;
	b->cfg.lds[9].nextents = 3;
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	RC_EXPECT_EQ(get32(b->buf + 40), 4);
	RC_EXPECT_EQ(get32(b->buf + 44), 5);
	RC_EXPECT_EQ(b->buf[D_OFF(6) + 16], 0);
	RC_EXPECT_EQ(b->buf[L_OFF(2) + 24], 0);
	RC_EXPECT_EQ(get64(b->buf + L_OFF(2) + 16), 0);
	RC_ASSERT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out), 0);
	RC_EXPECT_EQ(b->out.ndisks, 4);
	RC_EXPECT_EQ(b->out.nlds, 5);
	RC_EXPECT_EQ(b->out.lds[2].state, RC_LD_UNUSED);
	RC_EXPECT_EQ(b->out.lds[2].name[0], 0);
}

RC_TEST(cod_encode_refuses_invalid)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	b->cfg.lds[1].ext[0].disk = 0;	/* onto drive 0's extent */
	RC_EXPECT_EQ(rc_config_validate(&b->cfg, b->why, sizeof(b->why)),
		     -EINVAL);
	RC_EXPECT_TRUE(strstr(b->why, "overlaps") != NULL);
	RC_EXPECT_EQ(rc_cod_encode(&b->cfg, b->buf), RC_COD_EINVAL);

	fixture(&b->cfg);
	b->cfg.ndisks = RC_MAX_DISKS + 1;
	RC_EXPECT_EQ(rc_cod_encode(&b->cfg, b->buf), RC_COD_EINVAL);
	fixture(&b->cfg);
	b->cfg.flags |= 0x80;		/* a policy this version does not know */
	RC_EXPECT_EQ(rc_config_validate(&b->cfg, b->why, sizeof(b->why)),
		     -EINVAL);
	RC_EXPECT_TRUE(strstr(b->why, "unknown flags 0x80") != NULL);
	RC_EXPECT_EQ(rc_cod_encode(&b->cfg, b->buf), RC_COD_EINVAL);
	fixture(&b->cfg);
	b->cfg.lds[0].capacity++;
	RC_EXPECT_EQ(rc_cod_encode(&b->cfg, b->buf), RC_COD_EINVAL);
	fixture(&b->cfg);
	memset(b->cfg.disks[0].serial, 'x', sizeof(b->cfg.disks[0].serial));
	RC_EXPECT_EQ(rc_cod_encode(&b->cfg, b->buf), RC_COD_EINVAL);
}

/* ---- refusals ----------------------------------------------------------- */

RC_TEST(cod_bad_length)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES - 512, &b->out),
		     RC_COD_EINVAL);
	RC_EXPECT_EQ(rc_cod_decode(b->buf, 0, &b->out), RC_COD_EINVAL);
	RC_EXPECT_EQ(rc_cod_decode_why(b->buf, RC_COD_BYTES + 1, &b->out,
				       b->why, sizeof(b->why)), RC_COD_EINVAL);
	RC_EXPECT_TRUE(why_ok(b->why));
}

RC_TEST(cod_no_magic)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));

	RC_ASSERT_TRUE(b);
	/* A blank disk. */
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out),
		     RC_COD_ENOCOD);
	/* A COD with a wrong magic but an otherwise right CRC. */
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	b->buf[7] = '2';
	fix_crc(b->buf);
	RC_EXPECT_EQ(rc_cod_decode_why(b->buf, RC_COD_BYTES, &b->out, b->why,
				       sizeof(b->why)), RC_COD_ENOCOD);
	RC_EXPECT_TRUE(why_ok(b->why));
}

/*
 * One flipped bit anywhere -- header, each disk and drive record, free
 * records, the zero tail, the CRC field itself -- is a bad CRC (in the
 * magic it is no COD at all).
 */
RC_TEST(cod_bit_flip_every_region)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	unsigned int off, bit, n = 0;
	int want, got;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	for (off = 0; off < RC_COD_BYTES; off += off < 320 ? 1 : 97) {
		bit = (off * 5) & 7;
		b->buf[off] ^= (u8)(1u << bit);
		want = off < 8 ? RC_COD_ENOCOD : RC_COD_ECRC;
		got = rc_cod_decode(b->buf, RC_COD_BYTES, &b->out);
		/* The offset rides along so a failure names it. */
		RC_EXPECT_EQ(off * 1000 + (unsigned int)-got,
			     off * 1000 + (unsigned int)-want);
		b->buf[off] ^= (u8)(1u << bit);
		n++;
	}
	RC_EXPECT_LT(900, n);
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out), 0);
}

RC_TEST(cod_version)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	/* A newer format, correctly checksummed: leave it alone. */
	put32(b->buf + 8, RC_COD_VERSION + 1);
	fix_crc(b->buf);
	RC_EXPECT_EQ(rc_cod_decode_why(b->buf, RC_COD_BYTES, &b->out, b->why,
				       sizeof(b->why)), RC_COD_EVERSION);
	RC_EXPECT_TRUE(why_ok(b->why));
	put32(b->buf + 8, 0xffffffffu);
	fix_crc(b->buf);
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out),
		     RC_COD_EVERSION);
	/* A version field hit by corruption is corruption, not "newer". */
	b->buf[9] ^= 1;
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out), RC_COD_ECRC);
	/* Version 0 never existed. */
	put32(b->buf + 8, 0);
	fix_crc(b->buf);
	RC_EXPECT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out),
		     RC_COD_EINVAL);
}

/*
 * Each mutation breaks one rule of a valid copy with up to two writes; the
 * test then fixes the CRC, and decode must refuse the copy with
 * RC_COD_EINVAL and a reason.  A write of len 1, 2, 4 or 8 stores @val
 * little-endian; a longer one zero-fills len bytes.
 */
struct mutation {
	u32 off, len;
	u64 val;
	u32 off2, len2;
	u64 val2;
};

#define M1(off, len, val) { off, len, val, 0, 0, 0 }
#define M2(off, len, val, off2, len2, val2) { off, len, val, off2, len2, val2 }

static const struct mutation mutations[] = {
	M1(52, 4, 2),				/* header flags: unknown bit */
	M1(64, 4, 127),				/* disk_rec_size */
	M1(68, 4, 641),				/* ld_rec_size */
	M1(72, 4, 16),				/* extent_size */
	M1(76, 4, 8),				/* max_extents */
	M1(180, 1, 1),				/* header reserved */
	M1(40, 4, RC_MAX_DISKS + 1),		/* ndisks */
	M1(44, 4, RC_MAX_LDS + 1),		/* nlds */
	M1(48, 4, RC_MAX_NODES),		/* writer_node */
	M1(RC_COD_BYTES - 1, 1, 1),		/* tail */
	M1(RC_COD_USED_BYTES, 1, 1),		/* tail, first byte */
	M1(D_OFF(0) + 65, 1, RC_DISK_STATE_MAX),	/* disk state */
	M1(D_OFF(0) + 64, 1, 5),		/* wwn_len */
	M1(D_OFF(0) + 8, 1, 1),			/* WWN padding */
	M1(D_OFF(0) + 16 + 39, 1, 'x'),		/* serial past its NUL */
	M1(D_OFF(0) + 16, 1, 1),		/* serial unprintable */
	M1(D_OFF(0) + 68, 1, 1),		/* disk flags */
	M1(D_OFF(0) + 100, 1, 1),		/* disk reserved */
	M1(D_OFF(5), 1, 1),			/* record past ndisks */
	M1(D_OFF(3) + 16, 40, 0),		/* neither WWN nor serial */
	M1(D_OFF(1) + 7, 1, 0),			/* disk 0's WWN twice */
	M1(D_OFF(3) + 25, 1, '0'),		/* disk 0's serial twice */
	M1(D_OFF(3), 128, 0),			/* a drive's disk freed */
	M1(L_OFF(0) + 4, 1, RC_LD_STATE_MAX),	/* drive state */
	M1(L_OFF(0) + 5, 1, 3),			/* level */
	M1(L_OFF(0) + 6, 2, RC_MAX_EXTENTS + 1),	/* nextents */
	M2(L_OFF(0) + 6, 2, 1, X_OFF(0, 1), 32, 0),	/* RAID 1 of 1 */
	M2(L_OFF(4) + 6, 2, 3, X_OFF(4, 3), 32, 0),	/* RAID 10 of 3 */
	M1(L_OFF(0) + 8, 4, 100),		/* stripe not a power of 2 */
	M1(L_OFF(0) + 8, 4, 4096),		/* stripe too big */
	M1(L_OFF(0) + 12, 4, 1),		/* drive flags */
	M1(L_OFF(0) + 24, 32, 0),		/* no name */
	M1(L_OFF(0) + 24, 1, ' '),		/* name " irror" */
	M1(L_OFF(0) + 24 + 31, 1, 'x'),		/* name past its NUL */
	M1(L_OFF(0) + 25, 1, 0xe9),		/* name not ASCII */
	M1(L_OFF(0), 4, 7),			/* number != index */
	M1(X_OFF(0, 0), 2, 9),			/* disk >= ndisks */
	M1(X_OFF(0, 0) + 2, 1, RC_EXT_STATE_MAX),	/* extent state */
	M1(X_OFF(0, 0) + 3, 1, 1),		/* extent reserved0 */
	M1(X_OFF(0, 0) + 4, 1, 1),		/* extent reserved1 */
	M1(X_OFF(0, 0) + 8, 8, 100),		/* start in the metadata */
	M1(X_OFF(0, 0) + 8, 8, DISK_SECTORS - 1000),	/* past the disk */
	M1(X_OFF(0, 0) + 16, 8, 0),		/* empty extent */
	M1(X_OFF(1, 0), 2, 0),			/* overlaps drive 0 */
	M1(X_OFF(3, 1), 2, 0),			/* disk 0 twice in a drive */
	M1(L_OFF(0) + 16, 8, 65536 + 8),	/* capacity != geometry */
	M1(L_OFF(0) + 72, 8, 65537),		/* resync_pos past the end */
	M1(X_OFF(3, 1) + 24, 8, 100001),	/* rebuild_pos past the end */
	M1(L_OFF(2) + 24, 1, 'a'),		/* free drive record */
	M1(L_OFF(6), 1, 1),			/* record past nlds */
	M1(L_OFF(0) + 100, 1, 1),		/* drive reserved */
	M1(L_OFF(1) + 24, 8, 0x726f7272696dull), /* "mirror" twice */
	M1(X_OFF(0, 5) + 8, 1, 1),		/* extent past nextents */
	M1(X_OFF(0, 0) + 8, 8, ~0ull - 10),	/* start + length wraps */
	M2(X_OFF(1, 0) + 16, 8, 10, X_OFF(1, 1) + 16, 8, 10), /* < stripe */
	M1(X_OFF(1, 1) + 16, 8, 0x7fffffffffffull),	/* longer than disk */
};

static void poke(u8 *buf, u32 off, u32 len, u64 val)
{
	if (len == 1)
		buf[off] = (u8)val;
	else if (len == 2)
		put16(buf + off, (u16)val);
	else if (len == 4)
		put32(buf + off, (u32)val);
	else if (len == 8)
		put64(buf + off, val);
	else
		memset(buf + off, 0, len);
}

RC_TEST(cod_field_errors)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	unsigned int m;
	int err;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf2), 0);
	for (m = 0; m < ARRAY_SIZE(mutations); m++) {
		const struct mutation *mu = &mutations[m];

		memcpy(b->buf, b->buf2, RC_COD_BYTES);
		poke(b->buf, mu->off, mu->len, mu->val);
		if (mu->len2)
			poke(b->buf, mu->off2, mu->len2, mu->val2);
		fix_crc(b->buf);
		b->why[0] = 0;
		err = rc_cod_decode_why(b->buf, RC_COD_BYTES, &b->out, b->why,
					sizeof(b->why));
		/* The mutation number rides along so a failure names it. */
		RC_EXPECT_EQ(m * 1000 + (unsigned int)-err, m * 1000 + EINVAL);
		RC_EXPECT_TRUE(why_ok(b->why));
	}
	RC_EXPECT_EQ(ARRAY_SIZE(mutations), 56);
}

/* ---- copy selection ----------------------------------------------------- */

/*
 * A node crashed while writing generation 43 over copy A: its first 8
 * sectors are new, the rest old.  Copy A fails its CRC and copy B (still
 * generation 42) wins.
 */
RC_TEST(cod_torn_copy_skipped)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	struct rc_cod_copy c[2];
	int err;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf2), 0);	/* copy B */
	memcpy(b->buf, b->buf2, RC_COD_BYTES);
	b->cfg.generation = 43;
	b->cfg.lds[0].state = RC_LD_DEGRADED;
	b->cfg.lds[0].ext[1].state = RC_EXT_FAILED;
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	memcpy(b->buf + 4096, b->buf2 + 4096, RC_COD_BYTES - 4096);
	err = rc_cod_decode(b->buf, RC_COD_BYTES, &b->out);
	RC_EXPECT_EQ(err, RC_COD_ECRC);
	rc_cod_copy_set(&c[0], err, &b->out);
	err = rc_cod_decode(b->buf2, RC_COD_BYTES, &b->out);
	RC_EXPECT_EQ(err, 0);
	rc_cod_copy_set(&c[1], err, &b->out);
	RC_EXPECT_EQ(c[1].generation, 42);
	RC_EXPECT_EQ(rc_cod_pick(c, 2, our_uuid), 1);
	RC_EXPECT_EQ(rc_cod_pick(c, 2, NULL), 1);
	RC_EXPECT_EQ(rc_cod_pick(c, 1, our_uuid), -ENOENT);
}

static void copy(struct rc_cod_copy *c, int status, u64 gen, u8 uuid0)
{
	memset(c, 0, sizeof(*c));
	c->status = status;
	c->generation = gen;
	memcpy(c->cluster_uuid, our_uuid, 16);
	c->cluster_uuid[0] = uuid0;
}

RC_TEST(cod_pick_newest)
{
	struct rc_cod_copy c[6];

	/* Two disks x two copies plus a newer disk; 7 is newest. */
	copy(&c[0], 0, 5, 0x11);
	copy(&c[1], 0, 5, 0x11);
	copy(&c[2], 0, 7, 0x11);
	copy(&c[3], 0, 6, 0x11);
	copy(&c[4], RC_COD_ECRC, 9, 0x11);	/* torn: ignored */
	copy(&c[5], RC_COD_EVERSION, 8, 0x11);	/* newer format: ignored */
	RC_EXPECT_EQ(rc_cod_pick(c, 6, our_uuid), 2);
	RC_EXPECT_EQ(rc_cod_pick(c, 6, NULL), 2);
	/* Equal generations: the first wins. */
	RC_EXPECT_EQ(rc_cod_pick(c, 2, our_uuid), 0);
	/* Nothing valid. */
	RC_EXPECT_EQ(rc_cod_pick(c + 4, 2, our_uuid), -ENOENT);
	RC_EXPECT_EQ(rc_cod_pick(c, 0, NULL), -ENOENT);
	/* Generation compares as 64 bits. */
	copy(&c[3], 0, 1ull << 40, 0x11);
	RC_EXPECT_EQ(rc_cod_pick(c, 6, our_uuid), 3);
}

RC_TEST(cod_pick_foreign_cluster)
{
	struct rc_cod_copy c[4];

	copy(&c[0], 0, 5, 0x11);
	copy(&c[1], 0, 99, 0x77);		/* another cluster, newer */
	copy(&c[2], 0, 6, 0x11);
	copy(&c[3], RC_COD_ECRC, 0, 0);
	/* Ours wins even though the foreign copy is newer. */
	RC_EXPECT_EQ(rc_cod_pick(c, 4, our_uuid), 2);
	/* Without an expected cluster, two clusters are refused. */
	RC_EXPECT_EQ(rc_cod_pick(c, 4, NULL), -EXDEV);
	/* Only foreign copies: refused, and said so. */
	RC_EXPECT_EQ(rc_cod_pick(c + 1, 1, our_uuid), -EXDEV);
	/* One cluster only, any accepted. */
	RC_EXPECT_EQ(rc_cod_pick(c + 1, 1, NULL), 0);
	RC_EXPECT_EQ(rc_cod_pick(c + 2, 2, NULL), 0);
}

/* ---- new drives --------------------------------------------------------- */

/* A valid RAID 1 request past everything the fixture uses. */
static void new_ld(struct rc_ld *ld)
{
	memset(ld, 0, sizeof(*ld));
	memcpy(ld->name, "newld", 6);
	ld->level = RC_RAID1;
	ld->nextents = 2;
	ld->stripe_sectors = 128;
	set_ext(ld, 0, 0, 500000, 10000);
	set_ext(ld, 1, 1, 500000, 10000);
}

RC_TEST(cod_check_new_ld_ok)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	struct rc_geom g;
	int n;

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	new_ld(&b->ld);
	RC_ASSERT_EQ(rc_config_check_new_ld(&b->cfg, &b->ld, b->why,
					    sizeof(b->why)), 0);
	/* Adjacent to drive 0's extents is fine (no overlap). */
	set_ext(&b->ld, 0, 0, 98304, 8);
	set_ext(&b->ld, 1, 1, 32768 + 65536, 8);
	RC_EXPECT_EQ(rc_config_check_new_ld(&b->cfg, &b->ld, NULL, 0), 0);
	/* Up to the last sector of the disk is fine. */
	new_ld(&b->ld);
	set_ext(&b->ld, 1, 1, DISK_SECTORS - 10000, 10000);
	RC_EXPECT_EQ(rc_config_check_new_ld(&b->cfg, &b->ld, NULL, 0), 0);
	/* A 32-character name is fine. */
	memcpy(b->ld.name, "abcdefghijklmnopqrstuvwxyz012345", 33);
	RC_EXPECT_EQ(rc_config_check_new_ld(&b->cfg, &b->ld, NULL, 0), 0);

	/* Adding it as the lowest free number gives a valid config. */
	n = rc_config_free_ld(&b->cfg);
	RC_ASSERT_EQ(n, 2);
	RC_ASSERT_EQ(rc_ld_geom(&b->ld, &g), 0);
	b->ld.number = (u32)n;
	b->ld.state = RC_LD_OPTIMAL;
	b->ld.capacity = g.capacity;
	b->cfg.lds[n] = b->ld;
	RC_EXPECT_EQ(rc_config_validate(&b->cfg, b->why, sizeof(b->why)), 0);
	RC_EXPECT_EQ(rc_config_find_ld(&b->cfg, "abcdefghijklmnopqrstuvwxyz012345"),
		     2);
	RC_EXPECT_EQ(rc_config_find_ld(&b->cfg, "r10.a_b-1"), 4);
	RC_EXPECT_EQ(rc_config_find_ld(&b->cfg, "nope"), -ENOENT);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, b->buf), 0);
	RC_ASSERT_EQ(rc_cod_decode(b->buf, RC_COD_BYTES, &b->out), 0);
	RC_EXPECT_EQ(b->out.lds[2].capacity, 10000);
	RC_EXPECT_EQ(rc_config_free_ld(&b->out), 5);
}

/* One request variant per refusal, with the error and a word of the reason. */
struct bad_ld {
	int err;
	const char *word;
};

static bool bad_variant(struct rc_config *cfg, struct rc_ld *ld,
			unsigned int v, struct bad_ld *want)
{
	new_ld(ld);
	switch (v) {
	case 0:
		ld->name[0] = 0;
		*want = (struct bad_ld){ -EINVAL, "empty" };
		break;
	case 1:
		memcpy(ld->name, "bad name", 9);
		*want = (struct bad_ld){ -EINVAL, "only A-Za-z0-9._-" };
		break;
	case 2:
		memcpy(ld->name, "-x", 3);
		*want = (struct bad_ld){ -EINVAL, "first a letter" };
		break;
	case 3: /* 33 characters, no NUL in the field at all */
		memset(ld->name, 'a', sizeof(ld->name));
		*want = (struct bad_ld){ -EINVAL, "longer than 32" };
		break;
	case 4:
		/* the longest name, to check the reason still fits */
		memcpy(ld->name, "abcdefghijklmnopqrstuvwxyz01234/", 33);
		*want = (struct bad_ld){ -EINVAL, "only A-Za-z0-9._-" };
		break;
	case 5:
		memcpy(ld->name, "mirror", 7);
		*want = (struct bad_ld){ -EEXIST, "rcl0" };
		break;
	case 6:
		ld->level = 3;
		*want = (struct bad_ld){ -EINVAL, "not supported" };
		break;
	case 7:
		ld->nextents = 1;
		*want = (struct bad_ld){ -EINVAL, "at least 2" };
		break;
	case 8:
		ld->level = RC_RAID5;
		*want = (struct bad_ld){ -EINVAL, "at least 3" };
		break;
	case 9:
		ld->level = RC_RAID10;
		ld->nextents = 5;
		set_ext(ld, 2, 2, 500000, 10000);
		set_ext(ld, 3, 3, 500000, 10000);
		set_ext(ld, 4, 3, 600000, 10000);
		*want = (struct bad_ld){ -EINVAL, "even" };
		break;
	case 10:
		ld->nextents = RC_MAX_EXTENTS + 1;
		*want = (struct bad_ld){ -EINVAL, "at most" };
		break;
	case 11:
		ld->stripe_sectors = 100;
		*want = (struct bad_ld){ -EINVAL, "stripe" };
		break;
	case 12:
		ld->stripe_sectors = 0;
		*want = (struct bad_ld){ -EINVAL, "stripe" };
		break;
	case 13:
		ld->ext[1].disk = 9;
		*want = (struct bad_ld){ -ENODEV, "unknown disk 9" };
		break;
	case 14:
		cfg->disks[1].state = RC_DISK_FAILED;
		*want = (struct bad_ld){ -ENODEV, "failed" };
		break;
	case 15:
		cfg->disks[1].state = RC_DISK_UNUSED;
		*want = (struct bad_ld){ -ENODEV, "unknown disk 1" };
		break;
	case 16:
		ld->ext[1].start = 2048;
		*want = (struct bad_ld){ -EINVAL, "metadata" };
		break;
	case 17:
		ld->ext[1].length = 0;
		*want = (struct bad_ld){ -EINVAL, "length is 0" };
		break;
	case 18:
		ld->ext[1].start = DISK_SECTORS - 5000;
		*want = (struct bad_ld){ -ENOSPC, "past the end" };
		break;
	case 19:
		ld->ext[1].start = ~0ull - 10;
		*want = (struct bad_ld){ -ENOSPC, "past the end" };
		break;
	case 20:
		ld->ext[1].length = DISK_SECTORS + 1;
		*want = (struct bad_ld){ -ENOSPC, "past the end" };
		break;
	case 21:
		ld->ext[1].start = 40000;	/* inside drive 0 on disk 1 */
		*want = (struct bad_ld){ -EBUSY, "rcl0 (mirror)" };
		break;
	case 22:
		set_ext(ld, 1, 2, 131072 + 99995, 8);	/* rcl3's end */
		*want = (struct bad_ld){ -EBUSY, "rcl3" };
		break;
	case 23:
		ld->ext[1].disk = 0;
		*want = (struct bad_ld){ -EINVAL, "both on disk 0" };
		break;
	case 24:
		ld->ext[0].length = 4;
		*want = (struct bad_ld){ -ENOSPC, "smaller" };
		break;
	case 26: /* the longest name and serial in a reason */
		memcpy(cfg->lds[0].name, "abcdefghijklmnopqrstuvwxyz012345", 33);
		ld->ext[1].start = 40000;
		*want = (struct bad_ld){ -EBUSY, "overlaps rcl0 (abcdef" };
		break;
	case 27:
		memset(cfg->disks[1].serial, 'S', RC_SERIAL_LEN);
		cfg->disks[1].state = RC_DISK_MISSING;
		*want = (struct bad_ld){ -ENODEV, "SSSS) is missing" };
		break;
	case 28: /* 11-digit sector numbers in a reason (a 5 TB disk) */
		cfg->disks[1].capacity = 10000000000ull;
		ld->ext[1].start = 10000000000ull - 100000;
		ld->ext[1].length = 10000000000ull;
		*want = (struct bad_ld){ -ENOSPC, "(10000000000 sectors)" };
		break;
	case 25: { /* all 32 numbers in use */
		unsigned int i;

		for (i = 0; i < RC_MAX_LDS; i++)
			if (cfg->lds[i].state == RC_LD_UNUSED)
				cfg->lds[i].state = RC_LD_OFFLINE;
		cfg->nlds = RC_MAX_LDS;
		*want = (struct bad_ld){ -ENOSPC, "in use" };
		break;
	}
	default:
		return false;
	}
	return true;
}

RC_TEST(cod_check_new_ld_errors)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	struct bad_ld want;
	unsigned int v;
	int err;

	RC_ASSERT_TRUE(b);
	for (v = 0;; v++) {
		fixture(&b->cfg);
		if (!bad_variant(&b->cfg, &b->ld, v, &want))
			break;
		b->why[0] = 0;
		err = rc_config_check_new_ld(&b->cfg, &b->ld, b->why,
					     sizeof(b->why));
		/* The variant number rides along so a failure names it. */
		RC_EXPECT_EQ(v * 1000 + (unsigned int)-err,
			     v * 1000 + (unsigned int)-want.err);
		RC_EXPECT_TRUE(why_ok(b->why));
		RC_EXPECT_TRUE(strstr(b->why, want.word) != NULL);
	}
	RC_EXPECT_EQ(v, 29);
}

/* ---- lookups and names -------------------------------------------------- */

RC_TEST(cod_find_replaced)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	struct rc_config *c;
	unsigned int m = 99;

	RC_ASSERT_TRUE(b);
	c = &b->cfg;
	fixture(c);
	/* Nothing failed: no slot wants a new disk. */
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 1, &m), -ENOENT);
	RC_EXPECT_EQ(m, 99u);
	/* Disk 1 (0:1) failed under the mirror and the RAID 10. */
	c->disks[1].state = RC_DISK_FAILED;
	c->lds[0].ext[1].state = RC_EXT_FAILED;
	c->lds[4].ext[1].state = RC_EXT_FAILED;
	/* The lowest-numbered drive first. */
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 1, &m), 0);
	RC_EXPECT_EQ(m, 1u);
	/* Another target, another channel: not that slot. */
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 2, &m), -ENOENT);
	RC_EXPECT_EQ(rc_config_find_replaced(c, 1, 1, &m), -ENOENT);
	/* The mirror rebuilt already (elsewhere): the RAID 10 is next. */
	c->lds[0].ext[1].state = RC_EXT_ONLINE;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 1, &m), 4);
	RC_EXPECT_EQ(m, 1u);
	/* Not found at attach (MISSING) is a failed disk too. */
	c->disks[1].state = RC_DISK_MISSING;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 1, &m), 4);
	/* A failed extent on a disk that is still online is not a slot. */
	c->disks[1].state = RC_DISK_ONLINE;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 1, &m), -ENOENT);
	/* RAID 0 has nothing to rebuild from. */
	c->disks[2].state = RC_DISK_FAILED;
	c->lds[1].ext[0].state = RC_EXT_FAILED;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 2, &m), -ENOENT);
	/* A drive being rebuilt onto another disk still lacks this member. */
	c->disks[3].state = RC_DISK_FAILED;
	c->lds[3].ext[3].state = RC_EXT_FAILED;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 3, &m), 3);
	RC_EXPECT_EQ(m, 3u);
	/* Free drive records are never chosen: the next drive on the slot. */
	c->lds[3].state = RC_LD_UNUSED;
	c->lds[4].ext[3].state = RC_EXT_FAILED;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 3, &m), 4);
	c->lds[4].state = RC_LD_UNUSED;
	RC_EXPECT_EQ(rc_config_find_replaced(c, 0, 3, &m), -ENOENT);
}


RC_TEST(cod_find_disk)
{
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	u8 wwn[8] = { 0x50, 0x01, 0x40, 0x50, 0, 0, 0, 1 };

	RC_ASSERT_TRUE(b);
	fixture(&b->cfg);
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, wwn, 8, "whatever"), 1);
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, wwn, 8, NULL), 1);
	/* No WWN given: the serial decides. */
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, NULL, 0, "RCDISK0002"), 2);
	/* Two WWNs that differ are two disks, whatever their serials. */
	wwn[7] = 9;
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, wwn, 8, "RCDISK0001"),
		     -ENOENT);
	/* Disk 3 has no WWN: found by serial even when asked with a WWN. */
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, wwn, 8, "RCDISK0003"), 3);
	/* The same WWN bytes at another length are another disk. */
	wwn[7] = 1;
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, wwn, 16, NULL), -ENOENT);
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, NULL, 0, ""), -ENOENT);
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, NULL, 0, NULL), -ENOENT);
	/* Free records are never found. */
	b->cfg.disks[2].state = RC_DISK_UNUSED;
	RC_EXPECT_EQ(rc_config_find_disk(&b->cfg, NULL, 0, "RCDISK0002"),
		     -ENOENT);
}

RC_TEST(cod_names)
{
	RC_EXPECT_STREQ(rc_disk_state_name(RC_DISK_ONLINE), "online");
	RC_EXPECT_STREQ(rc_disk_state_name(RC_DISK_MISSING), "missing");
	RC_EXPECT_STREQ(rc_disk_state_name(RC_DISK_STATE_MAX), "unknown");
	RC_EXPECT_STREQ(rc_ld_state_name(RC_LD_DEGRADED), "degraded");
	RC_EXPECT_STREQ(rc_ld_state_name(200), "unknown");
	RC_EXPECT_STREQ(rc_extent_state_name(RC_EXT_REBUILDING), "rebuilding");
	RC_EXPECT_STREQ(rc_extent_state_name(3), "unknown");
	RC_EXPECT_STREQ(rc_level_name(RC_RAID10), "raid10");
	RC_EXPECT_STREQ(rc_level_name(RC_RAID5), "raid5");
	RC_EXPECT_STREQ(rc_level_name(2), "unknown");
	RC_EXPECT_TRUE(strstr(rc_cod_strerror(RC_COD_ECRC), "CRC") != NULL);
	RC_EXPECT_TRUE(strstr(rc_cod_strerror(RC_COD_EVERSION), "newer") != NULL);
	RC_EXPECT_STREQ(rc_cod_strerror(0), "valid");
	/* Reasons are sized for the ioctl message field. */
	RC_EXPECT_EQ(RC_COD_WHY_LEN, RC_IOC_MSG_LEN);
	RC_EXPECT_TRUE(rc_ld_name_ok("a"));
	RC_EXPECT_TRUE(rc_ld_name_ok("0.b_c-d"));
	RC_EXPECT_FALSE(rc_ld_name_ok(""));
	RC_EXPECT_FALSE(rc_ld_name_ok(".hidden"));
	RC_EXPECT_FALSE(rc_ld_name_ok("a b"));
}

/* ---- fuzz --------------------------------------------------------------- */

/* xorshift64*: deterministic, so a failure reproduces exactly. */
static u64 rnd(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/*
 * A byte of a field in use in the fixture's copy (past magic, version and
 * crc): damage there is the kind that can still decode, so the accepting
 * side of decode is exercised too.
 */
static u32 live_offset(u64 r)
{
	static const u8 lds[4] = { 0, 1, 3, 4 };
	u32 pick = (u32)(r >> 40);

	switch ((r >> 2) % 4) {
	case 0:
		return 16 + pick % 64;			/* header fields */
	case 1:
		return D_OFF(pick % 4) + (pick >> 4) % 88; /* disk fields */
	case 2:
		return L_OFF(lds[pick % 4]) + (pick >> 4) % 80; /* drive */
	default:					/* extents */
		return X_OFF(lds[pick % 4], (pick >> 4) % 2) + (pick >> 8) % 32;
	}
}

/*
 * Thousands of damaged copies: random bit flips and field values near and
 * in the live records (with the CRC made right again, mostly), random
 * garbage with a magic.  Decode must return one of its codes (never crash,
 * never read out of bounds), give a reason on refusal, and whatever it
 * accepts must be a valid config that encodes back to a copy that decodes
 * to the same.
 */
RC_TEST(cod_fuzz)
{
	static const u8 widths[4] = { 2, 4, 8, 8 };
	struct cod_bufs *b = rc_test_alloc(rc_t, sizeof(*b));
	u8 *pristine = rc_test_alloc(rc_t, RC_COD_BYTES);
	unsigned int iter, i, n, accepted = 0, refused = 0;
	u64 s = 0x9e3779b97f4a7c15ull, r;
	u32 off;
	int err;

	RC_ASSERT_TRUE(b && pristine);
	fixture(&b->cfg);
	RC_ASSERT_EQ(rc_cod_encode(&b->cfg, pristine), 0);
	for (iter = 0; iter < 2000; iter++) {
		unsigned int mode = (unsigned int)(rnd(&s) % 4);

		if (mode == 3) {
			/* Garbage with our magic and a right CRC. */
			for (i = 0; i < RC_COD_BYTES; i += 8)
				put64(b->buf + i, rnd(&s));
			put64(b->buf, RC_COD_MAGIC);
			put32(b->buf + 8, (u32)(rnd(&s) % 3));
		} else {
			memcpy(b->buf, pristine, RC_COD_BYTES);
		}
		n = 1 + (unsigned int)(rnd(&s) % 3);
		for (i = 0; i < n && mode != 3; i++) {
			r = rnd(&s);
			if (mode == 0) {
				/* A bit anywhere in the records. */
				off = (u32)(r >> 32) % L_OFF(6);
				b->buf[off] ^= (u8)(1u << ((r >> 8) & 7));
			} else if (mode == 1) {
				/* A live byte set to anything. */
				b->buf[live_offset(r)] = (u8)(r >> 16);
			} else {
				/* A live field set to anything. */
				off = live_offset(r) & ~7u;
				poke(b->buf, off, widths[r & 3], rnd(&s));
			}
		}
		/* Mostly make the CRC right, so the field checks are hit. */
		if (mode == 3 || (rnd(&s) & 7))
			fix_crc(b->buf);

		b->why[0] = 0;
		err = rc_cod_decode_why(b->buf, RC_COD_BYTES, &b->out, b->why,
					sizeof(b->why));
		RC_EXPECT_TRUE(err == 0 || err == RC_COD_ENOCOD ||
			       err == RC_COD_ECRC || err == RC_COD_EVERSION ||
			       err == RC_COD_EINVAL);
		if (err) {
			refused++;
			RC_EXPECT_TRUE(why_ok(b->why));
			continue;
		}
		accepted++;
		RC_EXPECT_EQ(rc_config_validate(&b->out, NULL, 0), 0);
		RC_ASSERT_EQ(rc_cod_encode(&b->out, b->buf2), 0);
		RC_ASSERT_EQ(rc_cod_decode(b->buf2, RC_COD_BYTES, &b->cfg), 0);
		RC_EXPECT_MEMEQ(&b->cfg, &b->out, sizeof(b->cfg));
	}
	/* Both sides were exercised. */
	RC_EXPECT_LT(50, accepted);
	RC_EXPECT_LT(1000, refused);
}
