/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The reserved metadata area at the start of every member disk.
 *
 * Offsets are in 512-byte sectors from LBA 0 of the member disk; every area
 * starts on a 1 MiB boundary and every record in it is one 4 KiB block.
 * Each block has exactly one writer node, the rule that makes a shared disk
 * usable as a message bus without SCSI reservations:
 *
 *   sector     size      area              writer
 *   0          1 MiB     untouched         nobody (partition tables, probes)
 *   2048       64 KiB    COD copy A        the master (single node: itself)
 *   2176       64 KiB    COD copy B        the master, after copy A
 *   4096       128 KiB   node slots        slot n: node n only (32 x 4 KiB)
 *   6144       4 MiB     mailboxes         box (s -> r): node s only
 *                                          (32 senders x 32 receivers x 4 KiB)
 *   16384      8 MiB     write-intent      bitmap n: node n only
 *                        bitmaps           (32 nodes x 256 KiB)
 *   32768      ...       data extents      the data path
 *
 * See Documentation/on-disk-format.md for the byte layout of each record.
 */
#ifndef RAIDCLUSTER_LAYOUT_H
#define RAIDCLUSTER_LAYOUT_H

#include "abi.h"

#define RC_COD_BYTES (64u * 1024)
#define RC_COD_SECTORS (RC_COD_BYTES / RC_SECTOR_BYTES)
#define RC_COD_A_SECTOR 2048ull
#define RC_COD_B_SECTOR (RC_COD_A_SECTOR + RC_COD_SECTORS)

#define RC_SLOT_SECTOR 4096ull
#define RC_SLOT_BYTES RC_BLOCK_BYTES
#define RC_SLOT_SECTORS (RC_SLOT_BYTES / RC_SECTOR_BYTES)

#define RC_MBOX_SECTOR 6144ull
#define RC_MBOX_BYTES RC_BLOCK_BYTES
#define RC_MBOX_SECTORS (RC_MBOX_BYTES / RC_SECTOR_BYTES)

#define RC_WIB_SECTOR 16384ull
#define RC_WIB_BYTES (256u * 1024)
#define RC_WIB_SECTORS (RC_WIB_BYTES / RC_SECTOR_BYTES)

/* First sector an extent may use; everything below is metadata. */
#define RC_DATA_START_SECTOR 32768ull

/* Sector of node @n's slot. */
#define RC_SLOT_OF(n) (RC_SLOT_SECTOR + (__u64)(n) * RC_SLOT_SECTORS)
/* Sector of the mailbox written by @s and read by @r. */
#define RC_MBOX_OF(s, r) \
	(RC_MBOX_SECTOR + ((__u64)(s) * RC_MAX_NODES + (r)) * RC_MBOX_SECTORS)
/* Sector of node @n's write-intent bitmap. */
#define RC_WIB_OF(n) (RC_WIB_SECTOR + (__u64)(n) * RC_WIB_SECTORS)

RC_STATIC_ASSERT(RC_COD_B_SECTOR + RC_COD_SECTORS <= RC_SLOT_SECTOR,
		 "COD copies overlap the node slots");
RC_STATIC_ASSERT(RC_SLOT_OF(RC_MAX_NODES) <= RC_MBOX_SECTOR,
		 "node slots overlap the mailboxes");
RC_STATIC_ASSERT(RC_MBOX_OF(RC_MAX_NODES - 1, RC_MAX_NODES) <= RC_WIB_SECTOR,
		 "mailboxes overlap the write-intent bitmaps");
RC_STATIC_ASSERT(RC_WIB_OF(RC_MAX_NODES) <= RC_DATA_START_SECTOR,
		 "write-intent bitmaps overlap the data area");

#endif /* RAIDCLUSTER_LAYOUT_H */
