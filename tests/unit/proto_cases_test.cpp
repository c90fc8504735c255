// The portable C cases of lib/proto (tests/cases/proto_*) as GoogleTest
// tests: one TEST() per entry of each X-macro list, so a case added to a
// list runs here and in KUnit (tests/kunit/proto_kunit.c) with no other edit.
#include <gtest/gtest.h>

extern "C" {
#include "../cases/proto_codec_cases.h"
#include "../cases/proto_fsm_cases.h"
#include "../cases/proto_node_cases.h"
}

#define RC_PROTO_CODEC_TEST(name) RC_GTEST_CASE(proto_codec, name)
#define RC_PROTO_FSM_TEST(name) RC_GTEST_CASE(proto_fsm, name)
#define RC_PROTO_NODE_TEST(name) RC_GTEST_CASE(proto_node, name)

RC_PROTO_CODEC_CASES(RC_PROTO_CODEC_TEST)
RC_PROTO_FSM_CASES(RC_PROTO_FSM_TEST)
RC_PROTO_NODE_CASES(RC_PROTO_NODE_TEST)
