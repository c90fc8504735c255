// node list: the formatting of RC_IOC_NODE_INFO answers (pure, unit tested).
#include "nodes.hpp"
#include "schema.hpp"

#include "status.hpp"
#include "table.hpp"
#include <cstring>
#include <string>

namespace rc {

std::vector<rc_ioc_node_info> listed_nodes(const std::vector<rc_ioc_node_info> &all) {
  std::vector<rc_ioc_node_info> out;
  for (const auto &n : all)
    if (n.flags & (RC_NODE_F_SELF | RC_NODE_F_KNOWN))
      out.push_back(n);
  return out;
}

std::string channel_list(unsigned bitmap) {
  std::string s;
  for (unsigned c = 0; c < 8; c++)
    if (bitmap & (1u << c))
      s += (s.empty() ? "" : ",") + std::to_string(c);
  return s.empty() ? "-" : s;
}

static std::string name_of(const char *s, size_t n) { return std::string(s, strnlen(s, n)); }

static Json node_or_null(unsigned id) { return id == RC_IOC_NO_NODE ? Json() : Json(id); }

Json nodes_json(const std::vector<rc_ioc_node_info> &nodes) {
  Json arr = Json::array();
  for (const auto &n : nodes) {
    const bool self = n.flags & RC_NODE_F_SELF;
    arr.push_back(
        {{"id", n.id},
         {"self", self},
         {"state", name_of(n.state_name, sizeof(n.state_name))},
         {"info", name_of(n.info_name, sizeof(n.info_name))},
         {"master", node_or_null(n.master)},
         {"is_master", n.master == n.id},
         {"incarnation", n.incarnation},
         {"heartbeat", static_cast<unsigned long long>(n.heartbeat)},
         {"heartbeat_age_ms", self ? Json() : Json(static_cast<unsigned long long>(n.hb_age_ms))},
         {"live", self ? (n.flags & RC_NODE_F_RUNNING) != 0 : (n.flags & RC_NODE_F_LIVE) != 0},
         {"booting", (n.flags & RC_NODE_F_BOOTING) != 0},
         {"suspended", (n.flags & RC_NODE_F_SUSPENDED) != 0},
         {"fenced", (n.flags & RC_NODE_F_FENCED) != 0},
         {"fencing", self && fencing_mode(n.flags) ? Json(fencing_mode(n.flags)) : Json()},
         {"connected_channels", channel_list(n.connected)},
         {"comm_channel", n.connected ? Json(static_cast<unsigned>(n.comm_channel)) : Json()}});
  }
  return versioned({{"nodes", arr}});
}

const std::vector<std::string> &node_headers() {
  static const std::vector<std::string> h = {"ID",          "STATE",         "INFO",     "MASTER",
                                             "INCARNATION", "HEARTBEAT AGE", "CHANNELS", "COMM"};
  return h;
}

std::string format_nodes(const std::vector<rc_ioc_node_info> &nodes, const TableView &view) {
  std::string head;
  for (const auto &n : nodes)
    if (n.flags & RC_NODE_F_SELF)
      head = "node " + std::to_string(n.id) +
             ((n.flags & RC_NODE_F_NEXUS)     ? " (this node): in nexus"
              : (n.flags & RC_NODE_F_RUNNING) ? " (this node): not in nexus"
                                              : " (this node): not started (no member disk)") +
             ((n.flags & RC_NODE_F_RUNNING) ? std::string(", fencing: ") + fencing_mode(n.flags)
                                            : std::string());
  Table t(node_headers());
  for (const auto &n : nodes) {
    const bool self = n.flags & RC_NODE_F_SELF;
    std::string age = self                         ? "(self)"
                      : (n.flags & RC_NODE_F_LIVE) ? std::to_string(n.hb_age_ms) + " ms"
                                                   : std::to_string(n.hb_age_ms) + " ms (not live)";
    if (n.flags & RC_NODE_F_FENCED)
      age += " (fenced)";
    t.add({std::to_string(n.id) + (self ? "*" : ""), name_of(n.state_name, sizeof(n.state_name)),
           name_of(n.info_name, sizeof(n.info_name)),
           n.master == RC_IOC_NO_NODE ? "-" : std::to_string(n.master),
           std::to_string(n.incarnation), age, channel_list(n.connected),
           n.connected ? std::to_string(n.comm_channel) : "-"});
  }
  return view.headings ? head + "\n" + t.str(view) : t.str(view);
}

} // namespace rc
