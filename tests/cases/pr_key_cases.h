/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Test cases of lib/pr_key.c, run by KUnit and GoogleTest (rc_test.h). */
#ifndef RC_PR_KEY_CASES_H
#define RC_PR_KEY_CASES_H

#include "rc_test.h"

#define RC_PR_KEY_CASES(X)                                                    \
	X(pr_key_layout)                                                      \
	X(pr_key_differs_by_node_incarnation_cluster)                         \
	X(pr_key_ours)

RC_PR_KEY_CASES(RC_TEST_DECLARE)

#endif /* RC_PR_KEY_CASES_H */
