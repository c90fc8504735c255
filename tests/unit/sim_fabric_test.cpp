// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The simulator's fault injection does what it says: a pulled cable fails
// I/O on that node's path to that channel only; a failed disk fails for
// everybody; torn writes land a strict prefix; a crash mid-write tears.
#include "fabric.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace rcsim;

namespace {

struct Rig {
  Fabric f{3, 2};
  Rng rng{42};
  Trace tr;
  int d0, d1;
  Rig() {
    d0 = f.add_disk(0, 0);
    d1 = f.add_disk(1, 0);
  }
  IoStatus run(int node, int disk, IoOp op, uint64_t sector = 4096, uint32_t n = 8,
               uint8_t fill = 0xab, std::vector<uint8_t> *out = nullptr) {
    Io io;
    io.node = node;
    io.disk = disk;
    io.op = op;
    io.sector = sector;
    io.nsect = n;
    if (op == IoOp::Write)
      io.data.assign((size_t)n * kSectorBytes, fill);
    uint64_t id = f.submit(std::move(io));
    Io done = f.complete(id, rng, tr, 0);
    if (out)
      *out = done.data;
    return done.status;
  }
};

} // namespace

TEST(SimFabric, CablePullFailsOnlyThatNodeAndChannel) {
  Rig r;
  r.f.set_cable(1, 0, false);
  EXPECT_EQ(r.run(1, r.d0, IoOp::Read), IoStatus::NoPath);
  EXPECT_EQ(r.run(1, r.d0, IoOp::Tur), IoStatus::NoPath);
  EXPECT_EQ(r.run(1, r.d0, IoOp::Write), IoStatus::NoPath);
  // Same node, other channel: fine.  Other nodes, same channel: fine.
  EXPECT_EQ(r.run(1, r.d1, IoOp::Read), IoStatus::Ok);
  EXPECT_EQ(r.run(1, r.d1, IoOp::Tur), IoStatus::Ok);
  EXPECT_EQ(r.run(0, r.d0, IoOp::Read), IoStatus::Ok);
  EXPECT_EQ(r.run(2, r.d0, IoOp::Tur), IoStatus::Ok);
  EXPECT_EQ(r.f.plugged_mask(1), 2u);
  EXPECT_TRUE(r.f.reaches_any(1));
  r.f.set_cable(1, 1, false);
  EXPECT_FALSE(r.f.reaches_any(1));
  // The write that failed never reached the medium.
  std::vector<uint8_t> got;
  EXPECT_EQ(r.run(0, r.d0, IoOp::Read, 4096, 8, 0, &got), IoStatus::Ok);
  EXPECT_EQ(got, std::vector<uint8_t>(8 * kSectorBytes, 0));
  r.f.set_cable(1, 0, true);
  EXPECT_EQ(r.run(1, r.d0, IoOp::Read), IoStatus::Ok);
}

TEST(SimFabric, WriteIsVisibleToOtherNodes) {
  Rig r;
  EXPECT_EQ(r.run(0, r.d1, IoOp::Write, 6144, 8, 0x5a), IoStatus::Ok);
  std::vector<uint8_t> got;
  EXPECT_EQ(r.run(2, r.d1, IoOp::Read, 6144, 8, 0, &got), IoStatus::Ok);
  EXPECT_EQ(got, std::vector<uint8_t>(8 * kSectorBytes, 0x5a));
}

TEST(SimFabric, FailedDiskFailsForEverybody) {
  Rig r;
  r.f.disk(r.d0).fail();
  for (int n = 0; n < 3; n++) {
    EXPECT_EQ(r.run(n, r.d0, IoOp::Read), IoStatus::DiskFailed);
    EXPECT_EQ(r.run(n, r.d0, IoOp::Tur), IoStatus::DiskFailed);
    EXPECT_EQ(r.run(n, r.d1, IoOp::Tur), IoStatus::Ok);
  }
}

TEST(SimFabric, TornWriteLandsAStrictPrefix) {
  Rig r;
  EXPECT_EQ(r.run(0, r.d0, IoOp::Write, 4096, 8, 0x11), IoStatus::Ok);
  r.f.arm_torn_writes(0, 1);
  EXPECT_EQ(r.run(0, r.d0, IoOp::Write, 4096, 8, 0x22), IoStatus::Aborted);
  std::vector<uint8_t> got;
  ASSERT_EQ(r.run(1, r.d0, IoOp::Read, 4096, 8, 0, &got), IoStatus::Ok);
  unsigned newer = 0;
  for (unsigned s = 0; s < 8; s++) {
    uint8_t b = got[s * kSectorBytes];
    if (b == 0x22) {
      EXPECT_EQ(newer, s) << "new data must be a prefix";
      newer++;
    } else {
      EXPECT_EQ(b, 0x11);
    }
  }
  EXPECT_GE(newer, 1u);
  EXPECT_LE(newer, 7u);
  // Only one write was armed: the next lands whole.
  EXPECT_EQ(r.run(0, r.d0, IoOp::Write, 4096, 8, 0x33), IoStatus::Ok);
}

TEST(SimFabric, CrashDropsInFlightIoOfThatNodeOnly) {
  Rig r;
  Io a, b;
  a.node = 0;
  a.disk = r.d0;
  a.op = IoOp::Write;
  a.sector = 4096;
  a.nsect = 8;
  a.data.assign(8 * kSectorBytes, 0x77);
  b = a;
  b.node = 1;
  b.sector = 4104;
  uint64_t ia = r.f.submit(a), ib = r.f.submit(b);
  r.f.crash_node(0, r.rng, r.tr, 0);
  EXPECT_FALSE(r.f.in_flight(ia));
  EXPECT_TRUE(r.f.in_flight(ib));
  EXPECT_EQ(r.f.complete(ib, r.rng, r.tr, 0).status, IoStatus::Ok);
}

TEST(SimFabric, CablePulledMidWriteFailsIt) {
  Rig r;
  Io a;
  a.node = 2;
  a.disk = r.d1;
  a.op = IoOp::Write;
  a.sector = 4096;
  a.nsect = 8;
  a.data.assign(8 * kSectorBytes, 0x99);
  uint64_t id = r.f.submit(a);
  r.f.set_cable(2, 1, false);
  EXPECT_EQ(r.f.complete(id, r.rng, r.tr, 0).status, IoStatus::NoPath);
}

TEST(SimFabric, UnalignedWriteCrossesBlocks) {
  Rig r;
  EXPECT_EQ(r.run(0, r.d0, IoOp::Write, 4101, 6, 0x3c), IoStatus::Ok);
  std::vector<uint8_t> got;
  ASSERT_EQ(r.run(1, r.d0, IoOp::Read, 4096, 16, 0, &got), IoStatus::Ok);
  for (unsigned s = 0; s < 16; s++)
    EXPECT_EQ(got[s * kSectorBytes + 17], (s >= 5 && s < 11) ? 0x3c : 0) << "sector " << s;
}
