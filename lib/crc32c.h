/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef RC_CRC32C_H
#define RC_CRC32C_H

#include "rc_base.h"

/*
 * CRC32C (Castagnoli), reflected, as iSCSI and ext4 use it:
 * rc_crc32c(~0, buf, len) ^ ~0 is the standard check value
 * (0xe3069283 for "123456789").  The CRC register goes in and comes out
 * as is, without inversion.  Implemented by the platform, with the CPU's
 * CRC32 instruction where it has one: the kernel's crc32c()
 * (kernel/crc32c.c), ISA-L's crc32_iscsi() in user space
 * (lib/user/crc32c.c); the test vectors of tests/cases/crc32c_cases.c
 * hold both to the same results.
 */
u32 rc_crc32c(u32 crc, const void *buf, size_t len);

/* Standard CRC32C of a whole buffer: seed ~0, final xor ~0. */
static inline u32 rc_crc32c_buf(const void *buf, size_t len)
{
	return rc_crc32c(~0u, buf, len) ^ ~0u;
}

#endif /* RC_CRC32C_H */
