#include "status.hpp"
#include "schema.hpp"
#include "sg.hpp"
#include "table.hpp"
#include "units.hpp"

#include <algorithm>
#include <cstdio>

namespace rc {

namespace {

std::string wwn_of(const DiskInfo &d) {
  Wwn w;
  w.id.assign(d.wwn, d.wwn + std::min<uint32_t>(d.wwn_len, sizeof(d.wwn)));
  return w.str();
}

// Rebuild progress of a drive, as status shows it: percent done (0..100) and the seconds left
// at the recent rate (-1 when the module has no rate yet).  Only with rebuild_total != 0.
double rebuild_percent(const LdInfo &l) {
  double p = 100.0 * static_cast<double>(l.rebuild_done) / static_cast<double>(l.rebuild_total);
  return std::min(p, 100.0);
}

long long rebuild_eta(const LdInfo &l) {
  if (!l.rebuild_rate)
    return -1;
  uint64_t left = l.rebuild_total > l.rebuild_done ? l.rebuild_total - l.rebuild_done : 0;
  return static_cast<long long>((left + l.rebuild_rate - 1) / l.rebuild_rate);
}

std::string rebuild_text(const LdInfo &l) {
  if (!l.rebuild_total)
    return "";
  char b[112];
  int n = std::snprintf(b, sizeof(b), "%s%.1f%%", (l.flags & RC_LD_F_RESYNC) ? "resync " : "",
                        rebuild_percent(l));
  // rate in sectors/s; ETA from the rest at that rate
  long long eta = rebuild_eta(l);
  if (eta >= 0 && n > 0 && static_cast<size_t>(n) < sizeof(b))
    n += std::snprintf(b + n, sizeof(b) - n, " %.1f MiB/s ETA %lld:%02lld",
                       static_cast<double>(l.rebuild_rate) / 2048.0, eta / 60, eta % 60);
  // in a cluster one node runs it (the drive's holder, or the master)
  if (l.rebuild_node != RC_IOC_NO_NODE && n > 0 && static_cast<size_t>(n) < sizeof(b))
    std::snprintf(b + n, sizeof(b) - n, " on node %u", l.rebuild_node);
  return b;
}

// This node's SCSI-3 persistent reservation registration on a disk.
const char *pr_state_name(uint32_t s) {
  switch (s) {
  case RC_DISK_PR_REGISTERED:
    return "registered";
  case RC_DISK_PR_UNSUPPORTED:
    return "unsupported";
  case RC_DISK_PR_FAILED:
    return "failed";
  case RC_DISK_PR_OFF:
    return "off";
  default:
    return "unknown";
  }
}

std::string pr_key_hex(uint64_t key) {
  char b[24];
  std::snprintf(b, sizeof(b), "0x%016llx", static_cast<unsigned long long>(key));
  return b;
}

// The PR column: the key when registered, else why not.
std::string pr_text(const DiskInfo &d) {
  if (!d.present)
    return "-";
  switch (d.pr_state) {
  case RC_DISK_PR_REGISTERED:
    return pr_key_hex(d.pr_key);
  case RC_DISK_PR_UNSUPPORTED:
    return "none";
  case RC_DISK_PR_FAILED:
    return "failed";
  case RC_DISK_PR_OFF:
    return "off";
  default:
    return "-";
  }
}

} // namespace

int drives_health(const std::vector<LdInfo> &lds) {
  int worst = 0;
  for (const auto &l : lds) {
    int h = 0;
    if (!(l.flags & RC_LD_F_RUNNING) || l.state == RC_LD_OFFLINE)
      h = 2;
    else if (l.state != RC_LD_OPTIMAL)
      h = 1;
    worst = std::max(worst, h);
  }
  return worst;
}

const char *fencing_mode(uint32_t node_flags) {
  if (!(node_flags & RC_NODE_F_RUNNING))
    return nullptr;
  return (node_flags & RC_NODE_F_DISK_PR) ? "disk PR" : "lease only";
}

Json status_json(const rc_ioc_info &info, uint32_t node_flags, const std::vector<DiskInfo> &disks,
                 const std::vector<LdInfo> &lds) {
  Json jd = Json::array(), jl = Json::array();
  for (const auto &d : disks)
    jd.push_back(
        {{"index", d.index},
         {"device", fixed_str(d.name, sizeof(d.name))},
         {"present", d.present != 0},
         {"state", rc_disk_state_name(d.state)},
         {"wwn", wwn_of(d)},
         {"serial", fixed_str(d.serial, sizeof(d.serial))},
         {"capacity_sectors", static_cast<unsigned long long>(d.capacity)},
         {"read_errors", static_cast<unsigned long long>(d.read_errors)},
         {"write_errors", static_cast<unsigned long long>(d.write_errors)},
         {"pr_state", pr_state_name(d.present ? d.pr_state : 0u)},
         {"pr_key",
          d.present && d.pr_state == RC_DISK_PR_REGISTERED ? Json(pr_key_hex(d.pr_key)) : Json()}});
  for (const auto &l : lds) {
    Json ext = Json::array();
    for (uint32_t e = 0; e < l.nextents && e < 16; e++)
      ext.push_back(
          {{"disk", l.extents[e].disk},
           {"state", rc_extent_state_name(l.extents[e].state)},
           {"start_sectors", static_cast<unsigned long long>(l.extents[e].start)},
           {"length_sectors", static_cast<unsigned long long>(l.extents[e].length)},
           {"rebuild_pos_sectors", static_cast<unsigned long long>(l.extents[e].rebuild_pos)}});
    jl.push_back(
        {{"number", l.number},
         {"device", "rcl" + std::to_string(l.number)},
         {"path", "/dev/rcl" + std::to_string(l.number)},
         {"name", fixed_str(l.name, sizeof(l.name))},
         {"level", l.level},
         {"stripe_sectors", l.stripe_sectors},
         {"capacity_sectors", static_cast<unsigned long long>(l.capacity)},
         {"state", rc_ld_state_name(l.state)},
         {"running", (l.flags & RC_LD_F_RUNNING) != 0},
         {"sync_action", !l.rebuild_total             ? "idle"
                         : (l.flags & RC_LD_F_RESYNC) ? "resync"
                                                      : "rebuild"},
         {"open_count", l.open_count},
         {"holder", l.holder == RC_IOC_NO_NODE ? Json() : Json(l.holder)},
         {"rebuild_done_sectors", static_cast<unsigned long long>(l.rebuild_done)},
         {"rebuild_total_sectors", static_cast<unsigned long long>(l.rebuild_total)},
         {"rebuild_rate_sectors_per_second", static_cast<unsigned long long>(l.rebuild_rate)},
         {"rebuild_node", l.rebuild_node == RC_IOC_NO_NODE ? Json() : Json(l.rebuild_node)},
         // whole percent (rounded down, so 100 only when done) and seconds left at the
         // recent rate; null without a rebuild (or, for the ETA, without a rate yet)
         {"rebuild_percent",
          l.rebuild_total ? Json(static_cast<unsigned>(rebuild_percent(l))) : Json()},
         {"rebuild_eta_seconds",
          l.rebuild_total && rebuild_eta(l) >= 0 ? Json(rebuild_eta(l)) : Json()},
         {"extents", ext}});
  }
  return versioned(
      {{"module_version", fixed_str(info.module_version, sizeof(info.module_version))},
       {"node_id", info.node_id},
       {"cluster_uuid",
        uuid_is_zero(info.cluster_uuid) ? Json() : Json(format_uuid(info.cluster_uuid))},
       {"cod_generation", static_cast<unsigned long long>(info.cod_generation)},
       {"fencing", fencing_mode(node_flags) ? Json(fencing_mode(node_flags)) : Json()},
       {"disks", jd},
       {"logical_drives", jl}});
}

std::string shell_quote(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string format_export(const rc_ioc_info &info, const LdInfo &l) {
  std::string out;
  auto put = [&out](const char *key, const std::string &v) {
    out += std::string("RC_") + key + "=" + shell_quote(v) + "\n";
  };
  put("NODE_ID", std::to_string(info.node_id));
  put("NUMBER", std::to_string(l.number));
  put("DEVICE", "rcl" + std::to_string(l.number));
  put("NAME", fixed_str(l.name, sizeof(l.name)));
  put("LEVEL", std::to_string(l.level));
  put("CAPACITY_SECTORS", std::to_string(static_cast<unsigned long long>(l.capacity)));
  put("STATE", rc_ld_state_name(l.state));
  put("RUNNING", (l.flags & RC_LD_F_RUNNING) ? "1" : "0");
  put("OPEN_COUNT", std::to_string(l.open_count));
  // empty when no node holds the drive
  put("HOLDER", l.holder == RC_IOC_NO_NODE ? "" : std::to_string(l.holder));
  put("SYNC_ACTION", !l.rebuild_total ? "idle" : (l.flags & RC_LD_F_RESYNC) ? "resync" : "rebuild");
  put("HEALTH", std::to_string(drives_health({l})));
  return out;
}

// A drive the module knows from the COD but has not started shows why.
static std::string ld_state_text(const LdInfo &l) {
  if (l.flags & RC_LD_F_RUNNING)
    return rc_ld_state_name(l.state);
  return "stopped (members missing; 'run' starts it degraded)";
}

const std::vector<std::string> &status_disk_headers() {
  static const std::vector<std::string> h = {"IDX",      "DEVICE", "WWN",        "SERIAL",
                                             "CAPACITY", "STATE",  "ERRORS R/W", "PR KEY"};
  return h;
}

const std::vector<std::string> &status_ld_headers() {
  static const std::vector<std::string> h = {
      "LD",    "NAME", "LEVEL",  "STRIPE",  "CAPACITY",
      "STATE", "OPEN", "HOLDER", "REBUILD", "MEMBERS (disk:start+length)"};
  return h;
}

std::string format_status(const rc_ioc_info &info, uint32_t node_flags,
                          const std::vector<DiskInfo> &disks, const std::vector<LdInfo> &lds,
                          const TableView &disk_view, const TableView &ld_view) {
  const char *fencing = fencing_mode(node_flags);
  std::string out = "raidcluster " + fixed_str(info.module_version, sizeof(info.module_version)) +
                    "  node " + std::to_string(info.node_id) + "  cluster " +
                    (uuid_is_zero(info.cluster_uuid) ? std::string("(none yet)")
                                                     : format_uuid(info.cluster_uuid)) +
                    "  COD generation " + std::to_string(info.cod_generation) +
                    (fencing ? std::string("  fencing: ") + fencing : std::string()) + "\n\n";
  Table td(status_disk_headers());
  for (const auto &d : disks)
    td.add({std::to_string(d.index),
            d.present ? "/dev/" + fixed_str(d.name, sizeof(d.name)) : "(absent)", wwn_of(d),
            fixed_str(d.serial, sizeof(d.serial)), format_sectors(d.capacity),
            rc_disk_state_name(d.state),
            std::to_string(d.read_errors) + "/" + std::to_string(d.write_errors), pr_text(d)});
  out += "member disks:\n" + td.str(disk_view) + "\n";
  Table tl(status_ld_headers());
  for (const auto &l : lds) {
    std::string m;
    for (uint32_t e = 0; e < l.nextents && e < 16; e++) {
      const auto &x = l.extents[e];
      m += (e ? " " : "") + std::string("d") + std::to_string(x.disk) + ":" +
           format_sectors_exact(x.start) + "+" + format_sectors_exact(x.length);
      if (x.state != RC_EXT_ONLINE)
        m += "(" + std::string(rc_extent_state_name(x.state)) + ")";
    }
    tl.add({"rcl" + std::to_string(l.number), fixed_str(l.name, sizeof(l.name)),
            rc_level_name(l.level), format_stripe(l.stripe_sectors), format_sectors(l.capacity),
            ld_state_text(l), std::to_string(l.open_count),
            l.holder == RC_IOC_NO_NODE ? "-" : "node " + std::to_string(l.holder), rebuild_text(l),
            m});
  }
  return out + "logical drives:\n" + tl.str(ld_view);
}

} // namespace rc
