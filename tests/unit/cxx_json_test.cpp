// JSON output of the tools (lib/cxx/json.hpp) and the status/scan
// documents built from ioctl structs and probes.
#include "inventory.hpp"
#include "json.hpp"
#include "schema.hpp"
#include "status.hpp"
#include "table.hpp"

#include <cstdint>
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

// Strings from disks and from other nodes' CODs: UTF-8 is printed as it is (not as \u00XX of
// its bytes), in values and in keys, pretty or on one line.
TEST(CxxJson, Utf8PassesThrough) {
  const std::string fr = "données", ja = "日本", emoji = "💾";
  EXPECT_EQ(std::string("é"), "\xc3\xa9"); // the source is UTF-8
  EXPECT_EQ(dump_json(Json(fr)), "\"données\"");
  EXPECT_EQ(dump_json(Json(ja + emoji)), "\"日本💾\"");
  Json o = {{ja, fr}};
  EXPECT_EQ(dump_json(o, -1), "{\"日本\":\"données\"}");
  EXPECT_EQ(dump_json(o), "{\n  \"日本\": \"données\"\n}");
}

// Bytes that are not UTF-8 (a stray byte, a sequence cut short, an overlong form) become
// U+FFFD: the output is valid JSON that parses back, where nlohmann's own dump() throws.
TEST(CxxJson, InvalidUtf8BecomesReplacementCharacter) {
  const struct {
    std::string in, out;
  } cases[] = {
      {"\xff", "�"},           // never in UTF-8
      {"ab\xc3", "ab�"},       // truncated at the end
      {"a\xc3-b", "a�-b"},     // truncated by an ASCII byte
      {"\xe6\x97", "�"},       // 2 bytes of 3
      {"\xc0\xaf", "��"},      // overlong '/'
      {"\xed\xa0\x80", "���"}, // a UTF-16 surrogate
      {"é\xffé", "é�é"},       // valid UTF-8 around it is kept
  };
  for (const auto &c : cases) {
    Json o = {{"serial", c.in}, {c.in, 1}};
    EXPECT_THROW(o.dump(), nlohmann::json::type_error) << c.out;
    std::string text;
    ASSERT_NO_THROW(text = dump_json(o, -1)) << c.out;
    EXPECT_EQ(text, "{\"serial\":\"" + c.out + "\",\"" + c.out + "\":1}");
    nlohmann::json back;
    ASSERT_NO_THROW(back = nlohmann::json::parse(text)) << text;
    EXPECT_EQ(back["serial"], c.out);
    EXPECT_EQ(back[c.out], 1);
  }
  EXPECT_EQ(std::string("�"), "\xef\xbf\xbd"); // U+FFFD in UTF-8
}

// Control characters are escaped, so a line of monitor output stays one line.
TEST(CxxJson, ControlCharactersEscaped) {
  EXPECT_EQ(dump_json(Json("\x01\x1f\b\f\n\r\t")), "\"\\u0001\\u001f\\b\\f\\n\\r\\t\"");
  std::string all;
  for (char c = 1; c < 0x20; c++)
    all += c;
  std::string text = dump_json(Json{{"k" + all, all}}, -1);
  for (char c : text)
    EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << text;
  nlohmann::json back = nlohmann::json::parse(text);
  EXPECT_EQ(back["k" + all], all);
}

// Members stay in the order they were added (schema_version first), replacing one keeps its place.
TEST(CxxJson, OrderedKeys) {
  Json o = versioned({{"zeta", 1}, {"alpha", 2}, {"mid", 3}});
  EXPECT_EQ(dump_json(o, -1), "{\"schema_version\":1,\"zeta\":1,\"alpha\":2,\"mid\":3}");
  o["alpha"] = "two";
  o["beta"] = nullptr;
  EXPECT_EQ(dump_json(o, -1),
            "{\"schema_version\":1,\"zeta\":1,\"alpha\":\"two\",\"mid\":3,\"beta\":null}");
  EXPECT_EQ(dump_json(versioned(), -1), "{\"schema_version\":1}");
}

TEST(CxxJson, NestedArraysAndObjects) {
  Json o = {{"lds", Json::array({Json{{"extents", Json::array({Json{{"disk", 0}}, Json::array()})},
                                      {"empty", Json::object()}}})},
            {"flags", Json::array({true, false, nullptr})}};
  EXPECT_EQ(dump_json(o, -1), "{\"lds\":[{\"extents\":[{\"disk\":0},[]],\"empty\":{}}],"
                              "\"flags\":[true,false,null]}");
  EXPECT_EQ(dump_json(o), "{\n"
                          "  \"lds\": [\n"
                          "    {\n"
                          "      \"extents\": [\n"
                          "        {\n"
                          "          \"disk\": 0\n"
                          "        },\n"
                          "        []\n"
                          "      ],\n"
                          "      \"empty\": {}\n"
                          "    }\n"
                          "  ],\n"
                          "  \"flags\": [\n"
                          "    true,\n"
                          "    false,\n"
                          "    null\n"
                          "  ]\n"
                          "}");
}

// Sector counts are 64-bit: printed exactly up to 2^64 - 1, never through a double.
TEST(CxxJson, SixtyFourBitIntegers) {
  EXPECT_EQ(dump_json(Json(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(dump_json(Json(UINT64_MAX - 1)), "18446744073709551614");
  EXPECT_EQ(dump_json(Json(uint64_t{1} << 63)), "9223372036854775808");
  EXPECT_EQ(dump_json(Json(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(dump_json(Json(uint32_t{UINT32_MAX})), "4294967295");
  rc_ioc_info info{};
  info.cod_generation = UINT64_MAX;
  DiskInfo d{};
  d.capacity = UINT64_MAX - 1;
  std::string j = dump_json(status_json(info, 0, {d}, {}), -1);
  EXPECT_NE(j.find("\"cod_generation\":18446744073709551615,"), std::string::npos) << j;
  EXPECT_NE(j.find("\"capacity_sectors\":18446744073709551614,"), std::string::npos) << j;
}

// scan and status of a disk whose INQUIRY and VPD strings are not UTF-8: a replacement for each
// such byte, the rest intact.  (The COD's names and serials are printable ASCII: lib/cod.c.)
TEST(CxxJson, DiskStringsThatAreNotUtf8) {
  DiskProbe p;
  p.inq.vendor = "QEMU\xff";
  p.inq.model = "日本";
  p.serial = "S\x80N";
  nlohmann::json back = nlohmann::json::parse(dump_json(probes_json({p})));
  const nlohmann::json &disk = back["disks"][0];
  EXPECT_EQ(disk["vendor"], "QEMU�");
  EXPECT_EQ(disk["model"], "日本");
  EXPECT_EQ(disk["serial"], "S�N");
  DiskInfo d{};
  std::strcpy(d.serial, "Z1\xc3");
  back = nlohmann::json::parse(dump_json(status_json(rc_ioc_info{}, 0, {d}, {})));
  EXPECT_EQ(back["disks"][0]["serial"], "Z1�");
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
