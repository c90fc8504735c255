// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The portable C cases of lib/proto (tests/cases/proto_*) as KUnit suites:
 * one suite per X-macro list, one kunit_case per entry, so a case added to
 * a list runs here and in GoogleTest (tests/unit/proto_cases_test.cpp) with
 * no other edit.  Built into a UML kernel by tests/kunit/run.sh.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "proto_codec_cases.h"
#include "proto_fsm_cases.h"
#include "proto_node_cases.h"

static struct kunit_case rc_proto_codec_kunit_cases[] = {
	RC_PROTO_CODEC_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_proto_codec_kunit_suite = {
	.name = "rc_proto_codec",
	.test_cases = rc_proto_codec_kunit_cases,
};

static struct kunit_case rc_proto_fsm_kunit_cases[] = {
	RC_PROTO_FSM_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_proto_fsm_kunit_suite = {
	.name = "rc_proto_fsm",
	.test_cases = rc_proto_fsm_kunit_cases,
};

static struct kunit_case rc_proto_node_kunit_cases[] = {
	RC_PROTO_NODE_CASES(RC_KUNIT_CASE)
	{}
};

static struct kunit_suite rc_proto_node_kunit_suite = {
	.name = "rc_proto_node",
	.test_cases = rc_proto_node_kunit_cases,
};

kunit_test_suites(&rc_proto_codec_kunit_suite, &rc_proto_fsm_kunit_suite,
		  &rc_proto_node_kunit_suite);

MODULE_LICENSE("Dual MIT/GPL");
