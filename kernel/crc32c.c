// SPDX-License-Identifier: GPL-2.0
/*
 * rc_crc32c() in the kernel: crc32c() of libcrc32c, which uses the CPU's
 * CRC32 instruction when the crypto layer has it (crc32c-intel) and the
 * generic tables otherwise.  crc32c() takes and returns the CRC register
 * without inverting it, as rc_crc32c() does (lib/crc32c.h); the user-space
 * side is lib/user/crc32c.c, and the test vectors of
 * tests/cases/crc32c_cases.c run against this one in KUnit.
 */
#include <linux/crc32c.h>
#include <linux/limits.h>

#include "rc_base.h"
#include "crc32c.h"

u32 rc_crc32c(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		unsigned int n = min_t(size_t, len, UINT_MAX);

		crc = crc32c(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}
