// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rc_crc32c() in user space: ISA-L's crc32_iscsi() (libisal, Debian's
 * libisal-dev), which picks the CPU's CRC32 instruction at run time.  Its
 * convention is ours: the CRC register in and out, no inversion on either
 * side (the standard value is ~crc32_iscsi(buf, len, ~0)).  The kernel
 * side is kernel/crc32c.c; the test vectors of tests/cases/crc32c_cases.c
 * (check value, RFC 3720, a bit-at-a-time reference) hold both to the same
 * results.
 */
#include <isa-l/crc.h>
#include <limits.h>

#include "rc_base.h"
#include "crc32c.h"

u32 rc_crc32c(u32 crc, const void *buf, size_t len)
{
	unsigned char *p = (unsigned char *)buf;

	while (len) {
		int n = len > INT_MAX ? INT_MAX : (int)len;

		crc = crc32_iscsi(p, n, crc);
		p += n;
		len -= (size_t)n;
	}
	return crc;
}
