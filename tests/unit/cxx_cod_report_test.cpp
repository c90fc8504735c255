// cod show's report from COD images produced by the portable lib's
// rc_cod_encode: which copy wins and why, membership, text and JSON.
#include "cod_report.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <vector>

using namespace rc;

namespace {

const uint8_t kUuid[16] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
const uint8_t kWwn[8] = {0x50, 0x00, 0xc5, 0x00, 0x8c, 0xd3, 0x6a, 0x98};

ConfigPtr sample(uint64_t generation, const uint8_t *uuid = kUuid) {
  ConfigPtr c = new_config();
  rc_config_init(c.get(), uuid);
  c->generation = generation;
  c->ndisks = 2;
  for (unsigned i = 0; i < 2; i++) {
    rc_disk &d = c->disks[i];
    d.state = RC_DISK_ONLINE;
    std::snprintf(d.serial, sizeof(d.serial), "d%u", i);
    d.capacity = 1 << 21;
  }
  c->disks[0].wwn_len = 8;
  std::memcpy(c->disks[0].wwn, kWwn, 8);
  rc_ld &l = c->lds[0];
  l.number = 0;
  l.state = RC_LD_OPTIMAL;
  l.level = RC_RAID1;
  l.stripe_sectors = 128;
  l.nextents = 2;
  std::strcpy(l.name, "mirror");
  for (unsigned i = 0; i < 2; i++) {
    l.ext[i].disk = static_cast<u16>(i);
    l.ext[i].start = RC_DATA_START_SECTOR;
    l.ext[i].length = 65536;
  }
  rc_geom g;
  EXPECT_EQ(rc_geom_init(&g, RC_RAID1, 2, 128, 65536), 0);
  l.capacity = g.capacity;
  c->nlds = 1;
  return c;
}

std::vector<uint8_t> image(const rc_config &c) {
  std::vector<uint8_t> b(RC_COD_BYTES);
  EXPECT_EQ(rc_cod_encode(&c, b.data()), 0);
  return b;
}

bool has(const std::string &s, const std::string &what) {
  return s.find(what) != std::string::npos;
}

} // namespace

TEST(CxxCodReport, IdenticalCopies) {
  auto a = image(*sample(5));
  CodReport r = analyze_cod(a.data(), a.data());
  ASSERT_TRUE(r.has_cod());
  EXPECT_EQ(r.copy[0].status, 0);
  EXPECT_EQ(r.copy[1].status, 0);
  EXPECT_EQ(r.copy[0].crc_stored, r.copy[0].crc_computed);
  EXPECT_TRUE(has(r.why, "identical")) << r.why;
  EXPECT_EQ(r.config()->generation, 5u);
  EXPECT_STREQ(r.config()->lds[0].name, "mirror");
}

TEST(CxxCodReport, NewerGenerationWinsEitherWay) {
  auto a = image(*sample(5)), b = image(*sample(6));
  CodReport r = analyze_cod(a.data(), b.data());
  EXPECT_EQ(r.winner, 1);
  EXPECT_TRUE(has(r.why, "newer generation (6 > 5)")) << r.why;
  r = analyze_cod(b.data(), a.data());
  EXPECT_EQ(r.winner, 0);
}

TEST(CxxCodReport, TornCopyLoses) {
  auto a = image(*sample(8)), b = image(*sample(7));
  a[RC_COD_LDS_OFFSET + 40] ^= 0x10; // a torn write of copy A
  CodReport r = analyze_cod(a.data(), b.data());
  EXPECT_EQ(r.copy[0].status, RC_COD_ECRC);
  EXPECT_NE(r.copy[0].crc_stored, r.copy[0].crc_computed);
  EXPECT_TRUE(has(r.copy[0].status_text, "CRC mismatch")) << r.copy[0].status_text;
  EXPECT_EQ(r.copy[0].generation, 8u) << "raw header still shown";
  EXPECT_EQ(r.winner, 1);
  EXPECT_TRUE(has(r.why, "only valid copy")) << r.why;
  std::string t = format_cod_report(r, "/dev/sdc");
  EXPECT_TRUE(has(t, "A     2048    CRC mismatch  8")) << t;
  EXPECT_TRUE(has(t, "B     2176    valid         7")) << t;
}

TEST(CxxCodReport, BlankDisk) {
  std::vector<uint8_t> z(RC_COD_BYTES);
  CodReport r = analyze_cod(z.data(), z.data());
  EXPECT_FALSE(r.has_cod());
  EXPECT_EQ(r.config(), nullptr);
  EXPECT_EQ(r.why, "no COD on this disk");
  EXPECT_EQ(r.copy[0].status, RC_COD_ENOCOD);
  EXPECT_FALSE(membership(r, Wwn{}, "d0").cod);
  EXPECT_EQ(membership(r, Wwn{}, "d0").text(), "-");
  std::string t = format_cod_report(r, "/dev/sdb");
  EXPECT_TRUE(has(t, "in use: none (no COD on this disk)")) << t;
  EXPECT_TRUE(has(dump_json(cod_report_json(r, "/dev/sdb"), -1), "\"in_use\":null"));
}

TEST(CxxCodReport, NewerFormatAndTwoClusters) {
  auto a = image(*sample(3));
  auto v = a;
  rc_cod_header h;
  std::memcpy(&h, v.data(), sizeof(h));
  h.version = cpu_to_le32(RC_COD_VERSION + 1);
  std::memcpy(v.data(), &h, sizeof(h));
  CodReport r = analyze_cod(v.data(), a.data());
  EXPECT_NE(r.copy[0].status, 0);
  EXPECT_EQ(r.winner, 1);

  uint8_t other[16] = {9};
  auto b = image(*sample(4, other));
  r = analyze_cod(a.data(), b.data());
  EXPECT_FALSE(r.has_cod());
  EXPECT_TRUE(has(r.why, "different clusters")) << r.why;
}

TEST(CxxCodReport, MembershipByWwnThenSerial) {
  auto a = image(*sample(2));
  CodReport r = analyze_cod(a.data(), a.data());
  Wwn w;
  w.id.assign(kWwn, kWwn + 8);
  Membership m = membership(r, w, "whatever");
  EXPECT_TRUE(m.member);
  EXPECT_EQ(m.index, 0);
  EXPECT_EQ(m.text(), "deadbeef #0 online");
  m = membership(r, Wwn{}, "d1");
  EXPECT_EQ(m.index, 1);
  m = membership(r, Wwn{}, "elsewhere");
  EXPECT_TRUE(m.cod);
  EXPECT_FALSE(m.member);
  EXPECT_EQ(m.text(), "deadbeef (not listed)");
}

TEST(CxxCodReport, TextAndJson) {
  auto a = image(*sample(2)), b = image(*sample(3));
  CodReport r = analyze_cod(a.data(), b.data());
  std::string t = format_cod_report(r, "/dev/sdb");
  for (const char *want :
       {"COD of /dev/sdb", "in use: copy B", "deadbeef-0102-0304-0506", "naa.5000c5008cd36a98",
        "rcl0", "mirror", "raid1", "64K", "d0:16M+32M", "policy: insert ignore", "2048", "2176"})
    EXPECT_TRUE(has(t, want)) << want << " in\n" << t;
  std::string j = dump_json(cod_report_json(r, "/dev/sdb"), -1);
  for (const char *want : {"\"in_use\":\"B\"", "\"valid\":true", "\"generation\":3",
                           "\"logical_drives\":[{\"number\":0", "\"name\":\"mirror\"",
                           "\"length_sectors\":65536", "\"insert_policy\":\"ignore\""})
    EXPECT_TRUE(has(j, want)) << want << " in\n" << j;
}
