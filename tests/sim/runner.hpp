// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Running many scenarios: each seed is one independent Cluster, so seeds
// run in parallel on worker threads and the result of a seed does not
// depend on which thread ran it or in which order.
#ifndef RCSIM_RUNNER_HPP
#define RCSIM_RUNNER_HPP

#include "cluster.hpp"
#include "scenario.hpp"

#include <string>
#include <vector>

namespace rcsim {

struct RunResult {
  uint64_t seed = 0;
  int nodes = 0;
  bool ok = true;
  std::vector<Violation> violations;
  Stats stats;
  uint64_t trace_hash = 0;
  uint64_t faults[16] = {}; // per FaultKind
};

// The node count a soak gives @seed when cycling through @nodes.
int nodes_for_seed(uint64_t seed, const std::vector<int> &nodes);

// Run one scenario (no trace text).
RunResult run_one(uint64_t seed, int nodes, const ScenarioParams &p);

// Run @count seeds from @first on @jobs threads.
std::vector<RunResult> run_many(uint64_t first, uint64_t count, const std::vector<int> &nodes,
                                const ScenarioParams &p, int jobs);

} // namespace rcsim

#endif
