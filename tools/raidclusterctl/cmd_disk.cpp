// attach and detach: member disks of the module.
#include "commands.hpp"
#include "config_file.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "lookup.hpp"
#include "signatures.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <set>
#include <sys/stat.h>

namespace rcctl {

namespace {

bool is_block_device(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

// Does disk @name (@path) carry another program's signature?  Refused
// (UsageError: nothing was tried) unless @force; true when it is to be
// erased before the attach.
bool check_signatures(const std::string &name, const std::string &path, bool force) {
  std::vector<rc::Signature> sigs = rc::find_signatures(path);
  if (sigs.empty())
    return false;
  // In use says more than what it carries (a mounted filesystem, an
  // assembled md array): no --force would help.
  rc::Fd excl(::open(path.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC));
  if (!excl.valid() && errno == EBUSY)
    throw rc::Error("disk " + name + " (" + path +
                    ") is in use (mounted, or held by md, dm or "
                    "another program): it carries " +
                    rc::describe_signatures(sigs));
  if (!force)
    throw rc::Error("disk " + name + " (" + path + ") carries " + rc::describe_signatures(sigs) +
                    ": attaching it would overwrite that data; erase it first (wipefs -a), or "
                    "attach --force to erase the signatures and attach it");
  return true;
}

// What a multi-disk attach or detach had done when the disk @labels[@failed]
// failed: the ones before it stay as they are now, those after it were not
// tried.  Nothing to add for a single disk.
std::string progress(const std::vector<std::string> &labels, size_t failed) {
  if (labels.size() < 2)
    return "";
  auto names = [&](size_t first, size_t last) {
    std::string s;
    for (size_t i = first; i < last; i++)
      s += (s.empty() ? "" : ", ") + labels[i];
    return s.empty() ? std::string("none") : s;
  };
  return " (done before it: " + names(0, failed) +
         "; not tried: " + names(failed + 1, labels.size()) + ")";
}

} // namespace

int cmd_attach(const AttachOpts &o) {
  rc::Control ctl; // first: "module not loaded" before any probing
  std::vector<rc::DiskInfo> members = ctl.disks();
  // Every disk's identity (to resolve names); the COD of every disk only
  // for --all, else of the named disks below.
  std::vector<rc::DiskProbe> disks = rc::probe_all(o.all);

  // Attached = opened by the module now.  A record whose disk is absent
  // (learnt from another member's COD, or pulled) is what attach fills in.
  auto attached = [&](const rc::DiskProbe &p) -> int {
    for (const auto &m : members)
      if (m.present && rc::same_disk(m, p))
        return static_cast<int>(m.index);
    return -1;
  };

  // Resolve and check everything before the first attach: a bad name
  // anywhere in the list changes nothing.
  struct Job {
    std::string label, path;
    uint32_t flags = 0;
    bool wipe = false; // --force: erase its signatures first
  };
  std::vector<Job> jobs;
  std::set<std::string> seen;
  // raidcluster.conf: which disks attach without being named.
  const rc::NodeConfig conf = rc::load_config();
  auto selected = [&](const rc::DiskProbe &p) {
    const rc_config *cfg = p.cod.config();
    if (cfg && !rc::cluster_selected(conf, cfg->cluster_uuid)) {
      if (!o.quiet)
        std::cout << "skipped " << p.sys.devnode << ": its COD is cluster "
                  << rc::format_uuid(cfg->cluster_uuid) << ", not this node's (" << conf.path
                  << ")\n";
      return false;
    }
    if (!rc::disk_selected(conf, {p.sys.name, p.sys.devnode, p.wwn.str(), p.serial})) {
      if (!o.quiet)
        std::cout << "skipped " << p.sys.devnode << ": not among the disks of " << conf.path
                  << "\n";
      return false;
    }
    return true;
  };
  if (o.auto_ && !conf.auto_attach) {
    if (!o.quiet)
      std::cout << "nothing attached: auto_attach = none in " << conf.path << "\n";
    return 0;
  }
  if (o.all) {
    for (const auto &p : disks)
      if (p.cod.has_cod() && p.member.member && attached(p) < 0 && selected(p))
        jobs.push_back({p.sys.devnode, p.sys.devnode});
    if (jobs.empty() && !o.quiet)
      std::cout << "no unattached disk carries a raidcluster COD\n";
  }
  for (const auto &name : o.disks) {
    const rc::DiskProbe *p = rc::find_disk(disks, name);
    if (!p) {
      // A block device outside the SCSI inventory (the kernel decides
      // whether it can be a member); anything else is unknown.
      if (!name.empty() && name[0] == '/' && is_block_device(name) && !o.auto_) {
        if (!seen.insert(name).second)
          throw rc::UsageError("disk " + name + " is given twice");
        jobs.push_back({name, name, 0, check_signatures(name, name, o.force)});
        continue;
      }
      rc::resolve_disk(disks, name); // throws the precise message
    }
    if (!p->error.empty() && !o.auto_)
      throw rc::Error("disk " + name + " cannot be probed: " + p->error);
    if (!seen.insert(p->sys.devnode).second)
      throw rc::UsageError("disk " + name + " (" + p->sys.devnode + ") is given twice");
    if (int idx = attached(*p); idx >= 0) {
      if (o.auto_)
        continue;
      throw rc::Error("disk " + name + " is already attached (member disk " + std::to_string(idx) +
                      ")");
    }
    if (o.auto_) {
      // A member comes back; a blank disk is offered to the module,
      // which takes it only in a failed member's slot.  Anything else
      // (another cluster's, a damaged COD, old data) is left alone.
      rc::DiskProbe q = *p;
      rc::probe_cod(q);
      bool member = q.cod.has_cod() && q.member.member;
      if (!member && !rc::probe_blank(q))
        continue;
      if (!selected(q))
        continue;
      // Only a blank disk is offered: a member is attached as by hand.
      jobs.push_back({name, p->sys.devnode, member ? 0u : RC_ATTACH_REPLACEMENT});
      continue;
    }
    // A disk new to raidcluster (no COD) is written from 1 MiB on: what
    // other software keeps there would be overwritten.
    rc::DiskProbe q = *p;
    rc::probe_cod(q);
    bool wipe = !q.cod.has_cod() && check_signatures(name, p->sys.devnode, o.force);
    jobs.push_back({name, p->sys.devnode, 0, wipe});
  }

  std::vector<std::string> labels;
  for (const auto &j : jobs)
    labels.push_back(j.label);
  for (size_t k = 0; k < jobs.size(); k++) {
    const Job &j = jobs[k];
    rc_ioc_attach r;
    try {
      if (j.wipe)
        for (const auto &sig : rc::wipe_signatures(j.path))
          if (!o.quiet)
            std::cout << "erased " << rc::describe_signatures({sig}) << " (at byte " << sig.offset
                      << ") on " << j.path << "\n";
      r = ctl.attach(j.path, j.flags);
    } catch (const rc::CtlError &e) {
      // A module older than RC_ATTACH_REPLACEMENT refuses the flag.
      if (j.flags && e.err() == EINVAL) {
        if (!o.quiet)
          std::cout << "left " << j.path << " alone: " << e.what() << "\n";
        continue;
      }
      throw rc::Error(e.what() + progress(labels, k));
    } catch (const rc::Error &e) {
      throw rc::Error(e.what() + progress(labels, k));
    }
    if (r.result == RC_ATTACH_NOT_WANTED) {
      if (!o.quiet)
        std::cout << "left " << j.path
                  << " alone: " << std::string(r.hdr.msg, strnlen(r.hdr.msg, sizeof(r.hdr.msg)))
                  << "\n";
      continue;
    }
    if (!o.quiet) {
      std::cout << "attached " << j.path;
      if (j.label != j.path)
        std::cout << " (" << j.label << ")";
      std::cout << " as member disk " << r.index;
      if (r.nlds_found)
        std::cout << "; " << r.nlds_found << " logical drive" << (r.nlds_found == 1 ? "" : "s")
                  << " found in its COD";
      if (r.result == RC_ATTACH_SPARE)
        std::cout << "; a hot spare (policy --insert spare)";
      if (r.result == RC_ATTACH_REBUILDING)
        std::cout << "; it replaces a failed member of rcl" << r.rebuild_ld << ": rebuild started";
      std::cout << "\n";
    }
  }
  return 0;
}

int cmd_detach(const DetachOpts &o) {
  rc::Control ctl;
  std::vector<rc::DiskInfo> members = ctl.disks();
  std::vector<rc::DiskProbe> disks = rc::probe_all(false);
  std::vector<std::pair<std::string, uint32_t>> jobs;
  std::set<int> seen;
  for (const auto &name : o.disks) {
    int idx = rc::find_member(members, disks, name);
    if (idx < 0) {
      if (!rc::find_disk(disks, name))
        rc::resolve_disk(disks, name); // "unknown disk ..."
      throw rc::Error("disk " + name + " is not a member disk");
    }
    if (!seen.insert(idx).second)
      throw rc::UsageError("disk " + name + " is given twice");
    jobs.emplace_back(name, static_cast<uint32_t>(idx));
  }
  std::vector<std::string> labels;
  for (const auto &j : jobs)
    labels.push_back(j.first);
  for (size_t k = 0; k < jobs.size(); k++) {
    try {
      ctl.detach(jobs[k].second, jobs[k].first);
    } catch (const rc::Error &e) {
      throw rc::Error(e.what() + progress(labels, k));
    }
    std::cout << "detached " << jobs[k].first << " (member disk " << jobs[k].second << ")\n";
  }
  return 0;
}

} // namespace rcctl
