// create, delete, run: logical drives.
#include "commands.hpp"
#include "ctl.hpp"
#include "diskspec.hpp"
#include "error.hpp"
#include "json.hpp"
#include "lookup.hpp"
#include "schema.hpp"
#include "units.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace rcctl {

int cmd_create(const CreateOpts &o) {
  // Syntax first (exit 2), before touching the module or any disk.
  rc::check_ld_name(o.name);
  unsigned level = rc::parse_level(o.level);
  uint32_t stripe = o.stripe.empty() ? 0 : rc::parse_stripe(o.stripe);
  std::optional<uint64_t> size;
  if (!o.size.empty()) {
    size = rc::parse_sectors(o.size, "size");
    if (*size == 0)
      throw rc::UsageError("bad size '" + o.size + "': must not be zero");
  }
  auto exists = [](const std::string &p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
  };
  std::vector<rc::DiskSpec> specs;
  for (const auto &d : o.disks)
    specs.push_back(rc::parse_disk_spec(d, exists));

  rc::Control ctl;
  rc::ConfigPtr cfg = ctl.config();
  std::vector<rc::DiskInfo> members = ctl.disks();
  std::vector<rc::DiskProbe> disks = rc::probe_all(false);

  std::vector<rc::MemberPlan> plan;
  for (const auto &s : specs) {
    int idx = rc::find_member(members, disks, s.disk);
    if (idx < 0) {
      if (!rc::find_disk(disks, s.disk))
        rc::resolve_disk(disks, s.disk); // "unknown disk ..."
      throw rc::Error("disk " + s.disk + " is not a member disk (run 'raidclusterctl attach " +
                      s.disk + "' first)");
    }
    if (cfg->disks[idx].state != RC_DISK_ONLINE)
      throw rc::Error("disk " + s.disk + " is " + rc_disk_state_name(cfg->disks[idx].state) +
                      ", not online");
    plan.push_back({s.disk, static_cast<unsigned>(idx), s.start, s.length});
  }
  rc_ld ld = rc::plan_ld(*cfg, o.name, level, stripe, plan, size);

  rc_ioc_create req{};
  std::memcpy(req.name, ld.name, std::strlen(ld.name));
  req.level = ld.level;
  req.stripe_sectors = ld.stripe_sectors;
  req.nextents = ld.nextents;
  if (o.assume_clean) {
    if (level != RC_RAID5)
      throw rc::UsageError("--assume-clean is for RAID 5 only (RAID 0/1/10 are never resynced)");
    req.flags |= RC_CREATE_F_ASSUME_CLEAN;
  }
  for (unsigned i = 0; i < ld.nextents; i++) {
    req.extents[i].disk = ld.ext[i].disk;
    req.extents[i].start = ld.ext[i].start;
    req.extents[i].length = ld.ext[i].length;
  }
  rc_ioc_create out = ctl.create(req);
  if (o.json) {
    rc::Json ext = rc::Json::array();
    for (unsigned i = 0; i < ld.nextents; i++)
      ext.push_back({{"disk", static_cast<unsigned>(ld.ext[i].disk)},
                     {"start_sectors", static_cast<unsigned long long>(ld.ext[i].start)},
                     {"length_sectors", static_cast<unsigned long long>(ld.ext[i].length)}});
    std::cout << rc::dump_json(rc::versioned(
                     {{"number", out.number},
                      {"device", "rcl" + std::to_string(out.number)},
                      {"path", "/dev/rcl" + std::to_string(out.number)},
                      {"name", o.name},
                      {"level", level},
                      {"stripe_sectors", ld.stripe_sectors},
                      {"capacity_sectors", static_cast<unsigned long long>(out.capacity)},
                      {"extents", ext}}))
              << "\n";
  } else {
    std::cout << "created /dev/rcl" << out.number << " '" << o.name << "': " << rc_level_name(level)
              << ", " << ld.nextents << " members, stripe " << rc::format_stripe(ld.stripe_sectors)
              << ", " << rc::format_sectors(out.capacity) << "\n";
  }
  return 0;
}

int cmd_delete(const DeleteOpts &o) {
  rc::Control ctl;
  uint32_t n = rc::resolve_ld(ctl.lds(), o.ld);
  if (!o.yes) {
    rc::LdInfo l{};
    ctl.ld_info(n, l);
    const std::string what = "rcl" + std::to_string(n) + " (\"" +
                             std::string(l.name, strnlen(l.name, sizeof(l.name))) + "\", " +
                             rc::format_sectors(l.capacity) + ")";
    if (!isatty(STDIN_FILENO))
      throw rc::UsageError("delete " + what +
                           " destroys its data: confirm with --yes (there is no "
                           "terminal to ask on)");
    std::cout << "Delete " << what << "? Its data is lost. [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      std::cout << "rcl" << n << " not deleted\n";
      return 1;
    }
  }
  ctl.remove(n);
  std::cout << "deleted rcl" << n << "\n";
  return 0;
}

namespace {

// "rclN running, STATE" after RC_IOC_RUN started drive @n.
void say_running(rc::Control &ctl, uint32_t n) {
  rc::LdInfo l;
  if (ctl.ld_info(n, l))
    std::cout << "rcl" << n << " running, " << rc_ld_state_name(l.state) << "\n";
  else
    std::cout << "rcl" << n << " running\n";
}

// run --all: start every drive that is not running (its members are not all
// attached).  Each drive is tried; one that cannot start (it would be
// offline) is named on stderr and makes the exit status 1, the others still
// start: a boot with one dead drive mounts the rest.
int run_all(rc::Control &ctl) {
  int rc = 0;
  unsigned waiting = 0;
  for (const rc::LdInfo &l : ctl.lds()) {
    if (l.flags & RC_LD_F_RUNNING)
      continue;
    waiting++;
    try {
      ctl.run(l.number);
      say_running(ctl, l.number);
    } catch (const rc::Error &e) {
      // its last member was attached since the listing: it started whole
      auto *ce = dynamic_cast<const rc::CtlError *>(&e);
      if (ce && ce->err() == EALREADY) {
        std::cout << "rcl" << l.number << " started with all its members\n";
        continue;
      }
      std::cerr << "raidclusterctl: rcl" << l.number << ": " << e.what() << "\n";
      rc = 1;
    }
  }
  if (!waiting)
    std::cout << "no drive waits for member disks\n";
  return rc;
}

} // namespace

int cmd_run(const RunOpts &o) {
  rc::Control ctl;
  if (o.all)
    return run_all(ctl);
  uint32_t n = rc::resolve_ld(ctl.lds(), o.ld);
  ctl.run(n);
  say_running(ctl, n);
  return 0;
}

// The member-disk index of @disk as the admin typed it; an error naming it
// when it is unknown or not attached.
static uint32_t member_index(rc::Control &ctl, const std::string &disk) {
  std::vector<rc::DiskInfo> members = ctl.disks();
  std::vector<rc::DiskProbe> disks = rc::probe_all(false);
  int idx = rc::find_member(members, disks, disk);
  if (idx < 0) {
    if (!rc::find_disk(disks, disk))
      rc::resolve_disk(disks, disk); // "unknown disk ..."
    throw rc::Error("disk " + disk + " is not a member disk (run 'raidclusterctl attach " + disk +
                    "' first)");
  }
  return static_cast<uint32_t>(idx);
}

int cmd_spare(const SpareOpts &o) {
  rc::Control ctl;
  uint32_t idx = member_index(ctl, o.disk);
  ctl.spare(idx, !o.remove);
  std::cout << o.disk << (o.remove ? " is no longer a hot spare\n" : " is a hot spare\n");
  return 0;
}

int cmd_policy(const PolicyOpts &o) {
  rc::Control ctl;
  uint32_t flags;
  if (o.insert.empty())
    flags = ctl.info().cod_flags;
  else
    flags = ctl.policy(RC_COD_F_INSERT_SPARE, o.insert == "spare" ? RC_COD_F_INSERT_SPARE : 0);
  bool spare = flags & RC_COD_F_INSERT_SPARE;
  if (o.json) {
    std::cout << rc::dump_json(rc::versioned({{"insert", spare ? "spare" : "ignore"}})) << "\n";
    return 0;
  }
  std::cout << "insert: " << (spare ? "spare" : "ignore")
            << (spare ? " (a blank disk inserted where no failed member's disk was becomes a "
                        "hot spare)\n"
                      : " (a blank disk inserted where no failed member's disk was is left "
                        "alone)\n");
  return 0;
}

// rebuild --wait: poll until member @m of drive @n is online on disk @idx
// (the rebuild completed), or is not rebuilding onto it any more (it
// failed, the drive went, another disk took its place).  The rebuild may
// wait its turn in a cluster (one at a time): its extent is rebuilding
// meanwhile.
static int wait_rebuild(rc::Control &ctl, uint32_t n, uint32_t m, uint32_t idx,
                        const std::string &disk) {
  for (;;) {
    rc::LdInfo l;
    if (!ctl.ld_info(n, l))
      throw rc::Error("rcl" + std::to_string(n) + " is gone: the rebuild onto " + disk +
                      " did not complete");
    const rc_ioc_extent &x = l.extents[m];
    if (x.disk != idx)
      throw rc::Error("rcl" + std::to_string(n) + " member " + std::to_string(m) +
                      " is no longer on " + disk + ": the rebuild did not complete");
    if (x.state == RC_EXT_ONLINE) {
      std::cout << "rcl" << n << ": rebuild onto " << disk << " complete, drive "
                << rc_ld_state_name(l.state) << "\n";
      return 0;
    }
    if (x.state == RC_EXT_FAILED)
      throw rc::Error("rcl" + std::to_string(n) + ": the rebuild onto " + disk +
                      " failed (the kernel log says why); the drive is " +
                      rc_ld_state_name(l.state));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

int cmd_rebuild(const RebuildOpts &o) {
  rc::Control ctl;
  uint32_t n = rc::resolve_ld(ctl.lds(), o.ld);
  uint32_t idx = member_index(ctl, o.disk);
  uint32_t m = ctl.rebuild(n, idx);
  std::cout << "rcl" << n << ": rebuilding member " << m << " onto " << o.disk
            << (o.wait ? "" : " (progress: raidclusterctl status)") << "\n"
            << std::flush;
  return o.wait ? wait_rebuild(ctl, n, m, idx, o.disk) : 0;
}

} // namespace rcctl
