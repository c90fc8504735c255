#include "lookup.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rc {

bool same_disk(const DiskInfo &m, const DiskProbe &p) {
  if (m.wwn_len && !p.wwn.empty())
    return m.wwn_len == p.wwn.id.size() && std::memcmp(m.wwn, p.wwn.id.data(), m.wwn_len) == 0;
  std::string serial = fixed_str(m.serial, sizeof(m.serial));
  return !serial.empty() && serial == p.serial;
}

int find_member(const std::vector<DiskInfo> &members, const std::vector<DiskProbe> &disks,
                const std::string &name) {
  if (const DiskProbe *p = find_disk(disks, name)) {
    for (const auto &m : members)
      if (same_disk(m, *p))
        return static_cast<int>(m.index);
    return -1;
  }
  Wwn w;
  bool is_wwn = parse_wwn_string(name, w);
  for (const auto &m : members) {
    if (is_wwn && m.wwn_len == w.id.size() && std::memcmp(m.wwn, w.id.data(), m.wwn_len) == 0)
      return static_cast<int>(m.index);
    if (!is_wwn && (fixed_str(m.serial, sizeof(m.serial)) == name ||
                    (m.present && fixed_str(m.name, sizeof(m.name)) == name) ||
                    (m.present && "/dev/" + fixed_str(m.name, sizeof(m.name)) == name)))
      return static_cast<int>(m.index);
  }
  return -1;
}

uint32_t resolve_ld(const std::vector<LdInfo> &lds, const std::string &name) {
  std::string n = name;
  if (n.compare(0, 5, "/dev/") == 0)
    n = n.substr(5);
  std::string digits = n.compare(0, 3, "rcl") == 0 ? n.substr(3) : n;
  bool numeric = !digits.empty() && digits.size() < 6 &&
                 std::all_of(digits.begin(), digits.end(),
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  for (const auto &l : lds) {
    if (numeric && l.number == std::stoul(digits))
      return l.number;
    if (fixed_str(l.name, sizeof(l.name)) == name)
      return l.number;
  }
  throw Error("unknown logical drive '" + name + "' (see 'raidclusterctl status')");
}

} // namespace rc
