// The OCF resource agent tools/ocf/ld, run as lrmd runs it (sh, the
// resource-agents shell library of make deps, OCF_RESKEY_* in the
// environment) against a stand-in raidclusterctl that answers status
// --export with a given drive state and reserve/release with a given
// result.  The VM scenario cluster.resource_agent runs it against the real
// module; this covers the states that scenario does not reach: a drive
// held here but offline, not started, or without its device node, and a
// reserve refused while nobody holds the drive.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef RC_TOP
#error "RC_TOP (the source tree) must be defined"
#endif

namespace {

// The stand-in: status prints $STATE/export (absent: the module is not
// loaded); reserve and release exit with $STATE/reserve_rc (default 0)
// and, on success, make this node the holder (reserve) or nobody (release).
const char *kCtl = R"(#!/bin/sh
S=$RC_FAKE_STATE
echo "$*" >> "$S/calls"
case $1 in
status)
	[ -f "$S/export" ] || { echo "raidclusterctl: raidcluster module not loaded" >&2; exit 1; }
	cat "$S/export" ;;
reserve | release)
	rc=$(cat "$S/reserve_rc" 2>/dev/null || echo 0)
	if [ "$rc" != 0 ]; then echo "raidclusterctl: reserve refused" >&2; exit "$rc"; fi
	h=; [ "$1" = reserve ] && h=1
	sed -i "s/^RC_HOLDER=.*/RC_HOLDER='$h'/" "$S/export" ;;
esac
)";

class OcfAgent : public ::testing::Test {
protected:
  std::string dir;

  void SetUp() override {
    char t[] = "/tmp/rc-ocf-XXXXXX";
    ASSERT_TRUE(mkdtemp(t));
    dir = t;
    write("ctl", kCtl);
    chmod((dir + "/ctl").c_str(), 0755);
    mkdir((dir + "/dev").c_str(), 0755);
    ASSERT_EQ(access("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs", R_OK), 0)
        << "no resource-agents (make deps)";
  }
  void TearDown() override {
    std::string cmd = "rm -rf " + dir;
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }

  void write(const std::string &name, const std::string &text) {
    std::ofstream(dir + "/" + name) << text;
  }
  // This node is node 1; the drive rcl0 'data' in @state, held by @holder.
  void drive(const std::string &state, const std::string &holder, bool running = true) {
    write("export", "RC_NODE_ID='1'\nRC_NUMBER='0'\nRC_DEVICE='rcl0'\nRC_NAME='data'\n"
                    "RC_STATE='" +
                        state + "'\nRC_RUNNING='" + (running ? "1" : "0") + "'\nRC_HOLDER='" +
                        holder + "'\n");
  }
  // A block device node where the agent looks for /dev/rcl0 (needs root, as
  // make check runs; a regular file does not pass the agent's -b test).
  bool device_node() {
    return mknod((dir + "/dev/rcl0").c_str(), S_IFBLK | 0600, makedev(7, 250)) == 0;
  }

  // The agent's ACTION: its exit status; @out gets its stdout and stderr.
  int agent(const std::string &action, std::string *out = nullptr,
            const std::string &drive_param = "data", int timeout_ms = 20000) {
    std::string cmd = "env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=t OCF_RESKEY_drive='" +
                      drive_param + "' OCF_RESKEY_CRM_meta_timeout=" + std::to_string(timeout_ms) +
                      " OCF_RAIDCLUSTER_CTL=" + dir + "/ctl OCF_RAIDCLUSTER_DEV=" + dir +
                      "/dev RC_FAKE_STATE=" + dir + " sh " + RC_TOP + "/tools/ocf/ld " + action +
                      " 2>&1";
    FILE *f = popen(cmd.c_str(), "r");
    if (!f)
      return -1;
    std::string text;
    std::array<char, 256> buf;
    while (fgets(buf.data(), buf.size(), f))
      text += buf.data();
    int st = pclose(f);
    if (out)
      *out = text;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }
  std::string calls() {
    std::ifstream f(dir + "/calls");
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
};

} // namespace

TEST_F(OcfAgent, MonitorHeldHereAndUsable) {
  if (!device_node())
    GTEST_SKIP() << "mknod of a block device node needs root";
  drive("optimal", "1");
  EXPECT_EQ(agent("monitor"), 0);
  std::string out;
  drive("degraded", "1");
  EXPECT_EQ(agent("monitor", &out), 0);
  EXPECT_NE(out.find("data (rcl0) is degraded"), std::string::npos) << out;
  drive("rebuilding", "1");
  EXPECT_EQ(agent("monitor"), 0);
}

TEST_F(OcfAgent, MonitorHeldHereButNotUsable) {
  std::string out;
  drive("optimal", "1");
  EXPECT_EQ(agent("monitor", &out), 1); // no device node
  EXPECT_NE(out.find("/dev/rcl0 is missing"), std::string::npos) << out;
  if (!device_node())
    GTEST_SKIP() << "mknod of a block device node needs root";
  drive("offline", "1");
  EXPECT_EQ(agent("monitor", &out), 1);
  EXPECT_NE(out.find("rcl0 is offline"), std::string::npos) << out;
  drive("degraded", "1", false);
  EXPECT_EQ(agent("monitor", &out), 1);
  EXPECT_NE(out.find("not started"), std::string::npos) << out;
}

TEST_F(OcfAgent, MonitorNotHeldHere) {
  if (!device_node())
    GTEST_SKIP() << "mknod of a block device node needs root";
  drive("optimal", "");
  EXPECT_EQ(agent("monitor"), 7);
  drive("optimal", "2");
  EXPECT_EQ(agent("monitor"), 7);
  unlink((dir + "/export").c_str()); // module not loaded
  EXPECT_EQ(agent("monitor"), 7);
}

TEST_F(OcfAgent, ValidateAll) {
  drive("optimal", "");
  EXPECT_EQ(agent("validate-all"), 0);
  EXPECT_EQ(agent("validate-all", nullptr, ""), 6);
  unlink((dir + "/export").c_str());
  EXPECT_EQ(agent("validate-all"), 5);
  EXPECT_EQ(agent("promote"), 3);
}

TEST_F(OcfAgent, StartOfAnOfflineDriveFailsAndReleases) {
  if (!device_node())
    GTEST_SKIP() << "mknod of a block device node needs root";
  drive("offline", "");
  std::string out;
  EXPECT_EQ(agent("start", &out), 1);
  EXPECT_NE(out.find("rcl0 is offline"), std::string::npos) << out;
  EXPECT_NE(calls().find("reserve data\n"), std::string::npos) << calls();
  EXPECT_NE(calls().find("release data\n"), std::string::npos) << calls();
  EXPECT_EQ(agent("monitor"), 7);
}

TEST_F(OcfAgent, StartRefusedWhileNobodyHoldsFailsAfterOneRetry) {
  drive("optimal", "");
  write("reserve_rc", "1\n");
  std::string out;
  EXPECT_EQ(agent("start", &out), 1);
  EXPECT_NE(out.find("reserving data failed: raidclusterctl: reserve refused"), std::string::npos)
      << out;
  std::string c = calls();
  size_t n = 0;
  for (size_t p = c.find("reserve data"); p != std::string::npos; p = c.find("reserve data", p + 1))
    n++;
  EXPECT_EQ(n, 2u) << c;
}

TEST_F(OcfAgent, StopReleasesOnlyWhatThisNodeHolds) {
  drive("optimal", "2");
  EXPECT_EQ(agent("stop"), 0);
  EXPECT_EQ(calls().find("release"), std::string::npos) << calls();
  drive("optimal", "1");
  EXPECT_EQ(agent("stop"), 0);
  EXPECT_NE(calls().find("release data\n"), std::string::npos) << calls();
  drive("optimal", "1");
  write("reserve_rc", "1\n");
  EXPECT_EQ(agent("stop"), 1); // a release that fails: Pacemaker then fences
}
