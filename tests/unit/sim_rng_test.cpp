// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The simulator's randomness and scenario plans are functions of the seed
// alone.
#include "rng.hpp"
#include "scenario.hpp"
#include "scheduler.hpp"

#include <gtest/gtest.h>

using namespace rcsim;

TEST(SimRng, SameSeedSameStream) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 1000; i++) {
    uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(SimRng, RangeStaysInBounds) {
  Rng r(1);
  for (int i = 0; i < 10000; i++) {
    uint64_t v = r.range(3, 9);
    EXPECT_GE(v, 3u);
    EXPECT_LE(v, 9u);
  }
  EXPECT_EQ(r.below(0), 0u);
}

TEST(SimScenario, PlanIsAFunctionOfTheSeed) {
  ScenarioParams p;
  EXPECT_EQ(describe(make_scenario(99, 4, p)), describe(make_scenario(99, 4, p)));
  EXPECT_NE(describe(make_scenario(99, 4, p)), describe(make_scenario(100, 4, p)));
  Scenario s = make_scenario(5, 8, p);
  EXPECT_EQ(s.shape.nodes, 8);
  EXPECT_EQ(s.boot_at.size(), 8u);
  EXPECT_FALSE(s.faults.empty());
  for (size_t i = 1; i < s.faults.size(); i++)
    EXPECT_LE(s.faults[i - 1].t, s.faults[i].t);
  for (const auto &f : s.faults)
    EXPECT_LT(f.t, s.end);
}

TEST(SimScheduler, TimeThenInsertionOrder) {
  Scheduler s;
  s.at(50, EvKind::Tick, 1, 0, 1);
  s.at(10, EvKind::Tick, 2, 0, 2);
  s.at(50, EvKind::Tick, 3, 0, 3);
  s.at(10, EvKind::Tick, 4, 0, 4);
  uint64_t order[4];
  for (auto &o : order)
    o = s.pop().id;
  EXPECT_EQ(order[0], 2u);
  EXPECT_EQ(order[1], 4u);
  EXPECT_EQ(order[2], 1u);
  EXPECT_EQ(order[3], 3u);
  EXPECT_EQ(s.now(), 50u);
  // Never schedules into the past.
  s.at(5, EvKind::Tick, 0, 0, 9);
  EXPECT_EQ(s.pop().t, 50u);
}
