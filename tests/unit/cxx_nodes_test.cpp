// node list's output (lib/cxx/nodes.hpp) from RC_IOC_NODE_INFO answers.
#include "nodes.hpp"

#include <cstring>
#include <gtest/gtest.h>

using namespace rc;

static rc_ioc_node_info node(uint32_t id, uint32_t flags, const char *state, const char *info,
                             uint8_t master) {
  rc_ioc_node_info n{};
  n.id = id;
  n.self = 0;
  n.flags = flags;
  n.master = master;
  n.connected = 0x3;
  n.comm_channel = 1;
  n.incarnation = 100 + id;
  n.heartbeat = 7;
  n.hb_age_ms = 250;
  std::strncpy(n.state_name, state, sizeof(n.state_name) - 1);
  std::strncpy(n.info_name, info, sizeof(n.info_name) - 1);
  return n;
}

TEST(CxxNodes, ListsSelfAndKnownNodesOnly) {
  std::vector<rc_ioc_node_info> all;
  for (uint32_t i = 0; i < 32; i++)
    all.push_back(node(i, 0, "NONE", "None", RC_IOC_NO_NODE));
  all[0].flags = RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS | RC_NODE_F_KNOWN;
  all[2].flags = RC_NODE_F_KNOWN | RC_NODE_F_LIVE;
  all[5].flags = RC_NODE_F_KNOWN; // a slot of a node that stopped
  std::vector<rc_ioc_node_info> l = listed_nodes(all);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].id, 0u);
  EXPECT_EQ(l[1].id, 2u);
  EXPECT_EQ(l[2].id, 5u);
}

TEST(CxxNodes, ChannelList) {
  EXPECT_EQ(channel_list(0), "-");
  EXPECT_EQ(channel_list(0x1), "0");
  EXPECT_EQ(channel_list(0x83), "0,1,7");
}

TEST(CxxNodes, TableNamesStatesMasterAndAge) {
  std::vector<rc_ioc_node_info> l = {
      node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS | RC_NODE_F_KNOWN,
           "ACTIVE_SLAVE", "Completed_Startup", 2),
      node(2, RC_NODE_F_KNOWN | RC_NODE_F_LIVE, "MASTER", "Completed_Startup", 2),
      node(5, RC_NODE_F_KNOWN, "ACTIVE_SLAVE", "Completed_Startup", 2)};
  std::string out = format_nodes(l);
  EXPECT_EQ(out.rfind("node 0 (this node): in nexus, fencing: lease only\n", 0), 0u) << out;
  EXPECT_NE(out.find("0*"), std::string::npos) << out;
  EXPECT_NE(out.find("MASTER"), std::string::npos) << out;
  EXPECT_NE(out.find("250 ms (not live)"), std::string::npos) << out;
  EXPECT_NE(out.find("(self)"), std::string::npos) << out;
  EXPECT_NE(out.find("0,1"), std::string::npos) << out;
}

// The fencing mode is this node's: named in the headline and on its own entry only.
TEST(CxxNodes, FencingMode) {
  std::vector<rc_ioc_node_info> l = {
      node(1, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_KNOWN | RC_NODE_F_DISK_PR, "MASTER",
           "Completed_Startup", 1),
      node(2, RC_NODE_F_KNOWN | RC_NODE_F_LIVE | RC_NODE_F_DISK_PR, "ACTIVE_SLAVE",
           "Completed_Startup", 1)};
  std::string out = format_nodes(l);
  EXPECT_EQ(out.rfind("node 1 (this node): not in nexus, fencing: disk PR\n", 0), 0u) << out;
  std::string j = dump_json(nodes_json(l), -1);
  EXPECT_NE(j.find("\"fencing\":\"disk PR\""), std::string::npos) << j;
  EXPECT_EQ(j.find("\"fencing\":\"disk PR\""), j.rfind("\"fencing\":\"disk PR\"")) << j;
  EXPECT_NE(j.find("\"fencing\":null"), std::string::npos) << j;
}

TEST(CxxNodes, NotStartedHeadline) {
  std::vector<rc_ioc_node_info> l = {node(3, RC_NODE_F_SELF, "NONE", "None", RC_IOC_NO_NODE)};
  EXPECT_EQ(format_nodes(l).rfind("node 3 (this node): not started (no member disk)\n", 0), 0u);
}

TEST(CxxNodes, Json) {
  std::vector<rc_ioc_node_info> l = {node(1, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_KNOWN,
                                          "MASTER", "Completed_Startup", 1),
                                     node(4, RC_NODE_F_KNOWN | RC_NODE_F_LIVE | RC_NODE_F_BOOTING,
                                          "NEW_SLAVE", "Waiting_For_Negotiations", RC_IOC_NO_NODE)};
  std::string j = dump_json(nodes_json(l), -1);
  EXPECT_NE(j.find("\"id\":1,\"self\":true,\"state\":\"MASTER\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"is_master\":true"), std::string::npos) << j;
  EXPECT_NE(j.find("\"heartbeat_age_ms\":null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"master\":null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"heartbeat_age_ms\":250"), std::string::npos) << j;
  EXPECT_NE(j.find("\"booting\":true"), std::string::npos) << j;
  EXPECT_NE(j.find("\"connected_channels\":\"0,1\""), std::string::npos) << j;
}

// A node whose current life is fenced says so in the table and in the JSON.
TEST(CxxNodes, Fenced) {
  std::vector<rc_ioc_node_info> l = {
      node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS | RC_NODE_F_KNOWN, "MASTER",
           "Completed_Startup", 0),
      node(1, RC_NODE_F_KNOWN | RC_NODE_F_SUSPENDED | RC_NODE_F_FENCED, "KILLED_SLAVE", "Killed",
           0),
      node(2, RC_NODE_F_KNOWN | RC_NODE_F_LIVE, "ACTIVE_SLAVE", "Completed_Startup", 0)};
  std::string out = format_nodes(l);
  EXPECT_NE(out.find("250 ms (not live) (fenced)"), std::string::npos) << out;
  EXPECT_EQ(out.find("(fenced)"), out.rfind("(fenced)")) << out;
  std::string j = dump_json(nodes_json(l), -1);
  EXPECT_NE(j.find("\"fenced\":true"), std::string::npos) << j;
  EXPECT_EQ(j.find("\"fenced\":true"), j.rfind("\"fenced\":true")) << j;
}

namespace {

std::vector<rc_ioc_node_info> three_nodes() {
  return {node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS | RC_NODE_F_KNOWN,
               "ACTIVE_SLAVE", "Completed_Startup", 2),
          node(2, RC_NODE_F_KNOWN | RC_NODE_F_LIVE, "MASTER", "Completed_Startup", 2),
          node(5, RC_NODE_F_KNOWN | RC_NODE_F_FENCED, "ACTIVE_SLAVE", "Completed_Startup", 2)};
}

} // namespace

// The default text, as the table printed it before libsmartcols.
TEST(CxxNodes, TableText) {
  EXPECT_EQ(format_nodes(three_nodes()),
            "node 0 (this node): in nexus, fencing: lease only\n"
            "ID  STATE         INFO               MASTER  INCARNATION  HEARTBEAT AGE"
            "               CHANNELS  COMM\n"
            "0*  ACTIVE_SLAVE  Completed_Startup  2       100          (self)       "
            "               0,1       1\n"
            "2   MASTER        Completed_Startup  2       102          250 ms       "
            "               0,1       1\n"
            "5   ACTIVE_SLAVE  Completed_Startup  2       105          250 ms (not live) (fenced)"
            "  0,1       1\n");
}

// -o: the columns named, in that order; --noheadings: the rows alone (no
// headline either), for scripts.
TEST(CxxNodes, OutputColumnsAndNoHeadings) {
  TableView v;
  v.columns = {"heartbeat_age", "ID", "master"};
  EXPECT_EQ(format_nodes(three_nodes(), v), "node 0 (this node): in nexus, fencing: lease only\n"
                                            "HEARTBEAT AGE               ID  MASTER\n"
                                            "(self)                      0*  2\n"
                                            "250 ms                      2   2\n"
                                            "250 ms (not live) (fenced)  5   2\n");
  v.columns = {"ID", "STATE"};
  v.headings = false;
  EXPECT_EQ(format_nodes(three_nodes(), v), "0*  ACTIVE_SLAVE\n"
                                            "2   MASTER\n"
                                            "5   ACTIVE_SLAVE\n");
  EXPECT_EQ(column_names(node_headers()),
            (std::vector<std::string>{"ID", "STATE", "INFO", "MASTER", "INCARNATION",
                                      "HEARTBEAT-AGE", "CHANNELS", "COMM"}));
}
