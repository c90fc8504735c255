// DISK[:START[:LEN]] parsing and create planning (lib/cxx/diskspec.hpp),
// run against the portable lib's rc_config_check_new_ld.
#include "diskspec.hpp"
#include "error.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <set>

using namespace rc;

namespace {

bool none(const std::string &) { return false; }

ConfigPtr two_disks() {
  static const uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  ConfigPtr c = new_config();
  rc_config_init(c.get(), uuid);
  c->ndisks = 3;
  for (unsigned i = 0; i < 3; i++) {
    rc_disk &d = c->disks[i];
    d.state = RC_DISK_ONLINE;
    d.wwn_len = 8;
    uint8_t w[8] = {0x50, 0, 0xc5, 0, 0x8c, 0xd3, 0x6a, static_cast<uint8_t>(0x98 + i)};
    std::memcpy(d.wwn, w, 8);
    std::snprintf(d.serial, sizeof(d.serial), "d%u", i);
    d.capacity = 2 * 1024 * 1024; // 1 GiB
  }
  return c;
}

} // namespace

TEST(CxxDiskSpec, Forms) {
  DiskSpec d = parse_disk_spec("sdb", none);
  EXPECT_EQ(d.disk, "sdb");
  EXPECT_FALSE(d.start);
  EXPECT_FALSE(d.length);

  d = parse_disk_spec("naa.5000c5008cd36a98:1G", none);
  EXPECT_EQ(d.disk, "naa.5000c5008cd36a98");
  EXPECT_EQ(*d.start, 2097152u);
  EXPECT_FALSE(d.length);

  d = parse_disk_spec("sdb:32768s:512M", none);
  EXPECT_EQ(*d.start, 32768u);
  EXPECT_EQ(*d.length, 1048576u);

  d = parse_disk_spec("sdc::10G", none);
  EXPECT_EQ(d.disk, "sdc");
  EXPECT_FALSE(d.start);
  EXPECT_EQ(*d.length, 20971520u);
}

TEST(CxxDiskSpec, PathsWithColons) {
  const std::string p = "/dev/disk/by-path/pci-0000:00:04.0-scsi-0:0:1:0";
  auto exists = [&](const std::string &s) { return s == p; };
  EXPECT_EQ(parse_disk_spec(p, exists).disk, p);
  DiskSpec d = parse_disk_spec(p + ":1G:2G", exists);
  EXPECT_EQ(d.disk, p);
  EXPECT_EQ(*d.start, 2097152u);
  EXPECT_EQ(*d.length, 4194304u);
  d = parse_disk_spec(p + ":1G", exists);
  EXPECT_EQ(d.disk, p);
  EXPECT_FALSE(d.length);
}

TEST(CxxDiskSpec, Bad) {
  for (const char *bad : {"", ":1G", "sdb:", "sdb:1G:", "sdb:x", "sdb:1G:0", "sdb:1000", "sdb::"})
    EXPECT_THROW(parse_disk_spec(bad, none), UsageError) << bad;
}

TEST(CxxDiskSpec, Names) {
  check_ld_name("data");
  check_ld_name("db-1.log_A");
  for (const char *bad :
       {"", "0", "12", "rcl3", "a b", "x/y", "ünï", "abcdefghijklmnopqrstuvwxyz0123456"})
    EXPECT_THROW(check_ld_name(bad), UsageError) << bad;
}

TEST(CxxPlan, DefaultsFillTheRestOfEachDisk) {
  ConfigPtr c = two_disks();
  rc_ld ld = plan_ld(*c, "data", RC_RAID1, 0, {{"a", 0, {}, {}}, {"b", 1, {}, {}}}, {});
  EXPECT_EQ(ld.nextents, 2);
  EXPECT_EQ(ld.stripe_sectors, 128u);
  for (int i = 0; i < 2; i++) {
    EXPECT_EQ(ld.ext[i].start, RC_DATA_START_SECTOR);
    EXPECT_EQ(ld.ext[i].length, 2 * 1024 * 1024 - RC_DATA_START_SECTOR);
  }
  EXPECT_STREQ(ld.name, "data");
}

TEST(CxxPlan, SizeAndExplicitExtents) {
  ConfigPtr c = two_disks();
  rc_ld ld = plan_ld(*c, "s", RC_RAID0, 256, {{"a", 0, {65536}, {}}, {"b", 1, {}, {131072}}},
                     {uint64_t(100000)});
  EXPECT_EQ(ld.ext[0].start, 65536u);
  EXPECT_EQ(ld.ext[0].length, 100000u);
  EXPECT_EQ(ld.ext[1].start, RC_DATA_START_SECTOR);
  EXPECT_EQ(ld.ext[1].length, 131072u);
}

TEST(CxxPlan, NextDriveStartsAfterTheLastExtent) {
  ConfigPtr c = two_disks();
  rc_ld &old = c->lds[0];
  old.number = 0;
  old.state = RC_LD_OPTIMAL;
  old.level = RC_RAID1;
  old.stripe_sectors = 128;
  old.nextents = 2;
  std::strcpy(old.name, "first");
  for (int i = 0; i < 2; i++) {
    old.ext[i].disk = static_cast<u16>(i);
    old.ext[i].start = RC_DATA_START_SECTOR;
    old.ext[i].length = 65536;
  }
  c->nlds = 1;
  EXPECT_EQ(first_free_sector(*c, 0), RC_DATA_START_SECTOR + 65536);
  EXPECT_EQ(first_free_sector(*c, 2), RC_DATA_START_SECTOR);
  rc_ld ld = plan_ld(*c, "second", RC_RAID0, 0, {{"a", 0, {}, {}}, {"b", 1, {}, {}}}, {});
  EXPECT_EQ(ld.ext[0].start, RC_DATA_START_SECTOR + 65536);

  // The same name with extents that do not fit either: the name is what
  // is reported, as an operation failure (exit 1), not a syntax error.
  try {
    plan_ld(*c, "first", RC_RAID0, 0, {{"a", 0, {uint64_t(1) << 21}, {}}, {"b", 1, {}, {}}}, {});
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()), "name 'first' is taken by rcl0");
    EXPECT_EQ(dynamic_cast<const UsageError *>(&e), nullptr);
  }
  // An extent overlapping drive "first": refused by rc_config_check_new_ld.
  try {
    plan_ld(*c, "x", RC_RAID0, 0, {{"a", 0, {RC_DATA_START_SECTOR + 8}, {}}, {"b", 2, {}, {}}}, {});
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()).rfind("disk a: extent ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("overlaps rcl0 (first)"), std::string::npos) << e.what();
  }
}

TEST(CxxPlan, Refusals) {
  ConfigPtr c = two_disks();
  // Too few members, odd raid10, unknown disk, past the end, inside metadata.
  EXPECT_THROW(plan_ld(*c, "x", RC_RAID1, 0, {{"a", 0, {}, {}}}, {}), UsageError);
  EXPECT_THROW(plan_ld(*c, "x", RC_RAID5, 0, {{"a", 0, {}, {}}, {"b", 1, {}, {}}}, {}), UsageError);
  EXPECT_THROW(
      plan_ld(*c, "x", RC_RAID10, 0, {{"a", 0, {}, {}}, {"b", 1, {}, {}}, {"c", 2, {}, {}}}, {}),
      UsageError);
  EXPECT_THROW(plan_ld(*c, "x", RC_RAID0, 0, {{"a", 0, {}, {}}, {"z", 9, {}, {}}}, {}), Error);
  try {
    plan_ld(*c, "x", RC_RAID0, 0, {{"sdb", 0, {}, {uint64_t(4) << 21}}, {"b", 1, {}, {}}}, {});
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("past the end"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sdb"), std::string::npos) << e.what();
  }
  try {
    plan_ld(*c, "x", RC_RAID0, 0, {{"sdq", 0, {2048}, {}}, {"b", 1, {}, {}}}, {});
    ADD_FAILURE();
  } catch (const UsageError &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "disk sdq: extent start 2048 is inside the raidcluster metadata area"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(
      plan_ld(*c, "x", RC_RAID0, 0, {{"a", 0, {uint64_t(3) << 20}, {}}, {"b", 1, {}, {}}}, {}),
      Error);
  // Two extents of one drive on the same disk.
  EXPECT_THROW(plan_ld(*c, "x", RC_RAID1, 0, {{"a", 0, {}, {65536}}, {"a", 0, {}, {65536}}}, {}),
               Error);
}
