// Other software's signatures (lib/cxx/signatures.hpp), found and erased on
// image files made by the real tools: mkfs.ext4 (e2fsprogs, make deps) and
// mkswap (util-linux).  libblkid probes a regular file as it does a disk.
#include "error.hpp"
#include "signatures.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

using namespace rc;

namespace {

// A sparse 32 MiB image, removed at the end of the test.
class Image {
public:
  Image() {
    char p[] = "/tmp/rc-sig-XXXXXX";
    int fd = mkstemp(p);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(ftruncate(fd, 32 << 20), 0);
    close(fd);
    path_ = p;
  }
  ~Image() { unlink(path_.c_str()); }
  const std::string &path() const { return path_; }
  void run(const std::string &cmd) const {
    ASSERT_EQ(std::system((cmd + " " + path_ + " >/dev/null 2>&1").c_str()), 0) << cmd;
  }

private:
  std::string path_;
};

} // namespace

TEST(CxxSignatures, BlankHasNone) {
  Image img;
  EXPECT_TRUE(find_signatures(img.path()).empty());
  EXPECT_TRUE(wipe_signatures(img.path()).empty());
}

TEST(CxxSignatures, FindsAFilesystem) {
  Image img;
  img.run("mkfs.ext4 -q -F");
  std::vector<Signature> s = find_signatures(img.path());
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].type, "ext4");
  EXPECT_EQ(s[0].usage, "filesystem");
  EXPECT_EQ(s[0].offset, 0x438u); // s_magic in the superblock at 1024
  EXPECT_EQ(describe_signatures(s), "an ext4 filesystem");
}

// Erasing leaves nothing a probe finds, and reports what it erased.
TEST(CxxSignatures, WipeErasesEveryOne) {
  Image img;
  img.run("mkswap");
  std::vector<Signature> s = find_signatures(img.path());
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].type, "swap");
  EXPECT_EQ(describe_signatures(s), "a swap signature");
  std::vector<Signature> w = wipe_signatures(img.path());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].type, "swap");
  EXPECT_TRUE(find_signatures(img.path()).empty());
}

TEST(CxxSignatures, Describe) {
  EXPECT_EQ(describe_signatures({{"gpt", "partition table", 512},
                                 {"PMBR", "partition table", 510},
                                 {"gpt", "partition table", 1 << 20}}),
            "a gpt partition table and a PMBR partition table");
  EXPECT_EQ(describe_signatures({{"linux_raid_member", "raid", 4096}}),
            "a linux_raid_member (raid)");
  EXPECT_EQ(describe_signatures({{"LVM2_member", "raid", 536}}), "a LVM2_member (raid)");
  EXPECT_EQ(describe_signatures({{"odd", "", 0}}), "an odd signature");
}

TEST(CxxSignatures, MissingDiskIsAnError) {
  EXPECT_THROW(find_signatures("/nonexistent/disk"), SysError);
  EXPECT_THROW(wipe_signatures("/nonexistent/disk"), SysError);
}
