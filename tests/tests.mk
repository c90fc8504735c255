# tests/: every user-space test binary of `make check`.
#
# One GoogleTest binary, $(B)/rc-unit, holds all unit tests; each area
# adds its sources to UNIT_SRCS in its own fragment (included here), so
# nobody edits anybody else's list.  Portable C cases (tests/cases/*.c) are
# compiled as C and bridged into GoogleTest by tests/unit/rc_test_bridge.cpp.
-include tests/unit/unit.mk
-include tests/unit/proto.mk
-include tests/sim/sim.mk

UNIT_OBJS := $(patsubst %.cpp,$(B)/%.o,$(patsubst %.c,$(B)/%.o,$(UNIT_SRCS)))
DEPFILES += $(UNIT_OBJS:.o=.d)
TEST_BINS += $(B)/rc-unit

$(B)/rc-unit: $(UNIT_OBJS) $(filter %.a,$(UNIT_LIBS))
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(filter %.a,$(UNIT_LIBS)) $(filter-out %.a,$(UNIT_LIBS)) -lgtest -lgtest_main -pthread

.PHONY: unit
unit: $(B)/rc-unit
	@bash tests/unit/run.sh $(B)/rc-unit
