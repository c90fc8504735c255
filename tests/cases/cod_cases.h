/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Test cases of lib/cod.c, run by KUnit and GoogleTest (rc_test.h). */
#ifndef RC_COD_CASES_H
#define RC_COD_CASES_H

#include "rc_test.h"

#define RC_COD_CASES(X)                                                       \
	X(cod_roundtrip)                                                      \
	X(cod_byte_layout)                                                    \
	X(cod_encode_normalizes)                                              \
	X(cod_encode_refuses_invalid)                                         \
	X(cod_bad_length)                                                     \
	X(cod_no_magic)                                                       \
	X(cod_bit_flip_every_region)                                          \
	X(cod_version)                                                        \
	X(cod_field_errors)                                                   \
	X(cod_torn_copy_skipped)                                              \
	X(cod_pick_newest)                                                    \
	X(cod_pick_foreign_cluster)                                           \
	X(cod_check_new_ld_ok)                                                \
	X(cod_check_new_ld_errors)                                            \
	X(cod_find_disk)                                                      \
	X(cod_find_replaced)                                                  \
	X(cod_names)                                                          \
	X(cod_fuzz)

RC_COD_CASES(RC_TEST_DECLARE)

#endif /* RC_COD_CASES_H */
