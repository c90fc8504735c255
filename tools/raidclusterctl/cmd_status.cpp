// status: the module's view, through the control device.
#include "commands.hpp"
#include "status.hpp"

#include <iostream>

namespace rcctl {

int cmd_status(const StatusOpts &o) {
  rc::Control ctl;
  rc_ioc_info info = ctl.info();
  std::vector<rc::DiskInfo> disks = ctl.disks();
  std::vector<rc::LdInfo> lds = ctl.lds();
  uint32_t flags = ctl.node_info(info.node_id).flags;
  if (o.json)
    std::cout << rc::status_json(info, flags, disks, lds).dump() << "\n";
  else
    std::cout << rc::format_status(info, flags, disks, lds);
  return o.check ? rc::drives_health(lds) : 0;
}

} // namespace rcctl
