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
  if (o.json)
    std::cout << rc::status_json(info, disks, lds).dump() << "\n";
  else
    std::cout << rc::format_status(info, disks, lds);
  return 0;
}

} // namespace rcctl
