// What udev learns of a disk from its COD: the properties that
// `raidclusterctl cod show --udev DISK` prints for the rule's
// IMPORT{program}, so lsblk (and anything reading the udev database)
// sees raidcluster members as such, and the helper knows what it got.
#pragma once

#include "cod_report.hpp"

#include <string>

namespace rc {

// KEY=VALUE lines, each ending in "\n":
//   a member (a valid COD that lists the disk):
//     ID_FS_TYPE=raidcluster_member, ID_FS_USAGE=raid, ID_FS_UUID (the
//     cluster's UUID), RAIDCLUSTER_COD=member, RAIDCLUSTER_DISK (its
//     record index), RAIDCLUSTER_DISK_STATE (online, spare, failed, ...),
//     RAIDCLUSTER_GENERATION
//   a valid COD that does not list it: RAIDCLUSTER_COD=unlisted
//   copies that do not decode (torn, corrupt, newer version):
//     RAIDCLUSTER_COD=invalid
//   none at all: RAIDCLUSTER_COD=none, and RAIDCLUSTER_BLANK=1 when
//     @blank (disk_is_blank(): a new disk, which the rule hands to the
//     helper; the module takes it only in a failed member's slot)
std::string cod_udev_properties(const CodReport &r, const Membership &m, bool blank = false);

} // namespace rc
