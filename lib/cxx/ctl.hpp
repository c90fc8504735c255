// Client of the control device /dev/raidcluster (include/raidcluster/
// ioctl.h).  Every request gets version and size filled in; a refusal is
// thrown as CtlError carrying the kernel's one-line reason (hdr.msg) or,
// when the kernel gave none, strerror(errno).
#pragma once

#include "error.hpp"
#include "fd.hpp"
#include "rclib.hpp"

#include "raidcluster/ioctl.h"
#include <string>
#include <vector>

namespace rc {

class CtlError : public Error {
public:
  CtlError(const std::string &msg, int err) : Error(msg), err_(err) {}
  int err() const { return err_; }

private:
  int err_;
};

// Runtime view of one member disk record (RC_IOC_DISK_INFO).
using DiskInfo = rc_ioc_disk_info;
using LdInfo = rc_ioc_ld_info;

class Control {
public:
  // Opens /dev/raidcluster (or $RAIDCLUSTER_CTL, for tests).  Throws
  // Error "raidcluster module not loaded ..." when the node is absent and
  // a permission error naming root when it may not be opened.
  Control();
  static std::string device_path();

  rc_ioc_info info();
  // @flags: RC_ATTACH_*.  With RC_ATTACH_REPLACEMENT the result may be
  // RC_ATTACH_NOT_WANTED (nothing done, the reason in hdr.msg).
  rc_ioc_attach attach(const std::string &path, uint32_t flags = 0);
  // @label names the disk in an error message ("sdb"); default "disk N".
  void detach(uint32_t index, const std::string &label = "");
  // false when @index holds no disk record.
  bool disk_info(uint32_t index, DiskInfo &out);
  bool ld_info(uint32_t number, LdInfo &out);
  rc_ioc_create create(rc_ioc_create req);
  void remove(uint32_t number); // RC_IOC_DELETE
  void run(uint32_t number);
  // RC_IOC_REBUILD: returns the member being rebuilt.
  uint32_t rebuild(uint32_t number, uint32_t disk);
  // RC_IOC_SPARE: make disk @index a hot spare (or not).
  void spare(uint32_t index, bool spare);
  // RC_IOC_POLICY: set the RC_COD_F_* bits of @mask to those of @flags; all
  // the policies after the change.
  uint32_t policy(uint32_t mask, uint32_t flags);
  // RC_IOC_NODE_INFO of node @id (this node's own view of it).
  rc_ioc_node_info node_info(uint32_t id);
  // RC_IOC_RESERVE / RC_IOC_RELEASE; return the holder afterwards.
  uint32_t reserve(uint32_t number);
  uint32_t release(uint32_t number);
  // RC_IOC_NODE_RESUME (this node, @self) and RC_IOC_NODE_KILL (a peer).
  void node_resume(uint32_t self);
  void node_kill(uint32_t id);

  std::vector<DiskInfo> disks();
  std::vector<LdInfo> lds();

  // The configuration the module holds, rebuilt from INFO, DISK_INFO and
  // LD_INFO in the portable lib's form, so the tools can run the same
  // checks (rc_config_check_new_ld) the kernel will.
  ConfigPtr config();

private:
  template <typename T> void call(unsigned long req, T &arg, const char *what);
  Fd fd_;
};

// The message an ioctl failure becomes: "<what>: <kernel msg or strerror>".
std::string ctl_error_text(const char *what, const char *kmsg, int err);

} // namespace rc
