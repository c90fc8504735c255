// node list/resume/kill, reserve, release: the cluster side of the module.
#include "commands.hpp"
#include "ctl.hpp"
#include "lookup.hpp"
#include "nodes.hpp"

#include <iostream>

namespace rcctl {

int cmd_node_list(const NodeListOpts &o) {
  rc::Control ctl;
  std::vector<rc_ioc_node_info> all;
  for (uint32_t id = 0; id < RC_MAX_NODES; id++)
    all.push_back(ctl.node_info(id));
  std::vector<rc_ioc_node_info> nodes = rc::listed_nodes(all);
  if (o.json)
    std::cout << rc::dump_json(rc::nodes_json(nodes)) << "\n";
  else
    std::cout << rc::format_nodes(nodes, rc::table_view(o.output, o.noheadings));
  return 0;
}

int cmd_node_resume() {
  rc::Control ctl;
  uint32_t self = ctl.info().node_id;
  ctl.node_resume(self);
  std::cout << "node " << self << " resumed: in nexus\n";
  return 0;
}

int cmd_node_kill(const NodeKillOpts &o) {
  rc::Control ctl;
  ctl.node_kill(o.id);
  std::cout << "node " << o.id << " killed and fenced\n";
  return 0;
}

int cmd_reserve(const LdOpts &o) {
  rc::Control ctl;
  uint32_t n = rc::resolve_ld(ctl.lds(), o.ld);
  ctl.reserve(n);
  std::cout << "rcl" << n << " reserved by node " << ctl.info().node_id << "\n";
  return 0;
}

int cmd_release(const LdOpts &o) {
  rc::Control ctl;
  uint32_t n = rc::resolve_ld(ctl.lds(), o.ld);
  ctl.release(n);
  std::cout << "rcl" << n << " released\n";
  return 0;
}

} // namespace rcctl
