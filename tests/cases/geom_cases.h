/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Test cases of lib/geom.c, run by KUnit and GoogleTest (rc_test.h). */
#ifndef RC_GEOM_CASES_H
#define RC_GEOM_CASES_H

#include "rc_test.h"

#define RC_GEOM_CASES(X)                                                      \
	X(geom_init_errors)                                                   \
	X(geom_min_members)                                                   \
	X(geom_capacity)                                                      \
	X(geom_raid0_table)                                                   \
	X(geom_raid1_copies)                                                  \
	X(geom_raid10_near_table)                                             \
	X(geom_raid5_left_symmetric_table)                                    \
	X(geom_raid5_five_members)                                            \
	X(geom_raid5_row_members)                                             \
	X(geom_map_pieces)                                                    \
	X(geom_map_clamps_at_capacity)                                        \
	X(geom_unmap_bijection)                                               \
	X(geom_large_lba)

RC_GEOM_CASES(RC_TEST_DECLARE)

#endif /* RC_GEOM_CASES_H */
