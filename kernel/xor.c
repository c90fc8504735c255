// SPDX-License-Identifier: GPL-2.0
/*
 * Parity arithmetic: the one caller of the kernel's xor library
 * (crypto/xor.c, xor.ko), so that a newer kernel's interface (xor_gen)
 * replaces a single function.
 */
#include <linux/minmax.h>
#include <linux/raid/xor.h>

#include "rc.h"

/*
 * dest ^= srcs[0] ^ ... ^ srcs[count - 1] over @bytes (a multiple of 512;
 * every buffer 16-byte aligned, as the SSE/AVX routines need).
 */
void rc_xor(void *dest, void **srcs, unsigned int count, unsigned int bytes)
{
	unsigned int n;

	while (count) {
		n = min_t(unsigned int, count, MAX_XOR_BLOCKS);
		xor_blocks(n, bytes, dest, srcs);
		srcs += n;
		count -= n;
	}
}
