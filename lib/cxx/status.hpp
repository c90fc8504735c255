// status's output: the module's member disk records and logical drives as
// RC_IOC_DISK_INFO / RC_IOC_LD_INFO return them.
#pragma once

#include "ctl.hpp"
#include "json.hpp"
#include "table.hpp"

#include <string>
#include <vector>

namespace rc {

// This node's fencing mode from its RC_IOC_NODE_INFO flags: "disk PR" (its
// key is on every member disk it reaches), "lease only", or nullptr when its
// protocol node does not run.
const char *fencing_mode(uint32_t node_flags);

// status --check: 0 every logical drive optimal (or none), 1 one is degraded
// or rebuilding, 2 one is offline or not running (members missing): the
// worst of them.
int drives_health(const std::vector<LdInfo> &lds);

// @node_flags: RC_IOC_NODE_INFO's flags for this node (the fencing mode).
Json status_json(const rc_ioc_info &info, uint32_t node_flags, const std::vector<DiskInfo> &disks,
                 const std::vector<LdInfo> &lds);
// status LD --export: the drive's state as shell assignments, one per line
// (RC_DEVICE='rcl0' ...), as mdadm --detail --export gives them, for scripts
// and the OCF resource agent to eval.  Values are single-quoted.
std::string format_export(const rc_ioc_info &info, const LdInfo &ld);

// @s single-quoted for a POSIX shell ('it'\''s').
std::string shell_quote(const std::string &s);

// status's two tables, member disks and logical drives: their headers
// (whose names --disk-output and -o take, table.hpp), and the text with
// the columns of @disk_view and @ld_view.
const std::vector<std::string> &status_disk_headers();
const std::vector<std::string> &status_ld_headers();
std::string format_status(const rc_ioc_info &info, uint32_t node_flags,
                          const std::vector<DiskInfo> &disks, const std::vector<LdInfo> &lds,
                          const TableView &disk_view = TableView(),
                          const TableView &ld_view = TableView());

} // namespace rc
