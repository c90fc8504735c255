// /etc/raidcluster.conf (lib/cxx/config_file.hpp).
#include "config_file.hpp"
#include "error.hpp"

#include <gtest/gtest.h>
#include <sstream>

using namespace rc;

static NodeConfig parse(const std::string &text) {
  std::istringstream in(text);
  return parse_config(in, "/etc/raidcluster.conf");
}

static std::string error_of(const std::string &text) {
  try {
    parse(text);
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

TEST(CxxConfigFile, Full) {
  NodeConfig c = parse("# raidcluster.conf\n"
                       "node_id = 2   # this node\n"
                       "\n"
                       "cluster_uuid=2B9F0C8E-1a2b-4c3d-8e4f-0123456789ab\n"
                       "  auto_attach = none\n"
                       "disks = naa.5000c5*  d[0-3]\n");
  EXPECT_TRUE(c.present);
  ASSERT_TRUE(c.node_id);
  EXPECT_EQ(*c.node_id, 2u);
  ASSERT_TRUE(c.cluster_uuid);
  EXPECT_EQ((*c.cluster_uuid)[0], 0x2b);
  EXPECT_EQ((*c.cluster_uuid)[15], 0xab);
  EXPECT_FALSE(c.auto_attach);
  EXPECT_EQ(c.disks, (std::vector<std::string>{"naa.5000c5*", "d[0-3]"}));
  EXPECT_EQ(module_options(c), "node_id=2 cluster_uuid=2b9f0c8e-1a2b-4c3d-8e4f-0123456789ab");
}

TEST(CxxConfigFile, Defaults) {
  NodeConfig c = parse("# nothing\n");
  EXPECT_FALSE(c.node_id);
  EXPECT_FALSE(c.cluster_uuid);
  EXPECT_TRUE(c.auto_attach);
  EXPECT_TRUE(c.disks.empty());
  EXPECT_EQ(module_options(c), "");
  EXPECT_EQ(module_options(parse("node_id=0\n")), "node_id=0");
}

TEST(CxxConfigFile, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("node_id = 1\nnode_id = 2\n"),
            "/etc/raidcluster.conf:2: node_id is given twice");
  EXPECT_NE(error_of("\n\nnode_id = 32\n").find("/etc/raidcluster.conf:3: node_id must be 0-31"),
            std::string::npos);
  for (const char *bad :
       {"node_id = -1", "node_id = two", "node_id =", "node_id = 1x", "cluster_uuid = nope",
        "cluster_uuid = 00000000-0000-0000-0000-000000000000",
        "cluster_uuid = 2b9f0c8e1a2b-4c3d-8e4f-0123456789ab0", "auto_attach = sometimes",
        "disks =", "colour = blue", "node_id 2"})
    EXPECT_NE(error_of(std::string(bad) + "\n").find("/etc/raidcluster.conf:1: "),
              std::string::npos)
        << bad;
  EXPECT_NE(error_of("colour = blue\n").find("unknown key 'colour'"), std::string::npos);
}

TEST(CxxConfigFile, DiskPatterns) {
  NodeConfig all = parse("");
  EXPECT_TRUE(disk_selected(all, {"sdb", "/dev/sdb", "naa.1", "d0"}));
  NodeConfig some = parse("disks = naa.5000c5* d[0-3]\n");
  EXPECT_TRUE(disk_selected(some, {"sdb", "/dev/sdb", "naa.5000c5008cd36a98", "x"}));
  EXPECT_TRUE(disk_selected(some, {"sdc", "/dev/sdc", "", "d2"}));
  EXPECT_FALSE(disk_selected(some, {"sdd", "/dev/sdd", "naa.6000", "d7"}));
  EXPECT_TRUE(disk_selected(parse("disks = /dev/sd[b-d]\n"), {"sdc", "/dev/sdc"}));
}

TEST(CxxConfigFile, ClusterFilter) {
  const uint8_t ours[16] = {0x2b, 0x9f, 0x0c, 0x8e, 0x1a, 0x2b, 0x4c, 0x3d,
                            0x8e, 0x4f, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab};
  uint8_t other[16] = {1};
  EXPECT_TRUE(cluster_selected(parse(""), other));
  NodeConfig c = parse("cluster_uuid = 2b9f0c8e-1a2b-4c3d-8e4f-0123456789ab\n");
  EXPECT_TRUE(cluster_selected(c, ours));
  EXPECT_FALSE(cluster_selected(c, other));
}
