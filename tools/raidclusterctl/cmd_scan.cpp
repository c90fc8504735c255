// scan: every SCSI disk with identity and raidcluster membership.
#include "commands.hpp"
#include "inventory.hpp"

#include <iostream>

namespace rcctl {

int cmd_scan(const ScanOpts &o) {
  std::vector<rc::DiskProbe> disks = rc::probe_all();
  int rc = 0;
  for (const auto &d : disks)
    if (!d.error.empty()) {
      std::cerr << "raidclusterctl: " << d.sys.devnode << ": " << d.error << "\n";
      rc = 1;
    }
  if (o.json) {
    std::cout << rc::dump_json(rc::probes_json(disks)) << "\n";
    return rc;
  }
  std::cout << rc::format_probes(disks, rc::table_view(o.output, o.noheadings));
  if (disks.empty() && !o.noheadings)
    std::cout << "(no SCSI disks found)\n";
  return rc;
}

} // namespace rcctl
