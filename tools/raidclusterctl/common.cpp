#include "common.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rcctl {

std::string wwn_text(const rc::DiskInfo &m) {
  rc::Wwn w;
  w.id.assign(m.wwn, m.wwn + std::min<uint32_t>(m.wwn_len, sizeof(m.wwn)));
  return w.str();
}

bool same_disk(const rc::DiskInfo &m, const rc::DiskProbe &p) {
  if (m.wwn_len && !p.wwn.empty())
    return m.wwn_len == p.wwn.id.size() && std::memcmp(m.wwn, p.wwn.id.data(), m.wwn_len) == 0;
  std::string serial = rc::fixed_str(m.serial, sizeof(m.serial));
  return !serial.empty() && serial == p.serial;
}

int find_member(const std::vector<rc::DiskInfo> &members, const std::vector<rc::DiskProbe> &disks,
                const std::string &name) {
  if (const rc::DiskProbe *p = rc::find_disk(disks, name)) {
    for (const auto &m : members)
      if (same_disk(m, *p))
        return static_cast<int>(m.index);
    return -1;
  }
  rc::Wwn w;
  bool is_wwn = rc::parse_wwn_string(name, w);
  for (const auto &m : members) {
    if (is_wwn && m.wwn_len == w.id.size() && std::memcmp(m.wwn, w.id.data(), m.wwn_len) == 0)
      return static_cast<int>(m.index);
    if (!is_wwn && (rc::fixed_str(m.serial, sizeof(m.serial)) == name ||
                    (m.present && rc::fixed_str(m.name, sizeof(m.name)) == name) ||
                    (m.present && "/dev/" + rc::fixed_str(m.name, sizeof(m.name)) == name)))
      return static_cast<int>(m.index);
  }
  return -1;
}

uint32_t resolve_ld(const std::vector<rc::LdInfo> &lds, const std::string &name) {
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
    if (rc::fixed_str(l.name, sizeof(l.name)) == name)
      return l.number;
  }
  throw rc::Error("unknown logical drive '" + name + "' (see 'raidclusterctl status')");
}

} // namespace rcctl
