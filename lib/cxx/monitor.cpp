// The module's uevents as JSON lines (monitor.hpp).
#include "monitor.hpp"
#include "schema.hpp"

#include <cstdlib>

namespace rc {

namespace {

std::string get(const Uevent &u, const std::string &k) {
  auto it = u.env.find(k);
  return it == u.env.end() ? "" : it->second;
}

// A decimal the kernel wrote; anything else (a lying or garbled event) is
// not a number and the event is dropped.
std::optional<unsigned> number(const std::string &s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return static_cast<unsigned>(std::strtoul(s.c_str(), nullptr, 10));
}

// A monitor line: schema_version, time, event, then @members.
Json line(const std::string &time, const char *event, const Json &members) {
  Json j = versioned({{"time", time}, {"event", event}});
  j.update(members);
  return j;
}

} // namespace

std::optional<MonitorEvent> monitor_event(const Uevent &u, const std::string &time) {
  if (u.subsystem == "block" && u.sysname.rfind("rcl", 0) == 0) {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    const std::string state = get(u, "RAIDCLUSTER_STATE");
    if (!ld || state.empty())
      return std::nullopt;
    return MonitorEvent{
        line(time, "drive_state",
             {{"ld", *ld}, {"device", "rcl" + std::to_string(*ld)}, {"state", state}}),
        {"drive_state", "rcl" + std::to_string(*ld), state}};
  }
  if (u.subsystem != "module" || u.sysname != "raidcluster")
    return std::nullopt;
  const std::string ev = get(u, "RAIDCLUSTER_EVENT");
  if (ev == "node_state") {
    auto node = number(get(u, "RAIDCLUSTER_NODE"));
    const std::string state = get(u, "RAIDCLUSTER_NODE_STATE");
    if (!node || state.empty())
      return std::nullopt;
    return MonitorEvent{line(time, "node_state", {{"node", *node}, {"state", state}}),
                        {"node_state", "node" + std::to_string(*node), state}};
  }
  if (ev == "reservation") {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    const std::string h = get(u, "RAIDCLUSTER_HOLDER");
    auto holder = number(h);
    if (!ld || (!holder && h != "none"))
      return std::nullopt;
    return MonitorEvent{line(time, "reservation",
                             {{"ld", *ld},
                              {"device", "rcl" + std::to_string(*ld)},
                              {"holder", holder ? Json(*holder) : Json()}}),
                        {"reservation", "rcl" + std::to_string(*ld), h}};
  }
  if (ev == "disk_state") {
    auto disk = number(get(u, "RAIDCLUSTER_DISK"));
    const std::string state = get(u, "RAIDCLUSTER_DISK_STATE");
    if (!disk || state.empty())
      return std::nullopt;
    return MonitorEvent{line(time, "disk_state", {{"disk", *disk}, {"state", state}}),
                        {"disk_state", "disk" + std::to_string(*disk), state}};
  }
  if (ev == "member_state") {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    auto member = number(get(u, "RAIDCLUSTER_MEMBER"));
    auto disk = number(get(u, "RAIDCLUSTER_DISK"));
    const std::string state = get(u, "RAIDCLUSTER_MEMBER_STATE");
    if (!ld || !member || !disk || state.empty())
      return std::nullopt;
    return MonitorEvent{
        line(time, "member_state",
             {{"ld", *ld},
              {"device", "rcl" + std::to_string(*ld)},
              {"member", *member},
              {"disk", *disk},
              {"state", state}}),
        {"member_state", "rcl" + std::to_string(*ld), std::to_string(*member) + ":" + state}};
  }
  if (ev == "rebuild_progress") {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    auto member = number(get(u, "RAIDCLUSTER_MEMBER"));
    auto pct = number(get(u, "RAIDCLUSTER_PERCENT"));
    if (!ld || !member || !pct || *pct > 100)
      return std::nullopt;
    return MonitorEvent{line(time, "rebuild_progress",
                             {{"ld", *ld},
                              {"device", "rcl" + std::to_string(*ld)},
                              {"member", *member},
                              {"percent", *pct}}),
                        {"rebuild_progress", "rcl" + std::to_string(*ld), std::to_string(*pct)}};
  }
  return std::nullopt;
}

} // namespace rc
