// Lookups of raidclusterctl: member disk records and logical
// drives by the names an administrator types.
#pragma once

#include "ctl.hpp"
#include "inventory.hpp"

#include <string>
#include <vector>

namespace rc {

// Does member record @m describe the disk @p (same WWN, else same serial)?
bool same_disk(const DiskInfo &m, const DiskProbe &p);

// The member disk record named by @name: resolved to a SCSI disk first
// (path, sdX, WWN, serial), else matched against the records' kernel name,
// WWN or serial (a member may be absent from this host).  -1: none.
int find_member(const std::vector<DiskInfo> &members, const std::vector<DiskProbe> &disks,
                const std::string &name);

// "0", "rcl0" or a drive name -> drive number.  Throws Error when unknown.
uint32_t resolve_ld(const std::vector<LdInfo> &lds, const std::string &name);

} // namespace rc
