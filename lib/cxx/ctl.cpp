#include "ctl.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

namespace rc {

std::string ctl_error_text(const char *what, const char *kmsg, int err) {
  std::string m = kmsg ? fixed_str(kmsg, RC_IOC_MSG_LEN) : "";
  if (m.empty()) {
    if (err == EPERM || err == EACCES)
      m = "permission denied (needs root: CAP_SYS_ADMIN)";
    else if (err == ENOTTY)
      m = "the loaded raidcluster module does not know this request (version mismatch?)";
    else
      m = std::strerror(err);
  }
  return std::string(what) + ": " + m;
}

std::string Control::device_path() {
  const char *env = std::getenv("RAIDCLUSTER_CTL");
  return env && *env ? env : "/dev/" RC_CTL_NAME;
}

Control::Control() {
  std::string path = device_path();
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENXIO || e == ENODEV)
      throw Error("raidcluster module not loaded (" + path +
                  " missing): run 'modprobe raidcluster'");
    if (e == EACCES || e == EPERM)
      throw Error("cannot open " + path + ": permission denied (run as root)");
    throw SysError("open " + path, e);
  }
  fd_ = Fd(fd);
}

template <typename T> void Control::call(unsigned long req, T &arg, const char *what) {
  arg.hdr.version = RC_IOCTL_VERSION;
  arg.hdr.size = sizeof(T);
  std::memset(arg.hdr.msg, 0, sizeof(arg.hdr.msg));
  if (::ioctl(fd_.get(), req, &arg) < 0) {
    int e = errno;
    arg.hdr.msg[RC_IOC_MSG_LEN - 1] = 0;
    throw CtlError(ctl_error_text(what, arg.hdr.msg, e), e);
  }
}

rc_ioc_info Control::info() {
  rc_ioc_info a{};
  call(RC_IOC_INFO, a, "module info");
  return a;
}

rc_ioc_attach Control::attach(const std::string &path, uint32_t flags) {
  rc_ioc_attach a{};
  a.flags = flags;
  if (path.size() >= sizeof(a.path))
    throw UsageError("attach " + path + ": path too long");
  std::memcpy(a.path, path.c_str(), path.size() + 1);
  call(RC_IOC_ATTACH, a, ("attach " + path).c_str());
  return a;
}

void Control::detach(uint32_t index, const std::string &label) {
  rc_ioc_detach a{};
  a.index = index;
  std::string what = "detach " + (label.empty() ? "disk " + std::to_string(index) : label);
  call(RC_IOC_DETACH, a, what.c_str());
}

bool Control::disk_info(uint32_t index, DiskInfo &out) {
  out = DiskInfo{};
  out.index = index;
  try {
    call(RC_IOC_DISK_INFO, out, ("disk info " + std::to_string(index)).c_str());
  } catch (const CtlError &e) {
    // An unused record index: the kernel says "no such disk".
    if (e.err() == ENOENT || e.err() == ENODEV)
      return false;
    throw;
  }
  return out.state != RC_DISK_UNUSED;
}

bool Control::ld_info(uint32_t number, LdInfo &out) {
  out = LdInfo{};
  out.number = number;
  try {
    call(RC_IOC_LD_INFO, out, ("logical drive " + std::to_string(number)).c_str());
  } catch (const CtlError &e) {
    if (e.err() == ENOENT || e.err() == ENODEV)
      return false;
    throw;
  }
  return out.state != RC_LD_UNUSED;
}

rc_ioc_create Control::create(rc_ioc_create req) {
  std::string what = "create " + fixed_str(req.name, sizeof(req.name));
  call(RC_IOC_CREATE, req, what.c_str());
  return req;
}

void Control::remove(uint32_t number) {
  rc_ioc_delete a{};
  a.number = number;
  call(RC_IOC_DELETE, a, ("delete rcl" + std::to_string(number)).c_str());
}

uint32_t Control::rebuild(uint32_t number, uint32_t disk) {
  rc_ioc_rebuild a{};
  a.number = number;
  a.disk = disk;
  call(RC_IOC_REBUILD, a, ("rebuild rcl" + std::to_string(number)).c_str());
  return a.member;
}

uint32_t Control::policy(uint32_t mask, uint32_t flags) {
  rc_ioc_policy a{};
  a.mask = mask;
  a.flags = flags;
  call(RC_IOC_POLICY, a, "policy");
  return a.flags;
}

void Control::spare(uint32_t index, bool spare) {
  rc_ioc_spare a{};
  a.disk = index;
  a.spare = spare ? 1 : 0;
  call(RC_IOC_SPARE, a, ("spare disk " + std::to_string(index)).c_str());
}

rc_ioc_node_info Control::node_info(uint32_t id) {
  rc_ioc_node_info a{};
  a.id = id;
  call(RC_IOC_NODE_INFO, a, ("node info " + std::to_string(id)).c_str());
  return a;
}

uint32_t Control::reserve(uint32_t number) {
  rc_ioc_reserve a{};
  a.number = number;
  call(RC_IOC_RESERVE, a, ("reserve rcl" + std::to_string(number)).c_str());
  return a.holder;
}

uint32_t Control::release(uint32_t number) {
  rc_ioc_reserve a{};
  a.number = number;
  call(RC_IOC_RELEASE, a, ("release rcl" + std::to_string(number)).c_str());
  return a.holder;
}

void Control::node_resume(uint32_t self) {
  rc_ioc_node_cmd a{};
  a.id = self;
  call(RC_IOC_NODE_RESUME, a, "node resume");
}

void Control::node_kill(uint32_t id) {
  rc_ioc_node_cmd a{};
  a.id = id;
  call(RC_IOC_NODE_KILL, a, ("node kill " + std::to_string(id)).c_str());
}

void Control::run(uint32_t number) {
  rc_ioc_run a{};
  a.number = number;
  call(RC_IOC_RUN, a, ("run rcl" + std::to_string(number)).c_str());
}

// INFO's ndisks/nlds are counts of records in use, not bounds: records
// may have holes (a deleted rcl0 next to a live rcl1).  So every index is
// asked for, stopping once that many records were found.
std::vector<DiskInfo> Control::disks() {
  std::vector<DiskInfo> v;
  rc_ioc_info in = info();
  for (uint32_t i = 0; i < RC_MAX_DISKS && v.size() < in.ndisks; i++) {
    DiskInfo d;
    if (disk_info(i, d))
      v.push_back(d);
  }
  return v;
}

std::vector<LdInfo> Control::lds() {
  std::vector<LdInfo> v;
  rc_ioc_info in = info();
  for (uint32_t i = 0; i < RC_MAX_LDS && v.size() < in.nlds; i++) {
    LdInfo l;
    if (ld_info(i, l))
      v.push_back(l);
  }
  return v;
}

ConfigPtr Control::config() {
  rc_ioc_info in = info();
  ConfigPtr cfg = new_config();
  rc_config_init(cfg.get(), in.cluster_uuid);
  cfg->generation = in.cod_generation;
  cfg->writer_node = in.node_id;
  // ndisks/nlds of rc_config are bounds (highest index + 1).
  for (const DiskInfo &d : disks()) {
    uint32_t i = d.index;
    if (i >= RC_MAX_DISKS)
      continue;
    cfg->ndisks = std::max(cfg->ndisks, i + 1);
    rc_disk &r = cfg->disks[i];
    r.state = static_cast<u8>(d.state);
    r.wwn_len = static_cast<u8>(std::min<uint32_t>(d.wwn_len, RC_WWN_LEN));
    std::memcpy(r.wwn, d.wwn, r.wwn_len);
    std::memcpy(r.serial, d.serial, strnlen(d.serial, sizeof(d.serial)));
    r.capacity = d.capacity;
  }
  for (const LdInfo &l : lds()) {
    uint32_t i = l.number;
    if (i >= RC_MAX_LDS)
      continue;
    cfg->nlds = std::max(cfg->nlds, i + 1);
    rc_ld &r = cfg->lds[i];
    r.number = i;
    r.state = static_cast<u8>(l.state);
    r.level = static_cast<u8>(l.level);
    r.stripe_sectors = l.stripe_sectors;
    r.nextents = static_cast<u16>(std::min<uint32_t>(l.nextents, RC_MAX_EXTENTS));
    r.capacity = l.capacity;
    std::memcpy(r.name, l.name, strnlen(l.name, sizeof(l.name)));
    for (unsigned e = 0; e < r.nextents; e++) {
      r.ext[e].disk = static_cast<u16>(l.extents[e].disk);
      r.ext[e].state = static_cast<u8>(l.extents[e].state);
      r.ext[e].start = l.extents[e].start;
      r.ext[e].length = l.extents[e].length;
      r.ext[e].rebuild_pos = l.extents[e].rebuild_pos;
    }
  }
  return cfg;
}

} // namespace rc
