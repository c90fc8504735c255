/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One set of test cases, two runners.
 *
 * Cases for lib/ are written once, in portable C, in the .c files of
 * tests/cases/, and run both by KUnit (tests/kunit/, inside a UML kernel,
 * where lib/ is compiled exactly as in raidcluster.ko) and by GoogleTest
 * (tests/unit/, in user space).  A case is
 *
 *	RC_TEST(cod_roundtrip)
 *	{
 *		struct rc_config *cfg = rc_test_alloc(rc_t, sizeof(*cfg));
 *
 *		RC_ASSERT_TRUE(cfg);
 *		RC_EXPECT_EQ(rc_cod_encode(cfg, buf), 0);
 *	}
 *
 * and each cases file has a header listing its cases as an X-macro:
 *
 *	#define RC_COD_CASES(X) X(cod_roundtrip) X(cod_bad_crc)
 *
 * which tests/kunit/ turns into a kunit_suite (RC_KUNIT_CASE) and tests/unit/
 * into TEST()s (RC_GTEST_CASE).  The function RC_TEST(x) defines is named
 * rc_case_x (RC_TEST_FN(x)): inside the test kernel every case is a global
 * symbol, and every global symbol of the project carries the rc_ prefix.
 *
 * Big objects must come from rc_test_alloc() (kernel stacks are small);
 * it is freed when the case ends.  RC_ASSERT_* ends the case at once, so it
 * may only be used in the case function itself, not in helpers it calls
 * (in user space it is a plain `return`).  Checks compare as long long in
 * user space: compare values, not pointers, with RC_EXPECT_EQ.  In user
 * space a failing check evaluates its arguments a second time to report
 * them, so give checks no side effects (calls that only compute are fine).
 */
#ifndef RC_TEST_H
#define RC_TEST_H

#include "rc_base.h"

#ifdef __KERNEL__
#include <kunit/test.h>

#define RC_TEST_CTX struct kunit *rc_t
#define RC_TEST_FN(name) rc_case_##name
#define RC_TEST(name) void RC_TEST_FN(name)(RC_TEST_CTX)

/* One kunit_case of a suite, named without the rc_case_ prefix. */
#define RC_KUNIT_CASE(c) { .run_case = RC_TEST_FN(c), .name = #c },

#define RC_EXPECT_TRUE(c) KUNIT_EXPECT_TRUE(rc_t, c)
#define RC_EXPECT_FALSE(c) KUNIT_EXPECT_FALSE(rc_t, c)
#define RC_EXPECT_EQ(a, b) KUNIT_EXPECT_EQ(rc_t, a, b)
#define RC_EXPECT_NE(a, b) KUNIT_EXPECT_NE(rc_t, a, b)
#define RC_EXPECT_LT(a, b) KUNIT_EXPECT_LT(rc_t, a, b)
#define RC_EXPECT_LE(a, b) KUNIT_EXPECT_LE(rc_t, a, b)
#define RC_EXPECT_MEMEQ(a, b, n) KUNIT_EXPECT_EQ(rc_t, memcmp(a, b, n), 0)
#define RC_EXPECT_STREQ(a, b) KUNIT_EXPECT_STREQ(rc_t, a, b)
#define RC_ASSERT_TRUE(c) KUNIT_ASSERT_TRUE(rc_t, c)
#define RC_ASSERT_EQ(a, b) KUNIT_ASSERT_EQ(rc_t, a, b)

static inline void *rc_test_alloc(struct kunit *t, size_t size)
{
	return kunit_kzalloc(t, size, GFP_KERNEL);
}

#else /* user space: tests/unit/rc_test_bridge.cpp implements these */

#ifdef __cplusplus
extern "C" {
#endif

struct rc_test_ctx;

#define RC_TEST_CTX struct rc_test_ctx *rc_t
#define RC_TEST_FN(name) rc_case_##name
#define RC_TEST(name) void RC_TEST_FN(name)(RC_TEST_CTX)

/* Report a failed check at file:line; @text is the check as written. */
void rc_test_fail(struct rc_test_ctx *t, const char *file, int line,
		  const char *text, long long a, long long b);
/* Zeroed memory owned by the case, freed when it ends; NULL if out. */
void *rc_test_alloc(struct rc_test_ctx *t, size_t size);
/* Run one case with a fresh context (tests/unit/rc_test_bridge.cpp). */
void rc_test_run(void (*fn)(struct rc_test_ctx *t));

#ifdef __cplusplus
}
#endif

#define RC_CHECK_(cond, text, a, b, fail_action)                              \
	do {                                                                  \
		if (!(cond)) {                                                \
			rc_test_fail(rc_t, __FILE__, __LINE__, text,          \
				     (long long)(a), (long long)(b));         \
			fail_action;                                          \
		}                                                             \
	} while (0)

#define RC_EXPECT_TRUE(c) RC_CHECK_(c, #c, 1, 0, (void)0)
#define RC_EXPECT_FALSE(c) RC_CHECK_(!(c), "!(" #c ")", 0, 1, (void)0)
#define RC_EXPECT_EQ(a, b) RC_CHECK_((a) == (b), #a " == " #b, a, b, (void)0)
#define RC_EXPECT_NE(a, b) RC_CHECK_((a) != (b), #a " != " #b, a, b, (void)0)
#define RC_EXPECT_LT(a, b) RC_CHECK_((a) < (b), #a " < " #b, a, b, (void)0)
#define RC_EXPECT_LE(a, b) RC_CHECK_((a) <= (b), #a " <= " #b, a, b, (void)0)
#define RC_EXPECT_MEMEQ(a, b, n)                                              \
	RC_CHECK_(memcmp(a, b, n) == 0, "memcmp(" #a ", " #b ") == 0", 0, 0,  \
		  (void)0)
#define RC_EXPECT_STREQ(a, b)                                                 \
	RC_CHECK_(strcmp(a, b) == 0, #a " streq " #b, 0, 0, (void)0)
#define RC_ASSERT_TRUE(c) RC_CHECK_(c, #c, 1, 0, return)
#define RC_ASSERT_EQ(a, b) RC_CHECK_((a) == (b), #a " == " #b, a, b, return)

/* One TEST() of GoogleTest (include <gtest/gtest.h> first). */
#define RC_GTEST_CASE(suite, name)                                            \
	TEST(suite, name) { rc_test_run(RC_TEST_FN(name)); }

#endif /* __KERNEL__ */

/* Declares every case of an X-macro list, for the runners. */
#define RC_TEST_DECLARE(name) RC_TEST(name);

#endif /* RC_TEST_H */
