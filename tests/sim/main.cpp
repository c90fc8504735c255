// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// rcsim: the deterministic multi-node simulator of the raidcluster
// protocol (Documentation/simulator.md).
//
//   rcsim --seed S --nodes K [--trace]     one scenario; --trace prints
//                                          the plan and every event
//   rcsim --seeds N [--first S] [--nodes 2,3,4,8] [--jobs J]
//                                          a soak: seed i runs with the
//                                          node count list[i % len]
//   rcsim --check [--jobs J]               the fixed budget of make check
//   --lease-only (with any of them)        disks without persistent
//                                          reservations: the lease alone
//                                          fences (freeze-clock faults
//                                          then make two writers)
#include "runner.hpp"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>

using namespace rcsim;

static void usage() {
  fprintf(stderr, "usage: rcsim --seed S --nodes K [--trace]\n"
                  "       rcsim --seeds N [--first S] [--nodes 2,3,4,8] [--jobs J]\n"
                  "       rcsim --check [--jobs J]\n"
                  "       any of them with --lease-only: disks without persistent reservations\n");
  exit(2);
}

static uint64_t number(const char *opt, const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s ? s : "", &end, 0);
  if (!s || !*s || *end || errno) {
    fprintf(stderr, "rcsim: %s needs a number, got '%s'\n", opt, s ? s : "");
    exit(2);
  }
  return v;
}

static std::vector<int> node_list(const char *s) {
  std::vector<int> out;
  std::string str = s ? s : "";
  size_t pos = 0;
  while (pos <= str.size()) {
    size_t comma = str.find(',', pos);
    std::string item =
        str.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    uint64_t n = number("--nodes", item.c_str());
    if (n < 1 || n > 32) {
      fprintf(stderr, "rcsim: --nodes must be 1..32, got %llu\n", (unsigned long long)n);
      exit(2);
    }
    out.push_back((int)n);
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return out;
}

static int replay(uint64_t seed, int nodes, bool trace, const ScenarioParams &p) {
  Scenario s = make_scenario(seed, nodes, p);
  Trace tr(trace ? Trace::Mode::Live : Trace::Mode::Tail, 40);
  if (trace)
    fputs(describe(s).c_str(), stdout);
  Cluster c(s, tr);
  bool ok = c.run();
  if (!ok && !trace) {
    printf("last events before the end of seed %llu:\n", (unsigned long long)seed);
    for (const auto &l : tr.tail())
      printf("  %s\n", l.c_str());
  }
  const Stats &st = c.stats();
  printf("seed %llu nodes %d: ran %.1f of %.1f s, %llu events, %llu I/Os, %llu grants, %llu "
         "conflicts, "
         "%llu I/O accepted, %llu suspends, %llu restarts, %llu rebuilds, trace %016llx\n",
         (unsigned long long)seed, nodes, st.ended / 1e6, s.end / 1e6,
         (unsigned long long)st.events, (unsigned long long)st.ios, (unsigned long long)st.grants,
         (unsigned long long)st.conflicts, (unsigned long long)st.io_accepted,
         (unsigned long long)st.suspends, (unsigned long long)st.restarts,
         (unsigned long long)st.rebuilds, (unsigned long long)tr.hash());
  for (const auto &v : c.violations())
    printf("VIOLATION at %.6f s node %d: %s\n", v.t / 1e6, v.node, v.what.c_str());
  printf("sim: 1 scenarios, %zu violations\n", c.violations().size());
  return ok ? 0 : 1;
}

// Run a batch, print failures and the summary; returns scenarios failed.
static uint64_t batch(uint64_t first, uint64_t count, const std::vector<int> &nodes,
                      const ScenarioParams &p, int jobs, uint64_t *violations) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<RunResult> res = run_many(first, count, nodes, p, jobs);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t failed = 0, viol = 0, shown = 0;
  Stats sum;
  uint64_t faults[16] = {};
  SimTime simulated = 0;
  for (const auto &r : res) {
    sum.events += r.stats.events;
    sum.ios += r.stats.ios;
    sum.grants += r.stats.grants;
    sum.conflicts += r.stats.conflicts;
    sum.io_accepted += r.stats.io_accepted;
    sum.suspends += r.stats.suspends;
    sum.restarts += r.stats.restarts;
    sum.rebuilds += r.stats.rebuilds;
    sum.commits += r.stats.commits;
    sum.takeovers += r.stats.takeovers;
    for (int k = 0; k < 16; k++)
      faults[k] += r.faults[k];
    simulated += r.stats.ended;
    if (r.ok)
      continue;
    failed++;
    viol += r.violations.size();
    if (shown++ < 20)
      printf("FAIL seed %llu nodes %d: %s (%zu violations)\n"
             "     replay: build/rcsim --seed %llu --nodes %d --trace\n",
             (unsigned long long)r.seed, r.nodes, r.violations[0].what.c_str(), r.violations.size(),
             (unsigned long long)r.seed, r.nodes);
  }
  // Failures by kind (the first violation of each failing seed, digits
  // blanked), with a few seeds to replay: where to start triage.
  std::map<std::string, std::vector<std::pair<uint64_t, int>>> kinds;
  for (const auto &r : res) {
    if (r.ok)
      continue;
    // Numbers (decimal, or hex after 0x) become one '#'.
    const std::string &w = r.violations[0].what;
    std::string k;
    for (size_t i = 0; i < w.size(); i++) {
      if (!isdigit((unsigned char)w[i])) {
        k += w[i];
        continue;
      }
      bool hex = w[i] == '0' && i + 1 < w.size() && w[i + 1] == 'x';
      i += hex ? 2 : 0;
      while (i < w.size() && (hex ? isxdigit((unsigned char)w[i]) : isdigit((unsigned char)w[i])))
        i++;
      i--;
      k += '#';
    }
    kinds[k].push_back({r.seed, r.nodes});
  }
  for (const auto &k : kinds) {
    printf("sim: %zu x %s: seeds", k.second.size(), k.first.c_str());
    for (size_t i = 0; i < k.second.size() && i < 5; i++)
      printf(" %llu/%dn", (unsigned long long)k.second[i].first, k.second[i].second);
    printf("\n");
  }
  printf("sim: %.1f s wall, %.1f h simulated, %llu events, %llu I/Os\n", secs, simulated / 3.6e9,
         (unsigned long long)sum.events, (unsigned long long)sum.ios);
  printf("sim: faults:");
  for (int k = 0; k <= (int)FaultKind::FreezeClock; k++)
    printf(" %s %llu", fault_name((FaultKind)k), (unsigned long long)faults[k]);
  printf("\nsim: library actions: %llu reserve grants, %llu conflicts, %llu I/O accepted, "
         "%llu takeovers, %llu suspends, %llu restarts, %llu rebuilds, %llu COD commits\n",
         (unsigned long long)sum.grants, (unsigned long long)sum.conflicts,
         (unsigned long long)sum.io_accepted, (unsigned long long)sum.takeovers,
         (unsigned long long)sum.suspends, (unsigned long long)sum.restarts,
         (unsigned long long)sum.rebuilds, (unsigned long long)sum.commits);
  printf("sim: %llu scenarios, %llu violations\n", (unsigned long long)count,
         (unsigned long long)viol);
  *violations = viol;
  return failed;
}

int main(int argc, char **argv) {
  uint64_t seed = 0, seeds = 0, first = 1;
  bool have_seed = false, trace = false, check = false, lease_only = false;
  std::vector<int> nodes;
  int jobs = (int)std::thread::hardware_concurrency();
  if (jobs > 2)
    jobs = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!strcmp(a, "--seed")) {
      seed = number(a, v), have_seed = true, i++;
    } else if (!strcmp(a, "--seeds")) {
      seeds = number(a, v), i++;
    } else if (!strcmp(a, "--first")) {
      first = number(a, v), i++;
    } else if (!strcmp(a, "--nodes")) {
      nodes = node_list(v), i++;
    } else if (!strcmp(a, "--jobs")) {
      jobs = (int)number(a, v), i++;
    } else if (!strcmp(a, "--trace")) {
      trace = true;
    } else if (!strcmp(a, "--check")) {
      check = true;
    } else if (!strcmp(a, "--lease-only")) {
      lease_only = true;
    } else {
      fprintf(stderr, "rcsim: unknown option '%s'\n", a);
      usage();
    }
  }
  if (jobs < 1 || jobs > 64) {
    fprintf(stderr, "rcsim: --jobs must be 1..64\n");
    return 2;
  }
  ScenarioParams p;
  p.disk_pr = !lease_only;
  if (have_seed) {
    if (nodes.size() != 1) {
      fprintf(stderr, "rcsim: --seed needs exactly one --nodes K\n");
      return 2;
    }
    return replay(seed, nodes[0], trace, p);
  }
  if (check) {
    // The budget of `make check`: 10,000 seeds over 2, 3, 4 and 8 nodes
    // (5,000 / 3,000 / 1,500 / 500).  An 8-node scenario costs ~17 times
    // a 2-node one (every node polls every peer's box), and the small
    // clusters are where the interleavings of the same nodes repeat most.
    static const std::vector<int> mix = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                                         3, 3, 3, 3, 3, 3, 4, 4, 4, 8};
    uint64_t viol = 0;
    uint64_t failed = batch(1, 10000, mix, p, jobs, &viol);
    printf("sim: %llu passed, %llu failed\n", (unsigned long long)(10000 - failed),
           (unsigned long long)failed);
    return failed ? 1 : 0;
  }
  if (seeds == 0)
    usage();
  if (nodes.empty())
    nodes = {2, 3, 4, 8};
  uint64_t viol = 0;
  uint64_t failed = batch(first, seeds, nodes, p, jobs, &viol);
  return failed ? 1 : 0;
}
