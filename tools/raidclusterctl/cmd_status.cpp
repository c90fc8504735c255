// status: the module's view, through the control device.
#include "commands.hpp"
#include "lookup.hpp"
#include "status.hpp"

#include <algorithm>
#include <iostream>

namespace rcctl {

int cmd_status(const StatusOpts &o) {
  rc::Control ctl;
  rc_ioc_info info = ctl.info();
  std::vector<rc::DiskInfo> disks = ctl.disks();
  std::vector<rc::LdInfo> lds = ctl.lds();
  if (!o.ld.empty()) {
    uint32_t n = rc::resolve_ld(lds, o.ld);
    lds.erase(
        std::remove_if(lds.begin(), lds.end(), [n](const rc::LdInfo &l) { return l.number != n; }),
        lds.end());
  }
  if (o.exportv) {
    std::cout << rc::format_export(info, lds.at(0));
    return o.check ? rc::drives_health(lds) : 0;
  }
  uint32_t flags = ctl.node_info(info.node_id).flags;
  if (o.json)
    std::cout << rc::dump_json(rc::status_json(info, flags, disks, lds)) << "\n";
  else
    std::cout << rc::format_status(info, flags, disks, lds, rc::table_view(o.disk_output),
                                   rc::table_view(o.output));
  return o.check ? rc::drives_health(lds) : 0;
}

} // namespace rcctl
