// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// A simulated cluster: N nodes each running the REAL protocol library
// (lib/proto/node.h) over the shared-disk Fabric, driven by one seeded
// Scheduler.  This file is the "host" of every node -- what
// raidcluster.ko does in the kernel: it performs the library's I/O
// actions on the fabric (with random latency, through the node's own
// cables), keeps the node's configuration (disk table, COD), runs rebuild
// engines, delivers host commands and timer ticks with the node's skewed
// clock, and restarts or suspends the node when told.  It contains no
// protocol decisions of its own.
//
// After every event the node's view is read back through the library's
// query functions and handed, with the physical truth, to the Checker.
#ifndef RCSIM_CLUSTER_HPP
#define RCSIM_CLUSTER_HPP

#include "fabric.hpp"
#include "invariants.hpp"
#include "rng.hpp"
#include "scenario.hpp"
#include "scheduler.hpp"
#include "trace.hpp"

extern "C" {
#include "proto/node.h"
}

#include <map>
#include <memory>
#include <vector>

namespace rcsim {

struct Stats {
  uint64_t events = 0, ios = 0, grants = 0, conflicts = 0, io_accepted = 0, io_refused = 0,
           suspends = 0, restarts = 0, masters = 0, rebuilds = 0, commits = 0, takeovers = 0;
  // per FaultKind: faults that changed something (a crash of a running
  // node, a pull of a plugged cable, ...), not the plan's count
  uint64_t faults[16] = {};
  SimTime ended = 0; // simulated time the run stopped at
};

// The configuration as the host keeps it (and as the sim's COD holds it).
struct HostConfig {
  uint64_t generation = 0;
  uint32_t cod_crc = 0;
  uint8_t disk_state[64] = {}; // enum rc_disk_state per COD disk index
  uint8_t ld_state[32] = {};   // enum rc_ld_state
};

class Cluster {
public:
  Cluster(const Scenario &s, Trace &tr, Bounds b = Bounds());
  ~Cluster();
  Cluster(const Cluster &) = delete;
  Cluster &operator=(const Cluster &) = delete;

  // Run the whole scenario; false if an invariant broke.
  bool run();
  // Run until simulated time @until (or the scenario's end); for tests.
  void run_until(SimTime until);

  const std::vector<Violation> &violations() const { return checker_.violations(); }
  const Stats &stats() const { return stats_; }
  SimTime now() const { return sched_.now(); }
  const NodeView &view(int n) const { return views_[n]; }
  Fabric &fabric() { return fabric_; }
  Checker &checker() { return checker_; }
  int nodes() const { return (int)nodes_.size(); }

  // --- test hooks: drive the real library into a state the protocol
  // should never reach, to prove the checker catches it. ---
  // Restart node @n's library as if its host's disk scan had found no
  // disk at all: it sees no peer and makes itself master of a cluster of
  // one (split brain), though every path physically works.  Not recorded
  // as a fault.
  void rogue_restart_blind(int n);
  // Submit a host command directly (as the node's host would).
  void host_command(int n, HostKind k, int ld);
  // The library state of node @n.
  struct rc_node *lib(int n);

private:
  struct Node;
  struct Pending; // host command in flight

  void boot(int n, bool cold);
  void start_library(int n);
  void crash(int n);
  void schedule_tick(int n);
  void drain(int n);
  void do_action(int n, const struct rc_action &a);
  void on_event(const Event &e);
  void on_fault(const Fault &f);
  void on_host(const HostCmd &h);
  void on_io_done(uint64_t id);
  void on_rebuild(int n);
  void take_over(int n, int ld);
  void pr_register(int n);
  void on_pr(int n, uint64_t id);
  bool pr_refused(int n) const;
  void on_config(int n);
  void mark_failed_locally(int n, int disk);
  void submit_config_change(int n);
  void apply_negotiated(int n, const struct rc_wire_negotiate *w, bool commit);
  void load_config(int n);
  void write_cod(int n);
  void push_disks(int n);
  uint64_t local_ms(int n) const;
  SimTime true_after_local(int n, uint64_t local_us) const;
  void refresh_view(int n);
  void refresh_truth();
  void check_all(bool periodic);
  bool converged() const;
  SimTime io_latency(int n, IoOp op);

  Scenario s_;
  Trace &tr_;
  Rng rng_;
  Scheduler sched_;
  Fabric fabric_;
  Checker checker_;
  Stats stats_;
  // Per drive, the position the most recently started rebuild engine has
  // really reached: a new engine may start at or below it, never above
  // (what lies above was not rebuilt, or was written since by a holder
  // that treated it as not rebuilt yet).
  uint32_t rb_true_[RC_MAX_LDS] = {};
  int rb_owner_[RC_MAX_LDS];
  uint32_t rb_owner_gen_[RC_MAX_LDS] = {};
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<NodeView> views_;
  Truth truth_;
  std::vector<HostConfig> cod_;                   // per disk: the COD copy on it
  std::vector<uint64_t> cod_failed_;              // per copy: disks it ever marked failed
  std::map<uint64_t, struct rc_action> act_copy_; // I/O id -> its action
  // Persistent reservations (s_.disk_pr): per disk, per node, the
  // incarnation + 1 of the key registered there (0: none).  The master's
  // WRITE EXCLUSIVE, REGISTRANTS ONLY reservation is taken as held: a
  // data write of a node without its key on a disk is refused there.
  std::vector<std::vector<uint32_t>> pr_;
  size_t next_fault_ = 0, next_host_ = 0;
  SimTime last_resv_cmd_ = 0;
  uint64_t next_cookie_ = 1;
  size_t resv_pending_ = 0;
  int converged_checks_ = 0; // consecutive periodic checks found converged
  bool done_ = false;        // converged for good: the run may stop
};

} // namespace rcsim

#endif
