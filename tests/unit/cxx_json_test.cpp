// JSON output of the tools (lib/cxx/json.hpp) and the status/scan
// documents built from ioctl structs and probes.
#include "inventory.hpp"
#include "json.hpp"
#include "status.hpp"
#include "table.hpp"

#include <cstring>
#include <gtest/gtest.h>

using namespace rc;

TEST(CxxJson, Scalars) {
  EXPECT_EQ(dump_json(Json()), "null");
  EXPECT_EQ(dump_json(Json(true)), "true");
  EXPECT_EQ(dump_json(Json(-3)), "-3");
  EXPECT_EQ(dump_json(Json(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(dump_json(Json("a\"b\\c\n\x01\xff")), "\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\"");
}

TEST(CxxJson, NestedCompactAndPretty) {
  Json o = {{"b", 1}, {"a", Json::array({"x", nullptr})}};
  EXPECT_EQ(dump_json(o, -1), "{\"b\":1,\"a\":[\"x\",null]}");
  EXPECT_EQ(dump_json(o, 2), "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    null\n  ]\n}");
  o["b"] = "replaced";
  EXPECT_EQ(o.size(), 2u);
  EXPECT_EQ(dump_json(o, -1), "{\"b\":\"replaced\",\"a\":[\"x\",null]}");
  EXPECT_EQ(dump_json(Json::array()), "[]");
  EXPECT_EQ(dump_json(Json::object()), "{}");
}

TEST(CxxJson, Status) {
  rc_ioc_info info{};
  std::strcpy(info.module_version, "1.0");
  info.node_id = 3;
  info.cod_generation = 9;
  info.cluster_uuid[0] = 0xab;
  DiskInfo d{};
  d.index = 1;
  d.state = RC_DISK_FAILED;
  d.present = 1;
  std::strcpy(d.name, "sdc");
  d.wwn_len = 8;
  const uint8_t w[8] = {0x50, 0, 0xc5, 0, 0x8c, 0xd3, 0x6a, 0x99};
  std::memcpy(d.wwn, w, 8);
  std::strcpy(d.serial, "d1");
  d.read_errors = 4;
  LdInfo l{};
  l.number = 2;
  l.state = RC_LD_DEGRADED;
  l.level = 1;
  l.stripe_sectors = 128;
  l.nextents = 1;
  l.capacity = 2048;
  std::strcpy(l.name, "data");
  l.extents[0].disk = 1;
  l.extents[0].state = RC_EXT_FAILED;
  l.extents[0].start = 32768;
  l.extents[0].length = 2048;
  l.holder = RC_IOC_NO_NODE;
  l.rebuild_node = RC_IOC_NO_NODE;
  std::string j = dump_json(status_json(info, 0, {d}, {l}), -1);
  EXPECT_NE(j.find("\"rebuild_node\":null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"holder\":null"), std::string::npos) << j;
  l.holder = 1;
  EXPECT_NE(dump_json(status_json(info, 0, {d}, {l}), -1).find("\"holder\":1"), std::string::npos);
  EXPECT_NE(format_status(info, 0, {d}, {l}).find("node 1"), std::string::npos);
  l.holder = RC_IOC_NO_NODE;
  for (const char *want : {"\"node_id\":3", "\"cod_generation\":9", "\"cluster_uuid\":\"ab000000-",
                           "\"wwn\":\"naa.5000c5008cd36a99\"", "\"state\":\"failed\"",
                           "\"read_errors\":4", "\"device\":\"rcl2\"", "\"state\":\"degraded\"",
                           "\"name\":\"data\"", "\"start_sectors\":32768"})
    EXPECT_NE(j.find(want), std::string::npos) << want << " in " << j;
  std::string t = format_status(info, 0, {d}, {l});
  EXPECT_NE(t.find("/dev/sdc"), std::string::npos) << t;
  EXPECT_NE(t.find("d1:16M+1M(failed)"), std::string::npos) << t;
  EXPECT_NE(t.find("degraded"), std::string::npos) << t;
  // no rebuild: no progress fields
  EXPECT_NE(j.find("\"rebuild_percent\":null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"rebuild_eta_seconds\":null"), std::string::npos) << j;
  // a rebuild: 1/3 done at 1 MiB/s, 2/3 of 6 MiB left = 4 s
  l.rebuild_total = 3 * 4096;
  l.rebuild_done = 4096;
  l.rebuild_rate = 2048;
  j = dump_json(status_json(info, 0, {d}, {l}), -1);
  EXPECT_NE(j.find("\"rebuild_percent\":33"), std::string::npos) << j;
  EXPECT_NE(j.find("\"rebuild_eta_seconds\":4"), std::string::npos) << j;
  t = format_status(info, 0, {d}, {l});
  EXPECT_NE(t.find("33.3% 1.0 MiB/s ETA 0:04"), std::string::npos) << t;
  // in a cluster: the node that runs it
  l.rebuild_node = 2;
  EXPECT_NE(dump_json(status_json(info, 0, {d}, {l}), -1).find("\"rebuild_node\":2"),
            std::string::npos);
  t = format_status(info, 0, {d}, {l});
  EXPECT_NE(t.find("33.3% 1.0 MiB/s ETA 0:04 on node 2"), std::string::npos) << t;
  l.rebuild_node = RC_IOC_NO_NODE;
  // no rate measured yet: percent, but no ETA
  l.rebuild_rate = 0;
  j = dump_json(status_json(info, 0, {d}, {l}), -1);
  EXPECT_NE(j.find("\"rebuild_eta_seconds\":null"), std::string::npos) << j;
  EXPECT_EQ(format_status(info, 0, {d}, {l}).find("ETA"), std::string::npos);
}

// The fencing mode: from this node's RC_IOC_NODE_INFO flags, absent while it does not run.
TEST(CxxJson, StatusFencingMode) {
  rc_ioc_info info{};
  EXPECT_NE(dump_json(status_json(info, 0, {}, {}), -1).find("\"fencing\":null"),
            std::string::npos);
  EXPECT_EQ(format_status(info, 0, {}, {}).find("fencing"), std::string::npos);
  uint32_t lease = RC_NODE_F_RUNNING, pr = RC_NODE_F_RUNNING | RC_NODE_F_DISK_PR;
  EXPECT_NE(dump_json(status_json(info, lease, {}, {}), -1).find("\"fencing\":\"lease only\""),
            std::string::npos);
  EXPECT_NE(dump_json(status_json(info, pr, {}, {}), -1).find("\"fencing\":\"disk PR\""),
            std::string::npos);
  std::string t = format_status(info, pr, {}, {});
  EXPECT_NE(t.find("COD generation 0  fencing: disk PR\n"), std::string::npos) << t;
  EXPECT_NE(format_status(info, lease, {}, {}).find("  fencing: lease only\n"), std::string::npos);
}

// RC_IOC_DISK_INFO's serial is 40 bytes, NUL padded, with no terminator when all 40 are used:
// status must print exactly those 40, not run on into the capacity that follows it.
TEST(CxxJson, StatusFullLengthSerial) {
  rc_ioc_info info{};
  DiskInfo d{};
  const char s40[] = "S3R1AL-0123456789-ABCDEFGHIJKLMNOPQRSTUV";
  static_assert(sizeof(s40) == sizeof(d.serial) + 1, "a serial of exactly 40 bytes");
  std::memcpy(d.serial, s40, sizeof(d.serial));
  d.capacity = 0x4141414141414141ull; // "AAAAAAAA" right after the serial
  std::string j = dump_json(status_json(info, 0, {d}, {}), -1);
  EXPECT_NE(j.find(std::string("\"serial\":\"") + s40 + "\""), std::string::npos) << j;
  std::string t = format_status(info, 0, {d}, {});
  EXPECT_NE(t.find(s40), std::string::npos) << t;
  EXPECT_EQ(t.find(std::string(s40) + "A"), std::string::npos) << t;
}

TEST(CxxJson, ScanEmptyAndOneDisk) {
  EXPECT_EQ(dump_json(probes_json({}), -1), "{\"schema_version\":1,\"disks\":[]}");
  std::string empty = format_probes({});
  EXPECT_EQ(empty.find('\n'), empty.size() - 1) << "header only: " << empty;
  DiskProbe p;
  p.sys.hctl = "0:0:1:0";
  p.sys.devnode = "/dev/sdb";
  p.inq.vendor = "QEMU";
  p.serial = "d1";
  p.cap.blocks = 2048;
  p.cap.block_len = 4096;
  std::string j = dump_json(probes_json({p}), -1);
  EXPECT_NE(j.find("\"capacity_sectors\":16384"), std::string::npos) << j;
  EXPECT_NE(j.find("\"error\":null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"member\":false"), std::string::npos) << j;
  std::string t = format_probes({p});
  EXPECT_NE(t.find("0:0:1:0"), std::string::npos);
  EXPECT_NE(t.find("8.00 MiB"), std::string::npos) << t;
}

TEST(CxxTable, AlignsAndDashesEmptyCells) {
  Table t({"A", "LONGER"});
  t.add({"xyz", ""});
  t.add({"1", "2"});
  EXPECT_EQ(t.str(), "A    LONGER\nxyz  -\n1    2\n");
}

// status --check: the worst drive decides; a drive that is not running is
// not served, as an offline one.
TEST(CxxStatus, DrivesHealth) {
  auto ld = [](uint32_t state, bool running) {
    rc::LdInfo l{};
    l.state = state;
    l.flags = running ? RC_LD_F_RUNNING : 0;
    return l;
  };
  EXPECT_EQ(rc::drives_health({}), 0);
  EXPECT_EQ(rc::drives_health({ld(RC_LD_OPTIMAL, true), ld(RC_LD_OPTIMAL, true)}), 0);
  EXPECT_EQ(rc::drives_health({ld(RC_LD_OPTIMAL, true), ld(RC_LD_DEGRADED, true)}), 1);
  EXPECT_EQ(rc::drives_health({ld(RC_LD_REBUILDING, true)}), 1);
  EXPECT_EQ(rc::drives_health({ld(RC_LD_DEGRADED, true), ld(RC_LD_OFFLINE, true)}), 2);
  EXPECT_EQ(rc::drives_health({ld(RC_LD_OPTIMAL, false)}), 2);
}
