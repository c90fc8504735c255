// raidclusterctl monitor: the module's uevents as one JSON object each.
// Pure: the udev loop is in tools/raidclusterctl/cmd_monitor.cpp.
//
// The uevents (ACTION=change) come from two places:
//   - the drive's block device rclN: RAIDCLUSTER_STATE (kernel/ld.c);
//   - the module's kobject (/sys/module/raidcluster), RAIDCLUSTER_EVENT =
//     node_state, reservation (kernel/node.c), disk_state, member_state,
//     rebuild_progress (kernel/events.c).
#pragma once

#include "json.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rc {

struct Uevent {
  std::string subsystem; // "module", "block"
  std::string sysname;   // "raidcluster", "rcl0"
  std::map<std::string, std::string> env;
};

struct MonitorEvent {
  Json json;                     // the line monitor prints
  std::vector<std::string> args; // --program's EVENT OBJECT VALUE
};

// The event a uevent is, or nothing for one that is not the module's.
// @time: ISO 8601 UTC, e.g. "2026-12-03T15:00:01Z".
std::optional<MonitorEvent> monitor_event(const Uevent &u, const std::string &time);

} // namespace rc
