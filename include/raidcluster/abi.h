/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * raidcluster ABI basics shared by every format header: fixed-width
 * little-endian types and a static-assert that works in kernel C, user C
 * and C++.  Every on-disk and on-wire structure is little-endian, packed by
 * construction (explicit padding, no compiler packing), and size-asserted.
 */
#ifndef RAIDCLUSTER_ABI_H
#define RAIDCLUSTER_ABI_H

#include <linux/types.h>

#ifdef __cplusplus
#define RC_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define RC_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif

/* Sizes are in 512-byte sectors unless a name ends in _BYTES. */
#define RC_SECTOR_SHIFT 9
#define RC_SECTOR_BYTES 512u
/*
 * Every metadata record is written as one 4 KiB block at a 4 KiB aligned
 * offset, so "one writer per sector" holds for 512-byte and 4 KiB disks.
 */
#define RC_BLOCK_BYTES 4096u

#define RC_MAX_NODES 32		/* node IDs 0..31 (the SCSI ID of the patent) */
#define RC_MAX_DISKS 64		/* member disk records in one COD */
#define RC_MAX_LDS 32		/* logical drives rcl0..rcl31 */
#define RC_MAX_EXTENTS 16	/* member extents of one logical drive */
#define RC_MAX_CHANNELS 8	/* SCSI buses (HBAs) a node may see */
#define RC_NAME_LEN 32		/* logical drive name, NUL padded */
#define RC_WWN_LEN 16		/* NAA WWN, 8 or 16 bytes used */
#define RC_SERIAL_LEN 40	/* VPD page 0x80 serial, NUL padded */

#endif /* RAIDCLUSTER_ABI_H */
