// status's pure parts (lib/cxx/status.hpp): the health --check reports and
// the shell assignments of status LD --export, which scripts eval, and
// the tables of its text.
#include "error.hpp"
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

namespace {

rc_ioc_info module_info() {
  rc_ioc_info info{};
  std::strncpy(info.module_version, "0.1", sizeof(info.module_version));
  info.node_id = 1;
  info.cod_generation = 8;
  return info;
}

std::vector<DiskInfo> two_disks() {
  DiskInfo a{}, b{};
  a.index = 0;
  a.state = RC_DISK_ONLINE;
  a.present = 1;
  std::strncpy(a.name, "sda", sizeof(a.name));
  std::strncpy(a.serial, "d0", sizeof(a.serial));
  a.wwn_len = 8;
  const uint8_t w[8] = {0x50, 0x00, 0xc5, 0x00, 0x66, 0x91, 0x8c, 0xf0};
  std::memcpy(a.wwn, w, sizeof(w));
  a.capacity = 524288;
  a.pr_state = RC_DISK_PR_UNSUPPORTED;
  b = a;
  b.index = 1;
  b.state = RC_DISK_FAILED;
  b.present = 0;
  b.wwn_len = 0;
  std::strncpy(b.serial, "d1", sizeof(b.serial));
  b.write_errors = 3;
  b.pr_state = RC_DISK_PR_UNKNOWN;
  return {a, b};
}

std::vector<LdInfo> one_drive() {
  LdInfo l = drive(0, "m", RC_LD_DEGRADED, true);
  l.stripe_sectors = 128;
  l.capacity = 131072;
  l.nextents = 2;
  l.extents[0] = {};
  l.extents[0].disk = 0;
  l.extents[0].start = 32768;
  l.extents[0].length = 131072;
  l.extents[0].state = RC_EXT_ONLINE;
  l.extents[1] = l.extents[0];
  l.extents[1].disk = 1;
  l.extents[1].state = RC_EXT_FAILED;
  return {l};
}

} // namespace

// The default text, as the tables printed it before libsmartcols (the VM
// suite greps its rows: a row of a present disk ends in its PR KEY).
TEST(CxxStatus, TablesText) {
  EXPECT_EQ(format_status(module_info(), 0, two_disks(), one_drive()),
            "raidcluster 0.1  node 1  cluster (none yet)  COD generation 8\n"
            "\n"
            "member disks:\n"
            "IDX  DEVICE    WWN                   SERIAL  CAPACITY    STATE   ERRORS R/W  PR KEY\n"
            "0    /dev/sda  naa.5000c50066918cf0  d0      256.00 MiB  online  0/0         none\n"
            "1    (absent)  -                     d1      256.00 MiB  failed  0/3         -\n"
            "\n"
            "logical drives:\n"
            "LD    NAME  LEVEL  STRIPE  CAPACITY   STATE     OPEN  HOLDER  REBUILD  "
            "MEMBERS (disk:start+length)\n"
            "rcl0  m     raid1  64K     64.00 MiB  degraded  0     -       -        "
            "d0:16M+64M d1:16M+64M(failed)\n");
  // no disks, no drives: the headers alone
  EXPECT_EQ(format_status(module_info(), 0, {}, {}),
            "raidcluster 0.1  node 1  cluster (none yet)  COD generation 8\n"
            "\n"
            "member disks:\n"
            "IDX  DEVICE  WWN  SERIAL  CAPACITY  STATE  ERRORS R/W  PR KEY\n"
            "\n"
            "logical drives:\n"
            "LD  NAME  LEVEL  STRIPE  CAPACITY  STATE  OPEN  HOLDER  REBUILD  "
            "MEMBERS (disk:start+length)\n");
}

// --disk-output picks the member disks' columns, -o the drives'; the
// other table stays whole.
TEST(CxxStatus, OutputColumnsOfEachTable) {
  TableView dv, lv;
  dv.columns = {"serial", "STATE", "errors-r/w"};
  std::string out = format_status(module_info(), 0, two_disks(), one_drive(), dv);
  EXPECT_NE(out.find("member disks:\n"
                     "SERIAL  STATE   ERRORS R/W\n"
                     "d0      online  0/0\n"
                     "d1      failed  0/3\n\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("LD    NAME  LEVEL  STRIPE"), std::string::npos) << out;
  lv.columns = {"NAME", "STATE", "MEMBERS"};
  out = format_status(module_info(), 0, two_disks(), one_drive(), TableView(), lv);
  EXPECT_NE(out.find("logical drives:\n"
                     "NAME  STATE     MEMBERS (disk:start+length)\n"
                     "m     degraded  d0:16M+64M d1:16M+64M(failed)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("IDX  DEVICE    WWN"), std::string::npos) << out;
  // a disk column is no drive column
  lv.columns = {"IDX"};
  EXPECT_THROW(format_status(module_info(), 0, two_disks(), one_drive(), TableView(), lv),
               UsageError);
  EXPECT_EQ(column_names(status_ld_headers()).back(), "MEMBERS");
  EXPECT_EQ(column_names(status_disk_headers()).back(), "PR-KEY");
}
