// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The portable C cases of lib/ (tests/cases/) as KUnit suites: one suite
 * per X-macro list, one kunit_case per entry, so a case added to a list
 * runs here and in GoogleTest (tests/unit/lib_cases_test.cpp) with no
 * other edit.  Built into a UML kernel by tests/kunit/run.sh.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "crc32c_cases.h"
#include "geom_cases.h"
#include "cod_cases.h"
#include "pr_key_cases.h"

static struct kunit_case rc_crc32c_kunit_cases[] = {
	RC_CRC32C_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_crc32c_kunit_suite = {
	.name = "rc_crc32c",
	.test_cases = rc_crc32c_kunit_cases,
};

static struct kunit_case rc_geom_kunit_cases[] = {
	RC_GEOM_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_geom_kunit_suite = {
	.name = "rc_geom",
	.test_cases = rc_geom_kunit_cases,
};

static struct kunit_case rc_cod_kunit_cases[] = {
	RC_COD_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_cod_kunit_suite = {
	.name = "rc_cod",
	.test_cases = rc_cod_kunit_cases,
};

static struct kunit_case rc_pr_key_kunit_cases[] = {
	RC_PR_KEY_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_pr_key_kunit_suite = {
	.name = "rc_pr_key",
	.test_cases = rc_pr_key_kunit_cases,
};

kunit_test_suites(&rc_crc32c_kunit_suite, &rc_geom_kunit_suite,
		  &rc_cod_kunit_suite, &rc_pr_key_kunit_suite);

MODULE_LICENSE("Dual MIT/GPL");
