// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The invariant checker catches each broken property, and stays quiet on
// the legitimate situations that look alike (transients before things
// settle, suspended or isolated nodes, really failed disks).  Planting
// violations through the real library is in sim_cluster_test.cpp.
#include "invariants.hpp"

#include <gtest/gtest.h>

using namespace rcsim;

namespace {

struct World {
  std::vector<NodeView> v;
  Truth t;
  explicit World(int n) : v(n) {
    t.node.resize(n);
    for (int i = 0; i < n; i++) {
      v[i].up = t.node[i].up = true;
      v[i].nexus = true;
      v[i].master_id = n - 1;
    }
    v[n - 1].master = true;
    t.now = 100000000; // 100 s: long after any fault
  }
};

bool mentions(const Checker &c, const char *what) {
  for (const auto &v : c.violations())
    if (v.what.find(what) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST(SimInvariants, HealthyClusterPasses) {
  World w(3);
  w.v[0].holder[1] = w.v[1].holder[1] = w.v[2].holder[1] = 0;
  w.t.grants[1] = 1;
  Checker c;
  c.check_step(w.v, w.t);
  c.check_settled(w.v, w.t);
  c.check_liveness(w.v, w.t);
  c.on_io_accepted(0, 1, w.v, w.t);
  EXPECT_TRUE(c.violations().empty());
}

TEST(SimInvariants, TwoMastersAfterConvergence) {
  World w(3);
  w.v[0].master = true;
  Checker c;
  c.check_liveness(w.v, w.t);
  EXPECT_TRUE(mentions(c, "two masters"));
}

TEST(SimInvariants, TwoMastersBeforeConvergenceIsNotYetABug) {
  World w(3);
  w.v[0].master = true;
  w.t.last_fault = w.t.now - 1000000; // 1 s ago
  Checker c;
  c.check_liveness(w.v, w.t);
  EXPECT_FALSE(mentions(c, "two masters"));
}

TEST(SimInvariants, SuspendedOldMasterDoesNotCount) {
  World w(3);
  w.v[0].master = true;
  w.v[0].suspended = true;
  w.t.node[0].all_cables = false; // its cable was pulled: may suspend
  Checker c;
  c.check_liveness(w.v, w.t);
  EXPECT_TRUE(c.violations().empty());
}

TEST(SimInvariants, DuplicateReservationOnceSettled) {
  World w(3);
  w.v[0].holder[4] = 0;
  w.v[1].holder[4] = 1;
  Checker c;
  c.check_settled(w.v, w.t);
  EXPECT_TRUE(mentions(c, "reserved by both"));
}

TEST(SimInvariants, FailedDiskOnlineAgainIsCaught) {
  World w(2);
  w.t.cod_revived = 1u << 3;
  Checker c;
  c.check_step(w.v, w.t);
  EXPECT_TRUE(mentions(c, "online again"));
}

TEST(SimInvariants, DisagreeingTablesOnceSettled) {
  World w(3);
  w.v[0].holder[2] = 0;
  w.v[1].holder[2] = 0;
  w.v[2].holder[2] = -1;
  Checker c;
  c.check_settled(w.v, w.t);
  EXPECT_TRUE(mentions(c, "says holder"));
}

TEST(SimInvariants, DoubleGrantWhileHolderAlive) {
  World w(2);
  w.t.grants[0] = 1 << 0;
  w.v[0].lease_running = true;
  Checker c;
  c.on_grant(1, 0, w.v, w.t);
  EXPECT_TRUE(mentions(c, "still holds"));
}

// A holder whose lease ended (frozen, killed) may be taken over...
TEST(SimInvariants, GrantAfterHolderLeaseEndedIsFine) {
  World w(2);
  w.t.grants[0] = 1 << 0;
  w.v[0].lease_running = false;
  Checker c;
  c.on_grant(1, 0, w.v, w.t);
  EXPECT_TRUE(c.violations().empty());
}

// ... but it may not write the drive after that.
TEST(SimInvariants, IoOfATakenOverHolderIsCaught) {
  World w(2);
  w.t.grants[0] = 1 << 1; // node 1 took it over
  Checker c;
  c.on_io_accepted(0, 0, w.v, w.t);
  EXPECT_TRUE(mentions(c, "without holding it"));
}

TEST(SimInvariants, GrantAfterHolderSuspendedIsFine) {
  World w(2);
  w.t.grants[0] = 1 << 0;
  w.v[0].suspended = true;
  Checker c;
  c.on_grant(1, 0, w.v, w.t);
  EXPECT_TRUE(c.violations().empty());
  // ... or isolated from every disk (it can no longer touch data).
  World w2(2);
  w2.t.grants[0] = 1 << 0;
  w2.t.node[0].reaches_any = false;
  Checker c2;
  c2.on_grant(1, 0, w2.v, w2.t);
  EXPECT_TRUE(c2.violations().empty());
}

TEST(SimInvariants, IoAcceptedByNonHolder) {
  World w(3);
  w.t.grants[3] = 1 << 2;
  Checker c;
  c.on_io_accepted(1, 3, w.v, w.t);
  EXPECT_TRUE(mentions(c, "accepted I/O"));
}

TEST(SimInvariants, TwoRebuilds) {
  World w(3);
  w.v[0].rebuilding_ld = 1;
  w.v[2].rebuilding_ld = 0;
  w.v[0].lease_running = w.v[2].lease_running = true;
  Checker c;
  c.check_step(w.v, w.t);
  EXPECT_TRUE(mentions(c, "two rebuilds"));
  // a node whose lease ran out runs no engine, whatever its view says
  w.v[2].lease_running = false;
  Checker c1;
  c1.check_step(w.v, w.t);
  EXPECT_FALSE(mentions(c1, "two rebuilds"));
  World w2(3);
  w2.t.engines = 0x5;
  Checker c2;
  c2.check_step(w2.v, w2.t);
  EXPECT_TRUE(mentions(c2, "rebuild engines"));
}

TEST(SimInvariants, HealthyDiskMarkedDead) {
  World w(2);
  w.v[1].dead_disks = 0x4;
  Checker c;
  c.check_step(w.v, w.t);
  EXPECT_TRUE(c.violations().empty()) << "a moment for the cable check";
  w.t.now += 3000000;
  c.check_step(w.v, w.t);
  EXPECT_TRUE(mentions(c, "healthy disk"));
  // The disk really failed: fine.
  World w2(2);
  w2.v[1].dead_disks = 0x4;
  w2.t.failed_disks = 0x4;
  Checker c2;
  c2.check_step(w2.v, w2.t);
  w2.t.now += 3000000;
  c2.check_step(w2.v, w2.t);
  EXPECT_TRUE(c2.violations().empty());
  // A node out of nexus (suspended, waiting) harms nobody with its marks.
  World w3(2);
  w3.v[0].dead_disks = 0x1;
  w3.v[0].suspended = true;
  Checker c3;
  c3.check_step(w3.v, w3.t);
  w3.t.now += 3000000;
  c3.check_step(w3.v, w3.t);
  EXPECT_TRUE(c3.violations().empty());
}

TEST(SimInvariants, CodMarksHealthyDiskDead) {
  World w(2);
  w.t.cod_dead = 0x2;
  Checker c;
  c.check_step(w.v, w.t);
  EXPECT_TRUE(mentions(c, "COD marks healthy"));
  World w2(2);
  w2.t.cod_dead = 0x2;
  w2.t.failed_disks = 0x2;
  Checker c2;
  c2.check_step(w2.v, w2.t);
  EXPECT_TRUE(c2.violations().empty());
}

TEST(SimInvariants, IsolatedNodeMustSuspend) {
  World w(2);
  w.t.node[0].reaches_any = false;
  w.t.node[0].all_cables = false;
  w.t.node[0].isolated_since = w.t.now - 30000000;
  Checker c;
  c.check_liveness(w.v, w.t);
  EXPECT_TRUE(mentions(c, "has not suspended"));
  w.v[0].suspended = true;
  Checker c2;
  c2.check_liveness(w.v, w.t);
  EXPECT_FALSE(mentions(c2, "has not suspended"));
}

TEST(SimInvariants, HealthyNodeMustReachNexus) {
  World w(3);
  w.v[1].nexus = false;
  Checker c;
  c.check_liveness(w.v, w.t);
  EXPECT_TRUE(mentions(c, "not in NEXUS"));
  // Within the bound after a fault it may still be joining.
  w.t.last_fault = w.t.now - 2000000;
  Checker c2;
  c2.check_liveness(w.v, w.t);
  EXPECT_FALSE(mentions(c2, "not in NEXUS"));
  // A healthy node suspended long after the last fault is a bug.
  World w3(3);
  w3.v[1].suspended = true;
  Checker c3;
  c3.check_liveness(w3.v, w3.t);
  EXPECT_TRUE(mentions(c3, "healthy node suspended"));
  // ... unless it suspended for its own cable failure and the operator
  // has not reset it yet (the cable is back, the node waits for a human).
  w3.t.node[1].operator_suspend_ok = true;
  Checker c4;
  c4.check_liveness(w3.v, w3.t);
  EXPECT_FALSE(mentions(c4, "healthy node suspended"));
}
