/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The only place where lib/ learns whether it is built into the kernel or
 * into user space.  lib/ *.c files include this and nothing from libc or
 * the kernel directly, so they compile unchanged in both (no #ifdef in .c
 * files).  lib/ does no I/O, takes no locks, allocates nothing and reads no
 * clock: the host hands it buffers, state and time.
 */
#ifndef RC_BASE_H
#define RC_BASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/stdarg.h>
#include <asm/unaligned.h>
#include <asm/byteorder.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>	/* vsnprintf() only: lib/ formats reasons, never prints */
#include <string.h>
#include <errno.h>
#include <linux/types.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))
#define le16_to_cpu(x) le16toh((uint16_t)(x))
#define le32_to_cpu(x) le32toh((uint32_t)(x))
#define le64_to_cpu(x) le64toh((uint64_t)(x))

static inline u64 div_u64_rem(u64 n, u32 d, u32 *rem)
{
	*rem = (u32)(n % d);
	return n / d;
}

static inline u64 div_u64(u64 n, u32 d)
{
	return n / d;
}

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
#ifndef min_t
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#endif
#endif /* __KERNEL__ */

#endif /* RC_BASE_H */
