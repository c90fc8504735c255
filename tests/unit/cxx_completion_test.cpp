// bash completion of raidclusterctl (tools/completion/raidclusterctl), run in
// bash with bash-completion (make deps) against a /proc/raidcluster of a
// module with two drives and one attached member disk.
#include "inventory.hpp"
#include "nodes.hpp"
#include "status.hpp"
#include "table.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

#ifndef RC_TOP
#error "RC_TOP (the source tree) must be defined"
#endif

namespace {

const char *kProc =
    "raidcluster 0.1 node 0\n"
    "cluster 2b9f0c8e-0000-4000-8000-000000000001 generation 5\n"
    "disk 0 sda online serial 'd0' wwn 5000c500 524288 sectors at 2:0:0:0 errors r0/w0\n"
    "disk 1 - failed serial 'd1' wwn 5000c501 524288 sectors (not attached)\n"
    "rcl0 'data' raid1 optimal 131072 sectors chunk 128 sectors members 0:online 1:online "
    "open 0 read-retries 0\n"
    "rcl3 'scratch_2' raid0 degraded 131072 sectors chunk 128 sectors members 0:online open 0 "
    "read-retries 0 rebuild 10/100 sectors (10.0%) 5 sectors/s\n";

// What completing the last of @words offers, one word per line.
std::string complete(const std::string &words) {
  char proc[] = "/tmp/rc-proc-XXXXXX";
  int fd = mkstemp(proc);
  EXPECT_GE(fd, 0);
  std::string p(kProc);
  EXPECT_EQ(write(fd, p.data(), p.size()), static_cast<ssize_t>(p.size()));
  close(fd);
  const std::string script =
      std::string("source /usr/share/bash-completion/bash_completion && source ") + RC_TOP +
      "/tools/completion/raidclusterctl && COMP_WORDS=(" + words +
      ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && COMP_LINE=\"${COMP_WORDS[*]}\" && "
      "COMP_POINT=${#COMP_LINE} && _raidclusterctl && printf \"%s\\n\" \"${COMPREPLY[@]}\"";
  const std::string cmd = "RAIDCLUSTER_PROC=" + std::string(proc) + " bash -c '" + script + "'";
  std::string out;
  FILE *f = popen(cmd.c_str(), "r");
  EXPECT_TRUE(f);
  std::array<char, 256> buf;
  while (f && fgets(buf.data(), buf.size(), f))
    out += buf.data();
  EXPECT_EQ(f ? pclose(f) : -1, 0) << cmd;
  unlink(proc);
  return out;
}

bool offers(const std::string &out, const std::string &word) {
  return ("\n" + out).find("\n" + word + "\n") != std::string::npos;
}

} // namespace

TEST(CxxCompletion, Commands) {
  std::string out = complete("raidclusterctl \"\"");
  for (const char *c :
       {"scan", "attach", "detach", "create", "delete", "run", "rebuild", "spare", "policy",
        "status", "monitor", "config", "node", "reserve", "release", "cod"})
    EXPECT_TRUE(offers(out, c)) << c << "\n" << out;
  out = complete("raidclusterctl de");
  EXPECT_EQ(out, "detach\ndelete\n");
}

TEST(CxxCompletion, DrivesByNameAndNumber) {
  std::string out = complete("raidclusterctl delete \"\"");
  for (const char *w : {"rcl0", "data", "rcl3", "scratch_2", "--yes"})
    EXPECT_TRUE(offers(out, w)) << w << "\n" << out;
  EXPECT_EQ(complete("raidclusterctl reserve scr"), "scratch_2\n");
}

TEST(CxxCompletion, MembersForDetach) {
  std::string out = complete("raidclusterctl detach \"\"");
  EXPECT_TRUE(offers(out, "sda")) << out;
  EXPECT_FALSE(offers(out, "-")) << out; // the absent disk
}

TEST(CxxCompletion, SubcommandsAndValues) {
  EXPECT_EQ(complete("raidclusterctl node \"\""), "list\nresume\nkill\n-h\n--help\n");
  EXPECT_EQ(complete("raidclusterctl create x --level \"\""), "0\n1\n5\n10\n");
  EXPECT_EQ(complete("raidclusterctl policy --insert \"\""), "spare\nignore\n");
  EXPECT_EQ(complete("raidclusterctl status --c"), "--check\n");
  EXPECT_EQ(complete("raidclusterctl rebuild data --w"), "--wait\n");
  EXPECT_EQ(complete("raidclusterctl config \"\""), "show\nmodule-options\n-h\n--help\n");
  EXPECT_EQ(complete("raidclusterctl monitor --p"), "--program\n");
}

TEST(CxxCompletion, TableOptions) {
  EXPECT_EQ(complete("raidclusterctl scan --n"), "--noheadings\n");
  EXPECT_EQ(complete("raidclusterctl status --d"), "--disk-output\n");
  EXPECT_EQ(complete("raidclusterctl node list --o"), "--output\n");
  // -n of scan is a flag: options follow it; monitor's -n takes a count
  EXPECT_TRUE(offers(complete("raidclusterctl scan -n \"\""), "--output"));
  EXPECT_EQ(complete("raidclusterctl monitor -n \"\""), "\n"); // nothing
}

// -o's names are the tables' own (as --help lists them), each followed by
// a comma for the next; those already in the list are not offered again.
TEST(CxxCompletion, ColumnNames) {
  auto words = [](const std::vector<std::string> &headers, const std::string &prefix) {
    std::string s;
    for (const auto &n : rc::column_names(headers))
      s += prefix + n + ",\n";
    return s;
  };
  EXPECT_EQ(complete("raidclusterctl scan -o \"\""), words(rc::probe_headers(), ""));
  EXPECT_EQ(complete("raidclusterctl status --output \"\""), words(rc::status_ld_headers(), ""));
  EXPECT_EQ(complete("raidclusterctl status data --disk-output \"\""),
            words(rc::status_disk_headers(), ""));
  EXPECT_EQ(complete("raidclusterctl node list -o \"\""), words(rc::node_headers(), ""));
  EXPECT_EQ(complete("raidclusterctl status -o NAME,S"), "NAME,STRIPE,\nNAME,STATE,\n");
  EXPECT_EQ(complete("raidclusterctl scan -o wW"), "WWN,\n");
  EXPECT_EQ(complete("raidclusterctl node list -o ID,HEARTBEAT-AGE,"),
            "ID,HEARTBEAT-AGE,STATE,\nID,HEARTBEAT-AGE,INFO,\nID,HEARTBEAT-AGE,MASTER,\n"
            "ID,HEARTBEAT-AGE,INCARNATION,\nID,HEARTBEAT-AGE,CHANNELS,\nID,HEARTBEAT-AGE,COMM,\n");
}
