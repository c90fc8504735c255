// How an administrator names disks and extents on the command line, and
// the planning of a new logical drive from those names.
//
//   DISK          /dev/sdb, sdb, /dev/disk/by-id/..., naa.5000c500..., a serial
//   DISK:START    extent from START to the end of the disk
//   DISK:START:LEN
//   DISK::LEN     default start (after the disk's last used extent)
//
// START and LEN take the size syntax of units.hpp (64K, 1G, 2048s).  Paths
// may themselves contain ':' (by-path names do), so a spec that names an
// existing file is taken whole.
#pragma once

#include "rclib.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rc {

struct DiskSpec {
  std::string disk;
  std::optional<uint64_t> start; // sectors
  std::optional<uint64_t> length;
};

// @exists tells whether a path exists (injected so tests need no files).
DiskSpec parse_disk_spec(const std::string &s,
                         const std::function<bool(const std::string &)> &exists);

// A logical drive name: 1..31 of [A-Za-z0-9_.-], not all digits and not
// "rclN" (those are how drives are addressed by number).
void check_ld_name(const std::string &name);

// One member of a planned drive: the disk record index it resolved to.
struct MemberPlan {
  std::string label; // as the user wrote the disk, for messages
  unsigned disk = 0;
  std::optional<uint64_t> start, length;
};

// Build the rc_ld a create request describes, filling the defaults: start
// = first sector after the disk's last extent in @cfg (at least
// RC_DATA_START_SECTOR, and after earlier members of this same request on
// that disk), length = @size or the rest of the disk.  Then run the
// portable lib's rc_config_check_new_ld, the same check the kernel runs.
// Throws UsageError for a request that cannot be valid (too few members,
// bad name) and Error for one the configuration refuses (name taken,
// overlap, past the end).
rc_ld plan_ld(const rc_config &cfg, const std::string &name, unsigned level, uint32_t stripe,
              const std::vector<MemberPlan> &members, std::optional<uint64_t> size);

// The first free sector of disk @disk in @cfg: RC_DATA_START_SECTOR or the
// end of its last extent.
uint64_t first_free_sector(const rc_config &cfg, unsigned disk);

} // namespace rc
