// Decoders of SCSI responses and WWN names (lib/cxx/sg.hpp), on canned
// responses shaped like qemu's scsi-hd and real disks.
#include "error.hpp"
#include "sg.hpp"

#include <gtest/gtest.h>
#include <initializer_list>
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

// A page 0x83 of these designation descriptors, its length set.
static std::vector<uint8_t> id_page(std::initializer_list<std::vector<uint8_t>> descs) {
  std::vector<uint8_t> p = {0, 0x83, 0, 0};
  for (const auto &d : descs)
    p.insert(p.end(), d.begin(), d.end());
  p[2] = static_cast<uint8_t>((p.size() - 4) >> 8);
  p[3] = static_cast<uint8_t>(p.size() - 4);
  return p;
}

static const std::vector<uint8_t> kT10 = {0x02, 0x01, 0, 8, 'Q', 'E', 'M', 'U', ' ', ' ', ' ', ' '};
// EUI-64 of the logical unit (type 2): 8 bytes as an NAA-5, and not one.
static const std::vector<uint8_t> kEui64 = {0x01, 0x02, 0, 8, 0x00, 0x14, 0x05, 1, 2, 3, 4, 5};
static const std::vector<uint8_t> kNaa5 = {0x01, 0x03, 0,    8,    0x50, 0x00,
                                           0xc5, 0x00, 0x8c, 0xd3, 0x6a, 0x98};
static const std::vector<uint8_t> kNaa6 = {0x01, 0x03, 0, 16, 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde,
                                           0xf0, 1,    2, 3,  4,    5,    6,    7,    8,    9};

TEST(CxxSg, DeviceIdPageNaaAfterOtherDesignators) {
  auto p = id_page({kT10, kEui64, kNaa5});
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.5000c5008cd36a98");
  // The longer NAA-6 wins wherever it stands; of two NAA-5 the first.
  p = id_page({kNaa5, kT10, kNaa6, kEui64});
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.6001405abcdef0010203040506070809");
  auto other5 = kNaa5;
  other5.back() = 0x99;
  p = id_page({kEui64, kNaa5, other5});
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.5000c5008cd36a98");
  // No NAA at all: no WWN (the EUI-64 is not one).
  p = id_page({kT10, kEui64});
  EXPECT_TRUE(parse_vpd_naa(p.data(), p.size()).empty());
}

TEST(CxxSg, DeviceIdPageMalformedList) {
  // The NAA-6 says 16 bytes but the page ends 8 bytes into it (the buffer
  // holds the rest, beyond the page length): it is not taken, the NAA-5
  // before it still is.
  auto p = id_page({kNaa5, kNaa6});
  p[3] -= 8;
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.5000c5008cd36a98");
  // The same cut by the buffer's end rather than by the page length.
  auto cut = id_page({kNaa5, kNaa6});
  cut.resize(cut.size() - 8);
  EXPECT_EQ(parse_vpd_naa(cut.data(), cut.size()).str(), "naa.5000c5008cd36a98");
  // A T10 descriptor running past the page hides what follows it.
  auto t10 = kT10;
  t10[3] = 200;
  p = id_page({t10, kNaa5});
  EXPECT_TRUE(parse_vpd_naa(p.data(), p.size()).empty());
  // A descriptor header cut short at the end of the page.
  p = id_page({kNaa5, {0x01, 0x03}});
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.5000c5008cd36a98");
  // An empty list, and a page too short for its own header: the latter is
  // malformed, as a page that is not 0x83.
  p = id_page({});
  EXPECT_TRUE(parse_vpd_naa(p.data(), p.size()).empty());
  EXPECT_THROW(parse_vpd_naa(p.data(), 3), Error);
  p[1] = 0x80;
  EXPECT_THROW(parse_vpd_naa(p.data(), p.size()), Error);
}

TEST(CxxSg, DeviceIdPageTargetNaaIsNotTheLus) {
  // NAA of the target port (association 1) and of the target device
  // (association 2): neither is the logical unit's WWN.
  auto port = kNaa6, target = kNaa5;
  port[1] = 0x13;
  target[1] = 0x23;
  auto p = id_page({kT10, port, target});
  EXPECT_TRUE(parse_vpd_naa(p.data(), p.size()).empty());
  p = id_page({port, kNaa5, target});
  EXPECT_EQ(parse_vpd_naa(p.data(), p.size()).str(), "naa.5000c5008cd36a98");
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
