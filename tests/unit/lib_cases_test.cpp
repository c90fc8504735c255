// The portable C cases of lib/ (tests/cases/) as GoogleTest tests: one
// TEST() per entry of each X-macro list, so a case added to a list runs
// here and in KUnit (tests/kunit/lib_kunit.c) with no other edit.
#include <gtest/gtest.h>

extern "C" {
#include "../cases/cod_cases.h"
#include "../cases/crc32c_cases.h"
#include "../cases/geom_cases.h"
#include "../cases/pr_key_cases.h"
}

#define RC_CRC32C_TEST(name) RC_GTEST_CASE(crc32c, name)
#define RC_GEOM_TEST(name) RC_GTEST_CASE(geom, name)
#define RC_COD_TEST(name) RC_GTEST_CASE(cod, name)
#define RC_PR_KEY_TEST(name) RC_GTEST_CASE(pr_key, name)

RC_CRC32C_CASES(RC_CRC32C_TEST)
RC_GEOM_CASES(RC_GEOM_TEST)
RC_COD_CASES(RC_COD_TEST)
RC_PR_KEY_CASES(RC_PR_KEY_TEST)
