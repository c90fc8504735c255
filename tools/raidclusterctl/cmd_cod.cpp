// cod show: the COD read straight from a disk, module or not.
#include "cod_udev.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "inventory.hpp"
#include "udev.hpp"

#include <cstdlib>
#include <iostream>
#include <sys/stat.h>

namespace rcctl {

namespace {

// --udev: the rule's IMPORT{program} for one new disk.  Only that disk is
// read (the others' identities come from sysfs, not from the disks).
int cod_show_udev(const std::string &disk) {
  struct stat st;
  if (::stat(disk.c_str(), &st) != 0)
    throw rc::SysError("unknown disk " + disk, errno);
  if (!S_ISBLK(st.st_mode))
    throw rc::Error(disk + " is not a block device");
  for (const auto &d : rc::enumerate_scsi_disks()) {
    if (d.dev != st.st_rdev)
      continue;
    rc::DiskProbe p = rc::probe_disk(d, true);
    if (!p.error.empty())
      throw rc::Error("disk " + disk + " cannot be probed: " + p.error);
    // Blank or not matters only when a disk appears: a "change" (every
    // close after a write) need not read its metadata area again.
    const char *action = std::getenv("ACTION");
    bool look = !action || std::string(action) == "add";
    std::cout << rc::cod_udev_properties(p.cod, p.member, look && rc::probe_blank(p));
    return 0;
  }
  throw rc::Error(disk + " is not a SCSI disk");
}

} // namespace

int cmd_cod_show(const CodShowOpts &o) {
  std::string path;
  struct stat st;
  if (o.udev)
    return cod_show_udev(o.disk);
  // A device path is read directly (no udev needed: works on a disk the
  // enumeration does not see, e.g. an sg node); names go through scan.
  if (!o.disk.empty() && o.disk[0] == '/') {
    if (::stat(o.disk.c_str(), &st) != 0)
      throw rc::SysError("unknown disk " + o.disk, errno);
    if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
      throw rc::Error(o.disk + " is not a device");
    path = o.disk;
  } else {
    // Identity only; the COD is read below from the chosen disk.
    std::vector<rc::DiskProbe> disks = rc::probe_all(false);
    const rc::DiskProbe &p = rc::resolve_disk(disks, o.disk);
    path = p.sys.sgnode.empty() ? p.sys.devnode : p.sys.sgnode;
  }
  rc::ScsiDevice dev(path);
  rc::CodReport r = rc::read_cod(dev);
  if (o.json)
    std::cout << rc::dump_json(rc::cod_report_json(r, o.disk)) << "\n";
  else
    std::cout << rc::format_cod_report(r, o.disk == path ? path : o.disk + " (" + path + ")");
  return 0;
}

} // namespace rcctl
