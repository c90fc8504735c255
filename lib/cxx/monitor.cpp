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

Json base(const std::string &time, const char *event) {
  return versioned().set("time", time).set("event", event);
}

} // namespace

std::optional<MonitorEvent> monitor_event(const Uevent &u, const std::string &time) {
  if (u.subsystem == "block" && u.sysname.rfind("rcl", 0) == 0) {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    const std::string state = get(u, "RAIDCLUSTER_STATE");
    if (!ld || state.empty())
      return std::nullopt;
    return MonitorEvent{base(time, "drive_state")
                            .set("ld", *ld)
                            .set("device", "rcl" + std::to_string(*ld))
                            .set("state", state),
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
    return MonitorEvent{base(time, "node_state").set("node", *node).set("state", state),
                        {"node_state", "node" + std::to_string(*node), state}};
  }
  if (ev == "reservation") {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    const std::string h = get(u, "RAIDCLUSTER_HOLDER");
    auto holder = number(h);
    if (!ld || (!holder && h != "none"))
      return std::nullopt;
    return MonitorEvent{base(time, "reservation")
                            .set("ld", *ld)
                            .set("device", "rcl" + std::to_string(*ld))
                            .set("holder", holder ? Json(*holder) : Json()),
                        {"reservation", "rcl" + std::to_string(*ld), h}};
  }
  if (ev == "disk_state") {
    auto disk = number(get(u, "RAIDCLUSTER_DISK"));
    const std::string state = get(u, "RAIDCLUSTER_DISK_STATE");
    if (!disk || state.empty())
      return std::nullopt;
    return MonitorEvent{base(time, "disk_state").set("disk", *disk).set("state", state),
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
        base(time, "member_state")
            .set("ld", *ld)
            .set("device", "rcl" + std::to_string(*ld))
            .set("member", *member)
            .set("disk", *disk)
            .set("state", state),
        {"member_state", "rcl" + std::to_string(*ld), std::to_string(*member) + ":" + state}};
  }
  if (ev == "rebuild_progress") {
    auto ld = number(get(u, "RAIDCLUSTER_LD"));
    auto member = number(get(u, "RAIDCLUSTER_MEMBER"));
    auto pct = number(get(u, "RAIDCLUSTER_PERCENT"));
    if (!ld || !member || !pct || *pct > 100)
      return std::nullopt;
    return MonitorEvent{base(time, "rebuild_progress")
                            .set("ld", *ld)
                            .set("device", "rcl" + std::to_string(*ld))
                            .set("member", *member)
                            .set("percent", *pct),
                        {"rebuild_progress", "rcl" + std::to_string(*ld), std::to_string(*pct)}};
  }
  return std::nullopt;
}

} // namespace rc
