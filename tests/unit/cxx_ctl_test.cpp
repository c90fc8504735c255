// Error paths of the control-device client (lib/cxx/ctl.hpp) that need no
// module: an absent or unusable /dev/raidcluster, and how kernel refusals
// become messages.
#include "ctl.hpp"

#include <cerrno>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

using namespace rc;

namespace {

struct EnvCtl {
  explicit EnvCtl(const char *p) { setenv("RAIDCLUSTER_CTL", p, 1); }
  ~EnvCtl() { unsetenv("RAIDCLUSTER_CTL"); }
};

} // namespace

TEST(CxxCtl, ModuleNotLoaded) {
  EnvCtl e("/dev/raidcluster-test-absent");
  try {
    Control c;
    ADD_FAILURE();
  } catch (const Error &err) {
    EXPECT_EQ(std::string(err.what()),
              "raidcluster module not loaded (/dev/raidcluster-test-absent missing): run "
              "'modprobe raidcluster'");
  }
}

TEST(CxxCtl, NotAControlDevice) {
  // /dev/null opens but knows no raidcluster ioctl: ENOTTY, named so.
  EnvCtl e("/dev/null");
  Control c;
  try {
    c.info();
    ADD_FAILURE();
  } catch (const CtlError &err) {
    EXPECT_EQ(err.err(), ENOTTY);
    EXPECT_NE(std::string(err.what()).find("module info: "), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("version mismatch"), std::string::npos);
  }
}

TEST(CxxCtl, KernelMessageWinsOverErrno) {
  char msg[RC_IOC_MSG_LEN] = "disk sdb is in use by another holder";
  EXPECT_EQ(ctl_error_text("attach /dev/sdb", msg, EBUSY),
            "attach /dev/sdb: disk sdb is in use by another holder");
  char none[RC_IOC_MSG_LEN] = "";
  EXPECT_EQ(ctl_error_text("create x", none, EEXIST), "create x: File exists");
  EXPECT_EQ(ctl_error_text("attach /dev/sdb", none, EPERM),
            "attach /dev/sdb: permission denied (needs root: CAP_SYS_ADMIN)");
  // An unterminated message from a buggy kernel is cut, not overrun.
  char full[RC_IOC_MSG_LEN];
  std::fill(std::begin(full), std::end(full), 'x');
  EXPECT_EQ(ctl_error_text("w", full, EIO).size(), 3u + RC_IOC_MSG_LEN);
}
