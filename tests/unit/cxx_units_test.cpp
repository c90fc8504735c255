// Size, stripe and level parsing of raidclusterctl (lib/cxx/units.hpp).
#include "error.hpp"
#include "units.hpp"

#include <gtest/gtest.h>

using namespace rc;

TEST(CxxUnits, BytesWithSuffixes) {
  EXPECT_EQ(parse_bytes("0", "x"), 0u);
  EXPECT_EQ(parse_bytes("4096", "x"), 4096u);
  EXPECT_EQ(parse_bytes("64K", "x"), 65536u);
  EXPECT_EQ(parse_bytes("64k", "x"), 65536u);
  EXPECT_EQ(parse_bytes("1M", "x"), 1048576u);
  EXPECT_EQ(parse_bytes("2GiB", "x"), 2147483648u);
  EXPECT_EQ(parse_bytes("1TB", "x"), 1099511627776u);
  EXPECT_EQ(parse_bytes("2048s", "x"), 2048u * 512);
}

TEST(CxxUnits, BadSizesNameTheInput) {
  for (const char *bad :
       {"", "K", "-1", "1.5G", "12Q", "1Kx", "1 G", "99999999999999999999", "16777216T"}) {
    try {
      parse_bytes(bad, "extent length");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError &e) {
      std::string m = e.what();
      EXPECT_NE(m.find("bad extent length '" + std::string(bad) + "'"), std::string::npos) << m;
    }
  }
}

TEST(CxxUnits, SectorsMustBeWhole) {
  EXPECT_EQ(parse_sectors("1G", "x"), 2097152u);
  EXPECT_EQ(parse_sectors("512", "x"), 1u);
  EXPECT_THROW(parse_sectors("1000", "x"), UsageError);
}

TEST(CxxUnits, Stripe) {
  EXPECT_EQ(parse_stripe("4K"), 8u);
  EXPECT_EQ(parse_stripe("64K"), 128u);
  EXPECT_EQ(parse_stripe("1M"), 2048u);
  EXPECT_EQ(parse_stripe("256s"), 256u);
  for (const char *bad : {"2K", "2M", "48K", "0", "abc", "100"})
    EXPECT_THROW(parse_stripe(bad), UsageError) << bad;
}

TEST(CxxUnits, Level) {
  EXPECT_EQ(parse_level("0"), 0u);
  EXPECT_EQ(parse_level("1"), 1u);
  EXPECT_EQ(parse_level("raid5"), 5u);
  EXPECT_EQ(parse_level("RAID10"), 10u);
  for (const char *bad : {"2", "3", "6", "raid", "", "01x", "100"})
    EXPECT_THROW(parse_level(bad), UsageError) << bad;
}

TEST(CxxUnits, Format) {
  EXPECT_EQ(format_sectors(0), "0 B");
  EXPECT_EQ(format_sectors(2), "1.00 KiB");
  EXPECT_EQ(format_sectors(2097152), "1.00 GiB");
  EXPECT_EQ(format_sectors(3145728), "1.50 GiB");
  EXPECT_EQ(format_stripe(128), "64K");
  EXPECT_EQ(format_stripe(2048), "1M");
}

TEST(CxxUnits, ExactSizes) {
  EXPECT_EQ(format_sectors_exact(32768), "16M");
  EXPECT_EQ(format_sectors_exact(131072), "64M");
  EXPECT_EQ(format_sectors_exact(2u << 20), "1G");
  EXPECT_EQ(format_sectors_exact(2ull << 30), "1T");
  EXPECT_EQ(format_sectors_exact(34), "17K");
  EXPECT_EQ(format_sectors_exact(3), "3s");
  EXPECT_EQ(format_sectors_exact(0), "0");
  // what it prints reads back as the same number of sectors
  for (uint64_t s : {1ull, 3ull, 34ull, 32768ull, 32769ull, 491520ull, 1ull << 40})
    EXPECT_EQ(parse_sectors(format_sectors_exact(s), "x"), s) << s;
}
