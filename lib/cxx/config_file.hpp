// /etc/raidcluster.conf (raidcluster.conf(5)): this node's ID, the cluster
// it belongs to and which disks attach automatically.  The module cannot
// read files: its options come from here through modprobe (the install
// line of /lib/modprobe.d/raidcluster.conf runs 'raidclusterctl config
// module-options'), and attach --all / --auto (boot, udev) filter by it.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rc {

struct NodeConfig {
  std::string path;     // the file read
  bool present = false; // false: no file, every value its default
  std::optional<unsigned> node_id;
  std::optional<std::array<uint8_t, 16>> cluster_uuid;
  bool auto_attach = true; // auto_attach = members (true) | none
  // disks = PATTERN...: only these attach automatically (shell globs
  // against a disk's kernel name, /dev path, WWN and serial); empty: all.
  std::vector<std::string> disks;
};

// Parse @in (named @path in messages).  Throws Error "PATH:LINE: ..." on an
// unknown key, a key given twice or a bad value.
NodeConfig parse_config(std::istream &in, const std::string &path);

// The configuration of this node: $RAIDCLUSTER_CONF, else
// /etc/raidcluster.conf; a missing file is the defaults (present false).
NodeConfig load_config();
std::string config_path();

// "node_id=2 cluster_uuid=2b9f...": what modprobe passes the module.
std::string module_options(const NodeConfig &c);

// May the disk with these names attach automatically (the disks patterns)?
bool disk_selected(const NodeConfig &c, const std::vector<std::string> &names);

// Does a disk of cluster @uuid attach automatically (cluster_uuid unset:
// any)?
bool cluster_selected(const NodeConfig &c, const uint8_t uuid[16]);

} // namespace rc
