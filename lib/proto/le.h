/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Byte-wise little-endian access at any offset of a buffer.  The codecs
 * read blocks the host hands them at any alignment (and fuzz tests at odd
 * ones), so they never cast a buffer to a wire structure; the structures
 * in wire.h/slots.h give the offsets (RC_OFF) and sizes only.
 */
#ifndef RC_PROTO_LE_H
#define RC_PROTO_LE_H

#include "rc_base.h"

#define RC_OFF(type, field) __builtin_offsetof(struct type, field)

static inline u16 rc_ld16(const u8 *p)
{
	return (u16)(p[0] | (u16)p[1] << 8);
}

static inline u32 rc_ld32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 rc_ld64(const u8 *p)
{
	return (u64)rc_ld32(p) | (u64)rc_ld32(p + 4) << 32;
}

static inline void rc_st16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void rc_st32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static inline void rc_st64(u8 *p, u64 v)
{
	rc_st32(p, (u32)v);
	rc_st32(p + 4, (u32)(v >> 32));
}

/* True if @len bytes at @p are all zero (reserved fields). */
static inline bool rc_all_zero(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

#endif /* RC_PROTO_LE_H */
