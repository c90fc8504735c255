// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The simulator running the real protocol library: runs are a function of
// the seed; a quiet cluster converges; faults have the effect the patent
// promises; and protocol violations planted through the library's own
// API are caught by the checker (the simulator can fail).
#include "cluster.hpp"
#include "runner.hpp"

#include <gtest/gtest.h>

using namespace rcsim;

namespace {

// A cluster with no faults and no host commands: all nodes cold-start.
Scenario quiet(int nodes, SimTime end, int channels = 2, int disks = 2) {
  Scenario s;
  s.seed = 1234 + nodes;
  s.shape.nodes = nodes;
  s.shape.channels = channels;
  s.shape.disks_per_channel = disks;
  s.shape.lds = 2;
  for (int n = 0; n < nodes; n++) {
    s.boot_at.push_back(1000 * n);
    s.skew_ppm.push_back(n * 1000 - 1000);
    s.clock_offset.push_back(1000000000ull * (n + 1));
  }
  s.end = end;
  return s;
}

bool mentions(const std::vector<Violation> &vs, const char *what) {
  for (const auto &v : vs)
    if (v.what.find(what) != std::string::npos)
      return true;
  return false;
}

std::string dump(const std::vector<Violation> &vs) {
  std::string s;
  for (const auto &v : vs)
    s += "  node " + std::to_string(v.node) + ": " + v.what + "\n";
  return s;
}

int masters(const Cluster &c) {
  int m = 0;
  for (int n = 0; n < c.nodes(); n++)
    m += c.view(n).up && !c.view(n).suspended && c.view(n).master;
  return m;
}

} // namespace

TEST(SimCluster, SameSeedSameTrace) {
  ScenarioParams p;
  for (int nodes : {2, 3, 8}) {
    RunResult a = run_one(77, nodes, p), b = run_one(77, nodes, p);
    EXPECT_EQ(a.trace_hash, b.trace_hash) << nodes << " nodes";
    EXPECT_EQ(a.stats.events, b.stats.events);
    EXPECT_GT(a.stats.ios, 100u);
    RunResult c = run_one(78, nodes, p);
    EXPECT_NE(a.trace_hash, c.trace_hash);
  }
  // Threads do not change results.
  std::vector<RunResult> one = run_many(10, 6, {2, 3}, p, 1);
  std::vector<RunResult> two = run_many(10, 6, {2, 3}, p, 2);
  for (size_t i = 0; i < one.size(); i++)
    EXPECT_EQ(one[i].trace_hash, two[i].trace_hash);
}

TEST(SimCluster, ColdStartElectsHighestIdAndReachesNexus) {
  for (int nodes : {1, 2, 3, 4, 8}) {
    Scenario s = quiet(nodes, 30000000);
    Trace tr;
    Cluster c(s, tr);
    EXPECT_TRUE(c.run()) << nodes << " nodes:\n" << dump(c.violations());
    EXPECT_EQ(masters(c), 1) << nodes << " nodes";
    EXPECT_TRUE(c.view(nodes - 1).master) << nodes << " nodes";
    for (int n = 0; n < nodes; n++) {
      EXPECT_TRUE(c.view(n).nexus) << "node " << n << " of " << nodes;
      EXPECT_EQ(c.view(n).master_id, nodes - 1);
    }
  }
}

TEST(SimCluster, ReservationIsExclusive) {
  Scenario s = quiet(3, 30000000);
  Trace tr;
  Cluster c(s, tr);
  c.run_until(12000000);
  c.host_command(0, HostKind::Reserve, 1);
  c.run_until(14000000);
  EXPECT_EQ(c.stats().grants, 1u);
  c.host_command(2, HostKind::Reserve, 1);
  c.run_until(17000000);
  EXPECT_EQ(c.stats().grants, 1u);
  EXPECT_EQ(c.stats().conflicts, 1u);
  c.host_command(2, HostKind::Io, 1);
  c.host_command(0, HostKind::Io, 1);
  EXPECT_EQ(c.stats().io_refused, 1u);
  EXPECT_EQ(c.stats().io_accepted, 1u);
  for (int n = 0; n < 3; n++)
    EXPECT_EQ(c.view(n).holder[1], 0) << "node " << n;
  c.host_command(0, HostKind::Release, 1);
  c.run_until(19000000);
  c.host_command(2, HostKind::Reserve, 1);
  c.run_until(22000000);
  EXPECT_EQ(c.stats().grants, 2u);
  EXPECT_TRUE(c.run()) << dump(c.violations());
}

TEST(SimCluster, ReleaseBeforeReserveCompletesGrantsNothing) {
  // The host releases while its Reserve is still in flight: once both
  // complete it holds nothing, so another node's grant is legitimate.
  Scenario s = quiet(2, 30000000);
  Trace tr;
  Cluster c(s, tr);
  c.run_until(12000000);
  c.host_command(1, HostKind::Reserve, 0);
  c.host_command(1, HostKind::Release, 0);
  c.run_until(15000000);
  c.host_command(0, HostKind::Reserve, 0);
  c.run_until(18000000);
  EXPECT_EQ(c.stats().grants, 2u);
  EXPECT_TRUE(c.run()) << dump(c.violations());
}

TEST(SimCluster, IsolatedNodeSuspendsAndSurvivorsElect) {
  // Pull every cable of the master: it must suspend itself, the others
  // elect a new master and stay in nexus.
  Scenario s = quiet(3, 40000000);
  for (int ch = 0; ch < 2; ch++) {
    Fault f;
    f.t = 12000000;
    f.kind = FaultKind::CablePull;
    f.node = 2;
    f.arg = ch;
    s.faults.push_back(f);
  }
  Trace tr;
  Cluster c(s, tr);
  bool ok = c.run();
  EXPECT_TRUE(ok) << dump(c.violations());
  EXPECT_TRUE(c.view(2).suspended);
  EXPECT_EQ(masters(c), 1);
  EXPECT_TRUE(c.view(1).master);
  EXPECT_TRUE(c.view(0).nexus);
  EXPECT_TRUE(c.view(1).nexus);
}

TEST(SimCluster, CrashedSlaveIsDroppedAndRejoins) {
  Scenario s = quiet(3, 45000000);
  Fault crash;
  crash.t = 12000000;
  crash.kind = FaultKind::Crash;
  crash.node = 0;
  s.faults.push_back(crash);
  Fault on = crash;
  on.kind = FaultKind::PowerOn;
  on.t = 20000000;
  s.faults.push_back(on);
  Trace tr;
  Cluster c(s, tr);
  EXPECT_TRUE(c.run()) << dump(c.violations());
  for (int n = 0; n < 3; n++)
    EXPECT_TRUE(c.view(n).nexus) << "node " << n;
  EXPECT_EQ(masters(c), 1);
}

TEST(SimCluster, MasterCableFailureKillsTheMasterNotTheDisk) {
  // Figure 15: the master loses its cable to channel 1 (one disk per
  // channel).  Its host sees disk 1 fail; the change must be recognised
  // as the master's cable failure: the master suspends, disk 1 stays
  // online everywhere, a slave takes over.
  Scenario s = quiet(3, 40000000, 3, 1);
  Fault f;
  f.t = 12000000;
  f.kind = FaultKind::CablePull;
  f.node = 2;
  f.arg = 1;
  s.faults.push_back(f);
  Trace tr;
  Cluster c(s, tr);
  EXPECT_TRUE(c.run()) << dump(c.violations());
  EXPECT_TRUE(c.view(2).suspended);
  EXPECT_TRUE(c.view(1).master);
  for (int n = 0; n < 2; n++) {
    EXPECT_TRUE(c.view(n).nexus) << "node " << n;
    EXPECT_EQ(c.view(n).dead_disks, 0u) << "node " << n;
  }
}

TEST(SimCluster, CutOffHolderCannotWriteAfterTakeover) {
  // Node 0 holds ld 0 and loses its only cable; the master declares it
  // failed and frees ld 0; the cable comes back (no operator yet) and
  // node 1 reserves ld 0.  Node 0 must not accept I/O to it any more.
  Scenario s = quiet(2, 40000000, 1, 2);
  Fault dead;
  dead.t = 10000000;
  dead.kind = FaultKind::DiskFail;
  dead.arg = 1;
  s.faults.push_back(dead);
  Fault pull;
  pull.t = 13000000;
  pull.kind = FaultKind::CablePull;
  pull.node = 0;
  pull.arg = 0;
  s.faults.push_back(pull);
  Fault plug = pull;
  plug.t = 20000000;
  plug.kind = FaultKind::CablePlug;
  s.faults.push_back(plug);
  s.host.push_back(HostCmd{11000000, HostKind::Reserve, 0, 0});
  s.host.push_back(HostCmd{22000000, HostKind::Reserve, 1, 0});
  s.host.push_back(HostCmd{24000000, HostKind::Io, 0, 0});
  s.host.push_back(HostCmd{24000000, HostKind::Io, 1, 0});
  Trace tr;
  Cluster c(s, tr);
  EXPECT_TRUE(c.run()) << dump(c.violations());
  EXPECT_EQ(c.stats().grants, 2u);
  EXPECT_EQ(c.stats().io_accepted, 1u);
  EXPECT_EQ(c.stats().io_refused, 1u);
  EXPECT_TRUE(c.view(0).suspended);
}

// --- the simulator can fail ----------------------------------------------------

TEST(SimCluster, PlantedSecondMasterIsCaught) {
  Scenario s = quiet(3, 60000000);
  Trace tr;
  Cluster c(s, tr);
  c.run_until(12000000);
  ASSERT_TRUE(c.violations().empty()) << dump(c.violations());
  // Node 0's library restarts believing no other node exists: it makes
  // itself master of a cluster of one, although node 2 is master.
  c.rogue_restart_blind(0);
  c.run();
  EXPECT_TRUE(mentions(c.violations(), "two masters")) << dump(c.violations());
}

// The liveness of host commands: a command that never completes is
// caught.  A frozen node's own commands wait with it; here node 0 is frozen
// for good (its commands can never complete) and the bound is short.
TEST(SimCluster, HostCommandThatNeverCompletesIsCaught) {
  Scenario s = quiet(3, 60000000);
  s.faults.push_back(Fault{12000000, FaultKind::HangIo, 0, 0, 40000000});
  Bounds b;
  b.command = 5000000;
  Trace tr;
  Cluster c(s, tr, b);
  c.run_until(12500000);
  c.host_command(0, HostKind::Reserve, 1);
  c.run();
  EXPECT_TRUE(mentions(c.violations(), "not completed")) << dump(c.violations());
}

TEST(SimCluster, PlantedDuplicateReservationIsCaught) {
  Scenario s = quiet(3, 60000000);
  Trace tr;
  Cluster c(s, tr);
  c.run_until(12000000);
  c.host_command(2, HostKind::Reserve, 0);
  c.run_until(14000000);
  ASSERT_EQ(c.stats().grants, 1u);
  c.rogue_restart_blind(0);
  c.run_until(30000000);
  // The blind node sees no reservation anywhere and grants its host the
  // drive node 2 holds; its host then writes to it, and so does node 2's.
  c.host_command(0, HostKind::Reserve, 0);
  c.run_until(33000000);
  c.host_command(0, HostKind::Io, 0);
  c.host_command(2, HostKind::Io, 0);
  EXPECT_TRUE(mentions(c.violations(), "still holds")) << dump(c.violations());
  EXPECT_TRUE(mentions(c.violations(), "accepted I/O")) << dump(c.violations());
}

// Seeds of the soak that once broke an invariant, one row per class fixed
// in lib/proto.  The scenario of a seed is fixed; the library's reaction
// is what changed (see Documentation/protocol.md).
TEST(SimCluster, FormerlyFailingSeedsPass) {
  struct Row {
    uint64_t seed;
    int nodes;
    const char *what;
  };
  const Row rows[] = {
      // A slave loses its cable while the master crashes: the lone drive's
      // TUR finds no path, the slave suspends (figure 15 step 1565).
      {487, 2, "healthy disk marked dead"},
      {507, 2, "healthy disk marked dead (master's cable, slave crashed)"},
      {1007, 2, "healthy disk marked dead (master's cable, slave rebooting)"},
      {4008, 2, "the COD marks a healthy disk dead"},
      // A rebooted node must not follow a node whose heartbeat stopped.
      {1746, 2, "not in NEXUS after a stale slot"},
      {3422, 2, "not in NEXUS after a stale slot"},
      {6624, 2, "not in NEXUS after a stale slot"},
      // A cable check answered on a channel the master lost meanwhile.
      {9247, 2, "healthy node suspended after a diagnostics race"},
      {1013, 3, "healthy node suspended"},
      {8314, 3, "healthy node suspended"},
      // A slave of an election whose electors all died decides again.
      {15177, 3, "healthy node suspended after an orphaned election"},
      // Two drives of one channel die together; figure 15 tests the
      // second dead one as "the first online drive": a drive error is
      // that drive's, the next online drive answers (no cable failure).
      {17338, 4, "healthy node suspended after a double disk failure"},
      // A slave dies while its master is down; a joiner keeps its
      // Node_Reserve entry, the restarted master knows nothing of it:
      // the entry of a holder that stopped beating dies with it.
      {10933, 3, "holder disagreement after an unmonitored death"},
      // ... and the same on a master made by failover (found by the
      // slave-only first fix, in sim-check).
      {112, 3, "holder disagreement: master keeps a dead holder"},
      // A torn box write with nothing new to send: written again next
      // poll, or both sides wait until the communications test fails.
      {19941, 2, "healthy node suspended after a torn mailbox"},
      // A higher node that booted just after us was seen only once at the
      // end of discovery: wait for its next heartbeat, not two masters.
      {18729, 2, "two rebuild engines under two masters"},
      // A second Reserve of a drive whose first Reserve is still in
      // flight: our entry is a claim, not a grant (BUSY, no I/O yet).
      {12550, 3, "double grant: Reserve GOOD on an unconfirmed claim"},
      {15687, 3, "I/O accepted on an unconfirmed claim"},
      // A joiner heard one node reserve and release; the winner had not
      // counted it as a target yet: at negotiation the master's holder
      // stands unless the joiner saw that very node release it.
      {23202, 3, "holder disagreement: joiner missed the winner's Reserve"},
      // The master's own cable fails while it checks a slave's proposal:
      // BUSY to the proposer (it asks the next master), not CABLE_FAIL.
      {19250, 8, "healthy node suspended by its master's cable failure"},
      // A joiner heard the holder release, then a non-holder's Release
      // (figure 19 sends it anyway) hid the holder's: remember every one.
      {38278, 8, "holder disagreement: a non-holder's Release"},
  };
  ScenarioParams p;
  for (const Row &r : rows) {
    RunResult res = run_one(r.seed, r.nodes, p);
    EXPECT_TRUE(res.ok) << "seed " << r.seed << "/" << r.nodes << " (" << r.what << "):\n"
                        << dump(res.violations);
  }
}
