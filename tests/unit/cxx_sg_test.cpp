// Decoders of SCSI responses and WWN names (lib/cxx/sg.hpp), on canned
// responses shaped like qemu's scsi-hd and real disks.
#include "error.hpp"
#include "sg.hpp"

#include <gtest/gtest.h>
#include <vector>

using namespace rc;

TEST(CxxSg, StandardInquiry) {
  std::vector<uint8_t> b(36, ' ');
  b[0] = 0x00;
  b[1] = 0;
  std::string vm = "QEMU    QEMU HARDDISK   2.5+";
  std::copy(vm.begin(), vm.end(), b.begin() + 8);
  Inquiry i = parse_std_inquiry(b.data(), b.size());
  EXPECT_EQ(i.peripheral_type, 0u);
  EXPECT_EQ(i.vendor, "QEMU");
  EXPECT_EQ(i.model, "QEMU HARDDISK");
  EXPECT_EQ(i.revision, "2.5+");
  EXPECT_THROW(parse_std_inquiry(b.data(), 20), Error);
}

TEST(CxxSg, SerialPage) {
  const uint8_t p[] = {0, 0x80, 0, 6, ' ', 'd', '0', '1', ' ', ' '};
  EXPECT_EQ(parse_vpd_serial(p, sizeof(p)), "d01");
  // A length beyond the buffer is clamped, not trusted.
  const uint8_t q[] = {0, 0x80, 0, 200, 'Z', 'X', '9'};
  EXPECT_EQ(parse_vpd_serial(q, sizeof(q)), "ZX9");
  const uint8_t wrong[] = {0, 0x83, 0, 0};
  EXPECT_THROW(parse_vpd_serial(wrong, sizeof(wrong)), Error);
}

TEST(CxxSg, DeviceIdPagePicksTheLuNaa) {
  std::vector<uint8_t> p = {0, 0x83, 0, 0};
  // T10 vendor id (type 1), LU association: ignored.
  std::vector<uint8_t> t10 = {0x02, 0x01, 0, 8, 'Q', 'E', 'M', 'U', ' ', ' ', ' ', ' '};
  // NAA of the target port (association 1): must not be taken.
  std::vector<uint8_t> port = {0x01, 0x13, 0, 8, 0x51, 1, 2, 3, 4, 5, 6, 7};
  // NAA 5 of the logical unit.
  std::vector<uint8_t> lu = {0x01, 0x03, 0, 8, 0x50, 0x00, 0xc5, 0x00, 0x8c, 0xd3, 0x6a, 0x98};
  for (auto *d : {&t10, &port, &lu})
    p.insert(p.end(), d->begin(), d->end());
  p[3] = static_cast<uint8_t>(p.size() - 4);
  Wwn w = parse_vpd_naa(p.data(), p.size());
  EXPECT_EQ(w.str(), "naa.5000c5008cd36a98");

  // A truncated last descriptor is ignored, the earlier ones still count.
  std::vector<uint8_t> cut(p.begin(), p.end() - 3);
  EXPECT_TRUE(parse_vpd_naa(cut.data(), cut.size()).empty());
  std::vector<uint8_t> only_port = {0, 0x83, 0, 12};
  only_port.insert(only_port.end(), port.begin(), port.end());
  EXPECT_TRUE(parse_vpd_naa(only_port.data(), only_port.size()).empty());
}

TEST(CxxSg, ReadCapacity16) {
  uint8_t b[32] = {0, 0, 0, 0, 0, 0x1f, 0xff, 0xff, 0, 0, 0x02, 0};
  Capacity c = parse_readcap16(b, sizeof(b));
  EXPECT_EQ(c.blocks, 0x200000u);
  EXPECT_EQ(c.block_len, 512u);
  EXPECT_EQ(c.sectors(), 0x200000u);
  uint8_t k[32] = {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0x10, 0};
  EXPECT_EQ(parse_readcap16(k, sizeof(k)).sectors(), 0x10000u * 8);
  uint8_t bad[32] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0x01, 0x20};
  EXPECT_THROW(parse_readcap16(bad, sizeof(bad)), Error);
}

TEST(CxxSg, WwnNames) {
  Wwn w;
  EXPECT_TRUE(parse_wwn_string("naa.5000C5008CD36A98", w));
  EXPECT_EQ(w.str(), "naa.5000c5008cd36a98");
  EXPECT_TRUE(parse_wwn_string("0x5000c5008cd36a98", w));
  EXPECT_TRUE(parse_wwn_string("wwn-0x5000c5008cd36a98", w));
  EXPECT_TRUE(parse_wwn_string("naa.6001405abcdef0123456789abcdef012", w));
  EXPECT_EQ(w.id.size(), 16u);
  // Bare hex is a serial, not a WWN; wrong lengths and digits are refused.
  for (const char *s : {"5000c5008cd36a98", "naa.5000", "naa.5000c5008cd36a9g", "d0", ""})
    EXPECT_FALSE(parse_wwn_string(s, w)) << s;
}

TEST(CxxSg, OpenMissingDeviceNamesIt) {
  try {
    ScsiDevice d("/dev/raidcluster-test-no-such-disk");
    ADD_FAILURE();
  } catch (const SysError &e) {
    EXPECT_EQ(e.err(), ENOENT);
    EXPECT_NE(std::string(e.what()).find("/dev/raidcluster-test-no-such-disk"), std::string::npos);
  }
}
