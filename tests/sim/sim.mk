# tests/sim/: the deterministic multi-node simulator (Documentation/simulator.md).
#
# $(B)/librcsim.a holds the simulator proper (fabric, scheduler, scenario,
# invariants, the cluster driving the real lib/ protocol code); $(B)/rcsim
# is its command line, and the sim_*_test.cpp unit tests link the same
# archive into rc-unit.
#
#   make sim-check                      the fixed budget of `make check`
#   make sim SEEDS=N NODES=K [FIRST=S]  a long soak
#   build/rcsim --seed S --nodes K --trace   replay one seed with its trace
SIM_SRCS := $(filter-out tests/sim/main.cpp,$(wildcard tests/sim/*.cpp))
SIM_OBJS := $(SIM_SRCS:%.cpp=$(B)/%.o)
RCSIM_MAIN := $(B)/tests/sim/main.o
DEPFILES += $(SIM_OBJS:.o=.d) $(RCSIM_MAIN:.o=.d)
TEST_BINS += $(B)/rcsim

$(B)/librcsim.a: $(SIM_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/rcsim: $(RCSIM_MAIN) $(B)/librcsim.a $(B)/librc.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBRC_LIBS) -pthread

# The simulator's own tests, in the one GoogleTest binary.
UNIT_SRCS += $(wildcard tests/unit/sim_*_test.cpp)
UNIT_LIBS += $(B)/librcsim.a $(B)/librc.a $(LIBRC_LIBS)
$(B)/tests/unit/sim_%.o: CPPFLAGS += -I$(TOP)/tests/sim

SEEDS ?= 100000
NODES ?= 2,3,4,8
FIRST ?= 1
SIM_JOBS ?= 2

.PHONY: sim sim-check
# `make check`: >= 10,000 scenarios with faults over 2, 3, 4 and 8 nodes.
sim-check: $(B)/rcsim
	@$(B)/rcsim --check --jobs $(SIM_JOBS)

sim: $(B)/rcsim
	@$(B)/rcsim --seeds $(SEEDS) --first $(FIRST) --nodes $(NODES) --jobs $(SIM_JOBS)
