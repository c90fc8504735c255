// What the tools know about each SCSI disk of the host: udev's view plus
// what the disk itself answers (INQUIRY, VPD 0x80/0x83, READ CAPACITY) and
// its COD, read through SG_IO.  Also how a name typed by the administrator
// resolves to one of those disks.
#pragma once

#include "cod_report.hpp"
#include "sg.hpp"
#include "table.hpp"
#include "udev.hpp"

#include <string>
#include <vector>

namespace rc {

struct DiskProbe {
  ScsiDisk sys;
  Inquiry inq;
  Wwn wwn;
  std::string serial;
  Capacity cap;
  bool cod_read = false; // the COD area was read (disk big enough, no error)
  CodReport cod;
  Membership member;
  std::string error; // why probing stopped early; "" when all went well
};

// Probe one disk: opens its sg node (or the block node without sg).
// Never throws: failures land in DiskProbe::error.
// Without @with_cod only the identity is read (INQUIRY, VPD, capacity):
// enough to resolve names, and cheap when one udev event per disk runs
// the tool while a shelf of disks appears.
DiskProbe probe_disk(const ScsiDisk &d, bool with_cod = true);
std::vector<DiskProbe> probe_all(bool with_cod = true);
// Read the COD of a disk probed without it (no-op when already read).
void probe_cod(DiskProbe &p);
// A disk probed with its COD: none, and zero in the first and last MiB
// (disk_is_blank()).  False when it cannot be read.
bool probe_blank(const DiskProbe &p);

// Resolve @name (/dev/sdX, sdX, /dev/disk/by-id/..., naa.WWN, serial)
// among @disks.  Returns nullptr when nothing matches; throws Error when
// the name is ambiguous (a serial shared by two disks: multipath).
const DiskProbe *find_disk(const std::vector<DiskProbe> &disks, const std::string &name);

// The same resolution with a one-line error naming the problem.
const DiskProbe &resolve_disk(const std::vector<DiskProbe> &disks, const std::string &name);

} // namespace rc

namespace rc {
// scan's output for a list of probed disks.
Json probes_json(const std::vector<DiskProbe> &disks);
// scan's table: its headers (whose names -o takes, table.hpp), and the
// table of @view's columns.
const std::vector<std::string> &probe_headers();
std::string format_probes(const std::vector<DiskProbe> &disks, const TableView &view = TableView());
} // namespace rc
