// How names typed by the administrator resolve to SCSI disks, member disk
// records and logical drives (lib/cxx/inventory.hpp, lib/cxx/lookup.hpp).
#include "error.hpp"
#include "inventory.hpp"
#include "lookup.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace rc;

namespace {

DiskProbe probe(const char *name, const char *serial, uint8_t wwn_last) {
  DiskProbe p;
  p.sys.name = name;
  p.sys.devnode = std::string("/dev/") + name;
  p.serial = serial;
  if (wwn_last)
    p.wwn.id = {0x50, 0x00, 0xc5, 0x00, 0x8c, 0xd3, 0x6a, wwn_last};
  return p;
}

DiskInfo member(uint32_t index, const char *serial, uint8_t wwn_last, const char *kname) {
  DiskInfo m{};
  m.index = index;
  m.state = RC_DISK_ONLINE;
  std::strcpy(m.serial, serial);
  if (wwn_last) {
    const uint8_t w[8] = {0x50, 0x00, 0xc5, 0x00, 0x8c, 0xd3, 0x6a, wwn_last};
    std::memcpy(m.wwn, w, 8);
    m.wwn_len = 8;
  }
  if (kname) {
    m.present = 1;
    std::strcpy(m.name, kname);
  }
  return m;
}

LdInfo ld(uint32_t n, const char *name) {
  LdInfo l{};
  l.number = n;
  l.state = RC_LD_OPTIMAL;
  std::strcpy(l.name, name);
  return l;
}

} // namespace

TEST(CxxLookup, FindDiskByKernelNameWwnSerial) {
  std::vector<DiskProbe> d = {probe("sda", "d0", 0x98), probe("sdb", "d1", 0x99),
                              probe("sdc", "0x5000c5008cd36a98", 0)};
  EXPECT_EQ(find_disk(d, "sdb"), &d[1]);
  EXPECT_EQ(find_disk(d, "naa.5000c5008cd36a99"), &d[1]);
  EXPECT_EQ(find_disk(d, "wwn-0x5000C5008CD36A98"), &d[0]);
  EXPECT_EQ(find_disk(d, "d1"), &d[1]);
  // A prefixed WWN never falls back to serials, even when a serial looks alike.
  EXPECT_EQ(find_disk(d, "naa.5000c5008cd36a97"), nullptr);
  EXPECT_EQ(find_disk(d, "nosuch"), nullptr);
  EXPECT_EQ(find_disk(d, ""), nullptr);
  // /dev/null exists but is no disk of the list.
  EXPECT_EQ(find_disk(d, "/dev/null"), nullptr);
}

TEST(CxxLookup, SharedSerialIsAmbiguous) {
  std::vector<DiskProbe> d = {probe("sda", "same", 0), probe("sdb", "same", 0)};
  try {
    find_disk(d, "same");
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("more than one disk"), std::string::npos) << e.what();
  }
}

TEST(CxxLookup, ResolveDiskErrors) {
  std::vector<DiskProbe> d = {probe("sda", "d0", 0x98)};
  EXPECT_EQ(&resolve_disk(d, "d0"), &d[0]);
  try {
    resolve_disk(d, "sdz");
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()), "unknown disk 'sdz': no SCSI disk has this name, WWN or "
                                     "serial (see 'raidclusterctl scan')");
  }
  try {
    resolve_disk(d, "/dev/raidcluster-test-nosuch");
    ADD_FAILURE();
  } catch (const SysError &e) {
    EXPECT_EQ(e.err(), ENOENT);
  }
  try {
    resolve_disk(d, "/dev/null");
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("not a SCSI disk"), std::string::npos) << e.what();
  }
}

TEST(CxxLookup, MembersByIdentityOrRecord) {
  std::vector<DiskProbe> d = {probe("sda", "d0", 0x98), probe("sdb", "d1", 0)};
  std::vector<DiskInfo> m = {member(0, "d0", 0x98, "sda"), member(3, "d1", 0, "sdb"),
                             member(5, "gone", 0x77, nullptr)};
  EXPECT_EQ(find_member(m, d, "sda"), 0);
  EXPECT_EQ(find_member(m, d, "naa.5000c5008cd36a98"), 0);
  EXPECT_EQ(find_member(m, d, "d1"), 3); // no WWN: matched by serial
  // An absent member is found by its record: WWN or serial.
  EXPECT_EQ(find_member(m, d, "naa.5000c5008cd36a77"), 5);
  EXPECT_EQ(find_member(m, d, "gone"), 5);
  EXPECT_EQ(find_member(m, d, "nosuch"), -1);
  EXPECT_TRUE(same_disk(m[0], d[0]));
  EXPECT_FALSE(same_disk(m[0], d[1]));
  // A WWN on both sides decides alone: same serial, other WWN is another disk.
  DiskProbe twin = probe("sdx", "d0", 0x11);
  EXPECT_FALSE(same_disk(m[0], twin));
}

TEST(CxxLookup, LogicalDrives) {
  std::vector<LdInfo> l = {ld(0, "data"), ld(1, "7"), ld(4, "logs")};
  EXPECT_EQ(resolve_ld(l, "0"), 0u);
  EXPECT_EQ(resolve_ld(l, "rcl4"), 4u);
  EXPECT_EQ(resolve_ld(l, "/dev/rcl4"), 4u);
  EXPECT_EQ(resolve_ld(l, "logs"), 4u);
  EXPECT_EQ(resolve_ld(l, "data"), 0u);
  try {
    resolve_ld(l, "rcl2");
    ADD_FAILURE();
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()), "unknown logical drive 'rcl2' (see 'raidclusterctl status')");
  }
  EXPECT_THROW(resolve_ld(l, "99999999999"), Error);
  EXPECT_THROW(resolve_ld({}, "0"), Error);
}
