// raidclusterctl monitor's reading of the module's uevents (lib/cxx/monitor.hpp).
#include "monitor.hpp"

#include <gtest/gtest.h>

using namespace rc;

static std::string line(const Uevent &u) {
  auto ev = monitor_event(u, "2026-12-03T15:00:01Z");
  return ev ? dump_json(ev->json, -1) : "";
}

TEST(CxxMonitor, DriveState) {
  Uevent u{"block",
           "rcl2",
           {{"ACTION", "change"}, {"RAIDCLUSTER_STATE", "degraded"}, {"RAIDCLUSTER_LD", "2"}}};
  EXPECT_EQ(line(u), "{\"schema_version\":1,\"time\":\"2026-12-03T15:00:01Z\",\"event\":\"drive_"
                     "state\",\"ld\":2,\"device\":\"rcl2\",\"state\":\"degraded\"}");
  auto ev = monitor_event(u, "t");
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->args, (std::vector<std::string>{"drive_state", "rcl2", "degraded"}));
}

TEST(CxxMonitor, ModuleEvents) {
  auto mod = [](std::map<std::string, std::string> env) {
    return Uevent{"module", "raidcluster", std::move(env)};
  };
  EXPECT_NE(line(mod({{"RAIDCLUSTER_EVENT", "node_state"},
                      {"RAIDCLUSTER_NODE", "1"},
                      {"RAIDCLUSTER_NODE_STATE", "MASTER/Completed_Startup"}}))
                .find("\"event\":\"node_state\",\"node\":1,\"state\":\"MASTER/Completed_Startup\""),
            std::string::npos);
  EXPECT_NE(line(mod({{"RAIDCLUSTER_EVENT", "reservation"},
                      {"RAIDCLUSTER_LD", "0"},
                      {"RAIDCLUSTER_HOLDER", "none"}}))
                .find("\"holder\":null"),
            std::string::npos);
  EXPECT_NE(line(mod({{"RAIDCLUSTER_EVENT", "disk_state"},
                      {"RAIDCLUSTER_DISK", "3"},
                      {"RAIDCLUSTER_DISK_STATE", "failed"}}))
                .find("\"event\":\"disk_state\",\"disk\":3,\"state\":\"failed\""),
            std::string::npos);
  auto member = monitor_event(mod({{"RAIDCLUSTER_EVENT", "member_state"},
                                   {"RAIDCLUSTER_LD", "0"},
                                   {"RAIDCLUSTER_MEMBER", "2"},
                                   {"RAIDCLUSTER_DISK", "4"},
                                   {"RAIDCLUSTER_MEMBER_STATE", "rebuilding"}}),
                              "t");
  ASSERT_TRUE(member);
  EXPECT_EQ(member->args, (std::vector<std::string>{"member_state", "rcl0", "2:rebuilding"}));
  EXPECT_NE(line(mod({{"RAIDCLUSTER_EVENT", "rebuild_progress"},
                      {"RAIDCLUSTER_LD", "0"},
                      {"RAIDCLUSTER_MEMBER", "2"},
                      {"RAIDCLUSTER_PERCENT", "40"}}))
                .find("\"member\":2,\"percent\":40"),
            std::string::npos);
}

// Other devices' events, and garbled ones, are not the module's.
TEST(CxxMonitor, IgnoresOthersAndGarbage) {
  EXPECT_EQ(line({"block", "sda", {{"RAIDCLUSTER_STATE", "x"}, {"RAIDCLUSTER_LD", "0"}}}), "");
  EXPECT_EQ(line({"module", "md_mod", {{"RAIDCLUSTER_EVENT", "disk_state"}}}), "");
  EXPECT_EQ(line({"block", "rcl0", {{"ACTION", "change"}}}), "");
  EXPECT_EQ(line({"module", "raidcluster", {{"RAIDCLUSTER_EVENT", "frob"}}}), "");
  EXPECT_EQ(line({"module",
                  "raidcluster",
                  {{"RAIDCLUSTER_EVENT", "disk_state"},
                   {"RAIDCLUSTER_DISK", "-1"},
                   {"RAIDCLUSTER_DISK_STATE", "failed"}}}),
            "");
  EXPECT_EQ(line({"module",
                  "raidcluster",
                  {{"RAIDCLUSTER_EVENT", "rebuild_progress"},
                   {"RAIDCLUSTER_LD", "0"},
                   {"RAIDCLUSTER_MEMBER", "0"},
                   {"RAIDCLUSTER_PERCENT", "130"}}}),
            "");
  EXPECT_EQ(line({"module",
                  "raidcluster",
                  {{"RAIDCLUSTER_EVENT", "reservation"},
                   {"RAIDCLUSTER_LD", "0"},
                   {"RAIDCLUSTER_HOLDER", "nobody"}}}),
            "");
}
