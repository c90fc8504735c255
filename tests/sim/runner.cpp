// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "runner.hpp"

#include <atomic>
#include <thread>

namespace rcsim {

int nodes_for_seed(uint64_t seed, const std::vector<int> &nodes) {
  return nodes[seed % nodes.size()];
}

RunResult run_one(uint64_t seed, int nodes, const ScenarioParams &p) {
  Scenario s = make_scenario(seed, nodes, p);
  Trace tr(Trace::Mode::Hash);
  Cluster c(s, tr);
  RunResult r;
  r.seed = seed;
  r.nodes = nodes;
  r.ok = c.run();
  r.violations = c.violations();
  r.stats = c.stats();
  r.trace_hash = tr.hash();
  for (int k = 0; k < 16; k++)
    r.faults[k] = r.stats.faults[k];
  return r;
}

std::vector<RunResult> run_many(uint64_t first, uint64_t count, const std::vector<int> &nodes,
                                const ScenarioParams &p, int jobs) {
  std::vector<RunResult> out(count);
  std::atomic<uint64_t> next{0};
  auto worker = [&]() {
    for (;;) {
      uint64_t i = next.fetch_add(1);
      if (i >= count)
        return;
      uint64_t seed = first + i;
      out[i] = run_one(seed, nodes_for_seed(seed, nodes), p);
    }
  };
  if (jobs < 1)
    jobs = 1;
  std::vector<std::thread> th;
  for (int j = 1; j < jobs; j++)
    th.emplace_back(worker);
  worker();
  for (auto &t : th)
    t.join();
  return out;
}

} // namespace rcsim
