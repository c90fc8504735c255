// What "blank" reads: the metadata area (16 MiB) and the last MiB of a disk.
#include "blank.hpp"

#include <gtest/gtest.h>

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

namespace {
constexpr uint64_t kMiB = 1024 * 1024;
}

TEST(Blank, MetadataAreaAndLastMiB) {
  EXPECT_EQ(rc::blank_ranges(64 * kMiB, 512), (Ranges{{0, 16 * kMiB}, {63 * kMiB, kMiB}}));
  EXPECT_EQ(rc::blank_ranges(64 * kMiB, 4096), (Ranges{{0, 16 * kMiB}, {63 * kMiB, kMiB}}));
}

TEST(Blank, TailAlignedToTheBlock) {
  // 64 MiB + 1000 sectors: the tail starts at a block boundary and runs to
  // the end, so the last block (where md 0.90 lives) is always read.
  uint64_t bytes = 64 * kMiB + 1000 * 512;
  Ranges r = rc::blank_ranges(bytes, 4096);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].first % 4096, 0u);
  EXPECT_EQ(r[1].first + r[1].second, bytes - bytes % 4096);
  EXPECT_GE(r[1].second, kMiB);
}

TEST(Blank, SmallDiskWhole) {
  EXPECT_EQ(rc::blank_ranges(17 * kMiB, 512), (Ranges{{0, 17 * kMiB}}));
  EXPECT_EQ(rc::blank_ranges(2 * kMiB, 512), (Ranges{{0, 2 * kMiB}}));
  EXPECT_EQ(rc::blank_ranges(4096 * 3, 4096), (Ranges{{0, 4096 * 3}}));
  EXPECT_TRUE(rc::blank_ranges(0, 512).empty());
  EXPECT_TRUE(rc::blank_ranges(kMiB, 0).empty());
}

TEST(Blank, AllZero) {
  std::vector<uint8_t> b(4096);
  EXPECT_TRUE(rc::all_zero(b.data(), b.size()));
  b[4095] = 1;
  EXPECT_FALSE(rc::all_zero(b.data(), b.size()));
  EXPECT_TRUE(rc::all_zero(b.data(), 4095));
  EXPECT_TRUE(rc::all_zero(nullptr, 0));
}
