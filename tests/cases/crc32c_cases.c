// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * CRC32C known answers: the catalogue check value and the iSCSI vectors of
 * RFC 3720 appendix B.4, so the COD CRC is the standard CRC32C that any
 * other implementation (the kernel's crc32c, Python's crc32c) reproduces.
 */
#include "rc_base.h"
#include "crc32c.h"
#include "crc32c_cases.h"

RC_TEST(crc32c_check_value)
{
	static const char check[] = "123456789";

	RC_EXPECT_EQ(rc_crc32c_buf(check, 9), 0xe3069283u);
	/* The same through the raw interface the header documents. */
	RC_EXPECT_EQ(rc_crc32c(~0u, check, 9) ^ ~0u, 0xe3069283u);
}

RC_TEST(crc32c_rfc3720_vectors)
{
	u8 buf[32];
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	RC_EXPECT_EQ(rc_crc32c_buf(buf, sizeof(buf)), 0x8a9136aau);
	memset(buf, 0xff, sizeof(buf));
	RC_EXPECT_EQ(rc_crc32c_buf(buf, sizeof(buf)), 0x62a8ab43u);
	for (i = 0; i < 32; i++)
		buf[i] = (u8)i;
	RC_EXPECT_EQ(rc_crc32c_buf(buf, sizeof(buf)), 0x46dd794eu);
	for (i = 0; i < 32; i++)
		buf[i] = (u8)(31 - i);
	RC_EXPECT_EQ(rc_crc32c_buf(buf, sizeof(buf)), 0x113fdb5cu);
}

RC_TEST(crc32c_empty)
{
	const u8 one = 0;

	RC_EXPECT_EQ(rc_crc32c_buf(&one, 0), 0u);
	RC_EXPECT_EQ(rc_crc32c(0x12345678u, &one, 0), 0x12345678u);
}

RC_TEST(crc32c_incremental)
{
	u8 buf[97];
	u32 whole, part;
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 37 + 11);
	whole = rc_crc32c_buf(buf, sizeof(buf));
	for (i = 0; i <= sizeof(buf); i++) {
		part = rc_crc32c(~0u, buf, i);
		part = rc_crc32c(part, buf + i, sizeof(buf) - i) ^ ~0u;
		RC_EXPECT_EQ(part, whole);
	}
}

RC_TEST(crc32c_detects_every_bit_flip)
{
	u8 buf[64];
	u32 good;
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i ^ 0x5a);
	good = rc_crc32c_buf(buf, sizeof(buf));
	for (i = 0; i < sizeof(buf) * 8; i++) {
		buf[i / 8] ^= (u8)(1u << (i % 8));
		RC_EXPECT_NE(rc_crc32c_buf(buf, sizeof(buf)), good);
		buf[i / 8] ^= (u8)(1u << (i % 8));
	}
	RC_EXPECT_EQ(rc_crc32c_buf(buf, sizeof(buf)), good);
}

/* The definition: one bit at a time, no tables. */
static u32 rc_crc32c_bitwise(u32 crc, const u8 *p, size_t len)
{
	unsigned int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0x82f63b78u : 0);
	}
	return crc;
}

/*
 * The slicing-by-8 tables and the 8-byte loop against the definition, at
 * every length around the 8-byte steps and every misalignment: a wrong
 * entry in any of the eight generated tables shows here.
 */
RC_TEST(crc32c_matches_bitwise_reference)
{
	u8 buf[256 + 8];
	unsigned int i, off, len;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 131 + 7);
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 72; len++)
			RC_EXPECT_EQ(rc_crc32c(~0u, buf + off, len),
				     rc_crc32c_bitwise(~0u, buf + off, len));
	/* Every byte value in every lane of the 8-byte step. */
	for (i = 0; i < 256; i++) {
		memset(buf, 0, 16);
		for (off = 0; off < 8; off++) {
			buf[off] = (u8)i;
			RC_EXPECT_EQ(rc_crc32c(0x9e3779b9u, buf, 16),
				     rc_crc32c_bitwise(0x9e3779b9u, buf, 16));
			buf[off] = 0;
		}
	}
}
