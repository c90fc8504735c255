// raidclusterctl's command line, run as built ($(B)/raidclusterctl): what
// it refuses before it reads any disk or asks the module (exit 2), and what
// its help says.
#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>

#ifndef RC_CTL
#error "RC_CTL (the raidclusterctl binary) must be defined"
#endif

namespace {

struct CtlRun {
  int status = -1;
  std::string out; // stdout and stderr
};

CtlRun ctl(const std::string &args) {
  // no module, no config: nothing here may need them
  std::string cmd = std::string("RAIDCLUSTER_CTL=/nonexistent RAIDCLUSTER_CONF=/nonexistent ") +
                    RC_CTL + " " + args + " 2>&1";
  CtlRun r;
  FILE *f = popen(cmd.c_str(), "r");
  if (!f)
    return r;
  std::array<char, 512> buf;
  while (fgets(buf.data(), buf.size(), f))
    r.out += buf.data();
  int st = pclose(f);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

bool has(const std::string &s, const std::string &what) {
  return s.find(what) != std::string::npos;
}

} // namespace

// An unknown column is a usage error (exit 2, one line) naming the valid
// ones; scan reads no disk for it.
TEST(CxxCli, UnknownColumnIsAUsageError) {
  CtlRun r = ctl("scan -o DEVICE,SIZE");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "raidclusterctl: --output: unknown column 'SIZE'; the columns are HCTL, "
                   "DEVICE, SG, VENDOR, MODEL, WWN, SERIAL, CAPACITY, RAIDCLUSTER (try --help)\n");
  r = ctl("node list --output id,bogus");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_TRUE(has(r.out, "unknown column 'bogus'; the columns are ID, STATE, INFO, MASTER, "
                         "INCARNATION, HEARTBEAT-AGE, CHANNELS, COMM"))
      << r.out;
  for (const char *args : {"scan -o ''", "scan -o ,", "node list -o ,,"}) {
    r = ctl(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_TRUE(has(r.out, "no column named; the columns are ")) << args << ": " << r.out;
  }
}

// status: -o is the logical drives' table, --disk-output the member
// disks'; a column of the other table says so.  Checked before the module
// is asked (it is not loaded here), also with --check (whose exit status 4
// is for an unreadable status).
TEST(CxxCli, StatusColumnsOfEachTable) {
  CtlRun r = ctl("status -o NAME,,IDX");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_TRUE(has(r.out, "--output: unknown column 'IDX'; the columns are LD, NAME,")) << r.out;
  EXPECT_TRUE(has(r.out, "('IDX' is one of --disk-output's)")) << r.out;
  r = ctl("status --check --disk-output idx,rebuild");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_TRUE(has(r.out, "--disk-output: unknown column 'rebuild'; the columns are IDX,")) << r.out;
  EXPECT_TRUE(has(r.out, "('rebuild' is one of -o's)")) << r.out;
  // valid columns: on to the module, which is missing
  r = ctl("status -o name,STATE --disk-output IDX,PR_KEY");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_TRUE(has(r.out, "module not loaded")) << r.out;
}

// -o and --noheadings are for the tables: not with --json (or --export).
TEST(CxxCli, OutputIsNotForJson) {
  for (const char *args :
       {"scan -o DEVICE --json", "scan --noheadings --json", "--json scan -o DEVICE",
        "node list -n --json", "status -o NAME --json", "status x --export --disk-output IDX"}) {
    CtlRun r = ctl(args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_TRUE(has(r.out, "excludes")) << args << ": " << r.out;
  }
}

TEST(CxxCli, HelpNamesTheColumns) {
  CtlRun r = ctl("scan --help");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(has(r.out, "-o,--output LIST")) << r.out;
  EXPECT_TRUE(has(r.out, "-n,--noheadings")) << r.out;
  EXPECT_TRUE(has(r.out, "Columns: HCTL, DEVICE, SG, VENDOR, MODEL, WWN, SERIAL, CAPACITY, "
                         "RAIDCLUSTER."))
      << r.out;
  r = ctl("status --help");
  EXPECT_TRUE(has(r.out, "--disk-output LIST")) << r.out;
  EXPECT_TRUE(has(r.out, "Logical drives: LD, NAME, LEVEL, STRIPE, CAPACITY, STATE, OPEN, "
                         "HOLDER, REBUILD, MEMBERS."))
      << r.out;
  EXPECT_TRUE(has(r.out, "Member disks: IDX, DEVICE, WWN, SERIAL, CAPACITY, STATE, ERRORS-R/W, "
                         "PR-KEY."))
      << r.out;
  r = ctl("help node list");
  EXPECT_TRUE(has(r.out, "Columns: ID, STATE, INFO, MASTER, INCARNATION, HEARTBEAT-AGE, "
                         "CHANNELS, COMM."))
      << r.out;
}
