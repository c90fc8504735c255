#include "inventory.hpp"
#include "schema.hpp"

#include "blank.hpp"
#include "error.hpp"
#include "table.hpp"
#include "units.hpp"

#include <cerrno>
#include <sys/stat.h>

namespace rc {

namespace {

std::string node_of(const ScsiDisk &d) { return d.sgnode.empty() ? d.devnode : d.sgnode; }

void read_cod_into(DiskProbe &p, ScsiDevice &dev) {
  if (p.cap.sectors() < RC_DATA_START_SECTOR)
    return; // too small to be a member: no COD to read
  p.cod = read_cod(dev);
  p.cod_read = true;
  p.member = membership(p.cod, p.wwn, p.serial);
}

} // namespace

DiskProbe probe_disk(const ScsiDisk &d, bool with_cod) {
  DiskProbe p;
  p.sys = d;
  p.inq.vendor = d.vendor;
  p.inq.model = d.model;
  try {
    ScsiDevice dev(node_of(d));
    p.inq = dev.inquiry();
    p.serial = dev.serial();
    p.wwn = dev.wwn();
    p.cap = dev.capacity();
    if (with_cod)
      read_cod_into(p, dev);
  } catch (const std::exception &e) {
    p.error = e.what();
  }
  return p;
}

void probe_cod(DiskProbe &p) {
  if (p.cod_read || !p.error.empty())
    return;
  try {
    ScsiDevice dev(node_of(p.sys));
    read_cod_into(p, dev);
  } catch (const std::exception &e) {
    p.error = e.what();
  }
}

bool probe_blank(const DiskProbe &p) {
  if (!p.error.empty() || !p.cod_read || p.cod.copy[0].status != RC_COD_ENOCOD ||
      p.cod.copy[1].status != RC_COD_ENOCOD)
    return false;
  try {
    ScsiDevice dev(node_of(p.sys));
    return disk_is_blank(dev);
  } catch (const std::exception &) {
    return false;
  }
}

std::vector<DiskProbe> probe_all(bool with_cod) {
  std::vector<DiskProbe> v;
  for (const auto &d : enumerate_scsi_disks())
    v.push_back(probe_disk(d, with_cod));
  return v;
}

const DiskProbe *find_disk(const std::vector<DiskProbe> &disks, const std::string &name) {
  if (name.empty())
    return nullptr;
  // A path: compare device numbers, so every alias (/dev/disk/by-*,
  // symlinks, the sg node) of a disk resolves.
  if (name[0] == '/') {
    struct stat st;
    if (::stat(name.c_str(), &st) != 0)
      return nullptr;
    for (const auto &d : disks) {
      if (S_ISBLK(st.st_mode) && d.sys.dev == st.st_rdev)
        return &d;
      if (S_ISCHR(st.st_mode) && !d.sys.sgnode.empty() && d.sys.sgnode == name)
        return &d;
    }
    return nullptr;
  }
  for (const auto &d : disks)
    if (d.sys.name == name)
      return &d;
  Wwn w;
  if (parse_wwn_string(name, w)) {
    for (const auto &d : disks)
      if (d.wwn.id == w.id)
        return &d;
    return nullptr;
  }
  const DiskProbe *hit = nullptr;
  for (const auto &d : disks)
    if (!d.serial.empty() && d.serial == name) {
      if (hit)
        throw Error("serial '" + name + "' names more than one disk (" + hit->sys.devnode + ", " +
                    d.sys.devnode + "): use the WWN or the device path");
      hit = &d;
    }
  return hit;
}

const DiskProbe &resolve_disk(const std::vector<DiskProbe> &disks, const std::string &name) {
  if (const DiskProbe *d = find_disk(disks, name))
    return *d;
  if (!name.empty() && name[0] == '/') {
    struct stat st;
    if (::stat(name.c_str(), &st) != 0)
      throw SysError("unknown disk " + name, errno);
    throw Error("unknown disk " + name + ": not a SCSI disk (see 'raidclusterctl scan')");
  }
  throw Error("unknown disk '" + name +
              "': no SCSI disk has this name, WWN or serial (see 'raidclusterctl scan')");
}

} // namespace rc

namespace rc {

Json probes_json(const std::vector<DiskProbe> &disks) {
  Json arr = Json::array();
  for (const auto &d : disks) {
    Json m = {{"cod", d.member.cod}, {"member", d.member.member}};
    if (d.member.cod) {
      m["cluster_uuid"] = format_uuid(d.cod.config()->cluster_uuid);
      m["generation"] = static_cast<unsigned long long>(d.cod.config()->generation);
    }
    if (d.member.member) {
      m["index"] = d.member.index;
      m["state"] = d.member.state;
    }
    arr.push_back({{"hctl", d.sys.hctl},
                   {"device", d.sys.name},
                   {"path", d.sys.devnode},
                   {"sg", d.sys.sgnode},
                   {"vendor", d.inq.vendor},
                   {"model", d.inq.model},
                   {"wwn", d.wwn.str()},
                   {"serial", d.serial},
                   {"capacity_sectors", static_cast<unsigned long long>(d.cap.sectors())},
                   {"block_size", d.cap.block_len},
                   {"raidcluster", m},
                   {"error", d.error.empty() ? Json() : Json(d.error)}});
  }
  return versioned({{"disks", arr}});
}

const std::vector<std::string> &probe_headers() {
  static const std::vector<std::string> h = {"HCTL", "DEVICE", "SG",       "VENDOR",     "MODEL",
                                             "WWN",  "SERIAL", "CAPACITY", "RAIDCLUSTER"};
  return h;
}

std::string format_probes(const std::vector<DiskProbe> &disks, const TableView &view) {
  Table t(probe_headers());
  for (const auto &d : disks)
    t.add({d.sys.hctl, d.sys.devnode, d.sys.sgnode, d.inq.vendor, d.inq.model, d.wwn.str(),
           d.serial, d.cap.block_len ? format_sectors(d.cap.sectors()) : "",
           d.error.empty() ? d.member.text() : "error"});
  return t.str(view);
}

} // namespace rc
