/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Node-to-node commands of the cluster protocol, bit-exact to the patent's
 * tables 3-20, and the payloads they carry.
 *
 * The patent's controllers send these as SCSI commands over the shared
 * bus.  raidcluster nodes are host HBAs that cannot be SCSI targets, so the
 * same 10-byte CDBs travel inside the disk mailboxes of slots.h; their
 * bytes are still exactly those of the tables, so a trace reads like the
 * patent.
 *
 * Vendor-specific 20h command (tables 2-16), 10 bytes:
 *
 *   byte 0     opcode 20h
 *   byte 1     bits 7-5: LUN, bits 4-0: reserved (0)
 *   byte 2     DCMD opcode (enum rc_dcmd)
 *   bytes 3-6  Node_Read/Node_Write: physical address, byte 3 = LSB;
 *              all other commands: reserved (0)
 *   bytes 7-8  Node_Read/Node_Write: count in bytes, byte 7 = LSB;
 *              all other commands: reserved (0)
 *   byte 9     control byte (0; the decoder refuses NACA/link bits)
 *
 * The LUN names the logical drive a command is about (reserve, release,
 * rebuild).  Three bits address drives 0-7 only, so the mailbox message
 * header (slots.h) also carries the full drive number and the decoder
 * insists that the LUN bits equal its low three bits.
 *
 * Heartbeat (table 17) is TEST UNIT READY, 6 bytes: opcode 00h, LUN in byte
 * 1 bits 7-5, bytes 2-4 reserved, byte 5 control.  Inquiry (table 18) is
 * opcode 12h, 6 bytes: byte 1 = LUN<<5 | CmdDt<<1 | EVPD, byte 2 page code,
 * byte 3 reserved, byte 4 allocation length, byte 5 control.  Standard
 * inquiry data (tables 19-20) is 56 bytes with the booting flag at byte 36.
 *
 * All multi-byte payload fields are little-endian; every structure is
 * fixed-size with explicit padding and size-asserted.
 */
#ifndef RAIDCLUSTER_WIRE_H
#define RAIDCLUSTER_WIRE_H

#include "abi.h"

#define RC_CDB_OPCODE_VENDOR 0x20	/* table 2 */
#define RC_CDB_OPCODE_TUR 0x00		/* table 17, Heartbeat() */
#define RC_CDB_OPCODE_INQUIRY 0x12	/* table 18 */
#define RC_CDB10_LEN 10
#define RC_CDB6_LEN 6
#define RC_CDB_LUN_SHIFT 5
#define RC_CDB_MAX_LUN 7

/*
 * DCMD opcodes (byte 2).  The patent leaves the values open; these are
 * ours, chosen dense from 01h so a table indexed by opcode is small, with
 * 00h refused so an all-zero (never written) message is never a command.
 */
enum rc_dcmd {
	RC_DCMD_INVALID = 0x00,
	RC_DCMD_CABLE_CHECK = 0x01,		/* table 3  Node_Cable_Check */
	RC_DCMD_READ = 0x02,			/* table 4  Node_Read */
	RC_DCMD_WRITE = 0x03,			/* table 5  Node_Write */
	RC_DCMD_NEGOTIATE = 0x04,		/* table 6  Node_Negotiate */
	RC_DCMD_KILL = 0x05,			/* table 7  Node_Kill */
	RC_DCMD_RESERVE = 0x06,			/* table 8  Node_Reserve */
	RC_DCMD_RELEASE = 0x07,			/* table 9  Node_Release */
	RC_DCMD_INFORM_REBUILD_RECEIVED = 0x08,	/* table 10 */
	RC_DCMD_INFORM_MASTER_REBUILD_RECEIVED = 0x09, /* table 11 */
	RC_DCMD_REBUILD = 0x0a,			/* table 12 Node_Rebuild */
	RC_DCMD_INFORM_REBUILD_STARTED = 0x0b,	/* table 13 */
	RC_DCMD_INFORM_STATUS = 0x0c,		/* table 14 */
	RC_DCMD_INFORM_REBUILD_COMPLETED = 0x0d, /* table 15 */
	RC_DCMD_INFORM_REBUILT_ALL = 0x0e,	/* table 16 */
	RC_DCMD_HOST_REQUEST = 0x0f,		/* ours: rc_wire_host_request */
	RC_DCMD_MAX
};

/* One 10-byte 20h CDB, tables 3-16. */
struct rc_cdb10 {
	__u8 opcode;		/* RC_CDB_OPCODE_VENDOR */
	__u8 lun;		/* bits 7-5 LUN, 4-0 reserved */
	__u8 dcmd;		/* enum rc_dcmd */
	__u8 addr[4];		/* Node_Read/Write address, LSB first */
	__u8 count[2];		/* Node_Read/Write byte count, LSB first */
	__u8 control;
};
RC_STATIC_ASSERT(sizeof(struct rc_cdb10) == RC_CDB10_LEN, "rc_cdb10 size");

/* Heartbeat() = TEST UNIT READY, table 17. */
struct rc_cdb_tur {
	__u8 opcode;		/* 00h */
	__u8 lun;		/* bits 7-5 LUN */
	__u8 reserved[3];
	__u8 control;
};
RC_STATIC_ASSERT(sizeof(struct rc_cdb_tur) == RC_CDB6_LEN, "tur cdb size");

/* Inquiry(), table 18. */
#define RC_INQ_EVPD 0x01
#define RC_INQ_CMDDT 0x02
struct rc_cdb_inquiry {
	__u8 opcode;		/* 12h */
	__u8 flags;		/* LUN << 5 | CmdDt << 1 | EVPD */
	__u8 page;
	__u8 reserved;
	__u8 alloc_len;
	__u8 control;
};
RC_STATIC_ASSERT(sizeof(struct rc_cdb_inquiry) == RC_CDB6_LEN,
		 "inquiry cdb size");

/*
 * Standard inquiry data as a node answers it (tables 19-20): peripheral
 * qualifier 3 / device class 0, ISO/ECMA/ANSI version byte 02h, response
 * data format 02h, additional length 1Fh, vendor "MYLEX", product
 * "DAC960", revision = firmware version, and byte 36 (the first vendor-
 * specific byte) the booting flag the failure-to-detect-failure check
 * reads.  Bytes 37-39 carry the node ID and 40-43 the incarnation so one
 * read of a node slot says who booted when.
 */
#define RC_INQ_DATA_LEN 56
#define RC_INQ_ADDITIONAL_LEN 0x1f
#define RC_INQ_BOOTING_OFFSET 36
struct rc_inquiry_data {
	__u8 pq_type;		/* byte 0: qualifier << 5 | device type */
	__u8 rmb;		/* byte 1 */
	__u8 version;		/* byte 2: ISO 7-6, ECMA 5-3, ANSI 2-0 */
	__u8 format;		/* byte 3: AENC/TrmIOP, data format 3-0 */
	__u8 additional_len;	/* byte 4 */
	__u8 reserved5[2];	/* bytes 5-6 */
	__u8 flags7;		/* byte 7: RelAdr ... SftRe */
	__u8 vendor[8];		/* bytes 8-15, ASCII, space padded */
	__u8 product[16];	/* bytes 16-31 */
	__u8 revision[4];	/* bytes 32-35 */
	__u8 booting;		/* byte 36: 1 while the node boots */
	__u8 node_id;		/* byte 37 */
	__u8 reserved38[2];	/* bytes 38-39 */
	__le32 incarnation;	/* bytes 40-43 */
	__u8 reserved44[12];	/* bytes 44-55 */
};
RC_STATIC_ASSERT(sizeof(struct rc_inquiry_data) == RC_INQ_DATA_LEN,
		 "inquiry data size");

/* --- payloads ---------------------------------------------------------- */

/* SCSI status values carried in responses and host completions. */
#define RC_SCSI_GOOD 0x00
#define RC_SCSI_CHECK_CONDITION 0x02
#define RC_SCSI_BUSY 0x08
#define RC_SCSI_RESERVATION_CONFLICT 0x18

/* Node_Negotiate() error codes, figure 13 step 1315 (response "sense"). */
enum rc_neg_result {
	RC_NEG_OK = 0,			/* accepted, configuration unchanged */
	RC_NEG_OK_CHANGED = 1,		/* accepted, differs: restarting (1350) */
	RC_NEG_MISMATCH = 2,		/* step 1310 */
	RC_NEG_EEPROM_FAIL = 3,		/* step 1325 */
	RC_NEG_NVM_FAIL = 4,		/* step 1335 */
	RC_NEG_CABLE_FAIL = 5,		/* figure 15 step 1565: killing self */
	RC_NEG_MAX
};

/* Targets per channel in the negotiate mailbox (wide SCSI). */
#define RC_MAX_TARGETS 16
#define RC_PD_NONE 0xffff	/* physical_drives[][].disk: empty */
#define RC_HOLDER_NONE 0xff	/* reservation table: no holder */

/* struct mailbox.logical_drives entry (SYS_DRIVES) */
struct rc_wire_ld {
	__u8 state;		/* enum rc_ld_state */
	__u8 level;		/* enum rc_raid_level */
	__u8 holder;		/* reserving node ID, RC_HOLDER_NONE */
	__u8 reserved;
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_ld) == 4, "rc_wire_ld size");

/* struct mailbox.physical_drives[channel][target] entry (P_D_E) */
struct rc_wire_pd {
	__le16 disk;		/* COD disk index, RC_PD_NONE */
	__u8 state;		/* enum rc_disk_state */
	__u8 reserved;
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_pd) == 4, "rc_wire_pd size");

/* struct mailbox.configuration (CONFIG) */
struct rc_wire_config {
	__le64 generation;	/* COD generation */
	__le32 cod_crc;		/* CRC of the COD copy in use */
	__le32 nlds;		/* logical drives in use */
	__le32 ndisks;		/* disk records in use */
	__le32 flags;		/* RC_NEGF_* */
	__u8 cluster_uuid[16];
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_config) == 40, "rc_wire_config size");

/* rc_wire_config.flags */
#define RC_NEGF_PROPOSAL 0x1	/* slave -> master: a change to accept (fig 15) */

/*
 * The negotiate "mailbox" of the patent (struct mailbox): logical drives,
 * physical drives by channel and target, configuration.  Sent with
 * Node_Negotiate(); its holder column is the master's reservation table so
 * a node joining learns who holds what.
 */
struct rc_wire_negotiate {
	struct rc_wire_ld logical_drives[RC_MAX_LDS];		/* 128 */
	struct rc_wire_pd physical_drives[RC_MAX_CHANNELS][RC_MAX_TARGETS];
								/* 512 */
	struct rc_wire_config configuration;			/* 40 */
	__u8 reserved[24];
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_negotiate) == 704,
		 "rc_wire_negotiate size");

/* Node_Negotiate() response payload. */
struct rc_wire_negotiate_reply {
	__u8 result;		/* enum rc_neg_result */
	__u8 reserved[7];
	__le64 generation;	/* generation the responder now runs */
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_negotiate_reply) == 16,
		 "negotiate reply size");

/* Node_Cable_Check() response payload: step 1165. */
struct rc_wire_cable_reply {
	__u8 channel;		/* channel the command was received on */
	__u8 connected;		/* responder's Connected_Channels bitmap */
	__u8 reserved[6];
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_cable_reply) == 8, "cable reply size");

/*
 * Rebuild status, the payload of Node_Inform_Rebuild_Received(),
 * _Master_Rebuild_Received(), Node_Rebuild(), _Rebuild_Started(),
 * _Status(), _Rebuild_Completed() and _Rebuilt_All(): enough for every
 * node to report the rebuild and to take it over (step 11D5).
 */
struct rc_wire_rebuild {
	__le32 pending;		/* bitmap of drives still to rebuild */
	__le32 done;		/* bitmap of drives rebuilt in this run */
	__u8 ld;		/* drive being rebuilt, 0xff none */
	__u8 requester;		/* node whose host asked */
	__u8 executor;		/* node rebuilding @ld, 0xff none */
	__u8 status;		/* RC_SCSI_* of a completed drive */
	__le32 progress;	/* per mille of @ld done */
	__le64 run;		/* rebuild run id: master node << 56 | counter */
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_rebuild) == 24, "rc_wire_rebuild size");

/*
 * Node_Reserve() payload byte (none: the patent's Reserve).  PREEMPT: the
 * sender takes the drive from whichever node holds it (the persistent
 * reservation PREEMPT of a fence agent); only a claim of a higher node ID
 * in flight for the same drive refuses it.
 */
#define RC_RESV_PREEMPT 0x01

/* Largest payload a mailbox message carries (Node_Read/Write data too). */
#define RC_WIRE_MAX_PAYLOAD 960u
RC_STATIC_ASSERT(sizeof(struct rc_wire_negotiate) <= RC_WIRE_MAX_PAYLOAD,
		 "negotiate payload too large for a message");

/*
 * Node_Host_Request (RC_DCMD_HOST_REQUEST, not in the patent): a
 * configuration command an administrator gave on a slave, sent to the
 * master, which alone writes the COD (figure 15: it checks its cables
 * first, commits, and distributes the result as every other change).  The
 * master answers once the change is committed, with rc_wire_host_result.
 * The protocol library carries both payloads without reading them; the
 * kernel host encodes and checks them (every field, as for an ioctl: a
 * peer's request is refused as a local one would be).
 */
enum rc_host_request_op {
	RC_HREQ_CREATE = 1,	/* name, level, stripe, flags, extents */
	RC_HREQ_DELETE = 2,	/* number */
	RC_HREQ_RUN = 3,	/* number */
	RC_HREQ_SPARE = 4,	/* disk, flags bit 0: spare */
	RC_HREQ_DETACH = 5,	/* disk */
	RC_HREQ_REBUILD = 6,	/* number, disk */
	RC_HREQ_POLICY = 7,	/* number: mask, flags: the new values */
	RC_HREQ_MAX
};

struct rc_wire_host_extent {
	__le32 disk;		/* COD disk record */
	__le32 reserved;	/* zero */
	__le64 start;		/* sectors */
	__le64 length;		/* sectors */
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_host_extent) == 24,
		 "rc_wire_host_extent size");

struct rc_wire_host_request {
	__le32 op;		/* enum rc_host_request_op */
	__le32 number;		/* logical drive */
	__le32 disk;		/* disk record */
	__le32 flags;
	__le32 level;		/* enum rc_raid_level as the admin writes it */
	__le32 stripe_sectors;
	__le32 nextents;
	__le32 reserved;	/* zero */
	__u8 name[32];		/* NUL padded */
	struct rc_wire_host_extent extents[16];
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_host_request) == 448,
		 "rc_wire_host_request size");

struct rc_wire_host_result {
	__le32 error;		/* 0 or a positive errno value */
	__le32 number;		/* CREATE: the new drive; REBUILD: member */
	__le64 capacity;	/* CREATE: sectors */
	__le64 generation;	/* COD generation the change was written as */
	__u8 msg[96];		/* the master's one-line reason, NUL padded */
};
RC_STATIC_ASSERT(sizeof(struct rc_wire_host_result) == 120,
		 "rc_wire_host_result size");

#endif /* RAIDCLUSTER_WIRE_H */
