// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The safety and liveness properties the simulator checks after every
// step, over two kinds of facts:
//   - NodeView: what one node's library state says (role, master, nexus,
//     reservation table, rebuild, disks it marks dead, suspended), read
//     through the library's own accessors after each event;
//   - Truth: what the simulator knows physically (which nodes are up,
//     which cables are plugged, which disks really failed, when the last
//     fault touched a node, which host Reserve() calls completed GOOD).
// The checker holds no protocol logic: it only compares these facts, so a
// planted lie in one node's state is caught (tests/unit/sim_invariants_test).
#ifndef RCSIM_INVARIANTS_HPP
#define RCSIM_INVARIANTS_HPP

#include "trace.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

// printf into a std::string (for invariant messages).
std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

constexpr int kMaxLds = 32;

struct NodeView {
  bool up = false;            // running (not crashed or powered off)
  bool suspended = false;     // the library suspended itself / was killed
  bool master = false;        // believes it is the master
  bool nexus = false;         // startup complete: master, or NEXUS slave
  int master_id = -1;         // the master it believes in, -1 none
  int8_t holder[kMaxLds];     // reservation table: node id or -1
  int rebuilding_ld = -1;     // LD whose rebuild this node runs, -1 none
  uint64_t dead_disks = 0;    // bit d: this node's host config marks d failed
  bool lease_running = false; // its lease has not ended by its own clock

  NodeView() {
    for (auto &h : holder)
      h = -1;
  }
};

struct NodeTruth {
  bool up = false;
  bool all_cables = true;           // every cable of this node is plugged
  bool reaches_any = true;          // at least one live disk reachable
  SimTime isolated_since = 0;       // valid when !reaches_any
  SimTime disturbed_at = 0;         // last fault touching this node or boot
  bool operator_suspend_ok = false; // a cable of it was pulled since boot:
                                    // it may wait suspended for the operator
  SimTime frozen_until = 0;         // Freeze: it runs nothing before
  SimTime hang_until = 0;           // HangIo: its I/O waits until
  bool fenced_at_disks = false;     // every disk it reaches refuses its
                                    // writes (its key was preempted)
};

struct Truth {
  SimTime now = 0;
  SimTime last_fault = 0;    // last fault anywhere in the cluster
  uint64_t failed_disks = 0; // bit d: disk d really failed
  std::vector<NodeTruth> node;
  // grants[ld]: bitmap of nodes whose host Reserve(ld) completed GOOD and
  // that have not released it since (nor crashed/reset).
  uint64_t grants[kMaxLds] = {};
  // bit n: node n runs a rebuild engine (RC_ACT_REBUILD_START, not stopped)
  uint64_t engines = 0;
  // bit d: some COD copy on the disks marks disk d failed
  uint64_t cod_dead = 0;
  // bit d: some COD copy marked disk d FAILED and a later write of that
  // copy marked it ONLINE again (the simulator replaces no disk, so no
  // rebuild can ever bring one back)
  uint64_t cod_revived = 0;
};

struct Bounds {
  SimTime settle = 3000000;     // reservation traffic settles within
  SimTime converge = 10000000;  // master election converges within
  SimTime fence = 5000000;      // ... and a dead holder's drive is freed
                                // this much later (lease 3 s, drain 1 s,
                                // a heartbeat to read the master's table)
  SimTime nexus = 15000000;     // a live healthy node reaches NEXUS within
  SimTime suspend = 10000000;   // an isolated node suspends within
  SimTime command = 20000000;   // a host command completes within, once
                                // faults stop (reserve retries, fences,
                                // a negotiation, a commit)
  SimTime dead_grace = 2000000; // a node in nexus may mark a healthy disk dead
                                // this long (while its cable check runs)
};

struct Violation {
  SimTime t;
  int node;
  std::string what;
};

class Checker {
public:
  // Running and not frozen (nor just woken: a heartbeat to see the news).
  static bool awake(const Truth &t, int n);
  // The last fault, or the last wake-up of a frozen node.
  static SimTime last_disturbance(const Truth &t);
  explicit Checker(Bounds b = Bounds()) : b_(b) {}

  // Every step: the safety properties that hold at all times.
  void check_step(const std::vector<NodeView> &v, const Truth &t);
  // Once reservation traffic has settled (no host reservation command
  // within Bounds::settle): tables agree, one self-holder per LD.
  void check_settled(const std::vector<NodeView> &v, const Truth &t);
  // Liveness, checked when no fault happened for the bound in question.
  void check_liveness(const std::vector<NodeView> &v, const Truth &t);

  // A host Reserve(ld) on @node just completed GOOD (call before adding
  // @node to Truth::grants).
  void on_grant(int node, int ld, const std::vector<NodeView> &v, const Truth &t);
  // @node accepted host I/O to @ld.
  void on_io_accepted(int node, int ld, const std::vector<NodeView> &v, const Truth &t);

  // The library did something no host can carry out (bad action, refused
  // start): always a violation.
  void report(SimTime t, int node, std::string what) { fail(t, node, std::move(what)); }

  const std::vector<Violation> &violations() const { return viol_; }
  const Bounds &bounds() const { return b_; }

private:
  void fail(SimTime t, int node, std::string what);
  // A node that can still touch data: up, not suspended, some path.
  static bool harmful(const std::vector<NodeView> *v, const Truth &t, int n);

  Bounds b_;
  std::vector<Violation> viol_;
  std::vector<SimTime> wrong_dead_since_; // per node, 0: not now
};

} // namespace rcsim

#endif
