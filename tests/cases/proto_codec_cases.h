/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Cases of lib/proto/codec.c, run by KUnit and GoogleTest (rc_test.h). */
#ifndef RC_PROTO_CODEC_CASES_H
#define RC_PROTO_CODEC_CASES_H

#include "rc_test.h"

#define RC_PROTO_CODEC_CASES(X)                                               \
	X(proto_cdb_every_command_bytes)                                      \
	X(proto_cdb_read_write_address_count)                                 \
	X(proto_cdb_refuses_bad_fields)                                       \
	X(proto_cdb_heartbeat_tur)                                            \
	X(proto_cdb_inquiry)                                                  \
	X(proto_inquiry_data_booting_flag)                                    \
	X(proto_negotiate_roundtrip)                                          \
	X(proto_negotiate_refuses_bad_fields)                                 \
	X(proto_small_payloads_roundtrip)                                     \
	X(proto_slot_roundtrip_and_layout)                                    \
	X(proto_slot_torn_and_foreign)                                        \
	X(proto_mbox_roundtrip_and_layout)                                    \
	X(proto_mbox_torn_stale_and_bad)                                      \
	X(proto_fuzz_random_blocks)                                           \
	X(proto_fuzz_bit_flips)

RC_PROTO_CODEC_CASES(RC_TEST_DECLARE)

#endif /* RC_PROTO_CODEC_CASES_H */
