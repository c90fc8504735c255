#include "diskspec.hpp"
#include "error.hpp"
#include "units.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace rc {

DiskSpec parse_disk_spec(const std::string &s,
                         const std::function<bool(const std::string &)> &exists) {
  DiskSpec d;
  if (s.empty())
    throw UsageError("empty disk specification");
  if (exists(s)) {
    d.disk = s;
    return d;
  }
  // Split off at most two trailing ":FIELD"s, rightmost last.
  std::vector<std::string> parts;
  std::string rest = s;
  for (int i = 0; i < 2; i++) {
    size_t c = rest.rfind(':');
    if (c == std::string::npos)
      break;
    parts.insert(parts.begin(), rest.substr(c + 1));
    rest = rest.substr(0, c);
    if (exists(rest))
      break;
  }
  if (rest.empty())
    throw UsageError("bad disk specification '" + s + "': no disk before ':'");
  d.disk = rest;
  // parse_sectors() names the value ("bad extent start 'abc': ..."); the
  // specification it came from follows once.
  auto sectors = [&](const std::string &v, const char *what) {
    try {
      return parse_sectors(v, what);
    } catch (const UsageError &e) {
      throw UsageError(std::string(e.what()) + " (in disk specification '" + s + "')");
    }
  };
  if (parts.size() >= 1 && !parts[0].empty())
    d.start = sectors(parts[0], "extent start");
  if (parts.size() == 2) {
    if (parts[1].empty())
      throw UsageError("bad disk specification '" + s + "': empty length");
    d.length = sectors(parts[1], "extent length");
    if (*d.length == 0)
      throw UsageError("bad disk specification '" + s + "': zero length");
  } else if (parts.size() == 1 && parts[0].empty()) {
    throw UsageError("bad disk specification '" + s + "': empty start");
  }
  return d;
}

void check_ld_name(const std::string &name) {
  if (name.empty() || name.size() > RC_NAME_LEN - 1)
    throw UsageError("bad drive name '" + name + "': 1 to " + std::to_string(RC_NAME_LEN - 1) +
                     " characters");
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
      throw UsageError("bad drive name '" + name + "': only letters, digits, '_', '.', '-'");
  bool digits = std::all_of(name.begin(), name.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  bool rcln = name.size() > 3 && name.compare(0, 3, "rcl") == 0 &&
              std::all_of(name.begin() + 3, name.end(),
                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits || rcln)
    throw UsageError("bad drive name '" + name +
                     "': a number or rclN would be mistaken for a drive number");
}

uint64_t first_free_sector(const rc_config &cfg, unsigned disk) {
  uint64_t s = RC_DATA_START_SECTOR;
  for (uint32_t i = 0; i < cfg.nlds && i < RC_MAX_LDS; i++) {
    const rc_ld &l = cfg.lds[i];
    if (l.state == RC_LD_UNUSED)
      continue;
    for (unsigned e = 0; e < l.nextents && e < RC_MAX_EXTENTS; e++)
      if (l.ext[e].disk == disk)
        s = std::max<uint64_t>(s, l.ext[e].start + l.ext[e].length);
  }
  return s;
}

rc_ld plan_ld(const rc_config &cfg, const std::string &name, unsigned level, uint32_t stripe,
              const std::vector<MemberPlan> &members, std::optional<uint64_t> size) {
  check_ld_name(name);
  unsigned minm = rc_geom_min_members(level);
  if (minm == 0)
    throw UsageError("unsupported RAID level " + std::to_string(level));
  if (members.size() < minm)
    throw UsageError("too few members for " + std::string(rc_level_name(level)) + ": " +
                     std::to_string(members.size()) + " given, at least " + std::to_string(minm) +
                     " needed");
  if (members.size() > RC_MAX_EXTENTS)
    throw UsageError("too many members: " + std::to_string(members.size()) + " given, at most " +
                     std::to_string(RC_MAX_EXTENTS));
  if (level == RC_RAID10 && members.size() % 2)
    throw UsageError("raid10 needs an even number of members, " + std::to_string(members.size()) +
                     " given");

  // The name first: "taken" is the precise answer even when the extents
  // would not fit either.
  for (uint32_t i = 0; i < cfg.nlds && i < RC_MAX_LDS; i++)
    if (cfg.lds[i].state != RC_LD_UNUSED && name == cfg.lds[i].name)
      throw Error("name '" + name + "' is taken by rcl" + std::to_string(i));

  rc_ld ld{};
  ld.level = static_cast<u8>(level);
  ld.stripe_sectors = stripe ? stripe : 128;
  ld.nextents = static_cast<u16>(members.size());
  std::snprintf(ld.name, sizeof(ld.name), "%s", name.c_str());
  for (size_t i = 0; i < members.size(); i++) {
    const MemberPlan &m = members[i];
    if (m.disk >= cfg.ndisks || cfg.disks[m.disk].state == RC_DISK_UNUSED)
      throw Error("disk " + m.label + " is not a member disk (attach it first)");
    const rc_disk &d = cfg.disks[m.disk];
    uint64_t start = first_free_sector(cfg, m.disk);
    // Earlier members of this request on the same disk come first.
    for (size_t j = 0; j < i; j++)
      if (ld.ext[j].disk == m.disk)
        start = std::max<uint64_t>(start, ld.ext[j].start + ld.ext[j].length);
    if (m.start)
      start = *m.start;
    if (start < RC_DATA_START_SECTOR)
      throw UsageError("disk " + m.label + ": extent start " + std::to_string(start) +
                       " is inside the raidcluster metadata area (data starts at sector " +
                       std::to_string(RC_DATA_START_SECTOR) + ", 16M)");
    if (start >= d.capacity)
      throw Error("disk " + m.label + ": no free space (extent would start at sector " +
                  std::to_string(start) + ", disk has " + std::to_string(d.capacity) + " sectors)");
    uint64_t len = m.length ? *m.length : size ? *size : d.capacity - start;
    if (start + len > d.capacity)
      throw Error("disk " + m.label + ": extent " + std::to_string(start) + "+" +
                  std::to_string(len) + " ends past the end of the disk (" +
                  std::to_string(d.capacity) + " sectors)");
    ld.ext[i].disk = static_cast<u16>(m.disk);
    ld.ext[i].state = RC_EXT_ONLINE;
    ld.ext[i].start = start;
    ld.ext[i].length = len;
  }
  char why[128] = "";
  int r = rc_config_check_new_ld(&cfg, &ld, why, sizeof(why));
  if (r) {
    // The lib counts members from 0 ("member 1: ..."); say which disk the
    // administrator typed for it.
    std::string msg = why[0] ? why : "logical drive refused by the configuration check";
    unsigned n;
    int used = 0;
    if (std::sscanf(msg.c_str(), "member %u: %n", &n, &used) == 1 && used > 0 && n < members.size())
      msg = "disk " + members[n].label + ": " + msg.substr(static_cast<size_t>(used));
    if (r == -EINVAL)
      throw UsageError(msg);
    throw Error(msg);
  }
  return ld;
}

} // namespace rc
