/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Node slots and mailboxes: the shared disks as the cluster's message bus.
 *
 * layout.h reserves, on every member disk, one 4 KiB node slot per node
 * (written by that node only) and one 4 KiB mailbox per ordered pair
 * sender -> receiver (written by the sender only).  A node writes its slot
 * and its outgoing boxes to the "comm disk" of every channel in its
 * Connected_Channels bitmap (the lowest-numbered online member disk on the
 * channel) and reads the peers' on its current node-communications
 * channel, so a reader may switch channels without telling anyone.
 *
 * Every block starts with magic, version and a CRC32C over the whole 4 KiB
 * with the crc field as zero: a torn write (some sectors new, some old)
 * fails the CRC and is ignored, the reader keeps its last good copy and
 * reads again.  Staleness is told by counters, never by time: the slot's
 * heartbeat counter advances on every write, a box carries its write
 * counter, and both carry the writer's incarnation (boot number).
 *
 * Node slot, 4096 bytes:
 *
 *   offset size  field
 *   0      8     magic "RCLSLOT1"
 *   8      4     version
 *   12     4     crc
 *   16     1     node_id            writer, == slot index
 *   17     1     state              enum rc_node_state (own, fig 6/7)
 *   18     1     info               enum rc_node_info
 *   19     1     booting            1 from power-on until nexus
 *   20     1     connected          Connected_Channels bitmap
 *   21     1     comm_channel       node-communications channel now used
 *   22     1     master             node ID it takes as master, 0xff none
 *   23     1     flags              RC_SLOTF_*
 *   24     4     incarnation        boot number, new on every start
 *   28     4     reserved
 *   32     8     heartbeat          +1 on every write
 *   40     8     generation         configuration generation it runs
 *   48     4     kill_mask          Node_Kill requests: bit n kills node n
 *   52     4     reserved
 *   56     128   kill_incarnation[32]  ... only in that incarnation
 *   184    32    peer_state[32]     writer's view of every node (fig 6)
 *   216    32    peer_info[32]
 *   248    32    holder[32]         reservation table 390, 0xff none
 *   280    24    rebuild            struct rc_wire_rebuild (last known)
 *   304    56    inquiry            struct rc_inquiry_data (booting @36)
 *   360    3736  reserved (zero)
 *
 * Mailbox (sender s -> receiver r), 4096 bytes:
 *
 *   0      64    header, struct rc_mbox_header
 *   64     1008  msg[0]  struct rc_mbox_msg (48-byte header + 960 payload)
 *   1072   1008  msg[1]
 *   2080   1008  msg[2]
 *   3088   1008  msg[3]
 *
 * Messages are numbered per stream (sender incarnation, receiver
 * incarnation) from 1.  The box holds the sender's unacknowledged
 * messages, oldest first; the receiver acknowledges in its own box back
 * (ack = highest sequence consumed, ack_incarnation = the sender's
 * incarnation it belongs to), and the sender then drops them.  A receiver
 * consumes each sequence once, in order, so rewriting a box is idempotent.
 */
#ifndef RAIDCLUSTER_SLOTS_H
#define RAIDCLUSTER_SLOTS_H

#include "abi.h"
#include "layout.h"
#include "wire.h"

#define RC_SLOT_MAGIC 0x31544f4c534c4352ull	/* "RCLSLOT1" as LE u64 */
#define RC_MBOX_MAGIC 0x31584f424d4c4352ull	/* "RCLMBOX1" as LE u64 */
#define RC_SLOTS_VERSION 1u
#define RC_NO_NODE 0xff

/* Node_State (patent "Data Structures"); figures 6 and 7. */
enum rc_node_state {
	RC_NS_NONE = 0,		/* not a node we know of */
	RC_NS_MASTER = 1,
	RC_NS_NEW_SLAVE = 2,
	RC_NS_DIAGNOSED_SLAVE = 3,
	RC_NS_RESTARTED_SLAVE = 4,
	RC_NS_FAILED_SLAVE = 5,
	RC_NS_NEXUS_SLAVE = 6,
	RC_NS_ACTIVE_SLAVE = 7,
	RC_NS_KILLED_SLAVE = 8,
	RC_NS_MAX
};

/* Node_State_Info. */
enum rc_node_info {
	RC_NI_NONE = 0,
	RC_NI_STARTING_UP = 1,
	RC_NI_WAITING_FOR_NEGOTIATIONS = 2,
	RC_NI_NEGOTIATING = 3,
	RC_NI_FAILED_DIAGNOSTICS = 4,
	RC_NI_TIMED_OUT_ON_NEGOTIATIONS = 5,
	RC_NI_CHANGING_CONFIGURATION = 6,
	RC_NI_FAILED_COMMUNICATIONS_TEST = 7,
	RC_NI_COMPLETED_STARTUP = 8,
	RC_NI_REBUILDING = 9,
	/* reasons beyond the patent's list, for KILLED/FAILED */
	RC_NI_CONFIG_MISMATCH = 10,	/* fig 13 step 1315 */
	RC_NI_CONFIG_WRITE_FAILED = 11,	/* fig 13 steps 1325/1335 */
	RC_NI_CABLE_FAILURE = 12,	/* fig 17 step 1750, fig 15 1565 */
	RC_NI_KILLED = 13,		/* Node_Kill received (step 1135) */
	RC_NI_HEARTBEAT_LOST = 14,	/* fig 17 steps 1720/1725 */
	RC_NI_DUPLICATE_ID = 15,	/* a live node already has our ID */
	RC_NI_MAX
};

/* struct rc_slot.flags */
#define RC_SLOTF_SUSPENDED 0x1	/* in suspension mode, awaiting a human */

struct rc_slot {
	__le64 magic;
	__le32 version;
	__le32 crc;
	__u8 node_id;
	__u8 state;
	__u8 info;
	__u8 booting;
	__u8 connected;
	__u8 comm_channel;
	__u8 master;
	__u8 flags;
	__le32 incarnation;
	__le32 reserved0;
	__le64 heartbeat;
	__le64 generation;
	__le32 kill_mask;
	__le32 reserved1;
	__le32 kill_incarnation[RC_MAX_NODES];
	__u8 peer_state[RC_MAX_NODES];
	__u8 peer_info[RC_MAX_NODES];
	__u8 holder[RC_MAX_LDS];
	struct rc_wire_rebuild rebuild;
	struct rc_inquiry_data inquiry;
	__u8 reserved[3736];
};
RC_STATIC_ASSERT(sizeof(struct rc_slot) == RC_SLOT_BYTES, "rc_slot size");
RC_STATIC_ASSERT(__builtin_offsetof(struct rc_slot, inquiry) == 304,
		 "rc_slot inquiry offset");

#define RC_MBOX_MSGS 4		/* queued messages per box */
#define RC_MSG_HDR_BYTES 48u

/* struct rc_mbox_msg.flags */
#define RC_MSGF_RESPONSE 0x1	/* answer to reply_to; cdb echoes the command */

struct rc_mbox_msg {
	__le32 seq;		/* 1.. within the stream; 0 = empty */
	__le16 len;		/* payload bytes used */
	__u8 ld;		/* logical drive (full number; LUN = ld & 7) */
	__u8 flags;		/* RC_MSGF_* */
	__u8 cdb[RC_CDB10_LEN];	/* struct rc_cdb10, bit-exact */
	__u8 status;		/* response: RC_SCSI_* */
	__u8 reserved0;
	__le32 reply_to;	/* response: seq of the command answered */
	__le32 op;		/* sender's operation id, echoed in responses */
	__u8 reserved[20];
	__u8 payload[RC_WIRE_MAX_PAYLOAD];
};
RC_STATIC_ASSERT(sizeof(struct rc_mbox_msg) ==
		 RC_MSG_HDR_BYTES + RC_WIRE_MAX_PAYLOAD, "rc_mbox_msg size");

struct rc_mbox_header {
	__le64 magic;
	__le32 version;
	__le32 crc;		/* CRC32C of the whole box, this field 0 */
	__le64 write_count;	/* +1 on every write of the box */
	__u8 sender;
	__u8 receiver;
	__u8 nmsgs;		/* msg[0..nmsgs) valid, seq ascending */
	__u8 reserved0;
	__le32 sender_incarnation;
	__le32 receiver_incarnation;	/* messages are for this life of r */
	__le32 ack;		/* highest seq consumed from r -> s */
	__le32 ack_incarnation;	/* ... in this incarnation of r */
	__u8 reserved[20];
};
RC_STATIC_ASSERT(sizeof(struct rc_mbox_header) == 64, "rc_mbox_header size");

struct rc_mbox {
	struct rc_mbox_header h;
	struct rc_mbox_msg msg[RC_MBOX_MSGS];
};
RC_STATIC_ASSERT(sizeof(struct rc_mbox) == RC_MBOX_BYTES, "rc_mbox size");

#endif /* RAIDCLUSTER_SLOTS_H */
