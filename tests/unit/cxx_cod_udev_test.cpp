// The udev properties of `cod show --udev` from COD images made by the
// portable lib: members are tagged for lsblk, everything else says why not.
#include "cod_udev.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <vector>

using namespace rc;

namespace {

const uint8_t kUuid[16] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

std::vector<uint8_t> image(uint64_t generation, bool corrupt = false) {
  ConfigPtr c = new_config();
  rc_config_init(c.get(), kUuid);
  c->generation = generation;
  c->ndisks = 1;
  c->disks[0].state = RC_DISK_SPARE;
  std::strcpy(c->disks[0].serial, "d0");
  c->disks[0].capacity = 1 << 21;
  std::vector<uint8_t> b(RC_COD_BYTES);
  EXPECT_EQ(rc_cod_encode(c.get(), b.data()), 0);
  if (corrupt)
    b[300] ^= 0xff;
  return b;
}

} // namespace

TEST(CxxCodUdev, MemberIsTaggedForLsblk) {
  auto a = image(7), b = image(7);
  CodReport r = analyze_cod(a.data(), b.data());
  Membership m = membership(r, Wwn{}, "d0");
  EXPECT_EQ(cod_udev_properties(r, m), "ID_FS_TYPE=raidcluster_member\n"
                                       "ID_FS_USAGE=raid\n"
                                       "ID_FS_UUID=deadbeef-0102-0304-0506-0708090a0b0c\n"
                                       "ID_FS_UUID_ENC=deadbeef-0102-0304-0506-0708090a0b0c\n"
                                       "RAIDCLUSTER_COD=member\n"
                                       "RAIDCLUSTER_DISK=0\n"
                                       "RAIDCLUSTER_DISK_STATE=spare\n"
                                       "RAIDCLUSTER_GENERATION=7\n");
}

TEST(CxxCodUdev, CodThatDoesNotListTheDisk) {
  auto a = image(7), b = image(7);
  CodReport r = analyze_cod(a.data(), b.data());
  EXPECT_EQ(cod_udev_properties(r, membership(r, Wwn{}, "other")), "RAIDCLUSTER_COD=unlisted\n");
}

TEST(CxxCodUdev, BlankAndCorruptDisks) {
  std::vector<uint8_t> zero(RC_COD_BYTES, 0);
  CodReport blank = analyze_cod(zero.data(), zero.data());
  EXPECT_EQ(cod_udev_properties(blank, membership(blank, Wwn{}, "d0")), "RAIDCLUSTER_COD=none\n");
  // no COD and nothing in the first and last MiB: a new disk
  EXPECT_EQ(cod_udev_properties(blank, membership(blank, Wwn{}, "d0"), true),
            "RAIDCLUSTER_COD=none\nRAIDCLUSTER_BLANK=1\n");
  auto a = image(7, true), b = image(7, true);
  CodReport torn = analyze_cod(a.data(), b.data());
  EXPECT_EQ(cod_udev_properties(torn, membership(torn, Wwn{}, "d0")), "RAIDCLUSTER_COD=invalid\n");
  // a damaged COD is never blank, whatever the caller read
  EXPECT_EQ(cod_udev_properties(torn, membership(torn, Wwn{}, "d0"), true),
            "RAIDCLUSTER_COD=invalid\n");
  // one good copy is enough: the COD's rule, as the kernel reads it
  auto good = image(7);
  CodReport half = analyze_cod(a.data(), good.data());
  EXPECT_NE(cod_udev_properties(half, membership(half, Wwn{}, "d0")).find("RAIDCLUSTER_COD=member"),
            std::string::npos);
}
