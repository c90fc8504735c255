// status's output: the module's member disk records and logical drives as
// RC_IOC_DISK_INFO / RC_IOC_LD_INFO return them.
#pragma once

#include "ctl.hpp"
#include "json.hpp"

#include <string>
#include <vector>

namespace rc {

Json status_json(const rc_ioc_info &info, const std::vector<DiskInfo> &disks,
                 const std::vector<LdInfo> &lds);
std::string format_status(const rc_ioc_info &info, const std::vector<DiskInfo> &disks,
                          const std::vector<LdInfo> &lds);

} // namespace rc
