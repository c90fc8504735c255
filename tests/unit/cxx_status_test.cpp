// status's pure parts (lib/cxx/status.hpp): the health --check reports and
// the shell assignments of status LD --export, which scripts eval.
#include "status.hpp"

#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <string>

using namespace rc;

namespace {

LdInfo drive(uint32_t number, const char *name, uint32_t state, bool running) {
  LdInfo l{};
  l.number = number;
  std::strncpy(l.name, name, sizeof(l.name));
  l.level = 1;
  l.capacity = 32768;
  l.state = state;
  l.flags = running ? RC_LD_F_RUNNING : 0;
  l.holder = RC_IOC_NO_NODE;
  l.rebuild_node = RC_IOC_NO_NODE;
  return l;
}

// What /bin/sh makes of @assignments: the value of $@var after eval.
std::string sh_eval(const std::string &assignments, const std::string &var) {
  std::string cmd = "X=" + shell_quote(assignments) + "; eval \"$X\"; printf '%s' \"$" + var + "\"";
  std::string sh = "sh -c " + shell_quote(cmd);
  FILE *p = popen(sh.c_str(), "r");
  if (!p)
    return "(popen failed)";
  std::string out;
  char b[256];
  size_t n;
  while ((n = fread(b, 1, sizeof(b), p)) > 0)
    out.append(b, n);
  pclose(p);
  return out;
}

} // namespace

TEST(CxxStatus, ShellQuote) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("data"), "'data'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

TEST(CxxStatus, ExportRoundTripsThroughTheShell) {
  rc_ioc_info info{};
  info.node_id = 3;
  LdInfo l = drive(4, "it's $(reboot) `x` \"q\"", RC_LD_DEGRADED, true);
  l.holder = 3;
  std::string e = format_export(info, l);
  EXPECT_NE(e.find("RC_DEVICE='rcl4'\n"), std::string::npos) << e;
  EXPECT_EQ(sh_eval(e, "RC_NAME"), "it's $(reboot) `x` \"q\"");
  EXPECT_EQ(sh_eval(e, "RC_NODE_ID"), "3");
  EXPECT_EQ(sh_eval(e, "RC_HOLDER"), "3");
  EXPECT_EQ(sh_eval(e, "RC_STATE"), rc_ld_state_name(RC_LD_DEGRADED));
  EXPECT_EQ(sh_eval(e, "RC_RUNNING"), "1");
  EXPECT_EQ(sh_eval(e, "RC_HEALTH"), "1");
  EXPECT_EQ(sh_eval(e, "RC_SYNC_ACTION"), "idle");
}

TEST(CxxStatus, ExportOfAFreeStoppedDrive) {
  rc_ioc_info info{};
  std::string e = format_export(info, drive(0, "m", RC_LD_OPTIMAL, false));
  EXPECT_NE(e.find("RC_HOLDER=''\n"), std::string::npos) << e;
  EXPECT_NE(e.find("RC_RUNNING='0'\n"), std::string::npos) << e;
  EXPECT_NE(e.find("RC_HEALTH='2'\n"), std::string::npos) << e;
}

TEST(CxxStatus, HealthIsTheWorstDrive) {
  EXPECT_EQ(drives_health({}), 0);
  EXPECT_EQ(drives_health({drive(0, "a", RC_LD_OPTIMAL, true)}), 0);
  EXPECT_EQ(
      drives_health({drive(0, "a", RC_LD_OPTIMAL, true), drive(1, "b", RC_LD_DEGRADED, true)}), 1);
  EXPECT_EQ(
      drives_health({drive(0, "a", RC_LD_DEGRADED, true), drive(1, "b", RC_LD_OFFLINE, true)}), 2);
}
