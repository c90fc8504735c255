// node list's output: the cluster as this node sees it, one RC_IOC_NODE_INFO
// answer per node (this node first, then every node it has a slot of).
#pragma once

#include "json.hpp"
#include "raidcluster/ioctl.h"
#include "table.hpp"

#include <string>
#include <vector>

namespace rc {

// The nodes worth listing from the 32 answers: this node, and every node
// of which a valid slot was read.  In ID order.
std::vector<rc_ioc_node_info> listed_nodes(const std::vector<rc_ioc_node_info> &all);

// Channel bitmap as "0,1" ("-" when empty).
std::string channel_list(unsigned bitmap);

Json nodes_json(const std::vector<rc_ioc_node_info> &nodes);
// node list's table: its headers (whose names -o takes, table.hpp), and
// the text with the columns of @view: this node's headline, a blank line
// and the table; only the table's rows without @view.headings.
const std::vector<std::string> &node_headers();
std::string format_nodes(const std::vector<rc_ioc_node_info> &nodes,
                         const TableView &view = TableView());

} // namespace rc
