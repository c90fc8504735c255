// Enumeration of the SCSI disks of this host through libudev.  libudev
// reads sysfs directly, so this also works without a udev daemon (the
// busybox test guest has none).
#pragma once

#include <string>
#include <vector>

namespace rc {

struct ScsiDisk {
  std::string name; // kernel name: "sdb"
  std::string hctl; // "2:0:1:0"
  int host = -1, channel = -1, target = -1, lun = -1;
  std::string vendor; // from sysfs (the INQUIRY data the kernel cached)
  std::string model;
  std::string devnode; // "/dev/sdb"
  std::string sgnode;  // "/dev/sg1", "" when the sg driver is not loaded
  std::string syspath;
  unsigned long long dev = 0; // dev_t of the block device
};

// Every block device of type disk whose parent is a scsi_device, sorted by
// H:C:T:L (numerically).  Throws Error when libudev cannot be used.
std::vector<ScsiDisk> enumerate_scsi_disks();

// Split "2:0:1:0" into numbers; false when malformed.
bool parse_hctl(const std::string &s, int &h, int &c, int &t, int &l);

} // namespace rc
