// fence_raidcluster's options, metadata and reports (lib/cxx/fence_agent.hpp)
// against the fence-agents conventions (fencing.py) Pacemaker relies on.
#include "error.hpp"
#include "fence_agent.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using namespace rc::fence;

static Options from_stdin(const std::string &text) {
  std::istringstream in(text);
  return parse_stdin(in);
}

TEST(CxxFenceAgent, DefaultsAreFencingPys) {
  Options o = parse_args({});
  EXPECT_EQ(o.action, Action::Reboot);
  EXPECT_FALSE(o.plug);
  EXPECT_EQ(o.delay_s, 0);
  EXPECT_EQ(o.power_timeout_s, 20);
}

TEST(CxxFenceAgent, CommandLineForms) {
  Options o = parse_args({"-o", "off", "-n", "2"});
  EXPECT_EQ(o.action, Action::Off);
  ASSERT_TRUE(o.plug);
  EXPECT_EQ(*o.plug, 2u);
  o = parse_args({"--action=status", "--plug=31", "-vq", "--delay", "1.5"});
  EXPECT_EQ(o.action, Action::Status);
  EXPECT_EQ(*o.plug, 31u);
  EXPECT_TRUE(o.verbose);
  EXPECT_TRUE(o.quiet);
  EXPECT_DOUBLE_EQ(o.delay_s, 1.5);
  o = parse_args({"-ooff", "--port", "4", "--power-timeout=60", "-D", "/tmp/x"});
  EXPECT_EQ(o.action, Action::Off);
  EXPECT_EQ(*o.plug, 4u);
  EXPECT_EQ(o.power_timeout_s, 60);
  EXPECT_EQ(o.debug_file, "/tmp/x");
  EXPECT_EQ(parse_args({"-o", "META-DATA"}).action, Action::Metadata);
  EXPECT_EQ(parse_args({"-o", "list-status"}).action, Action::ListStatus);
  EXPECT_TRUE(parse_args({"-h"}).help);
  EXPECT_TRUE(parse_args({"--version"}).version);
}

TEST(CxxFenceAgent, CommandLineRefusals) {
  for (const std::vector<std::string> &bad :
       std::vector<std::vector<std::string>>{{"-o", "powercycle"},
                                             {"-n", "32"},
                                             {"-n", "-1"},
                                             {"-n", "node2"},
                                             {"-n"},
                                             {"--delay=soon"},
                                             {"--delay=-3"},
                                             {"--power-timeout=1e9"},
                                             {"--verbose=yes"},
                                             {"--frobnicate"},
                                             {"-x"},
                                             {"off"}})
    EXPECT_THROW(parse_args(bad), rc::UsageError) << bad[0];
}

// What Pacemaker writes on stdin: names in either spelling, quoted values,
// comments; unknown names are ignored with a warning, as fencing.py does.
TEST(CxxFenceAgent, StdinForm) {
  Options o = from_stdin("# from the fencer\n"
                         "action=off\n"
                         "  port=3  \n"
                         "nodename=gamma\n"
                         "power-timeout=\"45\"\n"
                         "debug=/var/log/f.log\n"
                         "verbose=yes\n"
                         "pcmk_host_map=alpha:1\n"
                         "quiet=maybe\n"
                         "\n");
  EXPECT_EQ(o.action, Action::Off);
  EXPECT_EQ(*o.plug, 3u);
  EXPECT_EQ(o.nodename, "gamma");
  EXPECT_EQ(o.power_timeout_s, 45);
  EXPECT_EQ(o.debug_file, "/var/log/f.log");
  EXPECT_TRUE(o.verbose);
  EXPECT_FALSE(o.quiet);
  ASSERT_EQ(o.warnings.size(), 2u);
  EXPECT_NE(o.warnings[0].find("pcmk_host_map"), std::string::npos);
  EXPECT_NE(o.warnings[1].find("quiet"), std::string::npos);
  EXPECT_EQ(from_stdin("plug=7\ndebug_file=/a\n").debug_file, "/a");
  EXPECT_EQ(*from_stdin("plug=7\n").plug, 7u);
  EXPECT_THROW(from_stdin("action=off\nplug=99\n"), rc::UsageError);
  EXPECT_THROW(from_stdin("action=dance\n"), rc::UsageError);
}

// Without a host map Pacemaker passes only the node's name: a number is the ID.
TEST(CxxFenceAgent, NodenameAsId) {
  EXPECT_EQ(*from_stdin("action=off\nnodename=5\n").plug, 5u);
  EXPECT_EQ(*from_stdin("action=off\nnodename=5\nplug=1\n").plug, 1u);
  Options o = from_stdin("action=off\nnodename=alpha\n");
  EXPECT_FALSE(o.plug);
  try {
    validate(o);
    FAIL() << "validated without a node ID";
  } catch (const rc::UsageError &e) {
    EXPECT_NE(std::string(e.what()).find("pcmk_host_map"), std::string::npos) << e.what();
  }
}

TEST(CxxFenceAgent, ValidateNeedsAPlugWhereItActs) {
  for (const char *a : {"on", "off", "reboot", "status", "validate-all"})
    EXPECT_THROW(validate(parse_args({"-o", a})), rc::UsageError) << a;
  for (const char *a : {"list", "list-status", "monitor", "metadata"})
    EXPECT_NO_THROW(validate(parse_args({"-o", a}))) << a;
  EXPECT_NO_THROW(validate(parse_args({"-o", "off", "-n", "0"})));
}

TEST(CxxFenceAgent, MetadataNamesWhatPacemakerReads) {
  const std::string x = metadata_xml();
  EXPECT_EQ(x.rfind("<?xml version=\"1.0\" ?>\n<resource-agent name=\"fence_raidcluster\"", 0), 0u);
  // unfencing runs on the target itself, automatically (as fence_scsi's)
  EXPECT_NE(x.find("<action name=\"on\" on_target=\"1\" automatic=\"1\"/>"), std::string::npos);
  for (const char *a :
       {"off", "reboot", "status", "list", "list-status", "monitor", "metadata", "validate-all"})
    EXPECT_NE(x.find(std::string("<action name=\"") + a + "\" />"), std::string::npos) << a;
  EXPECT_NE(x.find("<parameter name=\"plug\" unique=\"0\" required=\"1\" obsoletes=\"port\">"),
            std::string::npos);
  EXPECT_NE(x.find("<parameter name=\"port\" unique=\"0\" required=\"1\" deprecated=\"1\">"),
            std::string::npos);
  EXPECT_NE(x.find("<content type=\"string\" default=\"reboot\" />"), std::string::npos);
  EXPECT_NE(x.find("<content type=\"second\" default=\"20\" />"), std::string::npos);
}

// The metadata is valid by fence-agents' own grammar (installed by make deps).
TEST(CxxFenceAgent, MetadataValidatesAgainstFenceAgentsGrammar) {
  const char *rng = "/usr/share/cluster/relaxng/metadata.rng";
  ASSERT_EQ(access(rng, R_OK), 0) << rng << " missing: make deps installs fence-agents";
  char path[] = "/tmp/rc-fence-md-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string x = metadata_xml();
  ASSERT_EQ(write(fd, x.data(), x.size()), static_cast<ssize_t>(x.size()));
  close(fd);
  const std::string cmd =
      std::string("xmllint --noout --relaxng ") + rng + " " + path + " 2>/dev/null";
  int rc = std::system(cmd.c_str());
  unlink(path);
  EXPECT_EQ(rc, 0) << cmd;
}

static rc_ioc_node_info node(uint32_t id, uint32_t flags) {
  rc_ioc_node_info n{};
  n.id = id;
  n.flags = flags;
  return n;
}

// OFF only when fencing is complete; a node that merely stopped answering is
// not fenced (it may be frozen, with writes queued).
TEST(CxxFenceAgent, PowerIsFencing) {
  EXPECT_FALSE(is_off(node(1, RC_NODE_F_KNOWN | RC_NODE_F_LIVE)));
  EXPECT_FALSE(is_off(node(1, RC_NODE_F_KNOWN)));
  EXPECT_FALSE(is_off(node(1, RC_NODE_F_KNOWN | RC_NODE_F_SUSPENDED)));
  EXPECT_TRUE(is_off(node(1, RC_NODE_F_KNOWN | RC_NODE_F_SUSPENDED | RC_NODE_F_FENCED)));
  EXPECT_TRUE(is_off(node(1, RC_NODE_F_KNOWN | RC_NODE_F_FENCED)));
  // this node: off while suspended or not running
  EXPECT_FALSE(is_off(node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS)));
  EXPECT_TRUE(is_off(node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_SUSPENDED)));
  EXPECT_TRUE(is_off(node(0, RC_NODE_F_SELF)));
}

TEST(CxxFenceAgent, Lists) {
  std::vector<rc_ioc_node_info> l = {node(0, RC_NODE_F_SELF | RC_NODE_F_RUNNING | RC_NODE_F_NEXUS),
                                     node(2, RC_NODE_F_KNOWN | RC_NODE_F_FENCED)};
  EXPECT_EQ(format_list(l, false), "0,\n2,\n");
  EXPECT_EQ(format_list(l, true), "0,,ON\n2,,OFF\n");
}
