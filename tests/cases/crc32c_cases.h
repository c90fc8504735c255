/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Test cases of lib/crc32c.c, run by KUnit and GoogleTest (rc_test.h). */
#ifndef RC_CRC32C_CASES_H
#define RC_CRC32C_CASES_H

#include "rc_test.h"

#define RC_CRC32C_CASES(X)                                                    \
	X(crc32c_check_value)                                                 \
	X(crc32c_rfc3720_vectors)                                             \
	X(crc32c_empty)                                                       \
	X(crc32c_incremental)                                                 \
	X(crc32c_detects_every_bit_flip)                                      \
	X(crc32c_matches_bitwise_reference)

RC_CRC32C_CASES(RC_TEST_DECLARE)

#endif /* RC_CRC32C_CASES_H */
