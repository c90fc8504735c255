// /etc/raidcluster.conf: "key = value" lines (config_file.hpp).
#include "config_file.hpp"

#include "error.hpp"
#include "rclib.hpp"

#include "raidcluster/abi.h"
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fnmatch.h>
#include <fstream>
#include <istream>
#include <set>
#include <sstream>

namespace rc {

namespace {

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::optional<std::array<uint8_t, 16>> parse_uuid(const std::string &s) {
  std::array<uint8_t, 16> u{};
  if (s.size() != 36)
    return std::nullopt;
  size_t k = 0;
  for (size_t i = 0; i < s.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-')
        return std::nullopt;
      i++;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 1])))
      return std::nullopt;
    u[k++] = static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16));
    i += 2;
  }
  if (uuid_is_zero(u.data()))
    return std::nullopt;
  return u;
}

} // namespace

NodeConfig parse_config(std::istream &in, const std::string &path) {
  NodeConfig c;
  c.path = path;
  c.present = true;
  std::set<std::string> seen;
  std::string line;
  for (unsigned n = 1; std::getline(in, line); n++) {
    const std::string where = path + ":" + std::to_string(n) + ": ";
    size_t hash = line.find('#');
    if (hash != std::string::npos)
      line.resize(hash);
    line = trim(line);
    if (line.empty())
      continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos)
      throw Error(where + "expected 'key = value', got '" + line + "'");
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    if (!seen.insert(key).second)
      throw Error(where + key + " is given twice");
    if (key == "node_id") {
      char *end = nullptr;
      unsigned long id = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end || !std::isdigit(static_cast<unsigned char>(value[0])) ||
          id >= RC_MAX_NODES)
        throw Error(where + "node_id must be 0-" + std::to_string(RC_MAX_NODES - 1) + ", not '" +
                    value + "'");
      c.node_id = static_cast<unsigned>(id);
    } else if (key == "cluster_uuid") {
      c.cluster_uuid = parse_uuid(value);
      if (!c.cluster_uuid)
        throw Error(where +
                    "cluster_uuid must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, "
                    "not all zero), not '" +
                    value + "'");
    } else if (key == "auto_attach") {
      if (value == "members")
        c.auto_attach = true;
      else if (value == "none")
        c.auto_attach = false;
      else
        throw Error(where + "auto_attach must be members or none, not '" + value + "'");
    } else if (key == "disks") {
      std::istringstream words(value);
      std::string w;
      while (words >> w)
        c.disks.push_back(w);
      if (c.disks.empty())
        throw Error(where + "disks needs at least one pattern");
    } else {
      throw Error(where + "unknown key '" + key +
                  "' (node_id, cluster_uuid, auto_attach, disks: see raidcluster.conf(5))");
    }
  }
  return c;
}

std::string config_path() {
  const char *env = std::getenv("RAIDCLUSTER_CONF");
  return env && *env ? env : "/etc/raidcluster.conf";
}

NodeConfig load_config() {
  const std::string path = config_path();
  std::ifstream f(path);
  if (!f) {
    NodeConfig c;
    c.path = path;
    return c;
  }
  return parse_config(f, path);
}

std::string module_options(const NodeConfig &c) {
  std::string out;
  if (c.node_id)
    out += "node_id=" + std::to_string(*c.node_id);
  if (c.cluster_uuid)
    out +=
        std::string(out.empty() ? "" : " ") + "cluster_uuid=" + format_uuid(c.cluster_uuid->data());
  return out;
}

bool disk_selected(const NodeConfig &c, const std::vector<std::string> &names) {
  if (c.disks.empty())
    return true;
  for (const auto &p : c.disks)
    for (const auto &n : names)
      if (!n.empty() && fnmatch(p.c_str(), n.c_str(), 0) == 0)
        return true;
  return false;
}

bool cluster_selected(const NodeConfig &c, const uint8_t uuid[16]) {
  return !c.cluster_uuid || std::memcmp(c.cluster_uuid->data(), uuid, 16) == 0;
}

} // namespace rc
