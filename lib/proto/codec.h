/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Codecs of the protocol's wire and slot formats (wire.h, slots.h):
 * host-order structures <-> exact bytes.  Encoders are total over valid
 * input; decoders take any bytes (torn, stale, hostile) and either fill
 * the host structure or return a negative errno:
 *
 *   -ENOENT   never written (no magic / all zero)
 *   -EBADMSG  CRC mismatch: torn or corrupt block
 *   -EPROTO   newer version or unknown opcode
 *   -EINVAL   a field out of range, a reserved byte or bit not zero,
 *             or a length that is not the structure's
 */
#ifndef RC_PROTO_CODEC_H
#define RC_PROTO_CODEC_H

#include "rc_base.h"
#include "../../include/raidcluster/wire.h"
#include "../../include/raidcluster/slots.h"
#include "../../include/raidcluster/cod.h"

/* --- CDBs (tables 3-18) -------------------------------------------------- */

struct rc_cmd {
	u8 dcmd;		/* enum rc_dcmd */
	u8 lun;			/* 0..7 */
	u32 addr;		/* Node_Read/Node_Write only, else 0 */
	u16 count;		/* Node_Read/Node_Write only, else 0 */
};

/* True for the commands whose bytes 3-8 carry address and count. */
bool rc_dcmd_has_addr(u8 dcmd);
const char *rc_dcmd_name(unsigned int dcmd);

/* Encode @c into 10 bytes; -EINVAL if dcmd/lun out of range or an
 * address/count given to a command that has none.
 */
int rc_cdb10_encode(u8 *cdb, const struct rc_cmd *c);
int rc_cdb10_decode(const u8 *cdb, size_t len, struct rc_cmd *c);

/* Heartbeat() = TEST UNIT READY (table 17). */
int rc_cdb_tur_encode(u8 *cdb, u8 lun);
int rc_cdb_tur_decode(const u8 *cdb, size_t len, u8 *lun);

/* Inquiry() (table 18). */
struct rc_inq_cmd {
	u8 lun;
	bool evpd, cmddt;
	u8 page;
	u8 alloc_len;
};
int rc_cdb_inquiry_encode(u8 *cdb, const struct rc_inq_cmd *c);
int rc_cdb_inquiry_decode(const u8 *cdb, size_t len, struct rc_inq_cmd *c);

/* Standard inquiry data of a node (tables 19-20). */
struct rc_inq_info {
	u8 node_id;
	bool booting;		/* byte 36 */
	u32 incarnation;
	char revision[5];	/* NUL terminated */
};
void rc_inquiry_data_encode(struct rc_inquiry_data *d,
			    const struct rc_inq_info *i);
int rc_inquiry_data_decode(const void *buf, size_t len,
			   struct rc_inq_info *i);

/* --- payloads -------------------------------------------------------------- */

struct rc_neg {
	u8 ld_state[RC_MAX_LDS];
	u8 ld_level[RC_MAX_LDS];
	u8 holder[RC_MAX_LDS];			/* RC_HOLDER_NONE */
	u16 pd_disk[RC_MAX_CHANNELS][RC_MAX_TARGETS];	/* RC_PD_NONE */
	u8 pd_state[RC_MAX_CHANNELS][RC_MAX_TARGETS];
	u64 generation;
	u32 cod_crc;
	u32 nlds, ndisks;
	u32 flags;				/* RC_NEGF_* */
	u8 cluster_uuid[16];
};

/* Empty mailbox: no drives, every holder and pd slot NONE. */
void rc_neg_init(struct rc_neg *m);
int rc_neg_encode(struct rc_wire_negotiate *w, const struct rc_neg *m);
int rc_neg_decode(const void *buf, size_t len, struct rc_neg *m);

struct rc_neg_reply {
	u8 result;		/* enum rc_neg_result */
	u64 generation;
};
int rc_neg_reply_encode(struct rc_wire_negotiate_reply *w,
			const struct rc_neg_reply *r);
int rc_neg_reply_decode(const void *buf, size_t len, struct rc_neg_reply *r);

struct rc_cable_reply {
	u8 channel;
	u8 connected;
};
int rc_cable_reply_encode(struct rc_wire_cable_reply *w,
			  const struct rc_cable_reply *r);
int rc_cable_reply_decode(const void *buf, size_t len,
			  struct rc_cable_reply *r);

#define RC_LD_NONE 0xff
struct rc_rebuild {
	u32 pending, done;	/* drive bitmaps */
	u8 ld;			/* RC_LD_NONE */
	u8 requester;		/* RC_NO_NODE */
	u8 executor;		/* RC_NO_NODE */
	u8 status;		/* RC_SCSI_* */
	u32 progress;		/* 0..1000 */
	u64 run;
};
void rc_rebuild_init(struct rc_rebuild *r);
int rc_rebuild_encode(struct rc_wire_rebuild *w, const struct rc_rebuild *r);
int rc_rebuild_decode(const void *buf, size_t len, struct rc_rebuild *r);

/* --- node slot --------------------------------------------------------------- */

struct rc_slot_info {
	u8 node_id, state, info;
	bool booting;
	u8 connected, comm_channel, master, flags;
	u32 incarnation;
	u64 heartbeat, generation;
	u32 kill_mask;
	u32 kill_incarnation[RC_MAX_NODES];
	u8 peer_state[RC_MAX_NODES];
	u8 peer_info[RC_MAX_NODES];
	u8 holder[RC_MAX_LDS];
	struct rc_rebuild rebuild;
};

/* Encode into a whole 4 KiB block @buf (CRC set). */
int rc_slot_encode(void *buf, const struct rc_slot_info *s);
/* Decode a slot block; @expect_node is the slot index it was read from. */
int rc_slot_decode(const void *buf, size_t len, u8 expect_node,
		   struct rc_slot_info *s);

/* --- mailbox ------------------------------------------------------------------ */

struct rc_msg {
	u32 seq;
	u8 ld;			/* full drive number; CDB LUN = ld & 7 */
	u8 flags;		/* RC_MSGF_* */
	u8 status;		/* responses */
	struct rc_cmd cmd;
	u32 reply_to;
	u32 op;
	u16 len;
	u8 payload[RC_WIRE_MAX_PAYLOAD];
};

struct rc_mbox_info {
	u8 sender, receiver, nmsgs;
	u32 sender_incarnation, receiver_incarnation;
	u32 ack, ack_incarnation;
	u64 write_count;
};

/*
 * Encode a box into the 4 KiB block @buf: header @h (nmsgs ignored) and
 * @n (<= RC_MBOX_MSGS) messages @m with strictly ascending seq.
 */
int rc_mbox_encode(void *buf, const struct rc_mbox_info *h,
		   const struct rc_msg *const *m, unsigned int n);
/*
 * Check a whole box block read from the (@sender -> @receiver) position:
 * magic, version, CRC, addressing, every message header.  Fills @h.
 * Messages are then taken one by one with rc_mbox_msg_decode().
 */
int rc_mbox_decode(const void *buf, size_t len, u8 sender, u8 receiver,
		   struct rc_mbox_info *h);
/* Decode message @i (< h->nmsgs) of a box rc_mbox_decode() accepted. */
int rc_mbox_msg_decode(const void *buf, unsigned int i, struct rc_msg *m);

#endif /* RC_PROTO_CODEC_H */
