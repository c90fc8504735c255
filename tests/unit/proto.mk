# tests/unit/proto.mk: the lib/proto part of the GoogleTest binary
# $(B)/rc-unit: the portable C cases tests/cases/proto_*.c (compiled as C,
# run through rc_test_bridge.cpp) and their GoogleTest list.
PROTO_CASES_SRCS := $(wildcard tests/cases/proto_*.c)

UNIT_SRCS += tests/unit/proto_cases_test.cpp $(PROTO_CASES_SRCS)
UNIT_LIBS += $(B)/librc.a $(LIBRC_LIBS)
