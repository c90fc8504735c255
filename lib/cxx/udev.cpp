#include "udev.hpp"
#include "error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <libudev.h>
#include <memory>
#include <tuple>

namespace rc {

namespace {

struct UdevDel {
  void operator()(udev *u) const { udev_unref(u); }
  void operator()(udev_enumerate *e) const { udev_enumerate_unref(e); }
  void operator()(udev_device *d) const { udev_device_unref(d); }
};
template <typename T> using UPtr = std::unique_ptr<T, UdevDel>;

std::string trim(const char *s) {
  if (!s)
    return "";
  std::string r(s);
  size_t b = r.find_first_not_of(" \n\t");
  if (b == std::string::npos)
    return "";
  return r.substr(b, r.find_last_not_of(" \n\t") - b + 1);
}

// The sg node of a scsi_device: its sysfs directory has scsi_generic/sgN
// when the sg driver is bound.
std::string sg_node_of(const char *scsi_syspath) {
  std::string dir = std::string(scsi_syspath) + "/scsi_generic";
  std::unique_ptr<DIR, int (*)(DIR *)> d(opendir(dir.c_str()), closedir);
  if (!d)
    return "";
  while (dirent *e = readdir(d.get()))
    if (e->d_name[0] != '.')
      return std::string("/dev/") + e->d_name;
  return "";
}

} // namespace

bool parse_hctl(const std::string &s, int &h, int &c, int &t, int &l) {
  char tail;
  return std::sscanf(s.c_str(), "%d:%d:%d:%d%c", &h, &c, &t, &l, &tail) == 4 && h >= 0 && c >= 0 &&
         t >= 0 && l >= 0;
}

std::vector<ScsiDisk> enumerate_scsi_disks() {
  UPtr<udev> u(udev_new());
  if (!u)
    throw SysError("libudev: udev_new", errno ? errno : ENOMEM);
  UPtr<udev_enumerate> en(udev_enumerate_new(u.get()));
  if (!en)
    throw SysError("libudev: udev_enumerate_new", errno ? errno : ENOMEM);
  udev_enumerate_add_match_subsystem(en.get(), "block");
  udev_enumerate_add_match_property(en.get(), "DEVTYPE", "disk");
  if (int r = udev_enumerate_scan_devices(en.get()); r < 0)
    throw SysError("libudev: scanning /sys/class/block", -r);

  std::vector<ScsiDisk> out;
  udev_list_entry *e;
  udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en.get())) {
    UPtr<udev_device> dev(udev_device_new_from_syspath(u.get(), udev_list_entry_get_name(e)));
    if (!dev)
      continue; // vanished while we looked: not an error
    // Borrowed reference, owned by dev.
    udev_device *sdev =
        udev_device_get_parent_with_subsystem_devtype(dev.get(), "scsi", "scsi_device");
    if (!sdev)
      continue; // virtio-blk, loop, nvme...: not a SCSI disk
    ScsiDisk d;
    d.name = trim(udev_device_get_sysname(dev.get()));
    d.hctl = trim(udev_device_get_sysname(sdev));
    if (!parse_hctl(d.hctl, d.host, d.channel, d.target, d.lun))
      continue;
    d.vendor = trim(udev_device_get_sysattr_value(sdev, "vendor"));
    d.model = trim(udev_device_get_sysattr_value(sdev, "model"));
    const char *node = udev_device_get_devnode(dev.get());
    d.devnode = node ? node : "/dev/" + d.name;
    d.sgnode = sg_node_of(udev_device_get_syspath(sdev));
    d.syspath = udev_device_get_syspath(dev.get());
    d.dev = udev_device_get_devnum(dev.get());
    out.push_back(d);
  }
  std::sort(out.begin(), out.end(), [](const ScsiDisk &a, const ScsiDisk &b) {
    return std::tie(a.host, a.channel, a.target, a.lun) <
           std::tie(b.host, b.channel, b.target, b.lun);
  });
  return out;
}

} // namespace rc
